/**
 * Types of the async checker: a program of the learner's own async functions over a shared store, and the results
 * of exploring or replaying it.
 */

/** Plain JSON data: what the store holds (copied fresh for every run). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The store handle a task receives. Every awaited operation is ONE step, and the only place where another task may
 * run: the code after an operation, up to the next one, runs inside that operation's step.
 */
export interface AsyncStore {
  /** The value under `key` (a copy). */
  read(key: string): Promise<any>;
  /** Sets `key` to a copy of `value` (plain JSON). */
  write(key: string, value: unknown): Promise<void>;
  /**
   * Reads, applies `fn`, writes, in ONE step (what `x = fn(x)` is between two awaits), and returns the value BEFORE
   * the change (like Java's `getAndUpdate`). So a task can check and act with no await in between:
   * `const before = await s.update("cache", (c) => c ?? "loading")` claims the slot only if it was empty, and
   * `before === null` tells this task that it won.
   */
  update(key: string, fn: (value: any) => unknown): Promise<any>;
  /** Takes the mutex `name`; while another task holds it, this step is not enabled (the task waits). */
  lock(name: string): Promise<void>;
  /** Releases the mutex `name`, which this task must hold. */
  unlock(name: string): Promise<void>;
  /** A step that does nothing: lets other tasks run. */
  yield(): Promise<void>;
  /**
   * Waits until `test(value of key)` is true, then returns that value; not enabled while the test is false. With
   * `change`, the same step also sets the key to `change(value)` (wait and act with no await in between, e.g. take
   * a permit: `s.waitUntil("permits", (p) => p > 0, (p) => p - 1)`); it still returns the value before the change.
   */
  waitUntil(key: string, test: (value: any) => boolean, change?: (value: any) => unknown): Promise<any>;
}

/** One task: the learner's `async (s) => { ... }`. */
export type AsyncTask = (s: AsyncStore) => Promise<unknown>;

/** A predicate over the store: true when it holds; false or a message string when it is violated. */
export type StorePredicate = (store: any) => boolean | string;

/** A program to check. */
export interface AsyncProgram {
  /** The shared store at the start (plain JSON object; every run starts from a fresh copy). */
  init: Record<string, unknown>;
  /** The tasks (1 to 8), numbered 1, 2, ... in schedules. */
  tasks: AsyncTask[];
  /** Checked on the store at the start and after every step. */
  invariant?: StorePredicate;
  /** Checked on the store when every task has finished. */
  final?: StorePredicate;
}

/** Options of `checkAsync` and `replayAsync`. */
export interface AsyncCheckOptions {
  /** Stop with an error after this many runs from scratch (default 50,000: about 4 s). */
  maxRuns?: number;
  /** Stop with an error when one run takes more steps (default 200: a task spins forever around an await). */
  maxSteps?: number;
  /** A task's code between two operations must finish within this many ms (default 500; limit 50..10,000). */
  stepTimeoutMs?: number;
  /**
   * Reuse what was found below a state reached again (same store, same locks, each task having seen the same
   * values). Counts stay exact when each task is a deterministic function of what it reads (default true).
   */
  cache?: boolean;
}

/** A final store reached, and how many complete schedules reach it. */
export interface AsyncOutcome {
  count: number;
  /** One schedule that reaches it, e.g. "1 2 2 1". */
  witness: string;
}

/** An invariant or final check that failed. */
export interface AsyncViolation {
  kind: "invariant" | "final";
  /** The message the predicate returned (or "invariant returned false"). */
  message: string;
  /** Schedules (complete or deadlocked) whose FIRST violation is this one; for `final`, complete schedules. */
  count: number;
  /** A schedule whose last step produces the violation. */
  witness: string;
  /** The store right after the witness. */
  store: string;
}

/** What a task waits for in a stuck state. */
export interface AsyncWait {
  task: number;
  /** e.g. `lock("a")` or `waitUntil("items")`. */
  waitsFor: string;
  /** The task holding the lock it waits for (null for waitUntil or a lock nobody holds). */
  heldBy: number | null;
  /** Locks this task holds. */
  holds: string[];
}

/** Schedules that end stuck in one state: nobody finished can move. */
export interface AsyncDeadlock {
  count: number;
  witness: string;
  waits: AsyncWait[];
  store: string;
}

/** Result of `checkAsync`. */
export interface AsyncCheckResult {
  /** Complete schedules (every task finished); exact. Deadlocked schedules are not counted here. */
  schedules: number;
  /** Schedules that end in a deadlock (sum of `deadlocks[].count`). */
  deadlockSchedules: number;
  /** Final store as JSON → count and witness; keys in first-found order. */
  outcomes: Record<string, AsyncOutcome>;
  violations: AsyncViolation[];
  deadlocks: AsyncDeadlock[];
  /** Runs from scratch it took, and steps executed in all. */
  runs: number;
  steps: number;
  /** States whose subtree was reused from the cache. */
  cacheHits: number;
  /** True when no invariant or final check failed and nothing deadlocked. */
  ok: boolean;
}

/** One step of a replay. */
export interface AsyncStepRow {
  step: number;
  task: number;
  /** e.g. `read("count")`. */
  operation: string;
  /** The value read, written or returned (JSON), "" for lock/unlock/yield. */
  value: string;
  /** The store after the step, as JSON. */
  store: string;
  /** Locks held after the step: name → task. */
  locks: Record<string, number>;
  /** The invariant's message when it fails after this step. */
  violation: string | null;
  /** Tasks finished after this step. */
  finished: number[];
  /** Tasks not finished that cannot move after this step (waiting for a lock or a waitUntil test). */
  blocked: number[];
}

/** Result of `replayAsync`. */
export interface AsyncReplay {
  schedule: string;
  /** The store at the start and at the end, as JSON. */
  initial: string;
  final: string;
  steps: AsyncStepRow[];
  /** complete: every task finished; deadlock: stuck; partial: the schedule ended before the tasks did. */
  status: "complete" | "deadlock" | "partial";
  /** For a deadlock: who waits for what. */
  waits: AsyncWait[];
  /** The final check's message when it fails on a complete run. */
  finalViolation: string | null;
  /** The first invariant violation (step and message), if any. */
  firstViolation: { step: number; message: string } | null;
  tasks: number;
  /** Tasks that cannot move at the start (a waitUntil test false). */
  blockedAtStart: number[];
}
