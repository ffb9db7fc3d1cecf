/**
 * Gantt charts of scheduling runs: tasks × time (coloured by state) or cores × time (coloured by task or state).
 * Horizontal bar traces with `base` = start and `x` = duration, one trace per state or per task, adjacent intervals
 * merged, hover text from a template (no per-bar text) — so 10,000 segments stay fast and readable.
 */
import { checkOptions, checkResult } from "../errors/validate";
import type { SchedState, SchedTraceSegment } from "../sched/types";
import { FigureInputError } from "./errors";
import { baseLayout, type Figure, STATE_COLORS, seriesColor } from "./figure";

export interface SchedGanttOptions {
  /** Rows: one per task (default) or one per core. */
  by?: "task" | "core";
  /** Colour by state (default for rows = tasks) or by task (default for rows = cores, when ≤ 20 tasks). */
  color?: "state" | "task";
  title?: string;
  /** Right end of the time axis (ticks), to compare charts of different runs by eye. */
  until?: number;
  /** Time unit on the axis and in the hover text (default "ticks"). */
  unit?: string;
}

/** What schedGantt draws: a scheduling run, or any trace of the same shape (chapter 03's coroutine demo). */
export interface SchedGanttInput {
  trace: readonly SchedTraceSegment[];
  tasks: readonly { name: string }[];
  machine: { cores: number };
  policy: string;
}

/** Legend order. Drawing order is the reverse of `DRAW_ORDER`'s priority: running is drawn last, on top, so that
 * at thousands of bars per core the sub-pixel switches do not paint over the work. */
const STATE_ORDER: SchedState[] = ["running", "switching", "ready", "blocked", "io"];
const DRAW_ORDER: SchedState[] = ["ready", "io", "blocked", "switching", "running"];
const STATE_LABEL: Record<SchedState, string> = {
  running: "running",
  switching: "switching",
  ready: "ready (waiting for a core)",
  blocked: "blocked (lock / device / GIL)",
  io: "IO",
};

interface Bar {
  row: string;
  start: number;
  end: number;
  name: string;
  state: SchedState;
  on: string;
  task: number;
}

/** Merge intervals of the same row, series and task that touch end-to-start. */
function merged(bars: Bar[]): Bar[] {
  const out: Bar[] = [];
  const last = new Map<string, Bar>();
  for (const b of [...bars].sort((a, c) => a.start - c.start)) {
    const key = `${b.row}\u0000${b.task}\u0000${b.state}\u0000${b.on}`;
    const p = last.get(key);
    if (p && Math.abs(p.end - b.start) < 1e-12) p.end = b.end;
    else {
      const c = { ...b };
      out.push(c);
      last.set(key, c);
    }
  }
  return out;
}

function barTrace(bars: Bar[], name: string, color: string, legendrank: number, unit: string): Figure["data"][number] {
  const n = bars.length;
  const y = new Array<string>(n),
    base = new Array<number>(n),
    x = new Array<number>(n),
    cd = new Array<[string, string, number, number]>(n);
  for (let i = 0; i < n; i++) {
    const b = bars[i];
    y[i] = b.row;
    base[i] = b.start;
    x[i] = b.end - b.start;
    cd[i] = [b.name, b.on ? `${b.state} (${b.on})` : b.state, b.start, b.end];
  }
  return {
    type: "bar",
    orientation: "h",
    name,
    y,
    base,
    x,
    customdata: cd as any,
    marker: { color, line: { width: 0 } },
    hovertemplate:
      `%{customdata[0]}: %{customdata[1]}<br>t = %{customdata[2]} → %{customdata[3]} ${unit}` + "<extra></extra>",
    legendrank,
  } as Figure["data"][number];
}

/** Gantt of a scheduling run (times in ticks): rows = tasks or cores; bars coloured by state or by task. */
export function schedGantt(result: SchedGanttInput, opts: SchedGanttOptions = {}): Figure {
  opts = checkOptions(FigureInputError, "schedGantt's options", opts, [
    "by",
    "color",
    "title",
    "until",
    "unit",
  ]) as typeof opts;
  checkResult(
    FigureInputError,
    "the result given to schedGantt",
    result,
    ["trace", "tasks"],
    "pass a SchedGanttInput, as in the chapter",
  );
  const by = opts.by ?? "task";
  const unit = opts.unit ?? "ticks";
  const names = result.tasks.map((t) => t.name);
  const manyTasks = names.length > 20;
  const color = opts.color ?? (by === "core" && !manyTasks ? "task" : "state");
  const coreLabel = (c: number) => `core ${c + 1}`;
  const src: readonly SchedTraceSegment[] = by === "core" ? result.trace.filter((s) => s.core >= 0) : result.trace;
  const bars: Bar[] = src.map((s) => ({
    row: by === "core" ? coreLabel(s.core) : s.name,
    start: s.start,
    end: s.end,
    name: s.name,
    state: s.state,
    on: s.on ?? "",
    task: s.task,
  }));
  const data: Figure["data"] = [];
  if (color === "task" && !manyTasks) {
    const rest = merged(bars.filter((b) => b.state === "switching" || (by === "task" && b.state !== "running")));
    for (const st of DRAW_ORDER) {
      const part = rest.filter((b) => b.state === st);
      const rank = 100 + STATE_ORDER.indexOf(st);
      if (part.length) data.push(barTrace(part, STATE_LABEL[st], STATE_COLORS[st], rank, unit));
    }
    names.forEach((name, i) => {
      const mine = merged(
        bars.filter((b) => b.task === i && b.state !== "switching" && (by === "core" || b.state === "running")),
      );
      if (mine.length) data.push(barTrace(mine, name, seriesColor(i), i, unit));
    });
  } else {
    // One trace per state; in the core view merge only a task's own touching intervals.
    const byState = new Map<SchedState, Bar[]>();
    for (const b of bars) {
      const list = byState.get(b.state);
      if (list) list.push(b);
      else byState.set(b.state, [b]);
    }
    for (const st of DRAW_ORDER) {
      const part = byState.get(st);
      if (part) data.push(barTrace(merged(part), STATE_LABEL[st], STATE_COLORS[st], STATE_ORDER.indexOf(st), unit));
    }
  }
  const rows = by === "core" ? Array.from({ length: result.machine.cores }, (_, c) => coreLabel(c)) : names;
  const end = Math.max(opts.until ?? 0, ...result.trace.map((s) => s.end), 1);
  const what = by === "core" ? "What each core runs" : "What each task is doing";
  return {
    data,
    layout: baseLayout(opts.title ?? `${what} — ${result.policy}`, `time (${unit})`, by === "core" ? "core" : "task", {
      barmode: "overlay",
      bargap: 0.3,
      height: Math.min(1200, 170 + 26 * rows.length),
      xaxis: { title: { text: `time (${unit})` }, range: [0, end], zeroline: false },
      yaxis: {
        type: "category",
        categoryorder: "array",
        categoryarray: [...rows].reverse(),
        title: { text: by === "core" ? "core" : "task" },
        automargin: true,
      },
      hovermode: "closest",
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", traceorder: "normal" },
      margin: { l: 80, r: 20, t: 90, b: 50 },
    }),
  };
}
