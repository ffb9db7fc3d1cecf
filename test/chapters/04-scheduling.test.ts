import { describe, expect, it } from "vitest";
import {
  arbitraryPolicy,
  averagesTable,
  bestPolicies,
  policyWorkload,
  rrSweep,
  rrSweepFigure,
  runOrder,
  runPolicies,
  stallRows,
  starvationSummary,
  starvationWorkload,
} from "../../lib/chapters/04-scheduling";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";
import { policyTimeline } from "../../lib/plot/index";
import { runSchedule } from "../../lib/sched/engine";
import { SchedInputError, sched } from "../../lib/sched/index";
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
    expect(starvationSummary(strict, aged)).toMatch(/from 3\.00 to 5\.00 ticks \(\+67 %\), and 4 of the 8 requests/);
    expect(starvationSummary(strict, aged)).not.toMatch(/a little/);
    expect(() => starvationWorkload({ requests: 0 })).toThrow(/requests/);
    expect(() => starvationWorkload({ start: -1 })).toThrow(/`start`/);
    expect(starvationWorkload({ requests: 2, every: 1, start: 4 }).map((t) => t.arrival)).toEqual([0, 4, 5]);
  });
  it("section 6: MLFQ ignores the given priorities, so on the priority stream its boost rescues nobody", () => {
    const stream = starvationWorkload({ requests: 12, every: 2, highLength: 2, lowLength: 3 });
    const rows = stallRows(
      runPolicies(stream, [
        { label: "strict", policy: "PRIORITY" },
        { label: "aging 3", policy: "PRIORITY", aging: 3 },
        { label: "MLFQ, no boost", policy: "MLFQ", quantum: 1 },
        { label: "MLFQ, boost 8", policy: "MLFQ", quantum: 1, boost: 8 },
      ]),
    );
    expect(rows.map((r) => r["batch job first runs at"])).toEqual([24, 16, 0, 0]);
    expect(rows.map((r) => r["batch job finishes at"])).toEqual([27, 19, 10, 9]);
    expect(rows.map((r) => r["longest wait for the core"])).toEqual([24, 16, 5, 4]);
  });
  it("section 6: OSTEP's case, a demoted long job and a stream of short newcomers; MLFQ starves it, a boost cures", () => {
    const flood = starvationWorkload({ requests: 9, every: 1, highLength: 1, lowLength: 8, start: 4 });
    const runs = runPolicies(flood, [
      { label: "MLFQ, no boost", policy: "MLFQ", quantum: 1 },
      { label: "MLFQ, boost 5", policy: "MLFQ", quantum: 1, boost: 5 },
    ]);
    const rows = stallRows(runs);
    expect(rows.map((r) => r["batch job first runs at"])).toEqual([0, 0]);
    expect(rows.map((r) => r["batch job finishes at"])).toEqual([17, 17]);
    expect(rows.map((r) => r["longest wait for the core"])).toEqual([9, 4]);
    expect(() => stallRows(runs, 99)).toThrow(SchedInputError);
  });
});

describe("chapter 04's exercises (OSTEP-style): the written solutions pass, wrong ones get tiered hints", () => {
  it("the expected values, computed by the library, are the written solutions", () => {
    expect(exerciseExpected("04-1") as number).toBeCloseTo(26 / 3, 9);
    expect(exerciseExpected("04-2")).toEqual([12, 2, 6]);
    expect(exerciseExpected("04-3")).toEqual({ response: [0, 2, 4], turnaround: [12, 4, 10] });
    expect(exerciseExpected("04-4")).toEqual([8, 2, 9]);
    expect(exerciseExpected("04-5")).toBe(21);
  });
  it("solutions pass; wrong answers fail with one more hint per try, never the answer", () => {
    resetExerciseTries();
    expect(judgeExercise("04-1", 8.67).ok).toBe(true);
    expect(judgeExercise("04-2", [12, 2, 6]).ok).toBe(true);
    expect(judgeExercise("04-3", { response: [0, 2, 4], turnaround: [12, 4, 10] }).ok).toBe(true);
    expect(judgeExercise("04-4", [8, 2, 9]).ok).toBe(true);
    expect(judgeExercise("04-5", 21).ok).toBe(true);
    const first = judgeExercise("04-5", 12);
    expect(first.ok).toBe(false);
    expect(first.message).toMatch(/Hint 1/);
    expect(first.message).not.toMatch(/Hint 2/);
    expect(judgeExercise("04-5", 12).message).toMatch(/Hint 2/);
    expect(judgeExercise("04-1", 8.8).ok).toBe(false);
    expect(judgeExercise("04-4", [8, 2, 10]).ok).toBe(false);
  });
  it("no hint gives the answer away: no hint lists the finish times or slices of the solution", () => {
    resetExerciseTries();
    let msg = "";
    for (let i = 0; i < 4; i++) msg = judgeExercise("04-3", { response: [0, 0, 0], turnaround: [0, 0, 0] }).message;
    expect(msg).not.toMatch(/0–2|2–4|10–12/);
    for (let i = 0; i < 4; i++) msg = judgeExercise("04-1", 1).message;
    expect(msg).not.toMatch(/\b(6|8|12)\b.*\b(8|12)\b/);
    for (let i = 0; i < 4; i++) msg = judgeExercise("04-5", 1).message;
    expect(msg).not.toMatch(/\b21\b/);
  });
  it("exercise 5 is not section 5's printed value (aging every 2 ticks: 12)", () => {
    const aged = runSchedule({ tasks: starvationWorkload(), policy: "PRIORITY", aging: 2 });
    expect(aged.tasks[0].firstRun).toBe(12);
    expect(exerciseExpected("04-5")).not.toBe(aged.tasks[0].firstRun);
  });
});

describe("chapter 04: ties are reported", () => {
  it("bestPolicies names every tied policy, and the single best alone", () => {
    const t = averagesTable(runPolicies(policyWorkload()));
    expect(bestPolicies(t, "avg turnaround")).toBe("STCF and PRIORITY (tied at 12.2)");
    expect(bestPolicies(t, "avg response")).toBe("MLFQ");
    expect(bestPolicies(t, "context switches", "highest")).toBe("MLFQ");
    expect(() => bestPolicies(t, "policy")).toThrow(/numeric column/);
    expect(() => bestPolicies([], "avg wait")).toThrow(SchedInputError);
  });
});
