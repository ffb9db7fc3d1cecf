/**
 * Chapter 09's own figures. Colours: one per concurrency limit or queue bound (kept across the chapter's charts);
 * the producer is orange and the consumer green wherever they appear; waits are greys, never a task's colour.
 * Pure: data → plotly JSON.
 */
import { checkResult, checkRows } from "../../errors/validate";
import { baseLayout, type Figure, STATE_COLORS, seriesColor, type Trace } from "../../plot/index";
import type { BackpressureResult, CounterMode, MessageCounterResult } from "../../real/index";
import type { QueueModelRun } from "./backpressure";
import { limitLabel } from "./crawl";
import { CoordInputError } from "./errors";

/** Colour of a concurrency limit (1, 2, 4, Infinity, then others), the same in every chart of the chapter. */
export function limitColor(limit: number): string {
  const fixed: Record<string, number> = { 1: 0, 2: 4, 4: 7, Infinity: 9, 3: 3, 8: 8 };
  return seriesColor(fixed[String(limit)] ?? 6);
}

/** The producer's and the consumer's colours. */
export const ROLE_COLORS = { producer: seriesColor(1), consumer: seriesColor(2) } as const;

/** Colour of a queue bound: no bound in vermillion, a bound in blue. */
export function boundColor(capacity: number): string {
  return capacity === Infinity ? seriesColor(5) : seriesColor(0);
}

