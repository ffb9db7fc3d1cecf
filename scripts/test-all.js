#!/usr/bin/env node
// npm test: lint, type-check, vitest, committed notebooks carry no outputs, execute every chapter, export the site,
// check every page in headless Chromium, edit and run live cells of the site in it, then run every chapter in the live
// Jupyter Notebook through the browser (skipped, with a message, where no classic Notebook is installed). Stops at the
// first failing stage and says which.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { root } = require("./env");

const stages = [
  ["browser set-up", [process.execPath, path.join(root, "scripts", "setup.js"), "--browser"]],
  [
    "lint (Biome, lines ≤ 120 characters, notebook cells formatted)",
    [process.execPath, path.join(root, "scripts", "lint.js")],
  ],
  // node_modules/.bin/tsc is tslab's TypeScript 5.0 (its package also ships a `tsc`), so call each compiler by path.
  [
    "type-check (TypeScript 5.9, strict)",
    [process.execPath, path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
  ],
  [
    "type-check with tslab's TypeScript 5.0 (what notebooks compile lib/ with)",
    [
      process.execPath,
      path.join(root, "node_modules", "@tslab", "typescript-for-tslab", "bin", "tsc"),
      "-p",
      "tsconfig.json",
    ],
  ],
  ["vitest", [process.execPath, path.join(root, "node_modules", "vitest", "vitest.mjs"), "run"]],
  ["notebooks without outputs", [process.execPath, path.join(root, "scripts", "check-notebooks.js")]],
  ["execute chapters + build site", [process.execPath, path.join(root, "scripts", "build.js")]],
  ["browser check of the site", [process.execPath, path.join(root, "scripts", "check-site.js")]],
  [
    "live cells (chapters 01, 05, 07 edited and run in Chromium, from file:// and http://127.0.0.1)",
    [process.execPath, path.join(root, "scripts", "check-live-site.js")],
  ],
  [
    "live notebook check (npm start's Jupyter, every chapter run in the browser)",
    [process.execPath, path.join(root, "scripts", "check-live.js")],
  ],
];
const t0 = Date.now();
for (const [name, [cmd, ...args]] of stages) {
  const t = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ npm test failed at stage "${name}" after ${secs} s.`);
    process.exit(1);
  }
  console.log(`✓ ${name} (${secs} s)`);
}
console.log(`\nnpm test passed in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
