#!/usr/bin/env node
// npm start: serve the course (notebooks/) in Jupyter on 127.0.0.1 with the project's tslab kernel, and print the URL.
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");
const { findJupyterServer, findPython, jupyterEnv, root } = require("./env");

const server = findJupyterServer(findPython());
if (!server) {
  console.error("No Jupyter server found: run `node scripts/setup.js --server`.");
  process.exit(1);
}
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
  `Starting Jupyter (${server.args.join(" ")}) on http://127.0.0.1:${port}/ — the URL with its login token follows. Ctrl-C stops it.`,
);
const child = spawn(server.cmd, args, { env: jupyterEnv(), stdio: "inherit", cwd: root });
const stop = () => child.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));
