/**
 * Chapter 06's programs and exercise predicates on lib/interleave: the half-locked counter (one thread forgets the
 * lock), "a thread reads while another holds the lock", and "a deadlock as short as possible".
 */
import { describeValue } from "../../errors/validate";
import {
  type CellGoal,
  explore as exploreFor,
  InterleaveOptionError,
  type InterleaveProgram,
  type InterleaveThreadBuilder,
  parseThreadProgram,
  replay,
  scheduleDeadlocks,
  scheduleReaches,
  threadProgram,
} from "../../interleave/index";

/**
 * The counter race where only some threads lock `m` around their increments: `locking[i]` says whether thread i does.
 */
export function partlyLockedCounter(locking: readonly boolean[], increments = 1): InterleaveProgram {
  if (!Array.isArray(locking) || locking.length < 1 || locking.length > 8) {
    throw new InterleaveOptionError(
      `Expected \`locking\` to be a list of 1 to 8 booleans (one per thread), got ${describeValue(locking)}.`,
    );
  }
  if (!Number.isInteger(increments) || increments < 1 || increments > 50) {
    throw new InterleaveOptionError(
      `Expected \`increments\` to be an integer from 1 to 50, got ${String(increments)}.`,
    );
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

/**
 * checkWith predicate: thread `reader` reads `cell` at a moment when `holder` holds `mutex`, and the run reaches the
 * goal.
 */
export function readsWhileHeld(
  program: InterleaveProgram,
  schedule: string,
  o: { reader: string; cell: string; mutex: string; holder: string; goal: CellGoal },
): true | string {
  const r = replay(program, schedule);
  const inside = r.steps.some(
    (s) => s.threadName === o.reader && s.text.endsWith(`= ${o.cell}`) && s.after.locks[o.mutex] === o.holder,
  );
  if (!inside) return `${o.reader} must read ${o.cell} at a moment when ${o.holder} holds ${o.mutex}.`;
  return scheduleReaches(program, schedule, o.goal);
}

/**
 * checkWith predicate: a deadlocking schedule as short as the shortest one the explorer finds, starting with thread
 * `first`.
 */
export function shortestDeadlockFrom(program: InterleaveProgram, schedule: string, first: number): true | string {
  const res = exploreFor(program);
  if (res.deadlocks.length === 0) return "This program cannot deadlock.";
  const shortest = Math.min(...res.deadlocks.map((d) => d.witness.split(" ").length));
  const parts = String(schedule)
    .trim()
    .split(/[\s,]+/)
    .filter((x) => x !== "");
  if (parts.length !== shortest)
    return `A shortest deadlocking schedule has ${shortest} steps; yours has ${parts.length}.`;
  if (parts[0] !== String(first)) return `Let thread ${first} take the first step.`;
  return scheduleDeadlocks(program, schedule);
}

/**
 * Three threads pass three locks around a ring: T1 takes A then B, T2 takes B then C, T3 takes C then A, and each adds
 * one to x. No two threads take the same pair in opposite orders, yet the three together can close a cycle.
 */
export function ringOfLocks(): InterleaveProgram {
  const body = (first: string, second: string) =>
    `  lock ${first}\n  lock ${second}\n  read r, x\n  add r, 1\n  write x, r\n  unlock ${second}\n  unlock ${first}\n`;
  return parseThreadProgram(
    `shared x = 0\nthread T1:\n${body("A", "B")}thread T2:\n${body("B", "C")}thread T3:\n${body("C", "A")}`,
  );
}
