/** Questions about runs of the clock-cycle machine: was it sequential, concurrent, parallel? Which orders exist? */

import { checkArray, checkInt, checkString, isPlainObject } from "../errors/validate";
import { type CpuRun, CpuScheduleError, type CpuStep, checkCpuRun, checkPrograms, runCpu } from "./machine";
import type { CpuProgram } from "./program";

/** How a run used time: seed 003's nesting, sequential ⊂ … and parallel ⊂ concurrent. */
export type RunKind = "sequential" | "concurrent" | "parallel";

/** What a run was, with the reasons. */
export interface RunClass {
  kind: RunKind;
  /** Some program started before another had finished (their lifetimes overlap). */
  overlapping: boolean;
  /** In some clock cycle, two programs ran a step at the same instant (on different cores, or one SMT core). */
  simultaneous: boolean;
  /**
   * In some clock cycle, one core issued two or more steps of the same program (issueWidth > 1): instruction-level
   * parallelism inside one task. It does not make a run concurrent: concurrency needs two tasks in progress.
   */
  instructionLevel: boolean;
  /** A one-line explanation in the course's words. */
  why: string;
}

/**
 * Classify a run: "parallel" if two programs ran in the same cycle (which makes it concurrent too);
 * "concurrent" if their lifetimes overlap but they only ever took turns; "sequential" otherwise.
 */
export function classifyRun(run: CpuRun): RunClass {
  checkCpuRun(run, "classifyRun");
  // Instruction-level parallelism: one core issued two steps of the same program in one cycle.
  const sameProgramTwice = (steps: CpuStep[]) =>
    steps.some((st, j) => steps.findIndex((o) => o.program === st.program) !== j);
  const ilpCycle = (run.issued ?? []).findIndex((row) => row.some(sameProgramTwice));
  const instructionLevel = ilpCycle >= 0;
  const ilpSteps = instructionLevel ? run.issued[ilpCycle].find(sameProgramTwice)! : [];
  const ilpProgram = ilpSteps.find((st, j) => ilpSteps.findIndex((o) => o.program === st.program) !== j)?.program;
  const ilpNote = instructionLevel
    ? ` Inside one program, core ${run.issued[ilpCycle].findIndex(sameProgramTwice) + 1} issued ` +
      `${ilpSteps
        .filter((st) => st.program === ilpProgram)
        .map((st) => st.text)
        .join(" and ")} in cycle ` +
      `${ilpCycle + 1}: instruction-level parallelism.`
    : "";
  // Two programs issued a step in the same cycle: on different cores, or on one SMT core ("A+B").
  const programsIn = (row: CpuStep[][]) => new Set(row.flat().map((st) => st.program));
  const issuedRows = run.issued ?? run.grid.map((row) => row.map((s) => (s ? [s] : [])));
  const simultaneousCycle = issuedRows.findIndex((row) => programsIn(row).size >= 2);
  const names = Object.keys(run.span);
  let overlapPair: [string, string] | undefined;
  for (let i = 0; i < names.length && !overlapPair; i++) {
    for (let j = i + 1; j < names.length && !overlapPair; j++) {
      const a = run.span[names[i]];
      const b = run.span[names[j]];
      if (a.start <= b.finish && b.start <= a.finish) overlapPair = [names[i], names[j]];
    }
  }
  if (simultaneousCycle >= 0) {
    const row = issuedRows[simultaneousCycle];
    const who = [...programsIn(row)];
    const oneCore = row.some((steps) => new Set(steps.map((st) => st.program)).size >= 2);
    const where = oneCore ? "on one core (SMT: two programs sharing its issue slots)" : "on different cores";
    return {
      kind: "parallel",
      overlapping: true,
      simultaneous: true,
      instructionLevel,
      why: `In cycle ${simultaneousCycle + 1}, ${who.join(" and ")} ran at the same instant ${where}: parallel, and so also concurrent.${ilpNote}`,
    };
  }
  if (overlapPair) {
    return {
      kind: "concurrent",
      overlapping: true,
      simultaneous: false,
      instructionLevel,
      why: `${overlapPair[0]} and ${overlapPair[1]} were both in progress at once, but took turns on one core: concurrent, not parallel.${ilpNote}`,
    };
  }
  return {
    kind: "sequential",
    overlapping: false,
    simultaneous: false,
    instructionLevel,
    why:
      (names.length === 1 && instructionLevel
        ? "One program: no second task to overlap with, so sequential as tasks go."
        : "Each program finished before the next one started: sequential.") + ilpNote,
  };
}

