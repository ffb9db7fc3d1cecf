/**
 * Chapter 02's own figures: the CPU-share sweep, the coffee bar's utilisation and its timeline.
 */

import { ChapterInputError } from "../../errors";
import { checkInt, checkResult, checkRows } from "../../errors/validate";
import {
  baseLayout,
  type Figure,
  lineFigure,
  type ResourceTimelineOptions,
  resourceTimeline,
  STATE_COLORS,
  seriesColor,
} from "../../plot/index";
import type { SleepDemoResult } from "../../real/index";
import type { SchedResult } from "../../sched/index";
import type { BatchTimes } from "./batches";

/**
 * Chapter 02's sweep: batch time (ticks) sequential vs concurrent as the CPU share of each task grows, with the bound.
 */
export function cpuShareSweepFigure(points: BatchTimes[], tasks: number): Figure {
  checkRows(
    ChapterInputError,
    "the points given to cpuShareSweepFigure",
    points,
    ["cpuShare"],
    "pass a list of what batchTimes(...) returns",
    { min: 1 },
  );
  checkInt(ChapterInputError, "the tasks of cpuShareSweepFigure", tasks, 1, 100_000);
  const x = points.map((p) => Math.round(p.cpuShare * 100));
  return lineFigure(
    [
      { name: `${tasks} tasks, one after another`, x, y: points.map((p) => p.sequential), color: seriesColor(5) },
      {
        name: `${tasks} tasks, concurrently (the core moves on at every wait)`,
        x,
        y: points.map((p) => p.concurrent),
        color: seriesColor(0),
      },
      {
        name: "no schedule can beat: max(total CPU, one task)",
        x,
        y: points.map((p) => p.lowerBound),
        color: "#999",
        dash: "dot",
        markers: false,
      },
      {
        name: "one task alone, either way",
        x,
        y: points.map((p) => p.singleConcurrent),
        color: seriesColor(2),
        dash: "dash",
      },
    ],
    `A batch of ${tasks} tasks on one core: when does concurrency help?`,
    "CPU share of each task (%) — 0 = pure IO wait, 100 = pure computation",
    "time to finish the batch (ticks)",
  );
}

/** Grouped bars per style: share of the time (%) the workers and the coffee machine were busy. */
export function coffeeUtilisationFigure(
  rows: { style: string; workerUtilisation: number; machineUtilisation: number; minutes: number }[],
): Figure {
  checkRows(
    ChapterInputError,
    "the rows given to coffeeUtilisationFigure",
    rows,
    [],
    "pass a list of objects with style, workerUtilisation, machineUtilisation, minutes",
  );
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const labels = rows.map((r) => `${r.style} (${r.minutes} min)`);
  return {
    data: [
      {
        type: "bar",
        name: "workers busy (mean over workers)",
        x: labels,
        y: rows.map((r) => pct(r.workerUtilisation)),
        marker: { color: "#444444" },
        hovertemplate: "%{x}: workers busy %{y}%<extra></extra>",
      },
      {
        type: "bar",
        name: "coffee machine busy",
        x: labels,
        y: rows.map((r) => pct(r.machineUtilisation)),
        marker: { color: "#BBBBBB", line: { color: "#777777", width: 1 } },
        hovertemplate: "%{x}: machine busy %{y}%<extra></extra>",
      },
    ],
    layout: baseLayout("How much of the time each resource was working", "", "busy share of the total time (%)", {
      barmode: "group",
      yaxis: { title: { text: "busy share of the total time (%)" }, range: [0, 100] },
    }),
  };
}

/** The chapter's fixed colours of the coffee bar's jobs, by NAME, so a job keeps its colour in every variant. */
const JOB_COLORS: Record<string, string> = {
  "coffee 1": seriesColor(0),
  "coffee 2": seriesColor(1),
  "coffee 3": seriesColor(2),
  "coffee 4": seriesColor(3),
  "coffee 5": seriesColor(4),
  "refill water": seriesColor(5),
  "wipe counter": seriesColor(7),
  "restock cups": seriesColor(9),
};
/** Colours for jobs without a fixed one (more coffees, a learner's own chores), in order of first appearance. */
const SPARE_COLORS = [seriesColor(8), seriesColor(6), "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#AEC7E8"];

/** Colour of a coffee-bar job, fixed by its name (jobs without a fixed colour take spare ones in order). */
export function coffeeJobColor(name: string, others: string[] = []): string {
  if (JOB_COLORS[name]) return JOB_COLORS[name];
  const k = others.filter((n) => !JOB_COLORS[n]).indexOf(name);
  return SPARE_COLORS[Math.max(k, 0) % SPARE_COLORS.length];
}

