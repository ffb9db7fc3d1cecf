import { describe, expect, it } from "vitest";
import { POLICIES, randomTasks, runSchedule, type SchedResult, type SchedTask } from "../../lib/sched/index";
import { makeRng } from "../../lib/sim/index";

function overlapFree(segs: { start: number; end: number }[]): boolean {
  const s = [...segs].sort((a, b) => a.start - b.start);
  for (let i = 1; i < s.length; i++) if (s[i].start < s[i - 1].end - 1e-9) return false;
  return true;
}

function maxConcurrent(segs: { start: number; end: number }[]): number {
  const ev: [number, number][] = [];
  for (const s of segs) ev.push([s.start, 1], [s.end, -1]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let c = 0,
    m = 0;
  for (const [, d] of ev) m = Math.max(m, (c += d));
  return m;
}

function checkInvariants(
  r: SchedResult,
  tasks: SchedTask[],
  cores: number,
  switchCost: number,
  gil: boolean,
  devCap: Record<string, number>,
) {
  expect(r.deadlock).toBeNull();
  // Every task finishes exactly once, after doing all its work.
  expect(r.tasks.map((t) => t.done)).toEqual(tasks.map(() => true));
  r.tasks.forEach((t, i) => {
    expect(t.finish).toBeGreaterThanOrEqual(tasks[i].arrival + t.cpu + t.io - 1e-9);
    const own = r.trace.filter((s) => s.task === i).sort((a, b) => a.start - b.start);
    // A task's intervals tile [arrival, finish] with no gap or overlap.
    expect(own[0].start).toBeCloseTo(t.arrival, 9);
    for (let k = 1; k < own.length; k++) expect(own[k].start).toBeCloseTo(own[k - 1].end, 9);
    expect(own[own.length - 1].end).toBeCloseTo(t.finish, 9);
    const ran = own.filter((s) => s.state === "running").reduce((a, s) => a + s.end - s.start, 0);
    expect(ran).toBeCloseTo(t.cpu, 6);
    expect(t.wait).toBeCloseTo(t.ready + t.switching + t.blocked, 6);
  });
  // A core never runs two tasks at once.
  for (let c = 0; c < cores; c++) expect(overlapFree(r.trace.filter((s) => s.core === c))).toBe(true);
  // Busy time = total CPU work + switches × switch cost.
  const busy = r.cores.reduce((a, c) => a + c.running + c.switching, 0);
  const work = r.tasks.reduce((a, t) => a + t.cpu, 0);
  expect(busy).toBeCloseTo(work + r.contextSwitches * switchCost, 6);
  for (const c of r.cores) expect(c.utilisation).toBeLessThanOrEqual(1 + 1e-9);
  // With a GIL at most one task computes at a time.
  const onCore = r.trace.filter((s) => s.core >= 0);
  if (gil) expect(maxConcurrent(onCore)).toBeLessThanOrEqual(1);
  // A device never serves more than its capacity.
  for (const [d, cap] of Object.entries(devCap))
    expect(maxConcurrent(r.trace.filter((s) => s.state === "io" && s.on === d))).toBeLessThanOrEqual(cap);
  expect(r.makespan).toBeCloseTo(Math.max(...r.tasks.map((t) => t.finish)), 9);
}

describe("sched invariants on random workloads", () => {
  const rng = makeRng(2024);
  const cases = Array.from({ length: 60 }, (_, i) => ({
    seed: 1000 + i,
    policy: POLICIES[i % POLICIES.length],
    cores: rng.int(1, 3),
    switchCost: rng.pick([0, 0, 0.5, 1]),
    gil: rng.chance(0.3),
    quantum: rng.pick([1, 2, 3.5]),
  }));
  it.each(cases)(
    "seed $seed $policy cores=$cores switch=$switchCost gil=$gil q=$quantum",
    ({ seed, policy, cores, switchCost, gil, quantum }) => {
      const devCap = { disk: 1, net: 2 };
      const tasks = randomTasks({
        count: 8,
        seed,
        maxArrival: 20,
        maxPriority: 3,
        devices: ["disk", "net", "io"],
        ioChance: 0.6,
        lockChance: 0.3,
        locks: ["a", "b"],
        yieldChance: 0.2,
      });
      const opts = {
        tasks,
        policy,
        quantum,
        aging: policy === "PRIORITY" ? 3 : undefined,
        boost: policy === "MLFQ" ? 15 : undefined,
        machine: { cores, switchCost, gil, devices: devCap },
      };
      const r = runSchedule(opts);
      checkInvariants(r, tasks, cores, switchCost, gil, devCap);
      // Same seed, same trace.
      const again = runSchedule({
        ...opts,
        tasks: randomTasks({
          count: 8,
          seed,
          maxArrival: 20,
          maxPriority: 3,
          devices: ["disk", "net", "io"],
          ioChance: 0.6,
          lockChance: 0.3,
          locks: ["a", "b"],
          yieldChance: 0.2,
        }),
      });
      expect(again).toEqual(r);
    },
  );

  it("a 2,000-task workload runs and keeps the invariants", () => {
    const tasks = randomTasks({ count: 2000, seed: 9, maxArrival: 5000, ioChance: 0.5 });
    const r = runSchedule({ tasks, policy: "RR", quantum: 2, machine: { cores: 4, switchCost: 0.1 } });
    checkInvariants(r, tasks, 4, 0.1, false, {});
    expect(r.trace.length).toBeGreaterThan(5000);
  });

  it("different seeds give different workloads", () => {
    expect(randomTasks({ count: 5, seed: 1 })).not.toEqual(randomTasks({ count: 5, seed: 2 }));
  });
});
