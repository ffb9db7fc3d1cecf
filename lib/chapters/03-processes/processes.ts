/**
 * Chapter 03's real experiment with child processes: the same CPU batch run on the main thread and as separate
 * Node processes, a few at a time. Every process is tracked and killed on timeout (lib/real's runBounded).
 */

import { ChapterInputError } from "../../errors";
import { checkExperimentOptions as checkKnownOptions, checkResult } from "../../errors/validate";
import { type Figure, formatDurationMs, predictedVsMeasuredFigure } from "../../plot/index";
import {
  calibrateTask,
  checkInt,
  checkIntList,
  checkNumber,
  checkOptions,
  coreCount,
  type OverheadMethod,
  type OverheadResult,
  processOnce,
  RealInputError,
  type RealLimits,
  runBounded,
  spinTask,
} from "../../real/index";

/** Options of `processBatchExperiment` (small defaults: about one second in all). */
export interface ProcessBatchOptions extends RealLimits {
  /** CPU tasks in the batch (default 4). */
  tasks?: number;
  /** Work per task on this thread, in ms (default 40). */
  taskMs?: number;
  /** How many processes may run at once, one batch per entry (default [1, 2]). */
  concurrency?: number[];
}

/** One batch: processes at once, and the batch time in ms. */
export interface ProcessBatchRow {
  concurrency: number;
  ms: number;
}

/** Result: the main-thread time of the batch (ms), the process batches, and the cores of this machine. */
export interface ProcessBatchResult {
  cores: number;
  tasks: number;
  taskMs: number;
  sequentialMs: number;
  rows: ProcessBatchRow[];
}

