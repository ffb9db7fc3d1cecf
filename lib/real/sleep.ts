/**
 * Seed 001's demo and an async race, on the real event loop: tasks that sleep run sequentially or concurrently
 * (Promise.all), a busy-wait "time.sleep" blocks even under Promise.all; and a lost update across an `await`,
 * fixed with an async mutex.
 */
import { checkInt, checkNumber, checkOptions } from "./errors";
import { type RealLimits, runBounded } from "./resources";

/** One task's interval in ms since the run started. */
export interface SleepSpan {
  task: number;
  startMs: number;
  endMs: number;
}

/** One way to run the tasks: total time (ms) and each task's span. */
export interface SleepRun {
  mode: "sequential" | "concurrent" | "blockingConcurrent";
  totalMs: number;
  spans: SleepSpan[];
}

/** Options of `sleepSequentialVsConcurrent`. */
export interface SleepDemoOptions extends RealLimits {
  /** Tasks (default 5). */
  tasks?: number;
  /** How long each task sleeps, in ms (default 100). */
  sleepMs?: number;
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
 * Sleeping tasks sequentially, concurrently (Promise.all) and with a blocking busy-wait under Promise.all; times in ms.
 */
export async function sleepSequentialVsConcurrent(options: SleepDemoOptions = {}): Promise<SleepDemoResult> {
  checkOptions("sleepSequentialVsConcurrent", options);
  const tasks = checkInt("tasks", options.tasks ?? 5, 1, 1000);
  const sleepMs = checkNumber("sleepMs", options.sleepMs ?? 100, 0, 5000, "pass a sleep in ms, e.g. 100");
  return runBounded("sleepSequentialVsConcurrent", options, 10_000 + 3 * tasks * sleepMs, async (res) => {
    const ids = Array.from({ length: tasks }, (_, i) => i);
    const measure = async (
      mode: SleepRun["mode"],
      body: (task: (i: number) => Promise<void>) => Promise<void>,
    ): Promise<SleepRun> => {
      const t0 = performance.now();
      const spans: SleepSpan[] = [];
      const block = mode === "blockingConcurrent";
      await body(async (i) => {
        const start = performance.now() - t0;
        if (block) {
          await Promise.resolve(); // it is an async function, but its "sleep" never gives the loop back
          const end = performance.now() + sleepMs;
          while (performance.now() < end) {
            /* busy-wait, like time.sleep in a coroutine */
          }
        } else {
          await res.sleep(sleepMs); // like await asyncio.sleep: the loop is free meanwhile
        }
        spans.push({ task: i, startMs: start, endMs: performance.now() - t0 });
      });
      spans.sort((a, b) => a.task - b.task);
      return { mode, totalMs: performance.now() - t0, spans };
    };
    const runs = [
      await measure("sequential", async (task) => {
        for (const i of ids) await task(i);
      }),
      await measure("concurrent", async (task) => {
        await Promise.all(ids.map(task));
      }),
      await measure("blockingConcurrent", async (task) => {
        await Promise.all(ids.map(task));
      }),
    ];
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
