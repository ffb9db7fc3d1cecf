/**
 * IO-bound concurrency, for real: requests to a loopback server that waits `delayMs` before answering.
 * The same batch sequentially, with Promise.all, with a concurrency limit and with workers; then a scaling sweep
 * showing async requests scale to thousands in flight while each worker costs start-up time and memory.
 */
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkIntList, checkNumber, checkOptions, RealInputError } from "./errors";
import { WorkerPool } from "./pool";
import { type RealLimits, type RealResources, runBounded } from "./resources";
import { httpGet, runLimited, startDelayServer, trackedAgent } from "./server";
import { type RunSummary, summarizeRuns } from "./stats";

/** How a batch of requests is issued. */
export type IoMode = "sequential" | "promiseAll" | "limited" | "workers";

/** Options of `ioModesExperiment`; the defaults take about 1.5 s. */
export interface IoModesOptions extends RealLimits {
  /** Requests in the batch (default 40). */
  requests?: number;
  /** Server delay per request, in ms (default 25). */
  delayMs?: number;
  /** In-flight limit of the "limited" mode (default 8). */
  limit?: number;
  /** Workers of the "workers" mode, each issuing its share one request at a time (default 4). */
  workers?: number;
  /** Repeats per mode (default 1). */
  repeats?: number;
  /** Per-request time limit, in ms (default 5000). */
  requestTimeoutMs?: number;
}

/** One mode: batch time in ms, throughput (requests/s), the concurrency it allows and the server's peak in-flight. */
export interface IoModeRow {
  mode: IoMode;
  requests: number;
  concurrency: number;
  ms: RunSummary;
  requestsPerSecond: number;
  peakInFlight: number;
  /** Time to start the workers (ms), outside `ms`; 0 for the async modes. */
  startupMs: number;
}

/** Result of `ioModesExperiment`. */
export interface IoModesResult {
  delayMs: number;
  /** The ideal sequential time, requests × delay, in ms. */
  sequentialIdealMs: number;
  rows: IoModeRow[];
}

