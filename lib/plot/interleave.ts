/**
 * Figures of the interleaving explorer: outcome histogram (exact counts beside sampled frequencies), the tree of
 * interleavings, the interleaving table (escaped HTML) and the wait-for graph of a deadlock. Pure: data → Figure.
 */

import type { Annotations, PlotData } from "plotly.js";
import { checkResult, checkRows, checkString } from "../errors/validate";
import type { ExploreResult, InterleaveDeadlock } from "../interleave/explore";
import type { InterleaveReplay } from "../interleave/replay";
import type { SampleResult } from "../interleave/sample";
import type { InterleaveTree } from "../interleave/tree";
import { FigureInputError } from "./errors";
import { baseLayout, type Figure, seriesColor } from "./figure";
import { escapeHtml, TABLE_STYLE } from "./html";

function schedulerLabel(name: string): string {
  return name === "pct" ? "PCT" : name === "random" ? "random scheduler" : `scheduler "${name}"`;
}

function shortKey(k: string): string {
  return k.length > 48 ? k.slice(0, 45) + "…" : k;
}

/** Share (%) of schedules per outcome (exact, from explore) beside share (%) of runs per outcome for each sample. */
export function outcomeHistogramFigure(
  exact: ExploreResult | null,
  samples: SampleResult | SampleResult[] = [],
): Figure {
  if (exact !== null)
    checkResult(
      FigureInputError,
      "the exact result given to outcomeHistogramFigure",
      exact,
      ["outcomes"],
      "pass what explore(...) returned, or null",
    );
  const list = checkRows<SampleResult>(
    FigureInputError,
    "the samples given to outcomeHistogramFigure",
    Array.isArray(samples) ? samples : [samples],
    ["outcomes"],
    "pass what sample(...) returned (one result or a list)",
    { max: 20 },
  );
  const keys: string[] = [];
  if (exact) for (const o of exact.outcomes) keys.push(o.key);
  for (const s of list) for (const o of s.outcomes) if (!keys.includes(o.key)) keys.push(o.key);
  const data: Partial<PlotData>[] = [];
  if (exact?.histogram && exact.schedules) {
    const total = exact.schedules;
    const share = (c: bigint) => Number((c * 1_000_000n) / total) / 10_000;
    data.push({
      type: "bar",
      name: "all schedules (exact count)",
      x: keys.map(shortKey),
      y: keys.map((k) => share(exact.histogram!.get(k) ?? 0n)),
      text: keys.map(
        (k) =>
          `${(exact.histogram!.get(k) ?? 0n).toLocaleString("en-US")} of ${total.toLocaleString("en-US")} schedules`,
      ),
      hovertemplate: "%{x}<br>%{y:.2f} %<br>%{text}<extra></extra>",
      textposition: "none",
      marker: { color: seriesColor(0) },
    });
  }
  list.forEach((s, i) => {
    data.push({
      type: "bar",
      name: `${schedulerLabel(s.scheduler)} (${s.runs.toLocaleString("en-US")} runs, seed ${s.seed})`,
      x: keys.map(shortKey),
      y: keys.map((k) => (100 * (s.histogram.get(k) ?? 0)) / s.runs),
      text: keys.map((k) => `${s.histogram.get(k) ?? 0} runs`),
      textposition: "none",
      hovertemplate: "%{x}<br>%{y:.2f} %<br>%{text}<extra></extra>",
      marker: { color: seriesColor(i + 1) },
    });
  });
  const title =
    exact && !exact.finite
      ? "Outcomes (spin loop: infinitely many schedules, sampled runs only)"
      : "Outcomes: share of schedules vs share of random runs";
  return {
    data,
    layout: baseLayout(title, "outcome (final shared state)", "share (%)", { barmode: "group", height: 400 }),
  };
}

/**
 * The tree of interleavings: one edge per step coloured by thread, one leaf per complete schedule coloured by outcome.
 */
