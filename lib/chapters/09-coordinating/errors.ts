/** Chapter 09's named error: bad options to its models (the crawler, the producer–consumer queue). */
import { CourseError } from "../../errors";

/** Bad input to a chapter 09 model; the message says what was expected and what to change. */
export class CoordInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "CoordInputError";
  }
}

/** A whole number in [min, max] (Infinity allowed when `infinite`), else CoordInputError saying what to pass. */
export function wholeNumber(name: string, value: unknown, min: number, max: number, infinite = false): number {
  if (infinite && value === Infinity) return Infinity;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw new CoordInputError(
      `Expected \`${name}\` to be a whole number from ${min} to ${max}${infinite ? " (or Infinity)" : ""}, ` +
        `got ${String(value)}: pass e.g. ${min === 0 ? 1 : min}.`,
    );
  return value;
}
