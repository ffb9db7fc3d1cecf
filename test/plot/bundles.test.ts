// The cartesian bundle's trace types, kept in one place (lib/plot/bundles.ts) and checked against the package
// itself; figure markup waits for a bundle that can draw the figure's traces.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bundleFor,
  CARTESIAN_TRACE_TYPES,
  type Figure,
  figureHtml,
  nonCartesianTypes,
  PLOTLY_BUNDLES,
  traceTypes,
} from "../../lib/plot/index";

const fig = (...types: (string | undefined)[]): Figure => ({
  data: types.map((type) => ({ type, x: [1], y: [1] }) as never),
  layout: { title: { text: "t" } },
});

describe("plotly bundles", () => {
  it("CARTESIAN_TRACE_TYPES is the trace list of the installed cartesian package's README", () => {
    const dir = path.dirname(require.resolve(`${PLOTLY_BUNDLES.cartesian.package}/package.json`));
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    const line = /Contains trace modules (.+)\./.exec(readme)![1];
    const listed = [...line.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect([...CARTESIAN_TRACE_TYPES].sort()).toEqual(listed.sort());
  });

  it("both packages are installed from one release line, the cartesian one pinned exactly", () => {
    const version = (p: string) => (require(`${p}/package.json`) as { version: string }).version;
    const cartesian = version(PLOTLY_BUNDLES.cartesian.package);
    const full = version(PLOTLY_BUNDLES.full.package);
    expect(cartesian.split(".").slice(0, 2)).toEqual(full.split(".").slice(0, 2));
    const pkg = require("../../package.json") as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies[PLOTLY_BUNDLES.cartesian.package]).toBe(cartesian);
  });

  it("bar, scatter (typed or not) and heatmap need the cartesian bundle; scatter3d, sunburst the full one", () => {
    expect(traceTypes(fig("bar", undefined, "scatter", "heatmap", "bar"))).toEqual(["bar", "scatter", "heatmap"]);
    expect(bundleFor(fig("bar", undefined, "scatter", "heatmap"))).toBe("cartesian");
    expect(bundleFor(fig("pie", "box", "histogram", "contour"))).toBe("cartesian");
    expect(bundleFor(fig("bar", "scatter3d"))).toBe("full");
    expect(nonCartesianTypes(fig("bar", "sunburst", "scatter3d", "sunburst"))).toEqual(["sunburst", "scatter3d"]);
  });

  it("a cartesian figure waits for any plotly; a scatter3d one for a plotly that registers scatter3d", () => {
    const cartesian = figureHtml(fig("bar"), "a");
    expect(cartesian).toContain("function ready(){return !!window.Plotly;}");
    expect(cartesian).not.toContain("PlotSchema");
    const full = figureHtml(fig("bar", "scatter3d"), "b");
    expect(full).toContain('var need=["scatter3d"]');
    expect(full).toContain("P.PlotSchema.get().traces");
    expect(full).toContain("its scatter3d trace needs plotly.js's full bundle");
  });
});
