/**
 * Exercise checks: compare a learner's answer with what the library computes, and say ✓ or give a hint.
 * A check never throws, so a notebook with unanswered exercises still runs top to bottom.
 */

import { checkString, describeValue, isPlainObject } from "../errors/validate";
import { escapeHtml, formatCell } from "../plot/html";
import { currentSink } from "./display";
import { NotebookInputError } from "./errors";

/** The label of a check (the chapter's words, not the learner's answer: a bad one is an error, not feedback). */
function checkLabel(fn: string, label: unknown): string {
  return checkString(NotebookInputError, `the label of ${fn}`, label, { maxLength: 500 }, 'e.g. "Exercise 1"');
}

/** Result of a check (see `lastCheck`). */
export interface CheckResult {
  ok: boolean;
  message: string;
}

/** Options of `check`. */
export interface CheckOptions {
  /** For numbers: accept answers within this absolute distance (default 0: exact). */
  tolerance?: number;
  /** Shown when the answer is wrong. */
  hint?: string;
}

/** Deep equality of answers: numbers within `tol`, strings up to surrounding and repeated whitespace. */
export function answersEqual(a: unknown, b: unknown, tol: number): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= tol;
  if (typeof a === "bigint" || typeof b === "bigint") {
    try {
      return BigInt(a as bigint) === BigInt(b as bigint);
    } catch {
      return false;
    }
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => answersEqual(x, b[i], tol));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return (
      answersEqual(ka, kb, 0) &&
      ka.every((k) => answersEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol))
    );
  }
  if (typeof a === "string" && typeof b === "string")
    return a.trim().replace(/\s+/g, " ") === b.trim().replace(/\s+/g, " ");
  return a === b;
}

let last: CheckResult | undefined;

/** The result of the most recent check (check itself returns nothing, so a cell does not print it twice). */
export function lastCheck(): CheckResult | undefined {
  return last;
}

/** Show a check's ✓/✗ box and remember it as `lastCheck()`. */
export function reportCheck(label: string, r: CheckResult): void {
  last = r;
  const color = r.ok ? "#009E73" : "#D55E00";
  const mark = r.ok ? "✓" : "✗";
  try {
    currentSink().html(
      `<div class="cbe-check ${r.ok ? "ok" : "no"}" style="border-left:4px solid ${color};padding:4px 10px;margin:4px 0;font:14px system-ui,sans-serif">` +
        `<b style="color:${color}">${mark} ${escapeHtml(label)}</b> ${escapeHtml(r.message)}</div>`,
    );
  } catch {
    // Displaying must not break the notebook either.
  }
}

export const NOT_ANSWERED: CheckResult = {
  ok: false,
  message: "Not answered yet: replace `undefined` with your answer and run the cell again.",
};

/** Compare `answer` with `expected` (deep, numbers within `tolerance`); show ✓ or ✗ with a hint. Never throws. */
export function check(label: string, answer: unknown, expected: unknown, options: CheckOptions | string = {}): void {
  checkLabel("check", label);
  if (typeof options !== "string" && !isPlainObject(options))
    throw new NotebookInputError(
      `Expected check's options to be a hint text or { tolerance, hint }, got ${describeValue(options)}.`,
    );
  const opts: CheckOptions = typeof options === "string" ? { hint: options } : options;
  if (
    opts.tolerance !== undefined &&
    !(typeof opts.tolerance === "number" && opts.tolerance >= 0 && opts.tolerance < 1e15)
  )
    throw new NotebookInputError(
      `Expected check's \`tolerance\` to be a number ≥ 0, got ${describeValue(opts.tolerance)}.`,
    );
  if (opts.hint !== undefined) checkString(NotebookInputError, "check's hint", opts.hint, { allowEmpty: true });
  if (answer === undefined) {
    reportCheck(label, NOT_ANSWERED);
    return;
  }
  let ok = false;
  try {
    ok = answersEqual(answer, expected, opts.tolerance ?? 0);
  } catch {
    ok = false;
  }
  const message = ok
    ? `Correct: ${formatCell(answer)}.`
    : `You answered ${formatCell(answer)}, which is not it.${opts.hint ? " Hint: " + opts.hint : ""}`;
  reportCheck(label, { ok, message });
}

/**
 * Check with a predicate over the learner's answer: `test` returns true, or a string saying what is wrong.
 * An exception inside `test` (e.g. an invalid schedule) becomes feedback, not an error.
 */
export function checkWith(
  label: string,
  answer: unknown,
  test: (answer: any) => boolean | string,
  hint?: string,
): void {
  checkLabel("checkWith", label);
  if (typeof test !== "function")
    throw new NotebookInputError(`Expected checkWith's test to be a function, got ${describeValue(test)}.`);
  if (hint !== undefined) checkString(NotebookInputError, "checkWith's hint", hint, { allowEmpty: true });
  if (answer === undefined) {
    reportCheck(label, NOT_ANSWERED);
    return;
  }
  let result: CheckResult;
  try {
    const r = test(answer);
    const why = typeof r === "string" ? r : "That does not satisfy the exercise.";
    result =
      r === true
        ? { ok: true, message: `Correct: ${formatCell(answer)}.` }
        : { ok: false, message: `${why}${hint ? " Hint: " + hint : ""}` };
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    result = { ok: false, message: `Your answer raised ${msg}${hint ? " Hint: " + hint : ""}` };
  }
  reportCheck(label, result);
}
