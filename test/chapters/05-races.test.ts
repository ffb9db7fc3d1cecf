import { describe, expect, it } from "vitest";
import {
  counterRaceSummary,
  exactOutcomesFigure,
  firstMoverReaches,
  lastSeatProgram,
  litmusReport,
  litmusRows,
  raceTimeFigure,
  realRaceReport,
  seedTableRows,
  seedWords,
} from "../../lib/chapters/05-races";
import {
  lockContentionReport,
  partlyLockedCounter,
  readsWhileHeld,
  shortestDeadlockFrom,
} from "../../lib/chapters/06-locks/index";
import { scheduleReaches as reachesAgain } from "../../lib/index";
import {
  counterRace,
  deadlockShare,
  explore,
  extremeOutcome,
  multinomialSchedules,
  outcomeRows,
  replay,
  replayTableRows,
  scheduleDeadlocks,
  scheduleReaches,
  twoLockDeadlock,
  twoLockOrdered,
} from "../../lib/interleave/index";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";
import { replayFrames } from "../../lib/plot/racesteps";
import { realRaceFigure } from "../../lib/plot/real";

describe("chapter 05 puzzles", () => {
  it("the seed's two tables in the seed's words", () => {
    const rows = seedTableRows(replay(counterRace(2, 1), "1 2 1 1 2 2"));
    expect(rows.map((r) => r.Steps)).toEqual([
      "Thread 1 get current counter",
      "Thread 2 get current counter",
      "Thread 1 increase counter",
      "Thread 1 store counter",
      "Thread 2 increase counter",
      "Thread 2 store counter",
    ]);
    expect(rows.map((r) => r["value of counter"])).toEqual([0, 0, 0, 1, 1, 1]);
    expect(rows.map((r) => r["T2's r"])).toEqual([0, 0, 0, 0, 1, 1]);
    expect(seedTableRows(replay(counterRace(2, 1), "1 1 1 2 2 2")).map((r) => r["value of counter"])).toEqual([
      0, 0, 1, 1, 1, 2,
    ]);
    expect(seedWords("lock(m)")).toBe("lock(m)");
  });

  it("scheduleReaches says what went wrong", () => {
    const p = counterRace(2, 1);
    expect(scheduleReaches(p, "1 2 1 1 2 2", { counter: 1 })).toBe(true);
    expect(scheduleReaches(p, "1 1 1 2 2 2", { counter: 1 })).toMatch(/finishes with counter = 2, not counter = 1/);
    expect(scheduleReaches(p, "1 2", { counter: 1 })).toMatch(/stops after 2 steps with T1 and T2 unfinished/);
    expect(reachesAgain).toBe(scheduleReaches);
  });

  it("counts: multinomial, extremes, rows", () => {
    expect(multinomialSchedules([3, 3])).toBe(20n);
    expect(multinomialSchedules([6, 6])).toBe(924n);
    expect(multinomialSchedules([9, 9, 9])).toBe(227873431500n);
    const r = explore(counterRace(2, 1));
    expect(outcomeRows(r)).toEqual([
      { outcome: "counter=1", schedules: 18n, "share (%)": 90, witness: "1 1 2 1 2 2" },
      { outcome: "counter=2", schedules: 2n, "share (%)": 10, witness: "1 1 1 2 2 2" },
    ]);
    expect([1, 2, 3, 4].map((k) => extremeOutcome(explore(counterRace(2, k)), "counter").value)).toEqual([1, 2, 2, 2]);
    expect(extremeOutcome(explore(counterRace(2, 3)), "counter", "max").value).toBe(6);
    expect(() => extremeOutcome(r, "nope")).toThrow(/cells are counter/);
  });

  it("the written solutions pass their checks", () => {
    const race = counterRace(2, 1);
    expect(scheduleReaches(race, "2 1 1 1 2 2", { counter: 1 })).toBe(true); // exercise 1
    expect(explore(counterRace(3, 1)).schedules).toBe(1680n); // exercise 2: 9! / (3!·3!·3!)
    // exercise 4
    expect(scheduleReaches(counterRace(2, 3), "1 2 2 2 2 2 2 1 1 2 1 1 1 1 1 1 2 2", { counter: 2 })).toBe(true);
  });

  it("partly locked counter and deadlock helpers", () => {
    const half = explore(partlyLockedCounter([true, false]));
    expect(half.outcomes.map((o) => o.key)).toEqual(["counter=1", "counter=2"]);
    expect(explore(partlyLockedCounter([true, true])).outcomes.map((o) => o.key)).toEqual(["counter=2"]);
    expect(() => partlyLockedCounter([])).toThrow(/list of 1 to 8 booleans/);
    expect(scheduleDeadlocks(twoLockDeadlock(), "1 2")).toBe(true);
    expect(scheduleDeadlocks(twoLockDeadlock(), "1")).toMatch(/can still move/);
    expect(deadlockShare(explore(twoLockDeadlock()))).toBeCloseTo(1 / 3, 5);
    expect(deadlockShare(explore(twoLockOrdered()))).toBe(0);
  });
});

