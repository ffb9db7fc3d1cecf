/**
 * Chapter 07's own figures: the real sleep experiment as wall time beside CPU use (a blocked loop vs a busy loop),
 * how often real Node printed each order of setTimeout(0) vs setImmediate, three requests under Promise.all /
 * allSettled / any / race, and Promise.race with a timeout in real node processes. Pure: data → plotly JSON.
 */

import { ChapterInputError } from "../../errors";
import { checkResult, checkRows } from "../../errors/validate";
import { baseLayout, type Figure, STATE_COLORS, seriesColor } from "../../plot/index";
import type { SleepDemoResult, SleepMode } from "../../real/index";
import type { CombinatorScenario } from "./hazards";
import type { HazardRun } from "./hazards-real";
import type { TimeoutVsImmediateReal } from "./real-node";

const MODE_LABEL: Record<SleepMode, string> = {
  sequential: "one after another, await sleep",
  concurrent: "Promise.all + await sleep",
  blockingConcurrent: "Promise.all + busy wait",
  atomicsWaitConcurrent: "Promise.all + Atomics.wait",
};

/** Two panels per way of sleeping: total wall time (ms) and the process's CPU use (% of one core). */
export function sleepCpuFigure(r: SleepDemoResult): Figure {
  checkResult(
    ChapterInputError,
    "the r given to sleepCpuFigure",
    r,
    ["tasks", "sleepMs"],
    "pass what sleepSequentialVsConcurrent(...) returned",
  );
  const labels = r.runs.map((run) => MODE_LABEL[run.mode]);
  const colors = r.runs.map((_, i) => seriesColor(i));
  const layout = baseLayout(
    `${r.tasks} tasks that each sleep ${r.sleepMs} ms: wall time and CPU`,
    "total time (ms)",
    "",
    {
      height: 170 + 46 * r.runs.length,
      showlegend: false,
      xaxis: { title: { text: "total time (ms)" }, domain: [0, 0.47], rangemode: "tozero", zeroline: false },
      xaxis2: { title: { text: "CPU use (% of one core)" }, domain: [0.53, 1], range: [0, 110], anchor: "y" },
      yaxis: { autorange: "reversed", automargin: true },
      margin: { l: 230, r: 30, t: 60, b: 70 },
    },
  );
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        name: "total time",
        y: labels,
        x: r.runs.map((run) => run.totalMs),
        text: r.runs.map((run) => `${Math.round(run.totalMs)} ms`),
        textposition: "auto",
        marker: { color: colors },
        hovertemplate: "%{y}: %{x:.0f} ms<extra></extra>",
      },
      {
        type: "bar",
        orientation: "h",
        name: "CPU use",
        y: labels,
        x: r.runs.map((run) => run.cpuPercent),
        xaxis: "x2",
        text: r.runs.map((run) => `${Math.round(run.cpuPercent)} %`),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: colors },
        hovertemplate: "%{y}: %{x:.0f} % of one core<extra></extra>",
      },
    ],
    layout,
  };
}

/** Runs of a fresh node process per printed order (bars), for setTimeout(0) vs setImmediate. */
export function timeoutVsImmediateFigure(results: TimeoutVsImmediateReal[]): Figure {
  checkRows(
    ChapterInputError,
    "the results given to timeoutVsImmediateFigure",
    results,
    [],
    "pass a list of what timeoutVsImmediateReal(...) returns",
  );
  const orders = ["immediate → timeout", "timeout → immediate"];
  const where = (s: string) => (s === "main" ? "from the main script" : "inside an IO callback");
  return {
    data: orders.map((o, i) => ({
      type: "bar" as const,
      orientation: "h" as const,
      name: `printed ${o}`,
      y: results.map((r) => `${where(r.start)} (${r.runs} runs)`),
      x: results.map((r) => r.counts.find((c) => c.order.join(" → ") === o)?.runs ?? 0),
      marker: { color: seriesColor(i + 4) },
      hovertemplate: `%{y}: %{x} runs printed ${o}<extra></extra>`,
    })),
    layout: baseLayout("setTimeout(f, 0) vs setImmediate(g), fresh node processes", "runs", "", {
      barmode: "stack",
      height: 300,
      yaxis: { automargin: true },
    }),
  };
}

const SYMBOL = { fulfilled: "circle", rejected: "x" } as const;
/** Pending: a light grey, apart from the IO grey and every task colour. */
const PENDING_COLOR = STATE_COLORS.ready;
const OUTCOME_MARK = "#333333";

/**
 * Three requests and the combinators over them, on one time axis (simulated ms): each request waits for its IO
 * (grey, hatched) and settles (a mark in its task colour: ● fulfilled, ✕ rejected); each combinator is pending
 * (light grey) until it settles, labelled with what it settled with.
 */
