/**
 * A semaphore-limited "crawler" on this machine: `urls` GET requests to a loopback server that answers each after
 * `delayMs`, with at most `limit` in flight (k lanes over one list: `runLimited`, a tiny p-limit). Per limit: the
 * wall time, the most requests in flight as the client saw them and as the server saw them, and each request's start
 * and end. Bounded in time; the server, its sockets and the agent are closed at the end.
 */
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkNumber, checkOptions, RealInputError } from "./errors";
import { type RealLimits, runBounded } from "./resources";
import { httpGet, runLimited, startDelayServer, trackedAgent } from "./server";

/** Options of `crawlExperiment`; the defaults take about 0.7 s. */
export interface CrawlExperimentOptions extends RealLimits {
  /** Requests per run (default 12). */
  urls?: number;
  /** The server's delay per request, ms (default 30). */
  delayMs?: number;
  /** Concurrency limits to run, one run each (default [1, 2, 4, Infinity]; Infinity: all at once). */
  limits?: number[];
}

/** One request: start and end in ms since its run began. */
export interface CrawlRequestTime {
  start: number;
  end: number;
}

/** One run of `crawlExperiment`. */
export interface CrawlExperimentRun {
  limit: number;
  totalMs: number;
  /** Most requests in flight at once, counted by the client (started, not yet answered). */
  peakInFlight: number;
  /** Most requests the server worked on at once. */
  serverPeak: number;
  requests: CrawlRequestTime[];
}

/** Result of `crawlExperiment`. */
export interface CrawlExperimentResult {
  urls: number;
  delayMs: number;
  runs: CrawlExperimentRun[];
}

/** Fetches `urls` pages from a loopback delay server with each concurrency limit in turn. */
export async function crawlExperiment(options: CrawlExperimentOptions = {}): Promise<CrawlExperimentResult> {
  checkKnownOptions(RealInputError, "crawlExperiment's options", options, [
    "urls",
    "delayMs",
    "limits",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("crawlExperiment", options);
  const urls = checkInt("urls", options.urls ?? 12, 1, 2000);
  const delayMs = checkNumber("delayMs", options.delayMs ?? 30, 0, 2000);
  const limits = options.limits ?? [1, 2, 4, Infinity];
  if (!Array.isArray(limits) || limits.length === 0)
    throw new RealInputError("Expected `limits` to list concurrency limits, e.g. [1, 2, 4, Infinity].");
  limits.forEach((k, i) => {
    if (k !== Infinity) checkInt(`limits[${i}]`, k, 1, 2000, "pass a whole number ≥ 1, or Infinity");
  });
  const worst = limits.length * (urls * delayMs + 2000);
  return runBounded("crawlExperiment", options, Math.min(600_000, worst + 5000), async (res) => {
    const server = await startDelayServer(res, delayMs);
    const agent = trackedAgent(res);
    // warm-up: open a few keep-alive sockets so the first run does not pay for connecting
    await Promise.all(Array.from({ length: Math.min(urls, 4) }, () => httpGet(agent, server.url, 5000 + delayMs)));
    const runs: CrawlExperimentRun[] = [];
    for (const limit of limits) {
      server.resetStats();
      const requests: CrawlRequestTime[] = Array.from({ length: urls }, () => ({ start: NaN, end: NaN }));
      let inFlight = 0;
      let peak = 0;
      const t0 = performance.now();
      await runLimited(urls, limit === Infinity ? urls : limit, async (i) => {
        requests[i].start = performance.now() - t0;
        peak = Math.max(peak, ++inFlight);
        await httpGet(agent, server.url, 5000 + delayMs);
        inFlight--;
        requests[i].end = performance.now() - t0;
      });
      runs.push({
        limit,
        totalMs: performance.now() - t0,
        peakInFlight: peak,
        serverPeak: server.peakInFlight(),
        requests,
      });
    }
    return { urls, delayMs, runs };
  });
}
