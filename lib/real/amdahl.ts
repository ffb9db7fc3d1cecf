/**
 * Amdahl's law (G. Amdahl, "Validity of the single processor approach to achieving large scale computing
 * capabilities", AFIPS 1967) and a fit of its one parameter to measured speedups. Pure math, no Node built-in.
 *
 * A job whose serial fraction is f (the share of its one-thread time that cannot be split) runs on N workers in
 * f + (1 − f) / N of its one-thread time, so its speedup is S(N) = 1 / (f + (1 − f) / N), never above 1 / f.
 * A lock's critical section is such a serial fraction: only one worker can be inside it at a time.
 */
import { checkInt, checkNumber, RealInputError } from "./errors";

/** Amdahl's speedup (×) of a job with serial fraction `serialFraction` (0..1) on `workers` workers, all running. */
export function amdahlSpeedup(serialFraction: number, workers: number): number {
  checkNumber("serialFraction", serialFraction, 0, 1, "pass the serial share of the work, e.g. 0.05 for 5 %");
  checkInt("workers", workers, 1, 1_000_000, "pass a whole number of workers, e.g. 4");
  return 1 / (serialFraction + (1 - serialFraction) / workers);
}

/** One measured point: `workers` running at once (each on its own core) and the speedup (×) they reached. */
export interface SpeedupSample {
  workers: number;
  speedup: number;
}

/**
 * The serial fraction f (0..1) whose Amdahl curve is closest to the measured speedups, by least squares on the
 * speedups themselves: it minimises Σ (measured − 1 / (f + (1 − f) / workers))². Points with 1 worker say nothing
 * about f (every curve passes through 1) but are allowed. Speedups above the worker count clamp f at 0, speedups
 * below 1 push it towards 1. Throws RealInputError on empty or invalid input, or when no point has ≥ 2 workers.
 */
export function fitSerialFraction(points: readonly SpeedupSample[]): number {
  if (!Array.isArray(points) || points.length === 0) {
    throw new RealInputError(
      "Expected `points` to be a non-empty array of { workers, speedup }: pass the measured speedups, " +
        "e.g. [{ workers: 1, speedup: 1 }, { workers: 2, speedup: 1.9 }]",
    );
  }
  points.forEach((p, i) => {
    if (typeof p !== "object" || p === null) {
      throw new RealInputError(`Expected \`points[${i}]\` to be { workers, speedup }, got ${String(p)}`);
    }
    checkInt(`points[${i}].workers`, p.workers, 1, 1_000_000, "pass the number of workers of that measurement");
    checkNumber(`points[${i}].speedup`, p.speedup, 1e-9, 1e9, "pass the measured speedup (×), a positive number");
  });
  if (points.every((p) => p.workers === 1)) {
    throw new RealInputError(
      "Every point has 1 worker, and every Amdahl curve passes through speedup 1 there: " +
        "add a measurement with 2 or more workers to fit the serial fraction",
    );
  }
  const sse = (f: number) => points.reduce((s, p) => s + (p.speedup - 1 / (f + (1 - f) / p.workers)) ** 2, 0);
  // Coarse grid for the bracket (robust to a non-convex sum), then golden-section search inside it.
  const steps = 1000;
  let best = 0;
  for (let k = 1; k <= steps; k++) if (sse(k / steps) < sse(best / steps)) best = k;
  let lo = Math.max(0, (best - 1) / steps);
  let hi = Math.min(1, (best + 1) / steps);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  for (let i = 0; i < 100 && hi - lo > 1e-13; i++) {
    if (sse(a) <= sse(b)) {
      hi = b;
      b = a;
      a = hi - g * (hi - lo);
    } else {
      lo = a;
      a = b;
      b = lo + g * (hi - lo);
    }
  }
  const f = (lo + hi) / 2;
  // The ends of [0, 1] are candidates too (the minimum may sit on a bound).
  return [0, f, 1].reduce((x, y) => (sse(y) < sse(x) ? y : x));
}
