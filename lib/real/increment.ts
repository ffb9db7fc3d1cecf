/**
 * The learner's own increment on real threads: `increment(counter, index)` is sent to each worker as source text
 * (so it must use only its arguments: no variables from outside), and every worker calls it `increments` times on
 * one Int32 slot of a SharedArrayBuffer, all released at once by a start barrier. Lost updates = expected − final.
 * Bounded by `timeLimitMs`; every worker is terminated when it ends, whatever happens.
 */

import * as path from "node:path";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkOptions, RealInputError, RealRunError } from "./errors";
import { type RealLimits, runBounded } from "./resources";
import { SLOT } from "./shared";

/** The learner's increment: adds 1 to `counter[index]` (plain, Atomics.add, or a compareExchange loop). */
export type SharedIncrement = (counter: Int32Array, index: number) => void;

export interface IncrementStressOptions extends RealLimits {
  /** Worker threads incrementing at once (default 2). */
  workers?: number;
  /** Calls per worker (default 1,000,000). */
  increments?: number;
  /** Runs (default 3). */
  repeats?: number;
}

export interface IncrementStressResult {
  workers: number;
  increments: number;
  /** workers × increments. */
  expected: number;
  /** The counter after each run. */
  finals: number[];
  /** expected − final per run. */
  lost: number[];
  /** Slowest worker's time per run, in ms. */
  ms: number[];
}

/** Runs `increment` on real worker threads and reports lost updates per run. */
export async function incrementStress(
  increment: SharedIncrement,
  options: IncrementStressOptions = {},
): Promise<IncrementStressResult> {
  checkKnownOptions(RealInputError, "incrementStress's options", options, [
    "workers",
    "increments",
    "repeats",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("incrementStress", options);
  if (typeof increment !== "function") {
    throw new RealInputError("Pass the increment as a function `(counter, index) => { ... }`.");
  }
  const workers = checkInt("workers", options.workers ?? 2, 1, 16);
  const increments = checkInt("increments", options.increments ?? 1_000_000, 1, 100_000_000);
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20);
  const source = increment.toString();
  return runBounded("incrementStress", options, 10_000, async (res) => {
    const finals: number[] = [];
    const ms: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const i32 = new Int32Array(new SharedArrayBuffer(4 * 4));
      const answers = Array.from({ length: workers }, () => {
        const w = res.worker(path.join(__dirname, "workers", "increment.js"), {
          // stopAt: the worker stops by itself at the experiment's time limit (between calls of the increment)
          workerData: { sab: i32.buffer, source, increments, timeoutMs: 10_000, stopAt: res.stopAtEpochMs() },
        });
        return new Promise<{ ok: boolean; ms?: number; error?: string }>((resolve, reject) => {
          w.once("message", resolve);
          w.once("error", reject);
        });
      });
      while (Atomics.load(i32, SLOT.READY) < workers) {
        const early = await Promise.race([...answers, res.sleep(1).then(() => null)]);
        if (early && !early.ok) break;
      }
      Atomics.store(i32, SLOT.GO, 1);
      Atomics.notify(i32, SLOT.GO);
      const done = await Promise.all(answers);
      const bad = done.find((d) => !d.ok);
      if (bad) throw new RealRunError(`The increment failed in a worker: ${bad.error}.`);
      finals.push(Atomics.load(i32, SLOT.COUNTER));
      ms.push(Math.max(...done.map((d) => d.ms ?? 0)));
    }
    const expected = workers * increments;
    return { workers, increments, expected, finals, lost: finals.map((f) => expected - f), ms };
  });
}
