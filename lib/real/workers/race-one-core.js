"use strict";
// Child process of lib/real/race.ts (sharedCounterRace with oneCore: true), started under `taskset -c <cpu>` so that
// this process and every thread it starts may run on ONE core only. Runs the plain counter race of job.js (the same
// loop as on all cores) `repeats` times and prints one JSON line: the cores this process may use, finals, times and
// overlaps. Usage: node race-one-core.js '{"workers":2,"increments":5000000,"repeats":3,"timeoutMs":20000}'
const path = require("node:path");
const os = require("node:os");
const { Worker } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const GO = 0,
  READY = 1,
  COUNTER = 2;

async function run(o) {
  const i32 = new Int32Array(new SharedArrayBuffer(16 * 4));
  const workers = Array.from({ length: o.workers }, () => new Worker(path.join(__dirname, "job.js")));
  try {
    const answers = workers.map(
      (w, id) =>
        new Promise((resolve, reject) => {
          w.once("message", (m) => (m.ok ? resolve(m.value) : reject(new Error(m.error))));
          w.once("error", reject);
          w.postMessage({
            id,
            kind: "race",
            mode: "plain",
            increments: o.increments,
            sab: i32.buffer,
            timeoutMs: o.timeoutMs,
            stopAt: o.stopAt, // the whole child's time limit: the race loop stops by itself there
          });
        }),
    );
    while (Atomics.load(i32, READY) < o.workers) {
      if (performance.timeOrigin + performance.now() > o.stopAt) throw new Error("the workers did not start in time");
      await new Promise((r) => setTimeout(r, 1));
    }
    const t0 = performance.now();
    Atomics.store(i32, GO, 1);
    Atomics.notify(i32, GO);
    const values = await Promise.all(answers);
    const ms = performance.now() - t0;
    const from = Math.max(...values.map((v) => v.startedAt));
    const to = Math.min(...values.map((v) => v.endedAt));
    return { final: Atomics.load(i32, COUNTER), ms, overlapMs: Math.max(0, to - from) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

(async () => {
  const o = JSON.parse(process.argv[2]);
  o.stopAt = performance.timeOrigin + performance.now() + o.timeoutMs; // ms since the epoch
  const runs = [];
  for (let r = 0; r < o.repeats; r++) runs.push(await run(o));
  process.stdout.write(JSON.stringify({ cpus: os.availableParallelism(), runs }) + "\n");
})().catch((e) => {
  process.stderr.write(String(e?.stack || e) + "\n");
  process.exit(1);
});
