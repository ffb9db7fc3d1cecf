/**
 * The only code that touches tslab. Everything a chapter shows goes through a DisplaySink: in the kernel it is
 * tslab's display; in tests a recorder (`setDisplaySink`). Outside a kernel with no sink set, output is printed as
 * text.
 */

import * as fs from "node:fs";
import { checkChoice, checkString } from "../errors/validate";
import { bundleFor, PLOTLY_BUNDLES, type PlotlyBundle } from "../plot/bundles";
import type { Figure } from "../plot/figure";
import { escapeHtml, figureHtml, htmlTable, inlineScriptSafe, type TableOptions } from "../plot/html";
import { NotebookInputError } from "./errors";

/** Where outputs go. `update` replaces an earlier output with the same display id (live displays). */
export interface DisplaySink {
  html(html: string): void;
  markdown(md: string): void;
  text(text: string): void;
  /** A display whose later calls replace its own output. */
  live(): { html(html: string): void };
  /**
   * One output with several MIME types (the front end shows the richest it can): e.g. a chart as plotly JSON, as
   * HTML with a script, and as plain text. Optional: sinks without it get the `text/html` part.
   */
  bundle?(data: Record<string, unknown>): void;
}

interface TslabLike {
  display: { html(s: string): void; markdown(s: string): void; text(s: string): void };
  newDisplay(): { html(s: string): void };
}

let sink: DisplaySink | undefined;

/** Use `s` for every output (tests use a recorder); `undefined` goes back to tslab. */
export function setDisplaySink(s: DisplaySink | undefined): void {
  sink = s;
}

function tslabSink(): DisplaySink | undefined {
  let tslab: TslabLike;
  let jupyter: { lastWriteDisplayData?: (content: object, update: boolean) => void };
  try {
    // Loaded lazily: tslab pulls in its own TypeScript, and only exists meaningfully inside the kernel.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    tslab = require("tslab") as TslabLike;
    jupyter = require("tslab/dist/jupyter") as typeof jupyter;
    if (!jupyter.lastWriteDisplayData) return undefined;
  } catch {
    return undefined;
  }
  const write = jupyter.lastWriteDisplayData;
  return {
    html: (s) => tslab.display.html(s),
    markdown: (s) => tslab.display.markdown(s),
    text: (s) => tslab.display.text(s),
    live: () => tslab.newDisplay(),
    // tslab's display API sends one MIME type per output; its writer (the one `display.raw` calls) takes several.
    bundle: (data) => write({ data, metadata: {}, transient: {} }, false),
  };
}

const consoleSink: DisplaySink = {
  html: (s) =>
    console.log(
      s
        .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    ),
  markdown: (s) => console.log(s),
  text: (s) => console.log(s),
  live: () => ({ html: (s: string) => consoleSink.html(s) }),
};

/** The active sink: the one set by setDisplaySink, else tslab's inside a kernel, else the console. */
export function currentSink(): DisplaySink {
  return sink ?? tslabSink() ?? consoleSink;
}

const SESSION_KEY = "__concurrencyByExperiment";
interface Session {
  /** The largest plotly bundle inlined in this kernel session so far. */
  bundle: "none" | PlotlyBundle;
  plots: number;
}
function session(): Session {
  const g = globalThis as unknown as Record<string, Session | undefined>;
  const s = g[SESSION_KEY];
  if (!s || typeof s.bundle !== "string") {
    // A session from before the two bundles (a kernel that reloaded lib) kept `bundleSent`: start afresh.
    g[SESSION_KEY] = {
      bundle: "none",
      plots: s?.plots ?? 0,
    };
  }
  return g[SESSION_KEY]!;
}

/**
 * The attribute that marks an inlined bundle, `data-cbe-bundle="plotly-cartesian"` or `"plotly-full"`; the site
 * export (scripts/build.js) swaps each for one shared file.
 */
export const BUNDLE_ATTRIBUTE = "data-cbe-bundle";

/** The path of a plotly bundle's file in node_modules. */
export function plotlyBundlePath(kind: PlotlyBundle = "cartesian"): string {
  const b = PLOTLY_BUNDLES[kind];
  return require.resolve(`${b.package}/${b.file}`);
}

/**
 * A plotly bundle as a <script> element, inlined (offline; no CDN). The full bundle replaces `window.Plotly` (charts
 * already drawn keep the copy that drew them) and tags it `cbeBundle = "full"`; the cartesian one never replaces a
 * full one (after resetPlotSession(), or cells run out of order), so charts still to come keep every trace type.
 */
