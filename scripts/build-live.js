#!/usr/bin/env node
// The live site's scripts (issue 16), shared by every chapter page and loaded only on the first "Edit":
//   assets/live/lib.js     lib's front door for the browser (global `cbeLib`), Node-only modules replaced by stand-ins
//   assets/live/editor.js  the cell runner: editor, TypeScript transpiler, shared scope, window.cbeLive's engine
// and the small loader that every chapter page inlines (in the manifest). Classic scripts, no module loading: they
// work from file:// and from any static host.
//   node scripts/build-live.js [OUT_DIR] [MANIFEST_JSON]    (defaults: .cache/live/ and .cache/live/manifest.json)
//
// Choices (sizes are their share of the minified output, as this script reports them):
// - esbuild bundles and minifies TypeScript directly, in about a second for all three scripts, with a plugin API to
//   swap modules; one pinned package with a prebuilt binary in the registry (no Rollup + plugins + terser chain).
// - sucrase transpiles a cell in the page: it only strips types (no type check, no down-levelling), at 181 KiB.
//   TypeScript's transpileModule needs typescript.js (3.6 MB minified, over the whole budget) and took about three
//   times as long per cell (chapter 05's cells in Node on this 2-core machine: ~20 ms against ~6 ms each);
//   esbuild-wasm needs a WebAssembly compiler of several MB, which a file:// page cannot fetch (Chromium's fetch
//   refuses file: URLs), so it would travel as base64 inside a script.
// - acorn parses the transpiled cell (116 KiB) so the runner can turn its top-level declarations into the page's
//   shared scope, as a notebook kernel keeps them between cells; exact ESTree ranges, real SyntaxErrors.
// - CodeMirror 6 (view, state, commands, language, lang-javascript in TypeScript mode): the well-kept editor with
//   TypeScript highlighting, about 400 KiB with its parser; Monaco (VS Code's editor) is several MB and loads its
//   parts as modules and workers.
// - marked renders showMarkdown's text as the notebook does (GitHub flavour), about 40 KiB.
//
// Which modules are Node-only is found, not listed: a file of lib/ that imports a Node built-in or a package at run
// time (outside the two browser stand-ins below) is replaced by a module with the same exports (read from the
// compiled build/lib) whose functions throw LiveUnavailableError; a file of lib/real that uses one of those keeps
// its other exports behind a front that stands in for those whose code reaches Node. The manifest names every
// front-door function whose code can reach Node (a call graph through lib's own imports; Node globals such as
// `process` count): scripts/live-page.js marks the cells that call one as not live.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const ts = require("typescript");
const { NODE_GLOBALS, bindingNames, freeNames } = require("./ts-names");
const { cacheDir, root } = require("./env");
const { ensureLibBuild } = require("./lib-build");

const LIB = path.join(root, "lib");
const BROWSER = path.join(LIB, "browser");
const ERRORS = path.join(BROWSER, "errors.ts");

/**
 * Node imports that have a browser stand-in, per file: the tslab edge (lib/notebook/display.ts reads plotly.js from
 * node_modules and loads tslab; the page sets its own sink and already has plotly) and asynccheck's loop guard (no
 * worker_threads: `isMainThread` is false, so the guard is off, as on a worker thread).
 */
const STAND_INS = {
  "notebook/display.ts": ["node:fs", "tslab", "tslab/dist/jupyter"],
  "asynccheck/watchdog.ts": ["node:worker_threads"],
};
/** What the stand-ins of those modules hold beyond throwing functions. */
const STAND_IN_VALUES = { "node:worker_threads": { isMainThread: false } };

const rel = (file) => path.relative(LIB, file).split(path.sep).join("/");

function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === BROWSER ? [] : tsFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

function resolveSpec(from, spec) {
  if (!spec.startsWith(".")) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, "index.ts")])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

