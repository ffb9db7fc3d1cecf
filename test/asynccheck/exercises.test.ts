// The write-your-own-code exercises of chapters 05-07: each written solution passes its check, each wrong answer
// fails it with a witness schedule and its step table, and the starter code of the cells gives ✗, never a throw.
import { describe, expect, it } from "vitest";
import type { AsyncStore } from "../../lib/asynccheck/index";
import {
  checkRacyIncrement,
  judgeRacyIncrement,
  judgeSafeIncrement,
  RACES_CODE_SOLUTIONS as R,
} from "../../lib/chapters/05-races-code";
import {
  judgeDeadlockFixed,
  judgeDeadlockProvoked,
  judgeLockedIncrement,
  LOCKS_CODE_SOLUTIONS as L,
} from "../../lib/chapters/06-locks/code";
import {
  ASYNC_CODE_SOLUTIONS as A,
  judgeChannel,
  judgeFetchOnce,
  judgeSemaphore,
} from "../../lib/chapters/07-async/code";

const failsWithWitness = (c: { ok: boolean; witness: string | null; table: string; message: string }) => {
  expect(c.ok).toBe(false);
  expect(c.witness).toMatch(/^\d( \d)*$/);
  expect(c.table).toContain("<table");
  expect(c.message.length).toBeGreaterThan(10);
};

// The starter code of the cells (/tmp-free copies of what the chapters show before the learner edits them).
const starterTask = async (_s: AsyncStore) => {
  // your code here
};

describe("chapter 05: a lost update over await", () => {
  it("the read-then-write solution passes: alone it adds 1, two of them lose an update", async () => {
    const c = await judgeRacyIncrement(R.racy);
    expect(c.ok).toBe(true);
    expect(c.result?.schedules).toBe(6);
  });
  it("wrong answers fail: one s.update never loses; an empty starter adds nothing", async () => {
    const c = await judgeRacyIncrement(R.wrongRacy);
    expect(c.ok).toBe(false);
    expect(c.message).toMatch(/Every one of the 2 schedules/);
    expect((await judgeRacyIncrement(starterTask)).message).toMatch(/leaves count at 0/);
  });
  it("the safe increment: s.update passes; a yield between read and write fails with a witness", async () => {
    expect((await judgeSafeIncrement(R.safe)).ok).toBe(true);
    const c = await judgeSafeIncrement(R.wrongSafe);
    failsWithWitness(c);
    expect(c.message).toMatch(/schedules end with count ≠ 3/);
  });
  it("a task that throws becomes ✗ feedback, not an error", async () => {
    const c = await judgeSafeIncrement(async (s) => {
      const v = await s.read("count");
      if (v > 0) throw new Error("boom");
      await s.write("count", v + 1);
    });
    expect(c.ok).toBe(false);
    expect(c.message).toMatch(/Task 2 threw Error: boom/);
    const broken = await checkRacyIncrement(async () => JSON.parse("{"));
    expect(broken.solved).toBe(false);
    expect(broken.task).toBe(R.racy); // the cells after the exercise explore the model solution, never the stub
    const mine = await checkRacyIncrement(R.racy);
    expect(mine).toEqual({ solved: true, task: R.racy });
  });
  it("messages point at the cause: an un-awaited write, a wrong update, a throw with no schedule to replay", async () => {
    const noAwait = await judgeRacyIncrement(async (s) => {
      const v = await s.read("count");
      s.write("count", v + 1);
    });
    expect(noAwait.ok).toBe(false);
    expect(noAwait.message).toMatch(/ended while s\.write\("count", …\) was still waiting to run/);
    expect(noAwait.message).toMatch(/Put await before every/);
    const addsText = await judgeSafeIncrement(async (s) => {
      await s.update("count", (v) => v + "1");
    });
    expect(addsText.message).toMatch(/leaves count at "01": your update does not add 1/);
    expect(addsText.message).not.toMatch(/await between/);
    const throws = await judgeRacyIncrement(async () => {
      throw new Error("boom");
    });
    expect(throws.message).toMatch(/Task 1 threw Error: boom/);
    expect(throws.message).not.toMatch(/replays it|schedule: ""/);
    expect(throws.witness).toBeNull();
  });
});

