/**
 * Schedulers: who takes the next step. One run loop asks a scheduler at every step which thread moves; uniform
 * random, PCT, round robin and replaying a schedule string are schedulers behind one interface, and so is your own
 * function: you are the scheduler. `runOnce` makes one run, `sample` many, `replay` follows a schedule string.
 *
 * Thread numbers are 1-based, as in schedule strings ("1 2 2 1" = T1, T2, T2, T1): a scheduler gets the numbers of
 * the threads that can run now and returns one of them. A scheduler that always runs the lowest-numbered thread:
 *
 *   const lowest: SchedulerFunction = (runnable) => runnable[0];
 *   runOnce(counterRace(2, 1), lowest).schedule;                // "1 1 1 2 2 2"
 *   sample(counterRace(2, 1), { scheduler: lowest, runs: 10 });  // 10 runs, all counter=2
 */

import { checkOptions } from "../errors/validate";
import { makeRng } from "../sim/random";
import { InterleaveOptionError, InterleaveScheduleError } from "./errors";
import { InterleaveMachine } from "./machine";
import type { InterleaveProgram } from "./program";
import { formatSchedule, parseScheduleWakes } from "./schedule";

/**
 * Returns the thread that takes the next step: one of `runnable`, the 1-based numbers of the threads that can run
 * now (in increasing order, never empty). `last` is the thread that took the previous step (null at the start) and
 * `step` the number of steps taken so far (0 at the start).
 */
export type SchedulerFunction = (runnable: readonly number[], last: number | null, step: number) => number;

/** What a scheduler is told when a run starts. */
export interface SchedulerRunStart {
  /** 1 for the first run, 2 for the next, ... (sample makes many runs with one scheduler). */
  run: number;
  /** Number of threads of the program. */
  threads: number;
  /** Steps of all threads as written (a loop can take more): PCT places its change points with it. */
  stepsEstimate: number;
}

export interface InterleaveScheduler {
  /** Shown in results, e.g. `sample(...).scheduler`. */
  readonly name: string;
  /** Called before each run: reset what you remember of the previous run here. */
  newRun?(start: SchedulerRunStart): void;
  /** Picks the next thread, as a SchedulerFunction does. */
  next(runnable: readonly number[], last: number | null, step: number): number;
  /**
   * When the picked thread `signaller` signals a condition variable with two or more sleepers: picks the one it
   * wakes, one of `sleepers` (1-based, increasing). Without this method the lowest-numbered sleeper wakes.
   */
  wake?(sleepers: readonly number[], signaller: number, step: number): number;
}

function checkWhole(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < min)) {
    throw new InterleaveOptionError(
      `Expected \`${name}\` to be an integer ≥ ${min}, got ${String(v)}: ` + `pass a whole number.`,
    );
  }
}

/** Uniform: at every step each runnable thread is equally likely (seeded: same seed, same runs). */
export function randomScheduler(seed = 1): InterleaveScheduler {
  checkWhole("seed", seed, -2147483648);
  const rand = makeRng(seed).next;
  return {
    name: "random",
    next: (runnable) => runnable[Math.floor(rand() * runnable.length)],
    wake: (sleepers) => sleepers[Math.floor(rand() * sleepers.length)],
  };
}

/**
 * PCT (probabilistic concurrency testing): each run gives the threads distinct random priorities and draws
 * depth - 1 change points (step numbers). The runnable thread with the highest priority moves; right after a change
 * point the thread that just moved drops below all others. Few, well-placed preemptions.
 */
