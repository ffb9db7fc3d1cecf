/**
 * Figures of chapters 02–04 (pure: data → plotly JSON or SVG text). Task i keeps `seriesColor(i)` on every chart.
 */
import type { SchedResult } from "../sched/types";
import { escapeHtml } from "../notebook/html";
import { Figure, STATE_COLORS, baseLayout, seriesColor } from "../plot/figure";
import type { BatchTimes } from "./waiting";

type Bar = { row: string; start: number; end: number; task: number; name: string; what: string };

function barsByTask(bars: Bar[], names: string[]): Figure["data"] {
  const data: Figure["data"] = [];
  names.forEach((name, i) => {
    const mine = bars.filter((b) => b.task === i);
    if (mine.length === 0) return;
    data.push({
      type: "bar", orientation: "h", name,
      y: mine.map((b) => b.row), base: mine.map((b) => b.start), x: mine.map((b) => b.end - b.start),
      customdata: mine.map((b) => [b.what, b.start, b.end]) as any,
      marker: { color: seriesColor(i), line: { color: "white", width: 1 } },
      hovertemplate: `${escapeHtml(name)}: %{customdata[0]}<br>%{customdata[1]} → %{customdata[2]}<extra></extra>`,
    });
  });
  return data;
}

/** Give overlapping intervals separate lanes (first lane free at the start), for devices serving several at once. */
function lanes<T extends { start: number; end: number }>(items: T[]): { item: T; lane: number }[] {
  const ends: number[] = [];
  return [...items].sort((a, b) => a.start - b.start).map((item) => {
    let lane = ends.findIndex((e) => e <= item.start + 1e-9);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = item.end;
    return { item, lane };
  });
}

/** Options of `resourceTimeline`. */
export interface ResourceTimelineOptions {
  title?: string;
  /** Row label of core i (default "core i+1"). */
  coreLabel?: (core: number) => string;
  /** Show the IO devices' rows (default true): the whole system's reference frame. */
  devices?: boolean;
  /** Right end of the time axis, to compare runs by eye. */
  until?: number;
  /** Unit of time in labels (default "ticks"). */
  unit?: string;
}

/**
 * What each resource does over time: one row per core (who runs on it) and, unless `devices: false`, one row per IO
 * device (whose request it serves) — bars coloured by task. Without the devices it is the worker's reference frame.
 */
