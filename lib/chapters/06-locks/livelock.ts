/**
 * Livelock, in one small model: two threads on two cores each need locks A and B, taken in opposite orders (T1: A
 * then B, T2: B then A) with try-lock. A thread that finds its second lock taken releases its first one, backs off
 * and tries again — the cure for deadlock that breaks "hold and wait". If both back off for the same time they retry
 * in lock step forever: both busy, nobody progresses (livelock). A random back-off (seeded) breaks the symmetry.
 *
 * A model in whole ticks: each tick, every thread acts once, all against the lock state at the start of the tick
 * (two cores, truly at the same time). Taking a lock and trying the second one are one tick each; the work holding
 * both takes `work` ticks. Left out: caches, wake-up latency, fairness of real mutexes.
 */
import { checkInt, checkKeys, checkRows, describeValue } from "../../errors/validate";
import { makeRng } from "../../sim/index";
import { LockInputError } from "./errors";

/** Options of `politeThreads` (ticks). */
export interface LivelockOptions {
  /** "fixed": both wait exactly `backoff` ticks after a failed try; "random": a whole number from 1 to `backoff`. */
  backoff: "fixed" | "random";
  /** Ticks (fixed) or the largest number of ticks (random) of one back-off (default 2). */
  maxBackoff?: number;
  /** Ticks of work while holding both locks (default 3). */
  work?: number;
  /** Ticks simulated (default 60). */
  horizon?: number;
  /** Seed of the random back-off (default 1). */
  seed?: number;
}

/** One thread's fate in `politeThreads`. */
export interface LivelockThread {
  name: string;
  /** Times it took its first lock and tried its second. */
  attempts: number;
  /** Tick at which it finished its work, or null if it never did within the horizon. */
  finish: number | null;
  /** Ticks it spent holding one lock (busy, but no progress). */
  holdingOneTicks: number;
}

/** Result of `politeThreads`. */
export interface LivelockResult {
  backoff: "fixed" | "random";
  horizon: number;
  threads: LivelockThread[];
  /** One letter per tick and thread: "a" taking the first lock, "t" trying the second, "." backing off, "W" working
   * with both, "✓" done. */
  timeline: string[];
}

type Phase = "first" | "second" | "backoff" | "work" | "done";

/** Simulates the two polite threads; deterministic for a given seed. */
export function politeThreads(options: LivelockOptions): LivelockResult {
  if (options === null || typeof options !== "object")
    throw new LockInputError('Expected options like { backoff: "fixed" } or { backoff: "random", seed: 1 }.');
  checkKeys(LockInputError, "politeThreads' options", options, ["backoff", "maxBackoff", "work", "horizon", "seed"]);
  const { backoff } = options;
  if (backoff !== "fixed" && backoff !== "random")
    throw new LockInputError(`Expected \`backoff\` to be "fixed" or "random", got ${describeValue(backoff)}.`);
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new LockInputError(`Expected \`${name}\` to be a whole number from ${min} to ${max}, got ${String(v)}.`);
    return v;
  };
  const maxBackoff = whole("maxBackoff", options.maxBackoff ?? 2, 1, 100);
  const work = whole("work", options.work ?? 3, 1, 100);
  const horizon = whole("horizon", options.horizon ?? 60, 1, 10_000);
  const rng = makeRng(options.seed ?? 1);
  const order = [
    ["A", "B"],
    ["B", "A"],
  ];
  const owner: Record<string, number | null> = { A: null, B: null };
  const st = [0, 1].map((i) => ({
    name: `T${i + 1}`,
    phase: "first" as Phase,
    until: 0,
    attempts: 0,
    finish: null as number | null,
    holdingOneTicks: 0,
  }));
  const timeline = ["", ""];
  for (let tick = 0; tick < horizon; tick++) {
    const before = { ...owner };
    const free = (l: string, me: number) => before[l] === null || before[l] === me;
    const acts: string[] = [];
    st.forEach((t, i) => {
      const [first, second] = order[i];
      if (t.phase === "backoff" && tick >= t.until) t.phase = "first";
      if (t.phase === "work" && tick >= t.until) {
        owner[first] = owner[second] = null;
        t.phase = "done";
        t.finish = tick;
      }
      let mark = "✓";
      if (t.phase === "first") {
        if (free(first, i)) {
          owner[first] = i;
          t.phase = "second";
          t.attempts++;
          mark = "a";
        } else {
          t.phase = "backoff";
          t.until = tick + (backoff === "fixed" ? maxBackoff : rng.int(1, maxBackoff));
          mark = ".";
        }
      } else if (t.phase === "second") {
        t.holdingOneTicks++;
        if (free(second, i)) {
          owner[second] = i;
          t.phase = "work";
          t.until = tick + 1 + work;
          mark = "t";
        } else {
          owner[first] = null; // polite: give the first lock back and try again later
          t.phase = "backoff";
          t.until = tick + 1 + (backoff === "fixed" ? maxBackoff : rng.int(1, maxBackoff));
          mark = "t";
        }
      } else if (t.phase === "backoff") mark = ".";
      else if (t.phase === "work") mark = "W";
      acts.push(mark);
    });
    acts.forEach((m, i) => {
      timeline[i] += m;
    });
  }
  return {
    backoff,
    horizon,
    threads: st.map((t) => ({
      name: t.name,
      attempts: t.attempts,
      finish: t.finish,
      holdingOneTicks: t.holdingOneTicks,
    })),
    timeline,
  };
}

/** Table rows: per back-off policy and thread, attempts, finish tick and the first ticks of its timeline. */
export function livelockRows(results: readonly LivelockResult[], shown = 40): Record<string, unknown>[] {
  checkRows(
    LockInputError,
    "the results given to livelockRows",
    results,
    ["threads"],
    "pass politeThreads(...) results",
  );
  checkInt(LockInputError, "`shown`", shown, 1, 10_000);
  return results.flatMap((r) =>
    r.threads.map((t, i) => ({
      "back-off": r.backoff,
      thread: t.name,
      attempts: t.attempts,
      "finished at tick": t.finish ?? `not within ${r.horizon}`,
      [`first ${shown} ticks (a take, t try, . back off, W work)`]: r.timeline[i].slice(0, shown),
    })),
  );
}
