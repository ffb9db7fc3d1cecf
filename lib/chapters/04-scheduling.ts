/**
 * Chapter 04, "Preemption, priorities, starvation": one workload under every policy, round robin's quantum and
 * switch cost, starvation under strict priorities and its cure by aging, and an "arbitrary" OS-like scheduler
 * (seeded) that interrupts at random moments. Times in ticks.
 */

import { ChapterInputError } from "../errors";
import {
  checkArray,
  checkChoice,
  checkNumber,
  checkOptions,
  checkResult,
  checkRows,
  checkString,
  describeValue,
} from "../errors/validate";
import { defineExercises } from "../notebook/index";
import { type Figure, type LineSeries, lineFigure, seriesColor } from "../plot/index";
import type { PolicyName, SchedPolicy, SchedResult, SchedTask } from "../sched/index";
import { runJobs, runSchedule, SchedInputError } from "../sched/index";
import { makeRng } from "../sim/index";

/** The chapter's workload: five tasks with different lengths, arrivals and priorities (higher = more important). */
export function policyWorkload(): SchedTask[] {
  const t = (name: string, cpu: number, arrival: number, priority: number): SchedTask => ({
    name,
    arrival,
    priority,
    segments: [{ kind: "cpu", duration: cpu }],
  });
  return [t("A", 8, 0, 1), t("B", 4, 1, 2), t("C", 9, 2, 0), t("D", 2, 3, 3), t("E", 5, 4, 2)];
}

/** One policy with its options, and the label it gets on charts. */
export interface PolicySpec {
  label: string;
  policy: PolicyName | SchedPolicy;
  quantum?: number;
  aging?: number;
  levels?: number;
  boost?: number;
  switchCost?: number;
}

/** The chapter's line-up: FIFO, SJF, STCF, RR (q = 2), priority without and with aging, MLFQ. */
export const STANDARD_POLICIES: readonly PolicySpec[] = [
  { label: "FIFO", policy: "FIFO" },
  { label: "SJF", policy: "SJF" },
  { label: "STCF", policy: "STCF" },
  { label: "RR, q = 2", policy: "RR", quantum: 2 },
  { label: "PRIORITY", policy: "PRIORITY" },
  { label: "PRIORITY + aging 4", policy: "PRIORITY", aging: 4 },
  { label: "MLFQ", policy: "MLFQ", quantum: 1, levels: 3 },
];

/** Run the same tasks under each spec on one core; results in the order given. */
export function runPolicies(
  tasks: SchedTask[],
  specs: readonly PolicySpec[] = STANDARD_POLICIES,
): { label: string; result: SchedResult }[] {
  checkRows(ChapterInputError, "the tasks given to runPolicies", tasks, [], "pass a list of what task(...) returns");
  return specs.map((s) => ({
    label: s.label,
    result: runSchedule({
      tasks,
      policy: s.policy,
      quantum: s.quantum,
      aging: s.aging,
      levels: s.levels,
      boost: s.boost,
      machine: { cores: 1, switchCost: s.switchCost ?? 0 },
    }),
  }));
}

/** Per-run averages (ticks) for a table. */
export function averagesTable(runs: { label: string; result: SchedResult }[]): Record<string, string | number>[] {
  checkRows(
    ChapterInputError,
    "the runs given to averagesTable",
    runs,
    [],
    "pass a list of objects with label, result",
  );
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return runs.map(({ label, result }) => ({
    policy: label,
    "avg response": r2(result.averages.response),
    "avg turnaround": r2(result.averages.turnaround),
    "avg wait": r2(result.averages.wait),
    "worst turnaround": Math.max(...result.tasks.map((t) => t.turnaround)),
    "context switches": result.contextSwitches,
  }));
}

/**
 * One RR run of the sweep: quantum and switch cost (ticks), averages (ticks) and the share of time lost to switching.
 */
export interface RrPoint {
  quantum: number;
  switchCost: number;
  response: number;
  turnaround: number;
  switchShare: number;
}

