/**
 * Chapter 03, "Processes, threads, coroutines": the same batch under four execution models on lib/sched, the cost of
 * starting a worker per task, the speedup a pool of workers should reach, and a coroutine seen from inside (a
 * generator run on lib/sim). Times in ticks (read as ms).
 */

import { escapeHtml, type Figure, lineFigure, schedGantt, seriesColor, withLayout } from "../plot/index";
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
import type { SchedResult, SchedTask, SchedTraceSegment } from "../sched/index";
import { runSchedule, SchedInputError } from "../sched/index";
import { SimEnvironment, type SimGenerator, SimInputError, SimRequest, type SimResource } from "../sim/index";
import { oneAtATime } from "./02-waiting";

/** The execution models compared in chapter 03, with their Python and JavaScript names. */
export const EXECUTION_MODELS = [
  {
    model: "one thread, one after another",
    python: "a plain loop",
    javascript: "a plain loop (await each task in turn)",
  },
  {
    model: "one thread, async",
    python: "asyncio (coroutines)",
    javascript: "Promises + async/await on the main thread",
  },
  {
    model: "threads with a GIL",
    python: "threading (CPython with the GIL)",
    javascript: "— (no GIL: JS threads do not share one interpreter)",
  },
  { model: "processes / workers", python: "multiprocessing", javascript: "worker_threads or child_process" },
] as const;
export type ExecutionModel = (typeof EXECUTION_MODELS)[number]["model"];

/** A batch of `n` equal tasks: `cpu` ticks of computing, or cpu/2 → io → cpu/2 when `io` > 0. Named T1..Tn. */
export function equalBatch(n: number, cpu: number, io = 0): SchedTask[] {
  if (!Number.isInteger(n) || n < 1)
    throw new SchedInputError(`Expected the number of tasks to be a whole number ≥ 1, got ${String(n)}.`);
  if (!(cpu > 0)) throw new SchedInputError(`Expected the CPU work per task to be > 0 ticks, got ${String(cpu)}.`);
  return Array.from({ length: n }, (_, i) => ({
    name: `T${i + 1}`,
    arrival: 0,
    priority: 0,
    segments:
      io > 0
        ? [
            { kind: "cpu", duration: cpu / 2 },
            { kind: "io", duration: io, device: "io" },
            { kind: "cpu", duration: cpu / 2 },
          ]
        : [{ kind: "cpu", duration: cpu }],
  }));
}

/**
 * Options of `runModel`: the machine's cores, the OS time slice for threads (ticks), a start-up cost per task (ticks).
 */
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
  const withStart = (ts: SchedTask[]) =>
    start > 0 ? ts.map((t) => ({ ...t, segments: [{ kind: "cpu" as const, duration: start }, ...t.segments] })) : ts;
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
  throw new SchedInputError(
    `Unknown model ${JSON.stringify(model)}: use one of ` +
      `${EXECUTION_MODELS.map((m) => JSON.stringify(m.model)).join(", ")}.`,
  );
}

/** Every model on the same batch: makespan (ticks) and speedup over one thread one after another (×). */
export function compareModels(
  tasks: SchedTask[],
  opts: ModelOptions = {},
): { model: ExecutionModel; makespan: number; speedup: number; result: SchedResult }[] {
  const rows = EXECUTION_MODELS.map((m) => ({ model: m.model, result: runModel(m.model, tasks, opts) }));
  const base = rows[0].result.makespan;
  return rows.map((r) => ({
    model: r.model,
    makespan: r.result.makespan,
    speedup: base / r.result.makespan,
    result: r.result,
  }));
}

/**
 * The simulation's forecast for a pool of `workers` workers running `tasks` equal CPU tasks of `taskMs` on `cores`
 * cores (jobs dealt out in turn; the OS time-slices workers when they outnumber cores). Returns the batch time (ms).
 */
export function predictPoolMs(tasks: number, taskMs: number, workers: number, cores: number, gil = false): number {
  const share = Array.from(
    { length: workers },
    (_, w) => Math.floor(tasks / workers) + (w < tasks % workers ? 1 : 0),
  ).filter((k) => k > 0);
  const ts: SchedTask[] = share.map((k, w) => ({
    name: `worker ${w + 1}`,
    arrival: 0,
    priority: 0,
    segments: [{ kind: "cpu", duration: k * taskMs }],
  }));
  return runSchedule({ policy: "RR", quantum: taskMs / 4, tasks: ts, machine: { cores, gil } }).makespan;
}

