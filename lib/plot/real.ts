/**
 * Figures of the real-machine experiments (lib/real): pure data → plotly Figure JSON.
 * Measured values carry min–max error bars; predictions are dashed lines beside them.
 */

import { checkResult, checkRows } from "../errors/validate";
import type { IoModesResult, IoScalingResult } from "../real/io";
import type { ProgressBarResult } from "../real/lag";
import type { OverheadResult } from "../real/overhead";
import type { LockContentionRow, SharedRaceResult } from "../real/race";
import type { SleepDemoResult } from "../real/sleep";
import type { SpeedupResult } from "../real/speedup";
import { FigureInputError } from "./errors";
import type { Figure } from "./figure";
import { baseLayout, STATE_COLORS, seriesColor } from "./figure";

const WIDTH = 900;

function errorBars(median: number[], min: number[], max: number[]) {
  return {
    type: "data" as const,
    symmetric: false,
    array: max.map((v, i) => v - median[i]),
    arrayminus: median.map((v, i) => v - min[i]),
    visible: true,
  };
}

/** Measured speedup (×, median with min–max) against workers, with Amdahl's prediction and the ideal line. */
export function realSpeedupFigure(r: SpeedupResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realSpeedupFigure",
    r,
    ["cores", "tasks"],
    "pass what speedupExperiment(...) returned",
  );
  const w = r.points.map((p) => p.workers);
  const seq = r.sequentialMs.median;
  const maxW = Math.max(...w);
  const ideal = w.map((n) => Math.min(n, r.cores));
  return {
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "measured speedup",
        x: w,
        y: r.points.map((p) => p.speedup),
        marker: { color: seriesColor(0), size: 9 },
        line: { color: seriesColor(0), width: 3 },
        error_y: errorBars(
          r.points.map((p) => p.speedup),
          r.points.map((p) => seq / p.ms.max),
          r.points.map((p) => seq / p.ms.min),
        ),
      },
      {
        type: "scatter",
        mode: "lines",
        name: `Amdahl, p = ${r.parallelFraction}`,
        x: w,
        y: r.points.map((p) => p.amdahl),
        line: { color: seriesColor(1), dash: "dash", width: 2 },
      },
      {
        type: "scatter",
        mode: "lines",
        name: `ideal: min(workers, ${r.cores} cores)`,
        x: w,
        y: ideal,
        line: { color: "#999", dash: "dot", width: 1.5 },
      },
      {
        type: "scatter",
        mode: "lines",
        name: "cores",
        x: [r.cores, r.cores],
        y: [0, Math.max(r.cores, ...r.points.map((p) => p.speedup)) * 1.1],
        line: { color: "#bbb", width: 1 },
        hoverinfo: "skip",
      },
    ],
    layout: baseLayout(
      `Speedup of ${r.tasks} CPU tasks on ${r.cores} cores (sequential: ${seq.toFixed(0)} ms)`,
      "workers",
      "speedup over one thread (×)",
      {
        width: WIDTH,
        xaxis: { title: { text: "workers" }, dtick: 1, range: [0.5, maxW + 0.5] },
        yaxis: { title: { text: "speedup over one thread (×)" }, rangemode: "tozero" },
      },
    ),
  };
}

/** Efficiency (speedup ÷ workers, 0..1) against workers: it falls once workers outnumber cores. */
export function realEfficiencyFigure(r: SpeedupResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realEfficiencyFigure",
    r,
    ["cores", "points"],
    "pass what speedupExperiment(...) returned",
  );
  const w = r.points.map((p) => p.workers);
  return {
    data: [
      {
        type: "bar",
        name: "efficiency",
        x: w,
        y: r.points.map((p) => p.efficiency),
        marker: { color: w.map((n) => (n <= r.cores ? seriesColor(0) : seriesColor(5))) },
      },
    ],
    layout: baseLayout(
      `Efficiency: speedup per worker (${r.cores} cores)`,
      "workers",
      "efficiency (speedup ÷ workers)",
      {
        width: WIDTH,
        showlegend: false,
        yaxis: { title: { text: "efficiency (speedup ÷ workers)" }, range: [0, 1.1] },
        xaxis: { title: { text: "workers" }, dtick: 1 },
      },
    ),
  };
}

