/** Summary charts of scheduling runs: utilisation of cores and devices, per-task metrics, policy comparison. */
import { checkOptions, checkResult, checkRows } from "../errors/validate";
import type { SchedResult } from "../sched/types";
import { FigureInputError } from "./errors";
import { baseLayout, type Figure, STATE_COLORS, seriesColor } from "./figure";
import { escapeHtml } from "./html";

const pct = (x: number) => Math.round(x * 1000) / 10;

/** Stacked bars per core (running / switching / idle) and per IO device (busy / idle), in % of the makespan. */
export function schedUtilisationChart(result: SchedResult, title?: string): Figure {
  checkResult(
    FigureInputError,
    "the result given to schedUtilisationChart",
    result,
    ["policy", "cores"],
    "pass what runSchedule(...) returned",
  );
  const span = result.makespan || 1;
  const labels = [...result.cores.map((c) => `core ${c.core + 1}`), ...result.devices.map((d) => `${d.device} (IO)`)];
  const running = [...result.cores.map((c) => pct(c.running / span)), ...result.devices.map(() => 0)];
  const switching = [...result.cores.map((c) => pct(c.switching / span)), ...result.devices.map(() => 0)];
  const io = [...result.cores.map(() => 0), ...result.devices.map((d) => pct(d.utilisation))];
  const idle = labels.map((_, i) => Math.max(0, Math.round((100 - running[i] - switching[i] - io[i]) * 10) / 10));
  const bar = (name: string, y: number[], color: string) => ({
    type: "bar" as const,
    name,
    x: labels,
    y,
    marker: { color, line: { color: "#BDBDBD", width: 1 } },
    hovertemplate: `%{x}: ${name} %{y}%<extra></extra>`,
  });
  return {
    data: [
      bar("running", running, STATE_COLORS.running),
      bar("switching", switching, STATE_COLORS.switching),
      bar("IO busy", io, STATE_COLORS.io),
      bar("idle", idle, STATE_COLORS.idle),
    ],
    layout: baseLayout(
      title ?? `Utilisation over ${result.makespan} ticks — ${result.policy}`,
      "resource",
      "share of the makespan (%)",
      {
        barmode: "stack",
        yaxis: { title: { text: "share of the makespan (%)" }, range: [0, 100] },
      },
    ),
  };
}

/** Grouped bars per task: response, turnaround and wait (ticks). */
export function schedTaskMetricsChart(result: SchedResult, title?: string): Figure {
  checkResult(
    FigureInputError,
    "the result given to schedTaskMetricsChart",
    result,
    ["policy", "tasks"],
    "pass what runSchedule(...) returned",
  );
  const names = result.tasks.map((t) => t.name);
  const metric = (key: "response" | "turnaround" | "wait", i: number) => ({
    type: "bar" as const,
    name: key,
    x: names,
    y: result.tasks.map((t) => t[key]),
    marker: { color: seriesColor(i) },
    hovertemplate: `%{x}: ${key} %{y} ticks<extra></extra>`,
  });
  return {
    data: [metric("response", 0), metric("turnaround", 1), metric("wait", 2)],
    layout: baseLayout(title ?? `Per task — ${result.policy}`, "task", "time (ticks)", { barmode: "group" }),
  };
}

/** Same workload, several policies: grouped bars of average response, turnaround and wait (ticks). */
export function policyComparisonChart(
  results: SchedResult[],
  opts: { labels?: string[]; title?: string } = {},
): Figure {
  opts = checkOptions(FigureInputError, "policyComparisonChart's options", opts, ["labels", "title"]) as typeof opts;
  checkRows(
    FigureInputError,
    "the results given to policyComparisonChart",
    results,
    [],
    "pass a list of what runSchedule(...) returns",
  );
  const labels = opts.labels ?? results.map((r) => r.policy);
  const metric = (key: "response" | "turnaround" | "wait", i: number) => ({
    type: "bar" as const,
    name: `average ${key}`,
    x: labels,
    y: results.map((r) => Math.round(r.averages[key] * 1000) / 1000),
    marker: { color: seriesColor(i) },
    hovertemplate: `%{x}: average ${key} %{y} ticks<extra></extra>`,
  });
  return {
    data: [metric("response", 0), metric("turnaround", 1), metric("wait", 2)],
    layout: baseLayout(opts.title ?? "Same tasks, different policies", "policy", "average time (ticks)", {
      barmode: "group",
    }),
  };
}

type Bar = { row: string; start: number; end: number; task: number; name: string; what: string };

