#!/usr/bin/env node
// The live cells of the site (issue 16) in headless Chromium, from file:// as a learner opens site/ from disk (no
// flag that loosens file:// rules) and over http://127.0.0.1 from a static server this script starts:
// - nothing of assets/live/ is requested before the first Edit; then lib.js and editor.js only (sizes reported);
// - chapter 05: counterRace(2, 1) → counterRace(3, 1) in the page, the cells after it re-run: 1,680 schedules, the
//   interleaving tree's error shown in its cell as the notebook shows it, then the tree drawn with more leaves than
//   the recorded one; a real experiment typed into a live cell says LiveUnavailableError and Jupyter; Reset brings
//   the recorded output back; the cells of real experiments have no Edit control and say why;
// - chapter 01: a variant of the memory values reaches the results and the charts of the cells below;
// - chapter 07: a variant of a simulated event loop (5 sleeping tasks, not 3) redraws its charts with the new times;
//   an exercise checked by asynccheck runs in the page;
// - zero console errors, zero requests beyond the site's own files, in both cases.
// Prints the first-Edit load time and re-run times (goal: a chapter 05 cell re-runs in < 300 ms); screenshots of the
// edited cells go to .cache/screenshots/live/ (or the preview's screenshots/live/) — look at them.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { CHROMIUM_ARGS, cacheDir, findChromium, root } = require("./env");

const GOAL_RERUN_MS = 300;
/** Loose bounds for a shared 2-core machine: the goal is reported, these fail the check. */
const LIMIT_RERUN_MS = 3000;
const LIMIT_FIRST_EDIT_MS = 15000;
/** Editor, transpiler and lib bundle together (issue 16). */
const BUDGET_BYTES = 1.5e6;

const site = process.env.CBE_SITE_DIR ? path.resolve(process.env.CBE_SITE_DIR) : path.join(root, "site");
const shots = path.join(process.env.CBE_SITE_DIR ? site : cacheDir, "screenshots", "live");
const problems = [];
const fail = (msg) => problems.push(msg);
const expect = (ok, msg) => {
  if (!ok) fail(msg);
  return ok;
};

/** The chapter page whose file name starts with `nn`. */
function chapter(nn) {
  const f = fs.readdirSync(site).find((x) => x.startsWith(`${nn}-`) && x.endsWith(".html"));
  if (!f) throw new Error(`no chapter ${nn} page in ${site}: build it first`);
  return f;
}

