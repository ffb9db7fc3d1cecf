/**
 * Goals over schedules and explorations, for checks in the spirit of The Deadlock Empire: "write a schedule that ends
 * at 1", "find the smallest final value", "make it deadlock". Each predicate returns `true` or a sentence saying what
 * the schedule did instead, so it plugs into the notebook's `checkWith`. Plus readings of an exploration: outcome
 * rows, the extreme outcome, the violations (broken invariants, other faults, deadlocks, unexpected final cells), the
 * share of deadlocks, and the number of schedules of threads of given lengths.
 */
import {
  checkArray,
  checkChoice,
  checkInt,
  checkNumber,
  checkObject,
  checkResult,
  checkString,
} from "../errors/validate";
import { InterleaveOptionError } from "./errors";
import type { ExploreResult } from "./explore";
import { hasOwnName, type InterleaveProgram, setOwn } from "./program";
import { type InterleaveReplay, replay } from "./replay";

/** What a finished run must show: shared cell name → final value. */
export type CellGoal = Record<string, number>;

function cellsText(cells: Record<string, number>): string {
  return Object.entries(cells)
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");
}

/**
 * True when `schedule` runs the program to the end (every thread finished) with the goal's cell values; else why not.
 */
export function scheduleReaches(program: InterleaveProgram, schedule: string, goal: CellGoal): true | string {
  checkObject(
    InterleaveOptionError,
    "the goal of scheduleReaches",
    goal,
    "pass the cells to reach, e.g. { counter: 1 }",
  );
  for (const [k, v] of Object.entries(goal))
    checkNumber(InterleaveOptionError, `the goal for cell \`${k.slice(0, 40)}\``, v, {}, "e.g. { counter: 1 }");
  const r = replay(program, schedule);
  if (r.status === "running") {
    const left = r.final.next
      .map((n, i) => (n.status === "ready" || n.status === "blocked" ? `T${i + 1}` : ""))
      .filter((x) => x);
    return `Your schedule stops after ${r.steps.length} steps with ${left.join(" and ")} unfinished: name every step of every thread (the run must finish).`;
  }
  if (r.status !== "done") return `Your schedule ends in a ${r.status} (${r.outcome}), not with every thread finished.`;
  const wrong = Object.keys(goal).filter((c) => !hasOwnName(r.final.cells, c) || r.final.cells[c] !== goal[c]);
  if (wrong.length === 0) return true;
  return `Your schedule finishes with ${cellsText(r.final.cells)}, not ${cellsText(goal)}.`;
}

/** True when `schedule` ends in a deadlock (no thread can move, some unfinished); else what happened instead. */
export function scheduleDeadlocks(program: InterleaveProgram, schedule: string): true | string {
  const r = replay(program, schedule);
  if (r.status === "deadlock") return true;
  if (r.status === "running")
    return `After your ${r.steps.length} steps some thread can still move: that is not stuck yet. Keep going, or choose the steps so that each thread waits for the other.`;
  return `Your schedule ends with ${r.status === "done" ? "every thread finished" : "a fault"} (${r.outcome}): no deadlock.`;
}

/**
 * The smallest (or largest) final value of `cell` over every finished outcome of an exploration, with its witness and
 * count.
 */
export function extremeOutcome(
  result: ExploreResult,
  cell: string,
  which: "min" | "max" = "min",
): { value: number; witness: string; count: bigint | null } {
  checkResult(
    InterleaveOptionError,
    "the result given to extremeOutcome",
    result,
    ["outcomes", "schedules"],
    "pass what explore(...) returned",
  );
  checkString(InterleaveOptionError, "the cell given to extremeOutcome", cell, { maxLength: 100 }, 'e.g. "counter"');
  checkChoice(InterleaveOptionError, "the direction given to extremeOutcome", which, ["min", "max"]);
  const done = result.outcomes.filter((o) => o.kind === "done" && hasOwnName(o.cells, cell));
  if (done.length === 0)
    throw new InterleaveOptionError(
      `No finished outcome has a shared cell \`${cell}\`: cells are ${Object.keys(result.program.cells).join(", ")}.`,
    );
  let best = done[0];
  for (const o of done)
    if (which === "min" ? o.cells[cell] < best.cells[cell] : o.cells[cell] > best.cells[cell]) best = o;
  return { value: best.cells[cell], witness: best.witness, count: best.count };
}

