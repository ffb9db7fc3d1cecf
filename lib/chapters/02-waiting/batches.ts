/**
 * Chapter 02's batches: tasks that mix CPU and IO, run one after another and concurrently, swept over the CPU share.
 */

import { checkArray, checkOptions, checkString, describeValue, isPlainObject } from "../../errors/validate";
import type { SchedResult, SchedSegment, SchedTask } from "../../sched/index";
import { runSchedule, SchedInputError } from "../../sched/index";
import { oneAtATime } from "./coffee";
import { escapeMarkdown } from "./sleep";

/**
 * A task of `length` ticks of which a share `cpuShare` (0..1) is CPU work: half of it, then the IO wait, then the other
 * half.
 */
export function mixedTask(name: string, length: number, cpuShare: number): SchedTask {
  checkString(SchedInputError, "the name of mixedTask", name, { maxLength: 100 }, 'e.g. "T1"');
  if (typeof length !== "number" || !(length > 0) || !Number.isFinite(length) || length > 1e9)
    throw new SchedInputError(`Expected the task length to be a number of ticks > 0, got ${String(length)}.`);
  if (!(typeof cpuShare === "number" && cpuShare >= 0 && cpuShare <= 1))
    throw new SchedInputError(
      `Expected \`cpuShare\` between 0 and 1 (the CPU part of the task), got ${String(cpuShare)}: e.g. 0.25 for a mostly-IO task.`,
    );
  const cpu = length * cpuShare;
  const segs: SchedSegment[] = [];
  if (cpu > 0) segs.push({ kind: "cpu", duration: cpu / 2 });
  if (cpu < length) segs.push({ kind: "io", duration: length - cpu, device: "io" });
  if (cpu > 0) segs.push({ kind: "cpu", duration: cpu / 2 });
  return { name, segments: segs, arrival: 0, priority: 0 };
}

/** A batch of equal tasks (ticks) on one core: `tasks` tasks, each `length` long with CPU share `cpuShare`. */
export interface BatchOptions {
  tasks: number;
  length: number;
  cpuShare: number;
  /** Cores (default 1). */
  cores?: number;
  /**
   * How many IO waits can be served at once (default: no limit — each task waits on its own device, such as a timer or
   * a remote server). 1 = one shared device (one disk, one coffee machine): the waits queue for it.
   */
  ioDevices?: number;
}

/**
 * Times of one batch (ticks): one after another, concurrently (FIFO, the core moves on at every IO wait), and the
 * bound.
 */
export interface BatchTimes {
  cpuShare: number;
  sequential: number;
  concurrent: number;
  /** sequential / concurrent (×). */
  speedup: number;
  /** No schedule can beat max(total CPU work / cores, total IO / ioDevices, one task's length). */
  lowerBound: number;
  /** One task alone, run sequentially and concurrently: always the same. */
  singleSequential: number;
  singleConcurrent: number;
}

/** The batch run sequentially and concurrently (and one task alone both ways). */
export function batchTimes(o: BatchOptions): BatchTimes {
  if (o === null || typeof o !== "object")
    throw new SchedInputError(`Expected batchTimes' options { tasks, length, cpuShare }, got ${describeValue(o)}.`);
  checkOptions(SchedInputError, "batchTimes' options", o, ["tasks", "length", "cpuShare", "cores", "ioDevices"]);
  if (!Number.isInteger(o?.tasks) || o.tasks < 1 || o.tasks > 10_000)
    throw new SchedInputError(
      `Expected \`tasks\` to be a whole number ≥ 1 (at most 10,000), got ${describeValue(o?.tasks)}.`,
    );
  const cores = o.cores ?? 1;
  const io = o.ioDevices;
  if (io !== undefined && (!Number.isInteger(io) || io < 1))
    throw new SchedInputError(
      `Expected \`ioDevices\` to be a whole number ≥ 1, got ${String(io)}: e.g. { ioDevices: 1 } for one shared disk, ` +
        "or leave it out for a device per task.",
    );
  const tasks = Array.from({ length: o.tasks }, (_, i) => mixedTask(`T${i + 1}`, o.length, o.cpuShare));
  // Switching is free in this model (switchCost 0); chapter 03 measures what a real switch costs.
  const devices: Record<string, number> = io === undefined ? {} : { io };
  const machine = { cores, devices };
  const ioBound = io === undefined ? 0 : (o.tasks * o.length * (1 - o.cpuShare)) / io;
  const seq = runSchedule({ policy: "FIFO", tasks: oneAtATime(tasks), machine }).makespan;
  const con = runSchedule({ policy: "FIFO", tasks, machine }).makespan;
  const one = [tasks[0]];
  return {
    cpuShare: o.cpuShare,
    sequential: seq,
    concurrent: con,
    speedup: seq / con,
    lowerBound: Math.max((o.tasks * o.length * o.cpuShare) / cores, ioBound, o.length),
    singleSequential: runSchedule({ policy: "FIFO", tasks: oneAtATime(one), machine }).makespan,
    singleConcurrent: runSchedule({ policy: "FIFO", tasks: one, machine }).makespan,
  };
}

