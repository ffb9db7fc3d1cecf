/** Random workloads from a seed (for experiments and invariant tests) and a helper to compare policies. */
import {
  checkArray,
  checkChoice,
  checkInt,
  checkName,
  checkObject,
  checkOptions,
  optInt,
  optNumber,
} from "../errors/validate";
import { makeRng } from "../sim/random";
import { runSchedule, type SchedOptions } from "./engine";
import { SchedInputError } from "./errors";
import type { PolicyName } from "./policies/index";
import { POLICIES } from "./policies/index";
import type { SchedResult, SchedSegment, SchedTask } from "./types";

/** Shape of a random workload; times in ticks. */
export interface RandomTasksOptions {
  count: number;
  seed: number;
  /** Bursts of CPU work per task (default 1..3), each of 1..maxCpu ticks (default 10). */
  maxBursts?: number;
  maxCpu?: number;
  /**
   * Chance an IO wait of 1..maxIo ticks (default 10) follows a burst (default 0.5), on one of `devices` (default
   * ["io"]).
   */
  ioChance?: number;
  maxIo?: number;
  devices?: string[];
  /** Chance a burst is a critical section of one of `locks` (default 0 / []). */
  lockChance?: number;
  locks?: string[];
  /** Chance of a voluntary yield after a burst (default 0). */
  yieldChance?: number;
  /** Arrivals spread over 0..maxArrival ticks (default 0: all at 0); priorities 0..maxPriority (default 0). */
  maxArrival?: number;
  maxPriority?: number;
}

/**
 * `count` random tasks T0, T1, ... from `seed`: the same seed always gives the same workload. Never deadlocks (one lock
 * at a time).
 */
export function randomTasks(o: RandomTasksOptions): SchedTask[] {
  checkObject(SchedInputError, "randomTasks' options", o, "pass e.g. { count: 5, seed: 1 }");
  checkOptions(SchedInputError, "randomTasks' options", o, [
    "count",
    "seed",
    "maxBursts",
    "maxCpu",
    "ioChance",
    "maxIo",
    "devices",
    "lockChance",
    "locks",
    "yieldChance",
    "maxArrival",
    "maxPriority",
  ]);
  checkInt(SchedInputError, "`count`", o.count, 1, 10_000);
  checkInt(SchedInputError, "`seed`", o.seed, -(2 ** 31), 2 ** 32, "pass a whole number, e.g. seed: 1");
  optInt(SchedInputError, "`maxBursts`", o.maxBursts, 3, 1, 1000);
  optInt(SchedInputError, "`maxCpu`", o.maxCpu, 10, 1, 1e6);
  optInt(SchedInputError, "`maxIo`", o.maxIo, 10, 1, 1e6);
  optInt(SchedInputError, "`maxArrival`", o.maxArrival, 0, 0, 1e6);
  optInt(SchedInputError, "`maxPriority`", o.maxPriority, 0, 0, 1e6);
  for (const k of ["ioChance", "lockChance", "yieldChance"] as const)
    optNumber(SchedInputError, `\`${k}\``, o[k], 0, { min: 0, max: 1 });
  const names = (k: "devices" | "locks", v: unknown, min: number) =>
    checkArray<string>(SchedInputError, `\`${k}\``, v, { min, max: 100 }, 'e.g. ["disk", "net"]').map((d, i) =>
      checkName(SchedInputError, `${k}[${i}]`, d),
    );
  const rng = makeRng(o.seed);
  const devices = o.devices === undefined ? ["io"] : names("devices", o.devices, 1);
  const locks = o.locks === undefined ? [] : names("locks", o.locks, 0);
  const tasks: SchedTask[] = [];
  for (let i = 0; i < o.count; i++) {
    const segs: SchedSegment[] = [];
    const bursts = rng.int(1, o.maxBursts ?? 3);
    for (let b = 0; b < bursts; b++) {
      const work: SchedSegment = { kind: "cpu", duration: rng.int(1, o.maxCpu ?? 10) };
      if (locks.length && rng.chance(o.lockChance ?? 0)) {
        const l = rng.pick(locks);
        segs.push({ kind: "lock", lock: l }, work, { kind: "unlock", lock: l });
      } else segs.push(work);
      if (rng.chance(o.yieldChance ?? 0)) segs.push({ kind: "yield" });
      if (b < bursts - 1 && rng.chance(o.ioChance ?? 0.5))
        segs.push({ kind: "io", duration: rng.int(1, o.maxIo ?? 10), device: rng.pick(devices) });
    }
    tasks.push({
      name: `T${i}`,
      segments: segs,
      arrival: rng.int(0, o.maxArrival ?? 0),
      priority: rng.int(0, o.maxPriority ?? 0),
    });
  }
  return tasks;
}

/** Run the same workload and machine under several policies; one result per policy, in the order given. */
export function comparePolicies(base: Omit<SchedOptions, "policy">, policies: readonly PolicyName[]): SchedResult[] {
  checkObject(SchedInputError, "the base of comparePolicies", base, 'pass e.g. { tasks: [task("A", [cpu(3)])] }');
  checkArray(SchedInputError, "the policies of comparePolicies", policies, { min: 1, max: 20 }, 'e.g. ["FIFO", "RR"]');
  for (const [i, p] of policies.entries()) checkChoice(SchedInputError, `policy ${i + 1}`, p, POLICIES);
  return policies.map((policy) => runSchedule({ ...base, policy }));
}
