// The one HTML template of the course's pages: the site (scripts/build.js) and a learner's own exported notebook
// (scripts/export.js). Pages work from file:// with no network request.
"use strict";

/** A plotly bundle inlined by `show` (lib/notebook/display.ts): its kind is the first group. */
const BUNDLE_RE = /<script type="text\/javascript" data-cbe-bundle="plotly-(cartesian|full)">[\s\S]*?<\/script>/g;
/** The site's file for each bundle kind. */
const ASSET = { cartesian: "plotly-cartesian.min.js", full: "plotly.min.js" };

function esc(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

/**
 * A page: `assets` is where course.css is (or `css`, inlined, for a single-file page); `scripts` are script files to
 * load in the head, `inlineScripts` script texts to inline there; `home` links the header to index.html.
 */
function page({ title, body, nav, assets = "assets", scripts = [], css = null, inlineScripts = [], home = true }) {
  const style = css === null ? `<link rel="stylesheet" href="${assets}/course.css">` : `<style>\n${css}\n</style>`;
  const heads = [
    ...scripts.map((src) => `<script src="${src}"></script>\n`),
    ...inlineScripts.map((js) => `<script>${js}</script>\n`),
  ].join("");
  const top = home ? `<a href="index.html">Concurrency by Experiment</a>` : "Concurrency by Experiment";
  // The empty icon: browsers then ask no server for /favicon.ico (a static host answers 404, a console error).
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Concurrency by Experiment</title>
<link rel="icon" href="data:,">
${style}
${heads}</head>
<body>
<header class="cbe-top">${top}${nav}</header>
<main>
${body}
</main>
<footer class="cbe-bottom">${nav}</footer>
</body>
</html>
`;
}

/** A chapter body without its inlined bundles, and the one shared bundle it needs (null: no chart). */
function siteBody(body) {
  const kinds = new Set([...body.matchAll(BUNDLE_RE)].map((m) => m[1]));
  const bundle = kinds.has("full") ? "full" : kinds.size > 0 || body.includes('class="cbe-plot"') ? "cartesian" : null;
  return { body: body.replace(BUNDLE_RE, ""), bundle };
}

module.exports = { ASSET, BUNDLE_RE, esc, page, siteBody };
