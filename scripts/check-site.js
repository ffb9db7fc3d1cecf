#!/usr/bin/env node
// Open every page of site/ (and the inline-bundle copies in .cache/) in headless Chromium from file://, and check:
// every chart drawn with its traces, every step-through player filled, zero console errors, zero non-file requests.
// Also the two plotly bundles: the cartesian one registers exactly CARTESIAN_TRACE_TYPES (lib/plot/bundles.ts), and
// on .cache/bundles-inline.html (one session's outputs needing both, built by scripts/build.js) the full bundle
// replaces the cartesian one while the charts drawn before it keep working.
// Prints, per page, the time from navigation start to the last chart drawn, and a closing `bench:` line with the
// goals (site pages: shared scripts < 1.6 MB, charts drawn < 1.5 s; executed chapters < 2 MB) met or missed.
// Screenshots go to .cache/screenshots/ (with `--tiles`, also one screen at a time in tiles/).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { fileURLToPath, pathToFileURL } = require("node:url");
const { CHROMIUM_ARGS, cacheDir, findChromium, root } = require("./env");

const MB = 1e6;
const GOAL = { sharedScripts: 1.6 * MB, drawnMs: 1500, savedChapter: 2 * MB };
/** What a drawn trace leaves in a chart, for every trace type the course or the bundle page draws. */
const TRACES =
  ".trace, .hm, canvas, .scatterlayer path, .barlayer path, .pielayer .slice, .sunburstlayer .slice, .sankey-node";

// Runs in every page before its own scripts: notes when each chart first holds its drawn traces, in ms since the
// page started loading (navigation start). A MutationObserver costs the page next to nothing and needs no hook in
// the charts' own code.
const DRAW_CLOCK = (traces) => {
  const drawn = new Map();
  const seen = new Set();
  new MutationObserver((records) => {
    seen.clear();
    for (const r of records) {
      const plot = r.target.closest?.(".cbe-plot");
      if (plot && !drawn.has(plot)) seen.add(plot);
    }
    const now = performance.now();
    for (const plot of seen) if (plot.querySelector("svg.main-svg") && plot.querySelector(traces)) drawn.set(plot, now);
  }).observe(document, { childList: true, subtree: true });
  window.__cbeDrawClock = {
    report: () => {
      const nav = performance.getEntriesByType("navigation")[0];
      const times = [...drawn.values()];
      return {
        load: Math.round(nav ? nav.loadEventStart : 0),
        lastDrawn: times.length ? Math.round(Math.max(...times)) : 0,
        drawn: times.length,
      };
    },
  };
};

/** Tiles of every page in .cache/screenshots/tiles/ only when asked: `npm run check:site -- --tiles`. */
const TILES = process.argv.includes("--tiles");

/** Take one screenshot; on failure note a warning (with the page's name) and return false. */
async function shoot(page, options, warnings, name) {
  try {
    await page.screenshot({ animations: "disabled", caret: "hide", timeout: 60000, ...options });
    return true;
  } catch (e) {
    warnings.push(`${name}: screenshot ${path.basename(options.path)} not taken (${String(e.message).split("\n")[0]})`);
    return false;
  }
}

