/**
 * Shapes of the scheduling simulator. Time is in ticks (read them as milliseconds in the chapters).
 * A task is a list of segments; a machine has cores, IO devices, a context-switch cost and maybe a GIL;
 * a policy decides who runs next and whether to preempt.
 */

/** One step of a task: CPU work, an IO wait, taking / releasing a named lock, or a voluntary yield. */
export type SchedSegment =
  | { kind: "cpu"; duration: number }
  | { kind: "io"; duration: number; device: string }
  | { kind: "lock"; lock: string }
  | { kind: "unlock"; lock: string }
  | { kind: "yield" };

/**
 * A task (thread, process, coroutine): segments run in order from `arrival` (ticks). Higher `priority` = more
 * important.
 */
export interface SchedTask {
  name: string;
  segments: SchedSegment[];
  arrival: number;
  priority: number;
}

/** The machine tasks run on. */
export interface SchedMachine {
  /** Number of cores (whole number ≥ 1). */
  cores: number;
  /** Ticks a core spends switching to a different task (0 = free). */
  switchCost: number;
  /** One global lock every CPU segment must hold (Python's GIL): at most one task computes at a time. */
  gil: boolean;
  /** Capacity of each IO device by name (requests served at once); devices not listed serve everyone at once. */
  devices: Record<string, number>;
}

/** What a task is doing during a trace segment. */
export type SchedState = "running" | "ready" | "io" | "blocked" | "switching";

/** One interval of the trace: task `task` (index into the given tasks) was in `state` from `start` to `end` (ticks). */
export interface SchedTraceSegment {
  task: number;
  name: string;
  /** Core index for running / switching, -1 otherwise. */
  core: number;
  start: number;
  end: number;
  state: SchedState;
  /** For io: the device; for blocked: the lock or device waited for ("GIL" for the global lock). */
  on?: string;
  /** For running: the locks the task holds while it computes (comma-separated), absent when it holds none. */
  holds?: string;
}

/**
 * How locks change priorities (only with the PRIORITY policy): "none" (default); "inheritance": a task holding a lock
 * runs at the highest priority of the tasks waiting for it, transitively (Sha, Rajkumar & Lehoczky 1990);
 * "ceiling": a task holding a lock runs at the lock's ceiling, the highest priority of any task that ever takes it
 * (the immediate ceiling protocol, POSIX PTHREAD_PRIO_PROTECT). A task falls back when it releases the lock.
 */
export type SchedLockProtocol = "none" | "inheritance" | "ceiling";

/** A task's effective priority changed at `time` (ticks) because of the lock protocol. */
export interface SchedPriorityChange {
  time: number;
  task: string;
  /** The task's effective priority from `time` on, and its own (base) priority. */
  priority: number;
  base: number;
  /** The lock that caused it (the one it now holds, is waited for on, or released). */
  lock: string;
}

/** Per-task outcome (ticks). NaN when the task never finished (deadlock). */
export interface SchedTaskResult {
  name: string;
  arrival: number;
  priority: number;
  /** Total CPU work and IO service time of the task. */
  cpu: number;
  io: number;
  /**
   * First time it computed on a core (or, for a task with no CPU work, first time it was on one, or else first
   * served by a device), and the time it finished.
   */
  firstRun: number;
  finish: number;
  /** firstRun − arrival. */
  response: number;
  /** finish − arrival. */
  turnaround: number;
  /** turnaround − cpu − io: time it could have progressed but did not (ready + switching + blocked). */
  wait: number;
  /** Breakdown of wait: ready for a core, being switched in, blocked on a lock / device / GIL. */
  ready: number;
  switching: number;
  blocked: number;
  done: boolean;
}

/** Per-core time use (ticks) over the makespan. */
export interface SchedCoreResult {
  core: number;
  running: number;
  switching: number;
  /** (running + switching) / makespan, 0..1. */
  utilisation: number;
}

/** Per-device time use (ticks) over the makespan. */
export interface SchedDeviceResult {
  device: string;
  capacity: number;
  /** Sum of the IO durations served. */
  serviceTime: number;
  /** Time with at least one request in service. */
  busyTime: number;
  /** serviceTime / (capacity × makespan) for a finite capacity, busyTime / makespan otherwise; 0..1. */
  utilisation: number;
}

/** A workload that can never finish: every unfinished task waits for something nobody will release. */
export interface SchedDeadlock {
  /** Time (ticks) at which nothing could move any more. */
  time: number;
  waiting: { task: string; waitsFor: string; heldBy: string | null; holderState: string }[];
  /** Learner-facing explanation: who waits for what, and what to change. */
  message: string;
}

/** Everything a run produced. */
export interface SchedResult {
  policy: string;
  machine: SchedMachine;
  /** One entry per task, in the order the tasks were given. */
  tasks: SchedTaskResult[];
  /** Means over finished tasks (ticks). */
  averages: { response: number; turnaround: number; wait: number };
  cores: SchedCoreResult[];
  devices: SchedDeviceResult[];
  /** Time the last task finished (ticks; the deadlock time if it never did). */
  makespan: number;
  /** Finished tasks per tick. */
  throughput: number;
  /** Times a core started a task other than the one it ran last (the first task on each core is free). */
  contextSwitches: number;
  /** Intervals per task, in time order of their start; adjacent intervals of the same state are merged. */
  trace: SchedTraceSegment[];
  /** Null when every task finished. */
  deadlock: SchedDeadlock | null;
  /** With a lock protocol: every change of a task's effective priority, in time order (absent without one). */
  priorityChanges?: SchedPriorityChange[];
}

/** What a policy sees of a task (read-only; times in ticks). */
export interface SchedTaskView {
  /** Index of the task in the given list. */
  readonly id: number;
  readonly name: string;
  readonly priority: number;
  readonly arrival: number;
  /** Total CPU work, and CPU work left (up to date when the policy is asked). */
  readonly cpuTotal: number;
  readonly cpuLeft: number;
  /** Time the task last entered the ready queue. */
  readonly readySince: number;
}

/** Why a task left the core. */
export type SchedStopReason = "expired" | "preempted" | "io" | "lock" | "yield" | "done";

/**
 * A scheduling policy: the one seam between the engine and the decisions. Adding a policy = one small file.
 * `ready` is ordered by the time each task became ready (ties: arrivals and IO returns before quantum expiries).
 */
export interface SchedPolicy {
  readonly name: string;
  /** Index in `ready` (non-empty) of the task to run next. */
  pick(ready: readonly SchedTaskView[], now: number): number;
  /**
   * Ticks the task may run once dispatched before it goes back to the ready queue (Infinity = until it blocks or ends).
   */
  slice(task: SchedTaskView, now: number): number;
  /** True if ready `candidate` should take the core from `running` now. */
  preempts(candidate: SchedTaskView, running: SchedTaskView, now: number): boolean;
  /** Told when a task starts running after a dispatch. */
  started?(task: SchedTaskView, now: number): void;
  /** Told when a task leaves the core: `ran` = ticks it ran since it was dispatched. */
  stopped?(task: SchedTaskView, ran: number, why: SchedStopReason, now: number): void;
  /**
   * Next time (ticks, > now) the policy wants to decide again though nothing else happens (aging, boosts); Infinity =
   * never.
   */
  wakeAt?(now: number, ready: readonly SchedTaskView[], running: readonly SchedTaskView[]): number;
  /** Called at that time, before the engine decides again. */
  onWake?(now: number): void;
}
