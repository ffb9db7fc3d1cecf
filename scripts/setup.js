#!/usr/bin/env node
// Make sure this machine can run the course. Idempotent and fast when everything is there.
//   node scripts/setup.js            npm packages + Jupyter (nbclient/nbconvert) + kernelspec + lib compiled
//   node scripts/setup.js --server   ... + a Jupyter server (Notebook or Lab), for `npm start`
//   node scripts/setup.js --browser  ... + Chromium, for the site check in `npm test`
//   node scripts/setup.js --lab      ... + JupyterLab 4, Notebook 7 and plotly in a project-local .venv (pip, from
//                                    whatever index pip is configured with); `--server` tries this first
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { LAB_PACKAGES, VENV, findChromium, findJupyterServer, findPython, jupyterFrontEnds, root } = require("./env");

const want = new Set(process.argv.slice(2));
const APT_BASE = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "libjs-requirejs", "libjs-mathjax"];

function say(msg) {
  console.log(`[setup] ${msg}`);
}

function sh(cmd, args, opts = {}) {
  say(`running: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  return r.status === 0;
}

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function isDebianLike() {
  try {
    const osr = fs.readFileSync("/etc/os-release", "utf8");
    return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(osr);
  } catch {
    return false;
  }
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
let aptUpdated = false;
function apt(pkgs) {
  if (!(isDebianLike() && has("apt-get") && isRoot)) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    sh("apt-get", ["update", "-qq"], { env });
    aptUpdated = true;
  }
  return sh("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { env });
}

function fail(lines) {
  console.error(["", "[setup] The course cannot run yet:", ...lines.map((l) => "  " + l), ""].join("\n"));
  process.exit(1);
}

// 1. npm packages
const stamp = path.join(root, "node_modules", ".package-lock.json");
const lock = path.join(root, "package-lock.json");
if (
  !fs.existsSync(path.join(root, "node_modules", "tslab")) ||
  (fs.existsSync(stamp) && fs.statSync(lock).mtimeMs > fs.statSync(stamp).mtimeMs + 1000)
) {
  if (!sh("npm", ["ci", "--no-audit", "--no-fund"]))
    fail(["`npm ci` failed: check your network access to the npm registry, then run `npm ci` yourself."]);
}

// 2. Jupyter's Python pieces (nbclient, nbconvert, jupyter_client)
if (!findPython()) {
  say("Jupyter (nbclient/nbconvert) not found; installing it.");
  const ok =
    apt(APT_BASE) ||
    (has("python3") &&
      sh("python3", ["-m", "pip", "install", "--user", "nbclient", "nbconvert", "jupyter_client", "nbformat"]));
  if (!ok || !findPython()) {
    fail([
      "Jupyter's nbclient and nbconvert are needed. Install them, then run the command again:",
      "  Debian/Ubuntu:  sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client libjs-requirejs libjs-mathjax jupyter-notebook",
      "  elsewhere:      python3 -m pip install --user nbclient nbconvert jupyter_client notebook",
      "  (or point CBE_PYTHON at a Python that has them)",
    ]);
  }
}

// 3. The project kernelspec (JUPYTER_PATH=jupyter/ is set by every script)
const spec = path.join(root, "jupyter", "kernels", "tslab", "kernel.json");
if (!fs.existsSync(spec) || !fs.existsSync(path.join(root, "node_modules", "tslab", "bin", "tslab"))) {
  fail(["The tslab kernelspec or tslab itself is missing: run `npm ci` in the project folder."]);
}

// 4. lib/ compiled for the notebooks (build/lib, which notebooks/lib links to): a few milliseconds when up to date.
// Type errors do not stop the set-up: the notebooks show them on the import cell, and `npm test` type-checks.
const built = require("./lib-build").ensureLibBuild({ log: say });
if (built.errors.length) say(["lib/ does not type-check (the chapters will say so):", ...built.errors].join("\n  "));

/**
 * JupyterLab 4 + Notebook 7 + plotly (which draws charts natively, also in untrusted notebooks) in .venv. Returns
 * whether they are there. pip is told not to retry: where no index answers (no network) it fails in seconds.
 */
function ensureLab() {
  if (jupyterFrontEnds().lab) return true;
  say("Installing JupyterLab 4, Notebook 7 and plotly into .venv (pip) …");
  const t0 = Date.now();
  const venvOk =
    fs.existsSync(path.join(VENV, "bin", "pip")) || (has("python3") && sh("python3", ["-m", "venv", VENV]));
  const ok =
    venvOk &&
    sh(path.join(VENV, "bin", "pip"), ["install", "-q", "--retries", "0", "--timeout", "20", ...LAB_PACKAGES]);
  const lab = ok && jupyterFrontEnds().lab;
  say(
    lab
      ? `JupyterLab ${lab.version} ready in .venv (${((Date.now() - t0) / 1000).toFixed(0)} s)`
      : "JupyterLab could not be installed (pip found no index or no Python venv); the classic Notebook stays the " +
          "default. To retry: node scripts/setup.js --lab",
  );
  return Boolean(lab);
}

// 5. Optional pieces
if (want.has("--lab") || (want.has("--server") && !want.has("--classic"))) ensureLab();
const anyServer = () => Object.values(jupyterFrontEnds()).some(Boolean) || findJupyterServer(findPython());
if (want.has("--server") && !anyServer()) {
  say("No Jupyter server (Notebook or Lab) found; installing Jupyter Notebook.");
  const ok =
    apt(["jupyter-notebook"]) || (has("python3") && sh("python3", ["-m", "pip", "install", "--user", "notebook"]));
  if (!ok || !anyServer()) {
    fail([
      "A Jupyter server is needed for `npm start`:",
      "  Debian/Ubuntu:  sudo apt-get install jupyter-notebook",
      "  elsewhere:      python3 -m pip install --user jupyterlab",
    ]);
  }
}
if (want.has("--browser") && !findChromium()) {
  say("Chromium not found; installing it for the browser checks.");
  if (!apt(["chromium"]) || !findChromium()) {
    fail([
      "Chromium is needed for the site check of `npm test`:",
      "  Debian/Ubuntu:  sudo apt-get install chromium",
      "  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH to its executable",
    ]);
  }
}
say("ready");
