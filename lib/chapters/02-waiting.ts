/**
 * Chapter 02, "Waiting is waste": the worker and the coffee machine, IO-bound vs CPU-bound batches, and the same run
 * seen from two reference frames. Everything runs on lib/sched (one core = one worker, an IO device = a machine);
 * times are in ticks (the chapter reads them as minutes for the coffee bar and as milliseconds for programs).
 */

import {
  baseLayout,
  type Figure,
  lineFigure,
  type ResourceTimelineOptions,
  resourceTimeline,
  seriesColor,
} from "../plot/index";
import type { SchedResult, SchedSegment, SchedTask } from "../sched/index";
import { runSchedule, SchedInputError } from "../sched/index";

/** The same tasks, but each one holds the lock `lock` from its first step to its last: one at a time, no overlap. */
export function oneAtATime(tasks: SchedTask[], lock = "one at a time"): SchedTask[] {
  return tasks.map((t) => ({
    ...t,
    segments: [{ kind: "lock", lock }, ...t.segments, { kind: "unlock", lock }] as SchedSegment[],
  }));
}

function positive(name: string, v: unknown, example: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
    throw new SchedInputError(
      `Expected \`${name}\` to be a number ≥ 0 (ticks), got ${String(v)}: pass e.g. { ${name}: ${example} }.`,
    );
  return v;
}

/** The coffee bar (ticks = minutes): `orders` coffees, each prepared, brewed on the machine, served; plus chores. */
export interface CoffeeOptions {
  /** Coffees to make (default 3). */
  orders?: number;
  /**
   * Minutes of the worker's hands per coffee before brewing (grind, tamp; default 1) and after (pour, serve; default
   * 1).
   */
  prep?: number;
  serve?: number;
  /** Minutes the machine brews one coffee, needing nobody (default 4). */
  brew?: number;
  /** Other jobs of the worker, minutes of work each (default: refill water 2, wipe the counter 2, restock cups 2). */
  chores?: { name: string; minutes: number }[];
  /** Coffee machines, each brewing one coffee at a time (default 1). */
  machines?: number;
}

/**
 * How the bar is run: one worker who stands by the machine, one who starts it and moves on, or two who both stand and
 * wait.
 */
export type CoffeeStyle = "stand and wait" | "start and move on" | "two workers, stand and wait";
export const COFFEE_STYLES: readonly CoffeeStyle[] = [
  "stand and wait",
  "start and move on",
  "two workers, stand and wait",
];

/** The device name of the coffee machine in traces. */
export const COFFEE_MACHINE = "coffee machine";

/** The jobs of the coffee bar as scheduler tasks: "coffee 1".."coffee n" then the chores, all there at time 0. */
export function coffeeTasks(opts: CoffeeOptions = {}): SchedTask[] {
  const orders = opts.orders ?? 3;
  if (!Number.isInteger(orders) || orders < 1 || orders > 50)
    throw new SchedInputError(
      `Expected \`orders\` to be a whole number from 1 to 50, got ${String(orders)}: e.g. { orders: 3 }.`,
    );
  const prep = positive("prep", opts.prep ?? 1, "1");
  const serve = positive("serve", opts.serve ?? 1, "1");
  const brew = positive("brew", opts.brew ?? 4, "4");
  const chores = opts.chores ?? [
    { name: "refill water", minutes: 2 },
    { name: "wipe counter", minutes: 2 },
    { name: "restock cups", minutes: 2 },
  ];
  const tasks: SchedTask[] = [];
  for (let i = 1; i <= orders; i++) {
    tasks.push({
      name: `coffee ${i}`,
      arrival: 0,
      priority: 0,
      segments: [
        { kind: "cpu", duration: prep },
        { kind: "io", duration: brew, device: COFFEE_MACHINE },
        { kind: "cpu", duration: serve },
      ],
    });
  }
  for (const c of chores)
    tasks.push({
      name: c.name,
      arrival: 0,
      priority: 0,
      segments: [{ kind: "cpu", duration: positive(`minutes of ${c.name}`, c.minutes, "2") }],
    });
  return tasks;
}

/**
 * Run the coffee bar in one style. A worker is a core. "Stand and wait" = each job holds the worker's attention
 * (a lock) from start to end, so the worker idles while the machine brews; "start and move on" = FIFO on one core,
 * the worker takes the next job whenever the current one waits for the machine; two workers = two cores, jobs dealt
 * out in turn, each worker standing and waiting.
 */
