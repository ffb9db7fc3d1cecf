/**
 * Chapter 03's reading of the measured speedup with Amdahl's law: which worker counts to run, when the runs are too
 * noisy to fit the serial fraction f at all, f fitted on the least-disturbed runs with its range, and the report.
 * A fit is refused rather than stated falsely: on a shared machine the runs can say nothing about f.
 */

import { ChapterInputError } from "../../errors";
import { checkInt, checkResult } from "../../errors/validate";
import { fitSerialFraction, type SpeedupPoint, type SpeedupResult, type SpeedupSample } from "../../real/index";

/** Largest (max − min) / min spread of repeated runs that still allows a fit (10 %). */
export const AMDAHL_MAX_SPREAD = 0.1;

/**
 * The worker counts of chapter 03's Amdahl experiment on `cores` cores: powers of two up to the cores (at most 8),
 * plus the core count itself; and a batch of 16 tasks, which every power of two up to 8 divides evenly.
 */
export function amdahlPlan(cores: number): { workerCounts: number[]; tasks: number } {
  checkInt(ChapterInputError, "the cores given to amdahlPlan", cores, 1, 4096, "pass coreCount()");
  const n = Math.max(1, Math.min(8, Math.floor(cores)));
  const counts = [1, 2, 4, 8].filter((w) => w <= n);
  if (!counts.includes(n)) counts.push(n);
  return { workerCounts: counts, tasks: 16 };
}

/** Amdahl's law read from a speedup experiment (see `amdahlFit`). */
export interface AmdahlFit {
  /** f (0..1) fitted on the least-disturbed runs; NaN when the fit is refused. */
  serialFraction: number;
  /** f fitted on the fastest and on the slowest paired runs, [low, high]; NaNs when refused. */
  range: [number, number];
  /** 1 / f (×): Infinity when f = 0, NaN when refused. */
  ceiling: number;
  /** The measured points with no more workers than cores. */
  points: SpeedupPoint[];
  /** Speedup (×) of the least-disturbed runs of each point: the fastest main-thread run / the fastest pool run. */
  best: SpeedupSample[];
  /** The largest (max − min) / min over the repeated runs of these points, pool and main thread (0.1 = 10 %). */
  spread: number;
  /** Why no f is fitted (a sentence without a final stop), absent when f is fitted. */
  refused?: string;
}

/** The speedups (×) of one point's paired runs: main-thread run r / pool run r, in run order. */
export function pairedSpeedups(sp: SpeedupResult, p: SpeedupPoint): number[] {
  checkResult(
    ChapterInputError,
    "the sp given to pairedSpeedups",
    sp,
    ["sequentialMs"],
    "pass what speedupExperiment(...) returned",
  );
  const pool = p.ms.runs?.length ? p.ms.runs : [p.ms.median];
  const base = p.baselineMs?.runs?.length ? p.baselineMs.runs : pool.map(() => sp.sequentialMs.median);
  return pool.map((ms, r) => (base[r] ?? base[base.length - 1]) / ms);
}

const spreadOf = (s: { min: number; max: number } | undefined) => (s && s.min > 0 ? (s.max - s.min) / s.min : 0);

/**
 * Amdahl's serial fraction f, or a refusal. Only points with no more workers than cores count (more workers than
 * cores take turns, which Amdahl's law does not describe). The fit is refused — f, range and ceiling are NaN and
 * `refused` says why — with one core; when the least-disturbed runs of N ≥ 2 workers were slower than the main
 * thread (S(N) < 1) or faster than N cores can be (S(N) > 1.05·N); and when the repeated runs spread by more than
 * `maxSpread` (default 10 %). Otherwise f is fitted (least squares) on the least-disturbed runs, and its range on the
 * fastest and on the slowest of the paired runs.
 */