/** A duration given in ms, in the unit that reads best: "3.1 ns", "2.63 µs", "31.2 ms". */
export function formatDurationMs(ms: number): string {
  const a = Math.abs(ms);
  // 3 significant digits (2 for ns), never an exponent: "690 ns", "27.1 µs", "1234 ms"
  const digits = (v: number, p: number) => (Math.abs(v) >= 10 ** (p - 1) ? v.toFixed(0) : v.toPrecision(p));
  if (a < 1e-3) return `${digits(ms * 1e6, 2)} ns`;
  if (a < 1) return `${digits(ms * 1e3, 3)} µs`;
  return `${digits(ms, 3)} ms`;
}

/** Decade ticks (only powers of ten) covering [lo, hi] ms, labelled in ns / µs / ms. */
function decadeTicks(lo: number, hi: number): { tickvals: number[]; ticktext: string[] } {
  const tickvals: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) tickvals.push(10 ** e);
  const unit = (v: number) => (v < 1e-3 ? `${Math.round(v * 1e6)} ns` : v < 1 ? `${Math.round(v * 1e3)} µs` : null);
  return { tickvals, ticktext: tickvals.map((v) => unit(v) ?? `${v >= 1000 ? `${v / 1000} s` : `${v} ms`}`) };
}

/**
 * What starting a task costs, beyond the task itself (log scale, decade ticks): the task itself (the plain call of
 * `iterations` of work), the no-work baseline (an empty call), then each other way's extra time per task (its time
 * minus the plain call's, paired by repeat). Values sit in the row labels, so no label collides with an error bar;
 * an extra that is not above zero is reported as "within the noise", never drawn as a cost.
 */
export function realOverheadFigure(r: OverheadResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realOverheadFigure",
    r,
    ["iterations", "rows"],
    "pass what creationOverhead(...) returned",
  );
  const extraLabels: Record<string, string> = {
    promise: "+ a promise per task",
    pool: "+ a job on a worker pool",
    worker: "+ a new worker per task",
    process: "+ a new process per task",
  };
  const call = r.rows.find((row) => row.method === "call");
  type Bar = { label: string; s: { median: number; min: number; max: number }; color: string };
  const bars: Bar[] = [];
  const noise: string[] = [];
  if (call) bars.push({ label: `the task itself (≈${r.iterations} iterations)`, s: call.perTaskMs, color: "#7F7F7F" });
  if (r.emptyCallMs) bars.push({ label: "an empty call (no work)", s: r.emptyCallMs, color: "#BBBBBB" });
  r.rows.forEach((row, i) => {
    if (row.method === "call") return;
    const s = row.extraMs ?? {
      ...row.perTaskMs,
      median: row.perTaskMs.median - (call?.perTaskMs.median ?? 0),
    };
    const label = extraLabels[row.method];
    if (!(s.median > 0)) noise.push(`${label.slice(2)}: no extra cost above the noise`);
    else bars.push({ label, s, color: seriesColor(i) });
  });
  const med = bars.map((b) => b.s.median);
  const lo = Math.min(...bars.map((b) => (b.s.min > 0 ? b.s.min : b.s.median)));
  const hi = Math.max(...bars.map((b) => b.s.max));
  const ticks = decadeTicks(lo, hi);
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: bars.map((b) => `${b.label}: ${formatDurationMs(b.s.median)}`),
        x: med,
        marker: { color: bars.map((b) => b.color) },
        error_x: errorBars(
          med,
          bars.map((b) => Math.max(b.s.min, b.s.median / 10)),
          bars.map((b) => b.s.max),
        ),
        hovertemplate: "%{y} (median; bars: min–max)<extra></extra>",
      },
    ],
    layout: baseLayout(
      "What it costs to start a task, beyond the task itself (median of repeats)",
      noise.length ? `time per task (log scale) · ${noise.join("; ")}` : "time per task (log scale)",
      "",
      {
        width: WIDTH,
        height: 140 + 48 * bars.length,
        showlegend: false,
        xaxis: {
          type: "log",
          title: {
            text: noise.length ? `time per task (log scale) · ${noise.join("; ")}` : "time per task (log scale)",
          },
          tickvals: ticks.tickvals,
          ticktext: ticks.ticktext,
          range: [Math.log10(ticks.tickvals[0]), Math.log10(ticks.tickvals[ticks.tickvals.length - 1])],
        },
        yaxis: { autorange: "reversed", automargin: true },
        margin: { l: 300, r: 30, t: 60, b: 70 },
      },
    ),
  };
}

