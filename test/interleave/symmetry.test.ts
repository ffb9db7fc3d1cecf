import { describe, expect, it } from "vitest";
import {
  atomicCounter,
  counterRace,
  type ExploreOptions,
  type ExploreResult,
  explore,
  flagLock,
  InterleaveOptionError,
  type InterleaveProgram,
  InterleaveStateLimitError,
  lockedCounter,
  multinomialSchedules,
  parseThreadProgram,
  petersonLock,
  replay,
  testAndSetLock,
  threadProgram,
  twoLockDeadlock,
  twoLockOrdered,
} from "../../lib/interleave/index";
import { symmetricGroups } from "../../lib/interleave/symmetry";

// Symmetry reduction must change nothing but the work: every figure of the reduced explorer is compared with the
// unreduced one (`symmetry: false`, itself checked against brute force in explore.test.ts).

const spinTas =
  "shared flag = 0, c = 0\nthread A, B, C:\nspin:\n  tas f, flag\n  jz f, in\n  yield\n  goto spin\nin:\n" +
  "  read r, c\n  add r, 1\n  write c, r\n  write flag, 0";
const casLoop =
  "shared c = 0\nthread A, B, C:\nagain:\n  read r, c\n  set n, r\n  add n, 1\n  cas ok, c, r, n\n  jz ok, again";
/** Forgets to unlock: the first thread finishes holding m and the others wait, so deadlock keys name threads. */
const forgetful = "shared x = 0\nthread A, B, C:\n  lock m\n  read r, x\n  add r, 1\n  write x, r";
/** The thread that sees x = 1 locks m twice (waits for itself). */
const selfDeadlock =
  "shared x = 0\nthread A, B, C:\n  read r, x\n  write x, 1\n  jnz r, twice\n  lock m\n  unlock m\n  goto end\n" +
  "twice:\n  lock m\n  lock m\nend:";
/** Identical threads that choose their lock order by a ticket: they can deadlock with one another. */
const ticketOrder =
  "shared f = 0, x = 0\nthread A, B, C:\n  read r, f\n  add r, 1\n  write f, r\n  jeq r, 1, ab\n  lock b\n  lock a\n" +
  "  goto crit\nab:\n  lock a\n  lock b\ncrit:\n  read q, x\n  add q, 1\n  write x, q\n  unlock a\n  unlock b";
/** Unlocks twice: faults whose message names the thread and the holder. */
const doubleUnlock = "shared x = 0\nthread A, B, C:\n  lock m\n  write x, 1\n  unlock m\n  unlock m";
const unlockFirst = "shared x = 0\nthread A, B:\n  unlock m\nthread C:\n  lock m\n  write x, 1\n  unlock m";

/** Like chapter 06's partlyLockedCounter([true, false, true, false]), with other register names in T3 and T4. */
function mixedCounter(): InterleaveProgram {
  return threadProgram({ counter: 0 })
    .thread((t) => t.lock("m").read("r", "counter").add("r", 1).write("counter", "r").unlock("m"))
    .thread((t) => t.read("r", "counter").add("r", 1).write("counter", "r"))
    .thread((t) => t.lock("m").read("q", "counter").add("q", 1).write("counter", "q").unlock("m"))
    .thread((t) => t.read("s", "counter").add("s", 1).write("counter", "s"))
    .build();
}

/** Two identical threads and a third with other code. */
function twoAndOne(): InterleaveProgram {
  return threadProgram({ counter: 0 })
    .thread((t) => t.read("r", "counter").add("r", 1).write("counter", "r"))
    .thread((t) => t.inc("counter", 2))
    .thread((t) => t.read("r", "counter").add("r", 1).write("counter", "r"))
    .build();
}

