/** Live outputs: a progress bar and a display that updates in place (tslab newDisplay underneath). */

import { checkColour, checkOptions, checkString, describeValue, isColour, optNumber } from "../errors/validate";
import { escapeHtml } from "../plot/html";
import { currentSink } from "./display";
import { NotebookInputError } from "./errors";

/** A progress bar shown in the cell's output, updated in place. */
export interface ProgressBar {
  /** Set progress to `done` out of total, with an optional note ("request 3 of 10"). */
  update(done: number, note?: string): void;
  /** Mark finished (100 %) with an optional final note. */
  finish(note?: string): void;
}

/** Options of `progressBar`. */
export interface ProgressOptions {
  label?: string;
  /** What 100 % means (default 1, so `update(0.5)` is half). */
  total?: number;
  /** Bar colour (default the course's blue). */
  color?: string;
  /** Minimum milliseconds between two redraws, to keep the notebook responsive (default 40). */
  minIntervalMs?: number;
}

/** Render a progress bar as HTML (pure). `fraction` is clamped to 0..1. */
export function progressHtml(label: string, fraction: number, note = "", color = "#0072B2"): string {
  if (!isColour(color)) color = "#0072B2"; // a colour goes into a style attribute: only real colours get there
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const pct = Math.round(f * 100);
  return (
    `<div class="cbe-progress" style="font:13px system-ui,sans-serif;margin:4px 0;max-width:640px">` +
    `<div style="display:flex;justify-content:space-between"><span>${escapeHtml(label)}</span>` +
    `<span>${pct} %${note ? " · " + escapeHtml(note) : ""}</span></div>` +
    `<div style="background:#eee;border-radius:4px;height:14px;overflow:hidden"><div ` +
    `style="background:${escapeHtml(color)};width:${pct}%;height:100%"></div></div></div>`
  );
}

/** Start a progress bar in the current cell's output. */
export function progressBar(options: ProgressOptions = {}): ProgressBar {
  options = checkOptions<ProgressOptions>(NotebookInputError, "progressBar's options", options, [
    "label",
    "total",
    "color",
    "minIntervalMs",
  ]);
  const total = options.total ?? 1;
  if (!(typeof total === "number" && total > 0 && Number.isFinite(total) && total <= 1e15)) {
    throw new NotebookInputError(
      `Expected \`total\` to be a finite number > 0, got ${describeValue(total)}: pass e.g. total: 10.`,
    );
  }
  const label =
    options.label === undefined
      ? "progress"
      : checkString(NotebookInputError, "`label`", options.label, { maxLength: 200 });
  if (options.color !== undefined) checkColour(NotebookInputError, "`color`", options.color);
  const minInterval = optNumber(NotebookInputError, "`minIntervalMs`", options.minIntervalMs, 40, {
    min: 0,
    max: 60_000,
  });
  const out = currentSink().live();
  let last = -Infinity;
  const draw = (done: number, note?: string) => out.html(progressHtml(label, done / total, note, options.color));
  draw(0);
  return {
    update(done: number, note?: string) {
      const now = Date.now();
      if (now - last < minInterval && done < total) return;
      last = now;
      draw(done, note);
    },
    finish(note?: string) {
      draw(total, note);
    },
  };
}