describe("chapter 05/06 check predicates and summaries", () => {
  it("firstMoverReaches, readsWhileHeld, shortestDeadlockFrom", () => {
    const race = counterRace(2, 1);
    expect(firstMoverReaches(race, "2 1 1 1 2 2", 2, { counter: 1 })).toBe(true);
    expect(firstMoverReaches(race, "1 2 1 1 2 2", 2, { counter: 1 })).toMatch(/Let thread 2 take the first step/);
    const half = partlyLockedCounter([true, false]);
    const o = { reader: "T2", cell: "counter", mutex: "m", holder: "T1", goal: { counter: 1 } };
    expect(readsWhileHeld(half, "1 2 1 1 1 2 2 1", o)).toBe(true);
    expect(readsWhileHeld(half, "2 1 1 1 1 1 2 2", o)).toMatch(/T2 must read counter at a moment when T1 holds m/);
    expect(shortestDeadlockFrom(twoLockDeadlock(), "2 1", 2)).toBe(true);
    expect(shortestDeadlockFrom(twoLockDeadlock(), "1 2", 2)).toMatch(/Let thread 2/);
    expect(shortestDeadlockFrom(twoLockDeadlock(), "2 1 1", 2)).toMatch(/has 2 steps; yours has 3/);
    expect(shortestDeadlockFrom(twoLockOrdered(), "1 2", 1)).toMatch(/cannot deadlock/);
  });

  it("replayTableRows and counterRaceSummary", () => {
    const half = partlyLockedCounter([true, false]);
    const rows = replayTableRows(replay(half, "1 2 1 1 1 2 2 1"));
    expect(rows[1]).toEqual({
      order: 2,
      thread: "T2",
      step: "r = counter",
      "T1 registers": "r=0",
      "T2 registers": "r=0",
      counter: 0,
      "m held by": "T1",
    });
    expect(rows[7]["m held by"]).toBe("—");
    // Exact counts only: the state counts agree with an independent enumeration (dead registers zeroed).
    const s = counterRaceSummary([
      [2, 1],
      [2, 2],
      [3, 2],
    ]);
    const row = (threads: number, increments: number, schedules: bigint, states: number, smallest: number) => ({
      threads,
      increments,
      "right answer": threads * increments,
      schedules,
      "distinct states": states,
      smallest,
      largest: threads * increments,
    });
    expect(s.rows).toEqual([row(2, 1, 20n, 21, 1), row(2, 2, 924n, 116, 2), row(3, 2, 17_153_136n, 2981, 2)]);
    // Wall-clock times stay out of the table: one per size, beside it.
    expect(s.timesMs).toHaveLength(3);
    for (const ms of s.timesMs) expect(Number.isInteger(ms)).toBe(true); // whole ms of Date.now()
    expect(s.results.map((r) => r.label)).toEqual(["2 threads × 1", "2 threads × 2", "3 threads × 2"]);
    const big = counterRaceSummary([[3, 3]]).rows[0];
    expect([big.schedules, big.smallest, big.largest]).toEqual([227873431500n, 2, 9]);
  });

  it("lockContentionReport compares 1 worker with as many as cores, against min(cores, 1 ÷ f)", () => {
    const row = (workers: number, c: number, ops: number) => ({
      workers,
      criticalIterations: c,
      outsideIterations: 100,
      ops: 1,
      ms: 1,
      runsMs: [1, 1, 1],
      opsPerSecond: ops,
      exact: true,
    });
    // inside 300, outside 100: 1 ÷ f = 4/3 below 2 cores
    const shown = lockContentionReport(
      [row(1, 0, 100), row(2, 0, 190), row(4, 0, 185), row(1, 300, 60), row(2, 300, 78), row(4, 300, 77)],
      2,
    );
    expect(shown).toMatch(/medians of 3 runs after a warm-up: going from 1 to 2 workers/);
    expect(shown).toMatch(/×1\.90.*×1\.30.*1 ÷ f = \*\*1\.33\*\*/);
    expect(shown).toMatch(/stayed at or below the lock's ceiling ×1\.33 \(bound min\(cores, 1 ÷ f\) = ×1\.33\)/);
    const busy = lockContentionReport([row(1, 0, 100), row(2, 0, 120), row(1, 300, 60), row(2, 300, 70)], 2);
    expect(busy).toMatch(/did not get the cores to themselves.*cannot tell the lock.s ceiling/);
    expect(busy).not.toMatch(/stayed at or below/);
    const noisy = lockContentionReport([row(1, 0, 100), row(2, 0, 190), row(1, 300, 60), row(2, 300, 115)], 2);
    expect(noisy).toMatch(/does not show the ceiling ×1\.33 clearly/);
    const one = lockContentionReport([row(1, 0, 100), row(2, 0, 95), row(1, 300, 60), row(2, 300, 58)], 1);
    expect(one).toMatch(/1 core available/);
    expect(one).toMatch(/cannot show the lock's ceiling/);
  });
});

describe("chapter 05 figures", () => {
  it("replay frames: start + one per step, escaped, stale store explained", () => {
    const p = counterRace(2, 1);
    const f = replayFrames(p, replay(p, "1 2 1 1 2 2"));
    expect(f).toHaveLength(7);
    expect(f[6].caption).toMatch(
      /T2 does “counter = r” → counter stays 1: it already held that value\. Run ends: done, counter=1\./,
    );
    expect(f[4].caption).toMatch(/counter becomes 1/);
    expect(f[1].html).toContain("r = counter");
    expect(f[0].html).not.toContain("<script");
  });

  it("exact outcomes on a log axis; race time bars", () => {
    const fig = exactOutcomesFigure([{ label: "2 × 2", result: explore(counterRace(2, 2)) }]);
    expect(fig.data[0].x).toEqual([2, 3, 4]);
    expect((fig.data[0].y as number[]).reduce((a, b) => a + b, 0)).toBe(924);
    expect((fig.layout.yaxis as { type: string }).type).toBe("log");
    const t = raceTimeFigure({
      rows: [
        {
          mode: "plain",
          workers: 2,
          increments: 10,
          expected: 20,
          finals: [15],
          lost: { median: 5, min: 5, max: 5, runs: [5] },
          lossRate: 0.25,
          ms: { median: 1, min: 1, max: 1, runs: [1] },
          overlapMs: [1],
        },
      ],
    });
    expect(t.data[0].x).toEqual(["plain read-add-write<br>(25.0 % of updates lost)"]);
    const race = {
      rows: [
        {
          mode: "plain" as const,
          workers: 2,
          increments: 10,
          expected: 20,
          finals: [15, 20],
          lost: { median: 2.5, min: 0, max: 5, runs: [5, 0] },
          lossRate: 0.125,
          ms: { median: 2, min: 1, max: 3, runs: [1, 3] },
          overlapMs: [1, 0],
        },
        {
          mode: "atomic" as const,
          workers: 2,
          increments: 10,
          expected: 20,
          finals: [20, 20],
          lost: { median: 0, min: 0, max: 0, runs: [0, 0] },
          lossRate: 0,
          ms: { median: 8, min: 8, max: 8, runs: [8, 8] },
          overlapMs: [1, 1],
        },
      ],
    };
    const text = realRaceReport(race);
    expect(text).toMatch(/ended at \*\*15\*\*, \*\*20\*\* instead of 20/);
    expect(text).toMatch(/lost \*\*nothing\*\*/);
    expect(text).toMatch(/exact every time.*8\.0 ms.*2\.0 ms.*×4\.0/);
    expect(text).not.toMatch(/one worker's count/);
    expect(text).toMatch(/count alone cannot tell you whether the workers ran at once/);
    race.rows[0].finals = [10, 20];
    const whole = realRaceReport(race);
    expect(whole).toMatch(/One run ended at exactly \*\*10\*\*, one worker's count/);
    expect(whole).toMatch(/whole run fell between one load and its store/);
    expect(whole).toMatch(/V8 does not do that here/);
    expect(whole).not.toMatch(/That is what happens when the JIT/);
    // the one-core run: its own sentences, and a clear skip
    const pinned = { rows: [race.rows[0]], pinned: { cpu: 0, cpusAvailable: 1 } };
    expect(realRaceReport(pinned)).toMatch(/^Pinned to one core \(core 0; the process could use 1 core\)/);
    expect(realRaceReport(pinned)).toMatch(/wiped out by a switch that landed between a load and its store/);
    expect(realRaceReport(pinned)).not.toMatch(/overlapped in time/);
    expect(realRaceReport({ rows: [], skipped: "no taskset" })).toBe(
      "The one-core run was skipped on this machine: no taskset.",
    );
  });
});

describe("chapter 05: race condition vs data race, memory model, exercises", () => {
  it("check-then-act on atomic steps: no data race, and still two seats sold out of one", () => {
    const r = explore(lastSeatProgram());
    const rows = outcomeRows(r);
    expect(rows.map((x) => x.outcome)).toEqual(["seats=-1, sold=2", "seats=0, sold=1"]);
    expect(r.histogram!.get("seats=-1, sold=2")).toBe(210n);
    expect(r.schedules).toBe(230n);
  });

  it("litmus rows and report follow the numbers", () => {
    const rows = [
      { mode: "plain" as const, trials: 1000, outcomes: { "0 0": 37, "0 1": 400, "1 0": 500, "1 1": 63 }, ms: 5 },
      { mode: "atomic" as const, trials: 1000, outcomes: { "0 0": 0, "0 1": 450, "1 0": 450, "1 1": 100 }, ms: 9 },
    ];
    const table = litmusRows(rows);
    expect(table[0]["r0 = 0, r1 = 0 (impossible under SC)"]).toBe(37);
    expect(table[1].accesses).toBe("Atomics.store and Atomics.load");
    const text = litmusReport(rows);
    expect(text).toMatch(/\*\*37\*\* of 1,000 trials \(3\.70 %\)/);
    expect(text).toMatch(/With Atomics, \*\*0\*\* of 1,000 trials.*forbids it/);
    rows[0].outcomes["0 0"] = 0;
    expect(litmusReport(rows)).toMatch(/\*\*none\*\* of 1,000 trials/);
  });

  it("race count figure: thousands separators, markers on the bar centres (overlay, no grouping)", () => {
    const row = {
      mode: "plain" as const,
      workers: 2,
      increments: 5_000_000,
      expected: 10_000_000,
      finals: [6_000_000, 7_000_000],
      lost: { median: 3_500_000, min: 3_000_000, max: 4_000_000, runs: [4_000_000, 3_000_000] },
      lossRate: 0.35,
      ms: { median: 2, min: 1, max: 3, runs: [1, 3] },
      overlapMs: [1, 1],
    };
    const f = realRaceFigure({ rows: [row] });
    expect(f.layout.title).toMatchObject({ text: expect.stringContaining("5,000,000 increments") });
    expect(f.layout.barmode).toBe("overlay");
    expect((f.layout.yaxis as any).tickformat).toBe(".3~s"); // 10M, not a clipped 10,000,000
    expect((f.data[2] as any).y).toEqual([6_000_000, 7_000_000]);
    expect((f.data[2] as any).x).toEqual(["plain read-add-write", "plain read-add-write"]);
  });

  it("exercise answers live in the library: right answers pass, wrong ones fail, the witness is refused", () => {
    expect(judgeExercise("05-1", "2 1 1 1 2 2").ok).toBe(true);
    expect(judgeExercise("05-1", "1 2 1 1 2 2").ok).toBe(false); // thread 1 first
    expect(judgeExercise("05-1", "2 2 2 1 1 1").ok).toBe(false); // no loss
    expect(exerciseExpected("05-2")).toBe(Number(multinomialSchedules([3, 3, 3])));
    expect(exerciseExpected("05-2")).toBe(1680);
    expect(judgeExercise("05-2", 1680).ok).toBe(true);
    expect(judgeExercise("05-2", 924).ok).toBe(false);
    const c24 = explore(counterRace(2, 4));
    expect(exerciseExpected("05-3")).toBe(Number(c24.histogram!.get("counter=2")));
    expect(judgeExercise("05-3", Number(c24.histogram!.get("counter=2"))).ok).toBe(true);
    expect(judgeExercise("05-3", 2).ok).toBe(false);
    expect(judgeExercise("05-4", "1 2 2 2 2 2 2 1 1 2 1 1 1 1 1 1 2 2").ok).toBe(true);
    const witness = extremeOutcome(explore(counterRace(2, 3)), "counter", "min").witness;
    const refused = judgeExercise("05-4", witness);
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/explorer's witness/);
    // hints come one tier per wrong try and never contain the answer
    resetExerciseTries();
    expect(judgeExercise("05-2", 1).message).not.toMatch(/Hint 2/);
    expect(judgeExercise("05-2", 1).message).toMatch(/Hint 2/);
    expect(judgeExercise("05-2", 1).message).not.toMatch(/1680|1,680/);
  });
});