/** Open `url` in a new page that records console errors, page errors and requests; wait for the charts. */
async function open(browser, url, allowed) {
  const page = await browser.newPage();
  const log = { errors: [], requests: [] };
  page.on("console", (m) => {
    if (m.type() === "error") log.errors.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => log.errors.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    log.requests.push(r.url());
    if (!allowed(r.url())) log.errors.push(`network request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: "load", timeout: 60000 });
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll(".cbe-plot")).every((d) => d.querySelector("svg.main-svg")),
    null,
    { timeout: 60000 },
  );
  return { page, log };
}

/** The live cell whose source contains `text` (found, not numbered: the chapters change). */
async function cellWith(page, text) {
  const i = await page.evaluate((t) => window.cbeLive.cells.find((c) => c.source.includes(t))?.index ?? 0, text);
  if (!i) throw new Error(`no live cell contains ${JSON.stringify(text)}`);
  return i;
}

/** Replace `from` by `to` in live cell i and run it; { ms, error }. */
async function editRun(page, i, from, to) {
  return page.evaluate(
    async ([i, from, to]) => {
      const c = window.cbeLive.cells.find((x) => x.index === i);
      if (from !== null) window.cbeLive.setSource(i, c.source.split(from).join(to));
      const t = performance.now();
      let error = null;
      await window.cbeLive.run(i).catch((e) => {
        error = `${e.name}: ${e.message}`;
      });
      return { ms: Math.round(performance.now() - t), error };
    },
    [i, from, to],
  );
}

const output = (page, i) => page.evaluate((i) => window.cbeLive.output(i), i);

/** The charts of code cell i: for each, whether drawn, its title and how many points its traces hold. */
function charts(page, i) {
  return page.evaluate((i) => {
    const cell = document.querySelectorAll(".code_cell, .jp-CodeCell")[i - 1];
    return Array.from(cell.querySelectorAll(".cbe-plot")).map((d) => ({
      drawn: !!d.querySelector("svg.main-svg") && d.querySelectorAll(".scatterlayer path, .barlayer path").length > 0,
      title: d.querySelector(".gtitle")?.textContent ?? "",
      points: (d.data ?? []).reduce((n, t) => n + (t.x?.length ?? 0), 0),
    }));
  }, i);
}

async function shoot(page, i, name) {
  const cell = page.locator(".code_cell, .jp-CodeCell").nth(i - 1);
  await cell.scrollIntoViewIfNeeded();
  await cell.screenshot({ path: path.join(shots, `${name}.png`), animations: "disabled", timeout: 30000 });
}

/** Chapter 05 from file:// (the full tour), returns the timings. */
async function chapter05(browser, url, allowed) {
  const { page, log } = await open(browser, url, allowed);
  const early = log.requests.filter((u) => u.includes("/assets/live/"));
  expect(early.length === 0, `05: live scripts requested before any Edit: ${early.join(", ")}`);
  const race = await cellWith(page, "counterRace(2, 1)");
  const all = await cellWith(page, "explore(race)");
  const tree = await cellWith(page, "interleavingTree(race");
  const recordedTree = await charts(page, tree);
  const recorded3 = await output(page, race + 1);

  // First Edit: the scripts load, the editor opens.
  const t0 = Date.now();
  await page.locator(`.cbe-live-bar[data-cbe-cell="${race}"] button`, { hasText: "Edit" }).click();
  await page.locator(".cm-editor").first().waitFor({ timeout: 60000 });
  const firstEdit = Date.now() - t0;
  const loaded = log.requests.filter((u) => u.includes("/assets/live/")).map((u) => u.split("/").pop());
  expect(JSON.stringify(loaded.sort()) === JSON.stringify(["editor.js", "lib.js"]), `05: first Edit loaded ${loaded}`);

  const a = await editRun(page, race, "counterRace(2, 1)", "counterRace(3, 1)");
  expect(!a.error, `05: the edited cell failed: ${a.error}`);
  expect((await output(page, race)).includes("T3: r = counter"), "05: counterRace(3, 1) shows no third thread");
  await shoot(page, race, "05-edited-cell");
  const b = await editRun(page, all, null, null);
  const out = await output(page, all);
  expect(!b.error && /1,?680 schedules/.test(out), `05: explore shows no 1,680 schedules: ${b.error ?? out}`);
  // The tree is too big for its default limit: the cell says so, as the notebook would.
  const c = await editRun(page, tree, null, null);
  expect(/^InterleaveFigureError: .*maxLeaves/.test(c.error ?? ""), `05: tree of 3 × 1 gave ${c.error}`);
  expect((await output(page, tree)).includes("InterleaveFigureError:"), "05: the error is not in the cell's output");
  const d = await editRun(page, tree, "interleavingTree(race)", "interleavingTree(race, { maxLeaves: 2000 })");
  const drawn = await charts(page, tree);
  expect(
    !d.error && drawn.length === 1 && drawn[0].drawn && drawn[0].points > recordedTree[0].points,
    `05: the 3 × 1 tree is not drawn larger than the recorded one (${JSON.stringify({ d, drawn, recordedTree })})`,
  );
  await shoot(page, tree, "05-tree-3x1");
  // Re-run after an edit: the explore cell and the tree cell, as a learner tries variants.
  const e = await editRun(page, all, "explore(race)", "explore(race) /* again */");
  const f = await editRun(page, tree, "maxLeaves: 2000", "maxLeaves: 1999");
  const steps = await cellWith(page, "replayFrames(race, lossy)");
  const s = await editRun(page, steps, "step by step", "step by step, three threads");
  expect(!e.error && !f.error && !s.error, `05: re-runs failed: ${e.error ?? f.error ?? s.error}`);

  // A real experiment typed into a live cell: a named error that says where to measure; Reset restores.
  const next = race + 1;
  const g = await editRun(page, next, null, null);
  await page.evaluate((i) => window.cbeLive.setSource(i, "await sharedCounterRace({ workers: 2 });"), next);
  const h = await editRun(page, next, null, null);
  expect(
    !g.error && /^LiveUnavailableError: sharedCounterRace .*Jupyter/s.test(h.error ?? ""),
    `05: a real experiment in the page gave ${h.error}`,
  );
  await shoot(page, next, "05-real-experiment-error");
  await page.evaluate((i) => window.cbeLive.reset(i), next);
  expect((await output(page, next)) === recorded3, "05: Reset did not bring back the recorded output");

  // Cells of real experiments: no Edit, a note saying why.
  const real = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".cbe-live-note")).map((n) => ({
      text: n.textContent,
      buttons: n.querySelectorAll("button").length,
    })),
  );
  expect(
    real.some((n) => /sharedCounterRace.*Jupyter/.test(n.text)) && real.every((n) => n.buttons === 0),
    "05: the real-experiment cells do not say why they cannot run",
  );
  const noted = await page.evaluate(() => Number(document.querySelector(".cbe-live-note")?.dataset.cbeCell ?? 0));
  if (noted) await shoot(page, noted, "05-real-experiment-cell");
  await page.close();
  for (const e of log.errors) fail(`05 (file://): ${e}`);
  return { firstEdit, rerun: { edited: a.ms, explore: e.ms, steps: s.ms }, tree: f.ms };
}

/** Chapter 01 at `base` (file:// or http://). */
async function chapter01(browser, base, allowed, label) {
  const one = await open(browser, `${base}/${chapter("01")}`, allowed);
  const p = one.page;
  const mem = await cellWith(p, "const memory = { a: 1, b: 2");
  const results = await cellWith(p, "Results: a + b");
  const gantt = await cellWith(p, "cpuGantt(oneCore");
  const r1 = await editRun(p, mem, "a: 1, b: 2", "a: 10, b: 20");
  const r2 = await editRun(p, results, null, null);
  expect(!r1.error && !r2.error, `01 (${label}): ${r1.error ?? r2.error}`);
  expect((await output(p, results)).includes("a + b = 30"), `01 (${label}): the new memory does not reach a + b`);
  const r3 = await editRun(p, gantt, null, null);
  const g = await charts(p, gantt);
  expect(!r3.error && g.length === 2 && g.every((x) => x.drawn), `01 (${label}): Gantt charts ${JSON.stringify(g)}`);
  if (label === "file://") await shoot(p, results, "01-memory-variant");
  await p.close();
  for (const e of one.log.errors) fail(`01 (${label}): ${e}`);
}

/** Chapter 07 from file://. */
async function chapter07(browser, base, allowed) {
  const label = "file://";
  const seven = await open(browser, `${base}/${chapter("07")}`, allowed);
  const p = seven.page;
  const sleepCell = await cellWith(p, 'sleepStyleRun("busy")');
  const before = await charts(p, sleepCell);
  const r4 = await editRun(p, sleepCell, 'sleepStyleRun("busy")', 'sleepStyleRun("busy", { tasks: 5 })');
  const after = await charts(p, sleepCell);
  const ms = (t) => Number((/: (\d+) ms/.exec(t) ?? [])[1]);
  expect(
    !r4.error && after.length === 2 && after.every((x) => x.drawn) && ms(after[0].title) > ms(before[0].title),
    `07 (${label}): 5 busy sleepers did not redraw a longer timeline (${r4.error}; ${JSON.stringify(after)})`,
  );
  await shoot(p, sleepCell, "07-five-sleepers");
  // An exercise judged by asynccheck (every interleaving of the learner's async code) runs in the page.
  const ex = await cellWith(p, "checkFetchOnce(");
  const r5 = await editRun(p, ex, null, null);
  const text = await output(p, ex);
  expect(!r5.error && /[✓✗]/.test(text), `07: the asynccheck exercise gave ${r5.error ?? text.slice(0, 200)}`);
  await shoot(p, ex, "07-asynccheck-exercise");
  await p.close();
  for (const e of seven.log.errors) fail(`07 (${label}): ${e}`);
}

/** A static server of the site on 127.0.0.1 (a random free port). */
function serve() {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png" };
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
    const file = path.join(site, rel);
    if (!file.startsWith(site) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function main() {
  const exe = findChromium();
  if (!exe) {
    console.error("Chromium not found: run `npm run setup` (Debian: apt-get install chromium) or set CHROMIUM_PATH.");
    process.exit(1);
  }
  if (!fs.existsSync(path.join(site, "assets", "live", "lib.js"))) {
    console.error(`${path.relative(root, site)}/assets/live/ is missing: build the site first (npm run build).`);
    process.exit(1);
  }
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const t0 = Date.now();
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
  const server = await serve();
  let timing;
  try {
    const fileBase = pathToFileURL(site).href;
    const local = (u) => /^(file|data|blob|about):/.test(u);
    timing = await chapter05(browser, `${fileBase}/${chapter("05")}`, local);
    await chapter01(browser, fileBase, local, "file://");
    await chapter07(browser, fileBase, local);
    const origin = `http://127.0.0.1:${server.address().port}`;
    await chapter01(browser, origin, (u) => u.startsWith(`${origin}/`) || /^(data|blob|about):/.test(u), "http");
  } finally {
    await browser.close();
    server.close();
  }
  const kb = (f) => `${(fs.statSync(path.join(site, "assets", "live", f)).size / 1024).toFixed(0)} KiB`;
  const { edited, explore, steps } = timing.rerun;
  const worst = Math.max(edited, explore, steps);
  console.log(
    `live cells: lib.js ${kb("lib.js")} + editor.js ${kb("editor.js")}, loaded on the first Edit in ` +
      `${timing.firstEdit} ms; chapter 05 re-runs after an edit: the edited cell ${edited} ms, explore(race) ` +
      `${explore} ms, the step-through of the lost update ${steps} ms (goal < ${GOAL_RERUN_MS} ms: ` +
      `${worst < GOAL_RERUN_MS ? "met" : "MISSED"}); the tree of all 1,680 schedules (a chart of ~5,000 points) ` +
      `${timing.tree} ms; screenshots in ${path.relative(root, shots)}/`,
  );
  const scripts = ["lib.js", "editor.js"].reduce(
    (n, f) => n + fs.statSync(path.join(site, "assets", "live", f)).size,
    0,
  );
  if (scripts > BUDGET_BYTES) fail(`lib.js + editor.js are ${scripts} bytes, over the budget of 1.5 MB`);
  if (timing.firstEdit > LIMIT_FIRST_EDIT_MS) fail(`the first Edit took ${timing.firstEdit} ms`);
  if (worst > LIMIT_RERUN_MS) fail(`a chapter 05 re-run took ${worst} ms`);
  if (problems.length) {
    console.error(`\n${problems.join("\n")}`);
    process.exit(1);
  }
  console.log(`live check passed: chapters 01, 05, 07 from file://, 01 from http://127.0.0.1 in ${Date.now() - t0} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
