/**
 * Chapter 08's question as a simulation: N connections each send one request that takes R ms when run alone,
 * a share s of it on the CPU and the rest waiting for IO. Serve them all with
 *   - processes: one pre-started worker process per core, each serving its connections one after the other
 *     (blocking IO);
 *   - threads (with or without a GIL): a pre-created thread per connection, up to the OS limit or the RAM budget,
 *     preemptive round robin;
 *   - async: one task per connection on one event loop (one core), cooperative;
 *   - processes × async: one process per core, each an event loop with its share of the connections;
 *   - async on N threads: one task per connection, cooperative, on a pool of one thread per core (shared queue);
 *   - messages: one event loop holds every connection and sends each request's CPU work as a message to a pool of
 *     workers that share nothing (one per core, as Node's worker-pool example and ProcessPoolExecutor's default size
 *     them; the loop shares a core with one of them), which sends the result back;
 * on the lib/sched machine, and see which finishes first. Each request also pays two hand-offs on its core (woken
 * when its data arrives, switched away when it waits): OS-thread hand-offs for processes and threads (growing with
 * costs.ts), event-loop turns for the async models (both × the optional growth). Left out: preemption switches every
 * quantum (< 0.2 %), GIL convoys, syscalls and parsing (the same for every model).
 * The maps read only makespans: they run lib/sched without a trace (scheduleMakespan), the same events and times.
 */
import { checkArray, checkOptions, checkResult } from "../../errors/validate";
import type { SchedMachine, SchedResult, SchedSegment, SchedTask } from "../../sched/index";
import { runSchedule, scheduleMakespan } from "../../sched/index";
import {
  asyncHandOffMs,
  CHOOSE_MODELS,
  type ChooseCosts,
  ChooseInputError,
  type ChooseModel,
  type ChoosePoint,
  chooseCosts,
  handOffMs,
  maxThreads,
  requestShape,
} from "./costs";

export * from "./costs";

/** One lib/sched run of a model (processes × async has one per process). */
export interface ChooseRun {
  tasks: SchedTask[];
  machine: Partial<SchedMachine>;
  policy: "RR" | "COOPERATIVE" | "FIFO";
  quantum?: number;
  /** Runs of one model with the same key have the same makespan (processes × async: the share of connections). */
  twin?: string;
}

/** A model turned into sched workloads, plus how many workers, the hand-off per request and the memory (MB). */
export interface ChooseSetup extends ChooseRun {
  model: ChooseModel;
  /**
   * Every run of the model (one, or one per process for processes × async; the first is `tasks`/`machine`). Runs
   * with the same `twin` key are built alike (same durations and arrivals, other names): one makespan serves all.
   */
  runs: ChooseRun[];
  /** Processes, threads or async tasks created. */
  workers: number;
  /** CPU time of the two hand-offs each request pays (ms). */
  handOffMs: number;
  memoryMB: number;
}

/** Each worker's connections one after the other: [cpu, io] per request (connection i goes to worker i mod k). */
function sequentialShare(k: number, n: number, cpuMs: number, ioMs: number): SchedSegment[][] {
  const out: SchedSegment[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++)
    out[i % k].push({ kind: "cpu", duration: cpuMs }, { kind: "io", duration: ioMs, device: "net" });
  return out;
}

