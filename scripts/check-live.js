#!/usr/bin/env node
// The path a learner takes with `npm start`, in every Jupyter front end installed here: JupyterLab 4 and Notebook 7
// (from .venv: `node scripts/setup.js --lab`) and the classic Notebook 6 (e.g. Debian's jupyter-notebook). For each,
// serve a copy of notebooks/ on 127.0.0.1, open every chapter in headless Chromium, run all cells through the UI with
// a fresh kernel, and check: every chart drawn, every step-through player steps, no error output, no request off
// the server. In JupyterLab also one UNTRUSTED notebook with outputs (an executed chapter from .cache/executed):
// every chart must draw (plotly's own renderer) or explain itself. Servers and kernels are stopped afterwards.
//   node scripts/check-live.js [--lab] [--notebook7] [--classic] [chapter filters…]   (default: every front end found)
// A front end that is not installed is skipped with a message.
"use strict";
const { spawn } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { CHROMIUM_ARGS, cacheDir, chapters, findChromium, jupyterEnv, jupyterFrontEnds, root } = require("./env");

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const NAMES = { lab: "JupyterLab", notebook7: "Notebook 7", classic: "classic Notebook" };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitForServer(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Jupyter server did not answer at ${url} within ${ms / 1000} s`);
}

/**
 * Errors the front ends raise in their own code on every page, whatever the notebook: not the course's to fix.
 * JupyterLab's debugger asks every kernel for a debug session and tslab has none; Notebook 7.6's keyboard-shortcut
 * settings plugin reads the schema of a plugin that has none loaded (in its own bundle, notebook_core.*.js).
 */
function frontEndOwnError(e) {
  if (/No active debugger session/.test(e.message)) return true;
  return /reading 'schema'/.test(e.message) && /\/static\/notebook\/notebook_core\./.test(e.stack ?? "");
}

/** A folder to serve: copies of the chapters (runs never touch notebooks/), lib, and the untrusted notebook. */
function serveDir(list, kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-live-"));
  for (const f of list) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  fs.symlinkSync(fs.realpathSync(path.join(root, "notebooks", "lib")), path.join(dir, "lib"));
  let untrusted = null;
  if (kind === "lab") {
    const executed = path.join(cacheDir, "executed");
    // Chapter 05 when it is in the list: it has step-through players as well as charts.
    const ordered = [...list.filter((f) => path.basename(f).startsWith("05")), ...list];
    const pick = ordered.map((f) => path.join(executed, path.basename(f))).find((f) => fs.existsSync(f));
    if (pick) {
      untrusted = `untrusted-${path.basename(pick)}`;
      fs.copyFileSync(pick, path.join(dir, untrusted));
    }
  }
  return { dir, untrusted };
}

function startServer(server, kind, dir, port, token) {
  const args = [...server.args, "--no-browser", "--ip=127.0.0.1", `--port=${port}`];
  if (kind === "classic") args.push(`--NotebookApp.token=${token}`, `--notebook-dir=${dir}`);
  else
    args.push(
      `--ServerApp.token=${token}`,
      `--ServerApp.root_dir=${dir}`,
      // window.jupyterapp, to run cells and read outputs through the application's own commands and models.
      ...(kind === "lab"
        ? ["--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None", `--LabApp.workspaces_dir=${dir}`]
        : ["--JupyterNotebookApp.expose_app_in_browser=True"]),
    );
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-jupyter-"));
  const child = spawn(server.cmd, args, {
    env: { ...jupyterEnv(), JUPYTER_RUNTIME_DIR: runtime },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let log = "";
  child.stderr.on("data", (d) => (log = (log + d.toString()).slice(-4000)));
  return { child, runtime, log: () => log, base: `http://127.0.0.1:${port}`, token };
}

/** Processes whose command line names `dir` (the kernels this server started write their connection files there). */
function processesUsing(dir) {
  const pids = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir)) pids.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * Stop the server and every kernel it started. Kernels run in sessions of their own (jupyter_client starts them with
 * a new session), so killing the server's process group would orphan them: ask the server to shut down (it stops
 * its kernels), wait for it, then kill whatever still names this server's runtime folder.
 */
