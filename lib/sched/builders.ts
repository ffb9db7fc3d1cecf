/**
 * Pleasant builders for notebooks:
 *   const { task, cpu, io, lock, unlock, yieldCpu } = sched;
 *   task("T1", [cpu(3), io(5), cpu(2)], { arrival: 0, priority: 1 })
 * Durations are in ticks. Validation happens when the workload is run (one place, one set of messages).
 */
import { checkArray, checkInt, checkName, checkNumber, checkOptions } from "../errors/validate";
import { SchedInputError } from "./errors";
import type { SchedMachine, SchedSegment, SchedTask } from "./types";

/** Longest duration of one segment, in ticks (a simulated day at 1 tick = 1 ms is 8.64e7). */
export const MAX_TICKS = 1e9;

function ticks(what: string, v: unknown): number {
  return checkNumber(SchedInputError, what, v, { min: 0, max: MAX_TICKS }, "use e.g. cpu(3) or io(5)");
}

/** CPU work of `duration` ticks (needs a core, and the GIL if the machine has one). */
export function cpuSeg(duration: number): SchedSegment {
  return { kind: "cpu", duration: ticks("the duration of cpu(...)", duration) };
}
/** An IO wait of `duration` ticks on `device` (default "io"); the core is free meanwhile. */
export function ioSeg(duration: number, device = "io"): SchedSegment {
  return {
    kind: "io",
    duration: ticks("the duration of io(...)", duration),
    device: checkName(SchedInputError, "the device of io(...)", device, 'name it, e.g. io(5, "disk")'),
  };
}
/** Take the named lock (wait, blocked, while another task holds it). Takes no time. */
export function lockSeg(name: string): SchedSegment {
  return { kind: "lock", lock: checkName(SchedInputError, "the name of lock(...)", name, 'e.g. lock("L")') };
}
/** Release the named lock (the task must hold it); the first waiter gets it. Takes no time. */
export function unlockSeg(name: string): SchedSegment {
  return { kind: "unlock", lock: checkName(SchedInputError, "the name of unlock(...)", name, 'e.g. unlock("L")') };
}
/** Give up the core voluntarily and go to the back of the ready queue (an `await` on an event loop). */
export function yieldSeg(): SchedSegment {
  return { kind: "yield" };
}

/** A task named `name`; `arrival` in ticks (default 0), `priority` (default 0, higher runs first under PRIORITY). */
export function schedTask(
  name: string,
  segments: SchedSegment[],
  opts: { arrival?: number; priority?: number } = {},
): SchedTask {
  checkName(SchedInputError, "the name of task(...)", name, 'e.g. task("T1", [cpu(3)])');
  checkArray(SchedInputError, `the segments of task "${name}"`, segments, { max: 100_000 }, "e.g. [cpu(3), io(5)]");
  const o = checkOptions<{ arrival: number; priority: number }>(SchedInputError, `task "${name}"'s options`, opts, [
    "arrival",
    "priority",
  ]);
  const arrival = o.arrival === undefined ? 0 : ticks(`the arrival of task "${name}"`, o.arrival);
  const priority =
    o.priority === undefined
      ? 0
      : checkNumber(SchedInputError, `the priority of task "${name}"`, o.priority, { min: -1e6, max: 1e6 });
  return { name, segments, arrival, priority };
}

/** A machine: 1 core, no switch cost, no GIL, unlisted IO devices serve everyone at once, unless told otherwise. */
export function schedMachine(opts: Partial<SchedMachine> = {}): SchedMachine {
  opts = checkOptions<SchedMachine>(SchedInputError, "machine(...)'s options", opts, [
    "cores",
    "switchCost",
    "gil",
    "devices",
  ]);
  return {
    cores: opts.cores ?? 1,
    switchCost: opts.switchCost ?? 0,
    gil: opts.gil ?? false,
    devices: { ...(opts.devices ?? {}) },
  };
}

/** Repeat a list of segments `times` times (e.g. a loop of compute + await). */
export function repeatSegs(times: number, segments: SchedSegment[]): SchedSegment[] {
  checkInt(SchedInputError, "the count of repeat(...)", times, 0, 100_000);
  checkArray(
    SchedInputError,
    "the segments of repeat(...)",
    segments,
    { max: 100_000 },
    "e.g. repeat(3, [cpu(1), io(2)])",
  );
  if (times * segments.length > 100_000)
    throw new SchedInputError(
      `repeat(${times}, …) of ${segments.length} segment(s) makes ${times * segments.length} segments; at most ` +
        `100,000 are allowed: repeat fewer times.`,
    );
  const out: SchedSegment[] = [];
  for (let i = 0; i < times; i++) out.push(...segments);
  return out;
}
