/**
 * Chapter 03's own figures: process ⊃ thread ⊃ coroutine in Node terms, the pool's measured speedup beside its
 * forecast, and the creation-overhead forecast.
 */

import { ChapterInputError } from "../../errors";
import { checkResult, checkString } from "../../errors/validate";
import { baseLayout, escapeHtml, type Figure, lineFigure, seriesColor, withLayout } from "../../plot/index";
import { amdahlSpeedup, type SpeedupResult } from "../../real/index";
import { amdahlFit, pairedSpeedups } from "./amdahl";
import { creationCosts, predictPoolMs } from "./models";

/**
 * Seed 001's nesting as SVG: a computer holds cores and processes; a process holds threads (sharing its memory);
 * a thread runs coroutines (async functions) one at a time. Labelled with the JavaScript names. 900 px wide.
 */
export function executionNestingSvg(title = "Process ⊃ thread ⊃ coroutine, in Node.js terms"): string {
  checkString(ChapterInputError, "the title of executionNestingSvg", title, { allowEmpty: true, maxLength: 200 });
  const box = (x: number, y: number, w: number, h: number, fill: string, stroke: string, label: string, sub = "") =>
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10" fill="${fill}" stroke="${stroke}" stroke-width="2"/>` +
    `<text x="${x + 12}" y="${y + 22}" font-size="15" font-weight="600" fill="${stroke}">${escapeHtml(label)}</text>` +
    (sub ? `<text x="${x + 12}" y="${y + 40}" font-size="12" fill="#555">${escapeHtml(sub)}</text>` : "");
  const coro = (x: number, y: number, label: string, color: string) =>
    `<rect x="${x}" y="${y}" width="104" height="30" rx="15" fill="white" stroke="${color}" stroke-width="2"/>` +
    `<text x="${x + 52}" y="${y + 20}" font-size="12" text-anchor="middle">${escapeHtml(label)}</text>`;
  const thread = (x: number, y: number, w: number, label: string, sub: string, coros: string[]) =>
    box(x, y, w, 110, "#fff8e6", "#B07700", label, sub) +
    coros.map((c, i) => coro(x + 12 + i * 116, y + 62, c, seriesColor(i))).join("");
  const h = 470;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 ${h}" width="900" height="${h}" role="img" aria-label="${escapeHtml(title)}" style="max-width:100%;height:auto;font-family:system-ui,sans-serif">` +
    `<rect width="900" height="${h}" fill="white"/>` +
    `<text x="20" y="30" font-size="18" font-weight="600">${escapeHtml(title)}</text>` +
    box(
      20,
      45,
      860,
      410,
      "#f6f6f6",
      "#555",
      "The computer: a CPU with cores — any thread of any process may run on any core",
    ) +
    box(
      40,
      100,
      530,
      340,
      "#eaf3fb",
      "#0072B2",
      "Process 1: node (its own memory)",
      "threads of one process share its memory (SharedArrayBuffer)",
    ) +
    thread(60, 155, 490, "main thread: one event loop", "async functions take turns at each await — coroutines", [
      "async fn 1",
      "async fn 2",
      "async fn 3",
      "async fn 4",
    ]) +
    thread(60, 310, 490, "worker_threads Worker: its own loop", "its own isolate: no shared variables, messages", [
      "async fn 5",
      "async fn 6",
    ]) +
    box(590, 100, 270, 190, "#e6f5ef", "#00785a", "Process 2: child_process", "separate memory; talks by pipes") +
    thread(605, 155, 240, "its main thread", "its own event loop", ["async fn 7"]) +
    `<text x="600" y="316" font-size="14" font-weight="600" fill="#333">Python → Node.js</text>` +
    `<text x="600" y="337" font-size="13" fill="#333">multiprocessing → child_process,</text>` +
    `<text x="600" y="354" font-size="13" fill="#333">   or worker_threads for CPU work</text>` +
    `<text x="600" y="375" font-size="13" fill="#333">threading → no equivalent: JS has</text>` +
    `<text x="600" y="392" font-size="13" fill="#333">   no shared-heap threads (workers</text>` +
    `<text x="600" y="409" font-size="13" fill="#333">   share only a SharedArrayBuffer)</text>` +
    `<text x="600" y="430" font-size="13" fill="#333">asyncio → async/await, Promises</text>` +
    `</svg>`
  );
}

