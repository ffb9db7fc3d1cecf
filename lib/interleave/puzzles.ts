/**
 * Puzzles and readings of chapters 05 and 06, in the spirit of The Deadlock Empire: "write a schedule that ends at
 * 1", "find the smallest final value", "make it deadlock". Each check returns `true` or a sentence saying what the
 * learner's schedule did instead, so it plugs into the notebook's `checkWith`. Plus the seed's table wording and the
 * half-locked counter (one thread forgets the lock).
 */
import { InterleaveOptionError } from "./errors";
import { ExploreResult, explore as exploreFor } from "./explore";
import { counterRace } from "./presets";
import { InterleaveProgram, InterleaveThreadBuilder, threadProgram } from "./program";
import { InterleaveReplay, replay } from "./replay";

/** What a finished run must show: shared cell name → final value. */
export type CellGoal = Record<string, number>;

function cellsText(cells: Record<string, number>): string {
  return Object.entries(cells).map(([k, v]) => `${k} = ${v}`).join(", ");
}

/** True when `schedule` runs the program to the end (every thread finished) with the goal's cell values; else why not. */
export function scheduleReaches(program: InterleaveProgram, schedule: string, goal: CellGoal): true | string {
  const r = replay(program, schedule);
  if (r.status === "running") {
    const left = r.final.next.map((n, i) => (n.status === "ready" || n.status === "blocked" ? `T${i + 1}` : "")).filter((x) => x);
    return `Your schedule stops after ${r.steps.length} steps with ${left.join(" and ")} unfinished: name every step of every thread (the run must finish).`;
  }
  if (r.status !== "done") return `Your schedule ends in a ${r.status} (${r.outcome}), not with every thread finished.`;
  const wrong = Object.keys(goal).filter((c) => r.final.cells[c] !== goal[c]);
  if (wrong.length === 0) return true;
  return `Your schedule finishes with ${cellsText(r.final.cells)}, not ${cellsText(goal)}.`;
}

/** True when `schedule` ends in a deadlock (no thread can move, some unfinished); else what happened instead. */
export function scheduleDeadlocks(program: InterleaveProgram, schedule: string): true | string {
  const r = replay(program, schedule);
  if (r.status === "deadlock") return true;
  if (r.status === "running") return `After your ${r.steps.length} steps some thread can still move: that is not stuck yet. Keep going, or choose the steps so that each thread waits for the other.`;
  return `Your schedule ends with ${r.status === "done" ? "every thread finished" : "a fault"} (${r.outcome}): no deadlock.`;
}

/** The smallest (or largest) final value of `cell` over every finished outcome of an exploration, with its witness and count. */
export function extremeOutcome(result: ExploreResult, cell: string, which: "min" | "max" = "min"): { value: number; witness: string; count: bigint | null } {
  const done = result.outcomes.filter((o) => o.kind === "done" && cell in o.cells);
  if (done.length === 0) throw new InterleaveOptionError(`No finished outcome has a shared cell \`${cell}\`: cells are ${Object.keys(result.program.cells).join(", ")}.`);
  let best = done[0];
  for (const o of done) if (which === "min" ? o.cells[cell] < best.cells[cell] : o.cells[cell] > best.cells[cell]) best = o;
  return { value: best.cells[cell], witness: best.witness, count: best.count };
}

/** One row per outcome: the outcome, its exact number of schedules, its share (%) and a witness schedule. */
export function outcomeRows(result: ExploreResult): { outcome: string; schedules: bigint | null; "share (%)": number | null; witness: string }[] {
  const total = result.schedules;
  return result.outcomes.map((o) => ({
    outcome: o.key,
    schedules: o.count,
    "share (%)": o.count !== null && total ? Number((o.count * 1_000_000n) / total) / 10_000 : null,
    witness: o.witness,
  }));
}

/** Number of schedules of threads with these step counts and no locks: the multinomial (Σ n)! / Π n!, exact. */
export function multinomialSchedules(stepsPerThread: readonly number[]): bigint {
  let total = 0;
  let result = 1n;
  for (const n of stepsPerThread) {
    if (!Number.isInteger(n) || n < 0) throw new InterleaveOptionError(`Expected step counts to be whole numbers ≥ 0, got ${n}.`);
    for (let k = 1; k <= n; k++) {
      total++;
      result = (result * BigInt(total)) / BigInt(k);
    }
  }
  return result;
}

/** Seed 000's words for the three steps of an increment. */
export function seedWords(text: string): string {
  if (/^r = counter$/.test(text)) return "get current counter";
  if (/^r = r \+ 1$/.test(text)) return "increase counter";
  if (/^counter = r$/.test(text)) return "store counter";
  return text;
}

/** The seed's table for a replayed counter schedule: order, "Thread 1 get current counter", each register, value of counter. */
export function seedTableRows(r: InterleaveReplay): Record<string, unknown>[] {
  return r.steps.map((s) => {
    const row: Record<string, unknown> = { Order: s.order, Steps: `Thread ${s.thread + 1} ${seedWords(s.text)}` };
    r.final.registers.forEach((_, t) => {
      const regs = t === s.thread ? s.registers : s.after.registers[t];
      row[`${r.threadNames[t]}'s r`] = regs.r;
    });
    for (const c of r.cellNames) row[`value of ${c}`] = s.cells[c];
    return row;
  });
}