export function interleavingTreeFigure(tree: InterleaveTree, title = "Every interleaving"): Figure {
  checkString(FigureInputError, "the title of interleavingTreeFigure", title, { allowEmpty: true, maxLength: 500 });
  checkResult(
    FigureInputError,
    "the tree given to interleavingTreeFigure",
    tree,
    ["threadNames", "leaves"],
    "pass what interleavingTree(...) returned",
  );
  const { nodes } = tree;
  const data: Partial<PlotData>[] = [];
  tree.threadNames.forEach((name, t) => {
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    for (const n of nodes) {
      if (n.thread !== t) continue;
      const p = nodes[n.parent];
      x.push(p.x, n.x, null);
      y.push(p.depth, n.depth, null);
    }
    data.push({
      type: "scatter",
      mode: "lines",
      name: `${name} steps`,
      x,
      y,
      line: { color: seriesColor(t), width: 2 },
      hoverinfo: "skip",
    });
  });
  const inner = nodes.filter((n) => n.outcome === null);
  data.push({
    type: "scatter",
    mode: "markers",
    name: "prefix",
    showlegend: false,
    x: inner.map((n) => n.x),
    y: inner.map((n) => n.depth),
    marker: { color: "#7F7F7F", size: 5 },
    text: inner.map(
      (n) => `${n.schedule || "(start)"}<br>${n.thread >= 0 ? tree.threadNames[n.thread] + ": " + n.text : ""}`,
    ),
    hovertemplate: "%{text}<extra></extra>",
  });
  tree.outcomes.forEach((o, k) => {
    const ls = nodes.filter((n) => n.outcome === o);
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${shortKey(o)} (${ls.length})`,
      x: ls.map((n) => n.x),
      y: ls.map((n) => n.depth),
      marker: { color: seriesColor(tree.threadNames.length + k), size: 10, symbol: "diamond" },
      text: ls.map((n) => `schedule ${n.schedule}<br>${o}`),
      hovertemplate: "%{text}<extra></extra>",
    });
  });
  const maxDepth = nodes.reduce((d, n) => Math.max(d, n.depth), 0);
  return {
    data,
    layout: baseLayout(
      `${title}: ${tree.leaves} complete schedules`,
      "complete schedule (one leaf each)",
      "steps taken",
      {
        yaxis: {
          title: { text: "steps taken" },
          autorange: "reversed",
          dtick: 1,
          range: [maxDepth + 0.5, -0.5],
          zeroline: false,
        },
        xaxis: { title: { text: "complete schedule (one leaf each)" }, showticklabels: false, zeroline: false },
        height: 460,
      },
    ),
  };
}

/**
 * The seed's interleaving table as an HTML string (every text escaped): order, thread, step, its registers, shared
 * cells.
 */
export function interleaveTableHtml(r: InterleaveReplay): string {
  checkResult(
    FigureInputError,
    "the r given to interleaveTableHtml",
    r,
    ["schedule", "cellNames"],
    "pass what replay(...) returned",
  );
  const e = escapeHtml;
  const regs = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
  const head = ["Order", "Thread", "Step", "Registers"].concat(r.cellNames.map((c) => `value of ${c}`));
  const rows = r.steps.map((s) => {
    const cells = r.cellNames.map((c) => `<td style="text-align:right">${e(String(s.cells[c]))}</td>`).join("");
    return (
      `<tr><td style="text-align:right">${s.order}</td><td style="color:${seriesColor(s.thread)};` +
      `font-weight:600">${e(s.threadName)}</td>` +
      `<td><code>${e(s.text)}</code></td><td><code>${e(regs(s.registers))}</code></td>${cells}</tr>`
    );
  });
  const end = r.status === "running" ? "still running" : `${r.status}: ${r.outcome ?? ""}`;
  return (
    `<table class="cbe-table interleave-table">` +
    `<caption style="text-align:left">Schedule <code>${e(r.schedule)}</code> &mdash; ${e(end)}</caption>` +
    `<thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}` +
    `</tbody></table>${TABLE_STYLE}`
  );
}

