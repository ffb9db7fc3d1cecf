/**
 * Seed 001's demo and an async race, on the real event loop: tasks that sleep run sequentially or concurrently
 * (Promise.all); a blocking sleep (`Atomics.wait`, the thread parked like Python's `time.sleep`: CPU free) and a
 * busy wait (CPU at 100 %) both stall the loop even under Promise.all; and a lost update across an `await`, fixed
 * with an async mutex.
 */
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkChoice, checkInt, checkNumber, checkOptions, RealInputError } from "./errors";
import { type RealLimits, runBounded } from "./resources";

/** One task's interval in ms since the run started. */
export interface SleepSpan {
  task: number;
  startMs: number;
  endMs: number;
}

/**
 * How the tasks sleep: one after another with `await sleep` ("sequential"), under Promise.all with `await sleep`
 * ("concurrent"), under Promise.all with a busy wait ("blockingConcurrent"), or under Promise.all with a blocking
 * `Atomics.wait` ("atomicsWaitConcurrent": the thread sleeps in the kernel, the CPU is free, the loop is stuck).
 */
export type SleepMode = "sequential" | "concurrent" | "blockingConcurrent" | "atomicsWaitConcurrent";

const SLEEP_MODES: readonly SleepMode[] = ["sequential", "concurrent", "blockingConcurrent", "atomicsWaitConcurrent"];

/**
 * One way to run the tasks: total time (ms), each task's span, the process's CPU use over the run (percent of one
 * core, from process.cpuUsage) and the longest gap between ticks of a 5 ms interval timer (ms): how long timers
 * were stalled.
 */
export interface SleepRun {
  mode: SleepMode;
  totalMs: number;
  spans: SleepSpan[];
  cpuPercent: number;
  maxTimerGapMs: number;
}

/** Options of `sleepSequentialVsConcurrent`. */
export interface SleepDemoOptions extends RealLimits {
  /** Tasks (default 5). */
  tasks?: number;
  /** How long each task sleeps, in ms (default 100). */
  sleepMs?: number;
  /** The runs, in order (default ["sequential", "concurrent", "blockingConcurrent"]; add "atomicsWaitConcurrent"). */
  modes?: SleepMode[];
}

/** Result: the three runs and the ideal totals (tasks × sleepMs sequential, sleepMs concurrent), in ms. */
export interface SleepDemoResult {
  tasks: number;
  sleepMs: number;
  idealSequentialMs: number;
  idealConcurrentMs: number;
  runs: SleepRun[];
}

/**
 * Sleeping tasks sequentially, concurrently (Promise.all), with a busy wait under Promise.all and (if asked) with a
 * blocking Atomics.wait under Promise.all; times in ms, CPU in percent of one core.
 */