/**
 * The coffee bar's timeline: worker rows (jobs dealt to workers in turn, as coffeeRun does) and the machine row;
 * minutes. Each job is drawn in its fixed colour (coffeeJobColor), whatever the variant.
 */
export function coffeeTimeline(
  result: SchedResult,
  opts: Omit<ResourceTimelineOptions, "coreLabel" | "workerOf" | "unit"> = {},
): Figure {
  checkResult(
    ChapterInputError,
    "the result given to coffeeTimeline",
    result,
    ["machine", "tasks"],
    "pass what runSchedule(...) returned",
  );
  const workers = result.machine.cores;
  const fig = resourceTimeline(result, {
    ...opts,
    unit: "minutes",
    coreLabel: (c) => `worker ${c + 1}`,
    workerOf: (t) => t % workers,
  });
  const names = result.tasks.map((t) => t.name);
  for (const trace of fig.data) {
    if (typeof trace.name !== "string" || !names.includes(trace.name)) continue;
    trace.marker = { ...(trace.marker as object), color: coffeeJobColor(trace.name, names) };
  }
  return fig;
}

/** The real sleep demo's ways of sleeping, in the chapter's words. */
export const SLEEP_MODE_LABELS: Record<string, string> = {
  sequential: "sequential await",
  concurrent: "Promise.all + await sleep",
  atomicsWaitConcurrent: "Promise.all + Atomics.wait",
  blockingConcurrent: "Promise.all + busy-wait",
};

/**
 * Gantt of the real sleep demo: one row per task and way of sleeping (ms). Each task's own sleep — the last `sleepMs`
 * of its span — is drawn in the way's colour; the time before it, when the task had started but its sleep could not
 * begin because the one thread was busy with the other tasks' sleeps, in light grey ("waiting for the thread"). The
 * legend gives each way's total time and the process's CPU use (% of one core).
 */
export function sleepDemoFigure(r: SleepDemoResult): Figure {
  checkResult(
    ChapterInputError,
    "the r given to sleepDemoFigure",
    r,
    ["tasks", "sleepMs"],
    "pass what sleepSequentialVsConcurrent(...) returned",
  );
  const label = (mode: string) => SLEEP_MODE_LABELS[mode] ?? mode;
  const row = (mode: string, task: number) => `${label(mode)} · task ${task + 1}`;
  // The sleep itself: the last sleepMs of the span (never longer than the span).
  const sleepStart = (s: { startMs: number; endMs: number }) => Math.max(s.startMs, s.endMs - r.sleepMs);
  const waits = r.runs.flatMap((run) =>
    run.spans.filter((s) => sleepStart(s) - s.startMs >= 1).map((s) => ({ run, s })),
  );
  const sleeping = r.runs.map((run, i) => ({
    type: "bar" as const,
    orientation: "h" as const,
    name: `${label(run.mode)} (${run.totalMs.toFixed(0)} ms, CPU ${Math.round(run.cpuPercent ?? 0)} %)`,
    y: run.spans.map((s) => row(run.mode, s.task)),
    x: run.spans.map((s) => s.endMs - sleepStart(s)),
    base: run.spans.map((s) => sleepStart(s)),
    marker: { color: seriesColor(i) },
    hovertemplate: "%{y}: sleeps %{x:.0f} ms from %{base:.0f} ms<extra></extra>",
  }));
  const waiting = {
    type: "bar" as const,
    orientation: "h" as const,
    name: "started, waiting for the thread",
    y: waits.map(({ run, s }) => row(run.mode, s.task)),
    x: waits.map(({ s }) => sleepStart(s) - s.startMs),
    base: waits.map(({ s }) => s.startMs),
    marker: { color: STATE_COLORS.ready, line: { color: "#9E9E9E", width: 1 } },
    hovertemplate: "%{y}: waits %{x:.0f} ms for the thread from %{base:.0f} ms<extra></extra>",
  };
  return {
    data: [...sleeping, waiting],
    layout: baseLayout(`${r.tasks} tasks that each wait ${r.sleepMs} ms, four ways`, "time since start (ms)", "", {
      barmode: "overlay",
      height: Math.max(320, 170 + 22 * r.runs.reduce((s, run) => s + run.spans.length, 0)),
      yaxis: { autorange: "reversed", automargin: true },
      margin: { l: 220, r: 20, t: 60, b: 110 },
    }),
  };
}
