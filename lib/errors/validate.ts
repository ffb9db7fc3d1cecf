/**
 * The one shared validator of the course (layer 0, beside lib/errors.ts; imports nothing else).
 *
 * Every exported function checks what a learner can pass it — type, range, finiteness, required fields, unknown keys —
 * with these helpers, and throws its module's named error (a `CourseError` subclass, passed in as `E`) with a message
 * that says what was expected, what was given, and what to change. A schema library (valibot, zod) was considered:
 * it would have to type-check under tslab's TypeScript 5.0 and its messages would need a rewrite layer to name the
 * option and say what to change, so a small hand-written validator does the job in one place instead.
 *
 * The helpers never throw a generic error themselves: `describeValue` prints any value (cyclic objects, a million
 * elements, symbols, objects without a prototype) in a few dozen characters.
 */
import type { CourseError } from "../errors";

/** The named error a module throws: any CourseError class whose constructor takes just the message. */
export type ErrorClass = new (message: string) => CourseError;

/** Keys that would read through to Object.prototype in a plain object: never valid names of anything. */
const PROTO_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True when `name` is a key that a plain `{}` already "has" (constructor, toString, __proto__, ...). */
export function isPrototypeKey(name: string): boolean {
  return PROTO_KEYS.has(name);
}

/** A short, safe description of any value for an error message (never throws, never longer than ~60 characters). */
export function describeValue(v: unknown): string {
  try {
    if (v === null) return "null";
    if (v === undefined) return "undefined (nothing)";
    if (typeof v === "string") {
      const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
      return v === "" ? 'the empty string ""' : JSON.stringify(s);
    }
    if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "boolean" || typeof v === "symbol") return String(v);
    if (typeof v === "function") return `a function${v.name ? ` (${v.name})` : ""}`;
    if (Array.isArray(v)) return v.length === 0 ? "an empty array []" : `an array of ${v.length} element(s)`;
    const proto = Object.getPrototypeOf(v);
    if (proto !== null && proto !== Object.prototype) {
      const name = (proto.constructor as { name?: unknown } | undefined)?.name;
      return typeof name === "string" && name ? `a ${name}` : "an object";
    }
    const keys = Object.keys(v as object);
    if (keys.length === 0) return "an empty object {}";
    const shown = keys.slice(0, 4).map((k) => (k.length > 20 ? `${k.slice(0, 20)}…` : k));
    return `an object with keys ${shown.join(", ")}${keys.length > 4 ? ", …" : ""}`;
  } catch {
    return "a value that cannot be printed";
  }
}

/** Edit distance of two short strings (for "did you mean"). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The valid name closest to `name` (case-insensitive edit distance; ties go to the first in `valid`). */
export function closestKey(name: string, valid: readonly string[]): string {
  let best = valid[0] ?? "";
  let bestD = Number.POSITIVE_INFINITY;
  const n = name.slice(0, 60).toLowerCase();
  for (const v of valid) {
    const d = distance(n, v.toLowerCase());
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  return best;
}

/** True for a plain object (`{...}` or `Object.create(null)`), false for arrays, class instances, null, functions. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * An options object: `undefined` becomes `{}`; anything but a plain object is an error; a key not in `valid` is an
 * error naming the closest valid key. `what` names the function, e.g. "runCpu's options".
 */
export function checkOptions<T extends object>(
  E: ErrorClass,
  what: string,
  value: unknown,
  valid: readonly string[],
): Partial<T> {
  if (value === undefined) return {};
  if (!isPlainObject(value))
    throw new E(
      `Expected ${what} to be an object like { ${valid[0] ?? "…"}: … }, got ${describeValue(value)}: ` +
        `pass an object with some of ${valid.join(", ")}, or leave it out.`,
    );
  checkKeys(E, what, value, valid);
  return value as Partial<T>;
}

/**
 * The options of a real experiment: as checkOptions, and a field set to null is an error too (a real experiment must
 * never start with a default the learner did not ask for; leave the field out to get its default).
 */
export function checkExperimentOptions<T extends object>(
  E: ErrorClass,
  what: string,
  value: unknown,
  valid: readonly string[],
): Partial<T> {
  const o = checkOptions<T>(E, what, value, valid);
  for (const [k, v] of Object.entries(o))
    if (v === null)
      throw new E(`${capital(what)} set \`${k}\` to null: leave \`${k}\` out to get its default, or give a value.`);
  return o;
}

/** Throws on a key of `obj` that is not in `valid`, naming the closest valid key. */
export function checkKeys(E: ErrorClass, what: string, obj: object, valid: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!valid.includes(k)) {
      const shown = k.length > 40 ? `${k.slice(0, 40)}…` : k;
      throw new E(
        `${capital(what)} has no key \`${shown}\`` +
          (valid.length ? `: did you mean \`${closestKey(k, valid)}\`? Valid keys: ${valid.join(", ")}.` : "."),
      );
    }
  }
}

