/**
 * Chapter 03's real experiment with child processes: the same CPU batch run on the main thread and as separate
 * Node processes, a few at a time. Every process is tracked and killed on timeout (lib/real's runBounded).
 */

import { formatDurationMs } from "../../plot/index";
import {
  calibrateSpin,
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

/**
 * What starting a task costs beyond the task itself (ms), from `creationOverhead`: the method's time per task minus
 * the plain call's (median of the paired repeats). For "call" it is the time of the task itself.
 */
export function startCostMs(over: OverheadResult, method: OverheadMethod): number {
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