/**
 * Batch time (ms) for three ways to run `tasks` CPU tasks of `workMs` on `cores` cores, given a start cost per worker.
 */
export interface CreationCosts {
  workMs: number;
  sequential: number;
  /** A new worker per task (start cost paid every time), up to `cores` at once. */
  workerPerTask: number;
  /** A pool of `cores` workers started once, then `dispatchMs` per job. */
  pool: number;
}

/** The creation-overhead model: time (ms) of the batch run sequentially, with a worker per task, and with a pool. */
export function creationCosts(o: {
  tasks: number;
  workMs: number;
  startMs: number;
  cores: number;
  dispatchMs?: number;
}): CreationCosts {
  const rounds = Math.ceil(o.tasks / o.cores);
  return {
    workMs: o.workMs,
    sequential: o.tasks * o.workMs,
    workerPerTask: rounds * (o.startMs + o.workMs),
    pool: o.startMs + rounds * (o.workMs + (o.dispatchMs ?? 0)),
  };
}

/**
 * Smallest work per task (ms) from which a new worker per task is no slower than doing the tasks sequentially (Infinity
 * = never).
 */
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
  if (ratio >= 0.8)
    return `That is ${Math.round(ratio * 100)} % of the ${cap}× the cores allow: close to the forecast; messages and the rest of the machine take the remainder.`;
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
  if (unknown.length)
    return `${JSON.stringify(unknown[0])} is not a model name: use ${known.map((k) => JSON.stringify(k)).join(", ")}.`;
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
    box(x, y, w, 110, "#fff8e6", "#B07700", label, sub) +
    coros.map((c, i) => coro(x + 12 + i * 116, y + 62, c, seriesColor(i))).join("");
  const h = 470;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 ${h}" width="900" height="${h}" role="img" aria-label="${escapeHtml(title)}" style="max-width:100%;height:auto;font-family:system-ui,sans-serif">` +
    `<rect width="900" height="${h}" fill="white"/>` +
    `<text x="20" y="30" font-size="18" font-weight="600">${escapeHtml(title)}</text>` +
    box(
      20,
      45,
      860,
      410,
      "#f6f6f6",
      "#555",
      "The computer: a CPU with cores — any thread of any process may run on any core",
    ) +
    box(
      40,
      100,
      530,
      340,
      "#eaf3fb",
      "#0072B2",
      "Process 1: node (its own memory)",
      "threads of one process share its memory (SharedArrayBuffer)",
    ) +
    thread(60, 155, 490, "main thread: one event loop", "async functions take turns at each await — coroutines", [
      "async fn 1",
      "async fn 2",
      "async fn 3",
      "async fn 4",
    ]) +
    thread(60, 310, 490, "worker_threads Worker: its own loop", "its own isolate: no shared variables, messages", [
      "async fn 5",
      "async fn 6",
    ]) +
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

/**
 * Measured speedup of a worker pool (lib/real speedupExperiment) over the simulation's forecasts without and with a
 * GIL.
 */
export function speedupForecastFigure(sp: SpeedupResult): Figure {
  const taskMs = sp.sequentialMs.median / sp.tasks;
  const w = sp.points.map((p) => p.workers);
  const forecast = (gil: boolean) =>
    w.map((n) => (sp.tasks * taskMs) / predictPoolMs(sp.tasks, taskMs, n, sp.cores, gil));
  return lineFigure(
    [
      { name: "measured: worker_threads pool", x: w, y: sp.points.map((p) => p.speedup), color: seriesColor(0) },
      {
        name: `forecast: processes/workers on ${sp.cores} cores`,
        x: w,
        y: forecast(false),
        color: "#777",
        dash: "dash",
      },
      { name: "forecast: threads with a GIL", x: w, y: forecast(true), color: seriesColor(1), dash: "dot" },
    ],
    `${sp.tasks} CPU tasks of about ${taskMs.toFixed(0)} ms: speedup over the main thread`,
    "workers",
    "speedup (×)",
  );
}

/**
 * Creation-overhead forecast: batch time (ms) by work per task (ms), log–log, for one thread, a worker per task and a
 * pool.
 */