function hasExport(node) {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

/** Imports, top-level declarations and exports of one file of lib/ (run-time ones only: types are erased). */
function parseFile(file) {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const info = { file, imports: [], bindings: new Map(), decls: new Map(), exports: new Map(), stars: [] };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : null;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && named && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      if (typeOnly) continue;
      const target = resolveSpec(file, spec);
      info.imports.push({ spec, target, kind: "import" });
      if (clause?.name) info.bindings.set(clause.name.text, { file: target, name: "default" });
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings))
        info.bindings.set(clause.namedBindings.name.text, { file: target, name: "*" });
      for (const e of named?.elements ?? [])
        if (!e.isTypeOnly) info.bindings.set(e.name.text, { file: target, name: (e.propertyName ?? e.name).text });
    } else if (ts.isExportDeclaration(st)) {
      if (st.isTypeOnly) continue;
      const clause = st.exportClause;
      if (st.moduleSpecifier) {
        const target = resolveSpec(file, st.moduleSpecifier.text);
        info.imports.push({ spec: st.moduleSpecifier.text, target, kind: "export" });
        if (!clause) info.stars.push(target);
        else if (ts.isNamespaceExport(clause)) info.exports.set(clause.name.text, { file: target, name: "*" });
        else
          for (const e of clause.elements)
            if (!e.isTypeOnly) info.exports.set(e.name.text, { file: target, name: (e.propertyName ?? e.name).text });
      } else if (clause && ts.isNamedExports(clause)) {
        for (const e of clause.elements)
          if (!e.isTypeOnly) info.exports.set(e.name.text, { local: (e.propertyName ?? e.name).text });
      }
    } else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) &&
      st.name &&
      !(ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Ambient)
    ) {
      info.decls.set(st.name.text, st);
      if (hasExport(st)) info.exports.set(st.name.text, { local: st.name.text });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        for (const n of bindingNames(d.name)) {
          info.decls.set(n, d);
          if (hasExport(st)) info.exports.set(n, { local: n });
        }
    }
  }
  const requires = (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "require" &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const spec = node.arguments[0].text;
      info.imports.push({ spec, target: resolveSpec(file, spec), kind: "require" });
    }
    ts.forEachChild(node, requires);
  };
  requires(sf);
  return info;
}

/**
 * The Node-only files of lib/ (file → why: they import Node), the files of lib/real that use one of them (file →
 * why: their experiments are Node-only, other exports may not be), and every file's parse.
 */
function findNodeOnly() {
  const infos = new Map(tsFiles(LIB).map((f) => [f, parseFile(f)]));
  const nodeOnly = new Map();
  for (const info of infos.values()) {
    const allowed = STAND_INS[rel(info.file)] ?? [];
    const node = info.imports.filter((i) => !i.spec.startsWith(".") && !allowed.includes(i.spec));
    if (node.length) nodeOnly.set(info.file, `imports ${[...new Set(node.map((i) => i.spec))].join(", ")}`);
  }
  // lib/real is the Node-only layer: a file of it that uses a Node-only file at run time is bundled behind a front
  // that stands in for each of its exports whose code reaches Node (its experiments), and keeps the others.
  const partly = new Map();
  for (let changed = true; changed; ) {
    changed = false;
    for (const info of infos.values()) {
      if (nodeOnly.has(info.file) || partly.has(info.file) || !rel(info.file).startsWith("real/")) continue;
      const uses = info.imports.find(
        (i) => i.kind !== "export" && i.target && (nodeOnly.has(i.target) || partly.has(i.target)),
      );
      if (uses) {
        partly.set(info.file, `uses ${rel(uses.target)}`);
        changed = true;
      }
    }
  }
  return { infos, nodeOnly, partly };
}

