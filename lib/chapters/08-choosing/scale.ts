/**
 * Why async scales, from true costs: what one more connection costs each model (hand-offs and committed memory,
 * next to the address space a thread only reserves), where async starts to beat threads, and a sweep seen through
 * fewer models (without simulating it again).
 */
import { checkOptions, checkResult } from "../../errors/validate";
import {
  asyncHandOffMs,
  type ChooseCell,
  type ChooseCosts,
  ChooseInputError,
  type ChooseModel,
  type ChoosePoint,
  type ChooseSweep,
  chooseCosts,
  chooseOutcome,
  handOffMs,
  maxThreads,
} from "./sweep";

/** What `threads` OS threads cost next to as many async tasks: per-request hand-offs (µs) and memory (MB). */
export interface ThreadCostRow {
  threads: number;
  /** Two OS-thread hand-offs per request at this many threads (µs). */
  threadHandOffsUs: number;
  /** Two async hand-offs (event-loop turns) per request (µs). */
  asyncHandOffsUs: number;
  /** RAM the threads commit (MB). */
  committedMB: number;
  /** Address space their stacks reserve (MB): not RAM. */
  reservedMB: number;
  /** RAM as many async tasks take (MB). */
  asyncMB: number;
  /** Whether the pool fits under the OS limit and the RAM budget. */
  fits: boolean;
}

