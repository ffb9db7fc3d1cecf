// Called by scripts/build.js: the outputs of a made-up kernel session that needs both plotly bundles, recorded from
// the real `show`, for the browser check (scripts/check-site.js) to prove that the two coexist on one page.
// Writes OUT_JSON = { cartesianTraceTypes, paths: { cartesian, full }, cells: [{ title, html }] }, cells in page order.
//   node -r ts-node/register/transpile-only scripts/bundle-page.ts OUT_JSON
import * as fs from "node:fs";
import { type DisplaySink, plotlyBundlePath, resetPlotSession, setDisplaySink, show } from "../lib/notebook/index";
import { CARTESIAN_TRACE_TYPES, type Figure } from "../lib/plot/index";

let outputs: string[] = [];
const recorder: DisplaySink = {
  html: (s) => outputs.push(s),
  markdown: (s) => outputs.push(s),
  text: (s) => outputs.push(s),
  live: () => ({ html: (s: string) => outputs.push(s) }),
};

const layout = (title: string): Figure["layout"] => ({
  title: { text: title },
  height: 320,
  margin: { l: 60, r: 20, t: 50, b: 40 },
});
/** Show `figure` as one cell would; its output. */
function cell(figure: Figure): string {
  outputs = [];
  show(figure);
  return outputs.join("");
}

setDisplaySink(recorder);
resetPlotSession();
const bar = cell({
  data: [{ type: "bar", x: ["one core", "two cores"], y: [6, 3], marker: { color: "#0072B2" } }],
  layout: layout("1. bar: the session's first chart inlines the cartesian bundle"),
});
const pie = cell({
  data: [{ type: "pie", labels: ["running", "ready", "io"], values: [5, 3, 2] }],
  layout: layout("2. pie: in the cartesian bundle, nothing inlined"),
});
const sankey = cell({
  data: [
    {
      type: "sankey",
      node: { label: ["ready", "running", "blocked", "done"] },
      link: { source: [0, 1, 1, 2], target: [1, 2, 3, 0], value: [8, 3, 5, 3] },
    } as never,
  ],
  layout: layout("4. sankey: the first non-cartesian chart inlines the full bundle"),
});
const sunburst = cell({
  data: [
    {
      type: "sunburst",
      labels: ["CPU", "user", "system", "idle"],
      parents: ["", "CPU", "CPU", "CPU"],
      values: [0, 60, 25, 15],
    } as never,
  ],
  layout: layout("3. sunburst: shown above the full bundle (cells run out of order); waits for it"),
});
const heatmap = cell({
  data: [
    {
      type: "heatmap",
      z: [
        [1, 3, 2],
        [4, 1, 0],
      ],
    },
  ],
  layout: layout("5. heatmap: drawn by the full bundle"),
});
const polar = cell({
  data: [{ type: "scatterpolar", r: [1, 3, 2, 4], theta: [0, 90, 180, 270], mode: "lines+markers" } as never],
  layout: layout("7. scatterpolar: still drawn, the full bundle was kept"),
});
resetPlotSession();
const scatter = cell({
  data: [{ type: "scatter", mode: "lines+markers", x: [1, 2, 3, 4], y: [1, 4, 2, 5] }],
  layout: layout("6. scatter after resetPlotSession(): the cartesian bundle again, which keeps the full one"),
});
setDisplaySink(undefined);

// Page order differs from run order, as after running cells out of order: the sunburst sits above the sankey that
// brought the full bundle, the scatterpolar below the cartesian bundle that the scatter brought after the reset.
const cells = [
  { title: "bar", html: bar },
  { title: "pie", html: pie },
  { title: "sunburst", html: sunburst },
  { title: "sankey", html: sankey },
  { title: "heatmap", html: heatmap },
  { title: "scatter", html: scatter },
  { title: "scatterpolar", html: polar },
];
const paths = { cartesian: plotlyBundlePath("cartesian"), full: plotlyBundlePath("full") };
fs.writeFileSync(process.argv[2], JSON.stringify({ cartesianTraceTypes: CARTESIAN_TRACE_TYPES, paths, cells }));