export function combinatorFigure(s: CombinatorScenario, title = "Three requests, four ways to wait for them"): Figure {
  checkResult(
    ChapterInputError,
    "the s given to combinatorFigure",
    s,
    ["run", "requests"],
    "pass a CombinatorScenario, as in the chapter",
  );
  const color = (name: string) => seriesColor(s.run.tasks.find((t) => t.name === name)?.index ?? 0);
  const reqRow = (name: string) => `request ${name}`;
  const rows = [...s.requests.map((r) => reqRow(r.name)), ...s.combinators.map((c) => c.name)];
  const end = Math.max(...s.requests.map((r) => r.at), ...s.combinators.map((c) => c.at), 1);
  const data: Figure["data"] = [
    {
      type: "bar",
      orientation: "h",
      name: "request waits for its IO",
      y: s.requests.map((r) => reqRow(r.name)),
      base: s.requests.map(() => 0),
      x: s.requests.map((r) => r.at),
      width: 0.5,
      hovertext: s.requests.map((r) => `${r.name} waits for its request 0–${r.at} ms`),
      hoverinfo: "text",
      marker: {
        color: STATE_COLORS.io,
        line: { color: "#555555", width: 1 },
        pattern: { shape: "/", fgcolor: "white", fillmode: "overlay", size: 6 },
      },
    } as Figure["data"][number],
    {
      type: "bar",
      orientation: "h",
      name: "combinator pending",
      y: s.combinators.map((c) => c.name),
      base: s.combinators.map(() => 0),
      x: s.combinators.map((c) => c.at),
      width: 0.5,
      hovertext: s.combinators.map((c) => `${c.name} pending 0–${c.at} ms`),
      hoverinfo: "text",
      marker: { color: PENDING_COLOR, line: { color: "#8C8C8C", width: 1 } },
    },
  ];
  for (const r of s.requests)
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${r.name} ${r.outcome}`,
      showlegend: false,
      y: [reqRow(r.name)],
      x: [r.at],
      marker: { symbol: SYMBOL[r.outcome], size: 14, color: color(r.name), line: { width: 2, color: color(r.name) } },
      hovertext: [`${r.name} ${r.outcome} at ${r.at} ms: ${r.text}`],
      hoverinfo: "text",
    });
  for (const outcome of ["fulfilled", "rejected"] as const) {
    const cs = s.combinators.filter((c) => c.outcome === outcome);
    data.push({
      type: "scatter",
      mode: "text+markers",
      name: outcome,
      y: cs.map((c) => c.name),
      x: cs.map((c) => c.at),
      text: cs.map((c) => `${outcome} at ${c.at} ms: ${c.text.length > 40 ? `${c.text.slice(0, 39)}…` : c.text}`),
      textposition: "middle right",
      cliponaxis: false,
      marker: { symbol: SYMBOL[outcome], size: 12, color: OUTCOME_MARK, line: { width: 2, color: OUTCOME_MARK } },
      hovertext: cs.map((c) => `${c.name} ${outcome} at ${c.at} ms: ${c.text}`),
      hoverinfo: "text",
    });
  }
  return {
    data,
    layout: baseLayout(title, "simulated time (ms)", "", {
      barmode: "overlay",
      height: 200 + 40 * rows.length,
      xaxis: { title: { text: "simulated time (ms)" }, range: [0, end * 2.4], zeroline: false, gridcolor: "#eee" },
      yaxis: { categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      margin: { l: 150, r: 30, t: 60, b: 96 },
    }),
  };
}

const RACE_EVENTS = [
  { match: /^timeout timer fires/, name: "timeout timer fires", symbol: "diamond", color: "#D55E00" },
  { match: /^race /, name: "Promise.race settles", symbol: "x", color: "#333333" },
  { match: /^work: /, name: "work's side effect (order saved)", symbol: "star", color: "#009E73" },
  { match: /^process exits/, name: "process exits", symbol: "line-ns", color: "#000000" },
] as const;

/** One row per node process of `raceTimeoutReal`: how long it lived (light grey) and when each event happened. */
export function raceTimeoutFigure(
  runs: HazardRun[],
  title = "Promise.race with a timeout, three node processes",
): Figure {
  checkRows(
    ChapterInputError,
    "the runs given to raceTimeoutFigure",
    runs,
    [],
    "pass a list of what raceTimeoutReal(...) returns",
  );
  const rows = runs.map((r) => r.label);
  const exitAt = (r: HazardRun) => r.events.find((e) => /^process exits/.test(e.text))?.at ?? 0;
  const data: Figure["data"] = [
    {
      type: "bar",
      orientation: "h",
      name: "process alive",
      y: rows,
      base: runs.map(() => 0),
      x: runs.map(exitAt),
      width: 0.45,
      hovertext: runs.map((r) => `${r.label}: alive 0–${exitAt(r)} ms`),
      hoverinfo: "text",
      marker: { color: PENDING_COLOR, line: { color: "#8C8C8C", width: 1 } },
    },
  ];
  for (const kind of RACE_EVENTS) {
    const pts = runs.flatMap((r) => r.events.filter((e) => kind.match.test(e.text)).map((e) => ({ row: r.label, e })));
    data.push({
      type: "scatter",
      mode: "markers",
      name: kind.name,
      y: pts.map((p) => p.row),
      x: pts.map((p) => p.e.at),
      marker: {
        symbol: kind.symbol,
        size: kind.symbol === "line-ns" ? 22 : 13,
        color: kind.color,
        line: { width: 2.5, color: kind.color },
      },
      hovertext: pts.map((p) => `${p.e.text} at ${p.e.at} ms`),
      hoverinfo: "text",
    });
  }
  return {
    data,
    layout: baseLayout(title, "time since the script started (ms)", "", {
      height: 330,
      xaxis: { title: { text: "time since the script started (ms)" }, rangemode: "tozero", gridcolor: "#eee" },
      yaxis: { categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      margin: { l: 60, r: 30, t: 60, b: 110 },
    }),
  };
}
