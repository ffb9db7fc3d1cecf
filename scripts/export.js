#!/usr/bin/env node
// npm run export -- path/to/notebook.ipynb [--execute] [--no-input] [--out page.html]
// Turn a notebook (a chapter you edited, or your own) into ONE offline HTML page in the course's style: the same
// template as the site (scripts/page.js), the stylesheet and the one plotly bundle its charts need inlined, no CDN,
// no request at all. --execute runs it first from a fresh kernel (the saved outputs are used otherwise);
// --no-input leaves the code out. Writes next to the notebook unless --out says where.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { cacheDir, findPython, root, run } = require("./env");
const { ensureLibBuild } = require("./lib-build");
const { page, siteBody } = require("./page");

function usage(msg) {
  console.error(`${msg}\nUsage: npm run export -- path/to/notebook.ipynb [--execute] [--no-input] [--out page.html]`);
  process.exit(2);
}

/** Where a plotly bundle's file is: read from the compiled lib (lib/plot/bundles.ts names the packages). */
function bundlePath(kind) {
  const { PLOTLY_BUNDLES } = require(path.join(root, "build", "lib", "plot", "bundles.js"));
  const b = PLOTLY_BUNDLES[kind];
  return require.resolve(`${b.package}/${b.file}`, { paths: [root] });
}

function exportNotebook(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : null;
  const files = argv.filter((a, i) => !a.startsWith("--") && i !== outIndex + 1);
  if (files.length !== 1) usage("Give exactly one notebook.");
  for (const f of flags) if (!["--execute", "--no-input", "--out"].includes(f)) usage(`Unknown option ${f}.`);
  const source = path.resolve(files[0]);
  if (!fs.existsSync(source) || !source.endsWith(".ipynb")) usage(`No notebook at ${files[0]}.`);
  const python = findPython();
  if (!python) usage("Jupyter (nbconvert) not found: run `npm run setup` first.");
  ensureLibBuild({ log: () => undefined });

  let notebook = source;
  if (flags.has("--execute")) {
    const dir = path.join(cacheDir, "export");
    if (run(python, [path.join(root, "scripts", "run_notebooks.py"), dir, "300", source]) !== 0) {
      console.error("The notebook did not run to the end (see the failing cell above): nothing exported.");
      process.exit(1);
    }
    notebook = path.join(dir, path.basename(source));
  }
  const fragments = path.join(cacheDir, `export-${process.pid}.json`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const env = { ...process.env, CBE_NO_INPUT: flags.has("--no-input") ? "1" : "0" };
  if (run(python, [path.join(root, "scripts", "export_html.py"), fragments, notebook], { env }) !== 0) {
    console.error("HTML export failed.");
    process.exit(1);
  }
  const data = JSON.parse(fs.readFileSync(fragments, "utf8"));
  fs.rmSync(fragments, { force: true });
  const [c] = data.chapters;
  // One bundle for the whole page, in the head: charts draw even if the output that carried it was cleared.
  const { body, bundle } = siteBody(c.body);
  const css = `${fs.readFileSync(path.join(root, "scripts", "course.css"), "utf8")}\n${data.pygments_css}`;
  const inlineScripts = bundle
    ? [fs.readFileSync(bundlePath(bundle), "utf8").replace(/<\/script/gi, "\\x3C/script")]
    : [];
  const target = path.resolve(out ?? source.replace(/\.ipynb$/, ".html"));
  fs.writeFileSync(target, page({ title: c.title, body, nav: "", css, inlineScripts, home: false }));
  const mb = (fs.statSync(target).size / 1e6).toFixed(2);
  console.log(`exported ${path.relative(process.cwd(), target)} (${mb} MB, ${bundle ?? "no"} plotly bundle inlined)`);
  return target;
}

module.exports = { exportNotebook };
if (require.main === module) exportNotebook(process.argv.slice(2));