/** The same request batch four ways: time (ms, median with min–max), with requests × delay as the sequential ideal. */
export function realIoModesFigure(r: IoModesResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realIoModesFigure",
    r,
    ["delayMs", "sequentialIdealMs"],
    "pass what ioModesExperiment(...) returned",
  );
  const labels = r.rows.map((row) => `${row.mode} (${row.concurrency} at once)`);
  const med = r.rows.map((row) => row.ms.median);
  return {
    data: [
      {
        type: "bar",
        name: "measured",
        x: labels,
        y: med,
        marker: { color: r.rows.map((_, i) => seriesColor(i)) },
        error_y: errorBars(
          med,
          r.rows.map((row) => row.ms.min),
          r.rows.map((row) => row.ms.max),
        ),
        hovertemplate: "%{x}: %{y:.0f} ms<extra></extra>",
      },
      {
        type: "scatter",
        mode: "lines",
        name: "requests × delay",
        x: [labels[0], labels[labels.length - 1]],
        y: [r.sequentialIdealMs, r.sequentialIdealMs],
        line: { color: "#999", dash: "dash" },
      },
    ],
    layout: baseLayout(
      `${r.rows[0]?.requests ?? 0} requests to a loopback server that waits ${r.delayMs} ms`,
      "how the requests are issued",
      "time for the batch (ms)",
      { width: WIDTH },
    ),
  };
}

/** Async lanes vs one worker per lane: total time (ms) and memory growth (MB) against requests in flight (log axis). */
export function realIoScalingFigure(r: IoScalingResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realIoScalingFigure",
    r,
    ["delayMs", "rounds"],
    "pass what ioScalingExperiment(...) returned",
  );
  const modes: ("async" | "workers")[] = ["async", "workers"];
  const data: Figure["data"] = [];
  modes.forEach((mode, i) => {
    const rows = r.rows.filter((row) => row.mode === mode);
    if (rows.length === 0) return;
    const name = mode === "async" ? "async requests (one thread)" : "one worker per request";
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${name}: time`,
      x: rows.map((row) => row.concurrency),
      y: rows.map((row) => row.totalMs),
      line: { color: seriesColor(i), width: 3 },
      marker: { size: 8 },
    });
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${name}: memory`,
      x: rows.map((row) => row.concurrency),
      y: rows.map((row) => row.rssDeltaMB),
      line: { color: seriesColor(i), dash: "dot" },
      marker: { symbol: "square", size: 7 },
      yaxis: "y2",
    });
  });
  return {
    data,
    layout: baseLayout(
      `Requests in flight: ${r.rounds} × ${r.delayMs} ms each, time and memory`,
      "requests in flight at once (log scale)",
      "total time incl. start-up (ms)",
      {
        width: WIDTH,
        xaxis: { type: "log", title: { text: "requests in flight at once (log scale)" } },
        yaxis2: { title: { text: "memory growth (MB, dotted)" }, overlaying: "y", side: "right", rangemode: "tozero" },
        margin: { l: 70, r: 70, t: 60, b: 60 },
        legend: { orientation: "h", y: -0.25 },
      },
    ),
  };
}

