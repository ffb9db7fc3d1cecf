import { describe, expect, it } from "vitest";
import { makePolicy, runJobs, runSchedule, SchedInputError, type SchedPolicy, sched } from "../../lib/sched/index";

const { task, cpu, io, lock, unlock } = sched;
const one = [task("A", [cpu(1)])];

describe("sched: bad input gets a named error that says what to change", () => {
  it.each([
    [
      "negative CPU duration",
      () => runSchedule({ tasks: [task("A", [{ kind: "cpu", duration: -1 }])] }),
      /duration of segment 0 of task "A".*got -1/,
    ],
    [
      "NaN IO duration",
      () => runSchedule({ tasks: [task("A", [io(NaN)])] }),
      /duration of io.*finite number ≥ 0.*got NaN/,
    ],
    ["infinite duration", () => runSchedule({ tasks: [task("A", [cpu(Infinity)])] }), /got Infinity/],
    [
      "zero cores",
      () => runSchedule({ tasks: one, machine: { cores: 0 } }),
      /`cores`.*got 0: a machine needs at least one core/,
    ],
    ["fractional cores", () => runSchedule({ tasks: one, machine: { cores: 1.5 } }), /whole number ≥ 1, got 1.5/],
    ["negative switch cost", () => runSchedule({ tasks: one, machine: { switchCost: -2 } }), /`switchCost`/],
    ["device capacity 0", () => runSchedule({ tasks: one, machine: { devices: { disk: 0 } } }), /device "disk"/],
    [
      "quantum 0",
      () => runSchedule({ tasks: one, policy: "RR", quantum: 0 }),
      /`quantum` to be a number > 0 \(ticks\), got 0: pass a positive quantum/,
    ],
    ["quantum -1 in runJobs", () => runJobs({ policy: "RR", quantum: -1, jobs: [{ length: 1 }] }), /got -1/],
    [
      "unknown policy",
      () => runSchedule({ tasks: one, policy: "LOTTERY" as any }),
      /Unknown policy "LOTTERY": use one of FIFO, SJF, STCF, RR, PRIORITY, MLFQ, COOPERATIVE/,
    ],
    [
      "unlock of a lock not held",
      () => runSchedule({ tasks: [task("A", [cpu(1), unlock("m")])] }),
      /"A" unlocks "m" at segment 1 but does not hold it: add lock\("m"\)/,
    ],
    ["unlock of another lock", () => runSchedule({ tasks: [task("A", [lock("a"), unlock("b")])] }), /does not hold it/],
    ["re-entrant lock", () => runSchedule({ tasks: [task("A", [lock("a"), lock("a")])] }), /not re-entrant/],
    ["empty workload", () => runSchedule({ tasks: [] }), /non-empty array of tasks/],
    [
      "duplicate names",
      () => runSchedule({ tasks: [task("A", [cpu(1)]), task("A", [cpu(2)])] }),
      /Two tasks are named "A"/,
    ],
    ["negative arrival", () => runSchedule({ tasks: [task("A", [cpu(1)], { arrival: -3 })] }), /arrival of task "A"/],
    ["unknown segment", () => runSchedule({ tasks: [task("A", [{ kind: "sleep" } as any])] }), /use cpu\(d\), io\(d\)/],
    ["job of length 0", () => runJobs({ policy: "FIFO", jobs: [{ length: 0 }] }), /length of job 0.*> 0/],
    ["no jobs", () => runJobs({ policy: "FIFO", jobs: [] }), /non-empty array/],
    ["aging 0", () => makePolicy("PRIORITY", { aging: 0 }), /`aging`/],
    ["levels 0", () => makePolicy("MLFQ", { levels: 0 }), /`levels`/],
  ])("%s", (_name, f, msg) => {
    expect(f).toThrow(SchedInputError);
    expect(f).toThrow(msg);
  });

  it("a broken custom policy is reported, not looped on", () => {
    const circular: SchedPolicy = { name: "silly", pick: () => 0, slice: () => Infinity, preempts: () => true };
    expect(() => runSchedule({ tasks: [task("A", [cpu(2)]), task("B", [cpu(2)])], policy: circular })).toThrow(
      /preempting in a circle/,
    );
    const badPick: SchedPolicy = { name: "bad", pick: () => 7, slice: () => 1, preempts: () => false };
    expect(() => runSchedule({ tasks: one, policy: badPick })).toThrow(/pick\(\) returned 7/);
    const badSlice: SchedPolicy = { name: "zero", pick: () => 0, slice: () => 0, preempts: () => false };
    expect(() => runSchedule({ tasks: one, policy: badSlice })).toThrow(/slice\(\) returned 0/);
    expect(() => runSchedule({ tasks: one, policy: { name: "x" } as any })).toThrow(/no `pick` function/);
  });

  it("a workload that can never finish is a deadlock result, not an endless loop", () => {
    const r = runSchedule({
      policy: "RR",
      quantum: 1,
      tasks: [
        task("T0", [lock("A"), cpu(2), lock("B"), unlock("B"), unlock("A")]),
        task("T1", [lock("B"), cpu(2), lock("A"), unlock("A"), unlock("B")]),
      ],
    });
    // One core, preempted mid critical section: T0 holds A, T1 holds B, then each waits for the other's lock.
    expect(r.deadlock?.waiting.map((w) => `${w.task}->${w.waitsFor}@${w.heldBy}`)).toEqual(["T0->B@T1", "T1->A@T0"]);
    expect(r.deadlock?.time).toBe(4);
    expect(r.averages.turnaround).toBeNaN();
    // Without preemption the same tasks run one after the other and finish.
    expect(
      runSchedule({
        policy: "FIFO",
        tasks: r.tasks.map(
          (_, i) =>
            [
              task("T0", [lock("A"), cpu(2), lock("B"), unlock("B"), unlock("A")]),
              task("T1", [lock("B"), cpu(2), lock("A"), unlock("A"), unlock("B")]),
            ][i],
        ),
      }).deadlock,
    ).toBeNull();
  });
});
