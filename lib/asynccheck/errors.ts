/**
 * The one named error of the async checker, and the small checks that throw it. Every message says what to change.
 */
import { CourseError } from "../errors";

/** What went wrong: bad input, a limit reached, or a task that escaped the scheduler. */
export type AsyncCheckErrorCode =
  | "bad-program"
  | "bad-option"
  | "bad-schedule"
  | "not-json"
  | "unknown-key"
  | "task-threw"
  | "not-async"
  | "infinite-loop"
  | "not-store"
  | "two-operations"
  | "unlock-not-held"
  | "bad-predicate"
  | "nondeterministic"
  | "max-runs"
  | "max-steps";

/** Bad input to `checkAsync` / `replayAsync`, or a task that breaks the checker's rules; `schedule` leads there. */
export class AsyncCheckError extends CourseError {
  readonly code: AsyncCheckErrorCode;
  /** The schedule (1-based task numbers, e.g. "1 2 2") that leads to the problem, when there is one. */
  readonly schedule: string | null;
  constructor(code: AsyncCheckErrorCode, message: string, schedule: string | null = null) {
    super(schedule === null ? message : `${message} (schedule: "${schedule}")`);
    this.name = "AsyncCheckError";
    this.code = typeof code === "string" ? code : "bad-program";
    this.schedule = typeof schedule === "string" ? schedule : null;
  }
}

/** Edit distance of two short strings (for "did you mean"). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The valid name closest to `name` (case-insensitive edit distance). */
export function closestName(name: string, valid: readonly string[]): string {
  let best = valid[0];
  let bestD = Number.POSITIVE_INFINITY;
  for (const v of valid) {
    const d = distance(name.toLowerCase(), v.toLowerCase());
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  return best;
}

/** Throws on a key of `obj` that is not in `valid`, naming the closest valid key. */
export function rejectUnknownKeys(what: string, obj: object, valid: readonly string[], code: AsyncCheckErrorCode) {
  for (const k of Object.keys(obj)) {
    if (!valid.includes(k)) {
      throw new AsyncCheckError(
        code,
        `${what} has no key "${k}": did you mean "${closestName(k, valid)}"? Valid keys: ${valid.join(", ")}.`,
      );
    }
  }
}

/** An integer option in [min, max] (or its default). */
export function intOption(name: string, value: unknown, dflt: number, min: number, max: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new AsyncCheckError(
      "bad-option",
      `Option \`${name}\` must be an integer from ${min} to ${max}, got ${String(value)}: pass e.g. ${dflt}.`,
    );
  }
  return value;
}

/** Why `v` is not plain JSON data (null when it is): the path and what was found. */
export function notJson(v: unknown, path = "value", seen: Set<unknown> = new Set()): string | null {
  if (v === null || typeof v === "string" || typeof v === "boolean") return null;
  if (typeof v === "number") return Number.isFinite(v) ? null : `${path} is ${v} (JSON has no NaN or Infinity)`;
  if (typeof v === "undefined") return `${path} is undefined (use null)`;
  if (typeof v !== "object") return `${path} is a ${typeof v}`;
  if (seen.has(v)) return `${path} refers back to itself`;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
    return `${path} is a ${(v as object).constructor?.name ?? "class instance"} (use plain objects and arrays)`;
  }
  seen.add(v);
  const entries = Array.isArray(v) ? v.map((x, i) => [`${path}[${i}]`, x] as const) : Object.entries(v);
  for (const [k, x] of entries) {
    const why = notJson(x, Array.isArray(v) ? String(k) : `${path}.${k}`, seen);
    if (why) return why;
  }
  seen.delete(v);
  return null;
}
