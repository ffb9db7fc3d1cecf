/**
 * Chapter 08's question as a simulation: N connections each send one request that takes R ms when run alone,
 * a share s of it on the CPU and the rest waiting for IO. Serve them all with
 *   - processes: one worker process per core, each handling its connections one after the other (blocking IO);
 *   - threads (with or without a GIL): a thread per connection up to a memory budget, preemptive round robin;
 *   - async: one task per connection on one event loop (one core), cooperative, tiny per-task costs;
 * on the lib/sched machine, and see which finishes first. Costs (spawn, creation, switch, memory) are options.
 * Every time is simulated ms (sched ticks read as ms); memory is MB.
 */
import { CourseError } from "../../errors";
import type { SchedMachine, SchedResult, SchedSegment, SchedTask } from "../../sched/index";
import { runSchedule } from "../../sched/index";

/** The ways to serve connections that the sweep compares. */
export type ChooseModel = "processes" | "threadsGil" | "threads" | "async";

/** Every model, in the order used for colours. */
export const CHOOSE_MODELS: readonly ChooseModel[] = ["processes", "threadsGil", "threads", "async"];

/** Learner-facing names (Python's name, then JavaScript's counterpart). */
export const CHOOSE_LABELS: Record<ChooseModel, string> = {
  processes: "processes (multiprocessing · child processes / workers)",
  threadsGil: "threads with a GIL (Python threading)",
  threads: "threads, no GIL (Java, Go, Rust)",
  async: "async, one event loop (asyncio · Promises)",
};

/** One-letter tags for heatmap cells. */
export const CHOOSE_TAGS: Record<ChooseModel, string> = { processes: "P", threadsGil: "G", threads: "T", async: "A" };

/** A point of the sweep: the workload. */
export interface ChoosePoint {
  /** Share of a request's time spent on the CPU, 0..1 (0 = pure IO, 1 = pure CPU). */
  cpuShare: number;
  /** Connections to serve, each with one request (whole number ≥ 1). */
  connections: number;
  /** Time one request takes when run alone (ms): CPU = share × R, IO latency = (1 − share) × R. */
  requestMs: number;
}

/** Costs of each model (ms, MB). The defaults are round numbers of the right order for a laptop. */
export interface ChooseCosts {
  /** Cores of the machine (default 4). */
  cores: number;
  /** Time to start one worker process, paid one after the other by the parent (ms, default 20). */
  processSpawnMs: number;
  /** Memory of one worker process (MB, default 30). */
  processMemoryMB: number;
  /** Time to create one thread, paid one after the other by the main thread (ms, default 0.05). */
  threadCreateMs: number;
  /** Memory reserved per thread: mostly its stack (MB, default 8). */
  threadMemoryMB: number;
  /** Memory the server may spend on threads; caps the thread pool (MB, default 512 → 64 threads). */
  memoryBudgetMB: number;
  /** A context switch between threads (ms, default 0.02). */
  threadSwitchMs: number;
  /** Time slice of preemptive threads (ms, default 5: Python's switch interval). */
  quantumMs: number;
  /** Creating one async task (ms, default 0.002). */
  asyncCreateMs: number;
  /** Switching between async tasks at an await (ms, default 0.002). */
  asyncSwitchMs: number;
  /** Memory of one async task (MB, default 0.002 = 2 KB). */
  asyncMemoryMB: number;
}

/** The default costs (see each field). */
export const DEFAULT_CHOOSE_COSTS: ChooseCosts = {
  cores: 4,
  processSpawnMs: 20,
  processMemoryMB: 30,
  threadCreateMs: 0.05,
  threadMemoryMB: 8,
  memoryBudgetMB: 512,
  threadSwitchMs: 0.02,
  quantumMs: 5,
  asyncCreateMs: 0.002,
  asyncSwitchMs: 0.002,
  asyncMemoryMB: 0.002,
};

/** Bad input to the sweep; the message says what to change. */
export class ChooseInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "ChooseInputError";
  }
}

function checkPoint(p: ChoosePoint): void {
  if (!p || typeof p !== "object")
    throw new ChooseInputError(`Expected a point { cpuShare, connections, requestMs }, got ${String(p)}.`);
  if (typeof p.cpuShare !== "number" || !(p.cpuShare >= 0 && p.cpuShare <= 1))
    throw new ChooseInputError(
      `Expected \`cpuShare\` to be a number from 0 to 1, got ${String(p.cpuShare)}: 0.2 means 20 % of each request is CPU work.`,
    );
  if (!Number.isInteger(p.connections) || p.connections < 1 || p.connections > 5000)
    throw new ChooseInputError(
      `Expected \`connections\` to be a whole number from 1 to 5000, got ${String(p.connections)}.`,
    );
  if (typeof p.requestMs !== "number" || !(p.requestMs > 0 && p.requestMs <= 10_000))
    throw new ChooseInputError(
      `Expected \`requestMs\` to be a number of ms > 0 (at most 10000), got ${String(p.requestMs)}: e.g. requestMs: 20.`,
    );
}

