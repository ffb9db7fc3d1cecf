/** Pure HTML helpers: escaping, tables, and the markup that draws a plotly figure. No tslab, no DOM. */
import {
  checkArray,
  checkColour,
  checkOptions,
  checkString,
  describeValue,
  isPlainObject,
  optInt,
} from "../errors/validate";
import { nonCartesianTypes } from "./bundles";
import { FigureInputError } from "./errors";
import type { Figure } from "./figure";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/**
 * JSON safe to put inside a <script>: no "<" (so no "</script>" or "<!--"), no U+2028/U+2029. BigInts become strings.
 */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  if (json === undefined) return "null";
  return json
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Format a cell of a table: bigints with thin separators, numbers rounded to 4 significant digits when needed. */
export function formatCell(v: unknown): string {
  if (typeof v === "bigint") return v.toLocaleString("en-US");
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return v.toLocaleString("en-US");
    return Number(v.toPrecision(4)).toString();
  }
  if (v === null || v === undefined) return "";
  if (typeof v === "object") {
    try {
      return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
    } catch {
      return describeValue(v); // a cyclic value: described, never a thrown TypeError
    }
  }
  return String(v);
}

/** Options of `htmlTable`. */
export interface TableOptions {
  /** Column keys to show, in order (default: keys of the first row). */
  columns?: string[];
  /** Header text per column key (default: the key). */
  headers?: Record<string, string>;
  /** A caption shown above the table. */
  caption?: string;
  /** Row index (0-based) → CSS colour for a thin left marker, e.g. to colour rows by thread. */
  rowColors?: (string | undefined)[];
  /** Cap on rows shown; the rest are summarised in a last line (default 200). */
  maxRows?: number;
}

/** Render rows of plain objects as an escaped HTML table. */
export function htmlTable(rows: Record<string, unknown>[], options: TableOptions = {}): string {
  checkArray(
    FigureInputError,
    "the rows of a table",
    rows,
    { max: 1_000_000 },
    "pass a list of objects, e.g. [{ a: 1 }]",
  );
  rows.forEach((r, i) => {
    if (r === null || typeof r !== "object")
      throw new FigureInputError(`Row ${i} of the table is ${describeValue(r)}: every row is an object like { a: 1 }.`);
  });
  options = checkOptions<TableOptions>(FigureInputError, "the table's options", options, [
    "columns",
    "headers",
    "caption",
    "rowColors",
    "maxRows",
  ]);
  if (options.columns !== undefined)
    checkArray<string>(FigureInputError, "`columns`", options.columns, { max: 1000 }, 'e.g. ["name", "ms"]').forEach(
      (c, i) => {
        checkString(FigureInputError, `columns[${i}]`, c, { maxLength: 200 });
      },
    );
  if (options.headers !== undefined && !isPlainObject(options.headers))
    throw new FigureInputError(
      `Expected \`headers\` to be an object like { ms: "time (ms)" }, got ${describeValue(options.headers)}.`,
    );
  if (options.caption !== undefined) checkString(FigureInputError, "`caption`", options.caption, { allowEmpty: true });
  if (options.rowColors !== undefined)
    checkArray<unknown>(FigureInputError, "`rowColors`", options.rowColors, { max: 1_000_000 }).forEach((c, i) => {
      if (c !== undefined && c !== null) checkColour(FigureInputError, `rowColors[${i}]`, c);
    });
  const columns = options.columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  const maxRows = optInt(FigureInputError, "`maxRows`", options.maxRows, 200, 1, 100_000);
  const head = columns.map((c) => `<th>${escapeHtml(options.headers?.[c] ?? c)}</th>`).join("");
  const shown = rows.slice(0, maxRows);
  const body = shown
    .map((r, i) => {
      const color = options.rowColors?.[i];
      const style = color ? ` style="box-shadow: inset 4px 0 0 ${escapeHtml(color)}"` : "";
      const cells = columns.map((c) => {
        const v = Object.hasOwn(r, c) ? r[c] : undefined;
        const num = typeof v === "number" || typeof v === "bigint";
        return `<td${num ? ' class="num"' : ""}>${escapeHtml(formatCell(v))}</td>`;
      });
      return `<tr${style}>${cells.join("")}</tr>`;
    })
    .join("");
  const more =
    rows.length > maxRows
      ? `<tr><td colspan="${columns.length}">… ${rows.length - maxRows} more rows not shown</td></tr>`
      : "";
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  return (
    `<table class="cbe-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}${more}</tbody>` +
    `</table>${TABLE_STYLE}`
  );
}

/** The stylesheet of `cbe-table` tables (padding, rules, right-aligned numbers); include it once with a table. */
export const TABLE_STYLE =
  "<style>.cbe-table{border-collapse:collapse;font:13px system-ui,sans-serif;margin:4px 0}" +
  ".cbe-table caption{text-align:left;font-weight:600;padding:4px 0}" +
  ".cbe-table th,.cbe-table td{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}" +
  ".cbe-table td.num{text-align:right;font-variant-numeric:tabular-nums}" +
  ".cbe-table thead th{border-bottom:2px solid #888}</style>";