export function amdahlFit(sp: SpeedupResult, maxSpread = AMDAHL_MAX_SPREAD): AmdahlFit {
  checkResult(
    ChapterInputError,
    "the sp given to amdahlFit",
    sp,
    ["cores", "sequentialMs"],
    "pass what speedupExperiment(...) returned",
  );
  const points = sp.points.filter((p) => p.workers <= Math.max(1, sp.cores));
  const baseMin = (p: SpeedupPoint) => p.baselineMs?.min ?? sp.sequentialMs.min;
  const best = points.map((p) => ({ workers: p.workers, speedup: baseMin(p) / p.ms.min }));
  const spread = Math.max(0, ...points.flatMap((p) => [spreadOf(p.ms), spreadOf(p.baselineMs ?? sp.sequentialMs)]));
  const refuse = (why: string): AmdahlFit => ({
    serialFraction: NaN,
    range: [NaN, NaN],
    ceiling: NaN,
    points,
    best,
    spread,
    refused: why,
  });
  const informative = best.filter((b) => b.workers >= 2);
  if (sp.cores < 2 || informative.length === 0) {
    return refuse("with one core no measurement ran two workers at the same instant, so there is nothing to fit");
  }
  const x = (s: number) => `${s.toFixed(2)}×`;
  const slow = informative.find((b) => b.speedup < 1);
  if (slow) {
    return refuse(
      `even the fastest runs of ${slow.workers} workers were slower than the main thread (${x(slow.speedup)}): ` +
        `the cores they needed were not free`,
    );
  }
  const fast = informative.find((b) => b.speedup > 1.05 * b.workers);
  if (fast) {
    return refuse(
      `${fast.workers} workers reached ${x(fast.speedup)}, more than ${fast.workers} cores can give: ` +
        "other programs slowed the main thread's runs",
    );
  }
  // Steady load from another program passes the checks above yet leaves fewer cores: a fit would call it serial work.
  const short = points.find((p) => p.workers >= 2 && p.coresUsed !== undefined && p.coresUsed < 0.9 * p.workers);
  if (short) {
    return refuse(
      `while ${short.workers} workers ran, this process got only ${short.coresUsed!.toFixed(2)} cores' worth of CPU ` +
        `time, not ${short.workers}: other programs (or idle workers) held the rest, so the runs measure the ` +
        "machine's load, not this batch's serial part",
    );
  }
  if (spread > maxSpread) {
    return refuse(
      `the repeated runs of the same batch differ by up to ${Math.round(spread * 100)} % ` +
        `(more than ${Math.round(maxSpread * 100)} %): other programs were taking turns on these cores`,
    );
  }
  const serialFraction = fitSerialFraction(best);
  const pairs = points.map((p) => pairedSpeedups(sp, p));
  const fitOn = (pick: (xs: number[]) => number) =>
    fitSerialFraction(points.map((p, i) => ({ workers: p.workers, speedup: pick(pairs[i]) })));
  const lo = Math.min(
    serialFraction,
    fitOn((xs) => Math.max(...xs)),
  );
  const hi = Math.max(
    serialFraction,
    fitOn((xs) => Math.min(...xs)),
  );
  const ceiling = serialFraction > 0 ? 1 / serialFraction : Infinity;
  return { serialFraction, range: [lo, hi], ceiling, points, best, spread };
}

/** "1.43 of 2 cores' worth of CPU time" while the largest pool (no more workers than cores) ran, or "". */
function coresSentence(fit: AmdahlFit): string {
  const top = fit.points[fit.points.length - 1];
  if (!top || top.workers < 2 || top.coresUsed === undefined) return "";
  const used = top.coresUsed;
  const busy = used < 0.9 * top.workers;
  return (
    ` While ${top.workers} workers ran, this process got **${used.toFixed(2)} cores' worth** of CPU time ` +
    `(CPU time / wall time)${busy ? `, not ${top.workers}: other programs or idle workers held the rest` : ""}. ` +
    "Load from other " +
    "programs is not serial work of this batch, and Amdahl's f does not measure it: it leaves fewer cores for " +
    "the batch."
  );
}

/** Section 3's reading: f in % with its range and the ceiling 1 / f, or why this run is too noisy to fit. */
export function amdahlReport(sp: SpeedupResult): string {
  checkResult(
    ChapterInputError,
    "the sp given to amdahlReport",
    sp,
    ["cores"],
    "pass what speedupExperiment(...) returned",
  );
  const fit = amdahlFit(sp);
  if (fit.refused) {
    if (sp.cores < 2) {
      return (
        "With one core there is nothing to fit: no measurement ran two workers at the same instant. On a machine " +
        "with more cores, the same cell fits the serial fraction."
      );
    }
    return (
      `**Too noisy to fit f on this run:** ${fit.refused}. A fit would state a ceiling that this batch does not ` +
      `have, so the chart draws no Amdahl curve.${coresSentence(fit)} Run the cell again when the machine is quieter.`
    );
  }
  const pct = (f: number) => `${(f * 100).toFixed(1)} %`;
  const top = fit.best[fit.best.length - 1];
  const onePoint = fit.best.filter((b) => b.workers >= 2).length === 1;
  const [lo, hi] = fit.range;
  const cap = (f: number) => (f > 0 ? `${(1 / f).toFixed(1)}×` : "no limit");
  const head =
    `Fitted on the least-disturbed runs (the fastest run of each kind): ${top.workers} workers reached ` +
    `**${top.speedup.toFixed(2)}×**, so the serial fraction is **f = ${pct(fit.serialFraction)}** (from ` +
    `${pct(lo)} to ${pct(hi)} over the fastest and the slowest paired runs).` +
    (onePoint ? ` With ${sp.cores} cores this rests on a single point, so f is only rough.` : "") +
    " f is the share of the batch that more workers did not shorten: sending tasks and results as messages, " +
    "starting the batch, waiting for the slowest worker.";
  const tail =
    fit.serialFraction === 0
      ? " Within the noise, the batch divided perfectly: the model then promises any speedup on more cores, " +
        "but every real batch keeps some serial part."
      : ` If f stayed this size, no number of cores could make this batch more than ` +
        `**1 / f = ${fit.ceiling.toFixed(1)}×** faster (from ${cap(hi)} to ${cap(lo)} over the range of f); the ` +
        "dashed curve is that model, not a measurement.";
  return head + tail + coresSentence(fit);
}
