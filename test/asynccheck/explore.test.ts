import { describe, expect, it } from "vitest";
import { type AsyncStore, checkAsync, replayAsync } from "../../lib/asynccheck/index";
import { brute } from "./brute";
import { CASES } from "./programs";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("checkAsync counts every schedule exactly", () => {
  it("two tasks of read then write have exactly 6 schedules; three have 6!/(2!2!2!) = 90", async () => {
    const [two, three, twice] = CASES;
    const r2 = await checkAsync(two.program);
    expect(r2.schedules).toBe(6);
    expect(Object.fromEntries(Object.entries(r2.outcomes).map(([k, o]) => [k, o.count]))).toEqual({
      '{"n":2}': 2,
      '{"n":1}': 4,
    });
    expect((await checkAsync(three.program)).schedules).toBe(90);
    expect((await checkAsync(twice.program)).schedules).toBe(70); // C(8, 4)
  });

  for (const c of CASES) {
    it(`${c.name}: schedules, deadlocks and outcomes equal a brute-force enumeration (cache on and off)`, async () => {
      const want = brute(c.program.init, c.gens, c.inv, c.fin);
      for (const cache of c.big ? [true] : [true, false]) {
        const r = await checkAsync(c.program, { cache });
        expect(r.schedules).toBe(want.schedules);
        expect(r.deadlockSchedules).toBe(want.deadlocks);
        expect(sum(r.deadlocks.map((d) => d.count))).toBe(want.deadlocks);
        expect(Object.fromEntries(Object.entries(r.outcomes).map(([k, o]) => [k, o.count]))).toEqual(want.outcomes);
        const inv = r.violations.filter((v) => v.kind === "invariant").map((v) => v.count);
        const fin = r.violations.filter((v) => v.kind === "final").map((v) => v.count);
        expect(sum(inv)).toBe(want.invariantBroken);
        expect(sum(fin)).toBe(want.finalBroken);
        expect(r.ok).toBe(want.deadlocks === 0 && want.invariantBroken === 0 && want.finalBroken === 0);
        if (!cache) expect(r.runs).toBe(want.schedules + want.deadlocks);
      }
    });
  }

  it("the cases cover deadlocks, invariant and final violations, and the cache saves runs", async () => {
    const all = await Promise.all(CASES.map((c) => checkAsync(c.program)));
    expect(all.some((r) => r.deadlocks.length > 0)).toBe(true);
    expect(all.some((r) => r.violations.some((v) => v.kind === "invariant"))).toBe(true);
    expect(all.some((r) => r.violations.some((v) => v.kind === "final"))).toBe(true);
    const i = all.findIndex((r) => r.cacheHits > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const plain = await checkAsync(CASES[i].program, { cache: false, maxRuns: 100_000 });
    expect(all[i].runs).toBeLessThan(plain.runs);
    expect(all[i].schedules).toBe(plain.schedules);
  });

  it("helper async functions and awaits on plain promises between store operations are part of the step", async () => {
    const bump = async (s: AsyncStore) => {
      const v = await s.read("n");
      await Promise.resolve();
      await new Promise<void>((r) => queueMicrotask(r));
      await s.write("n", v + 1);
    };
    const task = async (s: AsyncStore) => {
      await bump(s);
      await bump(s);
    };
    const r = await checkAsync({ init: { n: 0 }, tasks: [task, task] });
    const want = await checkAsync(CASES[2].program);
    expect(r.schedules).toBe(70);
    expect(r.outcomes).toEqual(want.outcomes);
  });

  it("update returns the value before the change; waitUntil with a change acts in the same step", async () => {
    const got: unknown[] = [];
    const t = async (s: AsyncStore) => {
      got.push(await s.update("n", (v) => v + 10));
      got.push(
        await s.waitUntil(
          "n",
          (v) => v >= 10,
          (v) => v * 2,
        ),
      );
    };
    const rep = await replayAsync({ init: { n: 1 }, tasks: [t] }, "1 1");
    expect(got).toEqual([1, 11]);
    expect(rep.final).toBe('{"n":22}');
    expect(rep.steps.map((x) => x.value)).toEqual(["11 (was 1)", "22 (was 11)"]);
    expect(rep.steps[1].operation).toBe('waitUntil("n", test, change)');
    const lockFree = CASES.filter((c) => c.name.startsWith("lock-free") || c.name.startsWith("semaphore"));
    expect(lockFree).toHaveLength(2);
    for (const c of lockFree) {
      const r = await checkAsync(c.program);
      expect(r.ok).toBe(true);
      expect(r.schedules).toBeGreaterThan(1);
    }
    // the same semaphore, waiting and taking in two steps, lets a third task in
    const racy = async (s: AsyncStore) => {
      await s.waitUntil("permits", (p) => p > 0);
      await s.update("permits", (p) => p - 1);
      await s.update("permits", (p) => p + 1);
    };
    const r = await checkAsync({
      init: { permits: 1 },
      tasks: [racy, racy],
      invariant: (st) => st.permits >= 0 || "negative",
    });
    expect(r.ok).toBe(false);
  });

  it("two locks in opposite orders: the deadlock names who waits for whom", async () => {
    const r = await checkAsync(CASES[4].program);
    expect(r.deadlockSchedules).toBe(2);
    expect(r.deadlocks[0].waits).toEqual([
      { task: 1, waitsFor: 'lock("b")', heldBy: 2, holds: ["a"] },
      { task: 2, waitsFor: 'lock("a")', heldBy: 1, holds: ["b"] },
    ]);
  });
});

describe("every witness replays to what it witnesses", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = await checkAsync(c.program);
      for (const [store, o] of Object.entries(r.outcomes)) {
        const rep = await replayAsync(c.program, o.witness);
        expect(rep.status).toBe("complete");
        expect(rep.final).toBe(store);
      }
      for (const v of r.violations) {
        const rep = await replayAsync(c.program, v.witness);
        expect(rep.final).toBe(v.store);
        if (v.kind === "final") expect(rep.finalViolation).toBe(v.message);
        else {
          expect(rep.firstViolation).toEqual({ step: rep.steps.length, message: v.message });
          expect(rep.steps.length ? rep.steps[rep.steps.length - 1].violation : null).toBe(v.message);
        }
      }
      for (const d of r.deadlocks) {
        const rep = await replayAsync(c.program, d.witness);
        expect(rep.status).toBe("deadlock");
        expect(rep.waits).toEqual(d.waits);
        expect(rep.final).toBe(d.store);
      }
    });
  }

  it("a replay's step table says who did what, the value, the store and the locks after each step", async () => {
    const rep = await replayAsync(CASES[3].program, "1 1 1 1 2");
    expect(rep.status).toBe("partial");
    expect(rep.steps.map((s) => [s.task, s.operation, s.value, s.store, s.locks, s.finished])).toEqual([
      [1, 'lock("m")', "", '{"n":0}', { m: 1 }, []],
      [1, 'read("n")', "0", '{"n":0}', { m: 1 }, []],
      [1, 'write("n", 1)', "1", '{"n":1}', { m: 1 }, []],
      [1, 'unlock("m")', "", '{"n":1}', {}, [1]],
      [2, 'lock("m")', "", '{"n":1}', { m: 2 }, [1]],
    ]);
  });
});
