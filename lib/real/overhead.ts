/**
 * "Creating and destroying threads costs time", measured: the same small task run as a plain call,
 * a promise per task, a job on a reused worker pool, a new worker per task, and a new process per task.
 *
 * The plain call times the task itself (its `iterations` of work), not the cost of a call: the cost of starting
 * a task another way is that way's time per task minus the plain call's, paired repeat by repeat (`extraMs`).
 * An empty call (no work) is timed too, as the no-work baseline. Every method is warmed up first (the JIT
 * compiles the hot paths) and the methods run in alternating order (forward, then backward), so that neither
 * warm-up nor the order of measurement favours one of them.
 */
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkOptions, RealInputError, RealRunError } from "./errors";
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
  /** Time per task, the task's own work included (ms). */
  perTaskMs: RunSummary;
  /**
   * Time per task beyond the task itself (ms): this method's time minus the plain call's, in the same repeat.
   * Absent for the plain call itself, and when the plain call was not measured. Can be ≤ 0 within the noise.
   */
  extraMs?: RunSummary;
}

/** Result of `creationOverhead`. */
export interface OverheadResult {
  iterations: number;
  rows: OverheadRow[];
  /** The no-work baseline: time per call of the same function with 0 iterations (ms), when calls were measured. */
  emptyCallMs?: RunSummary;
}

const DEFAULT_TASKS: Record<OverheadMethod, number> = { call: 10000, promise: 10000, pool: 300, worker: 8, process: 4 };
const METHODS: OverheadMethod[] = ["call", "promise", "pool", "worker", "process"];

/** Measures the time per task (ms) of each way to start work: call, promise, pool job, new worker, new process. */
export async function creationOverhead(options: OverheadOptions = {}): Promise<OverheadResult> {
  checkKnownOptions(RealInputError, "creationOverhead's options", options, [
    "iterations",
    "tasks",
    "repeats",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("creationOverhead", options);
  const iterations = checkInt("iterations", options.iterations ?? 1000, 0, 1e8);
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20);
  const tasks = { ...DEFAULT_TASKS };
  for (const m of METHODS) {
    const v = options.tasks?.[m];
    if (v !== undefined) tasks[m] = checkInt(`tasks.${m}`, v, 0, m === "worker" || m === "process" ? 200 : 1_000_000);
  }
  return runBounded("creationOverhead", options, 30_000, async (res) => {
    const pool = tasks.pool > 0 ? await WorkerPool.start(res, 1) : null;
    const order = METHODS.filter((m) => tasks[m] > 0);
    // Warm-up: every method once on a few tasks, so that no method pays the JIT's or the OS's first-time costs.
    for (const m of order) await runMany(res, m, warmupTasks(m, tasks[m]), iterations, pool);
    if (tasks.call > 0) await runMany(res, "call", warmupTasks("call", tasks.call), 0, pool);
    const times: Record<OverheadMethod, number[]> = { call: [], promise: [], pool: [], worker: [], process: [] };
    const empty: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const seq = r % 2 === 0 ? order : order.slice().reverse();
      for (const method of seq) {
        const n = tasks[method];
        times[method].push((await runMany(res, method, n, iterations, pool)) / n);
        if (method === "call") empty.push((await runMany(res, "call", n, 0, pool)) / n);
        await new Promise((done) => setImmediate(done)); // let timers (the time limit) run between methods
      }
    }
    const rows: OverheadRow[] = order.map((method) => {
      const row: OverheadRow = { method, tasks: tasks[method], perTaskMs: summarizeRuns(times[method]) };
      if (method !== "call" && tasks.call > 0)
        row.extraMs = summarizeRuns(times[method].map((t, i) => t - times.call[i]));
      return row;
    });
    return tasks.call > 0 ? { iterations, rows, emptyCallMs: summarizeRuns(empty) } : { iterations, rows };
  });
}

function warmupTasks(method: OverheadMethod, n: number): number {
  return method === "worker" || method === "process" ? 1 : Math.min(n, 500);
}

/**
 * Runs `n` tasks of `method` one after another; returns the time they took (ms). Every loop looks at the time limit
 * (`res.check`): the plain calls run through `res.runSync` (timed inside it, so its start-up cost is not counted),
 * the promise chain gives the event loop a turn every 20 ms (`res.breathe`), so Kernel → Interrupt can stop both.
 */
async function runMany(
  res: RealResources,
  method: OverheadMethod,
  n: number,
  iterations: number,
  pool: WorkerPool | null,
): Promise<number> {
  if (method === "call") {
    return res.runSync(() => {
      const t0 = performance.now();
      let sum = 0; // used below, so the JIT cannot drop the calls
      for (let i = 0; i < n; i++) sum = (sum + spinTask(iterations, i + 1)) >>> 0;
      if (sum === 0.5) throw new RealRunError("unreachable");
      return performance.now() - t0;
    });
  }
  const t0 = performance.now();
  const lookEvery = Math.max(1, Math.floor(1e6 / (iterations + 1000))); // about one look per millisecond of work
  for (let i = 0; i < n; i++) {
    if (method === "promise") {
      await Promise.resolve(i + 1).then((s) => spinTask(iterations, s));
      if (i % lookEvery === 0) await res.breathe();
    } else {
      res.check();
      if (method === "pool") await pool!.run({ kind: "spin", iterations, seed: i + 1 });
      else if (method === "worker") await workerOnce(res, iterations, i + 1);
      else await processOnce(res, iterations);
    }
  }
  return performance.now() - t0;
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

/**
 * Run one CPU task of `iterations` in a new node child process (tracked by `res`); resolves when it exits cleanly.
 * The child stops by itself at the experiment's time limit (and when this process is gone).
 */
export function processOnce(res: RealResources, iterations: number): Promise<void> {
  const args = [realWorkerFile("child.js"), String(iterations)];
  const stopAt = res.stopAtEpochMs();
  if (Number.isFinite(stopAt)) args.push(String(stopAt));
  const c = res.child(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  return new Promise<void>((resolve, reject) => {
    let out = "";
    c.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const failed = (why: string) => reject(new RealRunError(`A child process ${why}: ${RETRY}`));
    c.once("error", (e: Error) => failed(`could not start (${e.message})`));
    c.once("exit", (code) => (code === 0 && out.trim() !== "" ? resolve() : failed(`exited with code ${code}`)));
  });
}
