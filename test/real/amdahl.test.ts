// Amdahl's law and the fit of its serial fraction: pure math, asserted exactly.
import { describe, expect, it } from "vitest";
import { amdahlSpeedup, fitSerialFraction, RealInputError } from "../../lib/real/index";

describe("amdahlSpeedup", () => {
  it("is 1 / (f + (1 - f) / N)", () => {
    expect(amdahlSpeedup(0, 4)).toBe(4);
    expect(amdahlSpeedup(1, 64)).toBe(1);
    expect(amdahlSpeedup(0.5, 2)).toBe(1 / (0.5 + 0.25));
    expect(amdahlSpeedup(0.1, 1)).toBe(1);
    expect(amdahlSpeedup(0.25, 1_000_000)).toBeCloseTo(4, 4); // the ceiling 1 / f
  });
  it("rejects a fraction outside 0..1 and a worker count below 1, with named errors", () => {
    expect(() => amdahlSpeedup(1.5, 2)).toThrow(RealInputError);
    expect(() => amdahlSpeedup(-0.1, 2)).toThrow(/serialFraction/);
    expect(() => amdahlSpeedup(0.1, 0)).toThrow(/workers/);
    expect(() => amdahlSpeedup(0.1, 2.5)).toThrow(RealInputError);
  });
});

describe("fitSerialFraction", () => {
  it("recovers the fraction of exact Amdahl points", () => {
    for (const f of [0, 0.02, 0.1, 0.5, 1]) {
      const pts = [1, 2, 4, 8].map((w) => ({ workers: w, speedup: amdahlSpeedup(f, w) }));
      expect(fitSerialFraction(pts)).toBeCloseTo(f, 9);
    }
  });
  it("one point with 2 workers: f = 2 / S - 1", () => {
    expect(fitSerialFraction([{ workers: 2, speedup: 1.9 }])).toBeCloseTo(2 / 1.9 - 1, 9);
    expect(fitSerialFraction([{ workers: 2, speedup: 1.6 }])).toBeCloseTo(0.25, 9);
  });
  it("least squares on the speedups: noisy points give the minimiser of the squared error", () => {
    const pts = [
      { workers: 1, speedup: 1 },
      { workers: 2, speedup: 1.8 },
      { workers: 4, speedup: 3.0 },
    ];
    const f = fitSerialFraction(pts);
    const sse = (g: number) => pts.reduce((s, p) => s + (p.speedup - amdahlSpeedup(g, p.workers)) ** 2, 0);
    expect(sse(f)).toBeLessThanOrEqual(sse(f + 1e-4));
    expect(sse(f)).toBeLessThanOrEqual(sse(f - 1e-4));
    expect(f).toBeGreaterThan(0.1);
    expect(f).toBeLessThan(0.12);
  });
  it("clamps at the ends: superlinear speedup gives 0, a slowdown gives close to 1", () => {
    expect(fitSerialFraction([{ workers: 2, speedup: 2.3 }])).toBe(0);
    expect(fitSerialFraction([{ workers: 2, speedup: 0.7 }])).toBe(1);
  });
  it("rejects empty, malformed and uninformative input with RealInputError", () => {
    expect(() => fitSerialFraction([])).toThrow(RealInputError);
    expect(() => fitSerialFraction([{ workers: 1, speedup: 1 }])).toThrow(/2 or more workers/);
    expect(() => fitSerialFraction([{ workers: 0, speedup: 1 }])).toThrow(/points\[0\]\.workers/);
    expect(() => fitSerialFraction([{ workers: 2, speedup: Number.NaN }])).toThrow(/points\[0\]\.speedup/);
    expect(() => fitSerialFraction(null as any)).toThrow(RealInputError);
  });
});