async function checkSite() {
  const { chromium } = require("playwright-core");
  const exe = findChromium();
  if (!exe) {
    console.error("Chromium not found: run `npm run setup` (Debian: apt-get install chromium) or set CHROMIUM_PATH.");
    process.exit(1);
  }
  // CBE_SITE_DIR: check a private preview built by `CBE_SITE_DIR=… node scripts/build.js 07` (its pages only).
  const preview = process.env.CBE_SITE_DIR ? path.resolve(process.env.CBE_SITE_DIR) : null;
  const site = preview ?? path.join(root, "site");
  if (!fs.existsSync(path.join(site, "index.html"))) {
    console.error("site/ is missing: run `npm run build` first.");
    process.exit(1);
  }
  const pages = [
    ...fs
      .readdirSync(site)
      .filter((f) => f.endsWith(".html"))
      .sort()
      .map((f) => path.join(site, f)),
    ...fs
      .readdirSync(cacheDir)
      .filter((f) => !preview && /^(inline|bundles|export)-.*\.html$/.test(f))
      .sort()
      .map((f) => path.join(cacheDir, f)),
  ];
  const shots = preview ? path.join(preview, "screenshots") : path.join(cacheDir, "screenshots");
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(path.join(shots, "tiles"), { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "cbe-chromium-"));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: exe,
    headless: true,
    viewport: { width: 1000, height: 900 },
    args: [...CHROMIUM_ARGS, "--allow-file-access-from-files"],
  });
  const problems = [];
  const warnings = [];
  const sitePages = [];
  let charts = 0;
  try {
    problems.push(...(await cartesianTraceTypes(browser)));
    for (const file of pages) {
      const name = path.relative(root, file);
      const page = await browser.newPage();
      await page.addInitScript(DRAW_CLOCK, TRACES);
      const errors = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console error: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        const u = r.url();
        if (!/^(file|data|blob|about):/.test(u)) errors.push(`network request: ${u}`);
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60000 });
      // Wait until every chart has been drawn (or given up).
      await page
        .waitForFunction(
          () =>
            Array.from(document.querySelectorAll(".cbe-plot")).every(
              (d) => d.querySelector("svg.main-svg") || d.textContent.includes("not drawn"),
            ),
          null,
          { timeout: 60000 },
        )
        .catch(() => errors.push("timed out waiting for charts to draw"));
      const base = path.basename(file, ".html");
      const report = await page.evaluate((TRACES) => {
        const plots = Array.from(document.querySelectorAll(".cbe-plot"));
        const bad = [];
        plots.forEach((d, i) => {
          const full = d._fullData;
          const traces = d.querySelectorAll(TRACES).length;
          const title = d.querySelector(".gtitle")?.textContent || "(untitled)";
          if (!d.querySelector("svg.main-svg")) bad.push(`chart ${i + 1} not drawn: ${d.textContent.slice(0, 120)}`);
          else if (!full || full.length === 0 || traces === 0)
            bad.push(`chart ${i + 1} "${title}" has no traces drawn`);
          else if (title === "(untitled)") bad.push(`chart ${i + 1} has no title`);
        });
        const steppers = Array.from(document.querySelectorAll(".cbe-stepper"));
        steppers.forEach((s, i) => {
          if (!s.querySelector(".cbe-body") || s.querySelector(".cbe-body").innerHTML.trim() === "")
            bad.push(`step-through ${i + 1} is empty`);
          else if (s.getAttribute("data-ready") !== "1" || s.querySelector(".cbe-untrusted"))
            bad.push(`step-through ${i + 1}: its script did not run`);
        });
        return { plots: plots.length, steppers: steppers.length, bad };
      }, TRACES);
      charts += report.plots;
      const clock = await page.evaluate(() => window.__cbeDrawClock.report());
      // Every chapter page has live cells (issue 16; scripts/check-live-site.js edits and runs them).
      if (/^\d\d-/.test(base) && !name.startsWith(".cache")) {
        const live = await page.evaluate(() => ({
          cells: window.cbeLive?.cells.length ?? 0,
          bars: document.querySelectorAll(".cbe-live-bar").length,
          data: JSON.parse(document.getElementById("cbe-live-data")?.textContent ?? '{"cells":[]}').cells.length,
        }));
        if (live.cells === 0 || live.bars !== live.data)
          errors.push(`live cells: ${live.cells} editable, ${live.bars} of ${live.data} code cells have controls`);
      }
      if (clock.drawn < report.plots) errors.push(`${report.plots - clock.drawn} charts never drawn (draw clock)`);
      if (base === "bundles-inline") errors.push(...(await bothBundles(page)));
      // The scripts the page loads from files (shared bundles), and their size on disk.
      const scripts = await page.evaluate(() => Array.from(document.scripts, (e) => e.src).filter(Boolean));
      const bytes = scripts.reduce((n, u) => n + fs.statSync(fileURLToPath(u)).size, 0);
      // Timings are noisy (two shared cores): a site page's draw time is the median of this load and two more.
      const times = [clock.lastDrawn];
      if (name.startsWith("site/") && report.plots)
        for (let k = 0; k < 2; k++) times.push(await drawTime(browser, file));
      times.sort((a, b) => a - b);
      const ms = times[Math.floor(times.length / 2)];
      if (name.startsWith("site/")) sitePages.push({ name, ms: report.plots ? ms : 0, bytes });
      // Screenshots are for people to look at, not a check: one that times out (a slow or loaded machine, a very
      // tall page) is reported as a warning and the check goes on.
      await shoot(page, { path: path.join(shots, base + ".png"), fullPage: true }, warnings, name);
      // Readable tiles of the long page, one screen at a time (`--tiles`): for reviewing a page by eye.
      if (TILES) {
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        for (let y = 0, k = 1; y < height; y += 1200, k++) {
          const tile = path.join(shots, "tiles", `${base}-${String(k).padStart(2, "0")}.png`);
          const clip = { x: 0, y, width: 1000, height: Math.min(1200, height - y) };
          if (!(await shoot(page, { path: tile, fullPage: true, clip }, warnings, name))) break;
        }
      }
      const all = [...errors, ...report.bad];
      console.log(
        `${all.length ? "FAIL" : "ok  "} ${name}: ${report.plots} charts, ${report.steppers} step-throughs; ` +
          `shared scripts ${(bytes / MB).toFixed(2)} MB; load ${clock.load} ms` +
          (report.plots
            ? `, last chart drawn ${ms} ms after navigation start` +
              (times.length > 1 ? ` (median of ${times.join(", ")})` : "")
            : ""),
      );
      for (const e of all) problems.push(`${name}: ${e}`);
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  for (const w of warnings) console.warn(`warning: ${w}`);
  if (problems.length) {
    console.error("\n" + problems.join("\n"));
    process.exit(1);
  }
  console.log(
    `browser check: ${pages.length} pages, ${charts} charts drawn, no console error, no network request; screenshots in ${path.relative(root, shots)}/`,
  );
  if (!preview) console.log(bench(sitePages));
}

