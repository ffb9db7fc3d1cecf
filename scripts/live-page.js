// The live part of a chapter page (issue 16): which code cells can run in the page, their sources, and the inline
// loader (lib/browser/loader.ts, minified by scripts/build-live.js) that puts the Edit controls on them.
//
// A cell runs in the page unless it (a) calls a front-door function whose code reaches a Node-only module (the
// build's manifest names them: sharedCounterRace, checkRealIncrement, ...), (b) imports anything but the course
// library, (c) uses a Node global (process, require, Buffer, ...), or (d) uses a name that such a cell declared (the
// results of a real experiment). Those cells keep their recorded output and say why they cannot run here.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");
const { NODE_GLOBALS, bindingNames, freeNames } = require("./ts-names");

/** The module specifiers of the course library that the page provides (as lib/browser/runtime.ts accepts them). */
const LIB_SPEC = /^\.{1,2}\/lib(\/index(\.ts|\.js)?)?$/;
/** What one cell imports, declares at its top level, and uses (in order of first use). */
function analyseCell(source) {
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = []; // { spec, local, imported }
  const declared = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      if (!clause) imports.push({ spec, local: null, imported: null });
      if (clause?.name) imports.push({ spec, local: clause.name.text, imported: "default" });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imports.push({ spec, local: nb.name.text, imported: "*" });
      if (nb && ts.isNamedImports(nb))
        for (const e of nb.elements)
          if (!e.isTypeOnly) imports.push({ spec, local: e.name.text, imported: (e.propertyName ?? e.name).text });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) declared.push(...bindingNames(d.name));
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      declared.push(st.name.text);
    }
  }
  // Uses: names not bound inside the cell's own functions and blocks (a parameter named like a result of a real
  // experiment is not that result).
  const uses = freeNames(sf);
  return { imports, declared, uses: [...uses] };
}

/**
 * Decide, cell by cell, what runs in the page. `sources` are the chapter's code cells in order; `nodeOnly` maps
 * front-door names to the Node-only function they reach. Returns [{ index, live, source? , why? }].
 */
function liveCells(sources, nodeOnly, notebook) {
  const fromLib = new Map(); // local name → front-door name, for names imported from the library so far
  const tainted = new Map(); // top-level name → the index of the cell that declared it and cannot run here
  const jupyter = `To measure your own machine, run ${notebook} in Jupyter (npm start).`;
  return sources.map((source, k) => {
    const index = k + 1;
    let why = null;
    let a;
    try {
      a = analyseCell(source);
    } catch {
      a = { imports: [], declared: [], uses: [] };
    }
    for (const i of a.imports) {
      if (LIB_SPEC.test(i.spec)) {
        if (i.local && i.imported !== "*") fromLib.set(i.local, i.imported);
      } else why ??= `Imports "${i.spec}", which only the notebook has (Node.js). ${jupyter}`;
    }
    for (const n of a.uses) {
      if (why) break;
      const libName = fromLib.get(n);
      if (libName && nodeOnly[libName] && !a.declared.includes(n))
        why =
          `Runs a real experiment (${n}) on the machine that built this page: the output below was recorded ` +
          `there. ${jupyter}`;
      else if (tainted.has(n) && !a.declared.includes(n))
        why =
          `Uses ${n} from cell ${tainted.get(n)}, a real experiment: the output below was recorded when the site ` +
          `was built. ${jupyter}`;
      else if (NODE_GLOBALS.has(n) && !a.declared.includes(n))
        why = `Uses Node.js's ${n}, which a web page does not have: the output below is the recorded one. ${jupyter}`;
    }
    for (const n of a.declared) {
      if (why) tainted.set(n, index);
      else tainted.delete(n);
      fromLib.delete(n);
    }
    return why ? { index, live: false, why } : { index, live: true, source };
  });
}

/** The code cells' sources of a notebook file, in order. */
function codeSources(notebookFile) {
  const nb = JSON.parse(fs.readFileSync(notebookFile, "utf8"));
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : String(c.source)));
}

/** JSON safe inside a <script> element. */
const scriptJson = (v) =>
  JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028");

/**
 * A chapter body with its live cells: the page data and the inline loader after the body. `manifest` is what
 * scripts/build-live.js wrote; `assets` where lib.js and editor.js are, relative to the page.
 */
function liveBody(body, notebookFile, manifest, assets = "assets/live/") {
  const notebook = `notebooks/${path.basename(notebookFile)}`;
  const cells = liveCells(codeSources(notebookFile), manifest.frontDoorNodeOnly, notebook);
  const data = { notebook, assets, cells };
  const loader = manifest.loader.replace(/<\/script/gi, "\\x3C/script").replace(/<!--/g, "\\x3C!--");
  const html =
    `${body}\n<script type="application/json" id="cbe-live-data">${scriptJson(data)}</script>\n` +
    `<script>${loader}</script>\n`;
  return { body: html, live: cells.filter((c) => c.live).length, total: cells.length };
}

module.exports = { analyseCell, liveBody, liveCells, LIB_SPEC };
