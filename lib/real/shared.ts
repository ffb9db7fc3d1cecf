/**
 * Paths of the plain-JavaScript worker files, the shared CPU task, and the slot layout of the shared Int32Array.
 * The workers are JavaScript so that tslab, vitest and ts-node can all start them.
 */

import type { ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { Worker } from "node:worker_threads";
import { RealRunError } from "./errors";

/** Slots of the shared Int32Array used by the race, lock and deadlock experiments (see workers/job.js). */
export const SLOT = { GO: 0, READY: 1, COUNTER: 2, LOCK0: 3 } as const;

/** Absolute path of a file in lib/real/workers. */
export function realWorkerFile(name: "job.js" | "child.js" | "cpu.js"): string {
  return path.join(__dirname, "workers", name);
}

type SpinFn = (iterations: number, seed?: number) => number;
let spinFn: SpinFn | undefined;

/** The CPU-bound task on the calling thread: `iterations` xorshift rounds (~1 ns each); returns a checksum. */
export function spinTask(iterations: number, seed = 0): number {
  if (!spinFn) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    spinFn = (require(realWorkerFile("cpu.js")) as { spin: SpinFn }).spin;
  }
  return spinFn(iterations, seed);
}

/** Number of cores this process may run on at once (os.availableParallelism). */
export function coreCount(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Iterations of `spinTask` that take about `ms` milliseconds on this thread now (calibrated, ~50 ms of work). */
export function calibrateSpin(ms: number): number {
  spinTask(2e5); // warm up the JIT
  let n = 1e5;
  let took = 0;
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    spinTask(n);
    took = performance.now() - t0;
    if (took >= 8) break;
    n *= 2;
  }
  return Math.max(1000, Math.round((n / Math.max(took, 0.01)) * ms));
}

/**
 * Resolve with a worker's answer `{ id, ok, value }` to `id` (the job was or will be posted by the caller). Rejects
 * with a RealRunError "A <who> worker failed (…)" / "… exited before answering" / "… crashed (…)", followed by
 * `advice`, if the job fails or the worker dies first.
 */
export function answerFrom(w: Worker, id: number, who: string, advice: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      off();
      reject(new RealRunError(`A ${who} worker ${why}: ${advice}`));
    };
    const onMessage = (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      if (m.id !== id) return;
      off();
      if (m.ok) resolve(m.value);
      else fail(`failed (${m.error})`);
    };
    const onExit = () => fail("exited before answering");
    const onError = (e: Error) => fail(`crashed (${e.message})`);
    const off = () => {
      w.off("message", onMessage);
      w.off("exit", onExit);
      w.off("error", onError);
    };
    w.on("message", onMessage);
    w.once("exit", onExit);
    w.once("error", onError);
  });
}

/** Post `msg` to a worker and resolve with its answer to `msg.id` (see answerFrom). */
export function askWorker(
  w: Worker,
  msg: { id: number; [k: string]: unknown },
  who: string,
  advice: string,
): Promise<unknown> {
  const answer = answerFrom(w, msg.id, who, advice);
  w.postMessage(msg);
  return answer;
}

/**
 * Collect a child process's output and how it ended: `code` is the exit code (-1 when killed by a signal), or the
 * spawn error's code (e.g. "ENOENT": the command is not installed). The child must have stdout and stderr piped.
 */
export function childResult(child: ChildProcess): Promise<{ code: number | string; out: string; err: string }> {
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (err += d));
  return new Promise((resolve) => {
    child.once("error", (e: NodeJS.ErrnoException) => resolve({ code: e.code ?? e.message, out, err }));
    child.once("close", (c) => resolve({ code: c ?? -1, out, err }));
  });
}