/** Where an export of `file` is declared: { file, local } (local "*" for a whole module), or null. */
function resolveExport(infos, file, name, seen = new Set()) {
  const info = infos.get(file);
  if (!info || seen.has(file)) return null;
  seen.add(file);
  const e = info.exports.get(name);
  if (e && "local" in e) {
    if (info.decls.has(e.local)) return { file, local: e.local };
    const b = info.bindings.get(e.local);
    if (!b?.file) return null;
    return b.name === "*" ? { file: b.file, local: "*" } : resolveExport(infos, b.file, b.name, seen);
  }
  if (e) return e.name === "*" ? { file: e.file, local: "*" } : resolveExport(infos, e.file, e.name, seen);
  for (const s of info.stars) {
    const r = s && resolveExport(infos, s, name, new Set(seen));
    if (r) return r;
  }
  return null;
}

/** Every run-time export name of `file`, following `export *`. */
function exportNames(infos, file, seen = new Set()) {
  const info = infos.get(file);
  if (!info || seen.has(file)) return [];
  seen.add(file);
  return [...new Set([...info.exports.keys(), ...info.stars.flatMap((s) => (s ? exportNames(infos, s, seen) : []))])];
}

/**
 * taint(file, local) → the Node-only function that the declaration `local` of `file` can reach ("sharedCounterRace
 * in real/race.ts"), or null: a call graph over lib's top-level declarations and imports.
 */
function taintOf(infos, nodeOnly) {
  const memo = new Map();
  const taint = (file, local) => {
    const key = `${file}#${local}`;
    if (memo.has(key)) return memo.get(key);
    if (nodeOnly.has(file)) {
      const why = `${local === "*" ? "a module" : local} in ${rel(file)}`;
      memo.set(key, why);
      return why;
    }
    const info = infos.get(file);
    const decl = local === "*" ? null : info?.decls.get(local);
    memo.set(key, null); // in progress: a cycle adds nothing
    if (!decl) return null;
    let why = null;
    for (const n of freeNames(decl)) {
      if (n === local) continue;
      if (info.decls.has(n)) why = taint(file, n);
      else if (NODE_GLOBALS.has(n) && !info.bindings.has(n) && !STAND_INS[rel(file)])
        why = `${n} (a Node global) in ${rel(file)}`;
      else if (info.bindings.has(n)) {
        const b = info.bindings.get(n);
        const target = !b.file
          ? null
          : b.name === "*"
            ? { file: b.file, local: "*" }
            : resolveExport(infos, b.file, b.name);
        if (target) why = taint(target.file, target.local);
      }
      if (why) break;
    }
    memo.set(key, why);
    return why;
  };
  /** For each run-time export of `file` that reaches Node: the reason. */
  return (file) => {
    const out = {};
    for (const name of exportNames(infos, file)) {
      const where = resolveExport(infos, file, name);
      const why = where && taint(where.file, where.local);
      if (why) out[name] = why;
    }
    return out;
  };
}

/** A module with the exports of the Node-only file `file` (read from its compiled build/lib copy), as stand-ins. */
function stubSource(file) {
  const compiled = path.join(root, "build", "lib", rel(file).replace(/\.ts$/, ".js"));
  const mod = require(compiled);
  const lines = [`import { nodeOnly } from ${JSON.stringify(ERRORS)};`];
  for (const name of Object.keys(mod)) {
    if (name === "__esModule" || name === "default") continue;
    const v = mod[name];
    let value = "undefined";
    if (typeof v === "function") value = `nodeOnly(${JSON.stringify(name)})`;
    else {
      try {
        value = JSON.stringify(v) ?? "undefined";
      } catch {
        // not plain data (a cycle, a BigInt): undefined in the page
      }
    }
    lines.push(`export const ${name} = ${value};`);
  }
  return lines.join("\n");
}

