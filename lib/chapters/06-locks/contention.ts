/**
 * Over-locking, simulated with lib/sched: threads that loop `rounds` times over (work outside the lock, lock,
 * critical section, unlock) on a machine with `cores` cores. Only one thread at a time can be inside the critical
 * section, so throughput can never beat one operation per critical section, however many threads and cores.
 */

import { checkArray, checkKeys, checkResult, checkRows, optInt } from "../../errors/validate";
import { amdahlSpeedup } from "../../real/index";
import type { SchedResult, SchedSegment } from "../../sched/index";
import { cpuSeg, lockSeg, runSchedule, schedMachine, schedTask, unlockSeg } from "../../sched/index";
import { LockInputError } from "./errors";

/** One point of a sweep; times in ticks. */
export interface LockedWorkPoint {
  threads: number;
  cores: number;
  /** Ticks of work inside the lock, and outside it, per operation. */
  critical: number;
  outside: number;
  /** Operations finished per 100 ticks (all threads). */
  throughput: number;
  /** Ticks until the last thread finished. */
  makespan: number;
  /** Share (0..1) of all thread-time spent blocked on the lock. */
  blockedShare: number;
  /** The ceiling: min(threads, cores) / (outside + critical) and 1 / critical, per 100 ticks. */
  bound: number;
}

/** The workload: `threads` tasks T1.. each doing `rounds` × [cpu(outside), lock m, cpu(critical), unlock m]. */
export function lockedWorkTasks(threads: number, critical: number, outside: number, rounds: number) {
  const body: SchedSegment[] = [];
  for (let k = 0; k < rounds; k++) {
    if (outside > 0) body.push(cpuSeg(outside));
    body.push(lockSeg("m"));
    if (critical > 0) body.push(cpuSeg(critical));
    body.push(unlockSeg("m"));
  }
  return Array.from({ length: threads }, (_, i) => schedTask(`T${i + 1}`, body.slice()));
}

/** Simulates one configuration (FIFO scheduling, no switch cost); returns the run and its summary point. */
export function simulateLockedWork(o: {
  threads: number;
  cores: number;
  critical: number;
  outside: number;
  rounds?: number;
}): { point: LockedWorkPoint; run: SchedResult } {
  checkResult(
    LockInputError,
    "the options given to simulateLockedWork",
    o,
    ["threads", "cores"],
    "pass an object with threads, cores, critical, outside",
  );
  checkKeys(LockInputError, "simulateLockedWork's options", o, ["threads", "cores", "critical", "outside", "rounds"]);
  for (const [k, v, min] of [
    ["threads", o.threads, 1],
    ["cores", o.cores, 1],
    ["critical", o.critical, 0],
    ["outside", o.outside, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min || v > 64) {
      throw new LockInputError(
        `Expected \`${k}\` to be a whole number from ${min} to 64, got ${String(v)}: pass e.g. ${k}: 4.`,
      );
    }
  }
  if (o.critical + o.outside === 0) {
    throw new LockInputError(
      "Give each operation some work: make `critical` + `outside` at least 1 tick, e.g. critical: 1.",
    );
  }
  const rounds = optInt(LockInputError, "`rounds`", o.rounds, 20, 1, 10_000, "e.g. rounds: 20");
  const run = runSchedule({
    policy: "FIFO",
    machine: schedMachine({ cores: o.cores }),
    tasks: lockedWorkTasks(o.threads, o.critical, o.outside, rounds),
  });
  const ops = o.threads * rounds;
  const blocked = run.tasks.reduce((s, t) => s + t.blocked, 0);
  const per = o.critical + o.outside;
  const bound = 100 * Math.min(Math.min(o.threads, o.cores) / per, o.critical > 0 ? 1 / o.critical : Infinity);
  return {
    run,
    point: {
      threads: o.threads,
      cores: o.cores,
      critical: o.critical,
      outside: o.outside,
      throughput: (100 * ops) / run.makespan,
      makespan: run.makespan,
      blockedShare: blocked / (o.threads * run.makespan),
      bound,
    },
  };
}

/** Every combination of thread counts and critical-section sizes (ticks), same outside work and cores. */
export function lockedWorkSweep(o: {
  threads: number[];
  critical: number[];
  outside: number;
  cores: number;
  rounds?: number;
}): LockedWorkPoint[] {
  checkResult(
    LockInputError,
    "the options given to lockedWorkSweep",
    o,
    ["threads", "critical"],
    "pass an object with threads, critical, outside, cores",
  );
  checkKeys(LockInputError, "lockedWorkSweep's options", o, ["threads", "critical", "outside", "cores", "rounds"]);
  const out: LockedWorkPoint[] = [];
  for (const k of ["threads", "critical"] as const)
    checkArray(LockInputError, `\`${k}\``, o[k], { min: 1, max: 64 }, `e.g. ${k}: [1, 2, 4]`);
  for (const c of o.critical)
    for (const n of o.threads)
      out.push(
        simulateLockedWork({ threads: n, cores: o.cores, critical: c, outside: o.outside, rounds: o.rounds }).point,
      );
  return out;
}

/**
 * The lock's ceiling is Amdahl's law: with serial fraction f = critical / (critical + outside), the speedup over one
 * thread can never pass 1 / f. One row per thread count of one critical size: simulated speedup, Amdahl's speedup on
 * min(threads, cores) processors, and the ceiling 1 / f. Amdahl assumes the serial part runs with nothing else beside
 * it; a lock only keeps two critical sections apart, so the simulation may beat Amdahl's curve, never its ceiling.
 */
export function amdahlRows(points: readonly LockedWorkPoint[], critical: number): Record<string, number>[] {
  checkRows(
    LockInputError,
    "the points given to amdahlRows",
    points,
    [],
    "pass a list of what lockedWorkSweep(...) returns",
  );
  const pts = points.filter((p) => p.critical === critical).sort((a, b) => a.threads - b.threads);
  const one = pts.find((p) => p.threads === 1);
  if (!one)
    throw new LockInputError(
      `amdahlRows needs the 1-thread point of critical = ${critical} in the sweep: include 1 in \`threads\`.`,
    );
  const f = critical / (critical + one.outside);
  return pts.map((p) => ({
    threads: p.threads,
    "simulated speedup (×)": Number((p.throughput / one.throughput).toFixed(2)),
    "Amdahl, f = critical ÷ (critical + outside) (×)": Number(
      amdahlSpeedup(f, Math.min(p.threads, p.cores)).toFixed(2),
    ),
    "ceiling 1 ÷ f (×)": Number((1 / f).toFixed(2)),
  }));
}
