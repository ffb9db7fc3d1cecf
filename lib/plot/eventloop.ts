/**
 * Figures for the event-loop model (chapter 07). Pure: LoopRun → plotly JSON or an escaped HTML string.
 * - eventLoopTimelineFigure: what occupied the one thread (per task colour, idle shown), waits per task below;
 * - eventLoopQueueFigure: queue lengths over time (or step);
 * - eventLoopLagFigure: how late each timer fired;
 * - eventLoopStepFrames / eventLoopSnapshotHtml: the step-through display's data and one frame as HTML.
 */
import { checkOptions, checkResult } from "../errors/validate";
import type { LoopQueueItem, LoopRun, LoopSnapshot } from "../eventloop/types";
import { FigureInputError } from "./errors";
import { baseLayout, type Figure, STATE_COLORS, seriesColor } from "./figure";
import { escapeHtml } from "./html";

const THREAD_ROW = "event loop thread";
/** A timer counting down: a light grey, apart from the IO grey and from every task colour. */
export const TIMER_WAIT_COLOR = "#E3E3E3";
const fmt = (x: number) => String(Math.round(x * 1000) / 1000);

function taskColor(run: LoopRun, task: string): string {
  const t = run.tasks.find((r) => r.name === task);
  return seriesColor(t ? t.index : 0);
}

/**
 * Gantt of the single thread (ms): one trace per task on the top row (sync IO: grey, hatched and outlined in the
 * task's colour), idle in light grey; each task's IO waits (grey, hatched) and timer waits (light grey) on a row of
 * its own below. Waits are never drawn in a task's colour.
 */
export function eventLoopTimelineFigure(run: LoopRun, title = "What the event loop's one thread did"): Figure {
  checkResult(
    FigureInputError,
    "the run given to eventLoopTimelineFigure",
    run,
    ["timeline", "waits"],
    "pass what runLoop(...) returned",
  );
  const data: Figure["data"] = [];
  const names = run.tasks.map((t) => t.name);
  for (const name of names) {
    for (const kind of ["run", "blockingIO"] as const) {
      const segs = run.timeline.filter((s) => s.task === name && s.kind === kind);
      if (segs.length === 0) continue;
      data.push({
        type: "bar",
        orientation: "h",
        name: kind === "run" ? `${name} runs` : `${name} blocked in sync IO`,
        y: segs.map(() => THREAD_ROW),
        base: segs.map((s) => s.start),
        x: segs.map((s) => s.end - s.start),
        hovertext: segs.map((s) => `${name}: ${s.label} (${s.phase})<br>${fmt(s.start)}–${fmt(s.end)} ms`),
        hoverinfo: "text",
        marker:
          kind === "run"
            ? { color: taskColor(run, name), line: { color: "white", width: 1 } }
            : {
                // the thread held, doing nothing: the wait grey, hatched and outlined in the task's colour
                color: STATE_COLORS.io,
                line: { color: taskColor(run, name), width: 2 },
                pattern: { shape: "x", fgcolor: taskColor(run, name), fillmode: "overlay", size: 8 },
              },
      } as Figure["data"][number]);
    }
  }
  const idle = run.timeline.filter((s) => s.kind === "idle");
  if (idle.length > 0) {
    data.push({
      type: "bar",
      orientation: "h",
      name: "idle (waiting for timers / IO)",
      y: idle.map(() => THREAD_ROW),
      base: idle.map((s) => s.start),
      x: idle.map((s) => s.end - s.start),
      hovertext: idle.map((s) => `idle ${fmt(s.start)}–${fmt(s.end)} ms`),
      hoverinfo: "text",
      marker: { color: STATE_COLORS.idle, line: { color: "#BBBBBB", width: 1 } },
    });
  }
  const waitRows: string[] = [];
  for (const kind of ["io", "timer"] as const) {
    const waits = run.waits.filter((w) => w.kind === kind && w.end > w.start);
    if (waits.length === 0) continue;
    for (const w of waits) if (!waitRows.includes(`${w.task} waits`)) waitRows.push(`${w.task} waits`);
    data.push({
      type: "bar",
      orientation: "h",
      name: kind === "io" ? "waiting for IO" : "waiting for a timer",
      y: waits.map((w) => `${w.task} waits`),
      base: waits.map((w) => w.start),
      x: waits.map((w) => w.end - w.start),
      hovertext: waits.map((w) => `${w.task} waits for ${w.label}<br>${fmt(w.start)}–${fmt(w.end)} ms`),
      hoverinfo: "text",
      width: 0.5,
      marker:
        kind === "io"
          ? {
              color: STATE_COLORS.io,
              line: { color: "#555555", width: 1 },
              pattern: { shape: "/", fgcolor: "white", fillmode: "overlay", size: 6 },
            }
          : { color: TIMER_WAIT_COLOR, line: { color: "#8C8C8C", width: 1 } },
    });
  }
  waitRows.sort((a, b) => names.indexOf(a.slice(0, -6)) - names.indexOf(b.slice(0, -6)));
  const rows = [THREAD_ROW, ...waitRows];
  return {
    data,
    layout: baseLayout(title, "simulated time (ms)", "", {
      barmode: "overlay",
      height: 190 + 45 * rows.length,
      xaxis: {
        title: { text: "simulated time (ms)" },
        range: [0, Math.max(run.endTime, 1)],
        showgrid: true,
        gridcolor: "#eee",
        zeroline: false,
      },
      yaxis: { categoryorder: "array", categoryarray: [...rows].reverse(), title: { text: "" }, automargin: true },
      bargap: 0.3,
    }),
  };
}

