/**
 * Exercises whose answers live in the library, not in the cell: a chapter's module registers them with
 * `defineExercises("04", { "1": { expected, hints } })`; the cell calls `checkExercise("04-1", answer1)`.
 *
 * The expected value is computed lazily by the library (never printed), and a wrong answer reveals the hints one tier
 * at a time: the first wrong try in a session shows hint 1 (conceptual), the second hints 1–2, and so on. Like
 * `check`, `checkExercise` never throws: a notebook with unanswered exercises still runs top to bottom.
 */

import { describeValue } from "../errors/validate";
import { formatCell } from "../plot/html";
import { answersEqual, type CheckResult, NOT_ANSWERED, reportCheck } from "./check";
import { NotebookInputError } from "./errors";

/** One exercise: what the library computes as the answer, and hints from conceptual to concrete. */
export interface ExerciseDef {
  /** The right answer, computed by the library when first needed (omit when `accept` decides). */
  expected?: () => unknown;
  /** For open answers: true, or a sentence saying what is wrong (used instead of comparing with `expected`). */
  accept?: (answer: any) => true | string;
  /** Hints, first conceptual, then concrete; one more is shown after each wrong try. */
  hints: string[];
  /** For numbers: accept answers within this absolute distance (default 0: exact). */
  tolerance?: number;
}

const registry = new Map<string, ExerciseDef>();
const wrongTries = new Map<string, number>();

/** Register the exercises of one chapter ("04"); ids become "04-1", "04-2", … */
export function defineExercises(chapter: string, defs: Record<string, ExerciseDef>): void {
  if (!/^\d\d$/.test(chapter)) throw new NotebookInputError(`defineExercises: chapter must be two digits like "04".`);
  for (const [n, def] of Object.entries(defs)) {
    const id = `${chapter}-${n}`;
    if (!def || (typeof def.expected !== "function" && typeof def.accept !== "function"))
      throw new NotebookInputError(`defineExercises: exercise ${id} needs expected: () => value, or accept.`);
    if (!Array.isArray(def.hints) || def.hints.some((h) => typeof h !== "string" || !h.trim()))
      throw new NotebookInputError(`defineExercises: exercise ${id} needs hints: a list of non-empty sentences.`);
    registry.set(id, def);
  }
}

/** The ids of every registered exercise, in order. */
export function exerciseIds(): string[] {
  return [...registry.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** The library's answer to exercise `id` (for tests and solutions; chapters never print it). */
export function exerciseExpected(id: string): unknown {
  const def = registry.get(id);
  if (!def) throw new NotebookInputError(`No exercise "${id}". Known: ${exerciseIds().join(", ") || "none"}.`);
  if (!def.expected) throw new NotebookInputError(`Exercise ${id} has an open answer (accept), no single value.`);
  return def.expected();
}

/** Forget how many wrong tries each exercise had (the hints start again at the first). */
export function resetExerciseTries(): void {
  wrongTries.clear();
}

/** Judge `answer` without showing anything: ok, and the message `checkExercise` would show. */
export function judgeExercise(id: string, answer: unknown): CheckResult {
  const def = registry.get(id);
  if (!def) {
    const same = exerciseIds().filter((k) => k.slice(0, 2) === String(id).slice(0, 2));
    return {
      ok: false,
      message: `There is no exercise "${id}". Use one of ${(same.length ? same : exerciseIds()).join(", ")}.`,
    };
  }
  if (answer === undefined) return NOT_ANSWERED;
  let verdict: true | string;
  try {
    if (def.accept) verdict = def.accept(answer);
    else verdict = answersEqual(answer, def.expected?.(), def.tolerance ?? 0) ? true : "That is not it.";
  } catch (e) {
    verdict = `Your answer raised ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}.`;
  }
  if (verdict === true) return { ok: true, message: `Correct: ${formatCell(answer)}.` };
  const tries = (wrongTries.get(id) ?? 0) + 1;
  wrongTries.set(id, tries);
  const shown = def.hints.slice(0, tries);
  const more = tries < def.hints.length ? " (run again for another hint)" : "";
  const hints = shown.map((h, i) => `Hint ${i + 1}: ${h}`).join(" ");
  const why = typeof verdict === "string" ? verdict : "That is not it.";
  return { ok: false, message: `You answered ${formatCell(answer)}. ${why} ${hints}${more}`.replace(/\s+/g, " ") };
}

/** Check the learner's answer to exercise `id` ("04-1"): ✓, or ✗ with the next tier of hints. Never throws. */
export function checkExercise(id: string, answer: unknown): void {
  if (typeof id !== "string" || id === "" || id.length > 40)
    throw new NotebookInputError(`Expected an exercise id like "05-1", got ${describeValue(id)}.`);
  reportCheck(`Exercise ${id}`, judgeExercise(id, answer));
}
