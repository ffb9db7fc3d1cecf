/**
 * Seeded random numbers (mulberry32): the same seed gives the same sequence on every machine,
 * so simulated results can be asserted exactly. Reused by other modules: `makeRng(seed)`.
 */
import { describeValue } from "../errors/validate";
import { SimInputError } from "./errors";

export interface SimRng {
  /** The seed this generator started from. */
  readonly seed: number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [lo, hi). */
  uniform(lo?: number, hi?: number): number;
  /** Uniform whole number in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  /** Exponentially distributed float with the given mean (> 0), e.g. inter-arrival times in ticks. */
  exponential(mean: number): number;
  /** Normally distributed float (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy of the array (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/** A seeded generator; `seed` is any finite number (its 32-bit integer part is used). */
export function makeRng(seed: number): SimRng {
  if (typeof seed !== "number" || !Number.isFinite(seed) || Math.abs(seed) > 2 ** 53)
    throw new SimInputError(
      `Expected \`seed\` to be a finite number, got ${describeValue(seed)}: pass e.g. makeRng(42).`,
    );
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: SimRng = {
    seed,
    next,
    uniform(lo = 0, hi = 1) {
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo)
        throw new SimInputError(`Expected finite lo ≤ hi for uniform(lo, hi), got (${lo}, ${hi}).`);
      return lo + (hi - lo) * next();
    },
    int(lo, hi) {
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo)
        throw new SimInputError(`Expected whole numbers lo ≤ hi for int(lo, hi), got (${lo}, ${hi}).`);
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    exponential(mean) {
      if (!(mean > 0) || !Number.isFinite(mean))
        throw new SimInputError(`Expected \`mean\` > 0 and finite for exponential(mean), got ${mean}.`);
      return -mean * Math.log(1 - next());
    },
    normal(mean = 0, sd = 1) {
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (!items || items.length === 0)
        throw new SimInputError("pick() needs a non-empty array: pass at least one item.");
      return items[Math.floor(next() * items.length)];
    },
    shuffle(items) {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    },
  };
  return rng;
}
