/**
 * Chapter 03's real experiment with child processes: the same CPU batch run on the main thread and as separate
 * Node processes, a few at a time. Every process is tracked and killed on timeout (lib/real's runBounded).
 */
import {
  calibrateSpin,
  checkInt,
  checkIntList,
  checkNumber,
  checkOptions,
  coreCount,
  processOnce,
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
      const iterations = calibrateSpin(taskMs);
      const t0 = performance.now();
      for (let i = 0; i < tasks; i++) spinTask(iterations, i + 1);
      const sequentialMs = performance.now() - t0;
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
