/**
 * The OSTEP contract: CPU-only jobs described by their length. With every job arriving at 0 and no switch cost the
 * numbers equal OSTEP's cpu-sched simulator (ties broken by job order; RR moves on as soon as a job finishes).
 */
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
  if (opts === null || typeof opts !== "object")
    throw new SchedInputError(`Expected { policy, jobs: [{ length }] }, got ${String(opts)}.`);
  const { jobs } = opts;
  if (!Array.isArray(jobs) || jobs.length === 0)
    throw new SchedInputError(
      `Expected \`jobs\` to be a non-empty array like [{ length: 5 }, { length: 3 }], got ${Array.isArray(jobs) ? "[]" : String(jobs)}.`,
    );
  const tasks: SchedTask[] = jobs.map((j, i) => {
    const len = j?.length;
    if (typeof len !== "number" || !Number.isFinite(len) || len <= 0)
      throw new SchedInputError(
        `Expected the length of job ${i} to be a finite number of ticks > 0, got ${String(len)}: every job needs some CPU work.`,
      );
    return {
      name: `J${i}`,
      segments: [{ kind: "cpu", duration: len }],
      arrival: j.arrival ?? 0,
      priority: j.priority ?? 0,
    };
  });
  const result = runSchedule({ ...opts, tasks, machine: { cores: opts.cores ?? 1, switchCost: opts.switchCost ?? 0 } });
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
