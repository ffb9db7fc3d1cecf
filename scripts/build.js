#!/usr/bin/env node
// npm run build: execute every chapter, then write the static site to site/ (index, one page per chapter with
// previous/next links, shared plotly bundles and stylesheet). Pages open from file:// with no network request.
// Each chapter page loads one shared bundle: the cartesian one (1.5 MB), or the full one (4.8 MB) if its chapter
// inlined it (a figure with a trace type the cartesian bundle lacks); the full one is copied only if a page needs it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { cacheDir, findPython, root, run } = require("./env");
const { execute } = require("./execute");
const { exportNotebook } = require("./export");
const { liveBody } = require("./live-page");
const { ASSET, esc, page, siteBody } = require("./page");

const MB = 1e6;

/**
 * Where the two plotly bundles are (lib/plot/bundles.ts names the packages) and the outputs of a made-up session
 * that needs both, for the browser check: scripts/bundle-page.ts, run from TypeScript source.
 */
function bundleInfo() {
  const out = path.join(cacheDir, "bundles.json");
  const status = run(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/bundle-page.ts", out], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
  });
  if (status !== 0) {
    console.error("scripts/bundle-page.ts failed.");
    process.exit(1);
  }
  return JSON.parse(fs.readFileSync(out, "utf8"));
}

function navLinks(chapters, i) {
  const prev =
    i > 0 ? `<a class="prev" href="${chapters[i - 1].slug}.html">← ${esc(chapters[i - 1].title)}</a>` : "<span></span>";
  const next =
    i < chapters.length - 1
      ? `<a class="next" href="${chapters[i + 1].slug}.html">${esc(chapters[i + 1].title)} →</a>`
      : "<span></span>";
  return `<nav class="cbe-nav">${prev}<a href="index.html">all chapters</a>${next}</nav>`;
}

/**
 * Where the site goes: site/, or CBE_SITE_DIR for a private preview of some chapters (`CBE_SITE_DIR=.cache/preview-07
 * node scripts/build.js 07`), so that several people working at once do not overwrite each other's site/.
 */
const PREVIEW = process.env.CBE_SITE_DIR ? path.resolve(process.env.CBE_SITE_DIR) : null;