/** Load `file` in a new page; ms from navigation start to its last chart drawn. */
async function drawTime(browser, file) {
  const page = await browser.newPage();
  try {
    await page.addInitScript(DRAW_CLOCK, TRACES);
    await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60000 });
    await page.waitForFunction(
      () => window.__cbeDrawClock.report().drawn === document.querySelectorAll(".cbe-plot").length,
      null,
      { timeout: 60000 },
    );
    return await page.evaluate(() => window.__cbeDrawClock.report().lastDrawn);
  } finally {
    await page.close();
  }
}

/** The closing benchmark line: the goals of site pages and saved chapters, each met or missed. */
function bench(sitePages) {
  const verdict = (ok) => (ok ? "met" : "MISSED");
  const maxBytes = Math.max(0, ...sitePages.map((p) => p.bytes));
  const times = sitePages.filter((p) => p.ms > 0).map((p) => p.ms);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
  const slowest = sitePages.reduce((a, p) => (p.ms > a.ms ? p : a), { ms: 0, name: "-" });
  const executed = path.join(cacheDir, "executed");
  const saved = fs.existsSync(executed)
    ? fs
        .readdirSync(executed)
        .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
        .map((f) => fs.statSync(path.join(executed, f)).size)
    : [];
  const mb = (n) => (n / MB).toFixed(2);
  const savedPart = saved.length
    ? `saved chapters (.cache/executed) ${mb(Math.min(...saved))}–${mb(Math.max(...saved))} MB ` +
      `(goal < 2 MB: ${verdict(Math.max(...saved) < GOAL.savedChapter)})`
    : "saved chapters: none in .cache/executed (run npm run build)";
  return (
    `bench: site shared scripts per page ≤ ${(maxBytes / MB).toFixed(2)} MB ` +
    `(goal < 1.6 MB: ${verdict(maxBytes < GOAL.sharedScripts)}); last chart drawn per site page median ${median} ms, ` +
    `max ${slowest.ms} ms (${path.basename(slowest.name)}) (goal < 1.5 s: ${verdict(slowest.ms < GOAL.drawnMs)}); ` +
    savedPart
  );
}

/** The cartesian bundle registers exactly the trace types that lib/plot/bundles.ts lists (via .cache/bundles.json). */
async function cartesianTraceTypes(browser) {
  const info = JSON.parse(fs.readFileSync(path.join(cacheDir, "bundles.json"), "utf8"));
  const page = await browser.newPage();
  try {
    await page.addScriptTag({ path: info.paths.cartesian });
    const types = await page.evaluate(() => Object.keys(window.Plotly.PlotSchema.get().traces).sort());
    const listed = [...info.cartesianTraceTypes].sort();
    if (JSON.stringify(types) === JSON.stringify(listed)) {
      console.log(`ok   the cartesian bundle registers the ${types.length} trace types of CARTESIAN_TRACE_TYPES`);
      return [];
    }
    return [`the cartesian bundle registers ${types.join(", ")}; CARTESIAN_TRACE_TYPES lists ${listed.join(", ")}`];
  } finally {
    await page.close();
  }
}

/**
 * On the page of one session needing both bundles: the full bundle ended up as window.Plotly (the cartesian one
 * inlined after resetPlotSession() kept it), and the bar chart drawn by the cartesian bundle before the full one
 * replaced it still answers hover and relayout.
 */
async function bothBundles(page) {
  const bad = [];
  const state = await page.evaluate(() => ({
    bundle: window.Plotly?.cbeBundle,
    version: window.Plotly?.version,
    types: Object.keys(window.Plotly.PlotSchema.get().traces).length,
  }));
  if (state.bundle !== "full" || state.types < 40)
    bad.push(`window.Plotly is not the full bundle at the end (${JSON.stringify(state)})`);
  const first = page.locator(".cbe-plot").first();
  await first.scrollIntoViewIfNeeded();
  const box = await first.locator(".nsewdrag").first().boundingBox();
  if (!box) return [...bad, "the first chart has no drag layer"];
  // Hover the first bar (left half of the plot area).
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.8);
  const hover = await first
    .locator(".hoverlayer .hovertext")
    .first()
    .waitFor({ timeout: 5000 })
    .then(() => true)
    .catch(() => false);
  if (!hover) bad.push("the chart drawn by the cartesian bundle shows no hover label after the full bundle loaded");
  await page.mouse.move(0, 0);
  const range = await page.evaluate(async () => {
    const gd = document.querySelector(".cbe-plot");
    await window.Plotly.relayout(gd, { "yaxis.range": [0, 10] });
    return gd._fullLayout.yaxis.range;
  });
  if (JSON.stringify(range) !== "[0,10]") bad.push(`relayout of the first chart gave y range ${JSON.stringify(range)}`);
  if (!bad.length) console.log("ok   bundles: the full one replaced the cartesian one; the earlier chart still works");
  return bad;
}

module.exports = { checkSite };
if (require.main === module)
  checkSite().catch((e) => {
    console.error(e);
    process.exit(1);
  });
