/**
 * The shape every figure builder returns: plain plotly JSON, no DOM, no tslab.
 * Builders in lib/plot take data and return a Figure; lib/notebook's `show` draws it.
 */

import type * as Plotly from "plotly.js";
import { checkOptions, checkResult, checkRows, checkString } from "../errors/validate";
import { FigureInputError } from "./errors";

/**
 * One plotly trace. The typings miss a few real attributes (e.g. bar `base`, used by every Gantt), so extra keys
 * are allowed; plotly ignores unknown ones.
 */
export type Trace = Partial<Plotly.PlotData> & { base?: Plotly.Datum | Plotly.Datum[]; [attribute: string]: unknown };

/** A plotly figure as plain JSON (`Plotly.newPlot(div, fig.data, fig.layout)`). */
export interface Figure {
  data: Trace[];
  layout: Partial<Plotly.Layout>;
  config?: Partial<Plotly.Config>;
}

/**
 * One palette for the whole course. Thread/task/core i is always `seriesColor(i)`,
 * so "thread 1" keeps its colour from chart to chart within a chapter.
 * (Okabe–Ito, colour-blind safe, then a few extras.)
 */
export const SERIES_COLORS: readonly string[] = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // green
  "#CC79A7", // pink
  "#56B4E9", // sky
  "#D55E00", // vermillion
  "#F0E442", // yellow
  "#332288", // indigo
  "#117733", // dark green
  "#882255", // wine
];

/** Colour of the i-th thread / task / core (0-based), cycling when i exceeds the palette. */
export function seriesColor(i: number): string {
  const n = SERIES_COLORS.length;
  return SERIES_COLORS[((Math.trunc(i) % n) + n) % n];
}

/**
 * Colours of the states a task can be in; the same in every Gantt of the course. None is a task colour
 * (`SERIES_COLORS`): a wait is never drawn in a task's hue (test/plot/eventloop-colors.test.ts). Waits are greys;
 * running is a dark petrol blue (not task 1's blue), done a lime green, blocked a brown.
 */
export const STATE_COLORS = {
  running: "#003F5C",
  ready: "#E0E0E0",
  io: "#B0B0B0",
  blocked: "#7A4A1E",
  switching: "#666666",
  idle: "#F5F5F5",
  done: "#66A61E",
} as const;

export type StateName = keyof typeof STATE_COLORS;

/** Base layout: a title, labelled axes, sized to read well at 900 px wide. */
export function baseLayout(
  title: string,
  xTitle: string,
  yTitle: string,
  extra: Partial<Plotly.Layout> = {},
): Partial<Plotly.Layout> {
  // every chart is titled and its axes labelled with units: the texts must be texts
  checkString(FigureInputError, "the chart's title", title, { allowEmpty: true, maxLength: 500 });
  checkString(FigureInputError, "the x-axis title", xTitle, { allowEmpty: true, maxLength: 200 });
  checkString(FigureInputError, "the y-axis title", yTitle, { allowEmpty: true, maxLength: 200 });
  return {
    title: { text: title, x: 0.02, xanchor: "left" },
    xaxis: { title: { text: xTitle }, zeroline: false },
    yaxis: { title: { text: yTitle }, zeroline: false },
    font: { family: "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif", size: 13 },
    margin: { l: 70, r: 20, t: 60, b: 96 },
    height: 380,
    // Below the x-axis title, measured from the bottom of the whole figure, so it never covers the axis.
    legend: {
      orientation: "h",
      yref: "container",
      y: 0,
      yanchor: "bottom",
      x: 0,
      xanchor: "left",
    } as Partial<Plotly.Legend>,
    plot_bgcolor: "white",
    paper_bgcolor: "white",
    ...extra,
  };
}

/** A line chart of several series over a shared x (e.g. a sweep); `dash` marks predictions or bounds. */
export interface LineSeries {
  name: string;
  x: number[];
  y: number[];
  color?: string;
  dash?: "solid" | "dash" | "dot";
  markers?: boolean;
}

/** Lines with markers, labelled axes (give units in the titles). */
export function lineFigure(
  series: LineSeries[],
  title: string,
  xTitle: string,
  yTitle: string,
  extra: { yZero?: boolean; height?: number } = {},
): Figure {
  extra = checkOptions(FigureInputError, "lineFigure's options", extra, ["yZero", "height"]) as typeof extra;
  checkRows(
    FigureInputError,
    "the series given to lineFigure",
    series,
    [],
    "pass a list of LineSeries rows, as in the chapter",
  );
  return {
    data: series.map((s, i) => ({
      type: "scatter",
      mode: s.markers === false ? "lines" : "lines+markers",
      name: s.name,
      x: s.x,
      y: s.y,
      line: { color: s.color ?? seriesColor(i), dash: s.dash ?? "solid", width: s.dash === "dot" ? 2 : 3 },
      marker: { color: s.color ?? seriesColor(i), size: 7 },
    })),
    layout: baseLayout(title, xTitle, yTitle, {
      height: extra.height ?? 400,
      yaxis: { title: { text: yTitle }, rangemode: extra.yZero === false ? "normal" : "tozero", zeroline: false },
      xaxis: { title: { text: xTitle }, zeroline: false },
    }),
  };
}

/** Grouped bars: predicted (simulation) vs measured values per label, in the same unit. */
export function predictedVsMeasuredFigure(
  rows: { label: string; predicted: number; measured: number }[],
  title: string,
  yTitle: string,
): Figure {
  checkRows(
    FigureInputError,
    "the rows given to predictedVsMeasuredFigure",
    rows,
    [],
    "pass a list of objects with label, predicted, measured",
  );
  return {
    data: [
      {
        type: "bar",
        name: "predicted (simulation)",
        x: rows.map((r) => r.label),
        y: rows.map((r) => r.predicted),
        marker: { color: "#BBBBBB", line: { color: "#777", width: 1 } },
      },
      {
        type: "bar",
        name: "measured on this machine",
        x: rows.map((r) => r.label),
        y: rows.map((r) => r.measured),
        marker: { color: seriesColor(0) },
      },
    ],
    layout: baseLayout(title, "", yTitle, {
      barmode: "group",
      yaxis: { title: { text: yTitle }, rangemode: "tozero" },
    }),
  };
}

/** A copy of a figure with layout keys replaced (e.g. a taller margin for a long legend). */
export function withLayout(figure: Figure, extra: Figure["layout"]): Figure {
  checkResult(
    FigureInputError,
    "the figure given to withLayout",
    figure,
    ["layout"],
    "pass a figure { data, layout }, e.g. what lineFigure(...) returns",
  );
  return { ...figure, layout: { ...figure.layout, ...extra } };
}
