import { describe, expect, it } from "vitest";
import {
  amdahlRows,
  CRITICAL_COLOR,
  compareLockPolicies,
  contentionFigure,
  fairnessRows,
  LockInputError,
  livelockRows,
  lockedWorkFigure,
  lockedWorkSweep,
  lockedWorkTasks,
  lockFairness,
  lockGantt,
  lockTimelineFigure,
  lockWaitFigure,
  partlyLockedCounter,
  petersonReport,
  politeThreads,
  ringOfLocks,
  simulateLockedWork,
  smallestFairThink,
} from "../../lib/chapters/06-locks/index";
import {
  explore,
  flagLock,
  replay,
  scheduleDeadlocks,
  scheduleReaches,
  twoLockDeadlock,
} from "../../lib/interleave/index";
import { exerciseExpected, judgeExercise } from "../../lib/notebook/exercises";
import { runSchedule, sched } from "../../lib/sched/index";

const users = [
  { name: "A", think: 0, hold: 3 },
  { name: "B", think: 4, hold: 3 },
  { name: "C", think: 4, hold: 3 },
];

describe("lock fairness model", () => {
  it("barging lets a greedy thread starve the others; FIFO shares", () => {
    const [barging, fifo] = compareLockPolicies({ users, wakeLatency: 2, duration: 120 });
    expect(barging.users.map((u) => u.acquisitions)).toEqual([40, 0, 0]);
    expect(barging.users[1]).toMatchObject({ longestWait: 120, waitingAtEnd: true, totalWait: 120 });
    expect(fifo.users.map((u) => u.acquisitions)).toEqual([8, 8, 8]);
    expect(Math.max(...fifo.users.map((u) => u.longestWait))).toBeLessThanOrEqual(12);
    expect(fifo.throughput).toBeLessThan(barging.throughput);
    // a release wakes ONE sleeper (as a futex unlock does), never all of them
    const releases = barging.users.reduce((a, u) => a + u.acquisitions, 0);
    expect(barging.wakeups).toBeGreaterThan(0);
    expect(barging.wakeups).toBeLessThanOrEqual(releases);
    const crowd = lockFairness({
      policy: "barging",
      users: [
        { name: "A", think: 0, hold: 3 },
        { name: "B", think: 0, hold: 3 },
        { name: "C", think: 0, hold: 3 },
        { name: "D", think: 0, hold: 3 },
      ],
      wakeLatency: 2,
      duration: 60,
    });
    expect(crowd.wakeups).toBeLessThanOrEqual(crowd.users.reduce((a, u) => a + u.acquisitions, 0));
    expect(fifo.idleWhileWaiting).toBeGreaterThan(0);
  });

  it("accounts for every tick of every thread", () => {
    for (const policy of ["fifo", "barging"] as const) {
      const r = lockFairness({ policy, users, wakeLatency: 2, duration: 97 });
      users.forEach((_, u) => {
        const mine = r.intervals.filter((x) => x.user === u).sort((a, b) => a.start - b.start);
        expect(mine[0].start).toBe(0);
        expect(mine[mine.length - 1].end).toBe(97);
        for (let i = 1; i < mine.length; i++) expect(mine[i].start).toBe(mine[i - 1].end);
        const held = mine.filter((x) => x.state === "hold").reduce((s, x) => s + x.end - x.start, 0);
        expect(held).toBe(r.users[u].holdTime);
      });
      // never two holders at once
      const holds = r.intervals.filter((x) => x.state === "hold").sort((a, b) => a.start - b.start);
      for (let i = 1; i < holds.length; i++) expect(holds[i].start).toBeGreaterThanOrEqual(holds[i - 1].end);
    }
  });

  it("with instant wake-up, barging serves the longest waiter; smallest fair think = wake latency", () => {
    const r = lockFairness({ policy: "barging", users, wakeLatency: 0, duration: 120 });
    expect(r.users.every((u) => u.acquisitions > 0)).toBe(true);
    expect(smallestFairThink({ users, wakeLatency: 2, duration: 120 }, 0, 1)).toBe(2);
    expect(smallestFairThink({ users, wakeLatency: 2, duration: 120 }, 0, 2)).toBe(2);
  });

  it("rejects bad input with a message", () => {
    expect(() => lockFairness({ policy: "nice" as never, users })).toThrow(/"fifo" or "barging"/);
    expect(() => lockFairness({ policy: "fifo", users: [{ name: "A", think: 0, hold: 0 }] })).toThrow(
      /users\[0\]\.hold/,
    );
    expect(() => lockFairness({ policy: "fifo", users: [] })).toThrow(/1 to 16 threads/);
  });
});