/** Step points (time, count) of how many [start, end) intervals are open; an end at t comes before a start at t. */
export function inFlightSteps(intervals: { start: number; end: number }[]): { t: number[]; n: number[] } {
  checkRows(
    CoordInputError,
    "the intervals given to inFlightSteps",
    intervals,
    [],
    "pass a list of objects with start, end",
  );
  const ev = intervals.flatMap((x) => [
    [x.start, 1],
    [x.end, -1],
  ]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const t = [0];
  const n = [0];
  let k = 0;
  for (const [time, d] of ev) {
    k += d;
    if (t[t.length - 1] === time) n[n.length - 1] = k;
    else {
      t.push(time);
      n.push(k);
    }
  }
  return { t, n };
}

/** One line of `inFlightFigure`: a limit, the label of its run, and its fetches. */
export interface InFlightLine {
  limit: number;
  label?: string;
  intervals: { start: number; end: number }[];
  dash?: "solid" | "dot" | "dash";
}

/** Fetches in flight over time (ms), one step line per limit. */
export function inFlightFigure(lines: InFlightLine[], title: string): Figure {
  checkRows(
    CoordInputError,
    "the lines given to inFlightFigure",
    lines,
    [],
    "pass a list of InFlightLine rows, as in the chapter",
  );
  const data: Trace[] = lines.map((l) => {
    const s = inFlightSteps(l.intervals);
    const done = Math.max(...l.intervals.map((x) => x.end));
    return {
      type: "scatter",
      mode: "lines",
      line: { shape: "hv", color: limitColor(l.limit), width: 3, dash: l.dash ?? "solid" },
      name: l.label ?? `${limitLabel(l.limit)}: done at ${Math.round(done)} ms`,
      x: s.t,
      y: s.n,
      hovertemplate: `${limitLabel(l.limit)}: %{y} in flight at %{x:.0f} ms<extra></extra>`,
    };
  });
  return {
    data,
    layout: baseLayout(title, "time (ms)", "fetches in flight", {
      height: 400,
      yaxis: { title: { text: "fetches in flight" }, rangemode: "tozero", dtick: 2, zeroline: false },
      xaxis: { title: { text: "time (ms)" }, rangemode: "tozero", zeroline: false },
      margin: { l: 70, r: 20, t: 60, b: 120 },
    }),
  };
}

/** One fetch for `crawlGanttFigure`: start (got its permit), serverStart (server began; default start), end (ms). */
export interface GanttFetch {
  start: number;
  serverStart?: number;
  end: number;
}

/** One row per fetch: waiting for a permit (light grey), waiting in the server's queue (grey), being served. */
export function crawlGanttFigure(fetches: GanttFetch[], title: string): Figure {
  checkRows(
    CoordInputError,
    "the fetches given to crawlGanttFigure",
    fetches,
    [],
    "pass a list of GanttFetch rows, as in the chapter",
  );
  const rows = fetches.map((_, i) => `fetch ${i + 1}`);
  const part = (name: string, color: string, from: (f: GanttFetch) => number, to: (f: GanttFetch) => number) => {
    const keep = fetches.map((f, i) => ({ i, a: from(f), b: to(f) })).filter((x) => x.b - x.a > 1e-9);
    return {
      type: "bar",
      orientation: "h",
      name,
      y: keep.map((x) => rows[x.i]),
      base: keep.map((x) => x.a),
      x: keep.map((x) => x.b - x.a),
      marker: { color, line: { width: 0 } },
      hovertemplate: `%{y}: ${name}, %{base:.0f} → %{customdata:.0f} ms<extra></extra>`,
      customdata: keep.map((x) => x.b),
    } as Trace;
  };
  const data = [
    part(
      "waiting for a permit",
      STATE_COLORS.ready,
      () => 0,
      (f) => f.start,
    ),
    part(
      "waiting in the server's queue",
      STATE_COLORS.io,
      (f) => f.start,
      (f) => f.serverStart ?? f.start,
    ),
    part(
      "being served (holds a permit)",
      STATE_COLORS.running,
      (f) => f.serverStart ?? f.start,
      (f) => f.end,
    ),
  ].filter((t) => (t.x as number[]).length > 0);
  return {
    data,
    layout: baseLayout(title, "time (ms)", "fetch", {
      barmode: "overlay",
      bargap: 0.3,
      height: 170 + 24 * rows.length,
      yaxis: { type: "category", categoryorder: "array", categoryarray: [...rows].reverse(), automargin: true },
      xaxis: { title: { text: "time (ms)" }, rangemode: "tozero", zeroline: false },
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom" },
      margin: { l: 80, r: 20, t: 90, b: 50 },
    }),
  };
}

const boundLabel = (c: number) => (c === Infinity ? "no bound" : `bound ${c}`);

/** Queue length over time (ms): the model's runs dashed, the measured runs solid. */
export function queueLengthFigure(models: QueueModelRun[], measured?: BackpressureResult): Figure {
  checkRows(
    CoordInputError,
    "the models given to queueLengthFigure",
    models,
    [],
    "pass a list of what queueModel(...) returns",
  );
  const data: Trace[] = models.map((m) => ({
    type: "scatter",
    mode: "lines",
    name: `model, ${boundLabel(m.capacity)}`,
    x: m.queue.map((p) => p[0]),
    y: m.queue.map((p) => p[1]),
    line: { shape: "hv", color: boundColor(m.capacity), dash: "dash", width: 2 },
  }));
  for (const r of measured?.runs ?? [])
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `measured, ${boundLabel(r.capacity)}`,
      x: r.samples.map((s) => Math.round(s.t)),
      y: r.samples.map((s) => s.queue),
      line: { color: boundColor(r.capacity), width: 3 },
      marker: { size: 5, color: boundColor(r.capacity) },
    });
  const m0 = models[0];
  const title = m0
    ? `Items waiting in the queue: producer ${1000 / m0.produceMs} items/s, consumer ${1000 / m0.consumeMs} items/s`
    : "Items waiting in the queue";
  return {
    data,
    layout: baseLayout(title, "time (ms)", "items in the queue", {
      height: 400,
      yaxis: { title: { text: "items in the queue" }, rangemode: "tozero", zeroline: false },
      margin: { l: 70, r: 20, t: 60, b: 120 },
    }),
  };
}

/**
 * Measured heap growth (MiB) over time (ms) per run, the heap still held after a full collection at the end
 * (diamonds), and the model's queue × item size dashed.
 */