/**
 * Final counter of the real race: the expected count as a wide pale bar, the median final as a bar on top of it, and
 * each run as a cross on the centre of its bar. Counts with thousands separators.
 */
export function realRaceFigure(r: SharedRaceResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realRaceFigure",
    r,
    ["rows"],
    "pass what sharedCounterRace(...) returned",
  );
  const names = { plain: "plain read-add-write", atomic: "Atomics.add", mutex: "mutex (Atomics lock)" };
  const labels = r.rows.map((row) => names[row.mode]);
  const first = r.rows[0];
  return {
    data: [
      {
        type: "bar",
        name: "expected (workers × increments)",
        x: labels,
        y: r.rows.map((row) => row.expected),
        width: 0.7,
        marker: { color: STATE_COLORS.ready },
        hovertemplate: "%{x}: expected %{y:,}<extra></extra>",
      },
      {
        type: "bar",
        name: "final count (median of runs)",
        x: labels,
        y: r.rows.map((row) => row.expected - row.lost.median),
        width: 0.4,
        marker: { color: r.rows.map((row) => (row.lost.max > 0 ? STATE_COLORS.blocked : STATE_COLORS.done)) },
        text: r.rows.map((row) => `${(row.lossRate * 100).toFixed(1)} % lost`),
        textposition: "outside",
        hovertemplate: "%{x}: median final %{y:,}<extra></extra>",
      },
      {
        type: "scatter",
        mode: "markers",
        name: "each run",
        x: r.rows.flatMap((row, i) => row.finals.map(() => labels[i])),
        y: r.rows.flatMap((row) => row.finals),
        marker: { color: "#000000", size: 9, symbol: "x-thin", line: { width: 2, color: "#000000" } },
        hovertemplate: "%{x}: this run ended at %{y:,}<extra></extra>",
      },
    ],
    layout: baseLayout(
      `${first?.workers ?? 0} workers × ${(first?.increments ?? 0).toLocaleString("en-US")} increments of one ` +
        "shared counter",
      "how each increment is done",
      "final counter value",
      {
        width: WIDTH,
        barmode: "overlay",
        yaxis: { title: { text: "final counter value" }, tickformat: ".3~s", rangemode: "tozero", automargin: true },
        legend: { orientation: "h", x: 0, y: -0.25 },
      },
    ),
  };
}

/** Lock throughput (operations/s) against workers sharing the lock, one line per critical-section size. */
export function realLockContentionFigure(rows: LockContentionRow[] | { rows: LockContentionRow[] }): Figure {
  const list = checkRows<LockContentionRow>(
    FigureInputError,
    "the rows given to realLockContentionFigure",
    Array.isArray(rows) ? rows : (rows as { rows?: unknown } | null)?.rows,
    ["criticalIterations"],
    "pass what lockContention(...) returned (or its rows)",
  );
  const sizes = Array.from(new Set(list.map((r) => r.criticalIterations))).sort((a, b) => a - b);
  return {
    data: sizes.map((c, i) => {
      const pts = list.filter((r) => r.criticalIterations === c).sort((a, b) => a.workers - b.workers);
      return {
        type: "scatter" as const,
        mode: "lines+markers" as const,
        name: `critical section: ${c} iterations`,
        x: pts.map((p) => p.workers),
        y: pts.map((p) => p.opsPerSecond),
        line: { color: seriesColor(i), width: 3 },
      };
    }),
    layout: baseLayout(
      "One lock shared by more workers: total throughput",
      "workers sharing the lock",
      "operations per second (all workers)",
      {
        width: WIDTH,
        xaxis: { title: { text: "workers sharing the lock" }, dtick: 1 },
        yaxis: { title: { text: "operations per second (all workers)" }, rangemode: "tozero" },
      },
    ),
  };
}

