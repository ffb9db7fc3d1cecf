/**
 * Ready-made experiments for chapter 07, each a plain function of a few numbers:
 * - the seed's scenario 1 vs 2: two tasks with CPU and IO, blocking IO vs awaited IO;
 * - a progress bar ticking every `tickMs` while another task awaits a request / computes / computes in chunks;
 * - a read-await-write lost update on a shared counter, and the same with an async mutex.
 * All times are simulated ms.
 */

import { ChapterInputError } from "../../errors";
import { checkOptions, checkRows, describeValue } from "../../errors/validate";
import {
  EventLoopInputError,
  type LoopIoMode,
  type LoopRun,
  type LoopTaskSpec,
  loopStep,
  loopTask,
  runLoop,
  runLoopTasks,
} from "../../eventloop/index";

function checkPositive(x: unknown, what: string, example: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) {
    throw new EventLoopInputError(
      `Expected \`${what}\` to be a number > 0, got ${String(x)}: pass e.g. { ${what}: ${example} }`,
    );
  }
  return x;
}

/**
 * The two tasks of seed 000's picture (ms): task 1 computes 16, lets task 2 in, computes 11, waits 12 for IO,
 * computes 6; task 2 computes 5, lets task 1 in, computes 11. They take turns by awaiting setImmediate.
 */
export function loopSeedTasks(): LoopTaskSpec[] {
  const { cpu, awaitIO, yield: yieldTurn } = loopStep;
  return [
    loopTask("task 1", [cpu(16), yieldTurn(), cpu(11), awaitIO(12), cpu(6)]),
    loopTask("task 2", [cpu(5), yieldTurn(), cpu(11)]),
  ];
}

/** The same tasks with IO either holding the thread ("blocking", scenario 1) or awaited ("await", scenario 2). */
export function loopIoScenario(mode: LoopIoMode, tasks: LoopTaskSpec[] = loopSeedTasks()): LoopRun {
  return runLoopTasks(tasks, { ioMode: mode });
}

/** Both scenarios side by side with their total times (ms): for the seed tasks 61 vs 50. */
export function compareLoopIoModes(tasks: LoopTaskSpec[] = loopSeedTasks()): {
  blocking: LoopRun;
  cooperative: LoopRun;
  totalBlocking: number;
  totalCooperative: number;
} {
  if (tasks !== undefined)
    checkRows(
      ChapterInputError,
      "the tasks given to compareLoopIoModes",
      tasks,
      [],
      "pass tasks like loopSeedTasks() returns",
    );
  const blocking = loopIoScenario("blocking", tasks);
  const cooperative = loopIoScenario("await", tasks);
  return { blocking, cooperative, totalBlocking: blocking.endTime, totalCooperative: cooperative.endTime };
}

/** How the other task does its work while the bar ticks. */
export type LoopBarWork = "await" | "sync" | "chunked";

export interface LoopBarOptions {
  /** Length of the work (ms): the request's latency, or the CPU time. Default 1000. */
  workMs?: number;
  /** The bar redraws every `tickMs` (ms). Default 100. */
  tickMs?: number;
  /** For "chunked": number of CPU slices, each followed by a yield to the loop. Default 10. */
  chunks?: number;
}

/** A progress-bar run: when the bar redrew (ms), its largest gap (ms) and when the work finished (ms). */
export interface LoopBarResult {
  work: LoopBarWork;
  run: LoopRun;
  tickTimes: number[];
  maxGap: number;
  workDone: number;
}

/**
 * A "bar" task redraws every `tickMs` via timers until a "work" task finishes; the work either awaits a request
 * (the bar keeps moving), computes in one synchronous block (the bar freezes), or computes in chunks with a
 * setImmediate yield between them (the bar moves, a little late).
 */