describe("work behind one lock (lib/sched)", () => {
  it("throughput never beats the ceiling, and stops at 1 / critical", () => {
    const pts = lockedWorkSweep({ threads: [1, 2, 4, 8], critical: [1, 4], outside: 8, cores: 4 });
    for (const p of pts) expect(p.throughput).toBeLessThanOrEqual(p.bound + 1e-9);
    const eight = pts.find((p) => p.threads === 8 && p.critical === 4)!;
    expect(eight.bound).toBe(25);
    expect(eight.throughput).toBeGreaterThan(24);
    expect(eight.blockedShare).toBeGreaterThan(0.5);
    const one = pts.find((p) => p.threads === 1 && p.critical === 4)!;
    expect(one.throughput).toBeCloseTo(100 / 12, 9);
    expect(lockedWorkTasks(2, 0, 3, 1)[0].segments.map((s) => s.kind)).toEqual(["cpu", "lock", "unlock"]);
    expect(() => simulateLockedWork({ threads: 2, cores: 1, critical: 0, outside: 0 })).toThrow(/at least 1 tick/);
  });
});

describe("chapter 06 exercises: written solutions pass", () => {
  it("half-locked, deadlock, flag lock", () => {
    const half = partlyLockedCounter([true, false]);
    const r = replay(half, "1 2 1 1 1 2 2 1");
    expect(r.steps.some((s) => s.threadName === "T2" && s.text === "r = counter" && s.after.locks.m === "T1")).toBe(
      true,
    );
    expect(scheduleReaches(half, "1 2 1 1 1 2 2 1", { counter: 1 })).toBe(true);
    const dl = twoLockDeadlock();
    expect(Math.min(...explore(dl).deadlocks.map((d) => d.witness.split(" ").length))).toBe(2);
    expect(scheduleDeadlocks(dl, "2 1")).toBe(true);
    expect(scheduleReaches(flagLock(2), "1 1 2 2 1 2 1 2 1 2 1 2 1 2", { counter: 1, flag: 0 })).toBe(true);
  });
});

describe("chapter 06 figures", () => {
  it("timeline, waits and sweep figures have titled axes and one trace per thread", () => {
    const [barging, fifo] = compareLockPolicies({ users, wakeLatency: 2, duration: 60 });
    const t = lockTimelineFigure(fifo);
    expect(t.data.map((d) => d.name)).toEqual([
      "works outside the lock",
      "waits for the lock",
      "A holds the lock",
      "B holds the lock",
      "C holds the lock",
    ]);
    expect(String((t.layout.title as { text: string }).text)).toMatch(/FIFO hand-off/);
    expect(fairnessRows([barging]).map((r) => r.acquisitions)).toEqual(barging.users.map((u) => u.acquisitions));
    const w = lockWaitFigure([barging, fifo]);
    expect(w.data).toHaveLength(4);
    const s = lockedWorkFigure(lockedWorkSweep({ threads: [1, 2], critical: [2], outside: 4, cores: 2 }));
    expect(s.data[0].y).toHaveLength(2);
  });
});

