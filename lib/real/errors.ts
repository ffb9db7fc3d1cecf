/**
 * Named errors of the real-machine experiments, and the option checks that throw them.
 * Every message says what was expected, what was given, and what to change.
 */
import { CourseError } from "../errors";

/** Bad options passed to a real experiment. */
export class RealInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "RealInputError";
  }
}

/** An experiment ran past its hard time limit; its workers, servers and timers were cleaned up. */
export class RealTimeoutError extends CourseError {
  /** The limit that was exceeded, in milliseconds. */
  readonly limitMs: number;
  constructor(what: string, limitMs: number) {
    super(
      `${what} exceeded its time limit of ${limitMs} ms and was stopped (workers terminated, servers closed): ` +
        `pass a larger \`timeLimitMs\` or a smaller workload`,
    );
    this.name = "RealTimeoutError";
    this.limitMs = limitMs;
  }
}

/** An experiment was cancelled through its AbortSignal; everything it started was cleaned up. */
export class RealAbortError extends CourseError {
  constructor(what: string) {
    super(`${what} was aborted; its workers, servers and timers were cleaned up`);
    this.name = "RealAbortError";
  }
}

/**
 * The experiment was interrupted (Jupyter's Kernel → Interrupt, or Ctrl+C in a terminal): it stopped at once and its
 * workers, child processes, servers and timers were cleaned up. A RealAbortError, so code that catches aborts
 * catches this too.
 */
export class RealInterruptError extends RealAbortError {
  constructor(what: string) {
    super(what);
    this.message =
      `${what} was interrupted (Kernel → Interrupt, or Ctrl+C) and stopped at once; its workers, child processes, ` +
      "servers and timers were cleaned up: run the cell again to measure";
    this.name = "RealInterruptError";
  }
}

/**
 * Something the experiment started on this machine failed: a worker's job, a worker or child process that died, an
 * HTTP request past its limit. Rare (a busy or memory-starved machine); the message says which part failed and what
 * to change.
 */
export class RealRunError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "RealRunError";
  }
}

/** Checks that `value` is an integer in [min, max]; returns it. */
export function checkInt(name: string, value: unknown, min: number, max: number, hint = ""): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RealInputError(
      `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${fmt(value)}: ` +
        (hint || `pass a whole number between ${min} and ${max}`),
    );
  }
  return value;
}

/** Checks that `value` is a finite number in [min, max]; returns it. */
export function checkNumber(name: string, value: unknown, min: number, max: number, hint = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new RealInputError(
      `Expected \`${name}\` to be a number from ${min} to ${max}, got ${fmt(value)}: ` +
        (hint || `pass a number between ${min} and ${max}`),
    );
  }
  return value;
}

/** Checks a non-empty list of integers in [min, max]; returns a sorted copy without duplicates. */
export function checkIntList(name: string, value: unknown, min: number, max: number, hint = ""): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 64) {
    throw new RealInputError(
      `Expected \`${name}\` to be a non-empty array (at most 64) of integers from ${min} to ${max}, got ` +
        `${Array.isArray(value) && value.length > 64 ? `${value.length} elements` : fmt(value)}: ` +
        (hint || `pass e.g. [${min}, ${Math.min(max, min + 1)}]`),
    );
  }
  value.forEach((v, i) => {
    checkInt(`${name}[${i}]`, v, min, max, hint);
  });
  return Array.from(new Set(value as number[])).sort((a, b) => a - b);
}

/** Checks that `value` is one of `choices`; returns it. */
export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    throw new RealInputError(
      `Expected \`${name}\` to be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, got ${fmt(value)}: ` +
        `pass one of those names`,
    );
  }
  return value as T;
}

/** Checks that options is undefined or a plain object. */
export function checkOptions(name: string, value: unknown): void {
  if (value !== undefined && (value === null || typeof value !== "object" || Array.isArray(value))) {
    throw new RealInputError(
      `Expected the options of \`${name}\` to be an object, got ${fmt(value)}: pass e.g. {} or leave them out`,
    );
  }
}

function fmt(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(", ")}]`;
  return String(v);
}