export function coffeeRun(style: CoffeeStyle, opts: CoffeeOptions = {}): SchedResult {
  const tasks = coffeeTasks(opts);
  const machines = opts.machines ?? 1;
  if (!Number.isInteger(machines) || machines < 1)
    throw new SchedInputError(`Expected \`machines\` to be a whole number ≥ 1, got ${String(machines)}.`);
  const devices = { [COFFEE_MACHINE]: machines };
  switch (style) {
    case "stand and wait":
      return runSchedule({
        policy: "FIFO",
        tasks: oneAtATime(tasks, "worker's attention"),
        machine: { cores: 1, devices },
      });
    case "start and move on":
      return runSchedule({ policy: "FIFO", tasks, machine: { cores: 1, devices } });
    case "two workers, stand and wait": {
      const dealt = tasks.map((t, i) => oneAtATime([t], `attention of worker ${(i % 2) + 1}`)[0]);
      return runSchedule({ policy: "FIFO", tasks: dealt, machine: { cores: 2, devices } });
    }
  }
  throw new SchedInputError(
    `Unknown style ${JSON.stringify(style)}: use one of ${COFFEE_STYLES.map((s) => JSON.stringify(s)).join(", ")}.`,
  );
}

/** One row per run: minutes until everything is done, workers, their busy share and the machine's (0..1). */
export interface CoffeeSummaryRow {
  style: string;
  workers: number;
  minutes: number;
  /** Mean over workers of (time working) / minutes. */
  workerUtilisation: number;
  machineUtilisation: number;
  /** Worker-minutes paid for (workers × minutes) and worker-minutes of actual work. */
  workerMinutesPaid: number;
  workerMinutesWorked: number;
}

/** Summarise coffee runs for a table. */
export function coffeeSummary(runs: { style: string; result: SchedResult }[]): CoffeeSummaryRow[] {
  return runs.map(({ style, result }) => {
    const worked = result.cores.reduce((s, c) => s + c.running, 0);
    const machine = result.devices.find((d) => d.device === COFFEE_MACHINE);
    return {
      style,
      workers: result.machine.cores,
      minutes: result.makespan,
      workerUtilisation: worked / (result.machine.cores * result.makespan),
      machineUtilisation: machine ? machine.utilisation : 0,
      workerMinutesPaid: result.machine.cores * result.makespan,
      workerMinutesWorked: worked,
    };
  });
}

/**
 * A task of `length` ticks of which a share `cpuShare` (0..1) is CPU work: half of it, then the IO wait, then the other
 * half.
 */
export function mixedTask(name: string, length: number, cpuShare: number): SchedTask {
  if (!(length > 0) || !Number.isFinite(length))
    throw new SchedInputError(`Expected the task length to be a number of ticks > 0, got ${String(length)}.`);
  if (!(cpuShare >= 0 && cpuShare <= 1))
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
  /** No schedule can beat max(total CPU work / cores, one task's length). */
  lowerBound: number;
  /** One task alone, run sequentially and concurrently: always the same. */
  singleSequential: number;
  singleConcurrent: number;
}

/** The batch run sequentially and concurrently (and one task alone both ways). */
export function batchTimes(o: BatchOptions): BatchTimes {
  if (!Number.isInteger(o?.tasks) || o.tasks < 1)
    throw new SchedInputError(`Expected \`tasks\` to be a whole number ≥ 1, got ${String(o?.tasks)}.`);
  const cores = o.cores ?? 1;
  const tasks = Array.from({ length: o.tasks }, (_, i) => mixedTask(`T${i + 1}`, o.length, o.cpuShare));
  const machine = { cores };
  const seq = runSchedule({ policy: "FIFO", tasks: oneAtATime(tasks), machine }).makespan;
  const con = runSchedule({ policy: "FIFO", tasks, machine }).makespan;
  const one = [tasks[0]];
  return {
    cpuShare: o.cpuShare,
    sequential: seq,
    concurrent: con,
    speedup: seq / con,
    lowerBound: Math.max((o.tasks * o.length * o.cpuShare) / cores, o.length),
    singleSequential: runSchedule({ policy: "FIFO", tasks: oneAtATime(one), machine }).makespan,
    singleConcurrent: runSchedule({ policy: "FIFO", tasks: one, machine }).makespan,
  };
}

/** batchTimes for each CPU share in `shares` (default 0, 0.05, ..., 1). */
export function cpuShareSweep(o: Omit<BatchOptions, "cpuShare"> & { shares?: number[] }): BatchTimes[] {
  const shares = o.shares ?? Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100);
  return shares.map((s) => batchTimes({ ...o, cpuShare: s }));
}

