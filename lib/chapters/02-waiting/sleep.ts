/**
 * Chapter 02's sleep demo: what the model forecasts for tasks that only wait, and the verdict beside the real run.
 */
import type { SchedTask } from "../../sched/index";
import { runSchedule } from "../../sched/index";
import { oneAtATime } from "./coffee";

/** The simulation's forecast of seed 001's sleep demo (ms): `tasks` tasks that each wait `sleepMs`, three ways. */
export interface SleepPrediction {
  sequential: number;
  concurrent: number;
  /** Promise.all but every task busy-waits: the wait is CPU work on the one thread. */
  blockingConcurrent: number;
}

/** Predict the sleep demo with the scheduler: awaited sleeps are IO (the thread is free), a busy-wait is CPU work. */
export function predictSleepDemo(tasks: number, sleepMs: number): SleepPrediction {
  const sleeper = (i: number): SchedTask => ({
    name: `task ${i + 1}`,
    arrival: 0,
    priority: 0,
    segments: [{ kind: "io", duration: sleepMs, device: "timer" }],
  });
  const spinner = (i: number): SchedTask => ({
    name: `task ${i + 1}`,
    arrival: 0,
    priority: 0,
    segments: [{ kind: "cpu", duration: sleepMs }],
  });
  const ids = Array.from({ length: tasks }, (_, i) => i);
  return {
    sequential: runSchedule({ tasks: oneAtATime(ids.map(sleeper)) }).makespan,
    concurrent: runSchedule({ tasks: ids.map(sleeper) }).makespan,
    blockingConcurrent: runSchedule({ tasks: ids.map(spinner) }).makespan,
  };
}

/** One sentence on how far measurements (ms) are from the forecast, computed, for the chapter's prose. */
export function sleepVerdict(rows: { label: string; predicted: number; measured: number }[]): string {
  const worst = rows.reduce(
    (w, r) => (Math.abs(r.measured - r.predicted) > Math.abs(w.measured - w.predicted) ? r : w),
    rows[0],
  );
  const off = Math.abs(worst.measured - worst.predicted);
  const rel = off / Math.max(worst.predicted, 1);
  if (rel <= 0.1)
    return `Every measurement is within ${Math.max(1, Math.round(off))} ms of the forecast: timers are a little late, never early, and the shape is the one the simulation predicted.`;
  return `"${worst.label}" is ${Math.round(off)} ms off the forecast (${Math.round(rel * 100)} %): this machine is busy with other work, which delays timers and steals CPU. Run the cell again; the shape — one wait vs five — stays.`;
}