/** One row per outcome: the outcome, its exact number of schedules, its share (%) and a witness schedule. */
export function outcomeRows(
  result: ExploreResult,
): { outcome: string; schedules: bigint | null; "share (%)": number | null; witness: string }[] {
  checkResult(
    InterleaveOptionError,
    "the result given to outcomeRows",
    result,
    ["outcomes", "schedules"],
    "pass what explore(...) returned",
  );
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
  checkArray(
    InterleaveOptionError,
    "the step counts of multinomialSchedules",
    stepsPerThread,
    { max: 64 },
    "e.g. [3, 3]",
  );
  for (const n of stepsPerThread) checkInt(InterleaveOptionError, "a step count", n, 0, 10_000);
  let total = 0;
  let result = 1n;
  for (const n of stepsPerThread) {
    if (!Number.isInteger(n) || n < 0)
      throw new InterleaveOptionError(`Expected step counts to be whole numbers ≥ 0, got ${n}.`);
    for (let k = 1; k <= n; k++) {
      total++;
      result = (result * BigInt(total)) / BigInt(k);
    }
  }
  return result;
}

/**
 * The outcomes a correct program never reaches, one row each with its exact number of schedules and a witness:
 * faults (a broken invariant, an unlock or wait without the mutex), deadlocks (also every thread asleep), and, when
 * `expected` is given, finished runs whose cells differ from it (e.g. `{ in: 2, out: 2 }`). Empty: no violation.
 */
export function violations(
  result: ExploreResult,
  expected?: CellGoal,
): { outcome: string; kind: "done" | "deadlock" | "fault"; schedules: bigint | null; witness: string }[] {
  if (expected !== undefined) {
    if (typeof expected !== "object" || expected === null)
      throw new InterleaveOptionError(
        `Expected \`expected\` to map cells to values, e.g. { in: 2 }, got ${String(expected)}.`,
      );
    const unknown = Object.keys(expected).filter((c) => !hasOwnName(result.program.cells, c));
    if (unknown.length > 0)
      throw new InterleaveOptionError(
        `Unknown cell \`${unknown[0]}\` in \`expected\`: cells are ${Object.keys(result.program.cells).join(", ")}.`,
      );
  }
  const bad = result.outcomes.filter(
    (o) =>
      o.kind !== "done" || (expected !== undefined && Object.keys(expected).some((c) => o.cells[c] !== expected[c])),
  );
  return bad.map((o) => ({ outcome: o.key, kind: o.kind, schedules: o.count, witness: o.witness }));
}

/** Share (0..1) of all schedules that end in a deadlock; null when the count is not finite. */
export function deadlockShare(result: ExploreResult): number | null {
  checkResult(
    InterleaveOptionError,
    "the result given to deadlockShare",
    result,
    ["outcomes", "schedules"],
    "pass what explore(...) returned",
  );
  if (!result.finite || !result.schedules) return null;
  let d = 0n;
  for (const o of result.outcomes) if (o.kind === "deadlock" && o.count !== null) d += o.count;
  return Number((d * 1_000_000n) / result.schedules) / 1_000_000;
}

/** Rows of any replayed schedule: order, thread, step, every thread's registers, shared cells, mutex holders. */
export function replayTableRows(r: InterleaveReplay): Record<string, unknown>[] {
  checkResult(
    InterleaveOptionError,
    "the replay given to replayTableRows",
    r,
    ["steps"],
    "pass what replay(...) returned",
  );
  return r.steps.map((s) => {
    const row: Record<string, unknown> = { order: s.order, thread: s.threadName, step: s.text };
    s.after.registers.forEach((regs, t) => {
      const text = Object.entries(regs)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      setOwn(row, `${r.threadNames[t]} registers`, text);
    });
    for (const c of r.cellNames) setOwn(row, c, s.cells[c]);
    for (const [m, h] of Object.entries(s.after.locks)) setOwn(row, `${m} held by`, h ?? "—");
    for (const [n, v] of Object.entries(s.after.semaphores ?? {})) setOwn(row, `sem ${n}`, v);
    for (const [c, ts] of Object.entries(s.after.asleep ?? {})) setOwn(row, `asleep on ${c}`, ts.join(", ") || "—");
    return row;
  });
}
