/**
 * The OSTEP contract: CPU-only jobs described by their length. With every job arriving at 0 and no switch cost the
 * numbers equal OSTEP's cpu-sched simulator (ties broken by job order; RR moves on as soon as a job finishes).
 */
import { checkArray, checkOptions, describeValue, isPlainObject, optInt, optNumber } from "../errors/validate";
import { runSchedule } from "./engine";
import { SchedInputError } from "./errors";
import type { PolicyName, SchedPolicyOptions } from "./policies/index";
import type { SchedPolicy, SchedResult, SchedTask, SchedTraceSegment } from "./types";

/** Options of runJobs (times in ticks). */
export interface RunJobsOptions extends SchedPolicyOptions {
  policy: PolicyName | SchedPolicy;
  jobs: { length: number; arrival?: number; priority?: number }[];
  switchCost?: number;
  /** Default 1. */
  cores?: number;
}

/** Per-job metrics (ticks), in the order the jobs were given. */
export interface JobResult {
  name: string;
  length: number;
  arrival: number;
  response: number;
  turnaround: number;
  wait: number;
}

export interface RunJobsResult {
  policy: string;
  jobs: JobResult[];
  averages: { response: number; turnaround: number; wait: number };
  trace: SchedTraceSegment[];
  /** The full result of the underlying runSchedule (utilisation, makespan, switches...). */
  result: SchedResult;
}

/** Run CPU-only jobs `{ length, arrival? }` (ticks) under a policy; job i is named `J${i}`. */
export function runJobs(opts: RunJobsOptions): RunJobsResult {
  if (opts === undefined || opts === null || typeof opts !== "object")
    throw new SchedInputError(
      `Expected { policy, jobs: [{ length }] }, got ${describeValue(opts)}: pass e.g. { policy: "RR", jobs: [{ length: 5 }] }.`,
    );
  const o = checkOptions<RunJobsOptions & { maxEvents: number }>(SchedInputError, "runJobs' options", opts, [
    "policy",
    "jobs",
    "switchCost",
    "cores",
    "quantum",
    "aging",
    "levels",
    "boost",
    "maxEvents",
  ]);
  const jobs = checkArray<RunJobsOptions["jobs"][number]>(
    SchedInputError,
    "`jobs`",
    o.jobs,
    { min: 1, max: 100_000 },
    "pass e.g. [{ length: 5 }, { length: 3 }]",
  );
  const tasks: SchedTask[] = jobs.map((j, i) => {
    if (!isPlainObject(j))
      throw new SchedInputError(`Job ${i} is ${describeValue(j)}: describe each job as { length: 5 }.`);
    checkOptions(SchedInputError, `job ${i}`, j, ["length", "arrival", "priority"]);
    const len = j.length;
    if (typeof len !== "number" || !Number.isFinite(len) || len <= 0 || len > 1e9)
      throw new SchedInputError(
        `Expected the length of job ${i} to be a finite number of ticks from > 0 to 1e9, got ${describeValue(len)}: every job needs some CPU work.`,
      );
    return {
      name: `J${i}`,
      segments: [{ kind: "cpu", duration: len }],
      arrival: optNumber(SchedInputError, `the arrival of job ${i}`, j.arrival, 0, { min: 0, max: 1e9 }),
      priority: optNumber(SchedInputError, `the priority of job ${i}`, j.priority, 0, { min: -1e6, max: 1e6 }),
    };
  });
  const result = runSchedule({
    policy: o.policy,
    quantum: o.quantum,
    aging: o.aging,
    levels: o.levels,
    boost: o.boost,
    maxEvents: o.maxEvents,
    tasks,
    machine: {
      cores: optInt(SchedInputError, "`cores`", o.cores, 1, 1, 4096),
      switchCost: optNumber(SchedInputError, "`switchCost`", o.switchCost, 0, { min: 0, max: 1e6 }),
    },
  });
  return {
    policy: result.policy,
    jobs: result.tasks.map((t) => ({
      name: t.name,
      length: t.cpu,
      arrival: t.arrival,
      response: t.response,
      turnaround: t.turnaround,
      wait: t.wait,
    })),
    averages: result.averages,
    trace: result.trace,
    result,
  };
}