export async function sleepSequentialVsConcurrent(options: SleepDemoOptions = {}): Promise<SleepDemoResult> {
  checkKnownOptions(RealInputError, "sleepSequentialVsConcurrent's options", options, [
    "tasks",
    "sleepMs",
    "modes",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("sleepSequentialVsConcurrent", options);
  const tasks = checkInt("tasks", options.tasks ?? 5, 1, 1000);
  const sleepMs = checkNumber("sleepMs", options.sleepMs ?? 100, 0, 5000, "pass a sleep in ms, e.g. 100");
  const modes = (options.modes ?? ["sequential", "concurrent", "blockingConcurrent"]).map((m, i) =>
    checkChoice(`modes[${i}]`, m, SLEEP_MODES),
  );
  const limit = 10_000 + (modes.length + 1) * tasks * sleepMs;
  return runBounded("sleepSequentialVsConcurrent", options, limit, async (res) => {
    const ids = Array.from({ length: tasks }, (_, i) => i);
    const parked = new Int32Array(new SharedArrayBuffer(4)); // nobody ever notifies it: wait = sleep
    const measure = async (mode: SleepMode): Promise<SleepRun> => {
      let lastTick = performance.now();
      let maxGap = 0;
      const ticker = res.setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - lastTick);
        lastTick = now;
      }, 5);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const spans: SleepSpan[] = [];
      const task = async (i: number) => {
        const start = performance.now() - t0;
        // The two blocking sleeps run through res.runSync: the time limit and Kernel → Interrupt can stop them.
        if (mode === "blockingConcurrent") {
          await Promise.resolve(); // it is an async function, but its "sleep" never gives the loop back
          res.runSync(() => {
            const end = performance.now() + sleepMs;
            while (performance.now() < end) {
              /* busy-wait: the core spins at 100 % */
            }
          });
        } else if (mode === "atomicsWaitConcurrent") {
          await Promise.resolve();
          // blocks this thread like time.sleep: parked, CPU free, loop stuck
          res.runSync(() => Atomics.wait(parked, 0, 0, sleepMs));
        } else {
          await res.sleep(sleepMs); // like await asyncio.sleep: the loop is free meanwhile
        }
        spans.push({ task: i, startMs: start, endMs: performance.now() - t0 });
      };
      if (mode === "sequential") for (const i of ids) await task(i);
      else await Promise.all(ids.map(task));
      const totalMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      maxGap = Math.max(maxGap, performance.now() - lastTick);
      res.clearTimer(ticker);
      spans.sort((a, b) => a.task - b.task);
      const cpuPercent = totalMs > 0 ? ((cpu.user + cpu.system) / 1000 / totalMs) * 100 : 0;
      return { mode, totalMs, spans, cpuPercent, maxTimerGapMs: maxGap };
    };
    const runs: SleepRun[] = [];
    for (const m of modes) runs.push(await measure(m));
    return { tasks, sleepMs, idealSequentialMs: tasks * sleepMs, idealConcurrentMs: sleepMs, runs };
  });
}

/** A FIFO mutex for async code on one thread: `await lock()` gives an unlock function. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves when the caller holds the lock; call the returned function to release it. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

/** Options of `asyncLostUpdate`. */
export interface AsyncRaceOptions extends RealLimits {
  /** Concurrent async tasks (default 4). */
  tasks?: number;
  /** Increments per task (default 100). */
  increments?: number;
  /** Delay between the read and the write, in ms; 0 awaits a resolved promise (default 0). */
  awaitMs?: number;
}

/** Final counts with and without the mutex, expected count and updates lost. */
export interface AsyncRaceResult {
  expected: number;
  unlocked: { final: number; lost: number };
  locked: { final: number; lost: number };
}

/** Async tasks do read, await, write on one counter: updates are lost without a lock, none with AsyncMutex. */
export async function asyncLostUpdate(options: AsyncRaceOptions = {}): Promise<AsyncRaceResult> {
  checkKnownOptions(RealInputError, "asyncLostUpdate's options", options, [
    "tasks",
    "increments",
    "awaitMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("asyncLostUpdate", options);
  const tasks = checkInt("tasks", options.tasks ?? 4, 1, 10_000);
  const increments = checkInt("increments", options.increments ?? 100, 1, 100_000);
  const awaitMs = checkNumber("awaitMs", options.awaitMs ?? 0, 0, 1000);
  return runBounded("asyncLostUpdate", options, 10_000 + 2 * increments * (awaitMs + 1), async (res) => {
    const pause = () => (awaitMs > 0 ? res.sleep(awaitMs) : Promise.resolve());
    const run = async (mutex: AsyncMutex | null) => {
      const shared = { counter: 0 };
      await Promise.all(
        Array.from({ length: tasks }, async () => {
          for (let i = 0; i < increments; i++) {
            const unlock = mutex ? await mutex.lock() : null;
            const seen = shared.counter; // read
            await pause(); // other tasks run here
            shared.counter = seen + 1; // write back: overwrites what they did meanwhile
            if (unlock) unlock();
            // Only promises run here: look at the clock, and every 20 ms give the event loop a turn (res.breathe),
            // so that the time limit and Kernel → Interrupt can stop a long run (short runs never pause: exact).
            if (res.breathDue()) await res.breathe();
          }
        }),
      );
      return shared.counter;
    };
    const expected = tasks * increments;
    const u = await run(null);
    const l = await run(new AsyncMutex());
    return { expected, unlocked: { final: u, lost: expected - u }, locked: { final: l, lost: expected - l } };
  });
}
