#!/usr/bin/env node
// Committed chapters carry no outputs and no execution counts, use the tslab kernel, import the library as
// "./lib/index", and give every cell a unique id (nbformat 4.5: a cell without one is a warning today and an error
// in future nbformat versions; the live site and Jupyter front ends also key cells by it).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { chapters } = require("./env");

const problems = [];
for (const file of chapters()) {
  const name = path.basename(file);
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  if (nb.metadata?.kernelspec?.name !== "tslab") problems.push(`${name}: kernelspec must be "tslab"`);
  const ids = new Set();
  nb.cells.forEach((c, i) => {
    if (typeof c.id !== "string" || c.id === "") problems.push(`${name}: cell ${i + 1} has no id`);
    else if (ids.has(c.id)) problems.push(`${name}: cell ${i + 1} repeats the id ${c.id}`);
    ids.add(c.id);
    if (c.cell_type !== "code") return;
    if ((c.outputs ?? []).length > 0 || c.execution_count != null)
      problems.push(
        `${name}: cell ${i + 1} has outputs or an execution count (strip them: node scripts/strip-notebooks.js)`,
      );
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    if (/from\s+["']\.\/lib["']/.test(src))
      problems.push(`${name}: cell ${i + 1} imports "./lib"; tslab needs "./lib/index"`);
  });
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`notebooks: ${chapters().length} chapters, no outputs committed`);
