/**
 * Chapter 02's sleep demo: what the model forecasts for tasks that only wait, and the verdict beside the real run.
 */
import { checkInt, checkNumber, checkRows } from "../../errors/validate";
import type { SchedResult, SchedTask } from "../../sched/index";
import { runSchedule, SchedInputError } from "../../sched/index";
import { oneAtATime } from "./coffee";

/**
 * The simulation's forecast of seed 001's sleep demo (ms): `tasks` tasks that each wait `sleepMs`, four ways, keyed
 * like the real experiment's modes; and the CPU use each way (percent of one core).
 */
export interface SleepPrediction {
  sequential: number;
  concurrent: number;
  /** Promise.all but every task busy-waits: the wait is CPU work on the one thread. */
  blockingConcurrent: number;
  /** Promise.all but every task blocks the thread (Atomics.wait): the wait holds the thread, not the CPU. */
  atomicsWaitConcurrent: number;
  /** Share of the run the core computes, per way (%): 100 for the busy-wait, 0 for every real wait. */
  cpuPercent: { sequential: number; concurrent: number; blockingConcurrent: number; atomicsWaitConcurrent: number };
}

/**
 * Predict the sleep demo with the scheduler: awaited sleeps are IO (the thread is free), a blocking sleep is IO
 * that holds the one thread (a lock) so nothing else runs, a busy-wait is CPU work.
 */
export function predictSleepDemo(tasks: number, sleepMs: number): SleepPrediction {
  checkInt(SchedInputError, "the number of tasks of predictSleepDemo", tasks, 1, 10_000);
  checkNumber(SchedInputError, "the sleep of predictSleepDemo (ms)", sleepMs, { min: 0, max: 1e7 }, "e.g. 100");
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
  const runs = {
    sequential: runSchedule({ tasks: oneAtATime(ids.map(sleeper)) }),
    concurrent: runSchedule({ tasks: ids.map(sleeper) }),
    blockingConcurrent: runSchedule({ tasks: ids.map(spinner) }),
    atomicsWaitConcurrent: runSchedule({ tasks: oneAtATime(ids.map(sleeper), "the one thread") }),
  };
  const cpu = (r: SchedResult) => (r.makespan > 0 ? Math.round((100 * r.cores[0].running) / r.makespan) : 0);
  return {
    sequential: runs.sequential.makespan,
    concurrent: runs.concurrent.makespan,
    blockingConcurrent: runs.blockingConcurrent.makespan,
    atomicsWaitConcurrent: runs.atomicsWaitConcurrent.makespan,
    cpuPercent: {
      sequential: cpu(runs.sequential),
      concurrent: cpu(runs.concurrent),
      blockingConcurrent: cpu(runs.blockingConcurrent),
      atomicsWaitConcurrent: cpu(runs.atomicsWaitConcurrent),
    },
  };
}

/** Escape text for Markdown (a learner's label must not turn into formatting or HTML). */
export function escapeMarkdown(text: string): string {
  return String(text).replace(/[\\`*_[\]|~<>&]/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`,
  );
}

/**
 * Sentences on how far the measurements (ms) are from the forecast, computed from the rows: how many ran late or
 * early, by how much, and what Node promises about timers. Labels are escaped for Markdown.
 */
export function sleepVerdict(rows: { label: string; predicted: number; measured: number }[]): string {
  if (!Array.isArray(rows) || rows.length === 0) return "No measurements to compare.";
  checkRows(
    SchedInputError,
    "the rows given to sleepVerdict",
    rows,
    ["label", "predicted", "measured"],
    "pass the rows of the sleep demo",
    { max: 1000 },
  );
  const worst = rows.reduce(
    (w, r) => (Math.abs(r.measured - r.predicted) > Math.abs(w.measured - w.predicted) ? r : w),
    rows[0],
  );
  const off = Math.abs(worst.measured - worst.predicted);
  const rel = off / Math.max(worst.predicted, 1);
  const early = rows.filter((r) => r.measured < r.predicted);
  const ms = (x: number) => (x < 1 ? x.toFixed(1) : String(Math.round(x)));
  const timing =
    early.length === 0
      ? `All ${rows.length} ran a little late (by ${ms(Math.min(...rows.map((r) => r.measured - r.predicted)))}` +
        `–${ms(Math.max(...rows.map((r) => r.measured - r.predicted)))} ms), the usual case. `
      : `${early.map((r) => `"${escapeMarkdown(r.label)}"`).join(", ")} finished ` +
        `${early.map((r) => ms(r.predicted - r.measured)).join(", ")} ms *before* the forecast. `;
  const promise =
    'Node promises no exact time: a `setTimeout` callback runs "as close as possible to the time specified" ' +
    "(Node.js docs, Timers). In practice timers are usually a little late, and they can fire up to about 1 ms early " +
    "measured with `performance.now()`, because libuv keeps its loop clock in whole milliseconds.";
  if (rel <= 0.1)
    return (
      `Every measurement is within ${ms(off)} ms of the forecast, and the shape is the one the simulation ` +
      `predicted. ${timing}${promise}`
    );
  return (
    `"${escapeMarkdown(worst.label)}" is ${Math.round(off)} ms off the forecast (${Math.round(rel * 100)} %): this ` +
    "machine is busy with other work, which delays timers and steals CPU. Run the cell again; the shape — one wait " +
    `vs five — stays. ${timing}${promise}`
  );
}