/**
 * Wait-for graph of a deadlocked state: threads and mutexes; arrows "waits for" (thread → mutex) and "held by" (mutex →
 * thread).
 */
export function waitForGraphFigure(d: InterleaveDeadlock, threadNames: string[]): Figure {
  checkResult(
    FigureInputError,
    "the d given to waitForGraphFigure",
    d,
    ["holders", "waiting"],
    "pass a InterleaveDeadlock, as in the chapter",
  );
  const threads = threadNames.filter((t) => t in d.waiting || Object.values(d.holders).includes(t));
  const mutexes = Object.keys(d.holders)
    .concat(Object.values(d.waiting))
    .filter((m, i, a) => a.indexOf(m) === i);
  const ring: { name: string; kind: "thread" | "mutex" }[] = [];
  for (let i = 0; i < Math.max(threads.length, mutexes.length); i++) {
    if (i < threads.length) ring.push({ name: threads[i], kind: "thread" });
    if (i < mutexes.length) ring.push({ name: mutexes[i], kind: "mutex" });
  }
  const pos = new Map<string, [number, number]>();
  ring.forEach((n, i) => {
    const a = Math.PI / 2 - (2 * Math.PI * i) / ring.length;
    pos.set(`${n.kind}:${n.name}`, [Math.cos(a), Math.sin(a)]);
  });
  const data: Partial<PlotData>[] = threads.map((t) => {
    const [x, y] = pos.get(`thread:${t}`)!;
    return {
      type: "scatter",
      mode: "text+markers",
      name: `thread ${t}`,
      x: [x],
      y: [y],
      text: [t],
      textposition: "middle center",
      marker: { size: 46, color: seriesColor(threadNames.indexOf(t)) },
      textfont: { color: "white", size: 14 },
      hoverinfo: "name",
    };
  });
  data.push({
    type: "scatter",
    mode: "text+markers",
    name: "mutex",
    x: mutexes.map((m) => pos.get(`mutex:${m}`)![0]),
    y: mutexes.map((m) => pos.get(`mutex:${m}`)![1]),
    text: mutexes,
    textposition: "middle center",
    marker: { size: 42, symbol: "square", color: "#E0E0E0", line: { color: "#555", width: 1 } },
    hoverinfo: "text",
  });
  const annotations: Partial<Annotations>[] = [];
  const arrow = (from: string, to: string, label: string, color: string) => {
    const [x0, y0] = pos.get(from)!;
    const [x1, y1] = pos.get(to)!;
    annotations.push({
      x: x1,
      y: y1,
      ax: x0,
      ay: y0,
      xref: "x",
      yref: "y",
      axref: "x",
      ayref: "y",
      showarrow: true,
      arrowhead: 2,
      arrowsize: 1.3,
      arrowwidth: 2,
      arrowcolor: color,
      standoff: 24,
      startstandoff: 24,
      text: "",
    });
    annotations.push({
      x: (x0 + x1) / 2,
      y: (y0 + y1) / 2,
      xref: "x",
      yref: "y",
      showarrow: false,
      text: label,
      font: { color, size: 12 },
      bgcolor: "white",
    });
  };
  for (const [t, m] of Object.entries(d.waiting)) arrow(`thread:${t}`, `mutex:${m}`, "waits for", "#D55E00");
  for (const [m, t] of Object.entries(d.holders)) arrow(`mutex:${m}`, `thread:${t}`, "held by", "#555555");
  const hidden = { visible: false, range: [-1.5, 1.5] };
  return {
    data,
    layout: baseLayout("Deadlock: who waits for whom", "", "", {
      xaxis: hidden,
      yaxis: { ...hidden, scaleanchor: "x" },
      annotations,
      height: 420,
      showlegend: true,
    }),
  };
}