const QUEUES = [
  ["nextTicks", "nextTick queue"],
  ["microtasks", "microtask queue"],
  ["timers", "timers waiting"],
  ["immediates", "setImmediate queue"],
  ["io", "IO in flight"],
] as const;

/** Length of each queue at every recorded step, against simulated time (ms) or the step number. */
export function eventLoopQueueFigure(run: LoopRun, x: "time" | "step" = "time", title = "Queue lengths"): Figure {
  checkResult(
    FigureInputError,
    "the run given to eventLoopQueueFigure",
    run,
    ["snapshots"],
    "pass what runLoop(...) returned",
  );
  const snaps = run.snapshots;
  const xs = snaps.map((s) => (x === "time" ? s.time : s.index));
  const data: Figure["data"] = QUEUES.map(([key, name], i) => ({
    type: "scatter",
    mode: "lines",
    name,
    x: xs,
    y: snaps.map((s) => s[key].length),
    line: { color: seriesColor(i), shape: "hv", width: 2 },
    hovertemplate: `${name}: %{y}<br>${x === "time" ? "t = %{x} ms" : "step %{x}"}<extra></extra>`,
  }));
  const xTitle = x === "time" ? "simulated time (ms)" : "step (callback started or ended)";
  return {
    data,
    layout: baseLayout(title, xTitle, "entries waiting", {
      yaxis: { title: { text: "entries waiting" }, rangemode: "tozero", dtick: 1 },
    }),
  };
}

/** Timer lag: for each timer callback, how late it ran after its due time (ms), coloured by task. */
export function eventLoopLagFigure(run: LoopRun, title = "Loop lag: how late each timer fired"): Figure {
  checkResult(
    FigureInputError,
    "the run given to eventLoopLagFigure",
    run,
    ["timerLags"],
    "pass what runLoop(...) returned",
  );
  const tasks = [...new Set(run.timerLags.map((l) => l.task))];
  const data: Figure["data"] = tasks.map((task) => {
    const lags = run.timerLags.filter((l) => l.task === task);
    return {
      type: "scatter",
      mode: "markers",
      name: task,
      x: lags.map((l) => l.fired),
      y: lags.map((l) => l.lag),
      hovertext: lags.map((l) => `${l.label}: due ${fmt(l.due)} ms, ran ${fmt(l.fired)} ms, late by ${fmt(l.lag)} ms`),
      hoverinfo: "text",
      marker: { color: taskColor(run, task), size: 9 },
    };
  });
  return {
    data,
    layout: baseLayout(title, "time the timer fired (ms)", "lag (ms)", {
      yaxis: { title: { text: "lag (ms)" }, rangemode: "tozero" },
    }),
  };
}

