/**
 * Figures of chapter 06: throughput behind one lock, a Gantt that shows critical sections in their own colour (and
 * priority changes of a lock protocol), and lock fairness (timeline and per-thread waiting). Pure.
 */

import { checkResult, checkRows } from "../../errors/validate";
import {
  baseLayout,
  type Figure,
  realLockContentionFigure,
  STATE_COLORS,
  schedGantt,
  seriesColor,
} from "../../plot/index";
import type { LockContentionRow } from "../../real/index";
import type { SchedResult } from "../../sched/index";
import type { LockedWorkPoint } from "./contention";
import { LockInputError } from "./errors";
import type { LockFairnessResult } from "./fairness";

/**
 * Throughput (operations per 100 ticks) against threads, one line per critical-section size, with the ceiling dashed.
 */
export function lockedWorkFigure(
  points: LockedWorkPoint[],
  title = "Work behind one lock: more threads stop helping",
): Figure {
  checkRows(
    LockInputError,
    "the points given to lockedWorkFigure",
    points,
    [],
    "pass a list of what lockedWorkSweep(...) returns",
  );
  const sizes = Array.from(new Set(points.map((p) => p.critical))).sort((a, b) => a - b);
  const data: Figure["data"] = [];
  sizes.forEach((c, i) => {
    const pts = points.filter((p) => p.critical === c).sort((a, b) => a.threads - b.threads);
    const color = seriesColor([4, 5, 7, 8][i % 4]);
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `critical section ${c} ticks (simulated)`,
      x: pts.map((p) => p.threads),
      y: pts.map((p) => p.throughput),
      line: { color, width: 3 },
      marker: { size: 8 },
      hovertemplate: `critical ${c}: %{x} threads → %{y:.1f} ops per 100 ticks<extra></extra>`,
    });
    data.push({
      type: "scatter",
      mode: "lines",
      name: `ceiling for ${c} ticks`,
      x: pts.map((p) => p.threads),
      y: pts.map((p) => p.bound),
      line: { color, dash: "dot", width: 1.5 },
      showlegend: i === 0,
      legendgroup: "ceil",
      hoverinfo: "skip",
    });
  });
  if (data.length > 1) data[1].name = "ceilings: min(threads, cores) ÷ (outside + critical), 1 ÷ critical";
  const cores = points[0]?.cores ?? 1;
  return {
    data,
    layout: baseLayout(`${title} (${cores} cores)`, "threads sharing the lock", "operations per 100 ticks", {
      xaxis: { title: { text: "threads sharing the lock" }, dtick: 1 },
      yaxis: { title: { text: "operations per 100 ticks" }, rangemode: "tozero" },
      height: 440,
    }),
  };
}

const LOCK_STATE = { hold: "holds the lock", wait: "waits for the lock", think: "works outside the lock" } as const;

/**
 * Timeline of a lock-fairness run: one row per thread; holding in the thread's colour, waiting in red, thinking grey.
 */
export function lockTimelineFigure(r: LockFairnessResult, title?: string): Figure {
  checkResult(
    LockInputError,
    "the r given to lockTimelineFigure",
    r,
    ["policy", "duration"],
    "pass what lockFairness(...) returned",
  );
  const names = r.users.map((u) => u.name);
  const data: Figure["data"] = [];
  for (const st of ["think", "wait"] as const) {
    const iv = r.intervals.filter((x) => x.state === st);
    data.push({
      type: "bar",
      orientation: "h",
      name: LOCK_STATE[st],
      y: iv.map((x) => names[x.user]),
      base: iv.map((x) => x.start),
      x: iv.map((x) => x.end - x.start),
      marker:
        st === "wait"
          ? {
              color: "#FBE3D6",
              pattern: { shape: "/", fgcolor: STATE_COLORS.blocked, size: 6 },
              line: { color: STATE_COLORS.blocked, width: 1 },
            }
          : { color: STATE_COLORS.ready },
      hovertemplate: `%{y}: ${LOCK_STATE[st]} from %{base} for %{x} ticks<extra></extra>`,
    });
  }
  names.forEach((name, u) => {
    const iv = r.intervals.filter((x) => x.state === "hold" && x.user === u);
    data.push({
      type: "bar",
      orientation: "h",
      name: `${name} holds the lock`,
      y: iv.map(() => name),
      base: iv.map((x) => x.start),
      x: iv.map((x) => x.end - x.start),
      marker: { color: seriesColor(u), line: { color: "white", width: 1 } },
      hovertemplate: `${name} holds the lock from %{base} for %{x} ticks<extra></extra>`,
    });
  });
  const label = r.policy === "fifo" ? "FIFO hand-off" : "barging (unfair)";
  return {
    data,
    layout: baseLayout(
      title ?? `Who holds the lock — ${label}, wake-up ${r.wakeLatency} ticks`,
      "time (ticks)",
      "thread",
      {
        barmode: "overlay",
        bargap: 0.35,
        height: 170 + 36 * names.length,
        xaxis: { title: { text: "time (ticks)" }, range: [0, r.duration] },
        yaxis: {
          type: "category",
          categoryorder: "array",
          categoryarray: [...names].reverse(),
          title: { text: "thread" },
        },
        margin: { l: 70, r: 20, t: 60, b: 110 },
      },
    ),
  };
}