/** Fill in and check costs. */
export function chooseCosts(costs: Partial<ChooseCosts> = {}): ChooseCosts {
  const c: ChooseCosts = { ...DEFAULT_CHOOSE_COSTS, ...costs };
  for (const [k, v] of Object.entries(c)) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new ChooseInputError(`Expected cost \`${k}\` to be a finite number ≥ 0, got ${String(v)}.`);
  }
  if (!Number.isInteger(c.cores) || c.cores < 1)
    throw new ChooseInputError(`Expected \`cores\` to be a whole number ≥ 1, got ${c.cores}.`);
  if (!(c.quantumMs > 0))
    throw new ChooseInputError(
      `Expected \`quantumMs\` > 0, got ${c.quantumMs}: threads are preempted every quantum, e.g. 5.`,
    );
  if (!(c.threadMemoryMB > 0)) throw new ChooseInputError(`Expected \`threadMemoryMB\` > 0, got ${c.threadMemoryMB}.`);
  return c;
}

/** One request's CPU and IO time (ms) at a point. */
export function requestShape(p: ChoosePoint): { cpuMs: number; ioMs: number } {
  checkPoint(p);
  return { cpuMs: p.cpuShare * p.requestMs, ioMs: (1 - p.cpuShare) * p.requestMs };
}

/** Largest thread pool the memory budget allows (at least 1). */
export function maxThreads(costs: Partial<ChooseCosts> = {}): number {
  const c = chooseCosts(costs);
  return Math.max(1, Math.floor(c.memoryBudgetMB / c.threadMemoryMB));
}

/** A model turned into a sched workload: tasks, machine, policy, plus how many workers and how much memory (MB). */
export interface ChooseSetup {
  model: ChooseModel;
  tasks: SchedTask[];
  machine: Partial<SchedMachine>;
  policy: "RR" | "COOPERATIVE";
  quantum?: number;
  /** Processes, threads or async tasks created. */
  workers: number;
  memoryMB: number;
}

/** Each worker's connections one after the other: [cpu, io] per request (connection i goes to worker i mod k). */
function sequentialShare(k: number, n: number, cpuMs: number, ioMs: number): SchedSegment[][] {
  const out: SchedSegment[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++)
    out[i % k].push({ kind: "cpu", duration: cpuMs }, { kind: "io", duration: ioMs, device: "net" });
  return out;
}

/** Build the sched workload of `model` at `point` (times in ms). */
export function chooseSetup(model: ChooseModel, point: ChoosePoint, costs: Partial<ChooseCosts> = {}): ChooseSetup {
  const c = chooseCosts(costs);
  const { cpuMs, ioMs } = requestShape(point);
  const n = point.connections;
  if (model === "processes") {
    const k = Math.min(c.cores, n);
    const tasks = sequentialShare(k, n, cpuMs, ioMs).map((segs, i) => ({
      name: `process ${i + 1}`,
      segments: segs,
      arrival: (i + 1) * c.processSpawnMs,
      priority: 0,
    }));
    return {
      model,
      tasks,
      machine: { cores: c.cores, switchCost: c.threadSwitchMs },
      policy: "RR",
      quantum: c.quantumMs,
      workers: k,
      memoryMB: k * c.processMemoryMB,
    };
  }
  if (model === "threads" || model === "threadsGil") {
    const k = Math.min(n, maxThreads(c));
    const tasks = sequentialShare(k, n, cpuMs, ioMs).map((segs, i) => ({
      name: `thread ${i + 1}`,
      segments: segs,
      arrival: (i + 1) * c.threadCreateMs,
      priority: 0,
    }));
    return {
      model,
      tasks,
      machine: { cores: c.cores, switchCost: c.threadSwitchMs, gil: model === "threadsGil" },
      policy: "RR",
      quantum: c.quantumMs,
      workers: k,
      memoryMB: k * c.threadMemoryMB,
    };
  }
  if (model === "async") {
    const tasks = Array.from({ length: n }, (_, i) => ({
      name: `task ${i + 1}`,
      segments: [
        { kind: "cpu", duration: cpuMs },
        { kind: "io", duration: ioMs, device: "net" },
      ] as SchedSegment[],
      arrival: i * c.asyncCreateMs,
      priority: 0,
    }));
    return {
      model,
      tasks,
      machine: { cores: 1, switchCost: c.asyncSwitchMs },
      policy: "COOPERATIVE",
      workers: n,
      memoryMB: n * c.asyncMemoryMB,
    };
  }
  throw new ChooseInputError(`Unknown model ${JSON.stringify(model)}: use one of ${CHOOSE_MODELS.join(", ")}.`);
}

