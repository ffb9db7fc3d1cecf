/**
 * Shapes of the event-loop model: options, the recorded run, and the named errors.
 * All times are simulated milliseconds from the start of the program (t = 0).
 */
import { CourseError } from "../errors";

/** The loop phase that was running: the main script, or one of Node's phases. */
export type LoopPhase = "main" | "timers" | "poll" | "check";

/** Which queue a callback came from. */
export type LoopSource = "main" | "timer" | "immediate" | "io" | "nextTick" | "microtask";

/** Options of one run. */
export interface LoopOptions {
  /**
   * Where the program body runs. "main" (default): as the main script, then the loop starts with the timers phase.
   * "io": as an IO callback in the poll phase, so the check phase (setImmediate) comes before the timers phase.
   * Real Node orders `setTimeout(0)` vs `setImmediate` from the main script either way (it depends on how long the
   * process took to start): the model records that as a race in `LoopRun.races`, and `timerRace` picks the side it
   * runs (`runLoopOrders` runs both). Inside an IO callback Node is deterministic, and so is the model.
   */
  start?: "main" | "io";
  /**
   * The main script's module type (only for `start: "main"`). "commonjs" (default, a `.js`/`.cjs` file): after the
   * script, `process.nextTick` callbacks run before promise jobs. "esm" (an `.mjs` file or `"type": "module"`): the
   * module body is itself evaluated inside a promise job, so the promise jobs it queued run first, then nextTicks.
   */
  module?: "commonjs" | "esm";
  /**
   * A timer due less than 1 ms after the clock when a timers phase begins, with other callbacks ready to run first
   * (setImmediate, IO): whether it runs in this phase depends on sub-millisecond real time the model does not have
   * (Node's clock counts whole ms). "wait" (default): the timer waits for the next turn, as if less than 1 ms had
   * passed; "fire": the clock moves to its due time and it runs now, as if a whole ms had passed unnoticed.
   * Either way the run lists the race in `races`.
   */
  timerRace?: "wait" | "fire";
  /** Cap on steps (callbacks run + API calls) before `EventLoopRunawayError`; default 100000. */
  maxSteps?: number;
  /** Cap on recorded queue snapshots (the run goes on, later snapshots are dropped); default 5000. */
  maxSnapshots?: number;
}

/** One `log(...)` line: what was printed, by which task, at which simulated time (ms). */
export interface LoopLogLine {
  time: number;
  task: string;
  text: string;
  phase: LoopPhase;
}

/** One callback the loop ran, in order: its label, task, queue, phase and start/end (ms). */
export interface LoopCallbackRun {
  index: number;
  label: string;
  task: string;
  source: LoopSource;
  phase: LoopPhase;
  start: number;
  end: number;
}

/** A stretch of the single thread: a task running, a task blocked in synchronous IO, or the loop idle (ms). */
export interface LoopSegment {
  kind: "run" | "blockingIO" | "idle";
  task: string;
  label: string;
  phase: LoopPhase;
  source: LoopSource | "idle";
  start: number;
  end: number;
}

/** A task waiting off the thread: an IO operation in flight or a timer counting down (ms). */
export interface LoopWait {
  kind: "io" | "timer";
  task: string;
  label: string;
  start: number;
  end: number;
}

/** How late a timer callback ran: due time vs the time it actually started (ms). */
export interface LoopTimerLag {
  label: string;
  task: string;
  due: number;
  fired: number;
  lag: number;
}

/** An entry shown in a queue column of the step-through display. `at` = due / completion time (ms) if any. */
export interface LoopQueueItem {
  label: string;
  task: string;
  at?: number;
}

/** What is on the call stack and in every queue, at one moment. */
export interface LoopQueueView {
  stack: LoopQueueItem[];
  nextTicks: LoopQueueItem[];
  microtasks: LoopQueueItem[];
  timers: LoopQueueItem[];
  immediates: LoopQueueItem[];
  io: LoopQueueItem[];
}

/** The state of the loop at one step: what runs, and what waits in every queue. */
export interface LoopSnapshot extends LoopQueueView {
  index: number;
  time: number;
  phase: LoopPhase;
  /**
   * "start": a callback was taken off its queue and runs; "end": it returned; "idle": the loop waited; "done": the loop
   * exited.
   */
  event: "start" | "end" | "idle" | "done";
  /** Log lines printed so far. */
  logCount: number;
}

/** Per-task summary (ms). Response = first run − creation; turnaround = completion − creation. */
export interface LoopTaskReport {
  name: string;
  /** 0-based order of first appearance; use `seriesColor(index)`. */
  index: number;
  async: boolean;
  created: number;
  firstRun: number | null;
  completed: number | null;
  response: number | null;
  turnaround: number | null;
  cpuTime: number;
  blockingIOTime: number;
  /** "stuck": an async task still awaiting when the loop ran out of work (it would wait forever). */
  status: "done" | "failed" | "stuck";
  /** For stuck tasks: the label of the promise it awaits. */
  awaiting?: string;
}

/**
 * A timers phase where the model could not know the order: `timers` were due within 1 ms of the phase's clock while
 * `others` (setImmediate / IO callbacks) were ready. Real Node runs the timers first or last depending on
 * sub-millisecond timing; `resolvedAs` says which the model did (see the `timerRace` option).
 */
export interface LoopRace {
  time: number;
  timers: string[];
  others: string[];
  resolvedAs: "wait" | "fire";
}

/** An async task that never finished: what it awaits and since when (ms). */
export interface LoopStuckTask {
  task: string;
  awaiting: string;
  since: number;
}

/** A callback threw: real Node would exit with an uncaught exception, so the model stops there. */
export interface LoopCrash {
  time: number;
  task: string;
  label: string;
  message: string;
}

/** Everything one run recorded. */
export interface LoopRun {
  /** The log lines in order. */
  logs: LoopLogLine[];
  /** Just the log texts in order (what a real run would print). */
  order: string[];
  callbacks: LoopCallbackRun[];
  timeline: LoopSegment[];
  waits: LoopWait[];
  timerLags: LoopTimerLag[];
  snapshots: LoopSnapshot[];
  snapshotsTruncated: boolean;
  tasks: LoopTaskReport[];
  stuck: LoopStuckTask[];
  /** Timers phases whose order depended on sub-millisecond real time (empty when the order is certain). */
  races: LoopRace[];
  crash: LoopCrash | null;
  /** Labels of promises rejected with no handler at the end of the run. */
  unhandledRejections: string[];
  /** Simulated time when the loop exited (ms). */
  endTime: number;
  /** Steps used (callbacks + API calls), compared with `maxSteps`. */
  steps: number;
}

/** Base class of the model's own errors (never swallowed as a program crash). */
export class EventLoopError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input to the model: the message says what was expected and what to change. */
export class EventLoopInputError extends EventLoopError {}

/** The program ran more than `maxSteps` steps: probably it never ends. */
export class EventLoopRunawayError extends EventLoopError {}
