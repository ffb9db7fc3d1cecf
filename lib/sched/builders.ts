/**
 * Pleasant builders for notebooks:
 *   const { task, cpu, io, lock, unlock, yieldCpu } = sched;
 *   task("T1", [cpu(3), io(5), cpu(2)], { arrival: 0, priority: 1 })
 * Durations are in ticks. Validation happens when the workload is run (one place, one set of messages).
 */
import type { SchedMachine, SchedSegment, SchedTask } from "./types";

/** CPU work of `duration` ticks (needs a core, and the GIL if the machine has one). */
export function cpuSeg(duration: number): SchedSegment {
  return { kind: "cpu", duration };
}
/** An IO wait of `duration` ticks on `device` (default "io"); the core is free meanwhile. */
export function ioSeg(duration: number, device = "io"): SchedSegment {
  return { kind: "io", duration, device };
}
/** Take the named lock (wait, blocked, while another task holds it). Takes no time. */
export function lockSeg(name: string): SchedSegment {
  return { kind: "lock", lock: name };
}
/** Release the named lock (the task must hold it); the first waiter gets it. Takes no time. */
export function unlockSeg(name: string): SchedSegment {
  return { kind: "unlock", lock: name };
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
  return { name, segments, arrival: opts.arrival ?? 0, priority: opts.priority ?? 0 };
}

/** A machine: 1 core, no switch cost, no GIL, unlisted IO devices serve everyone at once, unless told otherwise. */
export function schedMachine(opts: Partial<SchedMachine> = {}): SchedMachine {
  return {
    cores: opts.cores ?? 1,
    switchCost: opts.switchCost ?? 0,
    gil: opts.gil ?? false,
    devices: { ...(opts.devices ?? {}) },
  };
}

/** Repeat a list of segments `times` times (e.g. a loop of compute + await). */
export function repeatSegs(times: number, segments: SchedSegment[]): SchedSegment[] {
  const out: SchedSegment[] = [];
  for (let i = 0; i < times; i++) out.push(...segments);
  return out;
}