/** One async task per connection: [cpu, io], created one after the other. */
function asyncTasks(n: number, cpuMs: number, ioMs: number, createMs: number, prefix = "task"): SchedTask[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix} ${i + 1}`,
    segments: [
      { kind: "cpu", duration: cpuMs },
      { kind: "io", duration: ioMs, device: "net" },
    ] as SchedSegment[],
    arrival: i * createMs,
    priority: 0,
  }));
}

function setup(model: ChooseModel, runs: ChooseRun[], workers: number, hand: number, memoryMB: number): ChooseSetup {
  return { model, ...runs[0], runs, workers, handOffMs: 2 * hand, memoryMB };
}

/** Build the sched workload of `model` at `point` (times in ms). */
export function chooseSetup(model: ChooseModel, point: ChoosePoint, costs: Partial<ChooseCosts> = {}): ChooseSetup {
  const c = chooseCosts(costs);
  const { cpuMs, ioMs } = requestShape(point);
  const n = point.connections;
  if (model === "processes") {
    const k = Math.min(c.cores, n);
    const hand = handOffMs(k, c);
    const tasks = sequentialShare(k, n, cpuMs + 2 * hand, ioMs).map((segs, i) => ({
      name: `process ${i + 1}`,
      segments: segs,
      arrival: c.processSpawnMs, // children start in parallel, each on its own core
      priority: 0,
    }));
    // k ≤ cores processes: each has a core of its own, so no one is ever preempted for another and round robin
    // gives FIFO's run exactly (test-checked); FIFO skips the quantum expiries that change nothing.
    const run: ChooseRun = { tasks, machine: { cores: c.cores }, policy: "FIFO" };
    return setup(model, [run], k, hand, k * c.processMemoryMB);
  }
  if (model === "threads" || model === "threadsGil") {
    const k = Math.min(n, maxThreads(c));
    const hand = handOffMs(k, c);
    const tasks = sequentialShare(k, n, cpuMs + 2 * hand, ioMs).map((segs, i) => ({
      name: `thread ${i + 1}`,
      segments: segs,
      arrival: (i + 1) * c.threadCreateMs,
      priority: 0,
    }));
    // With a GIL only the holder computes: the pool computes like one core. lib/sched's GIL machine
    // ({ cores, gil: true }) gives the same times (test-checked) but is slower with thousands of threads.
    const machine = { cores: model === "threadsGil" ? 1 : c.cores };
    return setup(model, [{ tasks, machine, policy: "RR", quantum: c.quantumMs }], k, hand, k * c.threadMemoryMB);
  }
  const hand = asyncHandOffMs(n, c);
  const perTask = cpuMs + 2 * hand;
  if (model === "async") {
    const run: ChooseRun = {
      tasks: asyncTasks(n, perTask, ioMs, c.asyncCreateMs),
      machine: { cores: 1 },
      policy: "COOPERATIVE",
    };
    return setup(model, [run], n, hand, n * c.asyncMemoryMB);
  }
  if (model === "asyncN") {
    const run: ChooseRun = {
      tasks: asyncTasks(n, perTask, ioMs, c.asyncCreateMs),
      machine: { cores: c.cores },
      policy: "COOPERATIVE",
    };
    return setup(model, [run], n, hand, n * c.asyncMemoryMB);
  }
  if (model === "processesAsync") {
    // the kernel spreads connections over the processes (Node cluster: round robin); each process is one loop
    const k = Math.min(c.cores, n);
    const runs: ChooseRun[] = Array.from({ length: k }, (_, p) => {
      const share = Math.floor(n / k) + (p < n % k ? 1 : 0);
      const tasks = asyncTasks(share, perTask, ioMs, c.asyncCreateMs, `process ${p + 1} task`).map((t) => ({
        ...t,
        arrival: t.arrival + c.processSpawnMs,
      }));
      return { tasks, machine: { cores: 1 }, policy: "COOPERATIVE", twin: `share ${share}` };
    });
    return setup(model, runs, k, hand, k * c.processMemoryMB + n * c.asyncMemoryMB);
  }
  if (model === "messages") {
    // The loop serves every connection (its IO hand-offs as in async); a request with CPU work sends it to the pool
    // (a device of one slot per core, first come first served), which pays one message to receive it and computes;
    // the loop pays one message to receive the result, then the request waits for its IO. The pool has a worker per
    // core, so the loop shares a core with one of them: lib/sched cannot put two threads on one core, so the loop's
    // CPU per request (its hand-offs and its message) is charged to the pool as well — the worker beside the loop
    // takes fewer jobs from the shared queue — and the cores' total work is that of the real program.
    const w = c.cores;
    const loopMs = 2 * hand + c.messageMs;
    const tasks = asyncTasks(n, 2 * hand, ioMs, c.asyncCreateMs).map((t) => ({
      ...t,
      segments: (cpuMs > 0
        ? [
            { kind: "cpu", duration: 2 * hand },
            { kind: "io", duration: c.messageMs + cpuMs + loopMs, device: "workers" },
            { kind: "cpu", duration: c.messageMs },
            { kind: "io", duration: ioMs, device: "net" },
          ]
        : t.segments) as SchedSegment[],
    }));
    const run: ChooseRun = { tasks, machine: { cores: 1, devices: { workers: w } }, policy: "COOPERATIVE" };
    return setup(model, [run], w, hand, w * c.processMemoryMB + n * c.asyncMemoryMB);
  }
  throw new ChooseInputError(`Unknown model ${JSON.stringify(model)}: use one of ${CHOOSE_MODELS.join(", ")}.`);
}

/** What one model achieved at one point (ms, MB). */
export interface ChooseOutcome {
  model: ChooseModel;
  /** Time until the last connection was served (ms). */
  makespan: number;
  workers: number;
  memoryMB: number;
}

const asOptions = (run: ChooseRun) => ({
  tasks: run.tasks,
  machine: run.machine,
  policy: run.policy,
  ...(run.quantum === undefined ? {} : { quantum: run.quantum }),
});

/**
 * One model at one point, makespan only (what the maps compare): lib/sched without a trace, and one run per `twin`
 * key. The same makespan as `simulateChoice` (test-checked), in less than half the time with thousands of tasks.
 */
export function chooseOutcome(model: ChooseModel, point: ChoosePoint, costs: Partial<ChooseCosts> = {}): ChooseOutcome {
  const s = chooseSetup(model, point, costs);
  const done = new Map<string, number>();
  let makespan = 0;
  for (const run of s.runs) {
    let m = run.twin === undefined ? undefined : done.get(run.twin);
    if (m === undefined) {
      m = scheduleMakespan(asOptions(run));
      if (run.twin !== undefined) done.set(run.twin, m);
    }
    makespan = Math.max(makespan, m);
  }
  return { model, makespan, workers: s.workers, memoryMB: s.memoryMB };
}

/** Simulate one model at one point; also returns the sched result (for processes × async: process 1's loop). */
export function simulateChoice(
  model: ChooseModel,
  point: ChoosePoint,
  costs: Partial<ChooseCosts> = {},
): ChooseOutcome & { result: SchedResult } {
  const s = chooseSetup(model, point, costs);
  let makespan = 0;
  let first: SchedResult | null = null;
  for (const run of s.runs) {
    const result = runSchedule(asOptions(run));
    first = first ?? result;
    makespan = Math.max(makespan, result.makespan);
  }
  return { model, makespan, workers: s.workers, memoryMB: s.memoryMB, result: first! };
}

/** What an OS thread costs in the model, with or without a GIL (both thread models read the same costs). */
const THREAD_COSTS: readonly (keyof ChooseCosts)[] = [
  "cores",
  "osThreadLimit",
  "memoryBudgetMB",
  "threadMemoryMB",
  "threadSwitchMs",
  "switchGrowth",
  "quantumMs",
  "threadCreateMs",
];

/**
 * The costs each model reads (chooseSetup): two runs of a model at one point with these equal give the same outcome
 * (test-checked by changing every other cost). chooseSweep's `reuse` copies outcomes on that basis.
 */
export const COSTS_READ: Record<ChooseModel, readonly (keyof ChooseCosts)[]> = {
  processes: ["cores", "processSpawnMs", "processMemoryMB", "threadSwitchMs", "switchGrowth"],
  threadsGil: THREAD_COSTS,
  threads: THREAD_COSTS,
  async: ["cores", "asyncSwitchMs", "switchGrowth", "asyncCreateMs", "asyncMemoryMB"],
  asyncN: ["cores", "asyncSwitchMs", "switchGrowth", "asyncCreateMs", "asyncMemoryMB"],
  processesAsync: [
    "cores",
    "asyncSwitchMs",
    "switchGrowth",
    "asyncCreateMs",
    "asyncMemoryMB",
    "processSpawnMs",
    "processMemoryMB",
  ],
  messages: [
    "cores",
    "asyncSwitchMs",
    "switchGrowth",
    "asyncCreateMs",
    "asyncMemoryMB",
    "messageMs",
    "processMemoryMB",
  ],
};

/** Key of one model's outcome at one point under `costs` (only the costs the model reads). */
function outcomeKey(model: ChooseModel, p: ChoosePoint, costs: ChooseCosts): string {
  return [model, p.cpuShare, p.connections, p.requestMs, ...COSTS_READ[model].map((k) => costs[k])].join("|");
}

/** A cell from its outcomes: the winner (smallest makespan, ties by model order) and every model within `tie`. */
function cellOf(
  point: ChoosePoint,
  outcomes: ChooseOutcome[],
  models: readonly ChooseModel[],
  tie: number,
): ChooseCell {
  const sorted = [...outcomes].sort(
    (a, b) => a.makespan - b.makespan || models.indexOf(a.model) - models.indexOf(b.model),
  );
  const best = sorted[0].makespan;
  return {
    point,
    outcomes,
    winner: sorted[0].model,
    near: sorted.filter((o) => o.makespan <= best * (1 + tie)).map((o) => o.model),
    margin: sorted.length > 1 ? sorted[1].makespan / Math.max(best, 1e-9) : Infinity,
  };
}

/** All models at one point, the winner (smallest makespan) and every model within `tie` of it. */
export interface ChooseCell {
  point: ChoosePoint;
  outcomes: ChooseOutcome[];
  winner: ChooseModel;
  /** Models whose makespan is within `tie` (relative) of the winner's, winner first. */
  near: ChooseModel[];
  /** Second best makespan / best (≥ 1): how clear the win is. */
  margin: number;
}

/** Compare `models` at one point; ties within `tie` (default 0.05 = 5 %) are listed in `near`. */
export function comparePoint(
  point: ChoosePoint,
  options: { models?: readonly ChooseModel[]; costs?: Partial<ChooseCosts>; tie?: number } = {},
): ChooseCell {
  checkResult(
    ChooseInputError,
    "the point given to comparePoint",
    point,
    ["cpuShare", "connections"],
    "pass a ChoosePoint, as in the chapter",
  );
  const models = options.models ?? CHOOSE_MODELS;
  if (!Array.isArray(models) || models.length === 0)
    throw new ChooseInputError(`Expected \`models\` to list at least one of ${CHOOSE_MODELS.join(", ")}.`);
  const tie = options.tie ?? 0.05;
  const outcomes = models.map((m) => chooseOutcome(m, point, options.costs));
  return cellOf(point, outcomes, models, tie);
}