export function creationCostFigure(o: {
  tasks: number;
  works: number[];
  startMs: number;
  dispatchMs: number;
  cores: number;
}): Figure {
  const costs = o.works.map((w) =>
    creationCosts({ tasks: o.tasks, workMs: w, startMs: o.startMs, cores: o.cores, dispatchMs: o.dispatchMs }),
  );
  const fig = lineFigure(
    [
      { name: "one thread, one after another", x: o.works, y: costs.map((c) => c.sequential), color: "#777" },
      { name: "a new worker per task", x: o.works, y: costs.map((c) => c.workerPerTask), color: seriesColor(5) },
      {
        name: `a pool of ${o.cores} workers, started once`,
        x: o.works,
        y: costs.map((c) => c.pool),
        color: seriesColor(2),
      },
    ],
    `${o.tasks} tasks: batch time by work per task (forecast from measured start costs)`,
    "work per task (ms, log scale)",
    "batch time (ms, log scale)",
  );
  return withLayout(fig, {
    xaxis: { type: "log", title: { text: "work per task (ms, log scale)" } },
    yaxis: { type: "log", title: { text: "batch time (ms, log scale)" } },
  });
}

// ── A coroutine seen from inside: a generator that yields what it waits for, run on lib/sim ─────────────────────

/**
 * One request written as a coroutine: a generator that yields the events it waits for (`env.timeout(ms)`,
 * `cpu.request()`, or `yield* cpu.use(ms)` for both). `cpu` is a SimResource: the CPU slots the requests share.
 */
export type CoroutineBody = (env: SimEnvironment, cpu: SimResource) => SimGenerator<unknown>;

/** Options of `coroutineDemo`. */
export interface CoroutineDemoOptions {
  /** How many requests run the body, named A, B, C, … (default 3, at most 26). */
  requests?: number;
  /** CPU slots, the capacity of the SimResource (default 1: one thread runs one coroutine at a time). */
  cpus?: number;
}

/** What one request did, in simulated ms. */
export interface CoroutineRequestStats {
  name: string;
  /** Time holding a CPU slot (computing, or blocked while holding it). */
  cpu: number;
  /** Time queued for a CPU slot that another request held. */
  queued: number;
  /** Time waiting for anything else (IO) without holding a CPU slot: the time others can use. */
  io: number;
  /** When its generator returned. */
  finish: number;
}

/** One run of the requests: its total (simulated ms), each request, and who did what when. */
export interface CoroutineRun {
  label: string;
  /** Simulated ms at which the last request finished. */
  total: number;
  requests: CoroutineRequestStats[];
  /**
   * Who did what when, in simulated ms, in lib/sched's trace shape: "running" (holding CPU slot `core`), "ready"
   * (queued for a slot), "io" (waiting without one). `task` indexes `requests`.
   */
  trace: SchedTraceSegment[];
}

/** One row of the comparison table (all simulated ms, exact). */
export type CoroutineRow = {
  run: string;
  "total (ms)": number;
  "CPU busy (ms)": number;
  "CPU busy (%)": number;
  "queued for the CPU (ms)": number;
  "waiting for IO (ms)": number;
};

/** `coroutineDemo`'s result: the requests as coroutines sharing the CPU, the same requests one after another. */
export interface CoroutineDemo {
  cpus: number;
  concurrent: CoroutineRun;
  sequential: CoroutineRun;
  rows: CoroutineRow[];
}

/**
 * Wraps a request's generator: passes every event it yields on to the environment (and the outcome back), and
 * records how long each wait lasted. A wait for a CPU slot is "ready"; any other wait while holding a slot is
 * "running" (work — or a blocking call, which keeps the CPU busy as well); any other wait is "io".
 */
function* traced(
  env: SimEnvironment,
  cpu: SimResource,
  gen: SimGenerator<unknown>,
  task: number,
  name: string,
  trace: SchedTraceSegment[],
  done: (t: number) => void,
): SimGenerator<void> {
  const mine: SimRequest[] = [];
  let outcome: { ok: boolean; value: unknown } = { ok: true, value: undefined };
  for (;;) {
    const step = outcome.ok ? gen.next(outcome.value) : gen.throw(outcome.value);
    if (step.done === true) break;
    const ev = step.value;
    const asksCpu = ev instanceof SimRequest && ev.resource === cpu;
    if (asksCpu) mine.push(ev);
    const holding = !asksCpu && mine.some((r) => cpu.users.includes(r));
    const from = env.now;
    try {
      outcome = { ok: true, value: yield ev };
    } catch (e) {
      outcome = { ok: false, value: e };
    }
    if (env.now > from) {
      const state = asksCpu ? "ready" : holding ? "running" : "io";
      trace.push({ task, name, core: -1, start: from, end: env.now, state, on: state === "io" ? undefined : "CPU" });
    }
  }
  done(env.now);
}