async function stopServer(s) {
  try {
    await fetch(`${s.base}/api/shutdown?token=${s.token}`, { method: "POST", signal: AbortSignal.timeout(5000) });
  } catch {
    // not answering: killed below
  }
  const exited = new Promise((r) => (s.child.exitCode !== null ? r() : s.child.once("exit", r)));
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
  for (const sig of ["SIGTERM", "SIGKILL"]) {
    try {
      process.kill(-s.child.pid, sig);
    } catch {
      // gone
    }
  }
  for (const pid of processesUsing(s.runtime)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  fs.rmSync(s.runtime, { recursive: true, force: true });
}

/**
 * Watch every live progress bar (.cbe-progress) while the cells run: the distinct states a learner sees. Under Run All
 * a front end busy with a huge output can freeze the page while updates pile up; then a bar jumps from 0 to 100 %.
 */
function watchProgress(page) {
  return page.evaluate(() => {
    const seen = (window.__cbeProgress = []);
    setInterval(() => {
      document.querySelectorAll(".cbe-progress").forEach((el, i) => {
        const t = el.textContent;
        seen[i] ??= new Set();
        seen[i].add(t);
      });
    }, 10);
  });
}

function progressStates(page) {
  return page.evaluate(() => (window.__cbeProgress ?? []).map((s) => s.size));
}

/** Classic Notebook 6: restart the kernel and run all cells with its `Jupyter.notebook` API. */
async function runClassic(page, base, name, token) {
  await page.goto(`${base}/notebooks/${encodeURIComponent(name)}?token=${token}`, {
    waitUntil: "load",
    timeout: 60000,
  });
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook?.kernel?.is_connected(), null, {
    timeout: 60000,
  });
  await page.evaluate(() => new Promise((res) => Jupyter.notebook.kernel.restart(() => setTimeout(res, 2000))));
  await page.waitForFunction(() => Jupyter.notebook.kernel.is_connected(), null, { timeout: 60000 });
  await watchProgress(page);
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  await page.waitForFunction(
    () =>
      Jupyter.notebook.get_cells().every((c) => c.cell_type !== "code" || typeof c.input_prompt_number === "number"),
    null,
    { timeout: 300000, polling: 500 },
  );
  return page.evaluate(() => {
    let charts = 0;
    const errors = [];
    for (const c of Jupyter.notebook.get_cells()) {
      for (const o of c.output_area?.outputs ?? []) {
        if (o.output_type === "error") errors.push(`${o.ename}: ${o.evalue}`);
        if (o.output_type === "stream" && o.name === "stderr") errors.push(String(o.text).slice(0, 300));
        if (o.data?.["text/html"]?.includes('class="cbe-plot"')) charts++;
      }
    }
    return { charts, errors };
  });
}

/** JupyterLab 4 and Notebook 7: open, wait for the kernel, run all cells with the app's own command. */
async function openLab(page, base, kind, name, token) {
  const url =
    kind === "lab" ? `${base}/lab/tree/${encodeURIComponent(name)}` : `${base}/notebooks/${encodeURIComponent(name)}`;
  // ?reset: a fresh workspace, so that notebooks opened earlier in this server are not restored beside this one.
  await page.goto(`${url}?reset&token=${token}`, { waitUntil: "load", timeout: 60000 });
  // The notebook's own panel (JupyterLab may also restore others from its workspace; the current one can be another).
  await page.evaluate((path) => {
    window.__cbePanel = () => {
      const shell = window.jupyterapp?.shell;
      if (!shell) return null;
      for (const w of shell.widgets?.("main") ?? []) if (w.context?.path === path) return w;
      return shell.currentWidget?.context?.path === path ? shell.currentWidget : null;
    };
  }, name);
  await page.waitForFunction(
    () => {
      const w = window.__cbePanel();
      return w?.content?.model && w.sessionContext?.session?.kernel?.status === "idle";
    },
    null,
    { timeout: 90000, polling: 250 },
  );
  // Shown in front: a notebook in a background tab draws nothing.
  await page.evaluate(() => window.jupyterapp.shell.activateById(window.__cbePanel().id));
}

