/**
 * Seed 001's decision rule, written as code, and how often the simulated sweep agrees with it.
 *
 *   if io_bound:  if io_very_slow: asyncio  else: threads
 *   else:         multiprocessing
 */
import { checkResult } from "../../errors/validate";
import {
  type ChooseCell,
  ChooseInputError,
  type ChooseModel,
  type ChoosePoint,
  type ChooseSweep,
  requestShape,
} from "./sweep";

/** What the rule recommends. */
export type RulePick = "processes" | "threads" | "async";

/** Thresholds that turn the rule's words into numbers. */
export interface RuleOptions {
  /** "IO bound" means the CPU share is below this (default 0.5). */
  ioBoundBelow?: number;
  /** "IO very slow" means the IO latency is at least this many ms (default 10). */
  slowIoMs?: number;
  /**
   * Also call it "async" when there are more connections than this, however fast the IO (default Infinity: the seed's
   * code).
   */
  manyConnections?: number;
}

/** The seed's rule at one point: processes for CPU-bound, async for slow IO, threads otherwise. */
export function seedRule(point: ChoosePoint, options: RuleOptions = {}): RulePick {
  checkResult(
    ChooseInputError,
    "the point given to seedRule",
    point,
    ["cpuShare", "connections"],
    "pass a ChoosePoint, as in the chapter",
  );
  const { ioMs } = requestShape(point);
  const ioBoundBelow = options.ioBoundBelow ?? 0.5;
  const slow = options.slowIoMs ?? 10;
  const many = options.manyConnections ?? Infinity;
  if (!(ioBoundBelow >= 0 && ioBoundBelow <= 1))
    throw new ChooseInputError(`Expected \`ioBoundBelow\` from 0 to 1, got ${ioBoundBelow}.`);
  if (point.cpuShare >= ioBoundBelow) return "processes";
  return ioMs >= slow || point.connections > many ? "async" : "threads";
}

/** The sweep's models that count as the rule's pick: "threads" is threadsGil (Python) or threads (no GIL). */
export function ruleModels(pick: RulePick, sweepModels: readonly ChooseModel[]): ChooseModel[] {
  if (pick === "threads") return sweepModels.filter((m) => m === "threads" || m === "threadsGil");
  return sweepModels.filter((m) => m === pick);
}

/** True if the rule's pick is among the cell's near-winners. */
export function ruleAgrees(cell: ChooseCell, models: readonly ChooseModel[], options: RuleOptions = {}): boolean {
  checkResult(
    ChooseInputError,
    "the cell given to ruleAgrees",
    cell,
    ["point", "near"],
    "pass a cell of a sweep, e.g. sweepCell(sweep, point)",
  );
  const want = ruleModels(seedRule(cell.point, options), models);
  return cell.near.some((m) => want.includes(m));
}

/**
 * Agreement of the rule with one sweep: share of cells where its pick ties or wins, and the cells where it does not.
 */
export function ruleAgreement(
  sweep: ChooseSweep,
  options: RuleOptions = {},
): { agree: number; total: number; share: number; disagreements: ChooseCell[] } {
  checkResult(
    ChooseInputError,
    "the sweep given to ruleAgreement",
    sweep,
    ["models", "cells"],
    "pass what chooseSweep(...) returned",
  );
  const all = sweep.cells.flat(2);
  const disagreements = all.filter((c) => !ruleAgrees(c, sweep.models, options));
  return {
    agree: all.length - disagreements.length,
    total: all.length,
    share: (all.length - disagreements.length) / all.length,
    disagreements,
  };
}
