import { describe, expect, it } from "vitest";
import {
  compareLockPolicies,
  fairnessRows,
  lockedWorkFigure,
  lockedWorkSweep,
  lockedWorkTasks,
  lockFairness,
  lockTimelineFigure,
  lockWaitFigure,
  partlyLockedCounter,
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