export function plotlyBundleHtml(kind: PlotlyBundle = "cartesian"): string {
  const js = inlineScriptSafe(fs.readFileSync(plotlyBundlePath(kind), "utf8"));
  const body =
    kind === "full"
      ? `${js}\n;window.Plotly.cbeBundle="full";`
      : `if(!(window.Plotly&&window.Plotly.cbeBundle==="full")){\n${js}\n}`;
  return `<script type="text/javascript" ${BUNDLE_ATTRIBUTE}="plotly-${kind}">${body}</script>`;
}

/** Forget which bundle was sent (tests; or after the notebook's outputs were cleared or the page reloaded). */
export function resetPlotSession(): void {
  const s = session();
  s.bundle = "none";
}

/**
 * Draw an interactive plotly figure inline. The first call of a kernel session also inlines plotly.js itself: the
 * cartesian bundle (1.5 MB, every figure of the course), or the full one (4.8 MB) for the first figure whose trace
 * types need it (see CARTESIAN_TRACE_TYPES); each at most once a session, and none after the full one.
 */
export function show(figure: Figure): void {
  if (!figure || !Array.isArray(figure.data) || typeof figure.layout !== "object") {
    throw new NotebookInputError(
      "show(figure) expects a figure { data: [...], layout: {...} }: pass what a figure builder returns, e.g. " +
        "show(schedGantt(run)), not the run itself.",
    );
  }
  const s = session();
  // Numbered per kernel session, so two runs of a chapter give identical outputs (the chart's script finds its own
  // div first, so repeated ids across notebooks open in one page do not collide).
  const id = `cbe-plot-${++s.plots}`;
  const out = currentSink();
  const need = bundleFor(figure);
  let bundle = "";
  if (need === "full" && s.bundle !== "full") {
    bundle = plotlyBundleHtml("full");
    s.bundle = "full";
  } else if (s.bundle === "none") {
    bundle = plotlyBundleHtml("cartesian");
    s.bundle = "cartesian";
  }
  const html = bundle + figureHtml(figure, id);
  if (!out.bundle) {
    out.html(html);
    return;
  }
  // JupyterLab, Notebook 7 and VS Code draw the plotly JSON natively (trusted or not) where the plotly renderer is
  // installed; the classic Notebook and nbconvert use the HTML; a terminal the text.
  out.bundle({
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, ...(figure.config ? { config: figure.config } : {}) },
    "text/html": html,
    "text/plain": figureText(figure),
  });
}

/** The MIME type of a plotly figure as JSON (drawn by JupyterLab's and VS Code's plotly renderers). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A one-line description of a chart, for front ends that show text only. */
export function figureText(figure: Figure): string {
  const t = (figure.layout as { title?: unknown }).title;
  const title =
    typeof t === "string" ? t : t && typeof t === "object" ? String((t as { text?: unknown }).text ?? "") : "";
  const types = [...new Set(figure.data.map((d) => String((d as { type?: unknown }).type ?? "scatter")))];
  const plain = title.replace(/<[^>]+>/g, "").trim();
  return `[chart${plain ? `: ${plain}` : ""} — ${figure.data.length} trace(s): ${types.join(", ")}]`;
}

/** Show raw HTML (already escaped by the caller). */
export function showHtml(html: string): void {
  currentSink().html(
    checkString(NotebookInputError, "the HTML to show", html, { allowEmpty: true, maxLength: 50_000_000 }),
  );
}

/** Show markdown, e.g. a sentence built from numbers just computed. */
export function showMarkdown(md: string): void {
  currentSink().markdown(
    checkString(NotebookInputError, "the Markdown to show", md, { allowEmpty: true, maxLength: 10_000_000 }),
  );
}

/** Show rows of objects as a table (values escaped). */
export function showTable(rows: Record<string, unknown>[], options: TableOptions = {}): void {
  currentSink().html(htmlTable(rows, options));
}

/** Show a short note in a coloured box: "info" (blue), "ok" (green), "warn" (orange). */
export function showNote(text: string, kind: "info" | "ok" | "warn" = "info"): void {
  checkString(NotebookInputError, "the text of showNote", text, { maxLength: 100_000 });
  checkChoice(NotebookInputError, "the kind of showNote", kind, ["info", "ok", "warn"]);
  const color = { info: "#0072B2", ok: "#009E73", warn: "#D55E00" }[kind];
  currentSink().html(
    `<div style="border-left:4px solid ${color};padding:4px 10px;margin:4px 0;font:14px system-ui,` +
      `sans-serif">${escapeHtml(text)}</div>`,
  );
}