/** What one run looks like from two reference frames. */
export interface FrameView {
  /** Most tasks in progress at once (started, not finished) — the worker's concurrency. */
  mostInProgress: number;
  /** Most tasks running on the worker(s) at the same instant, per worker (always 1 for one core). */
  mostRunningPerWorker: number;
  /** Ticks during which a worker runs while some device serves a request: things truly at the same time. */
  overlapWithDevices: number;
  /**
   * The worker's frame: "sequential" or "concurrent"; the whole system's frame: "sequential", "concurrent" or
   * "parallel".
   */
  workerFrame: "sequential" | "concurrent";
  systemFrame: "sequential" | "concurrent" | "parallel";
}

/** Length (ticks) of the union of intervals. */
function unionLength(iv: [number, number][]): number {
  const s = [...iv].sort((a, b) => a[0] - b[0]);
  let total = 0,
    cs = -Infinity,
    ce = -Infinity;
  for (const [a, b] of s) {
    if (a > ce) {
      if (ce > cs) total += ce - cs;
      cs = a;
      ce = b;
    } else ce = Math.max(ce, b);
  }
  if (ce > cs) total += ce - cs;
  return total;
}

/** Classify a run from the worker's frame (its cores only) and from the whole system's (cores plus devices). */
export function referenceFrames(result: SchedResult): FrameView {
  // A lifetime starts at the task's first real tick of work (taking a lock costs no time and does not count).
  const lifetimes = result.tasks.map((t, i) => {
    const first = result.trace.find(
      (s) => s.task === i && s.end > s.start && (s.state === "running" || s.state === "io"),
    );
    return [first ? first.start : t.finish, t.finish] as [number, number];
  });
  let mostInProgress = 0;
  for (const [s] of lifetimes)
    mostInProgress = Math.max(mostInProgress, lifetimes.filter(([a, b]) => a <= s && s < b).length);
  const running = result.trace.filter((s) => s.state === "running");
  let mostRunningPerWorker = 0;
  for (let c = 0; c < result.machine.cores; c++) {
    const mine = running.filter((s) => s.core === c);
    for (const s of mine)
      mostRunningPerWorker = Math.max(
        mostRunningPerWorker,
        mine.filter((o) => o.start <= s.start && s.start < o.end).length,
      );
  }
  const io = result.trace.filter((s) => s.state === "io").map((s) => [s.start, s.end] as [number, number]);
  const run = running.map((s) => [s.start, s.end] as [number, number]);
  // |run ∩ io| = |run| + |io| − |run ∪ io|
  const overlap = unionLength(run) + unionLength(io) - unionLength([...run, ...io]);
  const concurrent = mostInProgress > 1;
  const parallel = overlap > 1e-9 || (result.machine.cores > 1 && coresOverlap(running));
  return {
    mostInProgress,
    mostRunningPerWorker,
    overlapWithDevices: Math.round(overlap * 1e9) / 1e9,
    workerFrame: concurrent ? "concurrent" : "sequential",
    systemFrame: parallel ? "parallel" : concurrent ? "concurrent" : "sequential",
  };
}

function coresOverlap(running: { core: number; start: number; end: number }[]): boolean {
  return running.some((a) => running.some((b) => a.core !== b.core && a.start < b.end && b.start < a.end));
}

/** The simulation's forecast of seed 001's sleep demo (ms): `tasks` tasks that each wait `sleepMs`, three ways. */
export interface SleepPrediction {
  sequential: number;
  concurrent: number;
  /** Promise.all but every task busy-waits: the wait is CPU work on the one thread. */
  blockingConcurrent: number;
}

/** Predict the sleep demo with the scheduler: awaited sleeps are IO (the thread is free), a busy-wait is CPU work. */
export function predictSleepDemo(tasks: number, sleepMs: number): SleepPrediction {
  const sleeper = (i: number): SchedTask => ({
    name: `task ${i + 1}`,
    arrival: 0,
    priority: 0,
    segments: [{ kind: "io", duration: sleepMs, device: "timer" }],
  });
  const spinner = (i: number): SchedTask => ({
    name: `task ${i + 1}`,
    arrival: 0,
    priority: 0,
    segments: [{ kind: "cpu", duration: sleepMs }],
  });
  const ids = Array.from({ length: tasks }, (_, i) => i);
  return {
    sequential: runSchedule({ tasks: oneAtATime(ids.map(sleeper)) }).makespan,
    concurrent: runSchedule({ tasks: ids.map(sleeper) }).makespan,
    blockingConcurrent: runSchedule({ tasks: ids.map(spinner) }).makespan,
  };
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
  return segments
    .map((s) => {
      switch (s.kind) {
        case "cpu":
          return `${words.cpu ?? "CPU"} ${s.duration} ${unit}`;
        case "io":
          return `${words.io ?? `IO (${s.device})`} ${s.duration} ${unit}`;
        case "lock":
          return `lock ${s.lock}`;
        case "unlock":
          return `unlock ${s.lock}`;
        case "yield":
          return "yield";
      }
      return "?";
    })
    .join(" → ");
}

