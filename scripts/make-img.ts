// npm run img: regenerate the figures in img/ (README and markdown cells) from the library itself.
// SVGs are written directly; PNGs of plotly charts are rendered in headless Chromium.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { classifyRun, conceptMapSvg, cpuGantt, runCpu, seedPrograms } from "../lib/index";
import type { Figure } from "../lib/plot/figure";

const root = path.resolve(__dirname, "..");
const img = path.join(root, "img");

async function renderPng(figs: Figure[], file: string, width = 900): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { findChromium } = require("./env");
  const { chromium } = await import("playwright-core");
  const plotly = require.resolve("plotly.js-dist-min/plotly.min.js");
  const divs = figs.map((_, i) => `<div id="f${i}"></div>`).join("");
  const calls = figs
    .map(
      (f, i) =>
        `Plotly.newPlot("f${i}", ${JSON.stringify(f.data)}, ${JSON.stringify({ ...f.layout, width })}, ` +
        `{staticPlot: true})`,
    )
    .join(",");
  const html =
    `<!DOCTYPE html><html><body style="margin:0;background:white">${divs}<script ` +
    `src="file://${plotly}"></script>` +
    `<script>Promise.all([${calls}]).then(()=>document.body.dataset.done="1")</script></body></html>`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-img-"));
  const page = path.join(tmp, "page.html");
  fs.writeFileSync(page, html);
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const p = await browser.newPage({ viewport: { width, height: 600 }, deviceScaleFactor: 1.5 });
    p.on("console", (m) => console.log("console:", m.text()));
    p.on("pageerror", (e) => console.log("pageerror:", e.message));
    await p.goto("file://" + page);
    await p.waitForSelector("body[data-done='1']", { timeout: 30000, state: "attached" });
    await p.screenshot({ path: file, fullPage: true });
  } finally {
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(img, { recursive: true });
  const [A, B] = seedPrograms();
  const memory = { a: 1, b: 2, c: 3, d: 4 };
  const runs = [
    { label: "(a+b) then (c+d) on one core", run: runCpu([A, B], "sequential", { memory }) },
    { label: "interleaved on one core: A B B A A B", run: runCpu([A, B], "A B B A A B", { memory }) },
    { label: "(a+b) and (c+d) on two cores", run: runCpu([A, B], "parallel", { memory, cores: 2 }) },
  ];
  const svg = conceptMapSvg([
    ...runs.map((r, i) => ({
      label: r.label,
      region: classifyRun(r.run).kind,
      color: ["#7F7F7F", "#0072B2", "#009E73"][i],
    })),
    { label: "JS async/await on one thread", region: "concurrent" as const, color: "#CC79A7" },
    { label: "worker_threads on several cores", region: "parallel" as const, color: "#CC79A7" },
  ]);
  fs.writeFileSync(path.join(img, "concurrency-sets.svg"), svg + "\n");
  await renderPng(
    [
      cpuGantt(runs[0].run, "One core: (a + b) then (c + d) — 6 clock cycles"),
      cpuGantt(runs[1].run, "One core, interleaved — still 6 cycles, but 4 registers instead of 3"),
      cpuGantt(runs[2].run, "Two cores in parallel — 3 cycles", { cycles: 6 }),
    ],
    path.join(img, "clock-cycles.png"),
  );
  console.log("img/ written: concurrency-sets.svg, clock-cycles.png");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
