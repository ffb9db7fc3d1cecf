/**
 * Chapter 03, "Processes, threads, coroutines": the same batch under four execution models on lib/sched, the cost of
 * starting a worker per task, and the speedup a pool of workers should reach. Times in ticks (read as ms).
 */
import { runSchedule } from "../sched/index";
import { SchedInputError } from "../sched/index";
import type { SchedResult, SchedTask } from "../sched/index";
import { oneAtATime } from "./02-waiting";
import { escapeHtml, type Figure, lineFigure, seriesColor, withLayout } from "../plot/index";
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
  type SpeedupResult,
  spinTask,
} from "../real/index";

/** The execution models compared in chapter 03, with their Python and JavaScript names. */
export const EXECUTION_MODELS = [
  { model: "one thread, one after another", python: "a plain loop", javascript: "a plain loop (await each task in turn)" },
  { model: "one thread, async", python: "asyncio (coroutines)", javascript: "Promises + async/await on the main thread" },
  { model: "threads with a GIL", python: "threading (CPython with the GIL)", javascript: "— (no GIL: JS threads do not share one interpreter)" },
  { model: "processes / workers", python: "multiprocessing", javascript: "worker_threads or child_process" },
] as const;
export type ExecutionModel = (typeof EXECUTION_MODELS)[number]["model"];

/** A batch of `n` equal tasks: `cpu` ticks of computing, or cpu/2 → io → cpu/2 when `io` > 0. Named T1..Tn. */
export function equalBatch(n: number, cpu: number, io = 0): SchedTask[] {
  if (!Number.isInteger(n) || n < 1) throw new SchedInputError(`Expected the number of tasks to be a whole number ≥ 1, got ${String(n)}.`);
  if (!(cpu > 0)) throw new SchedInputError(`Expected the CPU work per task to be > 0 ticks, got ${String(cpu)}.`);
  return Array.from({ length: n }, (_, i) => ({
    name: `T${i + 1}`, arrival: 0, priority: 0,
    segments: io > 0 ? [{ kind: "cpu", duration: cpu / 2 }, { kind: "io", duration: io, device: "io" }, { kind: "cpu", duration: cpu / 2 }] : [{ kind: "cpu", duration: cpu }],
  }));
}

/** Options of `runModel`: the machine's cores, the OS time slice for threads (ticks), a start-up cost per task (ticks). */
export interface ModelOptions {
  cores?: number;
  quantum?: number;
  /** Ticks each thread / worker spends starting before its work (default 0). */
  startCost?: number;
}

/** Run the batch under one execution model. Threads and processes are time-sliced by an OS-like round robin. */
export function runModel(model: ExecutionModel, tasks: SchedTask[], opts: ModelOptions = {}): SchedResult {
  const cores = opts.cores ?? 2;
  const quantum = opts.quantum ?? 1;
  const start = opts.startCost ?? 0;
  const withStart = (ts: SchedTask[]) => (start > 0 ? ts.map((t) => ({ ...t, segments: [{ kind: "cpu" as const, duration: start }, ...t.segments] })) : ts);
  switch (model) {
    case "one thread, one after another":
      return runSchedule({ policy: "FIFO", tasks: oneAtATime(tasks), machine: { cores: 1 } });
    case "one thread, async":
      return runSchedule({ policy: "COOPERATIVE", tasks, machine: { cores: 1 } });
    case "threads with a GIL":
      return runSchedule({ policy: "RR", quantum, tasks: withStart(tasks), machine: { cores, gil: true } });
    case "processes / workers":
      return runSchedule({ policy: "RR", quantum, tasks: withStart(tasks), machine: { cores } });
  }
  throw new SchedInputError(`Unknown model ${JSON.stringify(model)}: use one of ${EXECUTION_MODELS.map((m) => JSON.stringify(m.model)).join(", ")}.`);
}

/** Every model on the same batch: makespan (ticks) and speedup over one thread one after another (×). */
export function compareModels(tasks: SchedTask[], opts: ModelOptions = {}): { model: ExecutionModel; makespan: number; speedup: number; result: SchedResult }[] {
  const rows = EXECUTION_MODELS.map((m) => ({ model: m.model, result: runModel(m.model, tasks, opts) }));
  const base = rows[0].result.makespan;
  return rows.map((r) => ({ model: r.model, makespan: r.result.makespan, speedup: base / r.result.makespan, result: r.result }));
}

/**
 * The simulation's forecast for a pool of `workers` workers running `tasks` equal CPU tasks of `taskMs` on `cores`
 * cores (jobs dealt out in turn; the OS time-slices workers when they outnumber cores). Returns the batch time (ms).
 */
export function predictPoolMs(tasks: number, taskMs: number, workers: number, cores: number, gil = false): number {
  const share = Array.from({ length: workers }, (_, w) => Math.floor(tasks / workers) + (w < tasks % workers ? 1 : 0)).filter((k) => k > 0);
  const ts: SchedTask[] = share.map((k, w) => ({ name: `worker ${w + 1}`, arrival: 0, priority: 0, segments: [{ kind: "cpu", duration: k * taskMs }] }));
  return runSchedule({ policy: "RR", quantum: taskMs / 4, tasks: ts, machine: { cores, gil } }).makespan;
}

