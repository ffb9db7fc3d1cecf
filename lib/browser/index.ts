/**
 * The browser build of lib (scripts/build-live.js bundles this file as the classic script assets/live/lib.js, global
 * `cbeLib`): lib's whole front door, with every Node-only module replaced by stand-ins that throw
 * LiveUnavailableError, and the page's display sink. Cells of the live site import "./lib/index" and get this.
 */
import { setDisplaySink } from "../notebook/index";
import { clearImmediate, setImmediate } from "./globals";
import { domSink } from "./sink";

export * from "../index";
export { LiveUnavailableError, nodeOnly, nodeOnlyMessage } from "./errors";
export { domSink, insertHtml, markdownHtml, showText } from "./sink";

/** Node globals the cells of a chapter may use, which a page lacks (see globals.ts). */
export const nodeGlobals = { clearImmediate, setImmediate };

/** Send every output of lib (show, showTable, check, ...) to `area`, a cell's output area; null: none. */
export function useOutputArea(area: Element | null): void {
  setDisplaySink(area ? domSink(area) : undefined);
}

// `show` inlines plotly.js with a session's first chart, read from node_modules. The page has already loaded the
// bundle its charts need (in its head), so the page's session starts as one that has sent the full bundle: `show`
// then emits the chart alone. Its charts are numbered from 100001, apart from the recorded ones (cbe-plot-1, ...).
// (The session record is lib/notebook/display.ts's, kept on globalThis.)
(globalThis as Record<string, unknown>).__concurrencyByExperiment = { bundle: "full", plots: 100000 };