/** Number of ways to interleave programs of these lengths on one core (a multinomial coefficient), exact. */
export function countOrders(lengths: number[]): bigint {
  checkArray(CpuScheduleError, "the lengths given to countOrders", lengths, { max: 64 }, "pass e.g. [3, 3]");
  lengths.forEach((n, i) => {
    checkInt(CpuScheduleError, `length ${i + 1} of countOrders`, n, 0, 10_000);
  });
  let total = 0n;
  let result = 1n;
  for (const n of lengths) {
    for (let k = 1; k <= n; k++) {
      total += 1n;
      result = (result * total) / BigInt(k);
    }
  }
  return result;
}

/**
 * Every single-core order of the programs' steps (program order kept inside each program), as schedule texts
 * like "A B B A A B". Refuses (with a message) when there would be more than `max` orders.
 */
export function allOrders(programs: CpuProgram[], max = 20000): string[] {
  checkPrograms(programs, "allOrders");
  checkInt(CpuScheduleError, "`max` (most orders to list)", max, 1, 1_000_000);
  const lengths = programs.map((p) => p.ops.length);
  const n = countOrders(lengths);
  if (n > BigInt(max)) {
    throw new CpuScheduleError(
      `These programs have ${n} single-core orders, more than max = ${max}. Use shorter programs, fewer programs, or pass a larger max.`,
    );
  }
  const out: string[] = [];
  const left = [...lengths];
  const path: string[] = [];
  const rec = (): void => {
    if (left.every((x) => x === 0)) {
      out.push(path.join(" "));
      return;
    }
    programs.forEach((p, i) => {
      if (left[i] === 0) return;
      left[i]--;
      path.push(p.name);
      rec();
      path.pop();
      left[i]++;
    });
  };
  rec();
  return out;
}

/**
 * The seed's clock-cycle table: one row per cycle, one column per labelled run, each cell saying what every core
 * did ("load a", or "core 1: load a, core 2: load c"; "—" once a run has finished).
 */