/** What one model achieved at one point (ms, MB). */
export interface ChooseOutcome {
  model: ChooseModel;
  /** Time until the last connection was served (ms). */
  makespan: number;
  /** Mean time from t = 0 until a connection was served (ms). */
  meanDone: number;
  workers: number;
  memoryMB: number;
}

/** Simulate one model at one point; `keep` also returns the sched result (for a Gantt). */
export function simulateChoice(
  model: ChooseModel,
  point: ChoosePoint,
  costs: Partial<ChooseCosts> = {},
): ChooseOutcome & { result: SchedResult } {
  const s = chooseSetup(model, point, costs);
  const result = runSchedule({ tasks: s.tasks, machine: s.machine, policy: s.policy, quantum: s.quantum });
  // A connection is served when its request's IO ends; a worker serves its connections in order.
  let doneSum = 0;
  if (model === "async") doneSum = result.tasks.reduce((a, t) => a + t.finish, 0);
  else {
    // Per worker the connections finish at the ends of its io segments: read them off the trace.
    for (const t of result.tasks) {
      const ends = result.trace.filter((g) => g.name === t.name && g.state === "io").map((g) => g.end);
      const served = s.tasks.find((x) => x.name === t.name)!.segments.length / 2;
      // zero-length IO leaves no trace segment: fall back to an even spread up to the finish
      if (ends.length === served) doneSum += ends.reduce((a, e) => a + e, 0);
      else for (let j = 1; j <= served; j++) doneSum += t.arrival + ((t.finish - t.arrival) * j) / served;
    }
  }
  return {
    model,
    makespan: result.makespan,
    meanDone: doneSum / point.connections,
    workers: s.workers,
    memoryMB: s.memoryMB,
    result,
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
  const models = options.models ?? CHOOSE_MODELS;
  if (!Array.isArray(models) || models.length === 0)
    throw new ChooseInputError(`Expected \`models\` to list at least one of ${CHOOSE_MODELS.join(", ")}.`);
  const tie = options.tie ?? 0.05;
  const outcomes = models.map((m) => {
    const { result: _r, ...o } = simulateChoice(m, point, options.costs);
    return o;
  });
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

/** Options of `chooseSweep`: the grid and the models compared. */
export interface ChooseSweepOptions {
  cpuShares?: number[];
  connections?: number[];
  requestMs?: number[];
  models?: readonly ChooseModel[];
  costs?: Partial<ChooseCosts>;
  tie?: number;
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

/** Default grid: shares 0…1, 1…512 connections, requests of 2, 20 and 200 ms. */
export const DEFAULT_SWEEP = {
  cpuShares: [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1],
  connections: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
  requestMs: [2, 20, 200],
};

/** Run every model at every point of the grid (deterministic; a few seconds for the default grid). */
export function chooseSweep(options: ChooseSweepOptions = {}): ChooseSweep {
  const cpuShares = options.cpuShares ?? DEFAULT_SWEEP.cpuShares;
  const connections = options.connections ?? DEFAULT_SWEEP.connections;
  const requestMs = options.requestMs ?? DEFAULT_SWEEP.requestMs;
  for (const [name, list] of [
    ["cpuShares", cpuShares],
    ["connections", connections],
    ["requestMs", requestMs],
  ] as const) {
    if (!Array.isArray(list) || list.length === 0)
      throw new ChooseInputError(
        `Expected \`${name}\` to be a non-empty list of numbers, e.g. ${JSON.stringify(DEFAULT_SWEEP[name])}.`,
      );
  }
  const models = [...(options.models ?? CHOOSE_MODELS)];
  const costs = chooseCosts(options.costs);
  const tie = options.tie ?? 0.05;
  const cells = requestMs.map((r) =>
    connections.map((n) =>
      cpuShares.map((s) => comparePoint({ cpuShare: s, connections: n, requestMs: r }, { models, costs, tie })),
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
  const r = sweep.requestMs.indexOf(point.requestMs);
  const c = sweep.connections.indexOf(point.connections);
  const s = sweep.cpuShares.indexOf(point.cpuShare);
  if (r < 0 || c < 0 || s < 0)
    throw new ChooseInputError(
      `That point is not on the grid: requestMs ∈ [${sweep.requestMs}], connections ∈ [${sweep.connections}], cpuShare ∈ [${sweep.cpuShares}].`,
    );
  return sweep.cells[r][c][s];
}