/** The message a figure shows when plotly never arrives (e.g. a notebook executed elsewhere and not trusted). */
export const PLOTLY_MISSING =
  "This chart is not drawn because plotly.js is not loaded in this page (it travels with the first chart of a kernel session). " +
  "Re-run the notebook from the top (Kernel → Restart & Run All); or run resetPlotSession() in a cell, then this cell again; " +
  "for a notebook executed elsewhere, trust it (File → Trust Notebook).";

/** The message of a figure whose trace types only plotly's full bundle draws, when that bundle never arrives. */
export function plotlyFullMissing(types: readonly string[]): string {
  return (
    `This chart is not drawn because its ${types.join(", ")} trace${types.length > 1 ? "s need" : " needs"} ` +
    "plotly.js's full bundle, which is not loaded in this page (it travels with the first such chart of a kernel " +
    "session). " +
    PLOTLY_MISSING.slice(PLOTLY_MISSING.indexOf("Re-run"))
  );
}

/**
 * Markup that draws `figure` into a new div once `window.Plotly` exists (waits up to 20 s, then says what to do).
 * A figure with trace types beyond the cartesian bundle's waits until `window.Plotly` can draw them (the full bundle
 * may arrive later in the page, e.g. in a cell run after this one); the check reads plotly's own schema, once per
 * plotly.js loaded.
 */
export function figureHtml(figure: Figure, id: string): string {
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 400;
  const config = { responsive: true, displaylogo: false, ...(figure.config ?? {}) };
  const payload = scriptJson({ data: figure.data, layout: { autosize: true, ...figure.layout }, config });
  const need = nonCartesianTypes(figure);
  const ready =
    need.length === 0
      ? "function ready(){return !!window.Plotly;}"
      : `var need=${scriptJson(need)};function ready(){var P=window.Plotly;if(!P)return false;` +
        "var c=window.cbePlotlyTraces;if(!c||c.p!==P){var t={};try{t=P.PlotSchema.get().traces;}catch(e){}" +
        "c=window.cbePlotlyTraces={p:P,t:t};}" +
        "for(var i=0;i<need.length;i++){if(!c.t[need[i]])return false;}return true;}";
  const missing = need.length === 0 ? PLOTLY_MISSING : plotlyFullMissing(need);
  return (
    `<div id="${escapeHtml(id)}" class="cbe-plot" style="width:100%;max-width:960px;height:${height}px">` +
    `${untrustedNote("chart")}</div>` +
    // The script finds its own div first (the element just before it), so two notebooks open in one page whose
    // ids repeat (ids count per kernel session, to keep outputs identical between runs) never draw into each other.
    `<script type="text/javascript">(function(){var id=${scriptJson(id)};var f=${payload};var n=0;${ready}` +
    `var me=document.currentScript,own=me&&me.previousElementSibling;if(own&&own.id!==id)own=null;` +
    `function get(){return own||document.getElementById(id);}` +
    `function draw(){var el=get();if(!el)return;el.textContent="";window.Plotly.newPlot(el,` +
    `f.data,f.layout,f.config);}` +
    `function wait(){if(ready()){draw();return;}if(++n>400){var el=get();` +
    `if(el){el.style.height="auto";el.textContent=${scriptJson(missing)};}return;` +
    `}setTimeout(wait,50);}` +
    `wait();})();</script>`
  );
}

/**
 * What a chart or a player shows where its script cannot run: a notebook that is not trusted (JupyterLab and the
 * Notebook strip or skip scripts in its outputs) or a page with scripts off. The script replaces it.
 */
export const UNTRUSTED_NOTE =
  "is drawn by a script, and this page has not run it: the notebook is probably not trusted. JupyterLab: open the " +
  "command palette (Ctrl+Shift+C) and run “Trust Notebook”; Notebook 7 and the classic Notebook: File → Trust " +
  "Notebook; or run the notebook's cells again. (In JupyterLab with the plotly package installed, charts draw " +
  "without trust.)";

/** The note of `UNTRUSTED_NOTE` as a paragraph for a chart or a step-through player. */
export function untrustedNote(what: "chart" | "step-through player"): string {
  return (
    `<p class="cbe-untrusted" style="color:#555;font:13px system-ui,sans-serif;margin:6px 0;padding:6px 8px;` +
    `border-left:3px solid #999">This ${what} ${escapeHtml(UNTRUSTED_NOTE)}</p>`
  );
}

/** Make a JavaScript bundle safe to inline in a <script> element (no "</script", no "<!--"). */
export function inlineScriptSafe(js: string): string {
  return js.replace(/<\/script/gi, "\\x3C/script").replace(/<!--/g, "\\x3C!--");
}