export function cycleTable(runs: { label: string; run: CpuRun }[]): Record<string, string | number>[] {
  checkArray(
    CpuScheduleError,
    "the runs of cycleTable",
    runs,
    { min: 1, max: 16 },
    'pass [{ label: "one core", run }]',
  );
  runs.forEach((r, i) => {
    if (!isPlainObject(r))
      throw new CpuScheduleError(`Entry ${i + 1} of cycleTable must be { label: "…", run }: label a run of runCpu.`);
    checkString(CpuScheduleError, `the label of entry ${i + 1} of cycleTable`, r.label, { maxLength: 100 });
    checkCpuRun(r.run, "cycleTable");
  });
  const cycles = runs.reduce((m, r) => Math.max(m, r.run.cycles), 0);
  const rows: Record<string, string | number>[] = [];
  for (let t = 0; t < cycles; t++) {
    // a null-prototype row: a label like "constructor" or "__proto__" is an ordinary column
    const row: Record<string, string | number> = Object.create(null);
    row.cycle = t + 1;
    for (const { label, run } of runs) {
      if (t >= run.cycles) {
        row[label] = "— finished";
        continue;
      }
      // Every op a core issued in this cycle ("load a and load b" when issueWidth > 1).
      const slots = run.grid[t].map((s, k) =>
        run.issued?.[t]?.[k]?.length ? run.issued[t][k].map((st) => st.text).join(" and ") : s ? s.text : "idle",
      );
      if (run.cores === 1) row[label] = slots[0];
      else row[label] = slots.map((s, k) => `core ${k + 1}: ${s}`).join(", ");
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Fewest clock cycles in which `programs` can all finish on `cores` cores, when each program stays on one core
 * (its values live in that core's registers) and a core runs one step per cycle. Exact, by trying every assignment.
 */
export function fewestCycles(programs: CpuProgram[], cores: number): number {
  checkPrograms(programs, "fewestCycles");
  checkInt(CpuScheduleError, "`cores` of fewestCycles", cores, 1, 64);
  if (programs.length > 12)
    throw new CpuScheduleError(
      `fewestCycles tries every assignment; give it at most 12 programs (got ${programs.length}).`,
    );
  const lengths = programs.map((p) => p.ops.length).sort((a, b) => b - a);
  const load = Array.from({ length: cores }, () => 0);
  let best = Infinity;
  const rec = (i: number): void => {
    if (i === lengths.length) {
      best = Math.min(
        best,
        load.reduce((m, x) => Math.max(m, x), 0),
      );
      return;
    }
    const tried = new Set<number>();
    for (let k = 0; k < cores; k++) {
      if (tried.has(load[k]) || load[k] + lengths[i] >= best) continue; // symmetric or hopeless
      tried.add(load[k]);
      load[k] += lengths[i];
      rec(i + 1);
      load[k] -= lengths[i];
    }
  };
  rec(0);
  return best;
}

/** Every one-core order of the programs, run and grouped by the registers it needs at peak. */
export interface OrderSurvey {
  /** Number of orders. */
  orders: number;
  /** The distinct cycle counts seen (one core: always the total number of steps). */
  cycleCounts: number[];
  /** Orders grouped by peak registers, fewest first. */
  byPeak: { registers: number; schedules: string[] }[];
}

/** Run every single-core order of `programs` and group them by peak registers (at most `max` orders). */
export function surveyOrders(programs: CpuProgram[], max = 20000): OrderSurvey {
  checkInt(CpuScheduleError, "`max` (most orders to run)", max, 1, 100_000);
  const orders = allOrders(programs, max);
  const groups = new Map<number, string[]>();
  const cycles = new Set<number>();
  for (const s of orders) {
    const run = runCpu(programs, s);
    cycles.add(run.cycles);
    const k = run.registersPeak[0];
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(s);
  }
  return {
    orders: orders.length,
    cycleCounts: [...cycles].sort((a, b) => a - b),
    byPeak: [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([registers, schedules]) => ({ registers, schedules })),
  };
}

/** The one-core orders of `programs` that fit a core with `registers` registers (as schedule texts). */
export function ordersThatFit(programs: CpuProgram[], registers: number): string[] {
  checkPrograms(programs, "ordersThatFit");
  checkInt(CpuScheduleError, "`registers` of ordersThatFit", registers, 1, 1000);
  return allOrders(programs).filter((s) => {
    try {
      runCpu(programs, s, { registersPerCore: registers });
      return true;
    } catch (e) {
      if (e instanceof CpuScheduleError && /registers/.test(e.message)) return false;
      throw e;
    }
  });
}

/**
 * Exercise check: is `schedule` a one-core run of `programs` that is concurrent (not merely sequential) and needs
 * at most `registers` registers? Returns true, or a sentence saying what is wrong.
 */
export function concurrentWithin(programs: CpuProgram[], schedule: string, registers: number): true | string {
  checkInt(CpuScheduleError, "`registers` of concurrentWithin", registers, 1, 1000);
  const run = runCpu(programs, schedule);
  if (run.cores !== 1) return "Use one core: no '|' in the schedule.";
  const kind = classifyRun(run).kind;
  if (kind !== "concurrent") return `That run is ${kind}: let one program start before the other has finished.`;
  if (run.registersPeak[0] > registers)
    return `That order needs ${run.registersPeak[0]} registers at peak, more than ${registers}.`;
  return true;
}
