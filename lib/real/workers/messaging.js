"use strict";
// Worker of lib/real/messaging.ts, started once per messageCounter call and given one job per run on its parentPort.
// workerData: { role, port?, ports? }
// - "owner": owns the count. A job { id, totalId } (runs that pass messages) resets its count and answers
//   { id, ok: true }; then it adds the numbers that arrive on its MessagePorts and answers { id: totalId, ok: true,
//   value: total } once every sender said "done".
// - "counter": a job { id, sab, mode, increments, timeoutMs } waits at the start barrier of `sab`, then
//   - mode "plain" / "atomics": increments slot COUNTER of the shared Int32Array, plainly or with Atomics.add;
//   - mode "messages": posts `increments` messages of 1 to its port; mode "batched": counts locally, posts the count
//     once; both then post "done";
//   and answers { id, ok: true }.
// Every wait is bounded by the job's deadline; errors come back as { id, ok: false, error }.
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");
const { barrier } = require("./barrier.js");

const COUNTER = 2; // slots 0 and 1 are the start barrier's (barrier.js)

function fail(id, e) {
  parentPort.postMessage({ id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}

function count(job, port) {
  const i32 = new Int32Array(job.sab);
  barrier(i32, performance.now() + job.timeoutMs);
  const n = job.increments;
  // The experiment's time limit holds in here too: every 2^16 increments the loop looks at the clock (job.stopAt, ms
  // since the epoch, Infinity without a limit) and gives up with an error the main thread reports as an overrun.
  const late = (k) => (k & 0xffff) === 0 && performance.timeOrigin + performance.now() > job.stopAt;
  const over = () => new Error("time limit reached while counting");
  if (job.mode === "atomics")
    for (let k = 0; k < n; k++) {
      if (late(k)) throw over();
      Atomics.add(i32, COUNTER, 1);
    }
  else if (job.mode === "plain")
    for (let k = 0; k < n; k++) {
      if (late(k)) throw over();
      i32[COUNTER] = i32[COUNTER] + 1;
    }
  else if (job.mode === "batched") {
    let mine = 0;
    for (let k = 0; k < n; k++) {
      if (late(k)) throw over();
      mine++;
    }
    port.postMessage(mine);
    port.postMessage("done");
  } else if (job.mode === "messages") {
    for (let k = 0; k < n; k++) {
      if (late(k)) throw over();
      port.postMessage(1);
    }
    port.postMessage("done");
  } else throw new Error(`unknown mode ${job.mode}`);
}

const d = workerData;
if (d.role === "owner") {
  let job = null;
  let total = 0;
  let done = 0;
  for (const port of d.ports) {
    port.on("message", (m) => {
      if (m === "done") {
        if (++done === d.ports.length && job) parentPort.postMessage({ id: job.totalId, ok: true, value: total });
      } else total += m; // only this thread ever touches `total`: nothing to lock
    });
  }
  parentPort.on("message", (j) => {
    job = j;
    total = 0;
    done = 0;
    parentPort.postMessage({ id: j.id, ok: true });
  });
} else if (d.role === "counter") {
  parentPort.on("message", (job) => {
    try {
      count(job, d.port);
      parentPort.postMessage({ id: job.id, ok: true });
    } catch (e) {
      fail(job.id, e);
    }
  });
} else fail(0, new Error(`unknown role ${d.role}`));
