/**
 * Random schedules. "How many schedules lead to an outcome" is not "how likely it is": a scheduler that picks a
 * runnable thread uniformly at every step reaches outcomes with other frequencies than the exact counts of explore.
 * PCT (probabilistic concurrency testing) gives threads random priorities and lowers the running one at a few
 * random steps: it finds bugs that need few, well-placed preemptions. Both are schedulers of ./scheduler, and so can
 * be your own: `sample(program, { scheduler: (runnable, last, step) => runnable[0] })`. When a signal has several
 * sleepers, "random" wakes one of them uniformly, "pct" the one with the highest priority, and a scheduler without a
 * `wake` method the lowest-numbered one.
 */
import { checkOptions } from "../errors/validate";
import { InterleaveOptionError } from "./errors";
import { InterleaveMachine } from "./machine";
import type { InterleaveProgram } from "./program";
import { formatSchedule } from "./schedule";
import {
  asScheduler,
  type InterleaveScheduler,
  pctScheduler,
  randomScheduler,
  runMachine,
  type SchedulerFunction,
} from "./scheduler";

export interface SampleOptions {
  /** Number of runs (default 1000). */
  runs?: number;
  /** Seed of the random numbers (default 1); same seed, same runs. */
  seed?: number;
  /**
   * "random": uniform pick among runnable threads at each step (default); "pct": random priorities + change points;
   * or your own scheduler: a function (runnable, last, step) => thread, or an InterleaveScheduler (./scheduler).
   */
  scheduler?: "random" | "pct" | SchedulerFunction | InterleaveScheduler;
  /** PCT depth d: d - 1 priority change points (default 2). */
  pctDepth?: number;
  /** A run still going after this many steps is cut (spin loops); default 10,000. */
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
  /** "random", "pct", or the name of your scheduler ("custom" when it has none). */
  scheduler: string;
  /** Outcome key → number of runs (keys as in explore's histogram). */
  histogram: Map<string, number>;
  outcomes: SampledOutcome[];
  /** Runs cut at maxSteps. */
  cut: number;
}

function checkInt(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < min)) {
    throw new InterleaveOptionError(
      `Expected \`${name}\` to be an integer ≥ ${min}, got ${String(v)}: pass a whole number (or leave it out).`,
    );
  }
}

/** The most runs one call of sample takes, and the most steps of all its runs together. */
const MAX_SAMPLE_RUNS = 10_000_000;
const MAX_SAMPLE_STEPS = 1e8;

/** Runs `runs` schedules (random ones are seeded) and counts outcomes; counts are runs, shares are fractions 0..1. */
export function sample(program: InterleaveProgram, opts: SampleOptions = {}): SampleResult {
  const options: SampleOptions = checkOptions<SampleOptions>(
    InterleaveOptionError,
    "the options object of sample",
    opts,
    ["runs", "seed", "scheduler", "pctDepth", "maxSteps"],
  );
  checkInt("runs", options.runs, 1);
  checkInt("seed", options.seed, -2147483648);
  checkInt("pctDepth", options.pctDepth, 1);
  checkInt("maxSteps", options.maxSteps, 1);
  const chosen = options.scheduler ?? "random";
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? 1;
  const maxSteps = options.maxSteps ?? 10_000;
  // Bounded work: at most MAX_SAMPLE_STEPS steps in all, counted as the runs go (a short program may take many
  // runs; a loop may take maxSteps each), plus plain upper limits on the two options.
  if (runs > MAX_SAMPLE_RUNS)
    throw new InterleaveOptionError(
      `Expected \`runs\` ≤ ${MAX_SAMPLE_RUNS.toLocaleString("en")}, got ${runs}: a sample of 1,000–100,000 runs ` +
        "already shows every outcome that is not very rare; lower `runs`.",
    );
  if (maxSteps > MAX_SAMPLE_STEPS)
    throw new InterleaveOptionError(
      `Expected \`maxSteps\` ≤ 1e8, got ${maxSteps}: a run that takes longer does not end; lower \`maxSteps\`.`,
    );
  const scheduler =
    chosen === "random"
      ? randomScheduler(seed)
      : chosen === "pct"
        ? pctScheduler(seed, options.pctDepth ?? 2)
        : typeof chosen === "function" || (typeof chosen === "object" && chosen !== null)
          ? asScheduler(chosen)
          : null;
  if (scheduler === null) {
    throw new InterleaveOptionError(
      `Expected \`scheduler\` to be "random" or "pct" (or your own scheduler: a ` +
        `function or an object with next), got ${JSON.stringify(chosen)}.`,
    );
  }
  const m = new InterleaveMachine(program);
  const byKey = new Map<string, SampledOutcome>();
  let cut = 0;
  let steps = 0;
  for (let r = 1; r <= runs; r++) {
    const run = runMachine(m, scheduler, maxSteps, r);
    steps += run.path.length;
    if (steps > MAX_SAMPLE_STEPS && r < runs)
      throw new InterleaveOptionError(
        `sample stopped after ${r.toLocaleString("en")} of ${runs.toLocaleString("en")} runs: they took ` +
          `${steps.toExponential(1)} steps, and at most 1e8 finish in seconds. Lower \`runs\`, or \`maxSteps\` ` +
          "if the runs are cut by it.",
      );
    if (!run.ended) {
      cut++;
      continue;
    }
    const oc = m.outcome(run.state);
    const o = byKey.get(oc.key);
    if (o) o.runs++;
    else
      byKey.set(oc.key, {
        key: oc.key,
        kind: oc.kind,
        runs: 1,
        share: 0,
        witness: formatSchedule(run.path, run.wakes),
      });
  }
  const kindOrder = { done: 0, deadlock: 1, fault: 2 };
  const outcomes = [...byKey.values()].sort(
    (a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.key.localeCompare(b.key, "en", { numeric: true }),
  );
  for (const o of outcomes) o.share = o.runs / runs;
  const name = typeof chosen === "string" ? chosen : scheduler.name || "custom";
  return { runs, seed, scheduler: name, histogram: new Map(outcomes.map((o) => [o.key, o.runs])), outcomes, cut };
}