export function pctScheduler(seed = 1, depth = 2): InterleaveScheduler {
  checkWhole("seed", seed, -2147483648);
  checkWhole("depth", depth, 1);
  const rand = makeRng(seed).next;
  let prio: number[] = []; // prio[thread]; thread numbers are 1-based, prio[0] is unused
  let changes: number[] = [];
  return {
    name: "pct",
    newRun({ threads, stepsEstimate }) {
      const order = Array.from({ length: threads }, (_, i) => i + 1);
      for (let i = threads - 1; i > 0; i--) {
        // Fisher–Yates shuffle
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      prio = new Array<number>(threads + 1);
      order.forEach((t, i) => {
        prio[t] = depth + i;
      });
      changes = [];
      for (let i = 1; i < depth; i++) changes.push(1 + Math.floor(rand() * stepsEstimate));
    },
    next(runnable, last, step) {
      const c = changes.indexOf(step);
      if (c >= 0 && last !== null) prio[last] = c + 1 - depth; // below every initial priority
      let t = runnable[0];
      for (const u of runnable) if (prio[u] > prio[t]) t = u;
      return t;
    },
    wake(sleepers) {
      let t = sleepers[0];
      for (const u of sleepers) if (prio[u] > prio[t]) t = u;
      return t;
    },
  };
}

/** One step per turn: the next runnable thread after the one that just moved (it switches whenever it can). */
export function roundRobinScheduler(): InterleaveScheduler {
  return { name: "round robin", next: (runnable, last) => runnable.find((t) => t > (last ?? 0)) ?? runnable[0] };
}

/**
 * Follows a schedule string ("1 2 2 1") step by step: the scheduler behind `replay`. An entry "3>1" also says which
 * sleeper T3's signal wakes (T1); a signal with several sleepers needs one.
 */
export function replayScheduler(schedule: string | readonly number[]): InterleaveScheduler {
  let order: number[] = [];
  let wakes: number[] = [];
  return {
    name: "replay",
    newRun({ threads }) {
      ({ threads: order, wakes } = parseScheduleWakes(schedule, threads));
    },
    wake(_sleepers, _signaller, step) {
      return wakes[step] + 1; // 0 when the entry names none: runMachine says what to write
    },
    next(_runnable, _last, step) {
      if (step >= order.length) {
        throw new InterleaveScheduleError(
          step + 1,
          `The schedule has ${order.length} entries, but the run can go on ` +
            `after them: add entries, or stop the run there with maxSteps: ${order.length}.`,
        );
      }
      return order[step] + 1;
    },
  };
}

/** A scheduler object from a function (named after the function, or "custom"); scheduler objects pass through. */
export function asScheduler(scheduler: InterleaveScheduler | SchedulerFunction): InterleaveScheduler {
  if (typeof scheduler === "function") {
    // JavaScript names an arrow written inline as `{ scheduler: (runnable) => ... }` "scheduler": that is no name.
    const name = scheduler.name && scheduler.name !== "scheduler" ? scheduler.name : "custom";
    return { name, next: scheduler };
  }
  if (typeof scheduler === "object" && scheduler !== null && typeof scheduler.next === "function") return scheduler;
  throw new InterleaveOptionError(
    `Expected a scheduler, got ${show(scheduler)}: pass a function ` +
      `(runnable, last, step) => thread, or an object with a next(runnable, last, step) method.`,
  );
}

function show(x: unknown): string {
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

/**
 * The error for a pick `thread` (1-based) that cannot take step `position` (1-based) at state v, as
 * `${subject}, but ${why}: ${what to do}.` Used by the run loop and by replay.
 */
export function pickError(
  m: InterleaveMachine,
  v: Int32Array,
  thread: unknown,
  position: number,
  subject: string,
): InterleaveScheduleError {
  const ok = typeof thread === "number" && Number.isInteger(thread) && thread >= 1 && thread <= m.nThreads;
  const t = ok ? (thread as number) - 1 : -1;
  const b = t < 0 ? null : m.block(v, t);
  const why =
    typeof thread !== "number"
      ? "that is not a thread number"
      : t < 0
        ? `the program has threads 1..${m.nThreads}`
        : b === "finished"
          ? `${m.names[t]} has already finished`
          : b === "blocked"
            ? `${m.names[t]} is blocked at \`${m.nextText(v, t)}\` (${m.blockReason(v, t)})`
            : "the run has already stopped with a fault";
  const can = m.names.map((n, u) => `${u + 1} (${n})`).filter((_, u) => m.canRun(v, u));
  const hint = can.length
    ? `pick a thread that can run: ${can.join(", ")}`
    : `no thread can run any more: end the schedule before position ${position}`;
  return new InterleaveScheduleError(position, `${subject}, but ${why}: ${hint}.`);
}

/** Hooks of the run loop (replay uses them). */
export interface RunHooks {
  /** Called after every step with the state before, the 0-based thread, the state after (reused: copy to keep). */
  onStep?(before: Int32Array, thread: number, after: Int32Array): void;
  /** Names a bad pick in the error message, e.g. `Position 3 of the schedule names thread 1`. */
  subject?(thread: unknown, position: number): string;
}

/** How one run of the machine ended: the threads that moved (0-based), the last state, and whether it ended. */
export interface MachineRun {
  path: number[];
  /**
   * Per step, the thread (0-based) a signal with several sleepers woke, else -1 (formatSchedule(path, wakes)); empty
   * when the program has no signal.
   */
  wakes: number[];
  state: Int32Array;
  /**
   * True when no thread can run any more; false when the run was cut: after maxSteps steps a thread could still run.
   */
  ended: boolean;
}

const NO_HOOKS: RunHooks = {};

/** The run loop (machine level, behind runOnce, sample and replay): asks the scheduler at every step. */
export function runMachine(
  m: InterleaveMachine,
  scheduler: InterleaveScheduler,
  maxSteps: number,
  run = 1,
  hooks: RunHooks = NO_HOOKS,
): MachineRun {
  const T = m.nThreads;
  if (scheduler.newRun) {
    scheduler.newRun({
      run,
      threads: T,
      stepsEstimate: Math.max(
        1,
        m.code.reduce((s, c) => s + c.length, 0),
      ),
    });
  }
  let v: Int32Array = m.initial();
  let after: Int32Array = new Int32Array(v.length);
  const path: number[] = [];
  const wakes: number[] = []; // filled only when the program signals (else every entry would be -1)
  const signals = m.hasSignals;
  const sleepers: number[] = [];
  let last: number | null = null;
  while (path.length < maxSteps) {
    const runnable: number[] = [];
    for (let t = 0; t < T; t++) if (m.canRun(v, t)) runnable.push(t + 1);
    if (runnable.length === 0) return { path, wakes, state: v, ended: true };
    const pick = scheduler.next(runnable, last, path.length);
    if (runnable.indexOf(pick) < 0) {
      const n = path.length;
      const subject = hooks.subject
        ? hooks.subject(pick, n + 1)
        : `Scheduler "${scheduler.name || "custom"}" returned ${show(pick)} after ${n} step${n === 1 ? "" : "s"}`;
      throw pickError(m, v, pick, n + 1, subject);
    }
    const t = pick - 1;
    let wake = -1;
    const n = signals ? m.signalWaiters(v, t, sleepers) : 0;
    if (n >= 2) {
      const choice = sleepers.slice(0, n).map((u) => u + 1);
      const w = scheduler.wake ? scheduler.wake(choice, pick, path.length) : choice[0];
      if (choice.indexOf(w) < 0) {
        const s = path.length + 1;
        const subject = hooks.subject
          ? hooks.subject(pick, s)
          : `Scheduler "${scheduler.name || "custom"}" picked thread ${pick} at step ${s}`;
        const names = choice.map((u) => m.names[u - 1]).join(", ");
        throw new InterleaveScheduleError(
          s,
          `${subject}, whose \`${m.nextText(v, t)}\` may wake any of ${names}` +
            (scheduler.wake && w !== 0 ? `, not ${show(w)}` : "") +
            `: say which one it wakes: ${choice.map((u) => `"${pick}>${u}"`).join(" or ")}.`,
        );
      }
      wake = w - 1;
    }
    m.step(v, t, after, wake);
    if (hooks.onStep) hooks.onStep(v, t, after);
    [v, after] = [after, v];
    path.push(t);
    if (signals) wakes.push(wake);
    last = pick;
  }
  for (let t = 0; t < T; t++) if (m.canRun(v, t)) return { path, wakes, state: v, ended: false };
  return { path, wakes, state: v, ended: true }; // finished on exactly the last allowed step: not cut
}

/** One run: the threads that moved as a schedule string, and how it ended ("cut": it took maxSteps steps). */
export interface InterleaveRun {
  schedule: string;
  status: "done" | "deadlock" | "fault" | "cut";
  /** Outcome key as in explore's histogram (e.g. "counter=1"), or null when cut. */
  outcome: string | null;
}

/** Runs the program once from its initial state, asking `scheduler` at every step (maxSteps: default 10,000). */
export function runOnce(
  program: InterleaveProgram,
  scheduler: InterleaveScheduler | SchedulerFunction,
  options: { maxSteps?: number } = {},
): InterleaveRun {
  checkOptions(InterleaveOptionError, "the options object of runOnce", options, ["maxSteps"]);
  checkWhole("maxSteps", options.maxSteps, 1);
  const m = new InterleaveMachine(program);
  const r = runMachine(m, asScheduler(scheduler), options.maxSteps ?? 10_000);
  const oc = r.ended ? m.outcome(r.state) : null;
  return { schedule: formatSchedule(r.path, r.wakes), status: oc ? oc.kind : "cut", outcome: oc ? oc.key : null };
}