/** Round robin on CPU-only `jobs` for each quantum × switch cost. */
export function rrSweep(
  jobs: { length: number; arrival?: number }[],
  quanta: number[],
  switchCosts: number[],
): RrPoint[] {
  checkRows(ChapterInputError, "the jobs given to rrSweep", jobs, [], "pass a list of objects with length");
  for (const [what, list] of [
    ["quanta", quanta],
    ["switch costs", switchCosts],
  ] as const)
    checkArray(ChapterInputError, `the ${what} given to rrSweep`, list, { min: 1, max: 100 }, "e.g. [1, 2, 4]");
  const out: RrPoint[] = [];
  for (const switchCost of switchCosts)
    for (const quantum of quanta) {
      const r = runJobs({ policy: "RR", quantum, switchCost, jobs });
      const sw = r.result.cores.reduce((s, c) => s + c.switching, 0);
      out.push({
        quantum,
        switchCost,
        response: r.averages.response,
        turnaround: r.averages.turnaround,
        switchShare: sw / r.result.makespan,
      });
    }
  return out;
}

/** Starvation set-up: a long low-priority batch job and a stream of short high-priority requests. */
export interface PriorityStarvationOptions {
  /** CPU ticks of the low-priority job (default 4). */
  lowLength?: number;
  /**
   * High-priority requests (default 8), each `highLength` ticks (default 3), one every `every` ticks from 0 (default
   * 3).
   */
  requests?: number;
  highLength?: number;
  every?: number;
  /** Arrival tick of the first request (default 0): a later start lets MLFQ demote the batch job first. */
  start?: number;
}

/** Tasks: "batch job" (priority 0, arrives at 0) then "req 1".."req n" (priority 5). */
export function starvationWorkload(o: PriorityStarvationOptions = {}): SchedTask[] {
  o = checkOptions(ChapterInputError, "starvationWorkload's options", o, [
    "lowLength",
    "requests",
    "highLength",
    "every",
    "start",
  ]) as typeof o;
  const requests = o.requests ?? 8,
    highLength = o.highLength ?? 3,
    every = o.every ?? 3,
    start = o.start ?? 0;
  if (typeof start !== "number" || !Number.isFinite(start) || start < 0 || start > 1e9)
    throw new SchedInputError(`Expected \`start\` to be a tick ≥ 0, got ${describeValue(start)}: e.g. 0 or 4.`);
  if (!Number.isInteger(requests) || requests < 1 || requests > 10_000)
    throw new SchedInputError(
      `Expected \`requests\` to be a whole number ≥ 1 (at most 10,000), got ${describeValue(requests)}.`,
    );
  for (const [k, v] of [
    ["highLength", highLength],
    ["every", every],
    ["lowLength", o.lowLength ?? 4],
  ] as const)
    checkNumber(SchedInputError, `\`${k}\``, v, { min: 0, max: 1e6, exclusiveMin: true }, `e.g. ${k}: 3`);
  const tasks: SchedTask[] = [
    { name: "batch job", arrival: 0, priority: 0, segments: [{ kind: "cpu", duration: o.lowLength ?? 4 }] },
  ];
  for (let i = 0; i < requests; i++)
    tasks.push({
      name: `req ${i + 1}`,
      arrival: start + i * every,
      priority: 5,
      segments: [{ kind: "cpu", duration: highLength }],
    });
  return tasks;
}

/**
 * An OS-like scheduler that looks arbitrary from inside a thread: among the ready tasks of the highest priority it
 * picks one at random, and lets it run a random slice of 1..maxSlice ticks (seeded: the same seed, the same run).
 */
export function arbitraryPolicy(seed: number, maxSlice = 3): SchedPolicy {
  const rng = makeRng(seed);
  return {
    name: `ARBITRARY (seed ${seed})`,
    pick(ready) {
      const top = Math.max(...ready.map((t) => t.priority));
      const idx = ready.map((t, i) => (t.priority === top ? i : -1)).filter((i) => i >= 0);
      return idx[rng.int(0, idx.length - 1)];
    },
    slice: () => rng.int(1, maxSlice),
    preempts: (c, r) => c.priority > r.priority,
  };
}

