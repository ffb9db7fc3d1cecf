#!/usr/bin/env node
// The path a learner takes with `npm start`: serve notebooks/ with Jupyter Notebook (classic, 6.x) on 127.0.0.1,
// open every chapter in headless Chromium, restart its kernel, run all cells through the Notebook UI, and check
// that every chart is drawn and no cell wrote an error. Stops the server and its kernels afterwards.
// Skips (and says so) when no classic Jupyter Notebook is installed: `node scripts/setup.js --server` installs one.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { CHROMIUM_ARGS, chapters, findChromium, jupyterEnv, root } = require("./env");

function classicNotebookVersion() {
  const r = spawnSync("jupyter", ["notebook", "--version"], { env: jupyterEnv(), encoding: "utf8", timeout: 30000 });
  const v = (r.stdout || "").trim();
  return r.status === 0 && /^6\./.test(v) ? v : null;
}

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

async function checkLive(only = []) {
  const version = classicNotebookVersion();
  if (!version) {
    console.log(
      "live notebook check skipped: no classic Jupyter Notebook 6 found (node scripts/setup.js --server installs it).",
    );
    return;
  }
  const { chromium } = require("playwright-core");
  const port = await freePort();
  const token = crypto.randomBytes(16).toString("hex");
  const args = [
    "notebook",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    `--NotebookApp.token=${token}`,
    `--notebook-dir=${path.join(root, "notebooks")}`,
  ];
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-jupyter-"));
  const server = spawn("jupyter", args, {
    env: { ...jupyterEnv(), JUPYTER_RUNTIME_DIR: runtime },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let serverLog = "";
  server.stderr.on("data", (d) => (serverLog = (serverLog + d.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const problems = [];
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-chromium-"));
  let browser;
  try {
    await waitForServer(`${base}/api/status?token=${token}`, 30000);
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: findChromium(),
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: CHROMIUM_ARGS,
    });
    const list = chapters().filter((c) => only.length === 0 || only.some((o) => path.basename(c).includes(o)));
    for (const file of list) {
      const name = path.basename(file);
      const t0 = Date.now();
      const page = await browser.newPage();
      const pageErrors = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("request", (r) => {
        if (!r.url().startsWith(base) && !/^(data|blob|about|ws):/.test(r.url()))
          pageErrors.push(`network request outside the server: ${r.url()}`);
      });
      await page.goto(`${base}/notebooks/${encodeURIComponent(name)}?token=${token}`, {
        waitUntil: "load",
        timeout: 60000,
      });
      await page.waitForFunction(() => window.Jupyter && Jupyter.notebook?.kernel?.is_connected(), null, {
        timeout: 60000,
      });
      // A fresh kernel, as after Kernel → Restart & Run All.
      await page.evaluate(() => new Promise((res) => Jupyter.notebook.kernel.restart(() => setTimeout(res, 2000))));
      await page.waitForFunction(() => Jupyter.notebook.kernel.is_connected(), null, { timeout: 60000 });
      await page.evaluate(() => Jupyter.notebook.execute_all_cells());
      await page.waitForFunction(
        () =>
          Jupyter.notebook
            .get_cells()
            .every((c) => c.cell_type !== "code" || typeof c.input_prompt_number === "number"),
        null,
        { timeout: 300000, polling: 500 },
      );
      await page
        .waitForFunction(
          () =>
            Array.from(document.querySelectorAll(".cbe-plot")).every(
              (d) => d.querySelector("svg.main-svg") || d.textContent.includes("not drawn"),
            ),
          null,
          { timeout: 60000 },
        )
        .catch(() => pageErrors.push("timed out waiting for the charts"));
      const r = await page.evaluate(() => ({
        plots: document.querySelectorAll(".cbe-plot").length,
        drawn: Array.from(document.querySelectorAll(".cbe-plot")).filter((d) => d.querySelector("svg.main-svg")).length,
        errors: Array.from(document.querySelectorAll(".output_stderr, .output_error")).map((e) =>
          e.textContent.slice(0, 300),
        ),
      }));
      const bad = [...pageErrors, ...r.errors.map((e) => `cell error: ${e}`)];
      if (r.drawn !== r.plots) bad.push(`${r.plots - r.drawn} of ${r.plots} charts not drawn`);
      console.log(
        `${bad.length ? "FAIL" : "ok  "} live ${name}: ${r.drawn}/${r.plots} charts drawn ` +
          `(${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
      for (const b of bad) problems.push(`${name}: ${b}`);
      await page.evaluate(() => Jupyter.notebook.session.delete()).catch(() => undefined);
      await page.close();
    }
  } finally {
    if (browser) await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    try {
      process.kill(-server.pid, "SIGTERM"); // the server and the kernels it started
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // stopped
    }
    fs.rmSync(runtime, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error("\n" + problems.join("\n") + (serverLog ? `\n--- end of the server log ---\n${serverLog}` : ""));
    process.exit(1);
  }
  console.log(
    `live notebook check (Jupyter Notebook ${version}): every chapter ran in the browser with every chart drawn.`,
  );
}

module.exports = { checkLive };
if (require.main === module)
  checkLive(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
