/**
 * Figures of chapter 08's sweep (lib/choose): pure data → plotly JSON.
 * - choosePhaseFigure: which model finishes first at each (CPU share, connections), one request time;
 * - chooseRuleFigure: what seed 001's rule picks on the same grid, ✗ where it loses;
 * - chooseLineFigure: time (or memory) of every model against connections at one CPU share.
 */

import { checkOptions, checkResult } from "../../errors/validate";
import { baseLayout, type Figure, seriesColor } from "../../plot/index";
import type { RealChoice } from "./real";
import { type RuleOptions, ruleAgrees, ruleModels, seedRule } from "./rule";
import { CHOOSE_LABELS, CHOOSE_TAGS, ChooseInputError, type ChooseModel, type ChooseSweep } from "./sweep";

/** One colour per model, the same on every chart of chapter 08. */
export const CHOOSE_COLORS: Record<ChooseModel, string> = {
  processes: seriesColor(2),
  threadsGil: seriesColor(1),
  threads: seriesColor(3),
  async: seriesColor(0),
  processesAsync: seriesColor(7),
  asyncN: seriesColor(9),
  messages: seriesColor(5),
};

const pct = (s: number) => `${Math.round(s * 100)} %`;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The error for a request time the sweep did not simulate. */
function notInSweep(sweep: ChooseSweep, requestMs: number): ChooseInputError {
  const times = sweep.requestMs.join(", ");
  return new ChooseInputError(
    `requestMs ${requestMs} is not in the sweep: use one of ${times}, or add it to the \`requestMs\` of chooseSweep.`,
  );
}

function stepScale(colors: string[]): [number, string][] {
  const k = colors.length;
  const out: [number, string][] = [];
  colors.forEach((c, i) => {
    out.push([i / k, c], [(i + 1) / k, c]);
  });
  return out;
}

function legendTraces(models: readonly ChooseModel[]): Figure["data"] {
  return models.map((m) => ({
    type: "scatter",
    mode: "markers",
    name: CHOOSE_LABELS[m],
    x: [null],
    y: [null],
    marker: { color: CHOOSE_COLORS[m], symbol: "square", size: 14 },
    hoverinfo: "skip",
  })) as Figure["data"];
}

function gridLayout(title: string, _sweep: ChooseSweep, extra: Record<string, unknown> = {}) {
  return baseLayout(title, "CPU share of each request", "connections", {
    height: 470,
    xaxis: { title: { text: "CPU share of each request (rest: waiting for IO)" }, type: "category" },
    yaxis: { title: { text: "connections (one request each)" }, type: "category" },
    margin: { l: 80, r: 20, t: 60, b: 150 },
    ...extra,
  } as Parameters<typeof baseLayout>[3]);
}

/**
 * Where each model wins, for the request time `requestMs` (one of the sweep's); cell text = the models within the tie.
 */
/** One heatmap cell per (CPU share, connections): colour = model index, label = `text`, hover = `hover`. */
function phaseHeatmap(
  x: string[],
  y: string[],
  z: number[][],
  text: string[][],
  hover: string[][],
  models: readonly ChooseModel[],
): Figure["data"][number] {
  return {
    type: "heatmap",
    x,
    y,
    z,
    zmin: -0.5,
    zmax: models.length - 0.5,
    colorscale: stepScale(models.map((m) => CHOOSE_COLORS[m])),
    showscale: false,
    text,
    texttemplate: "%{text}",
    textfont: { color: "white", size: 12 },
    customdata: hover,
    hovertemplate: "share %{x}, %{y} connections<br>%{customdata}<extra></extra>",
    xgap: 2,
    ygap: 2,
  } as unknown as Figure["data"][number];
}

