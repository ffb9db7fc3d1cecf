/**
 * "Creating and destroying threads costs time", measured: the same small task run as a plain call,
 * a promise per task, a job on a reused worker pool, a new worker per task, and a new process per task.
 */
import { checkInt, checkOptions, RealRunError } from "./errors";
import { WorkerPool } from "./pool";
import { type RealLimits, type RealResources, runBounded } from "./resources";
import { realWorkerFile, spinTask } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** How a task is started, cheapest first. */
export type OverheadMethod = "call" | "promise" | "pool" | "worker" | "process";

/** Options of `creationOverhead`; the defaults finish in about two seconds. */
export interface OverheadOptions extends RealLimits {
  /** Iterations of the CPU task in every method (default 1000, about a microsecond). */
  iterations?: number;
  /** Tasks per repeat for each method (defaults: call 10000, promise 10000, pool 300, worker 8, process 4). */
  tasks?: Partial<Record<OverheadMethod, number>>;
  /** Repeats per method (default 3). */
  repeats?: number;
}

/** One method: tasks per repeat and time per task in ms (median/min/max over repeats). */
export interface OverheadRow {
  method: OverheadMethod;
  tasks: number;
  perTaskMs: RunSummary;
}

/** Result of `creationOverhead`. */
export interface OverheadResult {
  iterations: number;
  rows: OverheadRow[];
}

const DEFAULT_TASKS: Record<OverheadMethod, number> = { call: 10000, promise: 10000, pool: 300, worker: 8, process: 4 };
const METHODS: OverheadMethod[] = ["call", "promise", "pool", "worker", "process"];

/** Measures the time per task (ms) of each way to start work: call, promise, pool job, new worker, new process. */
export async function creationOverhead(options: OverheadOptions = {}): Promise<OverheadResult> {
  checkOptions("creationOverhead", options);
  const iterations = checkInt("iterations", options.iterations ?? 1000, 0, 1e8);
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20);
  const tasks = { ...DEFAULT_TASKS };
  for (const m of METHODS) {
    const v = options.tasks?.[m];
    if (v !== undefined) tasks[m] = checkInt(`tasks.${m}`, v, 0, m === "worker" || m === "process" ? 200 : 1_000_000);
  }
  return runBounded("creationOverhead", options, 30_000, async (res) => {
    const rows: OverheadRow[] = [];
    const pool = tasks.pool > 0 ? await WorkerPool.start(res, 1) : null;
    for (const method of METHODS) {
      const n = tasks[method];
      if (n === 0) continue;
      const runs: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        await runMany(res, method, n, iterations, pool);
        runs.push((performance.now() - t0) / n);
      }
      rows.push({ method, tasks: n, perTaskMs: summarizeRuns(runs) });
    }
    return { iterations, rows };
  });
}

async function runMany(
  res: RealResources,
  method: OverheadMethod,
  n: number,
  iterations: number,
  pool: WorkerPool | null,
): Promise<void> {
  switch (method) {
    case "call":
      for (let i = 0; i < n; i++) spinTask(iterations, i + 1);
      return;
    case "promise":
      for (let i = 0; i < n; i++) await Promise.resolve(i + 1).then((s) => spinTask(iterations, s));
      return;
    case "pool":
      for (let i = 0; i < n; i++) await pool!.run({ kind: "spin", iterations, seed: i + 1 });
      return;
    case "worker":
      for (let i = 0; i < n; i++) await workerOnce(res, iterations, i + 1);
      return;
    case "process":
      for (let i = 0; i < n; i++) await processOnce(res, iterations);
      return;
  }
}

const RETRY = "run the experiment again with fewer tasks, and close other busy programs";

// A worker created for one task, then terminated: creation + start-up + message + teardown.
async function workerOnce(res: RealResources, iterations: number, seed: number): Promise<void> {
  const w = res.worker(realWorkerFile("job.js"));
  try {
    await new Promise<void>((resolve, reject) => {
      const failed = (why: string) => reject(new RealRunError(`A new worker ${why}: ${RETRY}`));
      w.once("message", (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : failed(`failed (${m.error})`)));
      w.once("error", (e: Error) => failed(`crashed (${e.message})`));
      w.once("exit", () => failed("exited before answering"));
      w.postMessage({ id: 1, kind: "spin", iterations, seed });
    });
  } finally {
    await w.terminate();
  }
}

/** Run one CPU task of `iterations` in a new node child process (tracked by `res`); resolves when it exits cleanly. */
export function processOnce(res: RealResources, iterations: number): Promise<void> {
  const c = res.child(process.execPath, [realWorkerFile("child.js"), String(iterations)], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise<void>((resolve, reject) => {
    let out = "";
    c.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const failed = (why: string) => reject(new RealRunError(`A child process ${why}: ${RETRY}`));
    c.once("error", (e: Error) => failed(`could not start (${e.message})`));
    c.once("exit", (code) => (code === 0 && out.trim() !== "" ? resolve() : failed(`exited with code ${code}`)));
  });
}