/**
 * Measured speedup of a worker pool (lib/real speedupExperiment) over the simulation's forecasts without and with a
 * GIL.
 */
export function speedupForecastFigure(sp: SpeedupResult): Figure {
  checkResult(
    ChapterInputError,
    "the sp given to speedupForecastFigure",
    sp,
    ["cores", "tasks"],
    "pass what speedupExperiment(...) returned",
  );
  const taskMs = sp.sequentialMs.median / sp.tasks;
  const w = sp.points.map((p) => p.workers);
  const forecast = (gil: boolean) =>
    w.map((n) => (sp.tasks * taskMs) / predictPoolMs(sp.tasks, taskMs, n, sp.cores, gil));
  const fig = lineFigure(
    [
      { name: "measured: worker_threads pool", x: w, y: sp.points.map((p) => p.speedup), color: seriesColor(0) },
      {
        name: `forecast: processes/workers on ${sp.cores} cores`,
        x: w,
        y: forecast(false),
        color: "#777",
        dash: "dash",
      },
      { name: "forecast: threads with a GIL", x: w, y: forecast(true), color: seriesColor(1), dash: "dot" },
    ],
    `${sp.tasks} CPU tasks of about ${taskMs.toFixed(0)} ms: speedup over the main thread`,
    "workers",
    "speedup (×)",
  );
  // whole workers only: ticks at the measured counts (1, 2, 4), never 1.5
  return withLayout(fig, {
    xaxis: { title: { text: "workers" }, tickvals: w, ticktext: w.map(String), zeroline: false },
  });
}

/**
 * Creation-overhead forecast: batch time (ms) by work per task (ms), log–log, for one thread, a worker per task and a
 * pool.
 */
export function creationCostFigure(o: {
  tasks: number;
  works: number[];
  startMs: number;
  dispatchMs: number;
  cores: number;
}): Figure {
  checkResult(
    ChapterInputError,
    "the options given to creationCostFigure",
    o,
    ["tasks", "works"],
    "pass an object with tasks, works, startMs, dispatchMs, cores",
  );
  const costs = o.works.map((w) =>
    creationCosts({ tasks: o.tasks, workMs: w, startMs: o.startMs, cores: o.cores, dispatchMs: o.dispatchMs }),
  );
  const fig = lineFigure(
    [
      { name: "one thread, one after another", x: o.works, y: costs.map((c) => c.sequential), color: "#777" },
      { name: "a new worker per task", x: o.works, y: costs.map((c) => c.workerPerTask), color: seriesColor(5) },
      {
        name: `a pool of ${o.cores} workers, started once`,
        x: o.works,
        y: costs.map((c) => c.pool),
        color: seriesColor(2),
      },
    ],
    `${o.tasks} tasks: batch time by work per task (forecast from measured start costs)`,
    "work per task (ms, log scale)",
    "batch time (ms, log scale)",
  );
  return withLayout(fig, {
    // decade ticks only (1, 10, 100): no minor "2 5" labels
    xaxis: { type: "log", dtick: 1, title: { text: "work per task (ms, log scale)" } },
    yaxis: { type: "log", dtick: 1, title: { text: "batch time (ms, log scale)" } },
  });
}

/**
 * Amdahl's law against this machine: the measured speedups (median of the paired runs, bars from the slowest to the
 * fastest pair) of 1..N workers on N cores, the least-disturbed runs the fit uses, the Amdahl curve of the fitted
 * serial fraction f through them (solid up to N), the same curve continued to `maxWorkers` as a model of a machine
 * with more cores (dashed), the ideal speedup (= workers, dotted) and the simulation's forecast for threads with a
 * GIL (flat at 1). When `amdahlFit` refuses the fit (too noisy), no Amdahl curve and no ceiling are drawn, and the
 * title says so. x is a log2 axis with ticks at 1, 2, 4, 8, …
 */
