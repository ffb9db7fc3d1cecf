/**
 * Chapter 07's experiments that combine lib/eventloop and lib/sched:
 * - the ordering puzzle, as a model program and as the same code on the real event loop;
 * - a blocking "sleep" (a busy wait, or a blocking call like `time.sleep` / `Atomics.wait`) vs `await sleep` for
 *   several tasks on one loop;
 * - time to first response when CPU-heavy work sits between awaits: one block, chunks, or a worker;
 * - one task set under cooperative scheduling (one-thread async: JS, asyncio) and preemptive round robin (Go's
 *   goroutines, OS threads such as Java's platform threads).
 * Simulated times are ms.
 */

import { ChapterInputError } from "../../errors";
import { checkArray, checkNumber, checkOptions, checkResult, checkRows, describeValue } from "../../errors/validate";
import {
  EventLoopInputError,
  type LoopBody,
  type LoopRun,
  type LoopStep,
  loopStep,
  loopTask,
  runLoop,
  runLoopTasks,
} from "../../eventloop/index";
import type { SchedResult, SchedTask } from "../../sched/index";
import { runSchedule } from "../../sched/index";

/** The puzzle's program for the model: sync logs, a timer, a nextTick, a promise chain and an async function. */
export const orderingPuzzleModel: LoopBody = ({ log, setTimeout, nextTick, resolved, asyncFn }) => {
  log("script start");
  setTimeout(() => log("timeout"), 0);
  resolved()
    .then(() => log("then 1"))
    .then(() => log("then 2"));
  asyncFn("f", function* () {
    log("f before await");
    yield undefined;
    log("f after await");
  });
  nextTick(() => log("nextTick"));
  log("script end");
};

/**
 * The same program on the real event loop (the kernel's own); resolves with the lines in the order printed.
 * It starts in a fresh callback (setImmediate), like a main script: a notebook cell or a test already runs
 * inside a promise job, and there nextTick would wait until the promise jobs in progress are done.
 */
export function orderingPuzzleReal(): Promise<string[]> {
  return new Promise((done) =>
    setImmediate(() => {
      const out: string[] = [];
      const log = (s: string) => out.push(s);
      log("script start");
      setTimeout(() => log("timeout"), 0);
      Promise.resolve()
        .then(() => log("then 1"))
        .then(() => log("then 2"));
      (async () => {
        log("f before await");
        await undefined;
        log("f after await");
      })();
      process.nextTick(() => log("nextTick"));
      log("script end");
      setTimeout(() => done(out), 30);
    }),
  );
}

/** The model's answer to the puzzle. */
export function orderingPuzzleRun(): LoopRun {
  return runLoop(orderingPuzzleModel);
}

/**
 * How each task waits: "busy" holds the thread for the whole sleep — a busy wait, or a blocking call such as Python's
 * `time.sleep` or `Atomics.wait` (the model holds its one thread either way; only a busy wait also burns the CPU,
 * see `sleepSequentialVsConcurrent`) — or "await": `await sleep` (like `await asyncio.sleep`), the thread is free.
 */
export type SleepStyle = "busy" | "await";

/** `tasks` tasks each doing cpu(workMs), sleep(sleepMs), cpu(workMs) with the given sleep style (ms). */
export function sleepStyleRun(
  style: SleepStyle,
  options: { tasks?: number; sleepMs?: number; workMs?: number } = {},
): LoopRun {
  options = checkOptions(ChapterInputError, "sleepStyleRun's options", options, [
    "tasks",
    "sleepMs",
    "workMs",
  ]) as typeof options;
  if (style !== "busy" && style !== "await")
    throw new EventLoopInputError(`Expected the style to be "busy" or "await", got ${describeValue(style)}`);
  const n = options.tasks ?? 3;
  const sleepMs = options.sleepMs ?? 100;
  const workMs = options.workMs ?? 5;
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new EventLoopInputError(`Expected \`tasks\` to be a whole number from 1 to 50, got ${String(n)}`);
  const wait: LoopStep = style === "busy" ? loopStep.busySleep(sleepMs) : loopStep.sleep(sleepMs);
  return runLoopTasks(
    Array.from({ length: n }, (_, i) => loopTask(`task ${i + 1}`, [loopStep.cpu(workMs), wait, loopStep.cpu(workMs)])),
  );
}

