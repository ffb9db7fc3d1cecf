/**
 * Chapter 06, write your own lock code: fix the lost update with `s.lock`, then provoke a lock-order deadlock
 * between two transfers and fix it. Each check explores every schedule with `checkAsync` (feedback: ✓, or ✗ with
 * the witness schedule and its step table; never a thrown error).
 */
import {
  type AsyncCheckResult,
  type AsyncDeadlock,
  type AsyncStore,
  checkAsync,
  replayAsync,
} from "../../asynccheck/index";
import {
  type CodeCheck,
  judgeProgram,
  type LearnerTask,
  outcomeText,
  showCodeCheck,
  type Verdict,
} from "../05-races-code";

/** "task 1 waits for lock("b") held by task 2; ..." */
export function waitsText(d: AsyncDeadlock): string {
  return d.waits
    .map((w) => `task ${w.task} waits for ${w.waitsFor}${w.heldBy ? ` held by task ${w.heldBy}` : ""}`)
    .join("; ");
}

function noDeadlock(r: AsyncCheckResult): Verdict {
  if (r.deadlocks.length === 0) return true;
  const d = r.deadlocks[0];
  return {
    why: `${r.deadlockSchedules} schedules get stuck, e.g. after the schedule below: ${waitsText(d)}.`,
    witness: d.witness,
  };
}

/** Exercise 1: an increment of `count` with s.read + s.write, made safe with s.lock / s.unlock; three tasks. */
export async function judgeLockedIncrement(increment: LearnerTask): Promise<CodeCheck> {
  const program = { init: { count: 0 }, tasks: [increment] };
  let ops: string[] = [];
  try {
    const alone = await checkAsync(program);
    const witness = Object.values(alone.outcomes)[0]?.witness ?? "";
    ops = (await replayAsync(program, witness)).steps.map((s) => s.operation);
  } catch {
    ops = []; // the three-task check below reports the error
  }
  const uses = (op: string) => ops.some((o) => o.startsWith(`${op}(`));
  if (ops.length > 0 && !(uses("lock") && uses("read") && uses("write"))) {
    return {
      ok: false,
      message:
        `Run alone, your task does ${ops.join(", ")}: keep the read and the write as two steps (s.read, then ` +
        "s.write) and protect them with s.lock / s.unlock.",
      witness: null,
      table: "",
      result: null,
    };
  }
  return judgeProgram({ init: { count: 0 }, tasks: [increment, increment, increment] }, (r) => {
    const dl = noDeadlock(r);
    if (dl !== true) return dl;
    const wrong = Object.entries(r.outcomes).filter(([k]) => JSON.parse(k).count !== 3);
    if (wrong.length === 0) return true;
    const n = wrong.reduce((a, [, o]) => a + o.count, 0);
    return {
      why: `${n} of ${r.schedules} schedules still lose an update (${outcomeText(r, "count")}).`,
      witness: wrong[0][1].witness,
    };
  });
}

/** A transfer as the learner writes it: move `amount` from account `from` to account `to`. */
export type Transfer = (s: AsyncStore, from: string, to: string, amount: number) => Promise<unknown>;

function transfers(transfer: Transfer) {
  return {
    init: { a: 100, b: 100 },
    tasks: [(s: AsyncStore) => transfer(s, "a", "b", 30), (s: AsyncStore) => transfer(s, "b", "a", 20)],
  };
}

function rightTotals(r: AsyncCheckResult): Verdict {
  const wrong = Object.entries(r.outcomes).filter(([k]) => k !== JSON.stringify({ a: 90, b: 110 }));
  if (wrong.length === 0) return true;
  return {
    why:
      `Some schedules end with ${wrong[0][0]} instead of {"a":90,"b":110} (a → b 30, b → a 20): ` +
      "an update is lost; lock both accounts around the reads and writes.",
    witness: wrong[0][1].witness,
  };
}