export function choosePhaseFigure(
  sweep: ChooseSweep,
  requestMs: number,
  opts: { title?: string; real?: RealChoice[] } = {},
): Figure {
  opts = checkOptions(ChooseInputError, "choosePhaseFigure's options", opts, ["title", "real"]) as typeof opts;
  checkResult(
    ChooseInputError,
    "the sweep given to choosePhaseFigure",
    sweep,
    ["cpuShares", "requestMs"],
    "pass what chooseSweep(...) returned",
  );
  const r = sweep.requestMs.indexOf(requestMs);
  if (r < 0) throw notInSweep(sweep, requestMs);
  const models = sweep.models;
  const x = sweep.cpuShares.map(pct);
  const y = sweep.connections.map(String);
  const rows = sweep.cells[r];
  const z = rows.map((row) => row.map((c) => models.indexOf(c.winner)));
  const text = rows.map((row) => row.map((c) => c.near.map((m) => CHOOSE_TAGS[m]).join("=")));
  const hover = rows.map((row) =>
    row.map((c) =>
      c.outcomes
        .map(
          (o) => `${CHOOSE_TAGS[o.model]} ${o.model}: ${ms(o.makespan)} ms, ${o.workers} workers, ${ms(o.memoryMB)} MB`,
        )
        .join("<br>"),
    ),
  );
  const data: Figure["data"] = [phaseHeatmap(x, y, z, text, hover, models), ...legendTraces(models)];
  const marks = (opts.real ?? []).filter(
    (m) => m.point.requestMs === requestMs || Math.abs(m.point.requestMs - requestMs) / requestMs < 0.5,
  );
  const onGrid = marks.filter(
    (m) => sweep.cpuShares.includes(m.point.cpuShare) && sweep.connections.includes(m.point.connections),
  );
  if (onGrid.length > 0) {
    // white diamonds with a black outline and ✓ / ✗ inside: visible on every cell colour, also when they agree
    data.push({
      type: "scatter",
      mode: "text+markers",
      name: "measured here: ✓ the measurement shows the predicted effect, ✗ it does not",
      x: onGrid.map((m) => pct(m.point.cpuShare)),
      y: onGrid.map((m) => String(m.point.connections)),
      text: onGrid.map((m) => (m.agree ? "✓" : "✗")),
      textposition: "middle center",
      textfont: { color: "black", size: 15 },
      marker: { symbol: "diamond", size: 30, color: "white", line: { color: "black", width: 2 } },
      hovertext: onGrid.map(
        (m) =>
          `${m.label}<br>measured: async ${ms(m.measured.async)} ms, workers ${ms(m.measured.processes)} ms` +
          `<br>async ÷ workers: measured ${m.measuredSpeedup.toFixed(2)}× (${m.measuredVerdict}), ` +
          `model ${m.predictedSpeedup.toFixed(2)}× (${m.predictedVerdict})`,
      ),
      hoverinfo: "text",
    } as unknown as Figure["data"][number]);
  }
  const costs = sweep.costs;
  return {
    data,
    layout: gridLayout(
      opts.title ?? `Who serves all connections first — requests of ${requestMs} ms, ${costs.cores} cores`,
      sweep,
      {
        legend: { orientation: "h", yref: "container", y: 0, yanchor: "bottom", x: 0, xanchor: "left" },
      },
    ),
  };
}

/** The rule's pick on the same grid; ✗ marks cells where the pick is not within the tie of the simulated winner. */
export function chooseRuleFigure(
  sweep: ChooseSweep,
  requestMs: number,
  options: RuleOptions & { title?: string } = {},
): Figure {
  checkResult(
    ChooseInputError,
    "the sweep given to chooseRuleFigure",
    sweep,
    ["cpuShares", "requestMs"],
    "pass what chooseSweep(...) returned",
  );
  const r = sweep.requestMs.indexOf(requestMs);
  if (r < 0) throw notInSweep(sweep, requestMs);
  const models = sweep.models;
  const rows = sweep.cells[r];
  const pickModel = (c: (typeof rows)[number][number]) => ruleModels(seedRule(c.point, options), models)[0] ?? c.winner;
  const z = rows.map((row) => row.map((c) => models.indexOf(pickModel(c))));
  const text = rows.map((row) =>
    row.map((c) => (ruleAgrees(c, models, options) ? CHOOSE_TAGS[pickModel(c)] : `${CHOOSE_TAGS[pickModel(c)]} ✗`)),
  );
  const hover = rows.map((row) =>
    row.map((c) => `rule: ${seedRule(c.point, options)}; simulated winner: ${c.near.join(" = ")}`),
  );
  return {
    data: [
      phaseHeatmap(sweep.cpuShares.map(pct), sweep.connections.map(String), z, text, hover, models),
      ...legendTraces(models),
    ],
    layout: gridLayout(
      options.title ?? `What seed 001's rule picks — requests of ${requestMs} ms (✗: it loses)`,
      sweep,
      {
        legend: { orientation: "h", yref: "container", y: 0, yanchor: "bottom", x: 0, xanchor: "left" },
      },
    ),
  };
}

