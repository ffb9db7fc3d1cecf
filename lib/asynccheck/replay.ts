/**
 * replayAsync: runs one schedule of a program and records a step table (who took the step, which operation, the
 * value read or written, the store and locks after it), as the figures and the step-through player show it.
 */
import { AsyncCheckError } from "./errors";
import { checkOptions, checkProgram, guarded, verdict } from "./program";
import { AsyncRun, formatSchedule } from "./run";
import type { AsyncCheckOptions, AsyncProgram, AsyncReplay, AsyncStepRow } from "./types";

/** "1 2 2 1", "1,2,2,1" or [1, 2, 2, 1] → 0-based task indices; throws a named error on anything else. */
export function parseSchedule(schedule: unknown, tasks: number): number[] {
  let parts: unknown[];
  if (typeof schedule === "string")
    parts =
      schedule.trim() === ""
        ? []
        : schedule
            .trim()
            .split(/[\s,]+/)
            .map(Number);
  else if (Array.isArray(schedule)) parts = schedule;
  else {
    throw new AsyncCheckError("bad-schedule", 'A schedule is a string of task numbers like "1 2 2 1" or an array.');
  }
  return parts.map((t, k) => {
    if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > tasks) {
      throw new AsyncCheckError(
        "bad-schedule",
        `Entry ${k + 1} of the schedule is ${String(t)}: use task numbers from 1 to ${tasks}.`,
      );
    }
    return t - 1;
  });
}

/** Runs `schedule` (1-based task numbers, one per step) and returns its step table. */
export async function replayAsync(
  program: AsyncProgram,
  schedule: string | number[],
  options?: AsyncCheckOptions,
): Promise<AsyncReplay> {
  const prog = checkProgram(program);
  const limits = checkOptions(options);
  const order = parseSchedule(schedule, prog.tasks.length);
  let run: AsyncRun | null = null;
  const where = () => (run ? formatSchedule(run.schedule) : "");
  return guarded(limits, where, async (guard) => {
    const r = new AsyncRun(prog, guard);
    run = r;
    try {
      const initial = r.storeJson();
      await r.start();
      const blockedNow = () => r.slots.flatMap((s, i) => (s.status !== "done" && !r.enabled(i) ? [i + 1] : []));
      const blockedAtStart = blockedNow();
      const steps: AsyncStepRow[] = [];
      let firstViolation: AsyncReplay["firstViolation"] = null;
      if (prog.invariant) {
        const v = verdict("invariant", prog.invariant, r.store, "");
        if (v !== null) firstViolation = { step: 0, message: v };
      }
      for (let k = 0; k < order.length; k++) {
        const t = order[k];
        if (!r.enabled(t)) {
          const can = r.enabledTasks().map((i) => i + 1);
          const why = r.slots[t].status === "done" ? "has finished" : "is waiting";
          throw new AsyncCheckError(
            "bad-schedule",
            `Step ${k + 1} of the schedule names task ${t + 1}, which ${why}: ` +
              (can.length ? `tasks that can move here: ${can.join(", ")}.` : "no task can move here (the run ended)."),
            formatSchedule(order.slice(0, k + 1)),
          );
        }
        const eff = await r.step(t);
        const v = prog.invariant ? verdict("invariant", prog.invariant, r.store, formatSchedule(r.schedule)) : null;
        if (v !== null && firstViolation === null) firstViolation = { step: k + 1, message: v };
        steps.push({
          step: k + 1,
          task: t + 1,
          operation: eff.operation,
          value: eff.value,
          store: r.storeJson(),
          locks: r.locksHeld(),
          violation: v,
          finished: r.slots.flatMap((s, i) => (s.status === "done" ? [i + 1] : [])),
          blocked: blockedNow(),
        });
      }
      const moving = r.enabledTasks().length > 0;
      const status = r.allDone() ? "complete" : moving ? "partial" : "deadlock";
      const finalViolation =
        status === "complete" && prog.final ? verdict("final", prog.final, r.store, formatSchedule(order)) : null;
      return {
        schedule: formatSchedule(order),
        initial,
        final: r.storeJson(),
        steps,
        status,
        waits: status === "deadlock" ? r.waits() : [],
        finalViolation,
        firstViolation,
        tasks: prog.tasks.length,
        blockedAtStart,
      };
    } finally {
      r.kill();
    }
  });
}
