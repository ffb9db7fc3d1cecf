/** The policy registry: names, defaults and validation of policy options. */
import { SchedInputError } from "../errors";
import type { SchedPolicy } from "../types";
import { cooperativePolicy } from "./cooperative";
import { fifoPolicy } from "./fifo";
import { mlfqPolicy } from "./mlfq";
import { priorityPolicy } from "./priority";
import { rrPolicy } from "./rr";
import { sjfPolicy } from "./sjf";
import { stcfPolicy } from "./stcf";

/** Every built-in policy name. */
export const POLICIES = ["FIFO", "SJF", "STCF", "RR", "PRIORITY", "MLFQ", "COOPERATIVE"] as const;
export type PolicyName = (typeof POLICIES)[number];

/** Options of the built-in policies (ticks). */
export interface SchedPolicyOptions {
  /** RR time slice (default 1); MLFQ top-level slice (default 1); PRIORITY round robin among equals (default none). */
  quantum?: number;
  /** PRIORITY: every `aging` ticks waiting raise priority by 1 (default: no aging). */
  aging?: number;
  /** MLFQ: number of queues (default 3). */
  levels?: number;
  /** MLFQ: period of the boost that moves every task back to the top queue (default: never). */
  boost?: number;
}

function positive(name: string, v: number | undefined, hint: string): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
    throw new SchedInputError(`Expected \`${name}\` to be a number > 0 (ticks), got ${String(v)}: ${hint}`);
}

/**
 * A fresh policy instance (policies may keep per-run state). Throws SchedInputError for unknown names or bad options.
 */
export function makePolicy(name: PolicyName | string, opts: SchedPolicyOptions = {}): SchedPolicy {
  positive("quantum", opts.quantum, "pass a positive quantum, e.g. quantum: 2.");
  positive(
    "aging",
    opts.aging,
    "pass the ticks of waiting that raise priority by one, e.g. aging: 10, or leave it out.",
  );
  positive("boost", opts.boost, "pass the boost period in ticks, e.g. boost: 50, or leave it out.");
  if (opts.levels !== undefined && (!Number.isInteger(opts.levels) || opts.levels < 1))
    throw new SchedInputError(
      `Expected \`levels\` to be a whole number ≥ 1, got ${String(opts.levels)}: MLFQ needs at least one queue, e.g. levels: 3.`,
    );
  const key = typeof name === "string" ? name.toUpperCase() : name;
  switch (key) {
    case "FIFO":
    case "FCFS":
      return fifoPolicy();
    case "SJF":
      return sjfPolicy();
    case "STCF":
    case "SRTF":
      return stcfPolicy();
    case "RR":
      return rrPolicy(opts.quantum ?? 1);
    case "PRIORITY":
      return priorityPolicy(opts.quantum ?? Infinity, opts.aging ?? Infinity);
    case "MLFQ":
      return mlfqPolicy(opts.quantum ?? 1, opts.levels ?? 3, opts.boost ?? Infinity);
    case "COOPERATIVE":
      return cooperativePolicy();
  }
  throw new SchedInputError(
    `Unknown policy ${JSON.stringify(name)}: use one of ${POLICIES.join(", ")} (or pass your own SchedPolicy object).`,
  );
}

export { cooperativePolicy, fifoPolicy, mlfqPolicy, priorityPolicy, rrPolicy, sjfPolicy, stcfPolicy };
