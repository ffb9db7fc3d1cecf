#!/usr/bin/env node
// Execute every chapter (or those named) from a fresh kernel, with a per-cell timeout; executed copies go to
// .cache/executed.
"use strict";
const path = require("node:path");
const { cacheDir, chapters, findPython, run, root } = require("./env");
const { ensureLibBuild } = require("./lib-build");

const CELL_TIMEOUT_S = Number(process.env.CBE_CELL_TIMEOUT ?? 300);

function execute(only = []) {
  const python = findPython();
  if (!python) {
    console.error("Jupyter (nbclient) not found: run `npm run setup` first.");
    process.exit(1);
  }
  const list = chapters().filter((c) => only.length === 0 || only.some((o) => path.basename(c).includes(o)));
  if (list.length === 0) {
    console.error(`No chapter matches ${only.join(", ")}.`);
    process.exit(1);
  }
  // Every kernel start rebuilds build/lib when lib/ changed; doing it here once shows it in this console instead.
  const built = ensureLibBuild({ log: (m) => console.log(`[lib-build] ${m}`) });
  if (built.errors.length) console.error(["lib/ does not type-check:", ...built.errors].join("\n"));
  const out = path.join(cacheDir, "executed");
  const status = run(python, [path.join(root, "scripts", "run_notebooks.py"), out, String(CELL_TIMEOUT_S), ...list]);
  if (status !== 0) {
    console.error("Chapter execution failed (see the failing cell above).");
    process.exit(status);
  }
  return list.map((c) => path.join(out, path.basename(c)));
}

module.exports = { execute };
if (require.main === module) execute(process.argv.slice(2));
