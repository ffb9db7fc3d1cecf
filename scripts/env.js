// Shared by the scripts: where things are, and how to find Jupyter's Python, Chromium and the project kernelspec.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const cacheDir = path.join(root, ".cache");

/** Environment for every Jupyter command: the project-local kernelspec comes first. */
function jupyterEnv() {
  const jp = [path.join(root, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  // Make sure the kernel's `node` is this Node.
  const PATH = [path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: jp, PATH, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
}

function works(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "ignore", env: jupyterEnv(), timeout: 30000 });
  return r.status === 0;
}

/** A Python that can import nbclient/nbformat/jupyter_client (Debian's first: a pyenv python3 may lack them). */
function findPython() {
  const candidates = [process.env.CBE_PYTHON, "/usr/bin/python3", "python3", "python"].filter(Boolean);
  for (const c of candidates) {
    if (works(c, ["-c", "import nbclient, nbformat, jupyter_client, nbconvert"])) return c;
  }
  return null;
}

/** The Jupyter server command (notebook or lab), or null. */
function findJupyterServer(python) {
  for (const app of ["lab", "notebook"]) {
    if (works("jupyter", [app, "--version"])) return { cmd: "jupyter", args: [app] };
    if (python && works(python, ["-m", app === "lab" ? "jupyterlab" : "notebook", "--version"])) {
      return { cmd: python, args: ["-m", app === "lab" ? "jupyterlab" : "notebook"] };
    }
  }
  return null;
}

/** The project's own Jupyter environment (`node scripts/setup.js --lab` makes it): JupyterLab 4, Notebook 7, plotly. */
const VENV = path.join(root, ".venv");
/** What `setup --lab` installs into .venv (pinned: the versions the live checks were run with). */
const LAB_PACKAGES = ["jupyterlab==4.6.4", "notebook==7.6.3", "plotly==7.1.0"];

function versionOf(cmd, args) {
  const r = spawnSync(cmd, args, { env: jupyterEnv(), encoding: "utf8", timeout: 30000 });
  return r.status === 0 ? (r.stdout || "").trim().split("\n").pop() : null;
}

/**
 * The Jupyter front ends this machine can serve, each { cmd, args, version } or null: `lab` (JupyterLab 4, from
 * .venv or the PATH), `notebook7` (Notebook 7, from .venv) and `classic` (Notebook 6, e.g. Debian's jupyter-notebook).
 */
function jupyterFrontEnds() {
  const found = { lab: null, notebook7: null, classic: null };
  const bin = path.join(VENV, "bin");
  for (const [cmd, pre] of [
    [path.join(bin, "jupyter"), []],
    ["jupyter", []],
  ]) {
    if (cmd.includes(path.sep) && !fs.existsSync(cmd)) continue;
    const lab = !found.lab && versionOf(cmd, [...pre, "lab", "--version"]);
    if (lab && /^4\./.test(lab)) found.lab = { cmd, args: [...pre, "lab"], version: lab };
    const nb = versionOf(cmd, [...pre, "notebook", "--version"]);
    if (nb && /^7\./.test(nb) && !found.notebook7) found.notebook7 = { cmd, args: [...pre, "notebook"], version: nb };
    if (nb && /^6\./.test(nb) && !found.classic) found.classic = { cmd, args: [...pre, "notebook"], version: nb };
  }
  return found;
}

/** Chromium (or Chrome) for the browser checks, or null. */
function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
  ].filter(Boolean);
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

/** The chapters, in order. */
function chapters(only = process.argv.slice(2).filter((a) => !a.startsWith("-"))) {
  const dir = path.join(root, "notebooks");
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort()
    .map((f) => path.join(dir, f));
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: jupyterEnv(), cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/** Headless Chromium flags for the browser checks: no GPU, no network of its own (updates, sync, QUIC). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

module.exports = {
  root,
  VENV,
  LAB_PACKAGES,
  jupyterFrontEnds,
  cacheDir,
  jupyterEnv,
  findPython,
  findJupyterServer,
  findChromium,
  CHROMIUM_ARGS,
  chapters,
  run,
};