export function resourceTimeline(result: SchedResult, opts: ResourceTimelineOptions = {}): Figure {
  const unit = opts.unit ?? "ticks";
  const coreLabel = opts.coreLabel ?? ((c: number) => `core ${c + 1}`);
  const names = result.tasks.map((t) => t.name);
  const rows: string[] = Array.from({ length: result.machine.cores }, (_, c) => coreLabel(c));
  const bars: Bar[] = result.trace
    .filter((s) => s.state === "running" && s.end > s.start)
    .map((s) => ({ row: coreLabel(s.core), start: s.start, end: s.end, task: s.task, name: s.name, what: "works on it" }));
  const switching = result.trace.filter((s) => s.state === "switching" && s.end > s.start);
  if (opts.devices ?? true) {
    const devices = [...new Set(result.trace.filter((s) => s.state === "io").map((s) => s.on ?? "io"))];
    for (const d of devices) {
      const placed = lanes(result.trace.filter((s) => s.state === "io" && (s.on ?? "io") === d && s.end > s.start));
      const n = Math.max(1, ...placed.map((p) => p.lane + 1));
      for (let l = 0; l < n; l++) rows.push(n > 1 ? `${d} ${l + 1}` : d);
      for (const { item: s, lane } of placed) bars.push({ row: n > 1 ? `${d} ${lane + 1}` : d, start: s.start, end: s.end, task: s.task, name: s.name, what: `served by ${d}` });
    }
  }
  const data = barsByTask(bars, names);
  if (switching.length) {
    data.unshift({
      type: "bar", orientation: "h", name: "switching", y: switching.map((s) => coreLabel(s.core)), base: switching.map((s) => s.start),
      x: switching.map((s) => s.end - s.start), marker: { color: STATE_COLORS.switching }, hovertemplate: `switching %{base} → %{x}<extra></extra>`,
    });
  }
  const end = Math.max(opts.until ?? 0, result.makespan, 1);
  return {
    data,
    layout: baseLayout(opts.title ?? `Who does what — ${result.policy}`, `time (${unit})`, "", {
      barmode: "overlay", bargap: 0.25,
      height: 230 + 34 * rows.length,
      xaxis: { title: { text: `time (${unit})` }, range: [0, end], dtick: end <= 40 ? 1 : undefined, showgrid: true, gridcolor: "#eee", zeroline: false },
      yaxis: { type: "category", categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      margin: { l: 130, r: 20, t: 60, b: 100 },
    }),
  };
}

/** A line chart of several series over a shared x (e.g. a sweep); `dash` marks predictions or bounds. */
export interface LineSeries {
  name: string;
  x: number[];
  y: number[];
  color?: string;
  dash?: "solid" | "dash" | "dot";
  markers?: boolean;
}

/** Lines with markers, labelled axes (give units in the titles). */
export function lineFigure(series: LineSeries[], title: string, xTitle: string, yTitle: string, extra: { yZero?: boolean; height?: number } = {}): Figure {
  return {
    data: series.map((s, i) => ({
      type: "scatter", mode: s.markers === false ? "lines" : "lines+markers", name: s.name, x: s.x, y: s.y,
      line: { color: s.color ?? seriesColor(i), dash: s.dash ?? "solid", width: s.dash === "dot" ? 2 : 3 },
      marker: { color: s.color ?? seriesColor(i), size: 7 },
    })),
    layout: baseLayout(title, xTitle, yTitle, {
      height: extra.height ?? 400,
      yaxis: { title: { text: yTitle }, rangemode: extra.yZero === false ? "normal" : "tozero", zeroline: false },
      xaxis: { title: { text: xTitle }, zeroline: false },
    }),
  };
}

/** Chapter 02's sweep: batch time (ticks) sequential vs concurrent as the CPU share of each task grows, with the bound. */
export function cpuShareSweepFigure(points: BatchTimes[], tasks: number): Figure {
  const x = points.map((p) => Math.round(p.cpuShare * 100));
  return lineFigure([
    { name: `${tasks} tasks, one after another`, x, y: points.map((p) => p.sequential), color: seriesColor(5) },
    { name: `${tasks} tasks, concurrently (the core moves on at every wait)`, x, y: points.map((p) => p.concurrent), color: seriesColor(0) },
    { name: "no schedule can beat: max(total CPU, one task)", x, y: points.map((p) => p.lowerBound), color: "#999", dash: "dot", markers: false },
    { name: "one task alone, either way", x, y: points.map((p) => p.singleConcurrent), color: seriesColor(2), dash: "dash" },
  ], `A batch of ${tasks} tasks on one core: when does concurrency help?`, "CPU share of each task (%) — 0 = pure IO wait, 100 = pure computation", "time to finish the batch (ticks)");
}

/** Grouped bars: predicted (simulation) vs measured values per label, in the same unit. */
export function predictedVsMeasuredFigure(rows: { label: string; predicted: number; measured: number }[], title: string, yTitle: string): Figure {
  return {
    data: [
      { type: "bar", name: "predicted (simulation)", x: rows.map((r) => r.label), y: rows.map((r) => r.predicted), marker: { color: "#BBBBBB", line: { color: "#777", width: 1 } } },
      { type: "bar", name: "measured on this machine", x: rows.map((r) => r.label), y: rows.map((r) => r.measured), marker: { color: seriesColor(0) } },
    ],
    layout: baseLayout(title, "", yTitle, { barmode: "group", yaxis: { title: { text: yTitle }, rangemode: "tozero" } }),
  };
}

/** Same tasks under several runs (policies, machines): one row per run showing which task each core runs, coloured by task. */
export function policyTimeline(runs: { label: string; result: SchedResult }[], title = "What the CPU runs under each policy", unit = "ticks"): Figure {
  const names = runs[0]?.result.tasks.map((t) => t.name) ?? [];
  const bars: Bar[] = [];
  const switching: Bar[] = [];
  const rows: string[] = [];
  for (const { label, result } of runs) {
    const multi = result.machine.cores > 1;
    for (let c = 0; c < result.machine.cores; c++) rows.push(multi ? `${label} · core ${c + 1}` : label);
    for (const s of result.trace) {
      if (s.end <= s.start) continue;
      const row = multi ? `${label} · core ${s.core + 1}` : label;
      if (s.state === "running") bars.push({ row, start: s.start, end: s.end, task: s.task, name: s.name, what: `runs (${label})` });
      if (s.state === "switching") switching.push({ row, start: s.start, end: s.end, task: s.task, name: s.name, what: "switching" });
    }
  }
  const data = barsByTask(bars, names);
  if (switching.length) data.push({ type: "bar", orientation: "h", name: "switching", y: switching.map((b) => b.row), base: switching.map((b) => b.start), x: switching.map((b) => b.end - b.start), marker: { color: STATE_COLORS.switching } });
  const end = Math.max(1, ...runs.map((r) => r.result.makespan));
  return {
    data,
    layout: baseLayout(title, `time (${unit})`, "", {
      barmode: "overlay", bargap: 0.3, height: 220 + 36 * rows.length,
      xaxis: { title: { text: `time (${unit})` }, range: [0, end], showgrid: true, gridcolor: "#eee", zeroline: false },
      yaxis: { type: "category", categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      margin: { l: 150, r: 20, t: 60, b: 100 },
    }),
  };
}

/** Grouped bars per style: share of the time (%) the workers and the coffee machine were busy. */
export function coffeeUtilisationFigure(rows: { style: string; workerUtilisation: number; machineUtilisation: number; minutes: number }[]): Figure {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const labels = rows.map((r) => `${r.style} (${r.minutes} min)`);
  return {
    data: [
      { type: "bar", name: "workers busy (mean over workers)", x: labels, y: rows.map((r) => pct(r.workerUtilisation)), marker: { color: STATE_COLORS.running }, hovertemplate: "%{x}: workers busy %{y}%<extra></extra>" },
      { type: "bar", name: "coffee machine busy", x: labels, y: rows.map((r) => pct(r.machineUtilisation)), marker: { color: STATE_COLORS.io }, hovertemplate: "%{x}: machine busy %{y}%<extra></extra>" },
    ],
    layout: baseLayout("How much of the time each resource was working", "", "busy share of the total time (%)", {
      barmode: "group", yaxis: { title: { text: "busy share of the total time (%)" }, range: [0, 100] },
    }),
  };
}