/** The front of a file of lib/real that uses Node-only files: its Node-reaching exports stood in for, the rest kept. */
function frontSource(file, reaching) {
  const lines = [
    `import { nodeOnly } from ${JSON.stringify(ERRORS)};`,
    `export * from ${JSON.stringify(`${file}${ACTUAL}`)};`,
    ...Object.keys(reaching).map((n) => `export const ${n} = nodeOnly(${JSON.stringify(n)});`),
  ];
  return lines.join("\n");
}
/** Marks the import of the file itself behind its front. */
const ACTUAL = "?cbe-actual";

/** A CommonJS stand-in of a Node built-in or package: its functions throw, plus STAND_IN_VALUES. */
function standInSource(spec) {
  let names = [];
  try {
    names = Object.keys(require(spec));
  } catch {
    // a package only the kernel has (tslab): an empty module
  }
  const values = STAND_IN_VALUES[spec] ?? {};
  const fields = names
    .filter((n) => !(n in values) && /^[A-Za-z_$][\w$]*$/.test(n))
    .map((n) => `${n}: nodeOnly(${JSON.stringify(`${n} (${spec})`)})`);
  for (const [k, v] of Object.entries(values)) fields.push(`${k}: ${JSON.stringify(v)}`);
  return `const { nodeOnly } = require(${JSON.stringify(ERRORS)});\nmodule.exports = {\n${fields.join(",\n")}\n};`;
}

function nodeOnlyPlugin(nodeOnly, partly, reachingOf) {
  return {
    name: "cbe-node-only",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path.endsWith(ACTUAL)) return { path: args.path.slice(0, -ACTUAL.length), namespace: "cbe-actual" };
        if (!["file", "cbe-actual"].includes(args.namespace) || !args.importer.startsWith(LIB + path.sep)) return;
        if (args.importer.startsWith(BROWSER + path.sep)) return; // the browser edge: real packages
        if (!args.path.startsWith(".")) return { path: args.path, namespace: "cbe-stand-in" };
        const target = resolveSpec(args.importer, args.path);
        if (target && nodeOnly.has(target)) return { path: target, namespace: "cbe-node-only" };
        if (target && partly.has(target)) return { path: target, namespace: "cbe-front" };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "cbe-node-only" }, (args) => ({
        contents: stubSource(args.path),
        loader: "js",
        resolveDir: LIB,
      }));
      build.onLoad({ filter: /.*/, namespace: "cbe-front" }, (args) => ({
        contents: frontSource(args.path, reachingOf(args.path)),
        loader: "js",
        resolveDir: LIB,
      }));
      build.onLoad({ filter: /.*/, namespace: "cbe-actual" }, (args) => ({
        contents: fs.readFileSync(args.path, "utf8"),
        loader: "ts",
        resolveDir: path.dirname(args.path),
      }));
      build.onLoad({ filter: /.*/, namespace: "cbe-stand-in" }, (args) => ({
        contents: standInSource(args.path),
        loader: "js",
        resolveDir: LIB,
      }));
    },
  };
}

const KB = 1024;