export function heapFigure(measured: BackpressureResult, models: QueueModelRun[] = []): Figure {
  checkResult(
    CoordInputError,
    "the measured given to heapFigure",
    measured,
    ["runs"],
    "pass what backpressureExperiment(...) returned",
  );
  const MB = 1024 * 1024;
  const data: Trace[] = measured.runs.map((r) => ({
    type: "scatter",
    mode: "lines+markers",
    name: `heap used, measured, ${boundLabel(r.capacity)}`,
    x: r.samples.map((s) => Math.round(s.t)),
    y: r.samples.map((s) => s.heapBytes / MB),
    line: { color: boundColor(r.capacity), width: 3 },
    marker: { size: 5, color: boundColor(r.capacity) },
  }));
  for (const r of measured.runs) {
    if (r.retainedBytes === null) continue;
    const end = r.samples.length ? Math.round(r.samples[r.samples.length - 1].t) : 0;
    data.push({
      type: "scatter",
      mode: "markers",
      name: `held after a full collection, ${boundLabel(r.capacity)}: ${(r.retainedBytes / MB).toFixed(1)} MiB`,
      x: [end],
      y: [r.retainedBytes / MB],
      marker: { symbol: "diamond", size: 13, color: boundColor(r.capacity), line: { color: "#222", width: 1 } },
    });
  }
  for (const m of models)
    data.push({
      type: "scatter",
      mode: "lines",
      name: `model: items in the queue × ${Math.round(m.itemBytes / 1024)} KiB, ${boundLabel(m.capacity)}`,
      x: m.queue.map((p) => p[0]),
      y: m.queue.map((p) => (p[1] * m.itemBytes) / MB),
      line: { shape: "hv", color: boundColor(m.capacity), dash: "dash", width: 2 },
    });
  return {
    data,
    layout: baseLayout(
      "Heap used above the start of the run (process.memoryUsage().heapUsed, garbage included)",
      "time (ms)",
      "heap growth (MiB)",
      { height: 440, margin: { l: 70, r: 20, t: 60, b: 160 } },
    ),
  };
}

const MODE_LABEL: Record<CounterMode, string> = {
  plain: "shared memory, plain c[i] = c[i] + 1",
  atomics: "shared memory, Atomics.add",
  messages: "share nothing: one message per increment",
  batched: "share nothing: one message per worker",
};

/** ns per increment (log axis) for each way of counting, labelled with how exact the count was. */
export function counterCostFigure(r: MessageCounterResult): Figure {
  checkResult(
    CoordInputError,
    "the r given to counterCostFigure",
    r,
    ["rows"],
    "pass what messageCounter(...) returned",
  );
  const rows = r.rows;
  const exact = (row: (typeof rows)[number]) => {
    const bad = row.lost.filter((x) => x !== 0).length;
    return bad === 0 ? `exact in all ${row.lost.length} runs` : `wrong in ${bad} of ${row.lost.length} runs`;
  };
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: rows.map((x) => MODE_LABEL[x.mode]),
        x: rows.map((x) => x.nsPerIncrement),
        text: rows.map(
          (x) =>
            `${x.nsPerIncrement < 10 ? x.nsPerIncrement.toFixed(1) : Math.round(x.nsPerIncrement)} ns · ${exact(x)}`,
        ),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: rows.map((x) => (x.lost.some((l) => l !== 0) ? seriesColor(5) : seriesColor(0))) },
        hovertemplate: "%{y}: %{x:.1f} ns per increment<extra></extra>",
        showlegend: false,
      },
    ],
    layout: baseLayout(
      `${rows[0]?.workers ?? 2} workers count together: time per increment (median of runs)`,
      "ns per increment, all workers together (log scale)",
      "",
      {
        height: 140 + 50 * rows.length,
        xaxis: { type: "log", title: { text: "ns per increment, all workers together (log scale)" } },
        yaxis: { autorange: "reversed", automargin: true },
        margin: { l: 290, r: 170, t: 60, b: 60 },
      },
    ),
  };
}
