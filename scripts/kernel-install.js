#!/usr/bin/env node
// npm run kernel:install: register this project's tslab kernel in the user's own Jupyter (VS Code, JupyterLab).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { root } = require("./env");

// The kernel is tslab started by scripts/kernel.js, which keeps build/lib (what notebooks/lib links to) up to date.
const kernel = path.join(root, "scripts", "kernel.js");
if (!fs.existsSync(path.join(root, "node_modules", "tslab", "bin", "tslab"))) {
  console.error("tslab is not installed: run `npm ci` first.");
  process.exit(1);
}
require("./lib-build").ensureLibBuild({ log: (m) => console.log(m) });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-kernel-"));
const spec = {
  argv: [process.execPath, kernel, "kernel", "--config-path", "{connection_file}"],
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
