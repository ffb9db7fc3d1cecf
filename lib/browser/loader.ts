/**
 * The few lines every chapter page of the site inlines (scripts/build-live.js minifies this file; about 4 KB). It
 * loads nothing: it puts an "Edit" control on every cell that can run in the page, a note on every cell that cannot,
 * and window.cbeLive. The first Edit or run loads assets/live/lib.js and editor.js (classic scripts: they load from
 * file:// as from any static host), which take over the cells.
 *
 * window.cbeLive (for the project's browser tests and anyone else's):
 *   cells               [{ index, source }] of the live cells; index = the cell's position among the chapter's
 *                       code cells, from 1; source = its text now
 *   setSource(i, text)  put `text` into cell i (opens its editor)
 *   run(i)              run cell i, after every live cell above it that has not run in this page; a Promise that
 *                       settles when its outputs are drawn, rejecting with the cell's error
 *   output(i)           the text of cell i's output area (any code cell)
 *   reset(i)            the chapter's source and recorded output again
 */
import { LiveCellError } from "./errors";
import type { LiveCell, LivePageData, LiveRuntime } from "./page";

const CSS =
  ".cbe-live-bar{display:flex;gap:8px;align-items:center;margin:4px 0;font:13px system-ui,sans-serif;color:#555}" +
  ".cbe-live-bar button{font:13px system-ui,sans-serif;padding:2px 10px;border:1px solid #0072b2;" +
  "border-radius:4px;background:#fff;color:#0072b2;cursor:pointer}" +
  ".cbe-live-bar button:hover{background:#e8f3fa}.cbe-live-bar button[hidden]{display:none}" +
  ".cbe-live-bar .cbe-live-status.err{color:#d55e00}.cbe-live-bar .cbe-live-status.busy{color:#0072b2}" +
  ".cbe-live-note{border-left:3px solid #e69f00;padding:2px 8px;background:#fffaf0}" +
  ".cbe-live-error pre{color:#b00020;background:#fff4f4;border-left:3px solid #d55e00;padding:6px 10px;" +
  "white-space:pre-wrap}.cbe-live-out pre{margin:4px 0;white-space:pre-wrap}";

(() => {
  const dataEl = document.getElementById("cbe-live-data");
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent ?? "{}") as LivePageData;
  const style = document.createElement("style");
  style.textContent = CSS;
  document.head.append(style);
  // nbconvert 6 ("basic" template) and 7 mark code cells differently; their order is the notebook's.
  const dom = document.querySelectorAll<HTMLElement>(".code_cell, .jp-CodeCell");
  const cells: LiveCell[] = [];
  let runtime: Promise<LiveRuntime> | null = null;

  function load(): Promise<LiveRuntime> {
    runtime ??= new Promise<LiveRuntime>((resolve, reject) => {
      let left = 2;
      for (const name of ["lib.js", "editor.js"]) {
        const s = document.createElement("script");
        s.src = data.assets + name;
        s.async = false; // both download at once, run in this order
        s.onload = () => {
          if (--left === 0 && window.cbeLiveStart) resolve(window.cbeLiveStart(cells, data));
        };
        s.onerror = () => reject(new Error(`The live cells could not load ${s.src}.`));
        document.head.append(s);
      }
    });
    return runtime;
  }

  function button(text: string, title: string, hidden: boolean): HTMLButtonElement {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.hidden = hidden;
    return b;
  }

  for (const d of data.cells) {
    const el = dom[d.index - 1];
    if (!el) continue;
    const input = el.querySelector<HTMLElement>(".input_area, .jp-InputArea-editor");
    const holder = el.querySelector<HTMLElement>(".inner_cell, .jp-InputArea") ?? input?.parentElement;
    if (!input || !holder) continue;
    const bar = document.createElement("div");
    bar.className = "cbe-live-bar";
    bar.setAttribute("data-cbe-cell", String(d.index));
    holder.insertBefore(bar, input);
    if (!d.live) {
      bar.classList.add("cbe-live-note");
      bar.textContent = d.why ?? "This cell runs only in Jupyter.";
      continue;
    }
    const buttons = {
      edit: button("✎ Edit", "Edit this cell and run it in the page", false),
      run: button("▶ Run", "Run this cell (Shift+Enter in the editor)", true),
      reset: button("↺ Reset", "The chapter's code and output again", true),
    };
    const status = document.createElement("span");
    status.className = "cbe-live-status";
    bar.append(buttons.edit, buttons.run, buttons.reset, status);
    const cell: LiveCell = {
      index: d.index,
      live: true,
      original: d.source ?? "",
      source: d.source ?? "",
      el,
      input,
      bar,
      buttons,
      status,
      ran: false,
    };
    cells.push(cell);
    const failed = (e: unknown) => {
      status.className = "cbe-live-status err";
      status.textContent = String((e as Error).message ?? e);
    };
    buttons.edit.onclick = () => {
      status.textContent = "loading the editor…";
      load().then((r) => r.edit(cell), failed);
    };
    buttons.run.onclick = () => {
      load().then((r) => r.run(cell).catch(() => undefined), failed);
    };
    buttons.reset.onclick = () => {
      load().then((r) => r.reset(cell), failed);
    };
  }

  const live = (i: number) => {
    const c = cells.find((x) => x.index === i);
    if (!c) throw new LiveCellError(`No live cell ${i}: use an index from cbeLive.cells.`);
    return c;
  };
  window.cbeLive = {
    cells: cells.map((c) => ({
      index: c.index,
      get source() {
        return c.source;
      },
    })),
    setSource(i: number, text: string) {
      const c = live(i);
      c.source = String(text);
      load().then((r) => r.setSource(c, c.source));
    },
    run: (i: number) => load().then((r) => r.run(live(i))),
    output(i: number) {
      const el = dom[i - 1];
      const out = el?.querySelector<HTMLElement>(".output_wrapper .output, .jp-Cell-outputWrapper .jp-OutputArea");
      // innerText, not textContent: what a reader sees, without the text of the outputs' scripts and styles
      // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point
      return out ? out.innerText : "";
    },
    reset: (i: number) => load().then((r) => r.reset(live(i))),
  };
})();