/** The order in which tasks first ran, e.g. "A B A C", from a run's trace (consecutive repeats merged). */
export function runOrder(result: SchedResult): string {
  checkResult(
    ChapterInputError,
    "the result given to runOrder",
    result,
    ["trace"],
    "pass what runSchedule(...) returned",
  );
  const names: string[] = [];
  for (const s of result.trace)
    if (s.state === "running" && s.end > s.start && names[names.length - 1] !== s.name) names.push(s.name);
  return names.join(" ");
}

/** Prose for the starvation experiment (task 0 = the batch job, the rest = requests), computed from the two runs. */
export function starvationSummary(strict: SchedResult, aged: SchedResult): string {
  checkResult(
    ChapterInputError,
    "the strict given to starvationSummary",
    strict,
    ["tasks"],
    "pass what runSchedule(...) returned",
  );
  const mean = (r: SchedResult) => r.tasks.slice(1).reduce((s, t) => s + t.turnaround, 0) / (r.tasks.length - 1);
  const [a, b] = [mean(strict), mean(aged)];
  const change = b >= a ? `+${Math.round((b / a - 1) * 100)} %` : `${Math.round((b / a - 1) * 100)} %`;
  const slower = aged.tasks.slice(1).filter((t, i) => t.turnaround > strict.tasks[i + 1].turnaround);
  const worst = Math.max(0, ...slower.map((t) => t.turnaround));
  return (
    `Strict: the batch job waits **${strict.tasks[0].response} ticks** before its first tick of work. With aging ` +
    `it waits **${aged.tasks[0].response}**: its priority climbs while it waits until it outranks the newcomers. ` +
    `The requests pay for it: their average turnaround goes from ${a.toFixed(2)} to ${b.toFixed(2)} ticks ` +
    `(${change})` +
    (slower.length
      ? `, and ${slower.length} of the ${aged.tasks.length - 1} requests take longer, the worst ${worst} ticks.`
      : ".")
  );
}

/**
 * One row per run for a task (default task 0, the batch job): when it first ran, when it finished, and the longest
 * stretch (ticks) it spent ready but not running — from its arrival, or between two of its slices. For tasks of pure
 * CPU work every gap is a wait for the core; that stretch shows starvation even when the first run comes early.
 */
export function stallRows(runs: { label: string; result: SchedResult }[], task = 0): Record<string, string | number>[] {
  checkRows(ChapterInputError, "the runs given to stallRows", runs, [], "pass a list of objects with label, result");
  return runs.map(({ label, result }) => {
    const t = result.tasks[task];
    if (!t) {
      throw new SchedInputError(
        `stallRows: run "${label}" has no task ${task}: pass the index of a task of the workload (0 = the first).`,
      );
    }
    const mine = result.trace
      .filter((s) => s.state === "running" && s.task === task && s.end > s.start)
      .sort((x, y) => x.start - y.start);
    let longest = 0;
    let from = t.arrival;
    for (const s of mine) {
      longest = Math.max(longest, s.start - from);
      from = s.end;
    }
    return {
      policy: label,
      [`${t.name} first runs at`]: t.firstRun,
      [`${t.name} finishes at`]: t.finish,
      "longest wait for the core": Math.round(longest * 100) / 100,
    };
  });
}

/**
 * Chapter 04's round-robin sweep: average response and turnaround (ticks) by quantum, one line style per switch cost.
 */
export function rrSweepFigure(points: RrPoint[], title = "Round robin: the quantum's trade-off"): Figure {
  checkRows(
    ChapterInputError,
    "the points given to rrSweepFigure",
    points,
    [],
    "pass a list of what rrSweep(...) returns",
  );
  const costs = [...new Set(points.map((p) => p.switchCost))];
  const series: LineSeries[] = [];
  for (const key of ["response", "turnaround"] as const)
    costs.forEach((cost, k) => {
      const mine = points.filter((p) => p.switchCost === cost);
      series.push({
        name: `avg ${key}, ${cost === 0 ? "free switches" : `switch = ${cost}`}`,
        x: mine.map((p) => p.quantum),
        y: mine.map((p) => p[key]),
        color: seriesColor(key === "response" ? 0 : 5),
        dash: k === 0 ? "solid" : "dash",
      });
    });
  return lineFigure(series, title, "quantum (ticks)", "average time (ticks)");
}