/** Gives each "running" segment a CPU slot (the lowest free one, in order of start): at most `cpus` at once. */
function assignSlots(trace: SchedTraceSegment[], cpus: number): void {
  const freeAt = new Array<number>(cpus).fill(-Infinity);
  const running = trace.filter((s) => s.state === "running").sort((a, b) => a.start - b.start || a.task - b.task);
  for (const s of running) {
    const slot = freeAt.findIndex((t) => t <= s.start);
    s.core = slot;
    s.on = cpus > 1 ? `CPU ${slot + 1}` : "CPU";
    freeAt[slot] = s.end;
  }
}

function runCoroutines(body: CoroutineBody, names: string[], cpus: number, oneAfterAnother: boolean): CoroutineRun {
  const env = new SimEnvironment();
  const cpu = env.resource(cpus, "CPU");
  const trace: SchedTraceSegment[] = [];
  const finish = names.map(() => NaN);
  const start = (i: number) => {
    const gen = body(env, cpu);
    if (gen === null || typeof gen !== "object" || typeof (gen as { next?: unknown }).next !== "function")
      throw new SimInputError(
        `coroutineDemo expects a generator function, e.g. \`function* request(env, cpu) { ` +
          `yield* cpu.use(2); yield env.timeout(20); }\`; the body returned ${String(gen)}.`,
      );
    return env.process(
      traced(env, cpu, gen, i, names[i], trace, (t) => (finish[i] = t)),
      names[i],
    );
  };
  if (oneAfterAnother) {
    env.process(
      (function* (): SimGenerator<void> {
        for (let i = 0; i < names.length; i++) yield start(i);
      })(),
      "one after another",
    );
  } else for (let i = 0; i < names.length; i++) start(i);
  env.run();
  assignSlots(trace, cpus);
  trace.sort((a, b) => a.start - b.start || a.task - b.task);
  const sum = (i: number, state: string) =>
    trace.filter((s) => s.task === i && s.state === state).reduce((a, s) => a + s.end - s.start, 0);
  const requests = names.map((name, i) => ({
    name,
    cpu: sum(i, "running"),
    queued: sum(i, "ready"),
    io: sum(i, "io"),
    finish: finish[i],
  }));
  const label = oneAfterAnother ? "one after another" : `coroutines sharing ${cpus} CPU${cpus > 1 ? "s" : ""}`;
  return { label, total: Math.max(0, ...finish), requests, trace };
}

/**
 * Runs `requests` copies of a coroutine `body` on a simulated clock (lib/sim's SimEnvironment, SimPy-like) with
 * `cpus` CPU slots (a SimResource), twice: all started at once, each switching away at every `yield`; and one after
 * another (each starts when the previous returns). A model: simulated milliseconds, no real CPU or IO.
 */
export function coroutineDemo(body: CoroutineBody, options: CoroutineDemoOptions = {}): CoroutineDemo {
  if (typeof body !== "function")
    throw new SimInputError(`coroutineDemo expects a generator function as its first argument, got ${String(body)}.`);
  const n = options.requests ?? 3;
  const cpus = options.cpus ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 26)
    throw new SimInputError(`Expected \`requests\` to be a whole number from 1 to 26, got ${String(n)}.`);
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 64)
    throw new SimInputError(`Expected \`cpus\` to be a whole number from 1 to 64, got ${String(cpus)}.`);
  const names = Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));
  const concurrent = runCoroutines(body, names, cpus, false);
  const sequential = runCoroutines(body, names, cpus, true);
  const row = (r: CoroutineRun): CoroutineRow => {
    const busy = r.requests.reduce((a, q) => a + q.cpu, 0);
    return {
      run: r.label,
      "total (ms)": r.total,
      "CPU busy (ms)": busy,
      "CPU busy (%)": r.total > 0 ? Math.round((100 * busy) / (r.total * cpus)) : 0,
      "queued for the CPU (ms)": r.requests.reduce((a, q) => a + q.queued, 0),
      "waiting for IO (ms)": r.requests.reduce((a, q) => a + q.io, 0),
    };
  };
  return { cpus, concurrent, sequential, rows: [row(concurrent), row(sequential)] };
}

