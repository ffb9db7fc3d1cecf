/** Questions about runs of the clock-cycle machine: was it sequential, concurrent, parallel? Which orders exist? */
import { CpuProgram } from "./program";
import { CpuRun, CpuScheduleError } from "./machine";

/** How a run used time: seed 003's nesting, sequential ⊂ … and parallel ⊂ concurrent. */
export type RunKind = "sequential" | "concurrent" | "parallel";

/** What a run was, with the reasons. */
export interface RunClass {
  kind: RunKind;
  /** Some program started before another had finished (their lifetimes overlap). */
  overlapping: boolean;
  /** In some clock cycle, two programs ran a step at the same instant (on different cores). */
  simultaneous: boolean;
  /** A one-line explanation in the course's words. */
  why: string;
}

/**
 * Classify a run: "parallel" if two programs ran in the same cycle (which makes it concurrent too);
 * "concurrent" if their lifetimes overlap but they only ever took turns; "sequential" otherwise.
 */
export function classifyRun(run: CpuRun): RunClass {
  const simultaneousCycle = run.grid.findIndex((row) => row.filter((s) => s !== null).length >= 2);
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
    const who = run.grid[simultaneousCycle].filter((s) => s !== null).map((s) => s!.program);
    return { kind: "parallel", overlapping: true, simultaneous: true, why: `In cycle ${simultaneousCycle + 1}, ${who.join(" and ")} ran at the same instant on different cores: parallel, and so also concurrent.` };
  }
  if (overlapPair) {
    return { kind: "concurrent", overlapping: true, simultaneous: false, why: `${overlapPair[0]} and ${overlapPair[1]} were both in progress at once, but took turns on one core: concurrent, not parallel.` };
  }
  return { kind: "sequential", overlapping: false, simultaneous: false, why: "Each program finished before the next one started: sequential." };
}

/** Number of ways to interleave programs of these lengths on one core (a multinomial coefficient), exact. */
export function countOrders(lengths: number[]): bigint {
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
  const lengths = programs.map((p) => p.ops.length);
  const n = countOrders(lengths);
  if (n > BigInt(max)) {
    throw new CpuScheduleError(`These programs have ${n} single-core orders, more than max = ${max}. Use shorter programs, fewer programs, or pass a larger max.`);
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
