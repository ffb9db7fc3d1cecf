/**
 * Ready-made programs of chapters 05, 06 and 09: the counter race of seed 000, its locked fix, the two-lock deadlock
 * and its lock-ordering fix, classic locks built from shared flags (broken flag lock, test-and-set, Peterson), and
 * the bounded buffer with condition variables (boundedBuffer) or with semaphores (semaphoreBuffer).
 */
import { checkOptions } from "../errors/validate";
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

function oneOf<T extends string | number>(name: string, v: T, allowed: readonly T[]): void {
  if (!allowed.includes(v))
    throw new InterleaveOptionError(
      `Expected \`${name}\` to be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${JSON.stringify(v)}.`,
    );
}

/** Items each producer puts and each consumer takes, from the total; both must divide it. */
function shares(items: number, producers: number, consumers: number): [number, number] {
  for (const [who, n] of [
    ["producers", producers],
    ["consumers", consumers],
  ] as const) {
    if (items % n !== 0)
      throw new InterleaveOptionError(
        `Expected \`items\` (${items}, the total that passes through the buffer) to split evenly over the ${n} ${who}: ` +
          `pick items as a multiple of ${n}.`,
      );
  }
  return [items / producers, items / consumers];
}

/** Options of boundedBuffer (all optional). */
export interface BoundedBufferOptions {
  /** Places in the buffer (default 1). */
  capacity?: number;
  /** Producer threads P1, P2, ... (default 1). */
  producers?: number;
  /** Consumer threads C1, C2, ... (default 2). */
  consumers?: number;
  /** Items that pass through the buffer in all, split evenly over the producers and over the consumers (default 2). */
  items?: number;
  /** "while": re-check the condition after every wake-up (correct, default); "if": check it once (the classic bug). */
  guard?: "while" | "if";
  /** "signal": wake one sleeper (default); "broadcast": wake them all. */
  wake?: "signal" | "broadcast";
  /**
   * 2: producers sleep on `notFull`, consumers on `notEmpty` (default); 1: everyone sleeps on one condition variable
   * `cv`, so a signal may wake a thread of the wrong kind.
   */
  conditions?: 1 | 2;
}

/**
 * The bounded buffer (producer–consumer) with one mutex `m` and condition variables: a shared `count` of the items in
 * the buffer, with the invariant `0 ≤ count ≤ capacity` (a step that breaks it ends the run with a fault, so explore
 * reports it with a witness). Producer per item: `lock m; read c, count; while c == capacity: wait notFull, m; ...;
 * count = c + 1; signal notEmpty; unlock m`; consumers the mirror image. With `guard: "if"` the thread checks once
 * and, once woken, goes on without checking again: with two consumers, the one that was woken can find the buffer
 * emptied by the other one (count < 0). With `conditions: 1` and `wake: "signal"`, a consumer's signal can wake the
 * other consumer instead of the producer: everyone ends asleep (a deadlock) — the classic reason for `broadcast` or
 * for two condition variables.
 */