/** Every model's makespan (ms) or memory (MB) against connections, at one CPU share and request time. */
export function chooseLineFigure(
  sweep: ChooseSweep,
  requestMs: number,
  cpuShare: number,
  metric: "makespan" | "memoryMB" = "makespan",
  title?: string,
  options: { reservedStackMB?: number } = {},
): Figure {
  options = checkOptions(ChooseInputError, "chooseLineFigure's options", options, [
    "reservedStackMB",
  ]) as typeof options;
  checkResult(
    ChooseInputError,
    "the sweep given to chooseLineFigure",
    sweep,
    ["cpuShares", "requestMs"],
    "pass what chooseSweep(...) returned",
  );
  const r = sweep.requestMs.indexOf(requestMs);
  const s = sweep.cpuShares.indexOf(cpuShare);
  if (r < 0) throw notInSweep(sweep, requestMs);
  if (s < 0) {
    const shares = sweep.cpuShares.join(", ");
    throw new ChooseInputError(
      `cpuShare ${cpuShare} is not in the sweep: use one of ${shares}, or add it to the \`cpuShares\` of chooseSweep.`,
    );
  }
  const yTitle = metric === "makespan" ? "time to serve them all (ms, log)" : "memory (MB, log)";
  const data: Figure["data"] = sweep.models.map((m) => ({
    type: "scatter",
    mode: "lines+markers",
    name: CHOOSE_LABELS[m],
    x: sweep.connections,
    y: sweep.cells[r].map((row) => row[s].outcomes.find((o) => o.model === m)![metric]),
    line: { color: CHOOSE_COLORS[m], width: 3 },
    marker: { size: 7 },
    hovertemplate: `${m}: %{y:.3g} at %{x} connections<extra></extra>`,
  }));
  const stack = options.reservedStackMB;
  if (metric === "memoryMB" && stack !== undefined && stack > 0) {
    const threads = sweep.models.find((m) => m === "threads" || m === "threadsGil");
    const workers = sweep.cells[r].map((row) => row[s].outcomes.find((o) => o.model === threads)?.workers ?? 0);
    data.push({
      type: "scatter",
      mode: "lines",
      name: `threads: ${stack} MB of stack reserved each (address space, not RAM)`,
      x: sweep.connections,
      y: workers.map((w) => w * stack),
      line: { color: threads ? CHOOSE_COLORS[threads] : "grey", width: 2, dash: "dot" },
      hovertemplate: "reserved address space: %{y:.3g} MB at %{x} connections<extra></extra>",
    });
  }
  const decades = { type: "log", dtick: 1, exponentformat: "none" } as const;
  return {
    data,
    layout: baseLayout(
      title ??
        `${metric === "makespan" ? "Time" : "Memory"} against connections — ` +
          `CPU share ${pct(cpuShare)}, requests of ${requestMs} ms`,
      "connections (log scale)",
      yTitle,
      {
        xaxis: { ...decades, title: { text: "connections (log scale)" } },
        yaxis: { ...decades, title: { text: yTitle } },
        height: 470,
        margin: { l: 80, r: 20, t: 70, b: 170 },
      } as Parameters<typeof baseLayout>[3],
    ),
  };
}