/**
 * Two panels per thread, one bar per policy: times it got the lock (left) and its longest single wait in ticks (right).
 */
export function lockWaitFigure(
  results: LockFairnessResult[],
  title = "Per thread: how often it got the lock, and its longest wait",
): Figure {
  checkRows(
    LockInputError,
    "the results given to lockWaitFigure",
    results,
    [],
    "pass a list of what lockFairness(...) returns",
  );
  const names = results[0]?.users.map((u) => u.name) ?? [];
  const data: Figure["data"] = [];
  results.forEach((r) => {
    const label = r.policy === "fifo" ? "FIFO hand-off" : "barging";
    const color = seriesColor(r.policy === "fifo" ? 2 : 7);
    data.push({
      type: "bar",
      name: label,
      legendgroup: label,
      x: names,
      y: r.users.map((u) => u.acquisitions),
      marker: { color },
      hovertemplate: `${label}: %{x} got the lock %{y} times<extra></extra>`,
    });
    data.push({
      type: "bar",
      name: label,
      legendgroup: label,
      showlegend: false,
      x: names,
      y: r.users.map((u) => u.longestWait),
      xaxis: "x2",
      yaxis: "y2",
      marker: { color },
      hovertemplate: `${label}: %{x} waited at most %{y} ticks<extra></extra>`,
    });
  });
  return {
    data,
    layout: baseLayout(title, "thread", "times it got the lock", {
      barmode: "group",
      height: 420,
      xaxis: { domain: [0, 0.44], title: { text: "thread" } },
      xaxis2: { domain: [0.56, 1], title: { text: "thread" }, anchor: "y2" },
      yaxis: { title: { text: "times it got the lock" }, rangemode: "tozero" },
      yaxis2: { title: { text: "longest single wait (ticks)" }, anchor: "x2", rangemode: "tozero" },
    }),
  };
}

/**
 * Colour of computing inside a critical section (holding a lock): a light teal beside running's dark petrol; neither a
 * task colour (seriesColor) nor a waiting colour (STATE_COLORS).
 */
export const CRITICAL_COLOR = "#2CB5A9";

/**
 * schedGantt of a run with locks, plus the time each task computes while holding a lock drawn on top in its own
 * colour (vermillion), and, for a run with a lock protocol, one label per change of a task's priority.
 */
export function lockGantt(run: SchedResult, title: string): Figure {
  checkResult(LockInputError, "the run given to lockGantt", run, ["trace"], "pass what runSchedule(...) returned");
  const fig = schedGantt(run, { title });
  const inside = run.trace.filter((s) => s.state === "running" && s.holds);
  if (inside.length > 0)
    fig.data.push({
      type: "bar",
      orientation: "h",
      name: "running inside the lock (holding it)",
      y: inside.map((s) => s.name),
      base: inside.map((s) => s.start),
      x: inside.map((s) => s.end - s.start),
      customdata: inside.map((s) => [s.name, s.holds, s.start, s.end]) as any,
      marker: { color: CRITICAL_COLOR, line: { width: 0 } },
      hovertemplate:
        "%{customdata[0]}: running, holds %{customdata[1]}<br>t = %{customdata[2]} → %{customdata[3]} ticks" +
        "<extra></extra>",
      legendrank: 1,
    } as Figure["data"][number]);
  const changes = run.priorityChanges ?? [];
  if (changes.length > 0) {
    fig.layout.annotations = changes.map((c, i) => ({
      x: c.time,
      y: c.task,
      xref: "x",
      yref: "y",
      text: c.priority === c.base ? `back to ${c.priority}` : `priority ${c.base} → ${c.priority}`,
      showarrow: true,
      arrowhead: 2,
      ax: 0,
      ay: i % 2 === 0 ? -22 : -44,
      font: { size: 12, color: "#000000" },
      bgcolor: "rgba(255,255,255,0.85)",
    })) as any;
    fig.layout.margin = { l: 80, r: 20, t: 130, b: 50 };
    fig.layout.height = (fig.layout.height ?? 250) + 50;
  }
  return fig;
}

/** The real lock-contention figure with a y-axis title that fits (the shared figure's long title is clipped). */
export function contentionFigure(result: { rows: LockContentionRow[] }): Figure {
  checkResult(LockInputError, "the result given to contentionFigure", result, ["rows"], "pass an object with rows");
  const fig = realLockContentionFigure(result);
  const sep = (name: unknown) =>
    typeof name === "string" ? name.replace(/\d{4,}/g, (d) => Number(d).toLocaleString("en-US")) : name;
  return {
    ...fig,
    data: fig.data.map((d) => ({ ...d, name: sep((d as { name?: unknown }).name) }) as typeof d),
    layout: {
      ...fig.layout,
      yaxis: { ...fig.layout.yaxis, title: { text: "operations / s, all workers" }, automargin: true },
    },
  };
}
