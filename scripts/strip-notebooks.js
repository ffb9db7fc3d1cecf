#!/usr/bin/env node
// Remove outputs and execution counts from the chapters (what is committed). Keeps cell ids.
"use strict";
const fs = require("node:fs");
const { chapters } = require("./env");

for (const file of chapters()) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const c of nb.cells) {
    if (c.cell_type === "code") {
      c.outputs = [];
      c.execution_count = null;
    }
  }
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
}
