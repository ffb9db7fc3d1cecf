/**
 * Chapter 04, "Preemption, priorities, starvation": one workload under every policy, round robin's quantum and
 * switch cost, starvation under strict priorities and its cure by aging, and an "arbitrary" OS-like scheduler
 * (seeded) that interrupts at random moments. Times in ticks.
 */

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
}

/** Tasks: "batch job" (priority 0, arrives at 0) then "req 1".."req n" (priority 5). */
export function starvationWorkload(o: PriorityStarvationOptions = {}): SchedTask[] {
  const requests = o.requests ?? 8,
    highLength = o.highLength ?? 3,
    every = o.every ?? 3;
  if (!Number.isInteger(requests) || requests < 1)
    throw new SchedInputError(`Expected \`requests\` to be a whole number ≥ 1, got ${String(requests)}.`);
  const tasks: SchedTask[] = [
    { name: "batch job", arrival: 0, priority: 0, segments: [{ kind: "cpu", duration: o.lowLength ?? 4 }] },
  ];
  for (let i = 0; i < requests; i++)
    tasks.push({
      name: `req ${i + 1}`,
      arrival: i * every,
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
  const names: string[] = [];
  for (const s of result.trace)
    if (s.state === "running" && s.end > s.start && names[names.length - 1] !== s.name) names.push(s.name);
  return names.join(" ");
}

/** Prose for the starvation experiment (task 0 = the batch job, the rest = requests), computed from the two runs. */
export function starvationSummary(strict: SchedResult, aged: SchedResult): string {
  const meanReq = (r: SchedResult) =>
    (r.tasks.slice(1).reduce((s, t) => s + t.turnaround, 0) / (r.tasks.length - 1)).toFixed(2);
  return (
    `Strict: the batch job waits **${strict.tasks[0].response} ticks** before its first tick of work. With aging it waits **${aged.tasks[0].response}**: ` +
    `its priority climbs while it waits until it outranks the newcomers. The requests pay a little: their average turnaround goes from ${meanReq(strict)} to ${meanReq(aged)} ticks.`
  );
}

/**
 * Chapter 04's round-robin sweep: average response and turnaround (ticks) by quantum, one line style per switch cost.
 */
export function rrSweepFigure(points: RrPoint[], title = "Round robin: the quantum's trade-off"): Figure {
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