/** Batch time (ms) for three ways to run `tasks` CPU tasks of `workMs` on `cores` cores, given a start cost per worker. */
export interface CreationCosts {
  workMs: number;
  sequential: number;
  /** A new worker per task (start cost paid every time), up to `cores` at once. */
  workerPerTask: number;
  /** A pool of `cores` workers started once, then `dispatchMs` per job. */
  pool: number;
}

/** The creation-overhead model: time (ms) of the batch run sequentially, with a worker per task, and with a pool. */
export function creationCosts(o: { tasks: number; workMs: number; startMs: number; cores: number; dispatchMs?: number }): CreationCosts {
  const rounds = Math.ceil(o.tasks / o.cores);
  return {
    workMs: o.workMs,
    sequential: o.tasks * o.workMs,
    workerPerTask: rounds * (o.startMs + o.workMs),
    pool: o.startMs + rounds * (o.workMs + (o.dispatchMs ?? 0)),
  };
}

/** Smallest work per task (ms) from which a new worker per task is no slower than doing the tasks sequentially (Infinity = never). */
export function breakEvenWorkMs(o: { tasks: number; startMs: number; cores: number }): number {
  const k = Math.ceil(o.tasks / o.cores);
  if (o.tasks <= k) return Infinity;
  return (o.startMs * k) / (o.tasks - k);
}

/** A sentence comparing the best measured speedup (×) with the cores' cap, for the chapter's prose. */
export function speedupVerdict(best: number, cores: number): string {
  const cap = Math.max(1, cores);
  if (cap === 1) return "With one core there is nothing to gain: workers only add messages and start-up.";
  const ratio = best / cap;
  if (ratio >= 0.8) return `That is ${Math.round(ratio * 100)} % of the ${cap}× the cores allow: close to the forecast; messages and the rest of the machine take the remainder.`;
  return `That is only ${Math.round(ratio * 100)} % of the ${cap}× the cores allow: other programs are using this machine's cores right now (run the cell again on a quieter machine), and messages and start-up cost time.`;
}

/** A sentence comparing a start-up cost with the work of one task (both ms). */
export function startVsWork(startMs: number, workMs: number): string {
  return startMs > workMs
    ? `more than the ${workMs} ms of work in each task, so every process spends most of its life starting`
    : `less than the ${workMs} ms of work in each task, so the second core can pay for it`;
}

/** The model(s) with the smallest makespan on the batch (ties all listed). */
export function fastestModels(tasks: SchedTask[], opts: ModelOptions = {}): ExecutionModel[] {
  const rows = compareModels(tasks, opts);
  const best = Math.min(...rows.map((r) => r.makespan));
  return rows.filter((r) => r.makespan === best).map((r) => r.model);
}

/** Exercise predicate: `answer` lists exactly the fastest model(s) on the batch (any order); else a reason. */
export function namesFastestModels(answer: unknown, tasks: SchedTask[], opts: ModelOptions = {}): true | string {
  if (!Array.isArray(answer)) return `Answer with an array of model names, e.g. ["one thread, async"].`;
  const known = EXECUTION_MODELS.map((m) => m.model as string);
  const unknown = answer.filter((a) => !known.includes(a));
  if (unknown.length) return `${JSON.stringify(unknown[0])} is not a model name: use ${known.map((k) => JSON.stringify(k)).join(", ")}.`;
  const fastest = fastestModels(tasks, opts);
  const same = answer.length === fastest.length && fastest.every((m) => answer.includes(m));
  return same || `Not quite: compare the "ticks" column of the IO-bound table.`;
}

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
  const concurrency = checkIntList("concurrency", options.concurrency ?? [1, 2], 1, 16, "pass how many processes may run at once, e.g. [1, 2]");
  return runBounded("processBatchExperiment", options, 30_000 + tasks * taskMs * (concurrency.length + 1) * 3, async (res) => {
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
  });
}

