// Interrupts that stop (issue 18 item 4), in this process: a real SIGINT (what Jupyter's ■ sends to the kernel) while
// an experiment runs stops it within a second, whatever the main thread is doing (a busy loop, awaiting workers, a
// flood of promises, waiting for child processes), terminates its workers and kills its children; a listener like
// tslab's (it ends the cell) hears the signal too, and the next experiment runs normally. The kernel-level check,
// through jupyter_client and a real tslab kernel, is test/real/kernel-interrupt.test.ts.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { isMainThread, Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asyncLostUpdate,
  creationOverhead,
  liveRealResources,
  RealAbortError,
  RealInterruptError,
  sharedCounterRace,
  sleepSequentialVsConcurrent,
  speedupExperiment,
} from "../../lib/real/index";
import { experimentsWatchingInterrupts } from "../../lib/real/interrupt";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

// Stands in for tslab's own listener (tslab/dist/main.js: process.on("SIGINT", () => executor.interrupt())). With
// another listener present, lib/real does not raise the signal again after its clean-up (that is for plain scripts).
let tslabHeard = 0;
const tslabLike = () => {
  tslabHeard++;
};
beforeAll(() => {
  process.on("SIGINT", tslabLike);
});
afterAll(() => {
  process.off("SIGINT", tslabLike);
});

/**
 * Sends SIGINT to this process `afterMs` from now, from another thread (this one may be busy), and records when it
 * did (ms since the epoch) in the returned array's slot 0.
 */
function interruptIn(afterMs: number): { sentAt: Float64Array; done: Promise<void> } {
  const sentAt = new Float64Array(new SharedArrayBuffer(8));
  const w = new Worker(
    `const { workerData } = require("node:worker_threads");
     const park = new Int32Array(new SharedArrayBuffer(4));
     Atomics.wait(park, 0, 0, workerData.afterMs);
     new Float64Array(workerData.sab)[0] = performance.timeOrigin + performance.now();
     process.kill(process.pid, "SIGINT");`,
    { eval: true, workerData: { afterMs, sab: sentAt.buffer } },
  );
  const done = new Promise<void>((resolve) => w.once("exit", () => resolve()));
  return { sentAt, done };
}

/** Child processes of process `parent` (default: this one) from Linux /proc, or null elsewhere. */
function childPids(parent = process.pid): number[] | null {
  try {
    return fs
      .readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
          return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return null;
  }
}

/**
 * Starts `run`, interrupts it after `afterMs`, and returns the error it ended with and the time from the signal to
 * that error (ms), after checking that nothing it started is alive and that tslab's listener heard the signal.
 */
async function interrupted(afterMs: number, run: () => Promise<unknown>): Promise<{ error: unknown; stopMs: number }> {
  const before = activeResourceCounts();
  const heard = tslabHeard;
  const signal = interruptIn(afterMs);
  let error: unknown = null;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  const stopMs = performance.timeOrigin + performance.now() - signal.sentAt[0];
  await signal.done;
  expect(signal.sentAt[0]).toBeGreaterThan(0); // the signal was sent while the experiment ran
  expect(tslabHeard).toBe(heard + 1);
  expect(experimentsWatchingInterrupts()).toBe(0);
  expect(liveRealResources()).toEqual({ workers: 0, children: 0, servers: 0, sockets: 0, timers: 0 });
  const kids = childPids();
  if (kids) expect(kids).toEqual([]);
  await expectNoLeaks(before);
  if (process.env.CBE_SHOW_STOP_MS) fs.appendFileSync(process.env.CBE_SHOW_STOP_MS, `${stopMs.toFixed(1)}\n`);
  return { error, stopMs };
}

// Stop within a second of the signal (measured: a few ms; the bound leaves room for a loaded machine).
const STOP_MS = 1000;