/** Both runs of `coroutineDemo` in one Gantt (simulated ms): per request, on the CPU, queued for it, waiting for IO. */
export function coroutineGantt(d: CoroutineDemo): Figure {
  const runs = [d.concurrent, d.sequential];
  const short = (r: CoroutineRun) => (r === d.sequential ? "one after another" : "coroutines");
  const tasks = runs.flatMap((r) => r.requests.map((q) => ({ name: `${short(r)} · ${q.name}` })));
  const trace = runs.flatMap((r, k) =>
    r.trace.map((s) => ({
      ...s,
      task: s.task + k * d.concurrent.requests.length,
      name: `${short(r)} · ${s.name}`,
    })),
  );
  const title =
    `${d.concurrent.requests.length} requests on ${d.cpus} CPU${d.cpus > 1 ? "s" : ""}: ` +
    `${d.concurrent.total} ms as coroutines, ${d.sequential.total} ms one after another (simulated)`;
  const fig = schedGantt(
    { trace, tasks, machine: { cores: d.cpus }, policy: "coroutines" },
    { by: "task", color: "state", title, unit: "simulated ms" },
  );
  const legend: Record<string, string> = {
    running: "on the CPU",
    "ready (waiting for a core)": "queued for the CPU",
    IO: "waiting for IO (CPU free)",
  };
  return {
    data: fig.data.map((t) => ({ ...t, name: legend[String(t.name)] ?? t.name })),
    layout: { ...fig.layout, yaxis: { ...fig.layout.yaxis, title: { text: "request" } } },
  };
}

/** True when some request waits for IO while another request is on a CPU or waiting for IO too (positive overlap). */
function waitsOverlap(r: CoroutineRun): boolean {
  const io = r.trace.filter((x) => x.state === "io");
  const busy = r.trace.filter((x) => x.state === "io" || x.state === "running");
  return io.some((w) => busy.some((b) => b.task !== w.task && Math.min(w.end, b.end) > Math.max(w.start, b.start)));
}

/** Sentences comparing the two runs of `coroutineDemo` for the chapter; every number and claim comes from the runs. */
export function coroutineVerdict(d: CoroutineDemo): string {
  const c = d.concurrent.total,
    s = d.sequential.total;
  const [conc, seq] = d.rows;
  const n = d.concurrent.requests.length;
  const cpuWord = d.cpus === 1 ? "one CPU" : `${d.cpus} CPUs`;
  const subject =
    n > 1 ? `As coroutines sharing ${cpuWord}, the ${n} requests are` : `As a coroutine on ${cpuWord}, the request is`;
  const parts = [
    `${subject} done at **${c} ms** of simulated time; one after another ` +
      `${n > 1 ? "they take" : "it takes"} **${s} ms**.`,
  ];
  if (c < s) {
    const busy = conc["CPU busy (ms)"];
    const work =
      busy === seq["CPU busy (ms)"]
        ? `for the same **${busy} ms** of CPU work`
        : `with ${busy} ms of CPU work against ${seq["CPU busy (ms)"]} ms`;
    parts.push(`One after another is ${(s / c).toFixed(2)}× as long, ${work}.`);
    const overlap = waitsOverlap(d.concurrent);
    const parallel = d.concurrent.trace.some((x) => x.state === "running" && x.core > 0);
    if (overlap)
      parts.push(
        "The coroutines gain by waiting at the same time: while one waits for IO, another computes or " + "waits too.",
      );
    if (parallel)
      parts.push(
        `${overlap ? "And with" : "With"} ${d.cpus} CPUs, CPU steps also run at the same instant: ` +
          "that part is parallelism.",
      );
  } else if (c === s) {
    parts.push(
      `Nothing is gained: ` +
        (n === 1
          ? `a request alone has nobody to fill its waits.`
          : conc["waiting for IO (ms)"] === 0
            ? `no request ever waits without holding the CPU, so there is no wait for another to fill.`
            : `the waits never overlap.`),
    );
  } else parts.push(`Here one after another is faster.`);
  const q = conc["queued for the CPU (ms)"];
  parts.push(
    q > 0
      ? `CPU steps that found ${d.cpus === 1 ? "the CPU" : "every CPU"} taken queued for **${q} ms** in all.`
      : `No request ever queued for the CPU.`,
  );
  return parts.join(" ");
}
