/**
 * Figures of chapters 02–04 (pure: data → plotly JSON or SVG text). Task i keeps `seriesColor(i)` on every chart.
 */
import type { SchedResult } from "../sched/types";
import { escapeHtml } from "../notebook/html";
import { Figure, STATE_COLORS, baseLayout, seriesColor } from "../plot/figure";
import type { BatchTimes } from "./waiting";
import type { SpeedupResult } from "../real/speedup";
import { creationCosts, predictPoolMs } from "./models";
import type { RrPoint } from "./policies";

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
  /** Row of task i's work: the worker it belongs to (default: the core it ran on). For workers bound to their jobs. */
  workerOf?: (task: number) => number;
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
    .map((s) => ({ row: coreLabel(opts.workerOf ? opts.workerOf(s.task) : s.core), start: s.start, end: s.end, task: s.task, name: s.name, what: "works on it" }));
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
      { type: "bar", name: "workers busy (mean over workers)", x: labels, y: rows.map((r) => pct(r.workerUtilisation)), marker: { color: "#444444" }, hovertemplate: "%{x}: workers busy %{y}%<extra></extra>" },
      { type: "bar", name: "coffee machine busy", x: labels, y: rows.map((r) => pct(r.machineUtilisation)), marker: { color: "#BBBBBB", line: { color: "#777777", width: 1 } }, hovertemplate: "%{x}: machine busy %{y}%<extra></extra>" },
    ],
    layout: baseLayout("How much of the time each resource was working", "", "busy share of the total time (%)", {
      barmode: "group", yaxis: { title: { text: "busy share of the total time (%)" }, range: [0, 100] },
    }),
  };
}

/** The coffee bar's timeline: worker rows (jobs dealt to workers in turn, as coffeeRun does) and the machine row; minutes. */
export function coffeeTimeline(result: SchedResult, opts: Omit<ResourceTimelineOptions, "coreLabel" | "workerOf" | "unit"> = {}): Figure {
  const workers = result.machine.cores;
  return resourceTimeline(result, { ...opts, unit: "minutes", coreLabel: (c) => `worker ${c + 1}`, workerOf: (t) => t % workers });
}

/** A copy of a figure with layout keys replaced (e.g. a taller margin for a long legend). */
export function withLayout(figure: Figure, extra: Figure["layout"]): Figure {
  return { ...figure, layout: { ...figure.layout, ...extra } };
}

/**
 * Seed 001's nesting as SVG: a computer holds cores and processes; a process holds threads (sharing its memory);
 * a thread runs coroutines (async functions) one at a time. Labelled with the JavaScript names. 900 px wide.
 */
export function executionNestingSvg(title = "Process ⊃ thread ⊃ coroutine, in Node.js terms"): string {
  const box = (x: number, y: number, w: number, h: number, fill: string, stroke: string, label: string, sub = "") =>
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10" fill="${fill}" stroke="${stroke}" stroke-width="2"/>` +
    `<text x="${x + 12}" y="${y + 22}" font-size="15" font-weight="600" fill="${stroke}">${escapeHtml(label)}</text>` +
    (sub ? `<text x="${x + 12}" y="${y + 40}" font-size="12" fill="#555">${escapeHtml(sub)}</text>` : "");
  const coro = (x: number, y: number, label: string, color: string) =>
    `<rect x="${x}" y="${y}" width="104" height="30" rx="15" fill="white" stroke="${color}" stroke-width="2"/>` +
    `<text x="${x + 52}" y="${y + 20}" font-size="12" text-anchor="middle">${escapeHtml(label)}</text>`;
  const thread = (x: number, y: number, w: number, label: string, sub: string, coros: string[]) =>
    box(x, y, w, 110, "#fff8e6", "#B07700", label, sub) + coros.map((c, i) => coro(x + 12 + i * 116, y + 62, c, seriesColor(i))).join("");
  const h = 470;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 ${h}" width="900" height="${h}" role="img" aria-label="${escapeHtml(title)}" style="max-width:100%;height:auto;font-family:system-ui,sans-serif">` +
    `<rect width="900" height="${h}" fill="white"/>` +
    `<text x="20" y="30" font-size="18" font-weight="600">${escapeHtml(title)}</text>` +
    box(20, 45, 860, 410, "#f6f6f6", "#555", "The computer: a CPU with cores — any thread of any process may run on any core") +
    box(40, 100, 530, 340, "#eaf3fb", "#0072B2", "Process 1: node (its own memory)", "threads of one process share its memory (SharedArrayBuffer)") +
    thread(60, 155, 490, "main thread: one event loop", "async functions take turns at each await — coroutines", ["async fn 1", "async fn 2", "async fn 3", "async fn 4"]) +
    thread(60, 310, 490, "worker_threads Worker: its own loop", "its own isolate: no shared variables, messages", ["async fn 5", "async fn 6"]) +
    box(590, 100, 270, 190, "#e6f5ef", "#00785a", "Process 2: child_process", "separate memory; talks by pipes") +
    thread(605, 155, 240, "its main thread", "its own event loop", ["async fn 7"]) +
    `<text x="600" y="325" font-size="14" font-weight="600" fill="#333">Python → Node.js</text>` +
    `<text x="600" y="350" font-size="13" fill="#333">multiprocessing → child_process</text>` +
    `<text x="600" y="372" font-size="13" fill="#333">   (or worker_threads for CPU work)</text>` +
    `<text x="600" y="397" font-size="13" fill="#333">threading → worker_threads</text>` +
    `<text x="600" y="422" font-size="13" fill="#333">asyncio → async/await, Promises</text>` +
    `</svg>`
  );
}