/** A required plain object (e.g. a result passed to a figure); `hint` says how to get one. */
export function checkObject(E: ErrorClass, what: string, value: unknown, hint: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new E(`Expected ${what} to be an object, got ${describeValue(value)}: ${hint}.`);
  return value as Record<string, unknown>;
}

/**
 * A result object made by the course: an object that has every one of `fields` (with a value that is not undefined;
 * null counts as a value).
 * `hint` names the function that makes one (e.g. "pass what runSchedule(...) returned").
 */
export function checkResult<T>(
  E: ErrorClass,
  what: string,
  value: unknown,
  fields: readonly string[],
  hint: string,
): T {
  const o = checkObject(E, what, value, hint);
  for (const f of fields) {
    let v: unknown;
    try {
      v = o[f];
    } catch {
      v = undefined;
    }
    // (null is a value: e.g. explore's `schedules` is null when a spin loop makes them infinitely many)
    if (v === undefined)
      throw new E(`Expected ${what} to have a \`${f}\` field, got ${describeValue(value)}: ${hint}.`);
  }
  return value as T;
}

/**
 * A list of result rows made by the course: an array (at most `max`) of objects that each have every one of `fields`.
 */
export function checkRows<T>(
  E: ErrorClass,
  what: string,
  value: unknown,
  fields: readonly string[],
  hint: string,
  opts: { min?: number; max?: number } = {},
): T[] {
  const rows = checkArray(E, what, value, { min: opts.min ?? 0, max: opts.max ?? 1_000_000 }, hint);
  rows.forEach((r, i) => {
    checkResult(E, `element ${i} of ${what}`, r, fields, hint);
  });
  return rows as T[];
}

/** Bounds of a number. `max` defaults to Infinity (allowed only when `finite` is false). */
export interface NumberRange {
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Also accept Infinity (e.g. a device capacity). Default false. */
  allowInfinity?: boolean;
  /** Strictly above `min` (e.g. a quantum > 0). */
  exclusiveMin?: boolean;
}

/** A number in range; `hint` ends the message ("pass e.g. 4"). Returns it. */
export function checkNumber(E: ErrorClass, what: string, value: unknown, range: NumberRange = {}, hint = ""): number {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false } = range;
  const ok =
    typeof value === "number" &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (range.allowInfinity === true && value === Number.POSITIVE_INFINITY)) &&
    (!integer || !Number.isFinite(value) || Number.isInteger(value)) &&
    (range.exclusiveMin ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const kind = integer ? "a whole number" : range.allowInfinity ? "a number" : "a finite number";
    const lo = Number.isFinite(min) ? `${range.exclusiveMin ? ">" : "≥"} ${fmtNum(min)}` : "";
    const hi = Number.isFinite(max) ? `≤ ${fmtNum(max)}` : "";
    const bounds = [lo, hi].filter(Boolean).join(" and ");
    throw new E(
      `Expected ${what} to be ${kind}${bounds ? ` ${bounds}` : ""}${range.allowInfinity ? " (or Infinity)" : ""}, ` +
        `got ${describeValue(value)}: ` +
        `${hint || `pass e.g. ${fmtNum(example(min, max, integer, range.exclusiveMin))}`}.`,
    );
  }
  return value as number;
}

/** A whole number in [min, max]. */
export function checkInt(E: ErrorClass, what: string, value: unknown, min: number, max: number, hint = ""): number {
  return checkNumber(E, what, value, { min, max, integer: true }, hint);
}

/** A number, or its default when `value` is undefined. */
export function optNumber(
  E: ErrorClass,
  what: string,
  value: unknown,
  dflt: number,
  range: NumberRange = {},
  hint = "",
): number {
  return value === undefined ? dflt : checkNumber(E, what, value, range, hint);
}

/** A whole number in [min, max], or its default when `value` is undefined. */
export function optInt(
  E: ErrorClass,
  what: string,
  value: unknown,
  dflt: number,
  min: number,
  max: number,
  hint = "",
): number {
  return value === undefined ? dflt : checkInt(E, what, value, min, max, hint);
}

/** A boolean, or its default when undefined. */
export function optBoolean(E: ErrorClass, what: string, value: unknown, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (typeof value !== "boolean")
    throw new E(`Expected ${what} to be true or false, got ${describeValue(value)}: pass true or false.`);
  return value;
}