describe("chapter 06: Amdahl, livelock, lock protocols in the chart, exercises in the library", () => {
  it("the lock's ceiling is Amdahl's 1 / f with f = critical / (critical + outside)", () => {
    const sweep = lockedWorkSweep({ threads: [1, 2, 3, 4, 6, 8], critical: [4], outside: 8, cores: 4 });
    const rows = amdahlRows(sweep, 4);
    expect(rows.map((r) => r.threads)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(rows[0]["simulated speedup (×)"]).toBe(1);
    for (const r of rows) {
      expect(r["ceiling 1 ÷ f (×)"]).toBe(3); // (4 + 8) / 4
      expect(r["simulated speedup (×)"]).toBeLessThanOrEqual(3 + 1e-9);
      expect(r["Amdahl, f = critical ÷ (critical + outside) (×)"]).toBeLessThanOrEqual(3);
    }
    expect(rows[1]["Amdahl, f = critical ÷ (critical + outside) (×)"]).toBe(1.5); // 1 / (1/3 + (2/3)/2)
    expect(() => amdahlRows(sweep.slice(1), 4)).toThrow(LockInputError);
  });

  it("livelock: equal back-offs retry in lock step forever; seeded random back-offs get both through", () => {
    const fixed = politeThreads({ backoff: "fixed", maxBackoff: 3, horizon: 60 });
    expect(fixed.threads.map((t) => t.finish)).toEqual([null, null]);
    expect(fixed.threads.map((t) => t.attempts)).toEqual([12, 12]);
    expect(fixed.timeline[0]).toBe(fixed.timeline[1]);
    expect(fixed.timeline[0].slice(0, 10)).toBe("at...at...");
    const random = politeThreads({ backoff: "random", maxBackoff: 3, horizon: 60, seed: 1 });
    expect(random.threads.every((t) => t.finish !== null)).toBe(true);
    expect(politeThreads({ backoff: "random", maxBackoff: 3, horizon: 60, seed: 1 })).toEqual(random);
    expect(livelockRows([fixed, random])).toHaveLength(4);
    expect(() => politeThreads({ backoff: "polite" as any })).toThrow(LockInputError);
    expect(() => politeThreads({ backoff: "fixed", maxBackoff: 0 })).toThrow(/maxBackoff/);
  });

  it("the ring of three locks deadlocks only with all three threads", () => {
    const ring = ringOfLocks();
    const all = explore(ring);
    expect(all.deadlocks.length).toBeGreaterThan(0);
    expect(Math.min(...all.deadlocks.map((d) => d.witness.split(" ").length))).toBe(3);
    expect(scheduleDeadlocks(ring, "1 2 3")).toBe(true);
  });

  it("lockGantt: critical sections in their own colour, priority changes labelled", () => {
    const { point, run } = simulateLockedWork({ threads: 2, cores: 2, critical: 2, outside: 1, rounds: 2 });
    expect(point.threads).toBe(2);
    const fig = lockGantt(run, "t");
    const inside = fig.data.find((d) => d.name === "running inside the lock (holding it)") as any;
    expect(inside.marker.color).toBe(CRITICAL_COLOR);
    expect(inside.x.reduce((a: number, b: number) => a + b, 0)).toBe(2 * 2 * 2); // threads × rounds × critical
    const { task, cpu, lock, unlock } = sched;
    const inv = runSchedule({
      policy: "PRIORITY",
      lockProtocol: "inheritance",
      tasks: [
        task("Low", [lock("m"), cpu(4), unlock("m")], { priority: 0 }),
        task("High", [cpu(1), lock("m"), cpu(2), unlock("m")], { arrival: 1, priority: 2 }),
        task("Medium", [cpu(20)], { arrival: 2, priority: 1 }),
      ],
    });
    const real = contentionFigure({
      rows: [
        { workers: 1, criticalIterations: 0, outsideIterations: 1, ops: 1, ms: 1, opsPerSecond: 1000, exact: true },
        { workers: 1, criticalIterations: 60000, outsideIterations: 1, ops: 1, ms: 1, opsPerSecond: 9, exact: true },
      ],
    });
    expect((real.layout.yaxis as any).title.text).toBe("operations / s, all workers");
    expect(real.data.map((d) => (d as { name?: string }).name).join(" | ")).toMatch(/60,000/);
    const ann = lockGantt(inv, "t").layout.annotations as any[];
    expect(ann.map((a) => [a.x, a.y, a.text])).toEqual([
      [2, "Low", "priority 0 → 2"],
      [5, "Low", "back to 0"],
    ]);
  });

  it("exercise answers live in the library; the printed witnesses are refused", () => {
    const half = partlyLockedCounter([true, false]);
    const shownHalf = explore(half).outcomes.find((o) => o.key === "counter=1")!.witness;
    expect(judgeExercise("06-1", shownHalf).ok).toBe(false);
    expect(judgeExercise("06-1", "1 2 1 1 1 2 2 1").ok).toBe(true);
    expect(judgeExercise("06-1", "1 1 1 1 1 2 2 2").ok).toBe(false);
    expect(exerciseExpected("06-2")).toBe(6); // 3! orders of the three first locks; the printed count is gone
    expect(judgeExercise("06-2", 6).ok).toBe(true);
    expect(judgeExercise("06-2", 402).ok).toBe(false);
    expect(exerciseExpected("06-3")).toBe(2);
    expect(judgeExercise("06-3", 2).ok).toBe(true);
    expect(judgeExercise("06-3", 1).ok).toBe(false);
    const flag = flagLock(2);
    const shownFlag = explore(flag).outcomes.find((o) => o.key.includes("counter=1"))!.witness;
    expect(judgeExercise("06-4", shownFlag).message).toMatch(/witness stepped through/);
    expect(judgeExercise("06-4", "1 1 2 2 1 2 1 2 1 2 1 2 1 2").ok).toBe(true);
  });
});

describe("Peterson on real workers: the report follows the numbers", () => {
  it("counts the runs that lost increments, or says that an exact plain run proves nothing", () => {
    const rows = [
      { mode: "plain" as const, run: 1, expected: 200_000, final: 199_893, lost: 107, ms: 10 },
      { mode: "plain" as const, run: 2, expected: 200_000, final: 200_000, lost: 0, ms: 10 },
      { mode: "atomic" as const, run: 1, expected: 200_000, final: 200_000, lost: 0, ms: 30 },
    ];
    expect(petersonReport(rows)).toMatch(/\*\*1\*\* of 2 runs lost increments \(\*\*107\*\* of 400,000/);
    expect(petersonReport(rows)).toMatch(/With Atomics: \*\*0\*\* increments lost in 1 runs — exact/);
    rows[0] = { ...rows[0], final: 200_000, lost: 0 };
    expect(petersonReport(rows)).toMatch(/no run lost an increment this time.*proves nothing/);
  });
});

describe("lockContention on real workers: warm-up, then the median of the repeats", () => {
  it("reports every timed run and their median; the lock keeps the counter exact", async () => {
    const { lockContention } = await import("../../lib/real/index");
    const r = await lockContention({
      workerCounts: [1, 2],
      criticalIterations: [0, 3000],
      outsideIterations: 1000,
      ops: 100,
      repeats: 3,
    });
    expect(r.rows.map((x) => [x.workers, x.criticalIterations])).toEqual([
      [1, 0],
      [1, 3000],
      [2, 0],
      [2, 3000],
    ]);
    for (const row of r.rows) {
      expect(row.runsMs).toHaveLength(3);
      expect(row.ms).toBe([...(row.runsMs ?? [])].sort((a, b) => a - b)[1]);
      expect(row.opsPerSecond).toBeCloseTo((row.workers * 100 * 1000) / row.ms, 6);
      expect(row.exact).toBe(true);
    }
    await expect(lockContention({ repeats: 0 })).rejects.toThrow(/repeats/);
  }, 60_000);
});
