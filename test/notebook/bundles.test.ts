// Which plotly bundle `show` inlines: the cartesian one for the course's bar / scatter / heatmap figures, the full
// one for the first figure that needs it (a learner's scatter3d), each at most once per kernel session.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DisplaySink, plotlyBundleHtml, resetPlotSession, setDisplaySink, show } from "../../lib/notebook/index";
import type { Figure } from "../../lib/plot/index";

let outputs: string[] = [];
const recorder: DisplaySink = {
  html: (s) => outputs.push(s),
  markdown: (s) => outputs.push(s),
  text: (s) => outputs.push(s),
  live: () => ({ html: (s: string) => outputs.push(s) }),
};

beforeEach(() => {
  outputs = [];
  setDisplaySink(recorder);
  resetPlotSession();
});
afterEach(() => setDisplaySink(undefined));

const layout = { title: { text: "t" } };
const bar: Figure = { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout };
const scatter: Figure = {
  data: [
    { type: "scatter", x: [1, 2], y: [3, 4] },
    { x: [1], y: [2] },
  ],
  layout,
};
const heatmap: Figure = { data: [{ type: "heatmap", z: [[1, 2]] }], layout };
const scatter3d: Figure = { data: [{ type: "scatter3d", x: [1], y: [2], z: [3] } as never], layout };
const sunburst: Figure = { data: [{ type: "sunburst", labels: ["a"], parents: [""] } as never], layout };

/** The bundle each output inlined: "cartesian", "full" or "" (none). */
function bundles(): string[] {
  return outputs.map((o) => /data-cbe-bundle="plotly-(\w+)"/.exec(o)?.[1] ?? "");
}

describe("show picks the plotly bundle", () => {
  it("cartesian once for bar, scatter and heatmap figures, then figures only", () => {
    show(bar);
    show(scatter);
    show(heatmap);
    show(bar);
    expect(bundles()).toEqual(["cartesian", "", "", ""]);
    expect(outputs[0].length).toBeLessThan(1_600_000);
    expect(outputs.slice(1).every((o) => o.length < 20_000)).toBe(true);
  });

  it("full once for the first scatter3d figure, after the cartesian one; nothing more after it", () => {
    show(bar);
    show(scatter3d);
    show(scatter3d);
    show(heatmap);
    show(sunburst);
    expect(bundles()).toEqual(["cartesian", "full", "", "", ""]);
    expect(outputs[1].length).toBeGreaterThan(4_500_000);
  });

  it("full alone when the session's first figure needs it: it draws the cartesian traces too", () => {
    show(scatter3d);
    show(bar);
    show(heatmap);
    expect(bundles()).toEqual(["full", "", ""]);
  });

  it("resetPlotSession() starts over: each bundle is sent again when first needed", () => {
    show(bar);
    show(scatter3d);
    resetPlotSession();
    show(scatter);
    show(scatter3d);
    expect(bundles()).toEqual(["cartesian", "full", "cartesian", "full"]);
  });

  it("the full bundle tags window.Plotly; the cartesian one never replaces a full one", () => {
    const full = plotlyBundleHtml("full");
    expect(full).toContain('data-cbe-bundle="plotly-full"');
    expect(full.slice(-80)).toContain('window.Plotly.cbeBundle="full";</script>');
    const cartesian = plotlyBundleHtml("cartesian");
    expect(cartesian).toMatch(/^<script[^>]*>if\(!\(window\.Plotly&&window\.Plotly\.cbeBundle==="full"\)\)\{\n/);
    expect(cartesian).toContain("plotly.js (cartesian - minified) v4.1.");
    expect(full).toContain("plotly.js v4.1.");
  });
});