/**
 * Where the heavy computation runs: one synchronous block; chunks with `await new Promise(r => setImmediate(r))`
 * between them ("chunked"); chunks with `await Promise.resolve()` between them ("microtask": a yield that only lets
 * other microtasks run, never timers or IO); or a worker thread.
 */
export type HeavyMode = "block" | "chunked" | "microtask" | "worker";

/** Options of `starvationScenario` (ms). */
export interface HeavyJobOptions {
  /** CPU time of the heavy job (default 300). */
  heavyMs?: number;
  /** Chunk size for "chunked" (default 10). */
  chunkMs?: number;
  /**
   * Requests that arrive while it runs (default 4), the first at `firstAt` (default 5) then every `everyMs` (default
   * 20).
   */
  requests?: number;
  firstAt?: number;
  everyMs?: number;
  /** CPU time to answer one request (default 1). */
  requestMs?: number;
}

/** Per request: arrival, answer time and response time (ms). */
export interface StarvationResult {
  mode: HeavyMode;
  run: LoopRun;
  requests: { name: string; arrival: number; answered: number; latency: number }[];
  /** Time until the first request was answered, counted from its arrival (ms). */
  firstResponse: number;
  worstLatency: number;
  /** When the heavy job finished (ms). */
  heavyDone: number;
}

/** The option keys of starvationScenario and largestChunkWithin (a misspelled one names the closest). */
const HEAVY_JOB_KEYS = ["heavyMs", "chunkMs", "requests", "firstAt", "everyMs", "requestMs"];

/** A heavy job and small requests on one event loop; the worker variant awaits the job like IO (the loop is free). */
export function starvationScenario(mode: HeavyMode, options: HeavyJobOptions = {}): StarvationResult {
  options = checkOptions(ChapterInputError, "starvationScenario's options", options, HEAVY_JOB_KEYS) as typeof options;
  const heavyMs = options.heavyMs ?? 300;
  const chunkMs = options.chunkMs ?? 10;
  const n = options.requests ?? 4;
  const firstAt = options.firstAt ?? 5;
  const every = options.everyMs ?? 20;
  const reqMs = options.requestMs ?? 1;
  if (!(heavyMs > 0) || !(chunkMs > 0) || heavyMs > 1e6 || heavyMs / chunkMs > 100_000)
    throw new EventLoopInputError(
      `Expected \`heavyMs\` (at most 1e6) and \`chunkMs\` > 0 with at most 100,000 chunks, got ` +
        `${describeValue(heavyMs)} and ${describeValue(chunkMs)}: e.g. { heavyMs: 300, chunkMs: 10 }`,
    );
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new EventLoopInputError(`Expected \`requests\` to be a whole number from 1 to 100, got ${String(n)}`);
  let heavy: LoopStep[];
  if (mode === "block") heavy = [loopStep.cpu(heavyMs)];
  else if (mode === "chunked" || mode === "microtask") {
    heavy = [];
    const yieldStep = mode === "chunked" ? loopStep.yield : loopStep.awaitValue;
    for (let left = heavyMs; left > 1e-9; left -= chunkMs)
      heavy.push(loopStep.cpu(Math.min(chunkMs, left)), yieldStep());
  } else if (mode === "worker") heavy = [loopStep.awaitIO(heavyMs, "worker computes")];
  else
    throw new EventLoopInputError(
      `Expected the mode to be "block", "chunked", "microtask" or "worker", got ${describeValue(mode)}`,
    );
  // The requests' timers are set first (at t = 0): the heavy job's first slice runs as soon as it is started.
  const tasks = Array.from({ length: n }, (_, i) =>
    loopTask(`request ${i + 1}`, [loopStep.cpu(reqMs)], firstAt + i * every),
  );
  tasks.push(loopTask("heavy job", heavy));
  const run = runLoopTasks(tasks);
  const requests = run.tasks
    .filter((t) => t.name.startsWith("request "))
    .map((t) => {
      const arrival = firstAt + (Number(t.name.slice(8)) - 1) * every;
      const answered = t.completed ?? NaN;
      return { name: t.name, arrival, answered, latency: answered - arrival };
    });
  const h = run.tasks.find((t) => t.name === "heavy job");
  return {
    mode,
    run,
    requests,
    firstResponse: requests[0].latency,
    worstLatency: Math.max(...requests.map((r) => r.latency)),
    heavyDone: h && h.completed !== null ? h.completed : NaN,
  };
}

