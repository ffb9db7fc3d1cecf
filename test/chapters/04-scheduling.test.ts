import { describe, expect, it } from "vitest";
import {
  arbitraryPolicy,
  averagesTable,
  policyWorkload,
  rrSweep,
  rrSweepFigure,
  runOrder,
  runPolicies,
  starvationSummary,
  starvationWorkload,
} from "../../lib/chapters/04-scheduling";
import { policyTimeline } from "../../lib/plot/index";
import { runSchedule } from "../../lib/sched/engine";
import { sched } from "../../lib/sched/index";
import { runJobs } from "../../lib/sched/jobs";

describe("chapter 04: policies on one workload", () => {
  const runs = runPolicies(policyWorkload());
  it("every policy ends at tick 28 (the core is never idle); averages as printed", () => {
    expect(runs.map((r) => r.result.makespan)).toEqual([28, 28, 28, 28, 28, 28, 28]);
    const t = averagesTable(runs);
    expect(t.map((r) => r["avg turnaround"])).toEqual([16.4, 13.8, 12.2, 18.2, 12.2, 14, 20]);
    expect(t.map((r) => r["avg response"])).toEqual([10.8, 8.2, 4.4, 2.8, 4, 3.4, 0]);
  });
  it("orders on the core", () => {
    expect(runOrder(runs[0].result)).toBe("A B C D E");
    expect(runOrder(runs[1].result)).toBe("A D B E C");
  });
  it("policy timeline: one row per run, one trace per task", () => {
    const f = policyTimeline(runs);
    expect((f.layout.yaxis as any).categoryarray).toHaveLength(7);
    expect(f.data.map((d) => d.name)).toEqual(["A", "B", "C", "D", "E"]);
  });
});

describe("chapter 04: preemption, cooperation, round robin, starvation", () => {
  it("arbitrary scheduler: seeded, and different seeds give different orders", () => {
    const eq = ["T1", "T2", "T3"].map((n) => sched.task(n, [sched.cpu(4)], { priority: 1 }));
    const orders = [1, 2, 3].map((seed) => runOrder(runSchedule({ tasks: eq, policy: arbitraryPolicy(seed) })));
    expect(new Set(orders).size).toBe(3);
    expect(runOrder(runSchedule({ tasks: eq, policy: arbitraryPolicy(2) }))).toBe(orders[1]);
  });
  it("cooperative: the click waits for the greedy task; preemptive: one tick", () => {
    const { task, cpu, yieldCpu } = sched;
    const mix = [
      task("greedy", [cpu(10)]),
      task("polite", [cpu(1), yieldCpu(), cpu(1)]),
      task("click", [cpu(1)], { arrival: 1 }),
    ];
    expect(runSchedule({ tasks: mix, policy: "RR", quantum: 1 }).tasks[2].response).toBe(1);
    expect(runSchedule({ tasks: mix, policy: "COOPERATIVE" }).tasks[2].response).toBe(10);
  });
  it("RR sweep: switching share grows as the quantum shrinks; a quantum ≥ the longest job is FIFO", () => {
    const jobs = [{ length: 6 }, { length: 3 }, { length: 8 }, { length: 2 }];
    const s = rrSweep(jobs, [0.5, 1, 8], [0, 0.25]);
    const costly = s.filter((p) => p.switchCost === 0.25);
    expect(costly[0].switchShare).toBeGreaterThan(costly[2].switchShare);
    expect(s.find((p) => p.quantum === 8 && p.switchCost === 0)!.turnaround).toBe(
      runJobs({ policy: "FIFO", jobs }).averages.turnaround,
    );
    expect(rrSweepFigure(s).data).toHaveLength(4);
  });
  it("starvation: strict 24, aging 2 → 12", () => {
    const w = starvationWorkload({ requests: 8, every: 3, highLength: 3, lowLength: 4 });
    const strict = runSchedule({ tasks: w, policy: "PRIORITY" });
    const aged = runSchedule({ tasks: w, policy: "PRIORITY", aging: 2 });
    expect([strict.tasks[0].firstRun, aged.tasks[0].firstRun]).toEqual([24, 12]);
    expect(starvationSummary(strict, aged)).toMatch(/waits \*\*24 ticks\*\*.*waits \*\*12\*\*/);
    expect(() => starvationWorkload({ requests: 0 })).toThrow(/requests/);
  });
});

describe("chapter 04's exercises (OSTEP-style): the written solutions pass", () => {
  const jobs = [{ length: 6 }, { length: 2 }, { length: 4 }];
  it("1: FIFO average turnaround 26/3", () =>
    expect(runJobs({ policy: "FIFO", jobs }).averages.turnaround).toBeCloseTo(8.67, 2));
  it("2: SJF turnarounds [12, 2, 6]", () =>
    expect(runJobs({ policy: "SJF", jobs }).jobs.map((j) => j.turnaround)).toEqual([12, 2, 6]));
  it("3: RR q=2 response [0, 2, 4], turnaround [12, 4, 10]", () => {
    const r = runJobs({ policy: "RR", quantum: 2, jobs });
    expect({ response: r.jobs.map((j) => j.response), turnaround: r.jobs.map((j) => j.turnaround) }).toEqual({
      response: [0, 2, 4],
      turnaround: [12, 4, 10],
    });
  });
  it("4: STCF with arrivals [8, 2, 9]", () => {
    expect(
      runJobs({ policy: "STCF", jobs: [{ length: 6 }, { length: 2, arrival: 2 }, { length: 4, arrival: 3 }] }).jobs.map(
        (j) => j.turnaround,
      ),
    ).toEqual([8, 2, 9]);
  });
  it("5: aging rescues the batch job at tick 12", () => {
    expect(
      runSchedule({
        tasks: starvationWorkload({ requests: 8, every: 3, highLength: 3, lowLength: 4 }),
        policy: "PRIORITY",
        aging: 2,
      }).tasks[0].firstRun,
    ).toBe(12);
  });
});