export function amdahlFigure(sp: SpeedupResult, maxWorkers = 32): Figure {
  checkResult(
    ChapterInputError,
    "the sp given to amdahlFigure",
    sp,
    ["cores", "tasks"],
    "pass what speedupExperiment(...) returned",
  );
  const fit = amdahlFit(sp);
  const n = Math.max(1, ...fit.points.map((p) => p.workers));
  // without a fit there is no model to continue: the axis stops just past the measured points, so they stay legible
  const top = fit.refused ? Math.max(4, 2 * n) : Math.max(maxWorkers, 2 * n);
  const upTo = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const curve = (xs: number[]) => xs.map((w) => amdahlSpeedup(fit.serialFraction, w));
  const beyond = upTo(n, top);
  const seq = sp.sequentialMs.median;
  const ticks: number[] = [];
  for (let t = 1; t <= top; t *= 2) ticks.push(t);
  const pct = (f: number) => (f * 100).toFixed(1);
  const taskMs = seq / sp.tasks;
  const fastestTaskMs = sp.sequentialMs.min / sp.tasks; // the least-disturbed main-thread run, per task
  const gil = upTo(1, top).map((w) => (sp.tasks * taskMs) / predictPoolMs(sp.tasks, taskMs, Math.min(w, 8), 1, true));
  const pairs = fit.points.map((p) => pairedSpeedups(sp, p));
  const fitted: Figure["data"] = fit.refused
    ? []
    : [
        {
          type: "scatter",
          mode: "lines",
          name: `Amdahl, f = ${pct(fit.serialFraction)} % (${pct(fit.range[0])}–${pct(fit.range[1])} %) fitted here`,
          x: upTo(1, n),
          y: curve(upTo(1, n)),
          line: { color: seriesColor(0), width: 3 },
        },
        {
          type: "scatter",
          mode: "lines",
          name:
            fit.serialFraction > 0
              ? `model only: the same f on more cores (ceiling 1 / f = ${fit.ceiling.toFixed(1)}×)`
              : "model only: the same f on more cores (f = 0: no ceiling)",
          x: beyond,
          y: curve(beyond),
          line: { color: seriesColor(0), width: 2, dash: "dash" },
        },
      ];
  const tasks = `${sp.tasks} CPU tasks of ${fastestTaskMs.toFixed(0)} ms (fastest run)`;
  const title = fit.refused ? `${tasks}: too noisy to fit Amdahl's law on this run` : `Amdahl's law fitted to ${tasks}`;
  return {
    data: [
      {
        type: "scatter",
        mode: "lines",
        name: "ideal: speedup = workers",
        x: upTo(1, top),
        y: upTo(1, top),
        line: { color: "#BBBBBB", dash: "dot", width: 2 },
        hoverinfo: "skip",
      },
      ...fitted,
      {
        type: "scatter",
        mode: "lines",
        name: "forecast: Python threads with the GIL (simulated)",
        x: upTo(1, top),
        y: gil,
        line: { color: seriesColor(1), dash: "dot", width: 2 },
      },
      {
        type: "scatter",
        mode: "markers",
        name: fit.refused ? "least-disturbed runs (too noisy to fit)" : "least-disturbed runs (the fit uses these)",
        x: fit.best.map((b) => b.workers),
        y: fit.best.map((b) => b.speedup),
        marker: { color: "white", size: 16, symbol: "circle", line: { color: "#555555", width: 2 } },
      },
      {
        type: "scatter",
        mode: "markers",
        name: `measured on this machine's ${sp.cores} cores: median of the paired runs (bar: slowest to fastest)`,
        x: fit.points.map((p) => p.workers),
        y: fit.points.map((p) => p.speedup),
        marker: { color: "#000000", size: 11, symbol: "diamond", line: { color: "white", width: 1 } },
        error_y: {
          type: "data",
          symmetric: false,
          array: fit.points.map((p, i) => Math.max(0, Math.max(...pairs[i]) - p.speedup)),
          arrayminus: fit.points.map((p, i) => Math.max(0, p.speedup - Math.min(...pairs[i]))),
          visible: true,
          color: "#000000",
        },
      },
    ],
    layout: baseLayout(title, "workers, each on its own core (log scale)", "speedup over the main thread (×)", {
      width: 900,
      height: 460,
      xaxis: {
        type: "log",
        title: { text: "workers, each on its own core (log scale)" },
        tickvals: ticks,
        ticktext: ticks.map(String),
        range: [Math.log10(0.9), Math.log10(top * 1.1)],
        zeroline: false,
      },
      yaxis: { title: { text: "speedup over the main thread (×)" }, rangemode: "tozero", zeroline: false },
      margin: { l: 70, r: 20, t: 60, b: 170 },
    }),
  };
}
