#!/usr/bin/env node
// npm run lint: Biome (lint + format check of lib, tests, benchmarks, scripts), lines ≤ 120 characters (prose inside
// strings excepted), and notebook code cells formatted like lib. `npm run format` fixes the first and the last.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { root } = require("./env");

const steps = [
  ["Biome", [path.join(root, "node_modules", "@biomejs", "biome", "bin", "biome"), "check", "--error-on-warnings"]],
  ["line length", [path.join(root, "scripts", "check-lines.js")]],
  ["notebook cells formatted", [path.join(root, "scripts", "format-notebooks.js"), "--check"]],
];
let failed = 0;
for (const [name, args] of steps) {
  const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root });
  if (r.status !== 0) {
    console.error(`lint: ${name} failed${name === "line length" ? "" : " (npm run format fixes formatting)"}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