export function boundedBuffer(options: BoundedBufferOptions = {}): InterleaveProgram {
  const known = ["capacity", "producers", "consumers", "items", "guard", "wake", "conditions"];
  const {
    capacity = 1,
    producers = 1,
    consumers = 2,
    items = 2,
    guard = "while",
    wake = "signal",
    conditions = 2,
  } = checkOptions<BoundedBufferOptions>(InterleaveOptionError, "the options object of boundedBuffer", options, known);
  checkSize("capacity", capacity, 8);
  checkSize("producers", producers, 6);
  checkSize("consumers", consumers, 6);
  checkSize("items", items, 12);
  oneOf("guard", guard, ["while", "if"] as const);
  oneOf("wake", wake, ["signal", "broadcast"] as const);
  oneOf("conditions", conditions, [1, 2] as const);
  const [put, take] = shares(items, producers, consumers);
  const notFull = conditions === 2 ? "notFull" : "cv";
  const notEmpty = conditions === 2 ? "notEmpty" : "cv";
  const b = threadProgram({ count: 0 }).invariant("count", 0, capacity);
  if (conditions === 2) b.cond("notFull", "notEmpty");
  else b.cond("cv");
  // One item: lock; check (wait while/if the buffer is full resp. empty); count += delta; wake the other side; unlock.
  const item = (
    t: InterleaveThreadBuilder,
    i: number,
    blockAt: number,
    sleepOn: string,
    delta: number,
    other: string,
  ) => {
    t.lock("m").label(`check${i}`).read("c", "count").jumpIfNe("c", blockAt, `go${i}`).wait(sleepOn, "m");
    if (guard === "while") t.jump(`check${i}`);
    else t.read("c", "count");
    t.label(`go${i}`).add("c", delta).write("count", "c");
    if (wake === "signal") t.signal(other);
    else t.broadcast(other);
    t.unlock("m");
  };
  for (let p = 1; p <= producers; p++)
    b.thread(`P${p}`, (t) => {
      for (let i = 1; i <= put; i++) item(t, i, capacity, notFull, 1, notEmpty);
    });
  for (let c = 1; c <= consumers; c++)
    b.thread(`C${c}`, (t) => {
      for (let i = 1; i <= take; i++) item(t, i, 0, notEmpty, -1, notFull);
    });
  return b.build();
}

/** Options of semaphoreBuffer (all optional). */
export interface SemaphoreBufferOptions {
  /** Places in the buffer: the initial value of the semaphore `slots` (default 2). */
  capacity?: number;
  /** Producer threads P1, P2, ... (default 2). */
  producers?: number;
  /** Consumer threads C1, C2, ... (default 1). */
  consumers?: number;
  /** Items that pass through the buffer in all, split evenly over the producers and over the consumers (default 2). */
  items?: number;
  /** Whether put and take hold the mutex `m` (default true); false shows what the semaphores alone do not protect. */
  mutex?: boolean;
}

/**
 * The bounded buffer with counting semaphores: `slots` (free places, starts at capacity) and `items` (filled places,
 * starts at 0), and a mutex `m` around the buffer's indices. A producer: `down slots; lock m; in = in + 1 (three
 * steps: the slot it fills is the old in); unlock m; up items`; a consumer the mirror image with `out`. Every finished
 * run should end with `in` = `out` = items: each item got its own slot. Without the mutex, two producers (or
 * consumers) between their down and their up can read the same index and fill (or empty) the same slot — a lost
 * item, seen as a smaller `in` (or `out`). That needs room for two at once: with capacity 1, or with one producer
 * and one consumer (each index has one writer), the semaphores alone keep every item.
 */
export function semaphoreBuffer(options: SemaphoreBufferOptions = {}): InterleaveProgram {
  const known = ["capacity", "producers", "consumers", "items", "mutex"];
  const {
    capacity = 2,
    producers = 2,
    consumers = 1,
    items = 2,
    mutex = true,
  } = checkOptions<SemaphoreBufferOptions>(
    InterleaveOptionError,
    "the options object of semaphoreBuffer",
    options,
    known,
  );
  checkSize("capacity", capacity, 8);
  checkSize("producers", producers, 6);
  checkSize("consumers", consumers, 6);
  checkSize("items", items, 12);
  if (typeof mutex !== "boolean")
    throw new InterleaveOptionError(`Expected \`mutex\` to be true or false, got ${JSON.stringify(mutex)}.`);
  const [put, take] = shares(items, producers, consumers);
  const b = threadProgram({ in: 0, out: 0 }).sem({ slots: capacity, items: 0 });
  const item = (t: InterleaveThreadBuilder, wait: string, index: string, post: string) => {
    t.down(wait);
    if (mutex) t.lock("m");
    t.read("i", index).add("i", 1).write(index, "i");
    if (mutex) t.unlock("m");
    t.up(post);
  };
  for (let p = 1; p <= producers; p++)
    b.thread(`P${p}`, (t) => {
      for (let i = 0; i < put; i++) item(t, "slots", "in", "items");
    });
  for (let c = 1; c <= consumers; c++)
    b.thread(`C${c}`, (t) => {
      for (let i = 0; i < take; i++) item(t, "items", "out", "slots");
    });
  return b.build();
}