function build(only = []) {
  const executed = execute(only);
  const python = findPython();
  const fragments = path.join(cacheDir, PREVIEW ? `fragments-${path.basename(PREVIEW)}.json` : "fragments.json");
  if (run(python, [path.join(root, "scripts", "export_html.py"), fragments, ...executed]) !== 0) {
    console.error("HTML export failed.");
    process.exit(1);
  }
  const { pygments_css: pygments, chapters: raw } = JSON.parse(fs.readFileSync(fragments, "utf8"));
  const chapters = raw.map((c) => ({ ...c, slug: path.basename(c.file, ".ipynb") }));

  const bundles = bundleInfo();
  const site = PREVIEW ?? path.join(root, "site");
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, "assets"), { recursive: true });
  fs.writeFileSync(
    path.join(site, "assets", "course.css"),
    fs.readFileSync(path.join(root, "scripts", "course.css"), "utf8") + "\n" + pygments,
  );

  // Live cells (issue 16): the browser build of lib and the cell editor, shared by every page, loaded on first Edit.
  const manifest = path.join(cacheDir, `live-${path.basename(site)}.json`);
  if (
    run(process.execPath, [
      path.join(root, "scripts", "build-live.js"),
      path.join(site, "assets", "live"),
      manifest,
    ]) !== 0
  ) {
    console.error("scripts/build-live.js failed.");
    process.exit(1);
  }
  const live = JSON.parse(fs.readFileSync(manifest, "utf8"));

  const used = new Set();
  const shared = [];
  chapters.forEach((c, i) => {
    const { body: recorded, bundle } = siteBody(c.body);
    const { body } = liveBody(recorded, c.file, live);
    if (bundle) used.add(bundle);
    const scripts = bundle ? [`assets/${ASSET[bundle]}`] : [];
    fs.writeFileSync(
      path.join(site, `${c.slug}.html`),
      page({ title: c.title, body, nav: navLinks(chapters, i), scripts }),
    );
    shared.push({ page: `${c.slug}.html`, bundle, bytes: bundle ? fs.statSync(bundles.paths[bundle]).size : 0 });
    // For the browser check of the notebook path: the same body with plotly inlined, as Jupyter shows it.
    if (!PREVIEW)
      fs.writeFileSync(
        path.join(cacheDir, `inline-${c.slug}.html`),
        page({ title: c.title, body: c.body, nav: "", assets: "../site/assets" }),
      );
  });
  for (const kind of used) fs.copyFileSync(bundles.paths[kind], path.join(site, "assets", ASSET[kind]));
  if (!PREVIEW) {
    writeBundlePages(bundles);
    // `npm run export` on the first chapter (saved outputs, code hidden): the browser check opens it too.
    exportNotebook([executed[0], "--no-input", "--out", path.join(cacheDir, "export-sample.html")]);
  }

  const list = chapters
    .map((c) => `<li><a href="${c.slug}.html">${esc(c.title)}</a><p>${esc(c.summary)}</p></li>`)
    .join("\n");
  const intro = `<h1>Concurrency by Experiment</h1>
<p>Parallelism vs concurrency, race conditions, locks and cooperative async — every idea a live experiment.
These pages were produced by running each chapter notebook from top to bottom. Edit and run the simulation cells right in the page (nothing to install); the real experiments on your own machine run in the notebooks, in Jupyter.</p>
<ol class="cbe-chapters">${list}</ol>`;
  fs.writeFileSync(path.join(site, "index.html"), page({ title: "Chapters", body: intro, nav: "" }));
  const sizes = fs
    .readdirSync(site)
    .filter((f) => f.endsWith(".html"))
    .map((f) => `${f} ${(fs.statSync(path.join(site, f)).size / 1024).toFixed(0)} KiB`);
  const assets = fs
    .readdirSync(path.join(site, "assets"))
    .filter((f) => f.endsWith(".js"))
    .map((f) => `${f} ${(fs.statSync(path.join(site, "assets", f)).size / MB).toFixed(2)} MB`);
  // The goal holds for every page without a non-cartesian chart (all the course's); others load the full bundle.
  const most = Math.max(0, ...shared.filter((s) => s.bundle !== "full").map((s) => s.bytes));
  const fulls = shared.filter((s) => s.bundle === "full").map((s) => s.page);
  console.log(
    `site/ written: ${sizes.join(", ")}; shared plotly bundles: ${assets.join(", ")}; largest shared script of a ` +
      `page ${(most / MB).toFixed(2)} MB (goal < 1.6 MB: ${most < 1.6 * MB ? "met" : "MISSED"})` +
      (fulls.length ? `; pages with the full bundle: ${fulls.join(", ")}` : "; no page needs the full bundle"),
  );
}

/**
 * Two pages of one made-up session that needs both bundles (scripts/bundle-page.ts), for scripts/check-site.js:
 * .cache/bundles-inline.html as Jupyter shows the outputs (each bundle inlined where `show` put it), and
 * .cache/bundles-site.html as the site would export that chapter (one shared bundle, the full one).
 */
function writeBundlePages(bundles) {
  const intro =
    "<h1>Two plotly bundles on one page</h1><p>Outputs of one kernel session recorded from <code>show</code>: the " +
    "cartesian bundle first, the full one with the first chart that needs it, the cartesian one again after " +
    "<code>resetPlotSession()</code>.</p>";
  const cells = bundles.cells.map((c) => `<section class="cbe-cell" data-cell="${esc(c.title)}">${c.html}</section>`);
  const inline = intro + cells.join("\n");
  fs.writeFileSync(
    path.join(cacheDir, "bundles-inline.html"),
    page({ title: "Bundles (notebook)", body: inline, nav: "", assets: "../site/assets" }),
  );
  const { body, bundle } = siteBody(inline);
  const src = path.relative(cacheDir, bundles.paths[bundle]).split(path.sep).join("/");
  fs.writeFileSync(
    path.join(cacheDir, "bundles-site.html"),
    page({ title: "Bundles (site)", body, nav: "", assets: "../site/assets", scripts: [src] }),
  );
}

module.exports = { build };
if (require.main === module) build(process.argv.slice(2));
