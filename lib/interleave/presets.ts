/**
 * Ready-made programs of chapters 05 and 06: the counter race of seed 000, its locked fix, the two-lock deadlock and
 * its lock-ordering fix, and classic locks built from shared flags (broken flag lock, test-and-set, Peterson).
 */
import { InterleaveOptionError } from "./errors";
import { type InterleaveProgram, type InterleaveThreadBuilder, threadProgram } from "./program";

function checkSize(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new InterleaveOptionError(
      `Expected \`${name}\` to be an integer from 1 to ${max}, got ${String(v)}: pass a small whole number.`,
    );
  }
}

/** The unprotected increment: `r = counter`, `r = r + 1`, `counter = r` — three steps, any switch in between. */
function increment(t: InterleaveThreadBuilder): InterleaveThreadBuilder {
  return t.read("r", "counter").add("r", 1).write("counter", "r");
}

/** Seed 000's race: `threads` threads each increment `counter` (from 0) `increments` times, 3 steps per increment. */
export function counterRace(threads: number, increments: number): InterleaveProgram {
  checkSize("threads", threads, 16);
  checkSize("increments", increments, 1000);
  const b = threadProgram({ counter: 0 });
  for (let i = 0; i < threads; i++)
    b.thread((t) => {
      for (let k = 0; k < increments; k++) increment(t);
    });
  return b.build();
}

/** The counter race fixed with one mutex `m` around each increment (5 steps per increment). */
export function lockedCounter(threads: number, increments: number): InterleaveProgram {
  checkSize("threads", threads, 16);
  checkSize("increments", increments, 1000);
  const b = threadProgram({ counter: 0 });
  for (let i = 0; i < threads; i++)
    b.thread((t) => {
      for (let k = 0; k < increments; k++) increment(t.lock("m")).unlock("m");
    });
  return b.build();
}

/** The counter race fixed with an atomic increment (Atomics.add): one step per increment. */
export function atomicCounter(threads: number, increments: number): InterleaveProgram {
  checkSize("threads", threads, 16);
  checkSize("increments", increments, 1000);
  const b = threadProgram({ counter: 0 });
  for (let i = 0; i < threads; i++)
    b.thread((t) => {
      for (let k = 0; k < increments; k++) t.inc("counter");
    });
  return b.build();
}

/** Seed 000's deadlock: T1 takes RA then RB, T2 takes RB then RA; each adds 1 to `x` while holding both. */
export function twoLockDeadlock(): InterleaveProgram {
  return threadProgram({ x: 0 })
    .thread((t) => increment2(t.lock("RA").lock("RB")).unlock("RB").unlock("RA"))
    .thread((t) => increment2(t.lock("RB").lock("RA")).unlock("RA").unlock("RB"))
    .build();
}

/** The lock-ordering fix of twoLockDeadlock: both threads take RA before RB, so no deadlock is possible. */
export function twoLockOrdered(): InterleaveProgram {
  return threadProgram({ x: 0 })
    .thread((t) => increment2(t.lock("RA").lock("RB")).unlock("RB").unlock("RA"))
    .thread((t) => increment2(t.lock("RA").lock("RB")).unlock("RB").unlock("RA"))
    .build();
}

function increment2(t: InterleaveThreadBuilder): InterleaveThreadBuilder {
  return t.read("r", "x").add("r", 1).write("x", "r");
}

/**
 * A broken "lock" made of a plain flag: spin while `flag` is 1, then set it — but the check and the set are two
 * steps, so both threads can pass the check. Each thread then does one unprotected increment of `counter`.
 */
export function flagLock(threads = 2): InterleaveProgram {
  checkSize("threads", threads, 8);
  const b = threadProgram({ flag: 0, counter: 0 });
  for (let i = 0; i < threads; i++) {
    b.thread((t) =>
      increment(t.label("spin").read("f", "flag").jumpIfNe("f", 0, "spin").write("flag", 1)).write("flag", 0),
    );
  }
  return b.build();
}

/** The flag lock fixed with test-and-set: checking and setting the flag is one atomic step. */
export function testAndSetLock(threads = 2): InterleaveProgram {
  checkSize("threads", threads, 8);
  const b = threadProgram({ flag: 0, counter: 0 });
  for (let i = 0; i < threads; i++) {
    b.thread((t) => increment(t.label("spin").tas("f", "flag").jumpIfNe("f", 0, "spin")).write("flag", 0));
  }
  return b.build();
}

/** Peterson's lock for two threads (correct under sequential consistency): flag0, flag1, turn; one increment each. */
export function petersonLock(): InterleaveProgram {
  const b = threadProgram({ flag0: 0, flag1: 0, turn: 0, counter: 0 });
  for (const [me, other] of [
    [0, 1],
    [1, 0],
  ]) {
    b.thread((t) =>
      increment(
        t
          .write(`flag${me}`, 1)
          .write("turn", other)
          .label("wait")
          .read("f", `flag${other}`)
          .jumpIfEq("f", 0, "enter")
          .read("w", "turn")
          .jumpIfEq("w", other, "wait")
          .label("enter"),
      ).write(`flag${me}`, 0),
    );
  }
  return b.build();
}