async function runLab(page) {
  await watchProgress(page);
  await page.evaluate(() => {
    window.jupyterapp.shell.activateById(window.__cbePanel().id);
    return window.jupyterapp.commands.execute("notebook:run-all-cells");
  });
  await page.waitForFunction(
    () => {
      const w = window.__cbePanel();
      const cells = Array.from({ length: w.content.model.cells.length }, (_, i) => w.content.model.cells.get(i));
      // Run All stops at a cell that fails: then the rest never get a count, and the error is reported below.
      const failed = cells.some(
        (c) =>
          c.type === "code" &&
          c.outputs
            .toJSON()
            .some((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr")),
      );
      const done = cells.every((c) => c.type !== "code" || typeof c.executionCount === "number");
      return (done || failed) && w.sessionContext.session.kernel.status === "idle";
    },
    null,
    { timeout: 300000, polling: 500 },
  );
}

/** What the open notebook's model holds: chart outputs and error outputs. */
function labOutputs(page) {
  return page.evaluate((MIME) => {
    const model = window.__cbePanel().content.model;
    let charts = 0;
    const errors = [];
    for (let i = 0; i < model.cells.length; i++) {
      const c = model.cells.get(i);
      if (c.type !== "code") continue;
      for (let k = 0; k < c.outputs.length; k++) {
        const o = c.outputs.get(k).toJSON();
        if (o.output_type === "error") errors.push(`${o.ename}: ${o.evalue}`);
        if (o.output_type === "stream" && o.name === "stderr") errors.push(String(o.text).slice(0, 300));
        if (o.data?.[MIME] || o.data?.["text/html"]?.includes('class="cbe-plot"')) charts++;
      }
    }
    return { charts, errors };
  }, PLOTLY_MIME);
}

/** Charts drawn in the page (ours or plotly's renderer), players that step, explanations shown. */
async function pageState(page) {
  // Windowed notebooks (JupyterLab, Notebook 7) attach and draw only the cells near the viewport: scroll through in
  // steps, let what is visible draw, and note every chart and player by its cell and its place in the cell.
  return page.evaluate(async () => {
    // Only the notebook under test (JupyterLab may show others beside it).
    const root = window.__cbePanel?.()?.node ?? document;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const drawn = new Set();
    const explained = new Set();
    const players = new Set();
    const stepping = new Set();
    const playerNotes = new Set();
    const keyOf = (el, sel) => {
      const cell = el.closest(".jp-Cell, .cell");
      const cells = Array.from(root.querySelectorAll(".jp-Cell, .cell"));
      const index = cell?.dataset.windowedListIndex ?? String(cells.indexOf(cell));
      return `${index}:${Array.from(cell?.querySelectorAll(sel) ?? []).indexOf(el)}`;
    };
    const note = async () => {
      const boxes = () =>
        Array.from(root.querySelectorAll(".cbe-plot, .js-plotly-plot")).filter(
          (d) => !d.parentElement.closest(".cbe-plot, .js-plotly-plot"),
        );
      const settled = (d) =>
        d.querySelector("svg.main-svg") || d.textContent.includes("not drawn") || d.querySelector(".cbe-untrusted");
      for (let t = 0; t < 40 && !boxes().every(settled); t++) await sleep(100);
      for (const d of boxes()) {
        const k = keyOf(d, ".cbe-plot, .js-plotly-plot");
        if (d.querySelector("svg.main-svg")) drawn.add(k);
        else if (d.querySelector(".cbe-untrusted")) explained.add(k);
      }
      for (const p of root.querySelectorAll(".cbe-stepper")) {
        const k = keyOf(p, ".cbe-stepper");
        players.add(k);
        if (p.querySelector(".cbe-untrusted")) playerNotes.add(k);
        const cap = p.querySelector(".cbe-cap");
        const before = cap?.textContent;
        p.querySelector('button[data-a="next"]')?.click();
        if (p.getAttribute("data-ready") === "1" && cap && cap.textContent !== before) stepping.add(k);
        p.querySelector('button[data-a="first"]')?.click();
      }
    };
    const scroller =
      (root === document ? null : root.querySelector(".jp-WindowedPanel-outer, .jp-Notebook")) ??
      document.querySelector("#site") ??
      document.scrollingElement;
    // The height grows as windowed cells are drawn: go on until the bottom stays the bottom.
    for (let y = 0, k = 0; k < 1000; y += 400, k++) {
      scroller.scrollTop = y;
      await sleep(80);
      await note();
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) {
        await sleep(300);
        await note();
        if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
      }
    }
    return {
      drawn: drawn.size,
      explained: [...explained].filter((k) => !drawn.has(k)).length,
      players: players.size,
      stepping: stepping.size,
      playerNotes: playerNotes.size,
    };
  });
}

async function checkFrontEnd(kind, server, list, browser) {
  const problems = [];
  const port = await freePort();
  const token = crypto.randomBytes(16).toString("hex");
  const { dir, untrusted } = serveDir(list, kind);
  const srv = startServer(server, kind, dir, port, token);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(`${base}/api/status?token=${token}`, 60000);
    for (const file of list) {
      const name = path.basename(file);
      const t0 = Date.now();
      const page = await browser.newPage();
      const pageErrors = [];
      page.on("pageerror", (e) => {
        if (!frontEndOwnError(e)) pageErrors.push(process.env.CBE_STACKS ? e.stack : e.message);
      });
      page.on("request", (r) => {
        if (!r.url().startsWith(base) && !/^(data|blob|about|ws):/.test(r.url()))
          pageErrors.push(`network request outside the server: ${r.url()}`);
      });
      let out;
      if (kind === "classic") out = await runClassic(page, base, name, token);
      else {
        await openLab(page, base, kind, name, token);
        await runLab(page);
        out = await labOutputs(page);
      }
      const bars = await progressStates(page);
      const st = await pageState(page);
      const bad = [...pageErrors, ...out.errors.map((e) => `cell error: ${e}`)];
      // A bar that moves shows many states (chapter 07's: about 20); one frozen under Run All shows 2 or 3.
      for (const [i, n] of bars.entries())
        if (n < 5) bad.push(`progress bar ${i + 1} showed only ${n} states while the cells ran`);
      if (st.drawn !== out.charts) bad.push(`${st.drawn} of ${out.charts} charts drawn`);
      if (st.stepping !== st.players) bad.push(`${st.players - st.stepping} of ${st.players} players do not step`);
      console.log(
        `${bad.length ? "FAIL" : "ok  "} ${NAMES[kind]} ${name}: ${st.drawn}/${out.charts} charts drawn, ` +
          `${st.stepping}/${st.players} players step` +
          (bars.length ? `, progress bars showed ${bars.join(", ")} states` : "") +
          ` (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
      for (const b of bad) problems.push(`${NAMES[kind]} ${name}: ${b}`);
      await page.close();
    }
    if (untrusted) {
      // Opened as someone else's notebook would be: outputs saved, never run here, not trusted.
      const page = await browser.newPage();
      await openLab(page, base, kind, untrusted, token);
      const trusted = await page.evaluate(() => {
        const m = window.__cbePanel().content.model;
        return Array.from({ length: m.cells.length }, (_, i) => m.cells.get(i)).some((c) => c.trusted);
      });
      const out = await labOutputs(page);
      const st = await pageState(page);
      const bad = [];
      if (trusted) bad.push("the notebook opened as trusted: this does not test the untrusted case");
      if (out.charts === 0) bad.push("the executed notebook has no chart outputs: this tests nothing");
      if (st.drawn + st.explained < out.charts)
        bad.push(`${out.charts - st.drawn - st.explained} of ${out.charts} charts neither drawn nor explained`);
      if (st.players > 0 && st.stepping + st.playerNotes < st.players)
        bad.push(`${st.players - st.stepping - st.playerNotes} players neither step nor explain`);
      console.log(
        `${bad.length ? "FAIL" : "ok  "} ${NAMES[kind]} ${untrusted} (untrusted, not run): ` +
          `${st.drawn}/${out.charts} charts drawn, ${st.explained} explained; ` +
          `${st.stepping}/${st.players} players step, ${st.playerNotes} explain`,
      );
      for (const b of bad) problems.push(`${NAMES[kind]} ${untrusted}: ${b}`);
      await page.close();
    }
  } catch (e) {
    problems.push(`${NAMES[kind]}: ${e.message}`);
  } finally {
    await stopServer(srv);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length) problems.push(`--- end of the ${NAMES[kind]} server log ---\n${srv.log()}`);
  return problems;
}

async function checkLive(argv = []) {
  const only = argv.filter((a) => !a.startsWith("--"));
  const asked = ["lab", "notebook7", "classic"].filter((k) => argv.includes(`--${k}`));
  const kinds = asked.length ? asked : ["lab", "notebook7", "classic"];
  const found = jupyterFrontEnds();
  const list = chapters(only);
  const { chromium } = require("playwright-core");
  const problems = [];
  const ran = [];
  for (const kind of kinds) {
    if (!found[kind]) {
      console.log(
        `live check in the ${NAMES[kind]} skipped: not installed` +
          (kind === "classic" ? " (node scripts/setup.js --server)." : " (node scripts/setup.js --lab)."),
      );
      continue;
    }
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-chromium-"));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: findChromium(),
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: CHROMIUM_ARGS,
    });
    try {
      problems.push(...(await checkFrontEnd(kind, found[kind], list, browser)));
      ran.push(`${NAMES[kind]} ${found[kind].version}`);
    } finally {
      await browser.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  }
  if (problems.length) {
    console.error("\n" + problems.join("\n"));
    process.exit(1);
  }
  console.log(
    ran.length
      ? `live check (${ran.join(", ")}): every chapter ran in the browser with every chart drawn.`
      : "live check: no Jupyter front end installed, nothing checked.",
  );
}

module.exports = { checkLive };
if (require.main === module)
  checkLive(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