/** The counter race where only some threads lock `m` around their increments: `locking[i]` says whether thread i does. */
export function partlyLockedCounter(locking: readonly boolean[], increments = 1): InterleaveProgram {
  if (!Array.isArray(locking) || locking.length < 1 || locking.length > 8) {
    throw new InterleaveOptionError(`Expected \`locking\` to be a list of 1 to 8 booleans (one per thread), got ${JSON.stringify(locking)}.`);
  }
  if (!Number.isInteger(increments) || increments < 1 || increments > 50) {
    throw new InterleaveOptionError(`Expected \`increments\` to be an integer from 1 to 50, got ${String(increments)}.`);
  }
  const b = threadProgram({ counter: 0 });
  const inc = (t: InterleaveThreadBuilder) => t.read("r", "counter").add("r", 1).write("counter", "r");
  for (const locks of locking) {
    b.thread((t) => {
      for (let k = 0; k < increments; k++) {
        if (locks) inc(t.lock("m")).unlock("m");
        else inc(t);
      }
    });
  }
  return b.build();
}

/** Share (0..1) of all schedules that end in a deadlock; null when the count is not finite. */
export function deadlockShare(result: ExploreResult): number | null {
  if (!result.finite || !result.schedules) return null;
  let d = 0n;
  for (const o of result.outcomes) if (o.kind === "deadlock" && o.count !== null) d += o.count;
  return Number((d * 1_000_000n) / result.schedules) / 1_000_000;
}

/** Rows of any replayed schedule: order, thread, step, every thread's registers, shared cells, mutex holders. */
export function replayTableRows(r: InterleaveReplay): Record<string, unknown>[] {
  return r.steps.map((s) => {
    const row: Record<string, unknown> = { order: s.order, thread: s.threadName, step: s.text };
    s.after.registers.forEach((regs, t) => {
      const text = Object.entries(regs).map(([k, v]) => `${k}=${v}`).join(", ");
      row[`${r.threadNames[t]} registers`] = text;
    });
    for (const c of r.cellNames) row[c] = s.cells[c];
    for (const [m, h] of Object.entries(s.after.locks)) row[`${m} held by`] = h ?? "—";
    return row;
  });
}

/** checkWith predicate: the schedule starts with thread `first` (1-based) and finishes with the goal's cell values. */
export function firstMoverReaches(program: InterleaveProgram, schedule: string, first: number, goal: CellGoal): true | string {
  const firstEntry = String(schedule).trim().split(/[\s,]+/)[0];
  if (firstEntry !== String(first)) return `Let thread ${first} take the first step (your schedule starts with ${firstEntry || "nothing"}).`;
  return scheduleReaches(program, schedule, goal);
}

/** checkWith predicate: thread `reader` reads `cell` at a moment when `holder` holds `mutex`, and the run reaches the goal. */
export function readsWhileHeld(program: InterleaveProgram, schedule: string, o: { reader: string; cell: string; mutex: string; holder: string; goal: CellGoal }): true | string {
  const r = replay(program, schedule);
  const inside = r.steps.some((s) => s.threadName === o.reader && s.text.endsWith(`= ${o.cell}`) && s.after.locks[o.mutex] === o.holder);
  if (!inside) return `${o.reader} must read ${o.cell} at a moment when ${o.holder} holds ${o.mutex}.`;
  return scheduleReaches(program, schedule, o.goal);
}

/** checkWith predicate: a deadlocking schedule as short as the shortest one the explorer finds, starting with thread `first`. */
export function shortestDeadlockFrom(program: InterleaveProgram, schedule: string, first: number): true | string {
  const res = exploreFor(program);
  if (res.deadlocks.length === 0) return "This program cannot deadlock.";
  const shortest = Math.min(...res.deadlocks.map((d) => d.witness.split(" ").length));
  const parts = String(schedule).trim().split(/[\s,]+/).filter((x) => x !== "");
  if (parts.length !== shortest) return `A shortest deadlocking schedule has ${shortest} steps; yours has ${parts.length}.`;
  if (parts[0] !== String(first)) return `Let thread ${first} take the first step.`;
  return scheduleDeadlocks(program, schedule);
}

/** Explores counterRace(n, k) for each size: one summary row each (schedules, states, smallest and largest final value, ms). */
export function counterRaceSummary(sizes: readonly [number, number][]): { rows: Record<string, unknown>[]; results: { label: string; result: ExploreResult }[] } {
  const rows: Record<string, unknown>[] = [];
  const results: { label: string; result: ExploreResult }[] = [];
  for (const [n, k] of sizes) {
    const t0 = Date.now();
    const result = exploreFor(counterRace(n, k));
    const ms = Date.now() - t0;
    results.push({ label: `${n} threads × ${k}`, result });
    rows.push({
      threads: n, increments: k, "right answer": n * k, schedules: result.schedules, "distinct states": result.states,
      smallest: extremeOutcome(result, "counter", "min").value, largest: extremeOutcome(result, "counter", "max").value, "time (ms)": ms,
    });
  }
  return { rows, results };
}