const cases: [string, InterleaveProgram, ExploreOptions, boolean][] = [
  ["counterRace(2,1)", counterRace(2, 1), {}, true],
  ["counterRace(2,3)", counterRace(2, 3), {}, true],
  ["counterRace(3,1)", counterRace(3, 1), {}, true],
  ["counterRace(3,2)", counterRace(3, 2), {}, true],
  ["counterRace(3,3)", counterRace(3, 3), {}, true],
  ["counterRace(4,1)", counterRace(4, 1), {}, true],
  ["counterRace(4,2)", counterRace(4, 2), {}, true],
  ["lockedCounter(2,2)", lockedCounter(2, 2), {}, true],
  ["lockedCounter(3,2)", lockedCounter(3, 2), {}, true],
  ["lockedCounter(4,2)", lockedCounter(4, 2), {}, true],
  ["atomicCounter(3,2)", atomicCounter(3, 2), {}, true],
  ["atomicCounter(4,2)", atomicCounter(4, 2), {}, true],
  ["twoLockDeadlock", twoLockDeadlock(), {}, false],
  ["twoLockOrdered", twoLockOrdered(), {}, true],
  ["flagLock(2)", flagLock(2), {}, true],
  ["flagLock(3)", flagLock(3), {}, true],
  ["flagLock(2) maxSteps 16", flagLock(2), { maxSteps: 16 }, true],
  ["flagLock(3) maxSteps 24", flagLock(3), { maxSteps: 24 }, true],
  ["testAndSetLock(2)", testAndSetLock(2), {}, true],
  ["testAndSetLock(4)", testAndSetLock(4), {}, true],
  ["testAndSetLock(3) maxSteps 20", testAndSetLock(3), { maxSteps: 20 }, true],
  ["petersonLock", petersonLock(), {}, false],
  ["petersonLock maxSteps 18", petersonLock(), { maxSteps: 18 }, false],
  ["mixed 2 locked + 2 not", mixedCounter(), {}, true],
  ["mixed 2 locked + 2 not, bound 1", mixedCounter(), { preemptionBound: 1 }, true],
  ["two alike + one other", twoAndOne(), {}, true],
  ["spin with yield, bound 1, maxSteps 20", parseThreadProgram(spinTas), { preemptionBound: 1, maxSteps: 20 }, true],
  ["spin with yield, maxSteps 18", parseThreadProgram(spinTas), { maxSteps: 18 }, true],
  ["CAS retry loop", parseThreadProgram(casLoop), {}, true],
  ["CAS retry loop, maxSteps 17", parseThreadProgram(casLoop), { maxSteps: 17 }, true],
  ["forgets to unlock", parseThreadProgram(forgetful), {}, true],
  ["locks twice", parseThreadProgram(selfDeadlock), {}, true],
  ["lock order by ticket", parseThreadProgram(ticketOrder), {}, true],
  ["unlocks twice (faults)", parseThreadProgram(doubleUnlock), {}, true],
  ["unlock before lock (faults)", parseThreadProgram(unlockFirst), {}, true],
  ...[0, 1, 2, 3, 4].map((k): [string, InterleaveProgram, ExploreOptions, boolean] => [
    `counterRace(3,2) bound ${k}`,
    counterRace(3, 2),
    { preemptionBound: k },
    true,
  ]),
  ["lockedCounter(3,1) bound 1", lockedCounter(3, 1), { preemptionBound: 1 }, true],
  ["flagLock(3) bound 2 maxSteps 24", flagLock(3), { preemptionBound: 2, maxSteps: 24 }, true],
];

const outcomeRows = (r: ExploreResult) => r.outcomes.map((o) => [o.key, o.kind, o.cells, o.count, o.fault ?? null]);
const deadlockRows = (r: ExploreResult) =>
  r.deadlocks.map((d) => JSON.stringify([d.key, d.cells, d.holders, d.waiting, d.finished])).sort();

describe("explore: symmetry reduction is exact", () => {
  it.each(cases)("%s: the same figures as without reduction", (_, p, options, applies) => {
    const opts = { ...options, maxDeadlocks: 10_000 };
    const a = explore(p, opts);
    const b = explore(p, { ...opts, symmetry: false });
    expect(a.symmetry.applied).toBe(applies);
    expect(b.symmetry.applied).toBe(false);
    expect(b.symmetry.groups).toEqual(a.symmetry.groups);
    expect(a.schedules).toBe(b.schedules);
    expect([a.finite, a.cyclic, a.truncated]).toEqual([b.finite, b.cyclic, b.truncated]);
    expect(a.histogram).toEqual(b.histogram);
    expect(outcomeRows(a)).toEqual(outcomeRows(b));
    // States: `states` counts the distinct states of the program either way; `symmetry.explored` the stored ones.
    expect(a.states).toBe(b.states);
    expect(b.symmetry.explored).toBe(b.states);
    if (applies) expect(a.symmetry.explored).toBeLessThan(a.states);
    else expect(a.symmetry.explored).toBe(a.states);
    expect(a.deadlockStates).toBe(b.deadlockStates);
    expect(a.deadlocks).toHaveLength(a.deadlockStates);
    expect(deadlockRows(a)).toEqual(deadlockRows(b));
    // Witnesses are concrete schedules that replay to their own outcome.
    for (const o of a.outcomes) {
      const rp = replay(p, o.witness);
      expect([rp.status, rp.outcome]).toEqual([o.kind, o.key]);
    }
    for (const d of a.deadlocks) {
      const rp = replay(p, d.witness);
      expect([rp.status, rp.outcome]).toEqual(["deadlock", d.key]);
    }
    // Outcomes that name no thread keep the very witness of the unreduced search (the smallest schedule) when the
    // state graph is acyclic.
    if (!b.cyclic) {
      a.outcomes.forEach((o, i) => {
        if (o.kind === "done") expect(o.witness).toBe(b.outcomes[i].witness);
      });
    }
  });
});