/** Forecast vs measurement rows (ms) for a chart: the main thread, then each concurrency with start-up `startMs` per process. */
export function processForecastRows(r: ProcessBatchResult, startMs: number): { label: string; predicted: number; measured: number }[] {
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
 * Seed 001's nesting as SVG: a computer holds cores and processes; a process holds threads (sharing its memory);
 * a thread runs coroutines (async functions) one at a time. Labelled with the JavaScript names. 900 px wide.
 */
export function executionNestingSvg(title = "Process ⊃ thread ⊃ coroutine, in Node.js terms"): string {
  const box = (x: number, y: number, w: number, h: number, fill: string, stroke: string, label: string, sub = "") =>
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10" fill="${fill}" stroke="${stroke}" stroke-width="2"/>` +
    `<text x="${x + 12}" y="${y + 22}" font-size="15" font-weight="600" fill="${stroke}">${escapeHtml(label)}</text>` +
    (sub ? `<text x="${x + 12}" y="${y + 40}" font-size="12" fill="#555">${escapeHtml(sub)}</text>` : "");
  const coro = (x: number, y: number, label: string, color: string) =>
    `<rect x="${x}" y="${y}" width="104" height="30" rx="15" fill="white" stroke="${color}" stroke-width="2"/>` +
    `<text x="${x + 52}" y="${y + 20}" font-size="12" text-anchor="middle">${escapeHtml(label)}</text>`;
  const thread = (x: number, y: number, w: number, label: string, sub: string, coros: string[]) =>
    box(x, y, w, 110, "#fff8e6", "#B07700", label, sub) + coros.map((c, i) => coro(x + 12 + i * 116, y + 62, c, seriesColor(i))).join("");
  const h = 470;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 ${h}" width="900" height="${h}" role="img" aria-label="${escapeHtml(title)}" style="max-width:100%;height:auto;font-family:system-ui,sans-serif">` +
    `<rect width="900" height="${h}" fill="white"/>` +
    `<text x="20" y="30" font-size="18" font-weight="600">${escapeHtml(title)}</text>` +
    box(20, 45, 860, 410, "#f6f6f6", "#555", "The computer: a CPU with cores — any thread of any process may run on any core") +
    box(40, 100, 530, 340, "#eaf3fb", "#0072B2", "Process 1: node (its own memory)", "threads of one process share its memory (SharedArrayBuffer)") +
    thread(60, 155, 490, "main thread: one event loop", "async functions take turns at each await — coroutines", ["async fn 1", "async fn 2", "async fn 3", "async fn 4"]) +
    thread(60, 310, 490, "worker_threads Worker: its own loop", "its own isolate: no shared variables, messages", ["async fn 5", "async fn 6"]) +
    box(590, 100, 270, 190, "#e6f5ef", "#00785a", "Process 2: child_process", "separate memory; talks by pipes") +
    thread(605, 155, 240, "its main thread", "its own event loop", ["async fn 7"]) +
    `<text x="600" y="325" font-size="14" font-weight="600" fill="#333">Python → Node.js</text>` +
    `<text x="600" y="350" font-size="13" fill="#333">multiprocessing → child_process</text>` +
    `<text x="600" y="372" font-size="13" fill="#333">   (or worker_threads for CPU work)</text>` +
    `<text x="600" y="397" font-size="13" fill="#333">threading → worker_threads</text>` +
    `<text x="600" y="422" font-size="13" fill="#333">asyncio → async/await, Promises</text>` +
    `</svg>`
  );
}

/** Measured speedup of a worker pool (lib/real speedupExperiment) over the simulation's forecasts without and with a GIL. */
export function speedupForecastFigure(sp: SpeedupResult): Figure {
  const taskMs = sp.sequentialMs.median / sp.tasks;
  const w = sp.points.map((p) => p.workers);
  const forecast = (gil: boolean) => w.map((n) => (sp.tasks * taskMs) / predictPoolMs(sp.tasks, taskMs, n, sp.cores, gil));
  return lineFigure([
    { name: "measured: worker_threads pool", x: w, y: sp.points.map((p) => p.speedup), color: seriesColor(0) },
    { name: `forecast: processes/workers on ${sp.cores} cores`, x: w, y: forecast(false), color: "#777", dash: "dash" },
    { name: "forecast: threads with a GIL", x: w, y: forecast(true), color: seriesColor(1), dash: "dot" },
  ], `${sp.tasks} CPU tasks of about ${taskMs.toFixed(0)} ms: speedup over the main thread`, "workers", "speedup (×)");
}

/** Creation-overhead forecast: batch time (ms) by work per task (ms), log–log, for one thread, a worker per task and a pool. */
export function creationCostFigure(o: { tasks: number; works: number[]; startMs: number; dispatchMs: number; cores: number }): Figure {
  const costs = o.works.map((w) => creationCosts({ tasks: o.tasks, workMs: w, startMs: o.startMs, cores: o.cores, dispatchMs: o.dispatchMs }));
  const fig = lineFigure([
    { name: "one thread, one after another", x: o.works, y: costs.map((c) => c.sequential), color: "#777" },
    { name: "a new worker per task", x: o.works, y: costs.map((c) => c.workerPerTask), color: seriesColor(5) },
    { name: `a pool of ${o.cores} workers, started once`, x: o.works, y: costs.map((c) => c.pool), color: seriesColor(2) },
  ], `${o.tasks} tasks: batch time by work per task (forecast from measured start costs)`, "work per task (ms, log scale)", "batch time (ms, log scale)");
  return withLayout(fig, { xaxis: { type: "log", title: { text: "work per task (ms, log scale)" } }, yaxis: { type: "log", title: { text: "batch time (ms, log scale)" } } });
}
