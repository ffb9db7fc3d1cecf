/**
 * Parallel speedup, measured: one batch of equal CPU-bound tasks run sequentially on the main thread,
 * then on pools of 1..N workers; speedup and efficiency beside Amdahl's prediction.
 */
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { amdahlSpeedup } from "./amdahl";
import { checkInt, checkIntList, checkNumber, checkOptions, RealInputError, RealRunError } from "./errors";
import { WorkerPool } from "./pool";
import { type RealLimits, runBounded } from "./resources";
import { calibrateSpin, coreCount, spinTask } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** Options of `speedupExperiment`; every field has a default that finishes in a few seconds. */
export interface SpeedupOptions extends RealLimits {
  /** Tasks in the batch (default 16). */
  tasks?: number;
  /**
   * Approximate duration of one task on this thread, in ms (default 25); calibrated into iterations after a warm-up,
   * from the fastest of several timed probes.
   */
  taskMs?: number;
  /** Exact iterations per task (overrides taskMs). */
  iterations?: number;
  /** Worker counts to try (default 1..2×cores, at most 8). */
  workerCounts?: number[];
  /** Repeats per configuration (default 3). */
  repeats?: number;
  /** Parallel fraction p for Amdahl's prediction, 0..1 (default 0.98). */
  parallelFraction?: number;
}

/** One worker count: batch time in ms (median/min/max), speedup and efficiency against the sequential baseline. */
export interface SpeedupPoint {
  workers: number;
  ms: RunSummary;
  /** The main thread's batch, timed in alternation with this pool's runs (ms). */
  baselineMs?: RunSummary;
  /** Paired sequential median time / this median time (×). */
  speedup: number;
  /** Speedup / workers (0..1). */
  efficiency: number;
  /** Amdahl's predicted speedup (×) with serial fraction 1 − parallelFraction, for min(workers, cores) at once. */
  amdahl: number;
  /**
   * Cores' worth of CPU time the process got while the pool ran (its CPU time / wall time, median of the runs):
   * about `workers` on an idle machine, fewer when other programs take cores away.
   */
  coresUsed?: number;
}

/** Result of `speedupExperiment`: plain data for a chart or a test. */
export interface SpeedupResult {
  cores: number;
  tasks: number;
  iterations: number;
  parallelFraction: number;
  /** Sequential batch on the main thread, in ms (every paired run). */
  sequentialMs: RunSummary;
  points: SpeedupPoint[];
  /** The checksum of the batch; equal for every configuration (the work really happened). */
  checksum: number;
}

/** Runs the batch sequentially and with each worker count; returns times (ms), speedups (×) and Amdahl's curve. */
export async function speedupExperiment(options: SpeedupOptions = {}): Promise<SpeedupResult> {
  checkKnownOptions(RealInputError, "speedupExperiment's options", options, [
    "tasks",
    "taskMs",
    "iterations",
    "workerCounts",
    "repeats",
    "parallelFraction",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("speedupExperiment", options);
  const cores = coreCount();
  const tasks = checkInt("tasks", options.tasks ?? 16, 1, 10_000);
  const taskMs = checkNumber("taskMs", options.taskMs ?? 25, 0.01, 2_000, "pass a task duration in ms, e.g. 25");
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 50);
  const p = checkNumber("parallelFraction", options.parallelFraction ?? 0.98, 0, 1, "pass e.g. 0.95");
  const maxWorkers = Math.max(2, Math.min(8, 2 * cores));
  const counts = checkIntList(
    "workerCounts",
    options.workerCounts ?? range(1, maxWorkers),
    1,
    64,
    "pass worker counts from 1 to 64, e.g. [1, 2, 4]",
  );
  const iterations =
    options.iterations !== undefined ? checkInt("iterations", options.iterations, 0, 2e9) : calibrateTask(taskMs);
  const est = tasks * (iterations / 1e6) * (repeats * (1 + counts.length));
  return runBounded("speedupExperiment", options, Math.max(30_000, est * 6), async (res) => {
    // The main thread's batch is timed again beside every pool, in alternating order (pool first on odd repeats),
    // and each speedup is the ratio of the paired medians: other programs on this machine then slow both sides of
    // a ratio alike, instead of only the baseline or only one pool.
    // On the main thread, through runSync: the time limit and Kernel → Interrupt can stop it in the middle.
    const sequential = (): { ms: number; sum: number } =>
      res.runSync(() => {
        const t0 = performance.now();
        let sum = 0;
        for (let i = 0; i < tasks; i++) sum = (sum + spinTask(iterations, i + 1)) >>> 0;
        return { ms: performance.now() - t0, sum };
      });
    const checksum = sequential().sum; // also warms up the main thread's JIT
    const allSeq: number[] = [];
    const points: SpeedupPoint[] = [];
    for (const w of counts) {
      const pool = await WorkerPool.start(res, w);
      // warm up each worker's JIT with a short task so the timing measures steady-state work
      await Promise.all(range(1, w).map(() => pool.run({ kind: "spin", iterations: Math.min(iterations, 2e6) })));
      const runs: number[] = [];
      const seqRuns: number[] = [];
      const coreShares: number[] = [];
      const onPool = async () => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const out = await Promise.all(
          range(1, tasks).map((i) => pool.run<{ checksum: number }>({ kind: "spin", iterations, seed: i })),
        );
        const wall = performance.now() - t0;
        const cpu = process.cpuUsage(c0);
        runs.push(wall);
        coreShares.push((cpu.user + cpu.system) / 1000 / wall);
        const sum = out.reduce((s, o) => (s + o.checksum) >>> 0, 0);
        if (sum !== checksum) {
          throw new RealRunError(
            `The workers' checksum ${sum} differs from the main thread's ${checksum}: they did not compute the same ` +
              "tasks. Run it again; if it keeps differing, lib/real/workers/job.js has a bug: please report it.",
          );
        }
      };
      for (let r = 0; r < repeats; r++) {
        if (r % 2 === 1) await onPool();
        seqRuns.push(sequential().ms);
        await new Promise((r2) => setImmediate(r2)); // let timers (the time limit) run between runs
        if (r % 2 === 0) await onPool();
      }
      await pool.close();
      allSeq.push(...seqRuns);
      const ms = summarizeRuns(runs);
      const baselineMs = summarizeRuns(seqRuns);
      const speedup = baselineMs.median / ms.median;
      points.push({
        workers: w,
        ms,
        baselineMs,
        speedup,
        efficiency: speedup / w,
        amdahl: amdahlSpeedup(1 - p, Math.min(w, cores)),
        coresUsed: summarizeRuns(coreShares).median,
      });
    }
    const sequentialMs = summarizeRuns(allSeq);
    return { cores, tasks, iterations, parallelFraction: p, sequentialMs, points, checksum };
  });
}

/**
 * Iterations of `spinTask` for a task of about `ms` on this thread when it has a core to itself: a first estimate
 * (calibrateSpin, after its warm-up), then two rounds of five timed probes, each round rescaled by the fastest probe
 * (the least disturbed: other programs can only slow a probe down). On a loaded machine the tasks then take longer
 * than `ms`, never shorter.
 */
export function calibrateTask(ms: number): number {
  const probeMs = Math.min(ms, 20); // probes of at most 20 ms: calibrating stays short for long tasks
  let probe = calibrateSpin(probeMs);
  for (let round = 0; round < 2; round++) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      spinTask(probe, i + 1);
      times.push(performance.now() - t0);
    }
    probe = Math.max(1000, Math.round((probe * probeMs) / Math.max(summarizeRuns(times).min, 0.001)));
  }
  return Math.max(1000, Math.round((probe * ms) / probeMs));
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
