/**
 * Chapter 02's coffee bar (ticks = minutes): one worker and one machine; stand and wait, start and move on, or
 * two workers. Runs on lib/sched (a core = a worker, an IO device = the machine).
 */

import { ChapterInputError } from "../../errors";
import { checkOptions, checkRows, describeValue } from "../../errors/validate";
import type { SchedResult, SchedSegment, SchedTask } from "../../sched/index";
import { runSchedule, SchedInputError } from "../../sched/index";

/** The same tasks, but each one holds the lock `lock` from its first step to its last: one at a time, no overlap. */
export function oneAtATime(tasks: SchedTask[], lock = "one at a time"): SchedTask[] {
  checkRows(ChapterInputError, "the tasks given to oneAtATime", tasks, [], "pass a list of what task(...) returns");
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
 * How the bar is run: one worker who stands by the machine, one who starts it and moves on (first come, first
 * served), two who both stand and wait, or one who moves on but serves a ready coffee before any chore.
 */
export type CoffeeStyle =
  | "stand and wait"
  | "start and move on"
  | "two workers, stand and wait"
  | "move on, coffees first";
export const COFFEE_STYLES: readonly CoffeeStyle[] = [
  "stand and wait",
  "start and move on",
  "two workers, stand and wait",
  "move on, coffees first",
];

/** The device name of the coffee machine in traces. */
export const COFFEE_MACHINE = "coffee machine";

/** The option keys of coffeeTasks and coffeeRun (a misspelled one is an error that names the closest). */
const COFFEE_KEYS = ["orders", "prep", "serve", "brew", "chores", "machines"];

/** The jobs of the coffee bar as scheduler tasks: "coffee 1".."coffee n" then the chores, all there at time 0. */
export function coffeeTasks(opts: CoffeeOptions = {}): SchedTask[] {
  opts = checkOptions(ChapterInputError, "coffeeTasks's options", opts, COFFEE_KEYS) as typeof opts;
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
 * out in turn, each worker standing and waiting; "move on, coffees first" = the same one worker, but a coffee
 * (priority 1) goes before any chore (priority 0) and takes the worker as soon as it is ready (preemptive PRIORITY).
 */
export function coffeeRun(style: CoffeeStyle, opts: CoffeeOptions = {}): SchedResult {
  opts = checkOptions(ChapterInputError, "coffeeRun's options", opts, COFFEE_KEYS) as typeof opts;
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
    case "move on, coffees first": {
      const ranked = tasks.map((t) => ({ ...t, priority: t.name.startsWith("coffee ") ? 1 : 0 }));
      return runSchedule({ policy: "PRIORITY", tasks: ranked, machine: { cores: 1, devices } });
    }
  }
  throw new SchedInputError(
    `Unknown style ${describeValue(style)}: use one of ${COFFEE_STYLES.map((s) => JSON.stringify(s)).join(", ")}.`,
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
  checkRows(
    ChapterInputError,
    "the runs given to coffeeSummary",
    runs,
    [],
    "pass a list of objects with style, result",
  );
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

/** When each coffee was served (minute its last step ended), one row per coffee, one column per labelled run. */
export function coffeeServedAt(runs: { style: string; result: SchedResult }[]): Record<string, string | number>[] {
  checkRows(
    ChapterInputError,
    "the runs given to coffeeServedAt",
    runs,
    [],
    "pass a list of objects with style, result",
  );
  const coffees = (runs[0]?.result.tasks ?? []).filter((t) => t.name.startsWith("coffee "));
  return coffees.map((c) => {
    const row: Record<string, string | number> = { coffee: c.name };
    for (const { style, result } of runs) {
      const mine = result.tasks.find((t) => t.name === c.name);
      row[`served at (min), ${style}`] = mine ? mine.finish : "—";
    }
    return row;
  });
}