/** Measured speedup of a worker pool (lib/real speedupExperiment) over the simulation's forecasts without and with a GIL. */
export function speedupForecastFigure(sp: SpeedupResult): Figure {
  const taskMs = sp.sequentialMs.median / sp.tasks;
  const w = sp.points.map((p) => p.workers);
  const forecast = (gil: boolean) => w.map((n) => (sp.tasks * taskMs) / predictPoolMs(sp.tasks, taskMs, n, sp.cores, gil));
  return lineFigure([
    { name: "measured: worker_threads pool", x: w, y: sp.points.map((p) => p.speedup), color: seriesColor(0) },
    { name: `forecast: processes/workers on ${sp.cores} cores`, x: w, y: forecast(false), color: "#777", dash: "dash" },
    { name: "forecast: threads with a GIL", x: w, y: forecast(true), color: seriesColor(1), dash: "dot" },
  ], `${sp.tasks} CPU tasks of about ${taskMs.toFixed(0)} ms: speedup over the main thread`, "workers", "speedup (×)");
}

/** Creation-overhead forecast: batch time (ms) by work per task (ms), log–log, for one thread, a worker per task and a pool. */
export function creationCostFigure(o: { tasks: number; works: number[]; startMs: number; dispatchMs: number; cores: number }): Figure {
  const costs = o.works.map((w) => creationCosts({ tasks: o.tasks, workMs: w, startMs: o.startMs, cores: o.cores, dispatchMs: o.dispatchMs }));
  const fig = lineFigure([
    { name: "one thread, one after another", x: o.works, y: costs.map((c) => c.sequential), color: "#777" },
    { name: "a new worker per task", x: o.works, y: costs.map((c) => c.workerPerTask), color: seriesColor(5) },
    { name: `a pool of ${o.cores} workers, started once`, x: o.works, y: costs.map((c) => c.pool), color: seriesColor(2) },
  ], `${o.tasks} tasks: batch time by work per task (forecast from measured start costs)`, "work per task (ms, log scale)", "batch time (ms, log scale)");
  return withLayout(fig, { xaxis: { type: "log", title: { text: "work per task (ms, log scale)" } }, yaxis: { type: "log", title: { text: "batch time (ms, log scale)" } } });
}

/** Chapter 04's round-robin sweep: average response and turnaround (ticks) by quantum, one line style per switch cost. */
export function rrSweepFigure(points: RrPoint[], title = "Round robin: the quantum's trade-off"): Figure {
  const costs = [...new Set(points.map((p) => p.switchCost))];
  const series: LineSeries[] = [];
  for (const key of ["response", "turnaround"] as const)
    costs.forEach((cost, k) => {
      const mine = points.filter((p) => p.switchCost === cost);
      series.push({ name: `avg ${key}, ${cost === 0 ? "free switches" : `switch = ${cost}`}`, x: mine.map((p) => p.quantum), y: mine.map((p) => p[key]), color: seriesColor(key === "response" ? 0 : 5), dash: k === 0 ? "solid" : "dash" });
    });
  return lineFigure(series, title, "quantum (ticks)", "average time (ticks)");
}
