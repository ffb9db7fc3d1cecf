/**
 * Chapter 07, write your own async code: a cache that fetches at most once (check-then-act across an await), an async
 * semaphore, and a producer–consumer over a one-slot buffer. Each check explores every schedule with `checkAsync`
 * (feedback: ✓, or ✗ with the witness schedule and its step table; never a thrown error).
 */
import { type AsyncCheckResult, type AsyncStore, updateIgnoringResult as quiet } from "../../asynccheck/index";
import { type CodeCheck, judgeProgram, type LearnerTask, showCodeCheck, type Verdict } from "../05-races-code";
import { waitsText } from "../06-locks/code";

function firstProblem(r: AsyncCheckResult): Verdict {
  if (r.violations.length > 0) {
    // invariant violations first (counted once per schedule, at its first violation), else the final check's
    const kind = r.violations.some((x) => x.kind === "invariant") ? "invariant" : "final";
    const mine = r.violations.filter((x) => x.kind === kind);
    const n = mine.reduce((a, x) => a + x.count, 0).toLocaleString("en-US");
    const of = (r.schedules + r.deadlockSchedules).toLocaleString("en-US");
    return {
      why: `${n} of ${of} schedules break the rule, e.g. the one below: ${mine[0].message}.`,
      witness: mine[0].witness,
    };
  }
  if (r.deadlocks.length > 0) {
    const d = r.deadlocks[0];
    const n = r.deadlockSchedules.toLocaleString("en-US");
    return { why: `${n} schedules get stuck: ${waitsText(d)}.`, witness: d.witness };
  }
  return true;
}

/**
 * Exercise 1: `getConfig(s)` returns the config from `cache`, fetching it on a miss. A fetch is
 * `await s.update("fetches", (n) => n + 1)` followed by `await s.write("cache", "config")`. Three tasks call it at
 * once: every schedule must fetch exactly once and leave cache = "config".
 */
export async function judgeFetchOnce(getConfig: LearnerTask): Promise<CodeCheck> {
  return judgeProgram(
    {
      init: { cache: null, fetches: 0 },
      tasks: [getConfig, getConfig, getConfig],
      invariant: (s) => s.fetches <= 1 || `${s.fetches} fetches`,
      final: (s) =>
        (s.fetches === 1 && s.cache === "config") || `fetches = ${s.fetches}, cache = ${JSON.stringify(s.cache)}`,
    },
    firstProblem,
  );
}

/** Acquire / release of a semaphore over the store key `permits` (2 at the start). */
export interface Semaphore {
  acquire: (s: AsyncStore) => Promise<unknown>;
  release: (s: AsyncStore) => Promise<unknown>;
}

/**
 * Exercise 2: an async semaphore with 2 permits. Three tasks each acquire, enter (`inside` + 1), leave, release:
 * `inside` must never exceed 2, `permits` never drop below 0, and no schedule may get stuck.
 */
export async function judgeSemaphore(sem: Semaphore): Promise<CodeCheck> {
  const user = async (s: AsyncStore) => {
    await sem.acquire(s);
    // the harness ignores update's result (keeps the state cache small; counts stay exact)
    await quiet(s, "inside", (n) => n + 1);
    await quiet(s, "inside", (n) => n - 1);
    await sem.release(s);
  };
  return judgeProgram(
    {
      init: { permits: 2, inside: 0 },
      tasks: [user, user, user],
      invariant: (s) =>
        s.inside > 2 ? `${s.inside} tasks inside at once` : s.permits < 0 ? `permits = ${s.permits}` : true,
      final: (s) => s.permits === 2 || `permits = ${s.permits} at the end, not 2`,
    },
    firstProblem,
  );
}

/** put / take over the store key `buf` (an array, at most 1 item); `take` returns the item. */
export interface Channel {
  put: (s: AsyncStore, item: number) => Promise<unknown>;
  take: (s: AsyncStore) => Promise<unknown>;
}

/**
 * Exercise 3: producer–consumer. Two producers put 1 and 2, one consumer takes twice and records what it got
 * (`got`). `buf` must never hold more than 1 item; every schedule must end with both items received.
 */
export async function judgeChannel(ch: Channel): Promise<CodeCheck> {
  const consumer = async (s: AsyncStore) => {
    for (let k = 0; k < 2; k++) {
      const item = await ch.take(s);
      await quiet(s, "got", (g) => [...g, item ?? null]);
    }
  };
  return judgeProgram(
    {
      init: { buf: [], got: [] },
      tasks: [(s) => ch.put(s, 1), (s) => ch.put(s, 2), consumer],
      invariant: (s) => s.buf.length <= 1 || `buf holds ${JSON.stringify(s.buf)}`,
      final: (s) =>
        JSON.stringify([...s.got].sort()) === "[1,2]" || `the consumer got ${JSON.stringify(s.got)}, not 1 and 2`,
    },
    firstProblem,
  );
}

export async function checkFetchOnce(getConfig: LearnerTask): Promise<void> {
  const c = await judgeFetchOnce(getConfig);
  const n = (c.result?.schedules ?? 0).toLocaleString("en-US");
  showCodeCheck("Exercise: fetch at most once", c, `All ${n} schedules of three callers fetch exactly once.`);
}