/** One frame of the step-through display: a title, one column per queue, and the log so far. */
export interface EventLoopFrame {
  index: number;
  time: number;
  title: string;
  columns: { title: string; items: string[] }[];
  log: string[];
}

const item = (q: LoopQueueItem, atWord?: string) =>
  q.at === undefined || !atWord ? `${q.label} [${q.task}]` : `${q.label} [${q.task}] ${atWord} ${fmt(q.at)} ms`;

function frameTitle(s: LoopSnapshot): string {
  const what =
    s.event === "start"
      ? `runs ${s.stack[s.stack.length - 1]?.label ?? "?"}`
      : s.event === "end"
        ? "callback returned"
        : s.event === "idle"
          ? "loop was idle until now"
          : "loop exited";
  return `step ${s.index} · t = ${fmt(s.time)} ms · ${s.phase} phase · ${what}`;
}

/** The step-through data: one frame per snapshot (strings only, ready to render). */
export function eventLoopStepFrames(run: LoopRun): EventLoopFrame[] {
  checkResult(
    FigureInputError,
    "the run given to eventLoopStepFrames",
    run,
    ["logs", "snapshots"],
    "pass what runLoop(...) returned",
  );
  return run.snapshots.map((s) => ({
    index: s.index,
    time: s.time,
    title: frameTitle(s),
    columns: [
      { title: "call stack", items: s.stack.map((q) => item(q)).reverse() },
      { title: "nextTick queue", items: s.nextTicks.map((q) => item(q)) },
      { title: "microtasks", items: s.microtasks.map((q) => item(q)) },
      { title: "timers", items: s.timers.map((q) => item(q, "due")) },
      { title: "setImmediate", items: s.immediates.map((q) => item(q)) },
      { title: "IO pending", items: s.io.map((q) => item(q, "done at")) },
    ],
    log: run.logs.slice(0, s.logCount).map((l) => `${fmt(l.time)} ms  ${l.text}`),
  }));
}

const esc = escapeHtml;

/**
 * One frame as a self-contained, escaped HTML string (columns side by side; the last 8 log lines below). Pass
 * `{ title: false }` when the display already prints the frame's title as its caption (`showSteps`).
 */
export function eventLoopSnapshotHtml(frame: EventLoopFrame, options: { title?: boolean } = {}): string {
  options = checkOptions(FigureInputError, "eventLoopSnapshotHtml's options", options, ["title"]) as typeof options;
  checkResult(
    FigureInputError,
    "the frame given to eventLoopSnapshotHtml",
    frame,
    ["title", "columns"],
    "pass one frame of what eventLoopStepFrames(...) returns",
  );
  const col = (c: { title: string; items: string[] }) =>
    `<div style="flex:1;min-width:120px;border:1px solid #ccc;border-radius:4px;padding:4px;margin:2px">` +
    `<div style="font-weight:600;border-bottom:1px solid #ddd;margin-bottom:4px">${esc(c.title)} ` +
    `(${c.items.length})</div>` +
    (c.items.length === 0
      ? `<div style="color:#999">empty</div>`
      : c.items.map((x) => `<div style="background:#f4f6fb;margin:2px 0;padding:1px 3px">${esc(x)}</div>`).join("")) +
    `</div>`;
  const log = frame.log.slice(-8);
  return (
    `<div class="eventloop-frame" style="font:13px system-ui,sans-serif;max-width:900px">` +
    (options.title === false ? "" : `<div style="font-weight:600;margin:4px 0">${esc(frame.title)}</div>`) +
    `<div style="display:flex;align-items:flex-start">${frame.columns.map(col).join("")}</div>` +
    `<pre style="background:#fafafa;border:1px solid #eee;padding:4px;margin:4px ` +
    `2px">${log.length === 0 ? "(no output yet)" : log.map(esc).join("\n")}</pre>` +
    `</div>`
  );
}
