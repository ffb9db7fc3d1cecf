// Programs for the checker's tests, each written twice: as the learner's async tasks, and as sync generators for
// the brute-force reference (test/asynccheck/brute.ts).
import type { AsyncProgram, AsyncStore } from "../../lib/asynccheck/index";
import type { Gen } from "./brute";

export interface Case {
  name: string;
  program: AsyncProgram;
  gens: Gen[];
  inv?: (s: any) => boolean;
  fin?: (s: any) => boolean;
  /** Too many schedules to also run without the cache in a unit test. */
  big?: boolean;
}

const inc = async (s: AsyncStore) => {
  const v = await s.read("n");
  await s.write("n", v + 1);
};
const incGen: Gen = function* () {
  const v = yield { op: "read", key: "n" };
  yield { op: "write", key: "n", value: v + 1 };
};
const inc2 = async (s: AsyncStore) => {
  for (let k = 0; k < 2; k++) {
    const v = await s.read("n");
    await s.write("n", v + 1);
  }
};
const inc2Gen: Gen = function* () {
  for (let k = 0; k < 2; k++) {
    const v = yield { op: "read", key: "n" };
    yield { op: "write", key: "n", value: v + 1 };
  }
};
const locked = async (s: AsyncStore) => {
  await s.lock("m");
  const v = await s.read("n");
  await s.write("n", v + 1);
  await s.unlock("m");
};
const lockedGen: Gen = function* () {
  yield { op: "lock", key: "m" };
  const v = yield { op: "read", key: "n" };
  yield { op: "write", key: "n", value: v + 1 };
  yield { op: "unlock", key: "m" };
};
const ordered = (a: string, b: string) => async (s: AsyncStore) => {
  await s.lock(a);
  await s.lock(b);
  await s.update("n", (v) => v + 1);
  await s.unlock(b);
  await s.unlock(a);
};
const orderedGen = (a: string, b: string): Gen =>
  function* () {
    yield { op: "lock", key: a };
    yield { op: "lock", key: b };
    yield { op: "update", key: "n", fn: (v) => v + 1 };
    yield { op: "unlock", key: b };
    yield { op: "unlock", key: a };
  };
const cache = async (s: AsyncStore) => {
  const c = await s.read("cache");
  if (c === null) {
    const f = await s.read("fetches");
    await s.write("fetches", f + 1);
    await s.write("cache", "data");
  }
};
const cacheGen: Gen = function* () {
  const c = yield { op: "read", key: "cache" };
  if (c === null) {
    const f = yield { op: "read", key: "fetches" };
    yield { op: "write", key: "fetches", value: f + 1 };
    yield { op: "write", key: "cache", value: "data" };
  }
};
const producer = async (s: AsyncStore) => {
  for (const item of [1, 2]) {
    await s.waitUntil("buf", (b) => b.length < 1);
    const b = await s.read("buf");
    await s.write("buf", [...b, item]);
  }
};
const producerGen: Gen = function* () {
  for (const item of [1, 2]) {
    yield { op: "waitUntil", key: "buf", fn: (b) => b.length < 1 };
    const b = yield { op: "read", key: "buf" };
    yield { op: "write", key: "buf", value: [...b, item] };
  }
};
const consumer = async (s: AsyncStore) => {
  for (let k = 0; k < 2; k++) {
    const b = await s.waitUntil("buf", (x) => x.length > 0);
    await s.write("buf", b.slice(1));
    await s.update("got", (g) => [...g, b[0]]);
  }
};
const consumerGen: Gen = function* () {
  for (let k = 0; k < 2; k++) {
    const b = yield { op: "waitUntil", key: "buf", fn: (x) => x.length > 0 };
    yield { op: "write", key: "buf", value: b.slice(1) };
    yield { op: "update", key: "got", fn: (g) => [...g, b[0]] };
  }
};
const mixA = async (s: AsyncStore) => {
  await s.yield();
  await s.update("x", (v) => v * 2);
};
const mixB = async (s: AsyncStore) => {
  await s.update("x", (v) => v + 1);
  await s.yield();
};
const mixC = async (s: AsyncStore) => {
  const x = await s.read("x");
  await s.write("y", x);
};
const mixGens: Gen[] = [
  function* () {
    yield { op: "yield", key: "" };
    yield { op: "update", key: "x", fn: (v) => v * 2 };
  },
  function* () {
    yield { op: "update", key: "x", fn: (v) => v + 1 };
    yield { op: "yield", key: "" };
  },
  function* () {
    const x = yield { op: "read", key: "x" };
    yield { op: "write", key: "y", value: x };
  },
];
// The fetch-once cache without a lock: claim the slot and learn whether this task won in ONE step (update returns
// the value before the change); the others wait for the winner's result (the in-flight promise of real JS).
const claim = async (s: AsyncStore) => {
  const before = await s.update("cache", (c) => c ?? "loading");
  if (before === null) {
    await s.update("fetches", (f) => f + 1);
    await s.write("cache", "data");
    return;
  }
  await s.waitUntil("cache", (c) => c === "data");
};
const claimGen: Gen = function* () {
  const before = yield { op: "update", key: "cache", fn: (c) => c ?? "loading" };
  if (before === null) {
    yield { op: "update", key: "fetches", fn: (f) => f + 1 };
    yield { op: "write", key: "cache", value: "data" };
    return;
  }
  yield { op: "waitUntil", key: "cache", fn: (c) => c === "data" };
};
// Tickets: each task gets the old value of `next` and records it; the outcome depends on the values returned.
const ticket = async (s: AsyncStore) => {
  const t = await s.update("next", (n) => n + 1);
  await s.update("order", (o) => [...o, t]);
};
const ticketGen: Gen = function* () {
  const t = yield { op: "update", key: "next", fn: (n) => n + 1 };
  yield { op: "update", key: "order", fn: (o) => [...o, t] };
};
// A semaphore whose acquire waits for a permit and takes it in the same step (waitUntil with a change).
const semUser = async (s: AsyncStore) => {
  await s.waitUntil(
    "permits",
    (p) => p > 0,
    (p) => p - 1,
  );
  await s.update("inside", (n) => n + 1);
  await s.update("inside", (n) => n - 1);
  await s.update("permits", (p) => p + 1);
};
const semGen: Gen = function* () {
  yield { op: "waitUntil", key: "permits", fn: (p) => p > 0, change: (p) => p - 1 };
  yield { op: "update", key: "inside", fn: (n) => n + 1 };
  yield { op: "update", key: "inside", fn: (n) => n - 1 };
  yield { op: "update", key: "permits", fn: (p) => p + 1 };
};