/** One sentence on how far measurements (ms) are from the forecast, computed, for the chapter's prose. */
export function sleepVerdict(rows: { label: string; predicted: number; measured: number }[]): string {
  const worst = rows.reduce(
    (w, r) => (Math.abs(r.measured - r.predicted) > Math.abs(w.measured - w.predicted) ? r : w),
    rows[0],
  );
  const off = Math.abs(worst.measured - worst.predicted);
  const rel = off / Math.max(worst.predicted, 1);
  if (rel <= 0.1)
    return `Every measurement is within ${Math.max(1, Math.round(off))} ms of the forecast: timers are a little late, never early, and the shape is the one the simulation predicted.`;
  return `"${worst.label}" is ${Math.round(off)} ms off the forecast (${Math.round(rel * 100)} %): this machine is busy with other work, which delays timers and steals CPU. Run the cell again; the shape — one wait vs five — stays.`;
}

/**
 * Chapter 02's sweep: batch time (ticks) sequential vs concurrent as the CPU share of each task grows, with the bound.
 */
export function cpuShareSweepFigure(points: BatchTimes[], tasks: number): Figure {
  const x = points.map((p) => Math.round(p.cpuShare * 100));
  return lineFigure(
    [
      { name: `${tasks} tasks, one after another`, x, y: points.map((p) => p.sequential), color: seriesColor(5) },
      {
        name: `${tasks} tasks, concurrently (the core moves on at every wait)`,
        x,
        y: points.map((p) => p.concurrent),
        color: seriesColor(0),
      },
      {
        name: "no schedule can beat: max(total CPU, one task)",
        x,
        y: points.map((p) => p.lowerBound),
        color: "#999",
        dash: "dot",
        markers: false,
      },
      {
        name: "one task alone, either way",
        x,
        y: points.map((p) => p.singleConcurrent),
        color: seriesColor(2),
        dash: "dash",
      },
    ],
    `A batch of ${tasks} tasks on one core: when does concurrency help?`,
    "CPU share of each task (%) — 0 = pure IO wait, 100 = pure computation",
    "time to finish the batch (ticks)",
  );
}

/** Grouped bars per style: share of the time (%) the workers and the coffee machine were busy. */
export function coffeeUtilisationFigure(
  rows: { style: string; workerUtilisation: number; machineUtilisation: number; minutes: number }[],
): Figure {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const labels = rows.map((r) => `${r.style} (${r.minutes} min)`);
  return {
    data: [
      {
        type: "bar",
        name: "workers busy (mean over workers)",
        x: labels,
        y: rows.map((r) => pct(r.workerUtilisation)),
        marker: { color: "#444444" },
        hovertemplate: "%{x}: workers busy %{y}%<extra></extra>",
      },
      {
        type: "bar",
        name: "coffee machine busy",
        x: labels,
        y: rows.map((r) => pct(r.machineUtilisation)),
        marker: { color: "#BBBBBB", line: { color: "#777777", width: 1 } },
        hovertemplate: "%{x}: machine busy %{y}%<extra></extra>",
      },
    ],
    layout: baseLayout("How much of the time each resource was working", "", "busy share of the total time (%)", {
      barmode: "group",
      yaxis: { title: { text: "busy share of the total time (%)" }, range: [0, 100] },
    }),
  };
}

/**
 * The coffee bar's timeline: worker rows (jobs dealt to workers in turn, as coffeeRun does) and the machine row;
 * minutes.
 */
export function coffeeTimeline(
  result: SchedResult,
  opts: Omit<ResourceTimelineOptions, "coreLabel" | "workerOf" | "unit"> = {},
): Figure {
  const workers = result.machine.cores;
  return resourceTimeline(result, {
    ...opts,
    unit: "minutes",
    coreLabel: (c) => `worker ${c + 1}`,
    workerOf: (t) => t % workers,
  });
}