async function buildLive(outDir = path.join(cacheDir, "live"), manifestPath = path.join(outDir, "manifest.json")) {
  const esbuild = require("esbuild");
  const t0 = Date.now();
  const lib = ensureLibBuild({ log: (m) => console.log(`[lib-build] ${m}`) }); // stubs read export names from it
  if (lib.errors.length) console.warn(`build-live: lib/ has type errors (${lib.errors.length} lines); building anyway`);
  const { infos, nodeOnly, partly } = findNodeOnly();
  const reachingOf = taintOf(infos, nodeOnly);
  const frontDoorNodeOnly = reachingOf(path.join(LIB, "index.ts"));
  fs.mkdirSync(outDir, { recursive: true });
  const common = {
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "warning",
    metafile: true,
  };
  const libOut = path.join(outDir, "lib.js");
  await esbuild.build({
    ...common,
    entryPoints: [path.join(BROWSER, "index.ts")],
    outfile: libOut,
    globalName: "cbeLib",
    // Errors are named after their class (CourseError sets `name` from new.target.name): keep class names.
    keepNames: true,
    inject: [path.join(BROWSER, "globals.ts")],
    plugins: [nodeOnlyPlugin(nodeOnly, partly, reachingOf)],
  });
  const editorOut = path.join(outDir, "editor.js");
  const editorBuild = await esbuild.build({
    ...common,
    entryPoints: [path.join(BROWSER, "runtime.ts")],
    outfile: editorOut,
  });
  // The runner reaches lib only through window.cbeLib: no second copy of lib in editor.js.
  const copied = Object.keys(editorBuild.metafile.inputs).filter(
    (f) => f.startsWith("lib/") && !f.startsWith("lib/browser/"),
  );
  if (copied.length) throw new Error(`editor.js bundles lib modules (${copied.join(", ")}): import types only`);
  const loader = await esbuild.build({
    ...common,
    entryPoints: [path.join(BROWSER, "loader.ts")],
    write: false,
    metafile: false,
    legalComments: "none",
    keepNames: true, // its LiveCellError is named after its class, like every CourseError
  });
  const loaderJs = loader.outputFiles[0].text.trim();

  // The bundle loads in a bare context (no DOM at load time) and holds the whole front door.
  const ctx = { console, MessageChannel, globalThis: undefined };
  ctx.globalThis = ctx;
  ctx.window = ctx;
  vm.runInNewContext(fs.readFileSync(libOut, "utf8"), ctx, { filename: "lib.js" });
  const front = exportNames(infos, path.join(LIB, "index.ts"));
  const missing = front.filter((n) => !(n in ctx.cbeLib));
  if (missing.length) throw new Error(`lib.js lacks front-door names: ${missing.join(", ")}`);

  const bytes = (f) => fs.statSync(f).size;
  const sizes = { "lib.js": bytes(libOut), "editor.js": bytes(editorOut), loader: Buffer.byteLength(loaderJs) };
  const manifest = {
    builtAt: new Date().toISOString(),
    sizes,
    nodeOnlyFiles: Object.fromEntries([...nodeOnly].map(([f, why]) => [rel(f), why])),
    partlyNodeOnlyFiles: Object.fromEntries([...partly].map(([f, why]) => [rel(f), why])),
    frontDoor: front,
    frontDoorNodeOnly,
    loader: loaderJs,
  };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  const top = (meta) =>
    Object.entries(meta.outputs)[0][1]
      ? Object.entries(Object.values(meta.outputs)[0].inputs)
          .map(([f, v]) => [
            f
              .replace(/^node_modules\//, "")
              .split("/")
              .slice(0, 2)
              .join("/"),
            v.bytesInOutput,
          ])
          .reduce((m, [k, v]) => m.set(k, (m.get(k) ?? 0) + v), new Map())
      : new Map();
  const parts = [...top(editorBuild.metafile)]
    .filter(([, v]) => v > 20 * KB)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / KB).toFixed(0)} KiB`);
  const total = sizes["lib.js"] + sizes["editor.js"];
  console.log(
    `live scripts in ${path.relative(root, outDir) || "."}: lib.js ${(sizes["lib.js"] / KB).toFixed(0)} KiB, ` +
      `editor.js ${(sizes["editor.js"] / KB).toFixed(0)} KiB (${parts.join(", ")}), together ` +
      `${(total / 1e6).toFixed(2)} MB (goal ≤ 1.5 MB: ${total <= 1.5e6 ? "met" : "MISSED"}); inline loader ` +
      `${(sizes.loader / KB).toFixed(1)} KiB; ${nodeOnly.size} Node-only modules stood in for (and the experiments of ${partly.size} more), ` +
      `${Object.keys(frontDoorNodeOnly).length} of ${front.length} front-door names reach one; ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return manifest;
}

module.exports = { buildLive, findNodeOnly, taintOf };
if (require.main === module)
  buildLive(...process.argv.slice(2).map((p) => path.resolve(p))).catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
