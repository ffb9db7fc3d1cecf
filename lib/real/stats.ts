/** Summaries of repeated real measurements: real timings vary, so every number comes as median/min/max. */
import { checkInt, checkNumber } from "../errors/validate";
import { RealInputError } from "./errors";

/** Median, min and max of repeated measurements (same unit as the inputs), plus every run. */
export interface RunSummary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Summarises measurements (any unit) as median/min/max; an empty list gives NaNs. */
export function summarizeRuns(values: readonly number[]): RunSummary {
  const runs = values.slice();
  if (runs.length === 0) return { median: NaN, min: NaN, max: NaN, runs };
  const s = runs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs };
}

/** Rounds to `digits` decimals (for readable tables). */
export function roundTo(x: number, digits = 2): number {
  checkNumber(RealInputError, "the number given to roundTo", x, { allowInfinity: false }, "pass a finite number");
  checkInt(RealInputError, "the digits of roundTo", digits, 0, 15);
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
