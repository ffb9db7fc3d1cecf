/**
 * Random schedules. "How many schedules lead to an outcome" is not "how likely it is": a scheduler that picks a
 * runnable thread uniformly at every step reaches outcomes with other frequencies than the exact counts of explore.
 * PCT (probabilistic concurrency testing) gives threads random priorities and lowers the running one at a few
 * random steps: it finds bugs that need few, well-placed preemptions.
 */
import { InterleaveOptionError } from "./errors";
import { InterleaveMachine } from "./machine";
import { InterleaveProgram } from "./program";
import { formatSchedule } from "./schedule";
import { makeRng } from "../sim/random";

export interface SampleOptions {
  /** Number of runs (default 1000). */
  runs?: number;
  /** Seed of the random numbers (default 1); same seed, same runs. */
  seed?: number;
  /** "random": uniform pick among runnable threads at each step (default); "pct": random priorities + change points. */
  scheduler?: "random" | "pct";
  /** PCT depth d: d - 1 priority change points (default 2). */
  pctDepth?: number;
  /** A run longer than this many steps is cut (spin loops); default 10,000. */
  maxSteps?: number;
}

export interface SampledOutcome {
  key: string;
  kind: "done" | "deadlock" | "fault";
  /** Number of runs that ended here. */
  runs: number;
  /** runs / total runs (0..1). */
  share: number;
  /** The first sampled schedule that ended here. */
  witness: string;
}

export interface SampleResult {
  runs: number;
  seed: number;
  scheduler: "random" | "pct";
  /** Outcome key → number of runs (keys as in explore's histogram). */
  histogram: Map<string, number>;
  outcomes: SampledOutcome[];
  /** Runs cut at maxSteps. */
  cut: number;
}

/** The course's seeded PRNG (lib/sim makeRng, mulberry32): floats in [0, 1). */
export function interleaveRandom(seed: number): () => number {
  return makeRng(seed).next;
}

function checkInt(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < min)) {
    throw new InterleaveOptionError(`Expected \`${name}\` to be an integer ≥ ${min}, got ${String(v)}: pass a whole number (or leave it out).`);
  }
}

/** Runs `runs` random schedules (seeded) and counts outcomes; counts are runs, shares are fractions 0..1. */
export function sample(program: InterleaveProgram, options: SampleOptions = {}): SampleResult {
  checkInt("runs", options.runs, 1);
  checkInt("seed", options.seed, -2147483648);
  checkInt("pctDepth", options.pctDepth, 1);
  checkInt("maxSteps", options.maxSteps, 1);
  const scheduler = options.scheduler ?? "random";
  if (scheduler !== "random" && scheduler !== "pct") {
    throw new InterleaveOptionError(`Expected \`scheduler\` to be "random" or "pct", got ${JSON.stringify(scheduler)}.`);
  }
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? 1;
  const depth = options.pctDepth ?? 2;
  const maxSteps = options.maxSteps ?? 10_000;
  const m = new InterleaveMachine(program);
  const T = m.nThreads;
  const rand = interleaveRandom(seed);
  const est = Math.max(1, m.code.reduce((s, c) => s + c.length, 0));
  const byKey = new Map<string, SampledOutcome>();
  let cut = 0;
  let v: Int32Array = m.initial();
  let nxt: Int32Array = new Int32Array(v.length);
  const runnable: number[] = [];
  const prio = new Array<number>(T);
  for (let r = 0; r < runs; r++) {
    v = m.initial();
    const path: number[] = [];
    const changes: number[] = [];
    if (scheduler === "pct") {
      const perm = Array.from({ length: T }, (_, i) => i);
      for (let i = T - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [perm[i], perm[j]] = [perm[j], perm[i]]; }
      perm.forEach((t, i) => { prio[t] = depth + i; });
      for (let i = 1; i < depth; i++) changes.push(1 + Math.floor(rand() * est));
    }
    let ended = false;
    while (path.length < maxSteps) {
      runnable.length = 0;
      for (let t = 0; t < T; t++) if (m.canRun(v, t)) runnable.push(t);
      if (runnable.length === 0) { ended = true; break; }
      let t: number;
      if (scheduler === "random") t = runnable[Math.floor(rand() * runnable.length)];
      else {
        t = runnable[0];
        for (const u of runnable) if (prio[u] > prio[t]) t = u;
      }
      m.step(v, t, nxt);
      [v, nxt] = [nxt, v];
      path.push(t);
      const ci = changes.indexOf(path.length);
      if (ci >= 0) prio[t] = ci + 1 - depth; // below every initial priority
    }
    if (!ended) { cut++; continue; }
    const oc = m.outcome(v);
    const o = byKey.get(oc.key);
    if (o) o.runs++;
    else byKey.set(oc.key, { key: oc.key, kind: oc.kind, runs: 1, share: 0, witness: formatSchedule(path) });
  }
  const kindOrder = { done: 0, deadlock: 1, fault: 2 };
  const outcomes = [...byKey.values()].sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.key.localeCompare(b.key, "en", { numeric: true }));
  for (const o of outcomes) o.share = o.runs / runs;
  return { runs, seed, scheduler, histogram: new Map(outcomes.map((o) => [o.key, o.runs])), outcomes, cut };
}
