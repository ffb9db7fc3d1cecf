/** Checks a workload and a machine before anything runs; every problem is a SchedInputError saying what to change. */
import { checkOptions, describeValue, isPlainObject } from "../errors/validate";
import { SchedInputError } from "./errors";
import type { SchedMachine, SchedTask } from "./types";

function duration(v: unknown, where: string): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1e9)
    throw new SchedInputError(
      `Expected the duration of ${where} to be a finite number of ticks from 0 to 1e9, got ${describeValue(v)}: use e.g. cpu(3) or io(5).`,
    );
}

/** Full machine from a partial one; throws on zero cores, negative switch cost, bad device capacities. */
export function checkMachine(m: Partial<SchedMachine> | undefined): SchedMachine {
  m = checkOptions<SchedMachine>(SchedInputError, "the machine", m, ["cores", "switchCost", "gil", "devices"]);
  const cores = m?.cores ?? 1;
  if (typeof cores !== "number" || !Number.isInteger(cores) || cores < 1 || cores > 4096)
    throw new SchedInputError(
      `Expected \`cores\` to be a whole number ≥ 1, got ${describeValue(cores)}: a machine needs at least one core to run anything (and at most 4096).`,
    );
  const switchCost = m?.switchCost ?? 0;
  if (typeof switchCost !== "number" || !Number.isFinite(switchCost) || switchCost < 0 || switchCost > 1e6)
    throw new SchedInputError(
      `Expected \`switchCost\` to be a finite number of ticks from 0 to 1e6, got ${describeValue(switchCost)}: use 0 for free context switches.`,
    );
  if (m.gil !== undefined && typeof m.gil !== "boolean")
    throw new SchedInputError(`Expected \`gil\` to be true or false, got ${describeValue(m.gil)}.`);
  if (m.devices !== undefined && !isPlainObject(m.devices))
    throw new SchedInputError(
      `Expected \`devices\` to be an object like { disk: 1 } (capacity per device), got ${describeValue(m.devices)}.`,
    );
  // null prototype: a device named "constructor" or "toString" is an ordinary device
  const devices: Record<string, number> = Object.create(null);
  for (const [name, cap] of Object.entries(m?.devices ?? {})) {
    if (typeof cap !== "number" || !(cap >= 1) || (cap !== Infinity && !Number.isInteger(cap)))
      throw new SchedInputError(
        `Expected the capacity of device "${name}" to be a whole number ≥ 1 (or Infinity), got ${String(cap)}: it is how many requests it serves at once.`,
      );
    devices[name] = cap;
  }
  return { cores, switchCost, gil: Boolean(m?.gil), devices };
}

/** Throws on an empty or malformed workload, bad durations, duplicate names, unlock of a lock not held. */
export function checkTasks(tasks: unknown): asserts tasks is SchedTask[] {
  if (!Array.isArray(tasks) || tasks.length === 0 || tasks.length > 100_000)
    throw new SchedInputError(
      `Expected \`tasks\` to be a non-empty array of tasks (at most 100,000), got ${describeValue(tasks)}: build them with task("T1", [cpu(3)]).`,
    );
  const names = new Set<string>();
  tasks.forEach((t: any, i: number) => {
    if (t === null || typeof t !== "object")
      throw new SchedInputError(`Task ${i} is ${describeValue(t)}: build tasks with task("T${i + 1}", [cpu(3)]).`);
    if (typeof t.name !== "string" || t.name === "" || t.name.length > 100)
      throw new SchedInputError(
        `Task ${i} has no usable name (${describeValue(t.name)}): give every task a name of 1 to 100 characters, e.g. task("T${i + 1}", ...).`,
      );
    if (names.has(t.name))
      throw new SchedInputError(
        `Two tasks are named "${t.name}": give every task its own name so the results and charts can tell them apart.`,
      );
    names.add(t.name);
    if (typeof t.arrival !== "number" || !Number.isFinite(t.arrival) || t.arrival < 0 || t.arrival > 1e9)
      throw new SchedInputError(
        `Expected the arrival of task "${t.name}" to be a finite time from 0 to 1e9 (ticks), got ${describeValue(t.arrival)}.`,
      );
    if (typeof t.priority !== "number" || !Number.isFinite(t.priority))
      throw new SchedInputError(
        `Expected the priority of task "${t.name}" to be a finite number, got ${describeValue(t.priority)}.`,
      );
    if (!Array.isArray(t.segments) || t.segments.length > 100_000)
      throw new SchedInputError(
        `Expected the segments of task "${t.name}" to be an array (at most 100,000) like [cpu(3), io(5)], got ${describeValue(t.segments)}.`,
      );
    const held = new Set<string>();
    t.segments.forEach((s: any, k: number) => {
      const where = `segment ${k} of task "${t.name}"`;
      switch (s?.kind) {
        case "cpu":
          duration(s.duration, where);
          break;
        case "io":
          duration(s.duration, where);
          if (typeof s.device !== "string" || s.device === "" || s.device.length > 100)
            throw new SchedInputError(`${where} has no device name: use io(5) or io(5, "disk").`);
          break;
        case "lock":
          if (typeof s.lock !== "string" || s.lock === "" || s.lock === "GIL" || s.lock.length > 100)
            throw new SchedInputError(
              `${where} locks ${describeValue(s.lock)}: name the lock with a non-empty string other than "GIL" (the GIL is a machine option: gil: true).`,
            );
          if (held.has(s.lock))
            throw new SchedInputError(
              `Task "${t.name}" takes lock "${s.lock}" at segment ${k} while already holding it: locks are not re-entrant; add unlock("${s.lock}") before, or remove this lock.`,
            );
          held.add(s.lock);
          break;
        case "unlock":
          if (!held.has(s.lock))
            throw new SchedInputError(
              `Task "${t.name}" unlocks "${s.lock}" at segment ${k} but does not hold it: add lock("${s.lock}") before it, or remove this unlock.`,
            );
          held.delete(s.lock);
          break;
        case "yield":
          break;
        default:
          throw new SchedInputError(
            `${where} is ${describeValue(s)}: use cpu(d), io(d), lock(name), unlock(name) or yieldCpu().`,
          );
      }
    });
  });
}
