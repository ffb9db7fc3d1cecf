/**
 * Predict, then run: `predict("busy wait, total ms", 300)` records the learner's guess in this kernel session; the
 * cell that computes the result calls `reveal("busy wait, total ms", busy.endTime)`, which says "you predicted 300 ·
 * the run says 315 ✓"; the chapter's last cell calls `predictionScore()`. Nothing is written to disk.
 *
 * A committed chapter keeps `null` as the guess ("not predicted yet"), so it still runs top to bottom.
 */

import { checkOptions, checkString, describeValue } from "../errors/validate";
import { escapeHtml, formatCell, htmlTable } from "../plot/html";
import { currentSink } from "./display";
import { NotebookInputError } from "./errors";

/** A guess or a result: a number, a word or a yes/no. */
export type Guess = number | string | boolean;

/** Options of `reveal`. */
export interface RevealOptions {
  /** For numbers: the relative distance a guess may be off and still count (default 0.1, i.e. within 10 %). */
  tolerance?: number;
  /** The unit of the number, shown after it ("ms"). */
  unit?: string;
}

/** One prediction of the session: the guess (null: none made), and once revealed the result. */
export interface PredictionRecord {
  label: string;
  guess: Guess | null;
  actual?: Guess;
  right?: boolean;
}

const records = new Map<string, PredictionRecord>();

function checkLabel(fn: string, label: unknown): string {
  if (typeof label !== "string" || !label.trim())
    throw new NotebookInputError(`${fn}: the label must be a non-empty string, e.g. ${fn}("busy wait, total ms", …).`);
  return label.trim();
}

function checkGuess(fn: string, what: string, value: unknown, allowNull: boolean): Guess | null {
  if (value === null && allowNull) return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" || typeof value === "boolean") return value;
  throw new NotebookInputError(
    `${fn}: ${what} must be a finite number, a string or true/false${allowNull ? " (or null: no guess yet)" : ""}; ` +
      `got ${describeValue(value)}.`,
  );
}

function box(html: string, color: string): void {
  try {
    currentSink().html(
      `<div class="cbe-predict" style="border-left:4px solid ${color};padding:4px 10px;margin:4px 0;` +
        `font:14px system-ui,sans-serif">${html}</div>`,
    );
  } catch {
    // Displaying must not break the notebook.
  }
}

/** Record a guess for `label` (null: none yet). Run it before the cell that computes the answer. */
export function predict(label: string, guess: Guess | null): void {
  const key = checkLabel("predict", label);
  const g = checkGuess("predict", "the guess", guess, true);
  records.set(key, { label: key, guess: g });
  if (g === null)
    box(
      `<b>Predict:</b> ${escapeHtml(key)} — no guess yet. Replace <code>null</code> with your guess and run this ` +
        `cell again before running the next one.`,
      "#999999",
    );
  else box(`<b>Prediction recorded:</b> ${escapeHtml(key)} → ${escapeHtml(formatCell(g))}`, "#0072B2");
}

function isRight(guess: Guess, actual: Guess, tolerance: number): boolean {
  if (typeof guess === "number" && typeof actual === "number")
    return Math.abs(guess - actual) <= Math.max(tolerance * Math.abs(actual), 1e-9);
  if (typeof guess === "string" && typeof actual === "string")
    return guess.trim().toLowerCase().replace(/\s+/g, " ") === actual.trim().toLowerCase().replace(/\s+/g, " ");
  return guess === actual;
}

/** Compare the recorded guess for `label` with the result `actual`, and show both. */
export function reveal(label: string, actual: Guess, options: RevealOptions = {}): void {
  const key = checkLabel("reveal", label);
  const a = checkGuess("reveal", "the result", actual, false) as Guess;
  options = checkOptions<RevealOptions>(NotebookInputError, "reveal's options", options, ["tolerance", "unit"]);
  if (options.unit !== undefined) checkString(NotebookInputError, "reveal's `unit`", options.unit, { maxLength: 40 });
  const tolerance = options.tolerance ?? 0.1;
  if (typeof tolerance !== "number" || !(tolerance >= 0) || !Number.isFinite(tolerance))
    throw new NotebookInputError(
      `reveal: tolerance must be a number ≥ 0 (0.1 = within 10 %); got ${describeValue(tolerance)}.`,
    );
  const unit = options.unit ? ` ${options.unit}` : "";
  const rec = records.get(key) ?? { label: key, guess: null };
  const shown = (v: Guess) => escapeHtml(formatCell(v) + (typeof v === "number" ? unit : ""));
  if (rec.guess === null) {
    records.set(key, { ...rec, actual: a });
    box(`<b>${escapeHtml(key)}:</b> the run says ${shown(a)}. (No prediction recorded for this one.)`, "#999999");
    return;
  }
  const right = isRight(rec.guess, a, tolerance);
  records.set(key, { ...rec, actual: a, right });
  const within = typeof a === "number" && tolerance > 0 ? ` (counted right within ${tolerance * 100} %)` : "";
  box(
    `<b>${escapeHtml(key)}:</b> you predicted ${shown(rec.guess)} · the run says ${shown(a)} ` +
      `<b style="color:${right ? "#009E73" : "#D55E00"}">${right ? "✓" : "✗"}</b>${escapeHtml(within)}`,
    right ? "#009E73" : "#D55E00",
  );
}

/** Every prediction of this session, in the order first made. */
export function predictionRecords(): PredictionRecord[] {
  return [...records.values()].map((r) => ({ ...r }));
}

/** Forget every prediction (a new chapter in the same kernel starts from zero). */
export function resetPredictions(): void {
  records.clear();
}

/** Show the score of this session's predictions, and a table of them. */
export function predictionScore(): void {
  const all = predictionRecords().filter((r) => r.actual !== undefined);
  const made = all.filter((r) => r.guess !== null);
  const right = made.filter((r) => r.right).length;
  const headline =
    made.length === 0
      ? `No predictions recorded in this session (${all.length} results revealed). Next time, put a guess in each ` +
        `<code>predict(…)</code> cell before running the cell after it.`
      : `Your predictions: <b>${right} of ${made.length} right</b>` +
        (all.length > made.length ? ` (${all.length - made.length} results revealed without a guess).` : ".");
  const rows = all.map((r) => ({
    prediction: r.label,
    "your guess": r.guess === null ? "—" : r.guess,
    "the run": r.actual as Guess,
    "": r.guess === null ? "" : r.right ? "✓" : "✗",
  }));
  try {
    currentSink().html(
      `<p style="font:14px system-ui,sans-serif">${headline}</p>${rows.length ? htmlTable(rows) : ""}`,
    );
  } catch {
    // Displaying must not break the notebook.
  }
}