describe.skipIf(!isMainThread || process.platform === "win32")("SIGINT stops a running experiment", () => {
  it("a busy loop on the main thread (speedupExperiment's sequential batch, through runSync)", async () => {
    const r = await interrupted(500, () =>
      speedupExperiment({ tasks: 200, iterations: 5e7, workerCounts: [1], repeats: 1, timeLimitMs: 60_000 }),
    );
    expect(r.error).toBeInstanceOf(RealInterruptError);
    expect(r.error).toBeInstanceOf(RealAbortError);
    expect((r.error as Error).message).toMatch(/speedupExperiment was interrupted .*run the cell again/);
    expect(r.stopMs).toBeLessThan(STOP_MS);
  });

  it("an Atomics.wait that parks the main thread", async () => {
    const r = await interrupted(500, () =>
      sleepSequentialVsConcurrent({ tasks: 2, sleepMs: 5000, modes: ["atomicsWaitConcurrent"], timeLimitMs: 60_000 }),
    );
    expect(r.error).toBeInstanceOf(RealInterruptError);
    expect(r.stopMs).toBeLessThan(STOP_MS);
  });

  it("workers spinning while the main thread waits (sharedCounterRace: the workers ran on 10-14 s)", async () => {
    const r = await interrupted(800, () =>
      sharedCounterRace({ workers: 2, increments: 400_000_000, modes: ["mutex"], repeats: 1, timeLimitMs: 60_000 }),
    );
    expect(r.error).toBeInstanceOf(RealInterruptError);
    expect(r.stopMs).toBeLessThan(STOP_MS);
  });

  it("10,000 async tasks that only await promises (asyncLostUpdate ignored an interrupt for 18.6 s)", async () => {
    const r = await interrupted(600, () => asyncLostUpdate({ tasks: 10_000, increments: 1000, timeLimitMs: 60_000 }));
    expect(r.error).toBeInstanceOf(RealInterruptError);
    expect(r.stopMs).toBeLessThan(STOP_MS);
  });

  it("child processes (creationOverhead kept spawning them for 28 s)", async () => {
    const tasks = { call: 0, promise: 0, pool: 0, worker: 0, process: 200 };
    const r = await interrupted(1500, () =>
      creationOverhead({ tasks, iterations: 1e8, repeats: 3, timeLimitMs: 60_000 }),
    );
    expect(r.error).toBeInstanceOf(RealInterruptError);
    expect(r.stopMs).toBeLessThan(STOP_MS);
  });

  it("the next experiment runs normally, and no SIGINT listener of lib/real is left behind", async () => {
    const listeners = process.listenerCount("SIGINT");
    const r = await sharedCounterRace({ workers: 2, increments: 10_000, modes: ["atomic"], repeats: 1 });
    expect(r.rows[0].finals).toEqual([20_000]);
    expect(process.listenerCount("SIGINT")).toBe(listeners);
  });
});

describe.skipIf(process.platform !== "linux")("in a plain node script (no tslab)", () => {
  it("Ctrl+C stops the experiment and kills its children, then still ends the program as SIGINT does", async () => {
    const root = path.resolve(__dirname, "..", "..");
    const script =
      'const { creationOverhead } = require("./lib/real/index"); console.log("started"); ' +
      "creationOverhead({ tasks: { call: 0, promise: 0, pool: 0, worker: 0, process: 200 }, iterations: 1e8, " +
      'timeLimitMs: 60000 }).then(() => console.log("finished"), (e) => console.log("rejected " + e.name));';
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("started")) resolve();
      }),
    );
    // wait until its first grandchild (node workers/child.js) runs, then press Ctrl+C (SIGINT to the script alone)
    let grandchildren: number[] = [];
    for (let i = 0; i < 500 && grandchildren.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      grandchildren = childPids(child.pid) ?? [];
    }
    expect(grandchildren.length).toBeGreaterThan(0);
    const t0 = performance.now();
    child.kill("SIGINT");
    const end = await exited;
    const ms = performance.now() - t0;
    expect(end).toEqual({ code: null, signal: "SIGINT" }); // ended by the signal, as without lib/real
    expect(out).toMatch(/rejected RealInterruptError/); // after the experiment stopped and cleaned up
    expect(ms).toBeLessThan(STOP_MS);
    for (const pid of grandchildren) expect(fs.existsSync(`/proc/${pid}`) && !isZombie(pid)).toBe(false);
  }, 60_000);
});

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