export async function checkSemaphore(sem: Semaphore): Promise<void> {
  const c = await judgeSemaphore(sem);
  const n = (c.result?.schedules ?? 0).toLocaleString("en-US");
  showCodeCheck("Exercise: an async semaphore", c, `All ${n} schedules keep at most 2 inside and end with 2 permits.`);
}

export async function checkChannel(ch: Channel): Promise<void> {
  const c = await judgeChannel(ch);
  const n = (c.result?.schedules ?? 0).toLocaleString("en-US");
  showCodeCheck("Exercise: producer–consumer", c, `All ${n} schedules deliver 1 and 2, never 2 items in the buffer.`);
}

/**
 * Written solutions and wrong answers (tests prove they pass / fail their checks). The lock-free solutions come
 * first: as in real JavaScript, the fix is no await between the check and the act (`s.update` returns the value
 * before its change; `s.waitUntil(key, test, change)` waits and changes in one step). The lock versions are the
 * alternative.
 */
export const ASYNC_CODE_SOLUTIONS = {
  /** Wrong: check, then act, with awaits in between. */
  fetchNaive: async (s: AsyncStore) => {
    const cached = await s.read("cache");
    if (cached !== null) return cached;
    await s.update("fetches", (n) => n + 1);
    await s.write("cache", "config");
    return "config";
  },
  /**
   * Right, no lock: check and claim in ONE step (the old value says who won); the others wait for the winner's
   * result. The store's "loading" plays the in-flight promise that real JS caches and every caller awaits.
   */
  fetchClaim: async (s: AsyncStore) => {
    const before = await s.update("cache", (c) => c ?? "loading");
    if (before === null) {
      await s.update("fetches", (n) => n + 1);
      await s.write("cache", "config");
      return "config";
    }
    return s.waitUntil("cache", (c) => c === "config");
  },
  /** Right too: the check and the act under one lock. */
  fetchLocked: async (s: AsyncStore) => {
    await s.lock("cache");
    let cached = await s.read("cache");
    if (cached === null) {
      await s.update("fetches", (n) => n + 1);
      await s.write("cache", "config");
      cached = "config";
    }
    await s.unlock("cache");
    return cached;
  },
  /** Wrong: waits for a permit, then takes it in a later step; two tasks pass the wait on the last permit. */
  semaphoreRacy: {
    acquire: async (s: AsyncStore) => {
      await s.waitUntil("permits", (p) => p > 0);
      await s.update("permits", (p) => p - 1);
    },
    release: async (s: AsyncStore) => {
      await s.update("permits", (p) => p + 1);
    },
  } as Semaphore,
  /** Right, no lock: wait for a permit and take it in the same step. */
  semaphore: {
    acquire: async (s: AsyncStore) => {
      await s.waitUntil(
        "permits",
        (p) => p > 0,
        (p) => p - 1,
      );
    },
    release: async (s: AsyncStore) => {
      await s.update("permits", (p) => p + 1);
    },
  } as Semaphore,
  /** Right too: one acquirer at a time waits for a permit and takes it (the lock is held while waiting). */
  semaphoreLocked: {
    acquire: async (s: AsyncStore) => {
      await s.lock("acquire");
      await s.waitUntil("permits", (p) => p > 0);
      await s.update("permits", (p) => p - 1);
      await s.unlock("acquire");
    },
    release: async (s: AsyncStore) => {
      await s.update("permits", (p) => p + 1);
    },
  } as Semaphore,
  /** Wrong: waits for room, then appends in a later step; both producers pass the wait. */
  channelRacy: {
    put: async (s: AsyncStore, item: number) => {
      await s.waitUntil("buf", (b) => b.length < 1);
      await s.update("buf", (b) => [...b, item]);
    },
    take: async (s: AsyncStore) => {
      const b = await s.waitUntil("buf", (x) => x.length > 0);
      await s.update("buf", (x) => x.slice(1));
      return b[0];
    },
  } as Channel,
  /** Right, no lock: wait for room and append in one step; wait for an item and remove it in one step. */
  channel: {
    put: async (s: AsyncStore, item: number) => {
      await s.waitUntil(
        "buf",
        (b) => b.length < 1,
        (b) => [...b, item],
      );
    },
    take: async (s: AsyncStore) => {
      const b = await s.waitUntil(
        "buf",
        (x) => x.length > 0,
        (x) => x.slice(1),
      );
      return b[0];
    },
  } as Channel,
  /** Right too: producers take turns (a lock) to wait for room and append. */
  channelLocked: {
    put: async (s: AsyncStore, item: number) => {
      await s.lock("put");
      await s.waitUntil("buf", (b) => b.length < 1);
      await s.update("buf", (b) => [...b, item]);
      await s.unlock("put");
    },
    take: async (s: AsyncStore) => {
      const b = await s.waitUntil("buf", (x) => x.length > 0);
      await s.update("buf", (x) => x.slice(1));
      return b[0];
    },
  } as Channel,
};
