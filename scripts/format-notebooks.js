#!/usr/bin/env node
// Formats the code cells of every chapter with Biome, the same settings as lib/ (biome.jsonc): a cell is TypeScript
// as tslab runs it. `npm run format` calls it; `--check` only reports cells that would change (exit 1).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { root, chapters } = require("./env");

const check = process.argv.includes("--check");
const biome = path.join(root, "node_modules", "@biomejs", "biome", "bin", "biome");

/** The cell formatted by Biome; throws with Biome's message if the cell does not parse. */
function format(src, label) {
  // A virtual path inside lib/ picks up the project's settings; nothing is written there.
  const r = spawnSync(process.execPath, [biome, "format", "--stdin-file-path=lib/notebook-cell.ts"], {
    cwd: root,
    input: src,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`${label}: Biome could not format this cell:\n${r.stderr}`);
  return r.stdout.replace(/\n+$/, "");
}

/** Jupyter keeps a cell's source as lines that end in "\n", the last one without. */
function toSource(text) {
  const lines = text.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l));
}

let changed = 0;
for (const file of chapters()) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  let dirty = false;
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    if (!src.trim()) return;
    const out = format(src, `${path.basename(file)} cell ${i + 1}`);
    if (out !== src) {
      dirty = true;
      changed++;
      if (check) console.error(`${path.basename(file)}: cell ${i + 1} is not formatted (npm run format)`);
      c.source = toSource(out);
    }
  });
  if (dirty && !check) fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
}
if (check && changed) process.exit(1);
console.log(check ? "notebook cells: formatted" : `notebook cells: ${changed} reformatted`);
