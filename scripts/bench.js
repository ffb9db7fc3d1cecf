#!/usr/bin/env node
// Runs every bench/*.bench.ts in its own process (ts-node, transpile only) and prints what each reports.
// Benchmarks measure speed goals; tests never assert wall-clock times.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const only = process.argv.slice(2);
const files = fs
  .readdirSync(path.join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("bench", f)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
  });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.error(`\n${failed} benchmark file(s) failed`);
  process.exit(1);
}