/** Exercise 2a (provoke): a transfer that locks `from`, then `to`; the two opposite transfers must deadlock. */
export async function judgeDeadlockProvoked(transfer: Transfer): Promise<CodeCheck> {
  return judgeProgram(transfers(transfer), (r) => {
    if (r.deadlocks.length === 0) {
      return {
        why:
          `None of the ${r.schedules} schedules gets stuck: lock the account you take from first ` +
          "(s.lock(from)), then the one you pay into (s.lock(to)), then read and write both.",
        witness: null,
      };
    }
    return rightTotals(r);
  });
}

/** Exercise 2b (fix): the same two transfers, no schedule may deadlock, every schedule ends a = 90, b = 110. */
export async function judgeDeadlockFixed(transfer: Transfer): Promise<CodeCheck> {
  return judgeProgram(transfers(transfer), (r) => {
    const dl = noDeadlock(r);
    return dl === true ? rightTotals(r) : dl;
  });
}

export async function checkLockedIncrement(increment: LearnerTask): Promise<void> {
  const c = await judgeLockedIncrement(increment);
  const n = (c.result?.schedules ?? 0).toLocaleString("en-US");
  showCodeCheck("Exercise: a locked increment", c, `All ${n} schedules of three tasks end at count = 3.`);
}

export async function checkDeadlockProvoked(transfer: Transfer): Promise<void> {
  const c = await judgeDeadlockProvoked(transfer);
  const r = c.result;
  let msg = "";
  if (c.ok && r) {
    const d = r.deadlocks[0];
    msg =
      `${r.deadlockSchedules} schedules deadlock (${waitsText(d)}), e.g. ${d.witness}; ` +
      `the other ${r.schedules} finish with a = 90, b = 110.`;
  }
  showCodeCheck("Exercise: provoke a lock-order deadlock", c, msg);
}

export async function checkDeadlockFixed(transfer: Transfer): Promise<void> {
  const c = await judgeDeadlockFixed(transfer);
  const n = (c.result?.schedules ?? 0).toLocaleString("en-US");
  showCodeCheck("Exercise: fix the deadlock", c, `All ${n} schedules finish with a = 90, b = 110; none gets stuck.`);
}

/** Written solutions and wrong answers (tests prove they pass / fail their checks). */
export const LOCKS_CODE_SOLUTIONS = {
  locked: async (s: AsyncStore) => {
    await s.lock("count");
    const v = await s.read("count");
    await s.write("count", v + 1);
    await s.unlock("count");
  },
  /** Wrong: forgets to unlock, so the second task waits forever. */
  lockedNoUnlock: async (s: AsyncStore) => {
    await s.lock("count");
    const v = await s.read("count");
    await s.write("count", v + 1);
  },
  /** Provokes the deadlock: locks in the order of the transfer. */
  transferInOrderOfUse: async (s: AsyncStore, from: string, to: string, amount: number) => {
    await s.lock(from);
    await s.lock(to);
    const f = await s.read(from);
    await s.write(from, f - amount);
    const t = await s.read(to);
    await s.write(to, t + amount);
    await s.unlock(to);
    await s.unlock(from);
  },
  /** The fix: every transfer locks the accounts in one global order (by name). */
  transferOrdered: async (s: AsyncStore, from: string, to: string, amount: number) => {
    const [first, second] = from < to ? [from, to] : [to, from];
    await s.lock(first);
    await s.lock(second);
    const f = await s.read(from);
    await s.write(from, f - amount);
    const t = await s.read(to);
    await s.write(to, t + amount);
    await s.unlock(second);
    await s.unlock(first);
  },
  /** Wrong for both: no locks at all, updates get lost and nothing deadlocks. */
  transferUnlocked: async (s: AsyncStore, from: string, to: string, amount: number) => {
    const f = await s.read(from);
    await s.write(from, f - amount);
    const t = await s.read(to);
    await s.write(to, t + amount);
  },
};
