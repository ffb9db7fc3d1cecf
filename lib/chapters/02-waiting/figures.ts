/**
 * Chapter 02's own figures: the CPU-share sweep, the coffee bar's utilisation and its timeline.
 */

import {
  baseLayout,
  type Figure,
  lineFigure,
  type ResourceTimelineOptions,
  resourceTimeline,
  seriesColor,
} from "../../plot/index";
import type { SchedResult } from "../../sched/index";
import type { BatchTimes } from "./batches";

/**
 * Chapter 02's sweep: batch time (ticks) sequential vs concurrent as the CPU share of each task grows, with the bound.
 */
export function cpuShareSweepFigure(points: BatchTimes[], tasks: number): Figure {
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

/**
 * The coffee bar's timeline: worker rows (jobs dealt to workers in turn, as coffeeRun does) and the machine row;
 * minutes.
 */
export function coffeeTimeline(
  result: SchedResult,
  opts: Omit<ResourceTimelineOptions, "coreLabel" | "workerOf" | "unit"> = {},
): Figure {
  const workers = result.machine.cores;
  return resourceTimeline(result, {
    ...opts,
    unit: "minutes",
    coreLabel: (c) => `worker ${c + 1}`,
    workerOf: (t) => t % workers,
  });
}