describe("chapter 06: a locked increment, a deadlock provoked and fixed", () => {
  it("the locked increment passes; no lock and a missing unlock fail with witnesses", async () => {
    expect((await judgeLockedIncrement(L.locked)).ok).toBe(true);
    failsWithWitness(await judgeLockedIncrement(L.lockedNoUnlock));
    expect((await judgeLockedIncrement(L.lockedNoUnlock)).message).toMatch(/get stuck/);
    expect((await judgeLockedIncrement(R.racy)).ok).toBe(false);
    expect((await judgeLockedIncrement(starterTask)).ok).toBe(false);
  });
  it("locking in the order of use provokes the deadlock; the global order fixes it", async () => {
    const provoked = await judgeDeadlockProvoked(L.transferInOrderOfUse);
    expect(provoked.ok).toBe(true);
    expect(provoked.result?.deadlockSchedules).toBeGreaterThan(0);
    expect((await judgeDeadlockProvoked(L.transferOrdered)).ok).toBe(false);
    expect((await judgeDeadlockProvoked(L.transferUnlocked)).ok).toBe(false);
    expect((await judgeDeadlockFixed(L.transferOrdered)).ok).toBe(true);
    const stuck = await judgeDeadlockFixed(L.transferInOrderOfUse);
    failsWithWitness(stuck);
    expect(stuck.message).toMatch(/task 1 waits for lock\("b"\) held by task 2/);
    failsWithWitness(await judgeDeadlockFixed(L.transferUnlocked));
    expect((await judgeDeadlockFixed(async () => {})).ok).toBe(false);
  });
});

describe("chapter 07: fetch once, a semaphore, producer–consumer", () => {
  it("fetch at most once: claim-in-one-step and the locked check-then-act pass, the naive one fails", async () => {
    const claim = await judgeFetchOnce(A.fetchClaim);
    expect(claim.ok).toBe(true);
    expect(claim.result?.violations).toEqual([]);
    expect((await judgeFetchOnce(A.fetchLocked)).ok).toBe(true);
    const c = await judgeFetchOnce(A.fetchNaive);
    failsWithWitness(c);
    expect(c.message).toMatch(/2 fetches/);
    expect((await judgeFetchOnce(starterTask)).ok).toBe(false);
  });
  it("the semaphore: wait-and-take in one step passes, so does a lock; wait-then-take fails", async () => {
    expect((await judgeSemaphore(A.semaphore)).ok).toBe(true);
    expect((await judgeSemaphore(A.semaphoreLocked)).ok).toBe(true);
    const c = await judgeSemaphore(A.semaphoreRacy);
    failsWithWitness(c);
    expect(c.message).toMatch(/3 tasks inside at once|permits = -1/);
    const starter = { acquire: async (_s: AsyncStore) => {}, release: async (_s: AsyncStore) => {} };
    expect((await judgeSemaphore(starter)).message).toMatch(/3 tasks inside at once/);
  });
  it("producer–consumer: one-step put/take and turn-taking producers pass; racing producers overfill", async () => {
    expect((await judgeChannel(A.channel)).ok).toBe(true);
    expect((await judgeChannel(A.channelLocked)).ok).toBe(true);
    const c = await judgeChannel(A.channelRacy);
    failsWithWitness(c);
    expect(c.message).toMatch(/buf holds \[\d,\d\]/);
    const starter = {
      put: async (s: AsyncStore, item: number) => {
        const b = await s.read("buf");
        await s.write("buf", [...b, item]);
      },
      take: async (s: AsyncStore) => {
        const b = await s.read("buf");
        await s.write("buf", b.slice(1));
        return b[0];
      },
    };
    expect((await judgeChannel(starter)).ok).toBe(false);
  });
});