describe("explore: symmetry reduction at scale", () => {
  it("counterRace(4,3): every schedule of 4 threads × 36 steps, exact", () => {
    const r = explore(counterRace(4, 3));
    expect(r.symmetry).toEqual({ applied: true, groups: [["T1", "T2", "T3", "T4"]], explored: 136_773 });
    expect(r.states).toBe(2_746_013); // the distinct states of the unreduced explorer
    expect(r.schedules).toBe(multinomialSchedules([9, 9, 9, 9]));
    expect(r.schedules).toBe(21_452_752_266_265_320_000n);
    expect(r.histogram!.get("counter=12")).toBe(369_600n); // 12! / (3!)^4: whole increments never interleave
    expect([...r.histogram!.keys()][0]).toBe("counter=2");
    expect([...r.histogram!.values()].reduce((x, y) => x + y, 0n)).toBe(r.schedules);
    for (const o of r.outcomes) expect(replay(counterRace(4, 3), o.witness).outcome).toBe(o.key);
  });

  it("'distinct states' in reduced mode: the states the stored ones stand for", () => {
    const p = counterRace(3, 2);
    const a = explore(p);
    const b = explore(p, { symmetry: false });
    expect([a.states, a.symmetry.explored, a.transitions]).toEqual([2981, 620, 1274]);
    expect([b.states, b.symmetry.explored, b.transitions]).toEqual([2981, 2981, 7047]);
    expect(b.symmetry).toEqual({ applied: false, groups: [["T1", "T2", "T3"]], explored: 2981 });
  });

  it("maxStates bounds the stored states", () => {
    const p = counterRace(3, 3);
    expect(explore(p, { maxStates: 6000 }).schedules).toBe(227_873_431_500n); // 5,742 stored
    expect(() => explore(p, { maxStates: 6000, symmetry: false })).toThrow(InterleaveStateLimitError);
  });

  it("the outcome of a deadlock names threads: its schedules split evenly over the renamings", () => {
    // One stored deadlocked state (one thread finished holding m, two wait) stands for three, one per finisher.
    const p = parseThreadProgram(forgetful);
    const r = explore(p);
    expect(r.symmetry.explored).toBe(5);
    expect([...r.histogram!]).toEqual([
      ["deadlock (A waits for m, B waits for m); x=1", 1n],
      ["deadlock (A waits for m, C waits for m); x=1", 1n],
      ["deadlock (B waits for m, C waits for m); x=1", 1n],
    ]);
    expect(r.deadlocks.map((d) => d.holders.m).sort()).toEqual(["A", "B", "C"]);
  });

  it("bad option: symmetry must be a boolean", () => {
    expect(() => explore(counterRace(2, 1), { symmetry: "no" as unknown as boolean })).toThrow(InterleaveOptionError);
    expect(() => explore(counterRace(2, 1), { symmetry: "no" as unknown as boolean })).toThrow(/symmetry/);
  });
});

describe("symmetricGroups: which threads are interchangeable", () => {
  it("same code up to register and label names; other code stays apart", () => {
    expect(symmetricGroups(mixedCounter().threads)).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(symmetricGroups(twoAndOne().threads)).toEqual([[0, 2]]);
    expect(symmetricGroups(twoLockDeadlock().threads)).toEqual([]);
    expect(symmetricGroups(petersonLock().threads)).toEqual([]);
    const labels = threadProgram({ x: 0 })
      .thread((t) => t.label("a").read("r", "x").jumpIfEq("r", 0, "a"))
      .thread((t) => t.label("b").read("q", "x").jumpIfEq("q", 0, "b"))
      .thread((t) => t.label("c").read("q", "x").jumpIfEq("q", 1, "c"))
      .build();
    expect(symmetricGroups(labels.threads)).toEqual([[0, 1]]);
  });
});