/** A string (non-empty unless `allowEmpty`), at most `maxLength` characters. */
export function checkString(
  E: ErrorClass,
  what: string,
  value: unknown,
  opts: { allowEmpty?: boolean; maxLength?: number } = {},
  hint = "",
): string {
  const max = opts.maxLength ?? 10_000;
  if (typeof value !== "string" || (!opts.allowEmpty && value === "") || value.length > max)
    throw new E(
      `Expected ${what} to be a${opts.allowEmpty ? "" : " non-empty"} string of at most ${max} characters, ` +
        `got ${describeValue(value)}: ${hint || 'pass some text in quotes, e.g. "A"'}.`,
    );
  return value;
}

/**
 * A name a learner gives to something (a cell, register, task, device, lock, label): a non-empty string of at most
 * 100 characters. Names like "constructor" or "toString" are fine here: engines keep names in a Map or a
 * null-prototype object, so they behave like any other name.
 */
export function checkName(E: ErrorClass, what: string, value: unknown, hint = ""): string {
  return checkString(E, what, value, { maxLength: 100 }, hint || 'use a short name in quotes, e.g. "x"');
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(E: ErrorClass, what: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    const near = typeof value === "string" && choices.length ? ` (did you mean "${closestKey(value, choices)}"?)` : "";
    throw new E(
      `Expected ${what} to be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, got ` +
        `${describeValue(value)}${near}: pass one of those names.`,
    );
  }
  return value as T;
}

/** An array with between `min` and `max` elements (default 0 .. 100,000). */
export function checkArray<T = unknown>(
  E: ErrorClass,
  what: string,
  value: unknown,
  opts: { min?: number; max?: number } = {},
  hint = "",
): T[] {
  const min = opts.min ?? 0;
  const max = opts.max ?? 100_000;
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    const size = min === max ? `of exactly ${min} element(s)` : `of ${min} to ${fmtNum(max)} element(s)`;
    throw new E(
      `Expected ${what} to be a${min >= 1 ? " non-empty" : "n"} array ${size}, got ${describeValue(value)}: ` +
        `${hint || "pass a list in square brackets, e.g. [1, 2]"}.`,
    );
  }
  return value as T[];
}

/** A function (e.g. a task body, a predicate). */
export function checkFunction<F extends (...args: never[]) => unknown>(
  E: ErrorClass,
  what: string,
  value: unknown,
  hint = "",
): F {
  if (typeof value !== "function")
    throw new E(`Expected ${what} to be a function, got ${describeValue(value)}: ${hint || "pass e.g. () => 1"}.`);
  return value as F;
}

const NAMED_COLOURS = new Set(
  (
    "black white red green blue yellow orange purple gray grey silver maroon olive lime aqua teal navy fuchsia " +
    "pink brown cyan magenta gold indigo violet crimson coral salmon tomato orchid khaki plum tan beige " +
    "darkblue darkgreen darkred darkorange darkgray darkgrey lightblue lightgreen lightgray lightgrey steelblue " +
    "slategray slategrey transparent"
  ).split(" "),
);

/** True for a CSS colour the course accepts: #rgb, #rrggbb(aa), rgb()/rgba()/hsl()/hsla() of numbers, or a name. */
export function isColour(v: unknown): v is string {
  if (typeof v !== "string" || v.length > 60) return false;
  const s = v.trim().toLowerCase();
  if (/^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/.test(s)) return true;
  if (/^(rgb|rgba|hsl|hsla)\(\s*[-0-9.%]+(\s*[, ]\s*[-0-9.%]+){2}(\s*[,/]\s*[0-9.%]+)?\s*\)$/.test(s)) return true;
  return NAMED_COLOURS.has(s);
}

/** A CSS colour (see isColour). */
export function checkColour(E: ErrorClass, what: string, value: unknown): string {
  if (!isColour(value))
    throw new E(
      `Expected ${what} to be a colour like "#1f77b4", "rgb(31, 119, 180)" or "steelblue", got ` +
        `${describeValue(value)}: pass one of those forms.`,
    );
  return value;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 10_000 && Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

function example(min: number, max: number, integer: boolean, exclusive = false): number {
  const inside = (x: number) => (exclusive ? x > min : x >= min) && x <= max;
  for (const x of [1, 0, 10, 100]) if (inside(x)) return x;
  if (Number.isFinite(min)) {
    const e = exclusive ? (integer ? min + 1 : min > 0 ? min * 2 : min + 1) : min;
    return Number.isFinite(max) ? Math.min(e, max) : e;
  }
  return Number.isFinite(max) ? max : 1;
}
