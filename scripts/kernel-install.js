#!/usr/bin/env node
// npm run kernel:install: register this project's tslab kernel in the user's own Jupyter (VS Code, JupyterLab).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { root } = require("./env");

const tslab = path.join(root, "node_modules", "tslab", "bin", "tslab");
if (!fs.existsSync(tslab)) {
  console.error("tslab is not installed: run `npm ci` first.");
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-kernel-"));
const spec = {
  argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
  display_name: "TypeScript (tslab, Concurrency by Experiment)",
  language: "typescript",
};
fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2));
const r = spawnSync("jupyter", ["kernelspec", "install", "--user", "--name", "tslab", dir], { stdio: "inherit" });
fs.rmSync(dir, { recursive: true, force: true });
if (r.status !== 0) {
  console.error(
    "`jupyter kernelspec install` failed or jupyter is not on PATH. Install Jupyter, or use `npm start`, which needs no registration.",
  );
  process.exit(1);
}
console.log(
  'Kernel "tslab" registered for this user. In VS Code or JupyterLab, open notebooks/ and pick "TypeScript (tslab, Concurrency by Experiment)".',
);
