import { describe, expect, it } from "vitest";
import { runSchedule, SchedInputError, sched } from "../../lib/sched/index";

const { task, cpu, lock, unlock } = sched;

/** The classic inversion on one core: Low holds m, High waits for m, Medium (no lock) preempts Low. */
const classic = () => [
  task("Low", [lock("m"), cpu(4), unlock("m")], { priority: 0 }),
  task("High", [cpu(1), lock("m"), cpu(2), unlock("m")], { arrival: 1, priority: 2 }),
  task("Medium", [cpu(20)], { arrival: 2, priority: 1 }),
];
const run = (lockProtocol?: "none" | "inheritance" | "ceiling", aging?: number) =>
  runSchedule({ policy: "PRIORITY", lockProtocol, aging, machine: { cores: 1 }, tasks: classic() });
const finish = (r: ReturnType<typeof run>) => Object.fromEntries(r.tasks.map((t) => [t.name, t.finish]));

describe("lock protocols on the classic three-task priority inversion", () => {
  it("without a protocol, Medium's 20 ticks delay High: inversion", () => {
    const r = run();
    expect(finish(r)).toEqual({ Low: 25, High: 27, Medium: 22 });
    expect(r.tasks[1].blocked).toBe(23);
    expect(r.priorityChanges).toBeUndefined();
  });

  it("inheritance: Low runs at High's priority from the moment High waits until it releases m", () => {
    const r = run("inheritance");
    expect(finish(r)).toEqual({ Low: 5, High: 7, Medium: 27 });
    expect(r.tasks[1].blocked).toBe(3);
    expect(r.priorityChanges).toEqual([
      { time: 2, task: "Low", priority: 2, base: 0, lock: "m" },
      { time: 5, task: "Low", priority: 0, base: 0, lock: "m" },
    ]);
    // Low computes from 2 to 5 holding m while Medium, ready since 2, waits.
    expect(r.trace.filter((s) => s.name === "Low" && s.state === "running")).toEqual([
      { task: 0, name: "Low", core: 0, start: 0, end: 1, state: "running", holds: "m" },
      { task: 0, name: "Low", core: 0, start: 2, end: 5, state: "running", holds: "m" },
    ]);
    // results report each task's own priority, not the inherited one
    expect(r.tasks.map((t) => t.priority)).toEqual([0, 2, 1]);
  });

  it("ceiling: Low runs at m's ceiling (2) from the moment it takes m, so High is never blocked", () => {
    const r = run("ceiling");
    expect(finish(r)).toEqual({ Low: 4, High: 7, Medium: 27 });
    expect(r.tasks[1].blocked).toBe(0);
    expect(r.priorityChanges).toEqual([
      { time: 0, task: "Low", priority: 2, base: 0, lock: "m" },
      { time: 4, task: "Low", priority: 0, base: 0, lock: "m" },
    ]);
  });

  it("aging helps only incidentally: High still waits far longer than with either protocol", () => {
    const r = run("none", 3);
    expect(r.tasks[1].finish).toBeGreaterThan(7);
    expect(r.tasks[1].blocked).toBeGreaterThan(run("inheritance").tasks[1].blocked);
  });

  it("inheritance is transitive: a chain of two locks lifts both holders", () => {
    const r = runSchedule({
      policy: "PRIORITY",
      lockProtocol: "inheritance",
      tasks: [
        task("L", [lock("a"), cpu(4), unlock("a")], { priority: 0 }),
        task("M1", [cpu(1), lock("b"), lock("a"), cpu(1), unlock("a"), unlock("b")], { arrival: 1, priority: 1 }),
        task("H", [lock("b"), cpu(1), unlock("b")], { arrival: 3, priority: 3 }),
        task("M2", [cpu(10)], { arrival: 3, priority: 2 }),
      ],
    });
    // H waits for b (held by M1), M1 waits for a (held by L): L must run at H's priority, ahead of M2.
    const lifted = r.priorityChanges!.filter((c) => c.task === "L").map((c) => c.priority);
    expect(lifted).toContain(3);
    expect(r.tasks[2].finish).toBeLessThan(r.tasks[3].finish);
  });

  it("a run without locks is the same with every protocol", () => {
    const tasks = [task("A", [cpu(3)], { priority: 1 }), task("B", [cpu(2)], { arrival: 1, priority: 2 })];
    const plain = runSchedule({ policy: "PRIORITY", tasks });
    for (const p of ["inheritance", "ceiling"] as const) {
      const r = runSchedule({ policy: "PRIORITY", lockProtocol: p, tasks });
      expect(r.trace).toEqual(plain.trace);
      expect(r.priorityChanges).toEqual([]);
    }
  });

  it("bad options throw SchedInputError saying what to change", () => {
    expect(() => runSchedule({ policy: "PRIORITY", lockProtocol: "inherit" as any, tasks: classic() })).toThrow(
      /`lockProtocol` to be "none", "inheritance" or "ceiling"/,
    );
    expect(() => runSchedule({ policy: "RR", lockProtocol: "ceiling", tasks: classic() })).toThrow(SchedInputError);
    expect(() => runSchedule({ lockProtocol: "inheritance", tasks: classic() })).toThrow(/add policy: "PRIORITY"/);
  });
});