/** The progress bar's ticks over time (progress 0–100 %) with lag bars (ms) and shaded phases. */
export function realProgressBarFigure(r: ProgressBarResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realProgressBarFigure",
    r,
    ["tickMs", "samples"],
    "pass what progressBarExperiment(...) returned",
  );
  const names: Record<string, string> = {
    await: "awaiting a request",
    blocking: "blocking CPU work",
    chunked: "CPU work in chunks",
    worker: "CPU work in a worker",
  };
  const top = Math.max(r.tickMs * 2, ...r.samples.map((s) => s.lagMs)) * 1.1;
  return {
    data: [
      // one translucent bar per phase as a background band (bars with base, not layout.shapes)
      ...r.phases.map((p, i) => ({
        type: "bar" as const,
        name: names[p.phase],
        x: [(p.startMs + p.endMs) / 2],
        y: [100],
        width: [p.endMs - p.startMs],
        base: [0],
        marker: { color: seriesColor(i + 1), opacity: 0.15 },
        hovertemplate: `${names[p.phase]}: ${p.ticks} ticks, longest gap %{customdata:.0f} ms<extra></extra>`,
        customdata: [p.maxGapMs],
      })),
      {
        type: "scatter",
        mode: "lines+markers",
        name: "progress bar (each tick)",
        x: r.samples.map((s) => s.tMs),
        y: r.samples.map((s) => s.progress * 100),
        line: { color: seriesColor(0), width: 2, shape: "hv" },
        marker: { size: 4 },
      },
      {
        type: "bar",
        name: "tick lateness (ms)",
        x: r.samples.map((s) => s.tMs),
        y: r.samples.map((s) => s.lagMs),
        yaxis: "y2",
        marker: { color: STATE_COLORS.blocked },
        width: r.samples.map(() => r.tickMs * 0.6),
      },
    ],
    layout: baseLayout(
      `A progress bar ticking every ${r.tickMs} ms while the main thread works`,
      "time (ms)",
      "progress shown (%)",
      {
        width: WIDTH,
        barmode: "overlay",
        yaxis: { title: { text: "progress shown (%)" }, range: [0, 105] },
        yaxis2: {
          title: { text: "tick lateness (ms)" },
          overlaying: "y",
          side: "right",
          range: [0, top],
          showgrid: false,
        },
        margin: { l: 70, r: 70, t: 60, b: 110 },
      },
    ),
  };
}

/** Gantt of the sleep demo: one row per task and mode, bars from start to end (ms). */
export function realSleepFigure(r: SleepDemoResult): Figure {
  checkResult(
    FigureInputError,
    "the r given to realSleepFigure",
    r,
    ["tasks", "sleepMs"],
    "pass what sleepSequentialVsConcurrent(...) returned",
  );
  const titles: Record<string, string> = {
    sequential: "sequential await",
    concurrent: "Promise.all + await sleep",
    blockingConcurrent: "Promise.all + busy-wait",
  };
  return {
    data: r.runs.map((run, i) => ({
      type: "bar" as const,
      orientation: "h" as const,
      name: `${titles[run.mode]} (${run.totalMs.toFixed(0)} ms)`,
      y: run.spans.map((s) => `${titles[run.mode]} · task ${s.task + 1}`),
      x: run.spans.map((s) => s.endMs - s.startMs),
      base: run.spans.map((s) => s.startMs),
      marker: { color: seriesColor(i) },
      hovertemplate: "%{y}: %{x:.0f} ms from %{base:.0f} ms<extra></extra>",
    })),
    layout: baseLayout(`${r.tasks} tasks that each wait ${r.sleepMs} ms`, "time since start (ms)", "", {
      width: WIDTH,
      height: Math.max(320, 170 + 24 * r.runs.reduce((s, run) => s + run.spans.length, 0)),
      yaxis: { autorange: "reversed", automargin: true },
      margin: { l: 220, r: 20, t: 60, b: 110 },
    }),
  };
}