export const CASES: Case[] = [
  {
    name: "two read-then-write increments",
    program: { init: { n: 0 }, tasks: [inc, inc], final: (s) => s.n === 2 || `n is ${s.n}, not 2` },
    gens: [incGen, incGen],
    fin: (s) => s.n === 2,
  },
  {
    name: "three increments",
    program: { init: { n: 0 }, tasks: [inc, inc, inc], final: (s) => s.n === 3 || `n is ${s.n}` },
    gens: [incGen, incGen, incGen],
    fin: (s) => s.n === 3,
  },
  {
    name: "two tasks of two increments each",
    program: { init: { n: 0 }, tasks: [inc2, inc2] },
    gens: [inc2Gen, inc2Gen],
  },
  {
    name: "three locked increments",
    program: { init: { n: 0 }, tasks: [locked, locked, locked], final: (s) => s.n === 3 },
    gens: [lockedGen, lockedGen, lockedGen],
    fin: (s) => s.n === 3,
  },
  {
    name: "two locks taken in opposite orders",
    program: { init: { n: 0 }, tasks: [ordered("a", "b"), ordered("b", "a")] },
    gens: [orderedGen("a", "b"), orderedGen("b", "a")],
  },
  {
    name: "check-then-act cache, three tasks",
    program: {
      init: { cache: null, fetches: 0 },
      tasks: [cache, cache, cache],
      invariant: (s) => s.fetches <= 1 || `fetched ${s.fetches} times`,
    },
    gens: [cacheGen, cacheGen, cacheGen],
    inv: (s) => s.fetches <= 1,
    big: true,
  },
  {
    name: "producer and consumer over a one-slot buffer",
    program: {
      init: { buf: [], got: [] },
      tasks: [producer, consumer],
      invariant: (s) => s.buf.length <= 1 || `buffer holds ${s.buf.length}`,
      final: (s) => s.got.length === 2 || `consumer got ${JSON.stringify(s.got)}`,
    },
    gens: [producerGen, consumerGen],
    inv: (s) => s.buf.length <= 1,
    fin: (s) => s.got.length === 2,
  },
  {
    name: "lock-free fetch-once: claim with update's old value, the others wait for the result",
    program: {
      init: { cache: null, fetches: 0 },
      tasks: [claim, claim, claim],
      invariant: (s) => s.fetches <= 1 || `fetched ${s.fetches} times`,
      final: (s) => (s.fetches === 1 && s.cache === "data") || `fetches = ${s.fetches}`,
    },
    gens: [claimGen, claimGen, claimGen],
    inv: (s) => s.fetches <= 1,
    fin: (s) => s.fetches === 1 && s.cache === "data",
  },
  {
    name: "tickets: update returns the old value, three tasks",
    program: { init: { next: 0, order: [] }, tasks: [ticket, ticket, ticket] },
    gens: [ticketGen, ticketGen, ticketGen],
  },
  {
    name: "semaphore with 2 permits: wait for a permit and take it in one step",
    program: {
      init: { permits: 2, inside: 0 },
      tasks: [semUser, semUser, semUser],
      invariant: (s) => (s.inside <= 2 && s.permits >= 0) || `inside ${s.inside}, permits ${s.permits}`,
      final: (s) => s.permits === 2,
    },
    gens: [semGen, semGen, semGen],
    inv: (s) => s.inside <= 2 && s.permits >= 0,
    fin: (s) => s.permits === 2,
  },
  {
    name: "yields, updates and a reader",
    program: { init: { x: 1, y: 0 }, tasks: [mixA, mixB, mixC] },
    gens: mixGens,
  },
];
