#!/usr/bin/env node
// npm start: serve the course (notebooks/) in Jupyter on 127.0.0.1 with the project's tslab kernel, and print the URL.
// JupyterLab 4 by default (set-up installs it into .venv where pip works); `npm start -- --classic` for the classic
// Notebook 6, `npm start -- --notebook7` for Notebook 7. Without JupyterLab it falls back and says so.
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");
const { findJupyterServer, findPython, jupyterEnv, jupyterFrontEnds, root } = require("./env");

const want = process.argv.slice(2);
const found = jupyterFrontEnds();
const order = want.includes("--classic")
  ? ["classic"]
  : want.includes("--notebook7")
    ? ["notebook7"]
    : ["lab", "notebook7", "classic"];
const name = { lab: "JupyterLab", notebook7: "Notebook 7", classic: "the classic Notebook" };
const pick = order.find((k) => found[k]);
let server = pick ? found[pick] : null;
if (!server && order.length === 3) server = findJupyterServer(findPython());
if (!server) {
  console.error(
    `${order.length === 1 ? `${name[order[0]]} is` : "No Jupyter server is"} not installed: run ` +
      "`node scripts/setup.js --server` (JupyterLab via pip, else the classic Notebook via apt).",
  );
  process.exit(1);
}
if (pick !== "lab" && order.length === 3)
  console.log("JupyterLab is not installed (node scripts/setup.js --lab installs it); using what there is.");
const port = process.env.PORT ?? "8888";
const args = [
  ...server.args,
  "--no-browser",
  "--ip=127.0.0.1",
  `--port=${port}`,
  `--notebook-dir=${path.join(root, "notebooks")}`,
];
// containers often run as root
if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
console.log(
  `Starting ${pick ? `${name[pick]} ${server.version}` : server.args.join(" ")} on http://127.0.0.1:${port}/ — the ` +
    "URL with its login token follows. Ctrl-C stops it. (Choose with `npm start -- --classic` or `-- --notebook7`.)",
);
const child = spawn(server.cmd, args, { env: jupyterEnv(), stdio: "inherit", cwd: root });
const stop = () => child.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));
