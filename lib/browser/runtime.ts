/**
 * The cell runner of the live site (bundled into assets/live/editor.js with the editor and the transpiler). It runs
 * the page's cells like one notebook session: one scope for all cells, cells above run first, outputs in the cell's
 * output area, errors shown there as the notebook shows them. It reaches lib only through window.cbeLib (lib.js):
 * the imports of ./index below are types.
 */

import { type CellEditor, mountEditor } from "./editor";
import type * as Lib from "./index";
import { inspect } from "./inspect";
import type { LiveCell, LivePageData, LiveRuntime } from "./page";
import { compileCell } from "./transform";

declare global {
  interface Window {
    cbeLib: typeof Lib;
  }
}

/** Modules a cell may import: the course's front door, as the chapters write it. */
const LIB_SPEC = /^\.{1,2}\/lib(\/index(\.ts|\.js)?)?$/;
/** How long a run waits for its charts to be drawn before it settles anyway. */
const DRAW_WAIT_MS = 25_000;

function start(cells: LiveCell[], data: LivePageData): LiveRuntime {
  const lib = window.cbeLib;
  const editors = new Map<LiveCell, { editor: CellEditor; box: HTMLElement; code: HTMLElement[] }>();
  /** The recorded outputs of a cell, kept (drawn charts and all) while the cell shows live ones. */
  const recorded = new Map<LiveCell, DocumentFragment>();
  let area: Element | null = null;

  const say = (cell: LiveCell, text: string, kind: "" | "busy" | "err" = "") => {
    cell.status.className = `cbe-live-status ${kind}`;
    cell.status.textContent = text;
  };
  const text = (a: unknown[]) => a.map((x) => (typeof x === "string" ? x : inspect(x))).join(" ");
  /** console.* of a running cell goes to its output, as a kernel captures stdout and stderr. */
  const pageConsole = new Proxy(console, {
    get(target, k: string) {
      const f = (target as unknown as Record<string, unknown>)[k];
      if (!area || !["log", "info", "debug", "warn", "error", "dir"].includes(k))
        return typeof f === "function" ? f.bind(target) : f;
      const into = area;
      return (...a: unknown[]) => lib.showText(into, text(a), k === "warn" || k === "error" ? "error" : "text");
    },
  });
  const scope: Record<string, unknown> = Object.create(null);
  Object.assign(scope, lib.nodeGlobals, { console: pageConsole });

  const importer = (spec: string) => {
    if (LIB_SPEC.test(spec)) return lib;
    throw new lib.LiveUnavailableError(
      `This page runs cells that import "./lib/index" (the course library) only; "${spec}" needs the notebook in ` +
        `Jupyter (${data.notebook}).`,
    );
  };

  /** The cell's output area (nbconvert 6 or 7 markup); made when the notebook recorded no output. */
  const outputArea = (cell: LiveCell): HTMLElement => {
    let out = cell.el.querySelector<HTMLElement>(".output_wrapper .output, .jp-Cell-outputWrapper .jp-OutputArea");
    if (!out) {
      const wrap = document.createElement("div");
      wrap.className = "output_wrapper";
      out = document.createElement("div");
      out.className = "output";
      wrap.append(out);
      cell.el.append(wrap);
    }
    return out;
  };

  /** Settles once every chart in `el` is drawn or has said why not (figureHtml waits for plotly.js). */
  const drawn = async (el: Element) => {
    const until = performance.now() + DRAW_WAIT_MS;
    for (;;) {
      const pending = Array.from(el.querySelectorAll(".cbe-plot")).filter(
        (p) => !p.querySelector("svg.main-svg") && !(p.textContent ?? "").includes("not drawn"),
      );
      if (pending.length === 0 || performance.now() > until) return;
      await new Promise((r) => setTimeout(r, 16));
    }
  };

  const errorText = (e: unknown) =>
    e instanceof Error ? `${e.name}: ${e.message}` : `Uncaught ${typeof e === "string" ? e : inspect(e)}`;

  async function runOne(cell: LiveCell): Promise<void> {
    const out = outputArea(cell);
    if (!recorded.has(cell)) {
      const kept = document.createDocumentFragment();
      kept.append(...Array.from(out.childNodes));
      recorded.set(cell, kept);
    } else out.textContent = "";
    say(cell, "running…", "busy");
    cell.buttons.reset.hidden = false;
    const t0 = performance.now();
    let failed: unknown = null;
    area = out;
    lib.useOutputArea(out);
    try {
      const code = compileCell(cell.source);
      for (const n of code.declared) if (!(n in scope)) scope[n] = undefined;
      const result = { value: undefined as unknown };
      await code.run(scope, importer, result);
      if (result.value !== undefined) lib.showText(out, inspect(result.value));
    } catch (e) {
      failed = e ?? new Error(String(e));
      lib.showText(out, errorText(e), "error");
    } finally {
      lib.useOutputArea(null);
      area = null;
    }
    await drawn(out);
    cell.ran = true;
    const ms = Math.round(performance.now() - t0);
    if (failed) {
      say(cell, `${(failed as Error).name ?? "Error"} after ${ms} ms`, "err");
      throw failed;
    }
    say(cell, `ran in the page in ${ms} ms`);
  }

  let queue: Promise<unknown> = Promise.resolve();
  const run = (cell: LiveCell): Promise<void> => {
    const job = queue.then(async () => {
      for (const c of cells) {
        if (c.index >= cell.index) break;
        if (c.ran) continue;
        // A cell above that fails shows its error and the run goes on, as far as the cells allow.
        await runOne(c).catch(() => undefined);
      }
      await runOne(cell);
    });
    queue = job.catch(() => undefined);
    return job;
  };

  const edit = (cell: LiveCell) => {
    const open = editors.get(cell);
    if (open) {
      open.editor.focus();
      return;
    }
    const code = Array.from(cell.input.children) as HTMLElement[];
    for (const c of code) c.hidden = true;
    const box = document.createElement("div");
    box.className = "cbe-live-editor";
    cell.input.append(box);
    const editor = mountEditor(
      box,
      cell.source,
      (t) => {
        cell.source = t;
      },
      () => {
        run(cell).catch(() => undefined);
      },
    );
    editors.set(cell, { editor, box, code });
    cell.buttons.edit.hidden = true;
    cell.buttons.run.hidden = false;
    cell.buttons.reset.hidden = false;
    if (!cell.status.classList.contains("busy")) say(cell, "Shift+Enter runs the cell; types are not checked here");
    editor.focus();
  };

  const setSource = (cell: LiveCell, t: string) => {
    cell.source = t;
    edit(cell);
    editors.get(cell)?.editor.setText(t);
  };

  const reset = (cell: LiveCell) => {
    cell.source = cell.original;
    const open = editors.get(cell);
    if (open) {
      open.editor.destroy();
      open.box.remove();
      for (const c of open.code) c.hidden = false;
      editors.delete(cell);
    }
    const kept = recorded.get(cell);
    if (kept) {
      const out = outputArea(cell);
      out.textContent = "";
      out.append(kept);
      recorded.delete(cell);
    }
    cell.ran = false;
    cell.buttons.edit.hidden = false;
    cell.buttons.run.hidden = true;
    cell.buttons.reset.hidden = true;
    say(cell, "");
  };

  return { edit, setSource, run, reset };
}

window.cbeLiveStart = start;