/** Options of `chooseSweep`: the grid and the models compared. */
export interface ChooseSweepOptions {
  cpuShares?: number[];
  connections?: number[];
  requestMs?: number[];
  models?: readonly ChooseModel[];
  costs?: Partial<ChooseCosts>;
  tie?: number;
  /**
   * Sweeps run before: an outcome of the same model at the same point, under the same values of the costs that
   * model reads (COSTS_READ), is copied instead of simulated again — the same numbers, computed once.
   */
  reuse?: readonly ChooseSweep[];
}

/** The whole grid: cells[r][c][s] for requestMs[r], connections[c], cpuShares[s]. */
export interface ChooseSweep {
  cpuShares: number[];
  connections: number[];
  requestMs: number[];
  models: ChooseModel[];
  costs: ChooseCosts;
  tie: number;
  cells: ChooseCell[][][];
}

/** Default grid: shares 0…1, 1…4096 connections, requests of 20 and 200 ms. */
export const DEFAULT_SWEEP = {
  cpuShares: [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1],
  connections: [1, 4, 16, 64, 256, 1024, 4096],
  requestMs: [20, 200],
};

/** Run every model at every point of the grid (deterministic; a few seconds for the default grid). */
export function chooseSweep(options: ChooseSweepOptions = {}): ChooseSweep {
  options = checkOptions(ChooseInputError, "chooseSweep's options", options, [
    "cpuShares",
    "connections",
    "requestMs",
    "models",
    "costs",
    "tie",
    "reuse",
  ]) as typeof options;
  const cpuShares = options.cpuShares ?? DEFAULT_SWEEP.cpuShares;
  const connections = options.connections ?? DEFAULT_SWEEP.connections;
  const requestMs = options.requestMs ?? DEFAULT_SWEEP.requestMs;
  for (const [name, list] of [
    ["cpuShares", cpuShares],
    ["connections", connections],
    ["requestMs", requestMs],
  ] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.length > 100)
      throw new ChooseInputError(
        `Expected \`${name}\` to be a non-empty list of numbers (at most 100), e.g. ${JSON.stringify(DEFAULT_SWEEP[name])}.`,
      );
  }
  if (options.models !== undefined)
    checkArray(ChooseInputError, "`models`", options.models, { min: 1, max: 20 }, `e.g. ["async", "threads"]`);
  const models = [...(options.models ?? CHOOSE_MODELS)];
  if (models.length === 0 || models.some((m) => !CHOOSE_MODELS.includes(m)))
    throw new ChooseInputError(
      `Expected \`models\` to list some of ${CHOOSE_MODELS.join(", ")}, got ${JSON.stringify(options.models)}.`,
    );
  const costs = chooseCosts(options.costs);
  const tie = options.tie ?? 0.05;
  const known = new Map<string, ChooseOutcome>();
  for (const old of options.reuse ?? []) {
    if (!old || !Array.isArray(old.cells) || !old.costs)
      throw new ChooseInputError("Expected `reuse` to list sweeps made by chooseSweep, e.g. reuse: [pySweep].");
    for (const cell of old.cells.flat(2))
      for (const o of cell.outcomes) known.set(outcomeKey(o.model, cell.point, old.costs), o);
  }
  const cells = requestMs.map((r) =>
    connections.map((n) =>
      cpuShares.map((s) => {
        const point = { cpuShare: s, connections: n, requestMs: r };
        const outcomes = models.map((m) => known.get(outcomeKey(m, point, costs)) ?? chooseOutcome(m, point, costs));
        return cellOf(point, outcomes, models, tie);
      }),
    ),
  );
  return {
    cpuShares: [...cpuShares],
    connections: [...connections],
    requestMs: [...requestMs],
    models,
    costs,
    tie,
    cells,
  };
}

/** The cell of a sweep at exact grid values (throws with the grid's values if absent). */
export function sweepCell(sweep: ChooseSweep, point: ChoosePoint): ChooseCell {
  checkResult(
    ChooseInputError,
    "the sweep given to sweepCell",
    sweep,
    ["cpuShares", "connections"],
    "pass what chooseSweep(...) returned",
  );
  const r = sweep.requestMs.indexOf(point.requestMs);
  const c = sweep.connections.indexOf(point.connections);
  const s = sweep.cpuShares.indexOf(point.cpuShare);
  if (r < 0 || c < 0 || s < 0)
    throw new ChooseInputError(
      `That point is not on the grid: requestMs ∈ [${sweep.requestMs}], connections ∈ [${sweep.connections}], ` +
        `cpuShare ∈ [${sweep.cpuShares}].`,
    );
  return sweep.cells[r][c][s];
}
