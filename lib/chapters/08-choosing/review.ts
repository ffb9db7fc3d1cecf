/**
 * Seed 002's definitions as checkable questions about simulated runs: was it parallel or only concurrent,
 * and from whose reference frame? Which resource was the bottleneck? Can concurrency speed up one task?
 */

import { checkArray, checkChoice, checkInt, checkNumber, checkResult, optBoolean } from "../../errors/validate";
import type { SchedResult, SchedTask } from "../../sched/index";
import { runSchedule } from "../../sched/index";
import { ChooseInputError } from "./costs";
import { CHOOSE_MODELS, type ChooseModel, simulateChoice } from "./sweep";

/** How tasks used time in a sched run (seen from the tasks listed in `frame`, default all). */
export type SchedRunKind = "sequential" | "concurrent" | "parallel";

/**
 * "parallel": two tasks of the frame were running (or one running while another's IO was served, when `countIo`)
 * at the same instant; "concurrent": lifetimes overlap but never at the same instant; "sequential": no overlap.
 */
export function classifySchedRun(result: SchedResult, frame?: string[], countIo = false): SchedRunKind {
  checkResult(
    ChooseInputError,
    "the result given to classifySchedRun",
    result,
    ["tasks", "trace"],
    "pass what runSchedule(...) returned",
  );
  const names = frame ?? result.tasks.map((t) => t.name);
  const busy = result.trace.filter(
    (g) => names.includes(g.name) && (g.state === "running" || (countIo && g.state === "io")),
  );
  for (let i = 0; i < busy.length; i++)
    for (let j = i + 1; j < busy.length; j++) {
      const a = busy[i],
        b = busy[j];
      if (a.name !== b.name && a.start < b.end && b.start < a.end) return "parallel";
    }
  const spans = result.tasks.filter((t) => names.includes(t.name)).map((t) => [t.arrival, t.finish] as const);
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length; j++)
      if (spans[i][0] < spans[j][1] && spans[j][0] < spans[i][1]) return "concurrent";
  return "sequential";
}

/**
 * Seed 002's coffee shop (ms): a worker (our code, one core) serves `orders` cups, each: 2 of work, 5 in the coffee
 * machine (IO; it brews `machineCapacity` cups at once, default 1), 1 of work.
 */
export function coffeeShop(orders = 3, concurrent = true, machineCapacity = 1): SchedResult {
  checkInt(ChooseInputError, "the orders of coffeeShop", orders, 1, 10_000);
  optBoolean(ChooseInputError, "`concurrent`", concurrent, true);
  checkInt(ChooseInputError, "the machine capacity of coffeeShop", machineCapacity, 1, 1000);
  const tasks: SchedTask[] = Array.from({ length: orders }, (_, i) => ({
    name: `order ${i + 1}`,
    segments: [
      { kind: "cpu", duration: 2 },
      { kind: "io", duration: 5, device: "coffee machine" },
      { kind: "cpu", duration: 1 },
    ],
    arrival: 0,
    priority: 0,
  }));
  if (!concurrent) {
    // one order at a time: each order's work only starts when the previous one is done
    const seq: SchedTask = {
      name: "orders one by one",
      segments: tasks.flatMap((t) => t.segments),
      arrival: 0,
      priority: 0,
    };
    return runSchedule({ tasks: [seq], machine: { cores: 1, devices: { "coffee machine": machineCapacity } } });
  }
  return runSchedule({
    tasks,
    machine: { cores: 1, devices: { "coffee machine": machineCapacity } },
    policy: "COOPERATIVE",
  });
}

/** The busiest resource of a run (a core or an IO device) and its utilisation (0..1). */
export function bottleneck(result: SchedResult): { resource: string; utilisation: number } {
  checkResult(
    ChooseInputError,
    "the result given to bottleneck",
    result,
    ["cores", "devices"],
    "pass what runSchedule(...) returned",
  );
  const all = [
    ...result.cores.map((c) => ({ resource: `core ${c.core + 1}`, utilisation: c.utilisation })),
    ...result.devices.map((d) => ({ resource: d.device, utilisation: d.utilisation })),
  ];
  return all.reduce((a, b) => (b.utilisation > a.utilisation ? b : a));
}

/** One request alone (CPU share, request time in ms) under every model: its finishing time per model (ms). */
export function oneTaskUnderEveryModel(
  cpuShare: number,
  requestMs: number,
  models: readonly ChooseModel[] = CHOOSE_MODELS,
): Record<ChooseModel, number> {
  checkNumber(
    ChooseInputError,
    "the CPU share given to oneTaskUnderEveryModel",
    cpuShare,
    { min: 0, max: 1 },
    "e.g. 0.3",
  );
  checkNumber(ChooseInputError, "the request time given to oneTaskUnderEveryModel (ms)", requestMs, {
    min: 0,
    max: 1e7,
    exclusiveMin: true,
  });
  checkArray(ChooseInputError, "the models given to oneTaskUnderEveryModel", models, { min: 1, max: 20 }).forEach(
    (m, i) => {
      checkChoice(ChooseInputError, `model ${i}`, m, CHOOSE_MODELS);
    },
  );
  const out = {} as Record<ChooseModel, number>;
  for (const m of models) {
    // creation costs set to 0: the question is whether switching style can shorten one task's own work
    out[m] = simulateChoice(
      m,
      { cpuShare, connections: 1, requestMs },
      { processSpawnMs: 0, threadCreateMs: 0, asyncCreateMs: 0 },
    ).makespan;
  }
  return out;
}