export function loopProgressBarScenario(work: LoopBarWork, options: LoopBarOptions = {}): LoopBarResult {
  if (work !== "await" && work !== "sync" && work !== "chunked") {
    throw new EventLoopInputError(`Expected the work to be "await", "sync" or "chunked", got ${describeValue(work)}`);
  }
  const workMs = checkPositive(options.workMs ?? 1000, "workMs", "1000");
  const tickMs = checkPositive(options.tickMs ?? 100, "tickMs", "100");
  const chunks = options.chunks ?? 10;
  if (!Number.isInteger(chunks) || chunks < 1)
    throw new EventLoopInputError(
      `Expected \`chunks\` to be an integer ≥ 1, got ${String(chunks)}: pass e.g. { chunks: 10 }`,
    );
  let done = false;
  const run = runLoop(({ asyncFn, log, sleep, io, cpu, yieldToLoop }) => {
    asyncFn("bar", function* () {
      let n = 0;
      for (;;) {
        log(`bar ${n++}`);
        if (done) break;
        yield sleep(tickMs, "next frame");
      }
    });
    asyncFn("work", function* () {
      if (work === "await") yield io(workMs, undefined, "request");
      else if (work === "sync") cpu(workMs);
      else {
        for (let i = 0; i < chunks; i++) {
          cpu(workMs / chunks);
          yield yieldToLoop();
        }
      }
      done = true;
      log("work done");
    });
  });
  const tickTimes = run.logs.filter((l) => l.task === "bar").map((l) => l.time);
  let maxGap = 0;
  for (let i = 1; i < tickTimes.length; i++) maxGap = Math.max(maxGap, tickTimes[i] - tickTimes[i - 1]);
  const w = run.tasks.find((t) => t.name === "work");
  return { work, run, tickTimes, maxGap, workDone: w && w.completed !== null ? w.completed : NaN };
}

/** The three progress-bar variants with the same options. */
export function compareLoopProgressBars(options: LoopBarOptions = {}): Record<LoopBarWork, LoopBarResult> {
  options = checkOptions(ChapterInputError, "compareLoopProgressBars's options", options, [
    "workMs",
    "tickMs",
    "chunks",
  ]) as typeof options;
  return {
    await: loopProgressBarScenario("await", options),
    sync: loopProgressBarScenario("sync", options),
    chunked: loopProgressBarScenario("chunked", options),
  };
}

export interface LoopLostUpdateOptions {
  /** Number of concurrent async tasks. Default 2. */
  tasks?: number;
  /** Increments per task. Default 1. */
  increments?: number;
  /** The awaited IO between reading and writing the counter (ms). Default 10. */
  ioMs?: number;
  /** Guard read-await-write with an async mutex. Default false. */
  useMutex?: boolean;
}

/** Async tasks each do `v = counter; await io(ioMs); counter = v + 1`: final vs expected counter. */
export function loopLostUpdateScenario(options: LoopLostUpdateOptions = {}): {
  run: LoopRun;
  counter: number;
  expected: number;
} {
  options = checkOptions(ChapterInputError, "loopLostUpdateScenario's options", options, [
    "tasks",
    "increments",
    "ioMs",
    "useMutex",
  ]) as typeof options;
  const n = options.tasks ?? 2;
  const k = options.increments ?? 1;
  if (!Number.isInteger(n) || n < 1)
    throw new EventLoopInputError(`Expected \`tasks\` to be an integer ≥ 1, got ${String(n)}: pass e.g. { tasks: 2 }`);
  if (!Number.isInteger(k) || k < 1)
    throw new EventLoopInputError(
      `Expected \`increments\` to be an integer ≥ 1, got ${String(k)}: pass e.g. { increments: 1 }`,
    );
  const ioMs = options.ioMs ?? 10;
  let counter = 0;
  const run = runLoop(({ asyncFn, io, log, mutex }) => {
    const m = mutex("counter lock");
    for (let i = 1; i <= n; i++) {
      const name = `T${i}`;
      asyncFn(name, function* () {
        for (let j = 0; j < k; j++) {
          if (options.useMutex) yield m.lock();
          const v = counter;
          log(`${name} reads ${v}`);
          yield io(ioMs, undefined, `${name} db call`);
          counter = v + 1;
          log(`${name} writes ${v + 1}`);
          if (options.useMutex) m.unlock();
        }
      });
    }
  });
  return { run, counter, expected: n * k };
}