/** The largest chunk (ms, from `candidates`) that keeps every request's latency at or under `limitMs`; NaN if none. */
export function largestChunkWithin(
  limitMs: number,
  options: HeavyJobOptions = {},
  candidates: number[] = [1, 2, 5, 10, 20, 25, 50, 100, 150, 300],
): number | null {
  options = checkOptions(ChapterInputError, "largestChunkWithin's options", options, HEAVY_JOB_KEYS) as typeof options;
  checkNumber(
    ChapterInputError,
    "the limit given to largestChunkWithin (ms)",
    limitMs,
    { min: 0, max: 1e6 },
    "e.g. 20",
  );
  checkArray<number>(ChapterInputError, "the candidate chunk sizes (ms)", candidates, { min: 1, max: 100 }).forEach(
    (c, i) => {
      checkNumber(ChapterInputError, `candidate ${i} (ms)`, c, { min: 0, max: 1e6, exclusiveMin: true });
    },
  );
  const ok = candidates.filter(
    (c) => starvationScenario("chunked", { ...options, chunkMs: c }).worstLatency <= limitMs,
  );
  // null (not NaN) when no candidate keeps the latency within the limit
  return ok.length ? Math.max(...ok) : null;
}

/** One task set for cooperative vs preemptive: a long computation and short interactive tasks (ms). */
export function mixedTaskSet(options: { hogMs?: number; interactive?: number; rounds?: number } = {}): SchedTask[] {
  options = checkOptions(ChapterInputError, "mixedTaskSet's options", options, [
    "hogMs",
    "interactive",
    "rounds",
  ]) as typeof options;
  const hog = options.hogMs ?? 60;
  const k = options.interactive ?? 3;
  const rounds = options.rounds ?? 2;
  const tasks: SchedTask[] = [
    { name: "cruncher", segments: [{ kind: "cpu", duration: hog }], arrival: 0, priority: 0 },
  ];
  for (let i = 1; i <= k; i++) {
    const segs: SchedTask["segments"] = [];
    for (let r = 0; r < rounds; r++)
      segs.push({ kind: "cpu", duration: 1 }, { kind: "io", duration: 8, device: "net" });
    segs.push({ kind: "cpu", duration: 1 });
    tasks.push({ name: `client ${i}`, segments: segs, arrival: i, priority: 0 });
  }
  return tasks;
}

/** The same tasks on one core, cooperative vs round robin (quantum, switch cost in ms). */
export function cooperativeVsPreemptive(
  tasks: SchedTask[] = mixedTaskSet(),
  options: { quantum?: number; switchCost?: number } = {},
): { cooperative: SchedResult; preemptive: SchedResult } {
  options = checkOptions(ChapterInputError, "cooperativeVsPreemptive's options", options, [
    "quantum",
    "switchCost",
  ]) as typeof options;
  if (tasks !== undefined)
    checkRows(
      ChapterInputError,
      "the tasks given to cooperativeVsPreemptive",
      tasks,
      [],
      "pass a list of what task(...) returns",
    );
  options = checkOptions<{ quantum: number; switchCost: number }>(
    ChapterInputError,
    "cooperativeVsPreemptive's options",
    options,
    ["quantum", "switchCost"],
  );
  const machine = { cores: 1, switchCost: options.switchCost ?? 0 };
  return {
    cooperative: runSchedule({ tasks, machine, policy: "COOPERATIVE" }),
    preemptive: runSchedule({ tasks, machine, policy: "RR", quantum: options.quantum ?? 5 }),
  };
}

/** Mean and worst turnaround (ms) of the tasks whose name starts with `prefix`. */
export function turnaroundOf(result: SchedResult, prefix = "client"): { mean: number; worst: number } {
  checkResult(
    ChapterInputError,
    "the result given to turnaroundOf",
    result,
    ["tasks"],
    "pass what runSchedule(...) returned",
  );
  const ts = result.tasks.filter((t) => t.name.startsWith(prefix)).map((t) => t.turnaround);
  return { mean: ts.reduce((a, b) => a + b, 0) / ts.length, worst: Math.max(...ts) };
}