function barsByTask(bars: Bar[], names: string[]): Figure["data"] {
  const data: Figure["data"] = [];
  names.forEach((name, i) => {
    const mine = bars.filter((b) => b.task === i);
    if (mine.length === 0) return;
    data.push({
      type: "bar",
      orientation: "h",
      name,
      y: mine.map((b) => b.row),
      base: mine.map((b) => b.start),
      x: mine.map((b) => b.end - b.start),
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
  return [...items]
    .sort((a, b) => a.start - b.start)
    .map((item) => {
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
  opts = checkOptions(FigureInputError, "resourceTimeline's options", opts, [
    "title",
    "coreLabel",
    "devices",
    "until",
    "unit",
    "workerOf",
  ]) as typeof opts;
  checkResult(
    FigureInputError,
    "the result given to resourceTimeline",
    result,
    ["policy", "machine"],
    "pass what runSchedule(...) returned",
  );
  const unit = opts.unit ?? "ticks";
  const coreLabel = opts.coreLabel ?? ((c: number) => `core ${c + 1}`);
  const names = result.tasks.map((t) => t.name);
  const rows: string[] = Array.from({ length: result.machine.cores }, (_, c) => coreLabel(c));
  const bars: Bar[] = result.trace
    .filter((s) => s.state === "running" && s.end > s.start)
    .map((s) => ({
      row: coreLabel(opts.workerOf ? opts.workerOf(s.task) : s.core),
      start: s.start,
      end: s.end,
      task: s.task,
      name: s.name,
      what: "works on it",
    }));
  const switching = result.trace.filter((s) => s.state === "switching" && s.end > s.start);
  if (opts.devices ?? true) {
    const devices = [...new Set(result.trace.filter((s) => s.state === "io").map((s) => s.on ?? "io"))];
    for (const d of devices) {
      const placed = lanes(result.trace.filter((s) => s.state === "io" && (s.on ?? "io") === d && s.end > s.start));
      const n = Math.max(1, ...placed.map((p) => p.lane + 1));
      for (let l = 0; l < n; l++) rows.push(n > 1 ? `${d} ${l + 1}` : d);
      for (const { item: s, lane } of placed)
        bars.push({
          row: n > 1 ? `${d} ${lane + 1}` : d,
          start: s.start,
          end: s.end,
          task: s.task,
          name: s.name,
          what: `served by ${d}`,
        });
    }
  }
  const data = barsByTask(bars, names);
  if (switching.length) {
    data.unshift({
      type: "bar",
      orientation: "h",
      name: "switching",
      y: switching.map((s) => coreLabel(s.core)),
      base: switching.map((s) => s.start),
      x: switching.map((s) => s.end - s.start),
      marker: { color: STATE_COLORS.switching },
      hovertemplate: `switching %{base} → %{x}<extra></extra>`,
    });
  }
  const end = Math.max(opts.until ?? 0, result.makespan, 1);
  return {
    data,
    layout: baseLayout(opts.title ?? `Who does what — ${result.policy}`, `time (${unit})`, "", {
      barmode: "overlay",
      bargap: 0.25,
      height: 230 + 34 * rows.length,
      xaxis: {
        title: { text: `time (${unit})` },
        range: [0, end],
        dtick: end <= 40 ? 1 : undefined,
        showgrid: true,
        gridcolor: "#eee",
        zeroline: false,
      },
      yaxis: { type: "category", categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      margin: { l: 130, r: 20, t: 60, b: 100 },
    }),
  };
}

/**
 * Same tasks under several runs (policies, machines): one row per run showing which task each core runs, coloured by
 * task.
 */
export function policyTimeline(
  runs: { label: string; result: SchedResult }[],
  title = "What the CPU runs under each policy",
  unit = "ticks",
): Figure {
  checkRows(
    FigureInputError,
    "the runs given to policyTimeline",
    runs,
    [],
    "pass a list of objects with label, result",
  );
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
      if (s.state === "running")
        bars.push({ row, start: s.start, end: s.end, task: s.task, name: s.name, what: `runs (${label})` });
      if (s.state === "switching")
        switching.push({ row, start: s.start, end: s.end, task: s.task, name: s.name, what: "switching" });
    }
  }
  const data = barsByTask(bars, names);
  if (switching.length)
    data.push({
      type: "bar",
      orientation: "h",
      name: "switching",
      y: switching.map((b) => b.row),
      base: switching.map((b) => b.start),
      x: switching.map((b) => b.end - b.start),
      marker: { color: STATE_COLORS.switching },
    });
  const end = Math.max(1, ...runs.map((r) => r.result.makespan));
  return {
    data,
    layout: baseLayout(title, `time (${unit})`, "", {
      barmode: "overlay",
      bargap: 0.3,
      height: 220 + 36 * rows.length,
      xaxis: { title: { text: `time (${unit})` }, range: [0, end], showgrid: true, gridcolor: "#eee", zeroline: false },
      yaxis: { type: "category", categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      margin: { l: 150, r: 20, t: 60, b: 100 },
    }),
  };
}
