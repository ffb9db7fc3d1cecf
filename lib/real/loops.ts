/**
 * One event loop against several: the same batch of requests to a loopback delay server, all started at once with
 * Promise.all on the main thread, or split over `loops` workers that each start their share at once (each worker is
 * its own event loop: "processes × async", like Node's cluster). On pure IO both overlap every wait.
 * Times in ms, median of `repeats` runs after one untimed warm-up; the server runs on the main thread's loop.
 */

import * as path from "node:path";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkNumber, checkOptions, RealInputError } from "./errors";
import { type RealLimits, runBounded } from "./resources";
import { httpGet, startDelayServer, trackedAgent } from "./server";
import { askWorker } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

const LOOP_ADVICE = "run it again with fewer requests, and close busy programs.";

/** Options of `loopsExperiment`; the defaults take about half a second. */
export interface LoopsOptions extends RealLimits {
  /** Requests in the batch (default 32). */
  requests?: number;
  /** Server delay per request, in ms (default 20). */
  delayMs?: number;
  /** Worker loops of the second way (default 2). */
  loops?: number;
  /** Timed runs of each way (default 3). */
  repeats?: number;
  /** Per-request time limit, in ms (default 5000). */
  requestTimeoutMs?: number;
}

/** Result of `loopsExperiment` (ms). */
export interface LoopsResult {
  requests: number;
  delayMs: number;
  loops: number;
  /** The batch with Promise.all on the main thread's loop. */
  oneLoopMs: RunSummary;
  /** The batch split over `loops` workers, each with Promise.all. */
  manyLoopsMs: RunSummary;
  /** Time to start the workers, outside `manyLoopsMs`. */
  startupMs: number;
}

/** Times the same batch on one event loop and on `loops` worker loops, all requests in flight at once. */
export async function loopsExperiment(options: LoopsOptions = {}): Promise<LoopsResult> {
  checkKnownOptions(RealInputError, "loopsExperiment's options", options, [
    "requests",
    "delayMs",
    "loops",
    "repeats",
    "requestTimeoutMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("loopsExperiment", options);
  const requests = checkInt("requests", options.requests ?? 32, 1, 2000);
  const delayMs = checkNumber("delayMs", options.delayMs ?? 20, 0, 5000, "pass a server delay in ms, e.g. 20");
  const loops = checkInt("loops", options.loops ?? 2, 1, 16, "pass at most 16 worker loops");
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20);
  const timeoutMs = checkNumber("requestTimeoutMs", options.requestTimeoutMs ?? 5000, 1, 60_000);
  const budget = 2 * (repeats + 1) * (delayMs + 2000) + loops * 500 + 5000;
  return runBounded("loopsExperiment", options, budget, async (res) => {
    const server = await startDelayServer(res, delayMs);
    const agent = trackedAgent(res);
    const one: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: requests }, () => httpGet(agent, server.url, timeoutMs)));
      if (r > 0) one.push(performance.now() - t0);
    }
    const t0 = performance.now();
    const workers = Array.from({ length: loops }, () => res.worker(path.join(__dirname, "workers", "loops.js")));
    await Promise.all(workers.map((w) => new Promise((ok) => w.once("online", ok))));
    const startupMs = performance.now() - t0;
    const many: number[] = [];
    let id = 1;
    for (let r = 0; r <= repeats; r++) {
      const t1 = performance.now();
      await Promise.all(
        workers.map((w, i) => {
          const count = Math.floor(requests / loops) + (i < requests % loops ? 1 : 0);
          // each request's limit ends at the experiment's time limit at the latest
          const left = Math.max(1, Math.min(timeoutMs, res.remainingMs()));
          const msg = { id: id++, url: server.url, count, timeoutMs: left };
          return count > 0 ? askWorker(w, msg, "loop", LOOP_ADVICE) : null;
        }),
      );
      if (r > 0) many.push(performance.now() - t1);
    }
    return {
      requests,
      delayMs,
      loops,
      oneLoopMs: summarizeRuns(one),
      manyLoopsMs: summarizeRuns(many),
      startupMs,
    };
  });
}
