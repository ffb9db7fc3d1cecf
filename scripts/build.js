#!/usr/bin/env node
// npm run build: execute every chapter, then write the static site to site/ (index, one page per chapter with
// previous/next links, one shared plotly bundle and stylesheet). Pages open from file:// with no network request.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { cacheDir, findPython, root, run } = require("./env");
const { execute } = require("./execute");

const BUNDLE_RE = /<script type="text\/javascript" data-cbe-bundle="plotly">[\s\S]*?<\/script>/g;

function esc(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function page({ title, body, nav, assets = "assets" }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Concurrency by Experiment</title>
<link rel="stylesheet" href="${assets}/course.css">
<script src="${assets}/plotly.min.js"></script>
</head>
<body>
<header class="cbe-top"><a href="index.html">Concurrency by Experiment</a>${nav}</header>
<main>
${body}
</main>
<footer class="cbe-bottom">${nav}</footer>
</body>
</html>
`;
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

function build(only = []) {
  const executed = execute(only);
  const python = findPython();
  const fragments = path.join(cacheDir, "fragments.json");
  if (run(python, [path.join(root, "scripts", "export_html.py"), fragments, ...executed]) !== 0) {
    console.error("HTML export failed.");
    process.exit(1);
  }
  const { pygments_css: pygments, chapters: raw } = JSON.parse(fs.readFileSync(fragments, "utf8"));
  const chapters = raw.map((c) => ({ ...c, slug: path.basename(c.file, ".ipynb") }));

  const site = path.join(root, "site");
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, "assets"), { recursive: true });
  fs.copyFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), path.join(site, "assets", "plotly.min.js"));
  fs.writeFileSync(
    path.join(site, "assets", "course.css"),
    fs.readFileSync(path.join(root, "scripts", "course.css"), "utf8") + "\n" + pygments,
  );

  chapters.forEach((c, i) => {
    const body = c.body.replace(BUNDLE_RE, "");
    fs.writeFileSync(path.join(site, `${c.slug}.html`), page({ title: c.title, body, nav: navLinks(chapters, i) }));
    // For the browser check of the notebook path: the same body with plotly inlined, as Jupyter shows it.
    fs.writeFileSync(
      path.join(cacheDir, `inline-${c.slug}.html`),
      page({ title: c.title, body: c.body, nav: "", assets: "../site/assets" }).replace(
        /<script src="[^"]*plotly.min.js"><\/script>/,
        "",
      ),
    );
  });
  const list = chapters
    .map((c) => `<li><a href="${c.slug}.html">${esc(c.title)}</a><p>${esc(c.summary)}</p></li>`)
    .join("\n");
  const intro = `<h1>Concurrency by Experiment</h1>
<p>Parallelism vs concurrency, race conditions, locks and cooperative async — every idea a live experiment.
These pages were produced by running each chapter notebook from top to bottom; open the notebooks in Jupyter to change the experiments.</p>
<ol class="cbe-chapters">${list}</ol>`;
  fs.writeFileSync(path.join(site, "index.html"), page({ title: "Chapters", body: intro, nav: "" }));
  const sizes = fs
    .readdirSync(site)
    .filter((f) => f.endsWith(".html"))
    .map((f) => `${f} ${(fs.statSync(path.join(site, f)).size / 1024).toFixed(0)} KiB`);
  console.log(
    `site/ written: ${sizes.join(", ")}; shared plotly bundle ` +
      `${(fs.statSync(path.join(site, "assets", "plotly.min.js")).size / 1048576).toFixed(1)} MiB`,
  );
}

module.exports = { build };
if (require.main === module) build(process.argv.slice(2));
