/**
 * Chapter 03's execution models on lib/sched: the same batch as one thread, async, threads with a GIL and
 * processes; the forecast of a worker pool; the cost of starting a worker per task and where it pays off.
 */

import { ChapterInputError } from "../../errors";
import {
  checkInt,
  checkNumber,
  checkOptions,
  checkResult,
  checkRows,
  describeValue,
  optBoolean,
} from "../../errors/validate";
import type { SchedResult, SchedTask } from "../../sched/index";
import { runSchedule, SchedInputError } from "../../sched/index";
import { oneAtATime } from "../02-waiting/index";

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
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new SchedInputError(
      `Expected the number of tasks to be a whole number ≥ 1 (at most 100,000), got ${describeValue(n)}.`,
    );
  if (!(typeof cpu === "number" && cpu > 0 && cpu <= 1e9))
    throw new SchedInputError(
      `Expected the CPU work per task to be > 0 ticks (at most 1e9), got ${describeValue(cpu)}.`,
    );
  checkNumber(SchedInputError, "the IO per task (ticks)", io, { min: 0, max: 1e9 }, "e.g. 0");
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

const MODEL_OPTION_KEYS = ["cores", "quantum", "startCost"] as const;

/** Run the batch under one execution model. Threads and processes are time-sliced by an OS-like round robin. */
export function runModel(model: ExecutionModel, tasks: SchedTask[], opts: ModelOptions = {}): SchedResult {
  opts = checkOptions<ModelOptions>(ChapterInputError, "runModel's options", opts, MODEL_OPTION_KEYS);
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
    `Unknown model ${describeValue(model)}: use one of ` +
      `${EXECUTION_MODELS.map((m) => JSON.stringify(m.model)).join(", ")}.`,
  );
}

/** Every model on the same batch: makespan (ticks) and speedup over one thread one after another (×). */
export function compareModels(
  tasks: SchedTask[],
  opts: ModelOptions = {},
): { model: ExecutionModel; makespan: number; speedup: number; result: SchedResult }[] {
  checkRows(ChapterInputError, "the tasks given to compareModels", tasks, [], "pass a list of what task(...) returns");
  opts = checkOptions<ModelOptions>(ChapterInputError, "compareModels' options", opts, MODEL_OPTION_KEYS);
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
  checkInt(SchedInputError, "the tasks of predictPoolMs", tasks, 1, 100_000);
  checkNumber(SchedInputError, "the time per task of predictPoolMs (ms)", taskMs, {
    min: 0,
    max: 1e7,
    exclusiveMin: true,
  });
  checkInt(SchedInputError, "the workers of predictPoolMs", workers, 1, 1024);
  checkInt(SchedInputError, "the cores of predictPoolMs", cores, 1, 1024);
  optBoolean(SchedInputError, "`gil`", gil, false);
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
  checkResult(
    ChapterInputError,
    "the options given to creationCosts",
    o,
    ["tasks", "workMs"],
    "pass an object with tasks, workMs, startMs, cores",
  );
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
  checkResult(
    ChapterInputError,
    "the options given to breakEvenWorkMs",
    o,
    ["tasks", "startMs"],
    "pass an object with tasks, startMs, cores",
  );
  const k = Math.ceil(o.tasks / o.cores);
  if (o.tasks <= k) return Infinity;
  return (o.startMs * k) / (o.tasks - k);
}

/** A sentence comparing the best measured speedup (×) with the cores' cap, for the chapter's prose. */
export function speedupVerdict(best: number, cores: number): string {
  checkNumber(
    ChapterInputError,
    "the speedup given to speedupVerdict",
    best,
    { min: 0, max: 1e6 },
    "pass a measured speedup, e.g. 1.8",
  );
  checkInt(ChapterInputError, "the cores given to speedupVerdict", cores, 1, 4096, "pass coreCount()");
  const cap = Math.max(1, cores);
  if (cap === 1) return "With one core there is nothing to gain: workers only add messages and start-up.";
  const ratio = best / cap;
  if (ratio > 1.05)
    return `That is ${Math.round(ratio * 100)} % of the ${cap}× the cores allow — more than the cores can give, so the measurement is noisy: other programs slowed some of the main thread's runs. Run the cell again on a quieter machine.`;
  if (ratio >= 0.8)
    return `That is ${Math.round(ratio * 100)} % of the ${cap}× the cores allow: close to the forecast; messages and the rest of the machine take the remainder.`;
  return `That is only ${Math.round(ratio * 100)} % of the ${cap}× the cores allow: other programs are using this machine's cores right now (run the cell again on a quieter machine), and messages and start-up cost time.`;
}

/** A sentence comparing a start-up cost with the work of one task (both ms). */
export function startVsWork(startMs: number, workMs: number): string {
  checkNumber(ChapterInputError, "the start-up time given to startVsWork (ms)", startMs, { min: 0, max: 1e9 });
  checkNumber(ChapterInputError, "the work per task given to startVsWork (ms)", workMs, { min: 0, max: 1e9 });
  return startMs > workMs
    ? `more than the ${workMs} ms of work in each task, so every process spends most of its life starting`
    : `less than the ${workMs} ms of work in each task, so the second core can pay for it`;
}

/** The model(s) with the smallest makespan on the batch (ties all listed). */
export function fastestModels(tasks: SchedTask[], opts: ModelOptions = {}): ExecutionModel[] {
  checkRows(ChapterInputError, "the tasks given to fastestModels", tasks, [], "pass a list of what task(...) returns");
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
    return `${describeValue(unknown[0])} is not a model name: use ${known.map((k) => JSON.stringify(k)).join(", ")}.`;
  const fastest = fastestModels(tasks, opts);
  const same = answer.length === fastest.length && fastest.every((m) => answer.includes(m));
  return same || "Not quite: list every model that finishes in the fewest ticks on this batch and machine.";
}