/** batchTimes for each CPU share in `shares` (default 0, 0.05, ..., 1). */
export function cpuShareSweep(o: Omit<BatchOptions, "cpuShare"> & { shares?: number[] }): BatchTimes[] {
  if (o === null || typeof o !== "object")
    throw new SchedInputError(`Expected cpuShareSweep's options { tasks, length }, got ${describeValue(o)}.`);
  checkOptions(SchedInputError, "cpuShareSweep's options", o, ["tasks", "length", "cores", "ioDevices", "shares"]);
  if (o.shares !== undefined)
    checkArray(SchedInputError, "`shares`", o.shares, { min: 1, max: 101 }, "e.g. [0, 0.5, 1]");
  const shares = o.shares ?? Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100);
  return shares.map((s) => batchTimes({ ...o, cpuShare: s }));
}

/**
 * A task's steps as text, e.g. "hands 1 min → machine 4 min → hands 1 min" with words = { cpu: "hands", io: "machine"
 * }.
 */
export function segmentsText(
  segments: SchedSegment[],
  words: { cpu?: string; io?: string } = {},
  unit = "ticks",
): string {
  // The text goes into Markdown: every learner-given word, unit, device and lock name is escaped.
  checkArray(SchedInputError, "the segments of segmentsText", segments, { max: 10_000 }, "pass e.g. task.segments");
  const w = checkOptions<{ cpu: string; io: string }>(SchedInputError, "segmentsText's words", words ?? undefined, [
    "cpu",
    "io",
  ]);
  const text = (what: string, v: unknown) =>
    escapeMarkdown(checkString(SchedInputError, what, v, { maxLength: 100 }, 'e.g. "hands"'));
  const cpuWord = w.cpu === undefined ? "CPU" : text("words.cpu", w.cpu);
  const ioWord = w.io === undefined ? undefined : text("words.io", w.io);
  const u = text("the unit of segmentsText", unit);
  return segments
    .map((s, i) => {
      if (!isPlainObject(s))
        throw new SchedInputError(`Segment ${i} of segmentsText is ${describeValue(s)}: use cpu(3), io(5), ...`);
      const dur = (s as { duration?: unknown }).duration;
      const d = typeof dur === "number" && Number.isFinite(dur) ? dur : "?";
      switch (s.kind) {
        case "cpu":
          return `${cpuWord} ${d} ${u}`;
        case "io":
          return `${ioWord ?? `IO (${escapeMarkdown(String(s.device))})`} ${d} ${u}`;
        case "lock":
          return `lock ${escapeMarkdown(String(s.lock))}`;
        case "unlock":
          return `unlock ${escapeMarkdown(String(s.lock))}`;
        case "yield":
          return "yield";
      }
      throw new SchedInputError(`Segment ${i} of segmentsText is ${describeValue(s)}: use cpu(3), io(5), ...`);
    })
    .join(" → ");
}

/** Options of `oneTaskWithFetches`: one task that makes `fetches` requests, each a mixedTask(length, cpuShare). */
export interface FetchTaskOptions {
  /** Requests the task makes (default 3). */
  fetches?: number;
  /** Ticks of one request: send, wait for the answer, read it (default 20). */
  length?: number;
  /** CPU share of one request (default 0.1: 1 tick to send, 18 to wait, 1 to read). */
  cpuShare?: number;
}

/** One task's time (ticks) when its requests depend on each other (a chain) and when they are independent. */
export interface FetchTaskTimes {
  fetches: number;
  /** Each request needs the previous answer: one chain of steps, run alone or with the core moving on at waits. */
  chainSequential: number;
  chainConcurrent: number;
  /** Independent requests, awaited one by one, or all started at once (Promise.all inside the task). */
  independentSequential: number;
  independentConcurrent: number;
  /** The runs of the independent requests (one row per request), for a chart. */
  sequentialRun: SchedResult;
  concurrentRun: SchedResult;
}

/**
 * One task that makes several requests (say, a page that needs three database answers), on one core. A chain of
 * dependent requests cannot be shortened by any schedule; independent requests started together overlap their waits,
 * and the ONE task finishes sooner: the "set of tasks" that concurrency speeds up is then inside the task.
 */
export function oneTaskWithFetches(o: FetchTaskOptions = {}): FetchTaskTimes {
  o = checkOptions<FetchTaskOptions>(SchedInputError, "oneTaskWithFetches' options", o, [
    "fetches",
    "length",
    "cpuShare",
  ]) as FetchTaskOptions;
  const fetches = o.fetches ?? 3;
  if (!Number.isInteger(fetches) || fetches < 1 || fetches > 100)
    throw new SchedInputError(`Expected \`fetches\` to be a whole number from 1 to 100, got ${String(fetches)}.`);
  const parts = Array.from({ length: fetches }, (_, i) =>
    mixedTask(`request ${i + 1}`, o.length ?? 20, o.cpuShare ?? 0.1),
  );
  const chain: SchedTask = { name: "the task", arrival: 0, priority: 0, segments: parts.flatMap((p) => p.segments) };
  const sequentialRun = runSchedule({ policy: "FIFO", tasks: oneAtATime(parts) });
  const concurrentRun = runSchedule({ policy: "FIFO", tasks: parts });
  return {
    fetches,
    chainSequential: runSchedule({ policy: "FIFO", tasks: oneAtATime([chain]) }).makespan,
    chainConcurrent: runSchedule({ policy: "FIFO", tasks: [chain] }).makespan,
    independentSequential: sequentialRun.makespan,
    independentConcurrent: concurrentRun.makespan,
    sequentialRun,
    concurrentRun,
  };
}
