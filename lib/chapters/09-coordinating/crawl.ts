/**
 * A semaphore as a concurrency limiter: a "crawler" fetches `urls` pages with at most `limit` fetches in flight
 * (like p-limit), simulated on lib/sim. The limiter is a SimResource with `limit` slots — a counting semaphore: a
 * fetch takes a permit, holds it while its request is out, and gives it back. The server may have `serverSlots`
 * workers of its own; a request beyond them waits in the server's queue. Times in ms (sim ticks), deterministic.
 */
import { checkOptions } from "../../errors/validate";
import { makeRng, SimEnvironment, type SimGenerator } from "../../sim/index";
import { CoordInputError, wholeNumber } from "./errors";

/** Options of `crawlModel`. */
export interface CrawlOptions {
  /** At most this many fetches in flight (a whole number ≥ 1, or Infinity: no limit). */
  limit: number;
  /** How long the server needs for each page, in ms; default: 12 seeded durations from 20 to 80 ms. */
  durations?: number[];
  /** Seed of the default durations (default 9). */
  seed?: number;
  /** Requests the server works on at once (default Infinity); more wait in its queue. */
  serverSlots?: number;
}

/** One fetch: when it got a permit, when the server started on it, when it ended (ms). */
export interface CrawlFetch {
  url: number;
  start: number;
  serverStart: number;
  end: number;
}

/** Result of `crawlModel`. */
export interface CrawlRun {
  limit: number;
  serverSlots: number;
  fetches: CrawlFetch[];
  /** When the last fetch ended (ms). */
  total: number;
  /** Most fetches in flight at once. */
  peakInFlight: number;
  /** Most requests waiting in the server's queue at once. */
  peakServerQueue: number;
}

/** The default pages: 12 durations from 20 to 80 ms (seeded). */
export function crawlDurations(count = 12, seed = 9): number[] {
  wholeNumber("count", count, 1, 10_000);
  const rng = makeRng(seed);
  return Array.from({ length: count }, () => rng.int(20, 80));
}

/** Peak of overlapping [a, b) intervals (an end at t frees its place before a start at t takes one). */
export function peakOverlap(intervals: { a: number; b: number }[]): number {
  const ev = intervals.flatMap((x) => [
    [x.a, 1],
    [x.b, -1],
  ]);
  ev.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let n = 0;
  let peak = 0;
  for (const [, d] of ev) {
    n += d;
    peak = Math.max(peak, n);
  }
  return peak;
}

const CRAWL_KEYS = ["limit", "durations", "seed", "serverSlots"];

/** Simulates the crawler: every fetch is queued at t = 0 in URL order and runs when it gets a permit. */
export function crawlModel(options: CrawlOptions): CrawlRun {
  if (!options || typeof options !== "object")
    throw new CoordInputError("crawlModel needs options, e.g. crawlModel({ limit: 2 }).");
  checkOptions(CoordInputError, "crawlModel's options", options, CRAWL_KEYS);
  const limit = wholeNumber("limit", options.limit, 1, 1_000_000, true);
  const serverSlots = wholeNumber("serverSlots", options.serverSlots ?? Infinity, 1, 1_000_000, true);
  const durations = options.durations ?? crawlDurations(12, options.seed ?? 9);
  if (!Array.isArray(durations) || durations.length === 0 || durations.some((d) => !(d > 0) || d === Infinity))
    throw new CoordInputError(
      `Expected \`durations\` to be a non-empty list of positive numbers of ms, got ${JSON.stringify(durations)}.`,
    );
  const env = new SimEnvironment();
  const permits = env.resource(limit, "limiter");
  const server = env.resource(serverSlots, "server");
  const fetches: CrawlFetch[] = [];
  function* fetch(url: number, ms: number): SimGenerator<void> {
    const permit = permits.request();
    yield permit; // wait for a permit (down)
    const start = env.now;
    const slot = server.request();
    yield slot; // the request waits in the server's queue while its workers are busy
    const serverStart = env.now;
    yield env.timeout(ms);
    server.release(slot);
    permits.release(permit); // give the permit back (up): the next fetch in line starts now
    fetches.push({ url, start, serverStart, end: env.now });
  }
  durations.forEach((ms, i) => {
    env.process(fetch(i + 1, ms), `fetch ${i + 1}`);
  });
  env.run();
  fetches.sort((x, y) => x.url - y.url);
  return {
    limit,
    serverSlots,
    fetches,
    total: Math.max(...fetches.map((f) => f.end)),
    peakInFlight: peakOverlap(fetches.map((f) => ({ a: f.start, b: f.end }))),
    peakServerQueue: peakOverlap(fetches.map((f) => ({ a: f.start, b: f.serverStart }))),
  };
}

/** The crawler for each limit (default 1, 2, 4 and Infinity) on the same pages. */
export function compareLimits(
  limits: number[] = [1, 2, 4, Infinity],
  options: Omit<CrawlOptions, "limit"> = {},
): CrawlRun[] {
  if (!Array.isArray(limits) || limits.length === 0 || limits.length > 16)
    throw new CoordInputError("Expected `limits` to be a non-empty list (at most 16), e.g. [1, 2, 4, Infinity].");
  // `limit` comes from `limits`: one passed here would be overridden, so it is refused like a typo
  checkOptions(
    CoordInputError,
    "compareLimits' options",
    options,
    CRAWL_KEYS.filter((k) => k !== "limit"),
  );
  return limits.map((limit) => crawlModel({ ...options, limit }));
}

/** "k = 2", "no limit" for Infinity. */
export function limitLabel(limit: number): string {
  return limit === Infinity ? "no limit" : `k = ${limit}`;
}
