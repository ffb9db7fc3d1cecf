/**
 * Which plotly.js bundle a figure needs. The course ships plotly's two minified builds of one release line:
 * the cartesian one (1.5 MB), enough for every figure of the course, and the full one (4.8 MB), sent only when a
 * figure uses a trace type the cartesian one lacks (a learner's own `scatter3d`, `sunburst`, `sankey` …).
 * Pure: no Node built-in, no DOM.
 */
import type { Figure } from "./figure";

/** The two bundles: npm package and file inside it. The full bundle draws every trace type of plotly.js. */
export const PLOTLY_BUNDLES = {
  cartesian: { package: "plotly.js-cartesian-dist-min", file: "plotly-cartesian.min.js" },
  full: { package: "plotly.js-dist-min", file: "plotly.min.js" },
} as const;

export type PlotlyBundle = keyof typeof PLOTLY_BUNDLES;

/**
 * The trace types the cartesian bundle registers: its README's "Contains trace modules …" line, and
 * `Object.keys(Plotly.PlotSchema.get().traces)` once it is loaded (a vitest test compares the first,
 * `npm run check:site` the second in Chromium, so an upgrade that changes the list fails loudly).
 */
export const CARTESIAN_TRACE_TYPES: readonly string[] = [
  "bar",
  "box",
  "contour",
  "heatmap",
  "histogram",
  "histogram2d",
  "histogram2dcontour",
  "image",
  "pie",
  "scatter",
  "scatterternary",
  "violin",
];

const CARTESIAN = new Set(CARTESIAN_TRACE_TYPES);

/** The trace types of a figure, each once, in order of first use (a trace without `type` is a scatter). */
export function traceTypes(figure: Figure): string[] {
  const types = figure.data.map((t) => {
    const type: unknown = t.type;
    return typeof type === "string" && type !== "" ? type : "scatter";
  });
  return [...new Set(types)];
}

/** The trace types of a figure that only the full bundle draws (none for every figure of the course). */
export function nonCartesianTypes(figure: Figure): string[] {
  return traceTypes(figure).filter((t) => !CARTESIAN.has(t));
}

/** The smallest bundle that draws `figure`: "cartesian" unless a trace type needs "full". */
export function bundleFor(figure: Figure): PlotlyBundle {
  return nonCartesianTypes(figure).length > 0 ? "full" : "cartesian";
}