/** Runs the batch on the main thread, then as one child process per task with each concurrency limit; times in ms. */
export async function processBatchExperiment(options: ProcessBatchOptions = {}): Promise<ProcessBatchResult> {
  checkKnownOptions(RealInputError, "processBatchExperiment's options", options, [
    "tasks",
    "taskMs",
    "concurrency",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("processBatchExperiment", options);
  const tasks = checkInt("tasks", options.tasks ?? 4, 1, 32);
  const taskMs = checkNumber("taskMs", options.taskMs ?? 40, 1, 1000, "pass the work per task in ms, e.g. 40");
  const concurrency = checkIntList(
    "concurrency",
    options.concurrency ?? [1, 2],
    1,
    16,
    "pass how many processes may run at once, e.g. [1, 2]",
  );
  return runBounded(
    "processBatchExperiment",
    options,
    30_000 + tasks * taskMs * (concurrency.length + 1) * 3,
    async (res) => {
      const iterations = calibrateTask(taskMs);
      // through runSync: the time limit and Kernel → Interrupt can stop the main thread's batch in the middle
      const sequentialMs = res.runSync(() => {
        const t0 = performance.now();
        for (let i = 0; i < tasks; i++) spinTask(iterations, i + 1);
        return performance.now() - t0;
      });
      const rows: ProcessBatchRow[] = [];
      for (const limit of concurrency) {
        const start = performance.now();
        let next = 0;
        const lane = async () => {
          while (next < tasks) {
            next++;
            await processOnce(res, iterations);
          }
        };
        await Promise.all(Array.from({ length: Math.min(limit, tasks) }, lane));
        rows.push({ concurrency: limit, ms: performance.now() - start });
      }
      return { cores: coreCount(), tasks, taskMs, sequentialMs, rows };
    },
  );
}

/**
 * Forecast vs measurement rows (ms) for a chart: the main thread, then each concurrency with start-up `startMs` per
 * process.
 */
export function processForecastRows(
  r: ProcessBatchResult,
  startMs: number,
): { label: string; predicted: number; measured: number }[] {
  checkResult(
    ChapterInputError,
    "the r given to processForecastRows",
    r,
    ["cores", "tasks"],
    "pass what processBatchExperiment(...) returned",
  );
  const workMs = r.sequentialMs / r.tasks;
  return [
    { label: "main thread", predicted: r.sequentialMs, measured: r.sequentialMs },
    ...r.rows.map((row) => ({
      label: `${row.concurrency} process${row.concurrency > 1 ? "es" : ""} at a time`,
      predicted: Math.ceil(r.tasks / Math.min(row.concurrency, r.cores)) * (startMs + workMs),
      measured: row.ms,
    })),
  ];
}

/**
 * The forecast rows as grouped bars (ms): the grey bar is the formula of `processForecastRows` — start-up + work per
 * process, in rounds of the processes at a time — not a simulation, and is labelled so.
 */
export function processForecastFigure(r: ProcessBatchResult, startMs: number): Figure {
  checkResult(
    ChapterInputError,
    "the r given to processForecastFigure",
    r,
    ["tasks", "taskMs"],
    "pass what processBatchExperiment(...) returned",
  );
  const fig = predictedVsMeasuredFigure(
    processForecastRows(r, startMs),
    `${r.tasks} tasks of ${r.taskMs} ms as child processes (forecast: start-up ${startMs.toFixed(0)} ms + work, ` +
      "per process)",
    "batch time (ms)",
  );
  const names = ["forecast: start-up + work (a formula)", "measured on this machine"];
  return { ...fig, data: fig.data.map((d, i) => ({ ...d, name: names[i] ?? d.name })) };
}

/**
 * Section 3's sentence on the child processes: each measured batch against its forecast (ms, and the ratio), and,
 * when a forecast misses by more than 25 %, what the formula leaves out.
 */
export function processForecastReport(r: ProcessBatchResult, startMs: number): string {
  checkResult(
    ChapterInputError,
    "the r given to processForecastReport",
    r,
    ["cores", "tasks"],
    "pass what processBatchExperiment(...) returned",
  );
  const rows = processForecastRows(r, startMs).slice(1);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const parts = rows.map((row) => {
    const ratio = row.measured / row.predicted;
    return `${row.label}: forecast ${ms(row.predicted)}, measured **${ms(row.measured)}** (${ratio.toFixed(2)}×)`;
  });
  let text =
    `The forecast is a formula, not a simulation: start-up (${ms(startMs)}, measured in section 4's way) plus ` +
    `${ms(r.sequentialMs / r.tasks)} of work per process, in rounds of the processes at a time on ` +
    `${r.cores} core${r.cores > 1 ? "s" : ""}. ${parts.join("; ")}.`;
  const slow = rows.some((row) => row.measured > 1.25 * row.predicted);
  const fast = rows.some((row) => row.measured < 0.75 * row.predicted);
  if (slow) {
    text +=
      " Where the measurement is slower than the forecast, look at what the formula leaves out: each child's JIT " +
      "starts cold, so its work runs slower at first than on the warmed-up main thread; processes started " +
      "together compete for the cores with each other's start-up and with every other program on this machine; " +
      "and the parent spends time of its own spawning children and reading their pipes.";
  }
  if (fast) {
    text +=
      " Where the measurement is faster than the forecast, the start-up cost the formula uses is off: it was " +
      "measured a moment earlier, in other runs, and on a busy machine one such measurement varies a lot.";
  }
  if (!slow && !fast) text += " Every measurement is within 25 % of its forecast.";
  const one = r.rows.find((row) => row.concurrency === 1);
  const most = r.rows[r.rows.length - 1];
  if (one && most !== one && most.concurrency > 1 && r.cores > 1 && most.ms >= 0.9 * one.ms) {
    text +=
      ` ${most.concurrency} at a time was hardly faster than one at a time: the second core was not free for ` +
      "them while they ran (run the cell again on a quieter machine).";
  }
  return text;
}

/**
 * What starting a task costs beyond the task itself (ms), from `creationOverhead`: the method's time per task minus
 * the plain call's (median of the paired repeats). For "call" it is the time of the task itself.
 */
export function startCostMs(over: OverheadResult, method: OverheadMethod): number {
  checkResult(
    ChapterInputError,
    "the over given to startCostMs",
    over,
    ["rows"],
    "pass what creationOverhead(...) returned",
  );
  const row = over.rows.find((r) => r.method === method);
  if (!row) {
    throw new RealInputError(
      `No "${method}" row in this creationOverhead result: measure it (tasks.${method} > 0) or ask for ` +
        `one of ${over.rows.map((r) => JSON.stringify(r.method)).join(", ")}`,
    );
  }
  return method === "call" ? row.perTaskMs.median : (row.extraMs?.median ?? row.perTaskMs.median);
}

/** Section 4's sentence: the task itself, an empty call, and what each other way adds (computed, with units). */
export function overheadReport(over: OverheadResult): string {
  checkResult(
    ChapterInputError,
    "the over given to overheadReport",
    over,
    ["iterations", "rows"],
    "pass what creationOverhead(...) returned",
  );
  const f = formatDurationMs;
  const parts: string[] = [];
  const has = (m: OverheadMethod) => over.rows.some((r) => r.method === m);
  if (has("call"))
    parts.push(`The task itself (${over.iterations} iterations of work): **${f(startCostMs(over, "call"))}**`);
  if (over.emptyCallMs) parts.push(`an empty call: **${f(over.emptyCallMs.median)}** — a call costs nanoseconds`);
  const names: [OverheadMethod, string][] = [
    ["promise", "a promise per task"],
    ["pool", "a job on an existing worker pool"],
    ["worker", "a new worker"],
    ["process", "a new process"],
  ];
  const extras = names
    .filter(([m]) => has(m))
    .map(([m, name]) => {
      const x = startCostMs(over, m);
      return x > 0 ? `${name} adds **${f(x)}**` : `${name} adds nothing measurable (below the noise)`;
    });
  return `${parts.join("; ")}. Beyond the task: ${extras.join(", ")}.`;
}