/** Fetches the same batch four ways from a loopback delay server; times in ms, throughput in requests/s. */
export async function ioModesExperiment(options: IoModesOptions = {}): Promise<IoModesResult> {
  checkKnownOptions(RealInputError, "ioModesExperiment's options", options, [
    "requests",
    "delayMs",
    "limit",
    "workers",
    "repeats",
    "requestTimeoutMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("ioModesExperiment", options);
  const requests = checkInt("requests", options.requests ?? 40, 1, 5000);
  const delayMs = checkNumber("delayMs", options.delayMs ?? 25, 0, 5000, "pass a server delay in ms, e.g. 25");
  const limit = checkInt("limit", options.limit ?? 8, 1, 5000);
  const workers = checkInt(
    "workers",
    options.workers ?? 4,
    1,
    64,
    "pass at most 64 workers: each costs a thread and megabytes",
  );
  const repeats = checkInt("repeats", options.repeats ?? 1, 1, 20);
  const timeoutMs = checkNumber("requestTimeoutMs", options.requestTimeoutMs ?? 5000, 1, 60_000);
  const budget = (requests * delayMs + 2000) * repeats * 2 + 5000;
  return runBounded("ioModesExperiment", options, budget, async (res) => {
    const server = await startDelayServer(res, delayMs);
    const rows: IoModeRow[] = [];
    const modes: [IoMode, number][] = [
      ["sequential", 1],
      ["promiseAll", requests],
      ["limited", limit],
      ["workers", workers],
    ];
    for (const [mode, conc] of modes) {
      let startupMs = 0;
      let pool: WorkerPool | null = null;
      if (mode === "workers") {
        const t0 = performance.now();
        pool = await WorkerPool.start(res, conc);
        startupMs = performance.now() - t0;
      }
      const agent = trackedAgent(res);
      const runs: number[] = [];
      server.resetStats();
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        if (pool) {
          const share = splitEvenly(requests, conc);
          await Promise.all(
            share.map((count) => (count > 0 ? pool!.run({ kind: "http", url: server.url, count, timeoutMs }) : null)),
          );
        } else {
          await runLimited(requests, conc, () => httpGet(agent, server.url, timeoutMs));
        }
        runs.push(performance.now() - t0);
      }
      agent.destroy();
      if (pool) await pool.close();
      const ms = summarizeRuns(runs);
      rows.push({
        mode,
        requests,
        concurrency: Math.min(conc, requests),
        ms,
        requestsPerSecond: (requests / ms.median) * 1000,
        peakInFlight: server.peakInFlight(),
        startupMs,
      });
    }
    return { delayMs, sequentialIdealMs: requests * delayMs, rows };
  });
}

/** Options of `ioScalingExperiment`; the defaults take a few seconds. */
export interface IoScalingOptions extends RealLimits {
  /** Requests in flight at once with async requests (default [1, 10, 100, 1000]). */
  asyncLevels?: number[];
  /** Workers, each with one request in flight (default [1, 4, 16, 32]). */
  workerLevels?: number[];
  /** Server delay per request, in ms (default 100). */
  delayMs?: number;
  /** Requests per lane (each in-flight slot issues this many, one after the other; default 2). */
  rounds?: number;
  /** Per-request time limit, in ms (default 10000). */
  requestTimeoutMs?: number;
}

/** One level: `concurrency` lanes × `rounds` requests; times in ms, memory growth in MB. */
export interface IoScalingRow {
  mode: "async" | "workers";
  concurrency: number;
  requests: number;
  /** Time to start the workers, in ms (0 for async). */
  startupMs: number;
  /** Time for the requests, in ms (ideal: rounds × delayMs). */
  ms: number;
  /** startupMs + ms. */
  totalMs: number;
  requestsPerSecond: number;
  /** Peak growth of the process's resident memory during the level, in MB. */
  rssDeltaMB: number;
  peakInFlight: number;
}

/** Result of `ioScalingExperiment`. */
export interface IoScalingResult {
  delayMs: number;
  rounds: number;
  rows: IoScalingRow[];
}

/** Sweeps in-flight requests: async lanes vs one worker per lane; time (ms), throughput (req/s), memory (MB). */
export async function ioScalingExperiment(options: IoScalingOptions = {}): Promise<IoScalingResult> {
  checkKnownOptions(RealInputError, "ioScalingExperiment's options", options, [
    "asyncLevels",
    "workerLevels",
    "delayMs",
    "rounds",
    "requestTimeoutMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("ioScalingExperiment", options);
  const asyncLevels = checkIntList(
    "asyncLevels",
    options.asyncLevels ?? [1, 10, 100, 1000],
    1,
    5000,
    "keep in-flight requests at most 5000 (open files)",
  );
  const workerLevels =
    options.workerLevels && options.workerLevels.length === 0
      ? []
      : checkIntList(
          "workerLevels",
          options.workerLevels ?? [1, 4, 16, 32],
          1,
          256,
          "keep workers at most 256: each is a thread with its own heap",
        );
  const delayMs = checkNumber("delayMs", options.delayMs ?? 100, 0, 5000);
  const rounds = checkInt("rounds", options.rounds ?? 2, 1, 100);
  const timeoutMs = checkNumber("requestTimeoutMs", options.requestTimeoutMs ?? 10_000, 1, 60_000);
  const budget =
    (asyncLevels.length + workerLevels.length) * (rounds * delayMs + 1000) +
    workerLevels.reduce((s, w) => s + w * 60, 0) +
    10_000;
  return runBounded("ioScalingExperiment", options, budget, async (res) => {
    const server = await startDelayServer(res, delayMs);
    const rows: IoScalingRow[] = [];
    for (const c of asyncLevels) {
      const meter = rssMeter(res);
      server.resetStats();
      const agent = trackedAgent(res);
      const t0 = performance.now();
      await runLimited(c * rounds, c, () => httpGet(agent, server.url, timeoutMs));
      const ms = performance.now() - t0;
      agent.destroy();
      rows.push({
        mode: "async",
        concurrency: c,
        requests: c * rounds,
        startupMs: 0,
        ms,
        totalMs: ms,
        requestsPerSecond: (c * rounds * 1000) / ms,
        rssDeltaMB: meter.stop(),
        peakInFlight: server.peakInFlight(),
      });
    }
    for (const w of workerLevels) {
      const meter = rssMeter(res);
      server.resetStats();
      const t0 = performance.now();
      const pool = await WorkerPool.start(res, w);
      const startupMs = performance.now() - t0;
      const t1 = performance.now();
      await pool.runOnEach(() => ({ kind: "http", url: server.url, count: rounds, timeoutMs }));
      const ms = performance.now() - t1;
      const rssDeltaMB = meter.stop();
      await pool.close();
      rows.push({
        mode: "workers",
        concurrency: w,
        requests: w * rounds,
        startupMs,
        ms,
        totalMs: startupMs + ms,
        requestsPerSecond: (w * rounds * 1000) / (startupMs + ms),
        rssDeltaMB,
        peakInFlight: server.peakInFlight(),
      });
    }
    return { delayMs, rounds, rows };
  });
}

// Samples resident memory every 5 ms; stop() returns the peak growth in MB since creation.
function rssMeter(res: RealResources): { stop(): number } {
  const base = process.memoryUsage.rss();
  let peak = base;
  const t = res.setInterval(() => {
    const now = process.memoryUsage.rss();
    if (now > peak) peak = now;
  }, 5);
  return {
    stop() {
      res.clearTimer(t);
      peak = Math.max(peak, process.memoryUsage.rss());
      return (peak - base) / (1024 * 1024);
    },
  };
}

function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