/**
 * The policies with the lowest (or highest) value in column `key` of `averagesTable`, ties all named: "STCF" or
 * "STCF and PRIORITY (tied at 12.2)".
 */
export function bestPolicies(
  table: Record<string, string | number>[],
  key: string,
  direction: "lowest" | "highest" = "lowest",
): string {
  checkRows(
    ChapterInputError,
    "the table given to bestPolicies",
    table,
    ["policy"],
    "pass what averagesTable(...) returned",
  );
  checkString(ChapterInputError, "the column given to bestPolicies", key, { maxLength: 100 }, 'e.g. "avg response"');
  checkChoice(ChapterInputError, "the direction given to bestPolicies", direction, ["lowest", "highest"]);
  const values = table.map((r) => (Object.hasOwn(r, key) ? r[key] : undefined));
  if (table.length === 0 || values.some((v) => typeof v !== "number")) {
    throw new SchedInputError(
      `bestPolicies needs a non-empty averagesTable and a numeric column, got column "${key}": ` +
        `use one of "avg response", "avg turnaround", "avg wait", "worst turnaround", "context switches".`,
    );
  }
  const nums = values as number[];
  const best = direction === "lowest" ? Math.min(...nums) : Math.max(...nums);
  const names = table.filter((r) => r[key] === best).map((r) => String(r.policy));
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} (tied at ${best})`;
}

// Chapter 04's exercises: OSTEP-style, computed by the library, never printed in the chapter.
const EX_JOBS = [{ length: 6 }, { length: 2 }, { length: 4 }];
defineExercises("04", {
  "1": {
    expected: () => runJobs({ policy: "FIFO", jobs: EX_JOBS }).averages.turnaround,
    tolerance: 0.01,
    hints: [
      "Turnaround is finish − arrival. Under FIFO each job runs to its end, in the order given.",
      "Draw the timeline: J0 runs first, from tick 0. When does each job finish? Every job arrived at 0.",
      "Add the three finish times and divide by 3.",
    ],
  },
  "2": {
    expected: () => runJobs({ policy: "SJF", jobs: EX_JOBS }).jobs.map((j) => j.turnaround),
    hints: [
      "SJF picks, among the jobs waiting, the one with the least work, and runs it to its end.",
      "All three wait at tick 0: order them by length. Then each turnaround is its finish tick.",
    ],
  },
  "3": {
    expected: () => {
      const r = runJobs({ policy: "RR", quantum: 2, jobs: EX_JOBS });
      return { response: r.jobs.map((j) => j.response), turnaround: r.jobs.map((j) => j.turnaround) };
    },
    hints: [
      "Response is the first run − arrival; turnaround is finish − arrival. Draw the slices on a line first.",
      "Round robin takes the jobs in order, 2 ticks each, and a job that finishes leaves the queue.",
      "A job of length 2 finishes in its first slice; the queue then has only the other two.",
    ],
  },
  "4": {
    expected: () =>
      runJobs({ policy: "STCF", jobs: [{ length: 6 }, { length: 2, arrival: 2 }, { length: 4, arrival: 3 }] }).jobs.map(
        (j) => j.turnaround,
      ),
    hints: [
      "STCF looks again whenever a job arrives: does the newcomer need less than what the running job has left?",
      "At tick 2, compare J1's 2 ticks with what J0 has left. At tick 4, two jobs need the same time.",
      "A tie goes to the one that has been ready longest.",
    ],
  },
  "5": {
    expected: () =>
      runSchedule({
        tasks: starvationWorkload({ requests: 8, every: 3, highLength: 3, lowLength: 4 }),
        policy: "PRIORITY",
        aging: 4,
      }).tasks[0].firstRun,
    hints: [
      "The batch job's priority rises by one for every 4 ticks it waits; it runs once no ready task outranks it.",
      "It starts at priority 0, the requests have 5. A running request is interrupted only by a strictly higher " +
        "priority; when a request ends, the highest priority among the ready tasks runs, the earliest arrival on a tie.",
      "Find the first tick at which the batch job's priority reaches 5, then the first moment after it when a " +
        "request ends.",
    ],
  },
});