/** One row per thread count: hand-offs and memory of threads vs async tasks; `stackMB` is the reservation (8). */
export function threadCostRows(counts: number[], costs: Partial<ChooseCosts> = {}, stackMB = 8): ThreadCostRow[] {
  costs = checkOptions(ChooseInputError, "threadCostRows's options", costs, [
    "cores",
    "processSpawnMs",
    "processMemoryMB",
    "threadCreateMs",
    "threadMemoryMB",
    "memoryBudgetMB",
    "osThreadLimit",
    "threadSwitchMs",
    "switchGrowth",
    "quantumMs",
    "asyncCreateMs",
    "asyncSwitchMs",
    "asyncMemoryMB",
    "messageMs",
  ]) as typeof costs;
  const c = chooseCosts(costs);
  if (!Array.isArray(counts) || counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new ChooseInputError(`Expected \`counts\` to be whole numbers ≥ 1, e.g. [4, 64, 1024], got ${counts}.`);
  const cap = maxThreads(c);
  return counts.map((n) => ({
    threads: n,
    threadHandOffsUs: 2 * handOffMs(n, c) * 1000,
    asyncHandOffsUs: 2 * asyncHandOffMs(n, c) * 1000,
    committedMB: n * c.threadMemoryMB,
    reservedMB: n * stackMB,
    asyncMB: n * c.asyncMemoryMB,
    fits: n <= cap,
  }));
}

/**
 * The fewest connections (searched over powers of two up to `max`, then exactly between the last two) at which
 * `winner` serves all connections more than `tie` sooner than `loser` (ms makespans); null if it never does.
 */
export function crossoverConnections(
  point: Omit<ChoosePoint, "connections">,
  winner: ChooseModel,
  loser: ChooseModel,
  options: { costs?: Partial<ChooseCosts>; tie?: number; max?: number } = {},
): number | null {
  options = checkOptions(ChooseInputError, "crossoverConnections's options", options, [
    "costs",
    "tie",
    "max",
  ]) as typeof options;
  checkResult(
    ChooseInputError,
    "the point given to crossoverConnections",
    point,
    ["cpuShare", "requestMs"],
    "pass a ChoosePoint (without connections), as in the chapter",
  );
  const tie = options.tie ?? 0.05;
  const max = options.max ?? 16384;
  const wins = (n: number) => {
    const p = { ...point, connections: n };
    const w = chooseOutcome(winner, p, options.costs).makespan;
    return w * (1 + tie) < chooseOutcome(loser, p, options.costs).makespan;
  };
  let lo = 0;
  let hi = 1;
  while (hi <= max && !wins(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi > max) return null;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wins(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The same sweep seen through `models` only: winners and ties recomputed from the stored outcomes. */
export function restrictSweep(sweep: ChooseSweep, models: readonly ChooseModel[]): ChooseSweep {
  checkResult(
    ChooseInputError,
    "the sweep given to restrictSweep",
    sweep,
    ["models", "tie"],
    "pass what chooseSweep(...) returned",
  );
  if (!Array.isArray(models) || models.length === 0 || models.some((m) => !sweep.models.includes(m)))
    throw new ChooseInputError(`Expected \`models\` to be some of the sweep's models: ${sweep.models.join(", ")}.`);
  const keep = sweep.models.filter((m) => models.includes(m));
  const cell = (c: ChooseCell): ChooseCell => {
    const outcomes = c.outcomes.filter((o) => keep.includes(o.model));
    const sorted = [...outcomes].sort(
      (a, b) => a.makespan - b.makespan || keep.indexOf(a.model) - keep.indexOf(b.model),
    );
    const best = sorted[0].makespan;
    return {
      point: c.point,
      outcomes,
      winner: sorted[0].model,
      near: sorted.filter((o) => o.makespan <= best * (1 + sweep.tie)).map((o) => o.model),
      margin: sorted.length > 1 ? sorted[1].makespan / Math.max(best, 1e-9) : Infinity,
    };
  };
  return { ...sweep, models: keep, cells: sweep.cells.map((r) => r.map((row) => row.map(cell))) };
}

/** How many cells of a sweep each model wins (the fastest; near-ties are in each cell's `near`). */
export function winCounts(sweep: ChooseSweep): Record<string, number> {
  checkResult(
    ChooseInputError,
    "the sweep given to winCounts",
    sweep,
    ["models", "cells"],
    "pass what chooseSweep(...) returned",
  );
  const out: Record<string, number> = Object.fromEntries(sweep.models.map((m) => [m, 0]));
  for (const c of sweep.cells.flat(2)) out[c.winner]++;
  return out;
}

/** One comparison of `crossoverRows`: async against GIL threads (default) or threads without a GIL. */
export interface CrossoverCase {
  label: string;
  costs: Partial<ChooseCosts>;
  loser?: "threadsGil" | "threads";
}

/** What decides where async starts to win: the hand-off gap per request and the crossover with and without growth. */
export interface CrossoverRow {
  comparison: string;
  /** 2 × (thread hand-off − async hand-off) per request, µs; without a GIL the threads' part ÷ cores (they run at
   * once on every core). */
  gapUs: number;
  /** tie × request time ÷ gap: where the queued gaps reach the tie margin (null when the gap is ≤ 0). */
  estimate: number | null;
  /** crossoverConnections with the costs as given (switchGrowth 0 unless set) and with `growth` on both sides. */
  crossover: number | null;
  crossoverWithGrowth: number | null;
}

/** The crossover of async over threads for each case, with the arithmetic that decides it (`growth` default 0.25). */
export function crossoverRows(
  point: Omit<ChoosePoint, "connections">,
  cases: CrossoverCase[],
  options: { growth?: number; tie?: number; max?: number } = {},
): CrossoverRow[] {
  options = checkOptions(ChooseInputError, "crossoverRows's options", options, [
    "growth",
    "tie",
    "max",
  ]) as typeof options;
  checkResult(
    ChooseInputError,
    "the point given to crossoverRows",
    point,
    ["requestMs"],
    "pass a ChoosePoint (without connections), as in the chapter",
  );
  if (!Array.isArray(cases) || cases.length === 0)
    throw new ChooseInputError("Expected `cases` to list at least one { label, costs } to compare.");
  const growth = options.growth ?? 0.25;
  const tie = options.tie ?? 0.05;
  return cases.map(({ label, costs, loser = "threadsGil" }) => {
    const c = chooseCosts(costs);
    const spread = loser === "threads" ? c.cores : 1;
    const gapUs = 2 * (c.threadSwitchMs / spread - c.asyncSwitchMs) * 1000;
    const at = (g: number) =>
      crossoverConnections(point, "async", loser, { costs: { ...c, switchGrowth: g }, tie, max: options.max });
    return {
      comparison: label,
      gapUs,
      estimate: gapUs > 0 ? Math.round((tie * point.requestMs * 1000) / gapUs) : null,
      crossover: at(c.switchGrowth),
      crossoverWithGrowth: at(growth),
    };
  });
}
