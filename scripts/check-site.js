#!/usr/bin/env node
// Open every page of site/ (and the inline-bundle copies in .cache/) in headless Chromium from file://, and check:
// every chart drawn with its traces, every step-through player filled, zero console errors, zero non-file requests.
// Screenshots go to .cache/screenshots/.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { cacheDir, findChromium, root } = require("./env");

async function checkSite() {
  const { chromium } = require("playwright-core");
  const exe = findChromium();
  if (!exe) {
    console.error("Chromium not found: run `npm run setup` (Debian: apt-get install chromium) or set CHROMIUM_PATH.");
    process.exit(1);
  }
  const site = path.join(root, "site");
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
      .filter((f) => /^inline-.*\.html$/.test(f))
      .sort()
      .map((f) => path.join(cacheDir, f)),
  ];
  const shots = path.join(cacheDir, "screenshots");
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(path.join(shots, "tiles"), { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "cbe-chromium-"));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: exe,
    headless: true,
    viewport: { width: 1000, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--allow-file-access-from-files",
    ],
  });
  const problems = [];
  let charts = 0;
  try {
    for (const file of pages) {
      const name = path.relative(root, file);
      const page = await browser.newPage();
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
      const report = await page.evaluate(() => {
        const plots = Array.from(document.querySelectorAll(".cbe-plot"));
        const bad = [];
        plots.forEach((d, i) => {
          const full = d._fullData;
          const traces = d.querySelectorAll(".trace, .hm, canvas, .scatterlayer path, .barlayer path").length;
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
        });
        return { plots: plots.length, steppers: steppers.length, bad };
      });
      charts += report.plots;
      const base = path.basename(file, ".html");
      await page.screenshot({ path: path.join(shots, base + ".png"), fullPage: true });
      // Readable tiles of the long page, to look at one screen at a time.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0, k = 1; y < height; y += 1200, k++) {
        await page.screenshot({
          path: path.join(shots, "tiles", `${base}-${String(k).padStart(2, "0")}.png`),
          fullPage: true,
          clip: { x: 0, y, width: 1000, height: Math.min(1200, height - y) },
        });
      }
      const all = [...errors, ...report.bad];
      console.log(`${all.length ? "FAIL" : "ok  "} ${name}: ${report.plots} charts, ${report.steppers} step-throughs`);
      for (const e of all) problems.push(`${name}: ${e}`);
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error("\n" + problems.join("\n"));
    process.exit(1);
  }
  console.log(
    `browser check: ${pages.length} pages, ${charts} charts drawn, no console error, no network request; screenshots in .cache/screenshots/`,
  );
}

module.exports = { checkSite };
if (require.main === module)
  checkSite().catch((e) => {
    console.error(e);
    process.exit(1);
  });
