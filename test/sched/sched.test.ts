import { describe, expect, it } from "vitest";
import { runJobs, runSchedule, type SchedResult, sched } from "../../lib/sched/index";

const { task, cpu, io, lock, unlock, yieldCpu } = sched;
/** Trace as compact strings: "name state core start-end [on]". */
const lines = (r: SchedResult) =>
  r.trace.map(
    (s) =>
      `${s.name} ${s.state}${s.core >= 0 ? "@" + s.core : ""} ${s.start}-${s.end}${s.on ? " " + s.on : ""}` +
      (s.holds ? ` holds ${s.holds}` : ""),
  );
const triple = (r: ReturnType<typeof runJobs>) => r.jobs.map((j) => [j.response, j.turnaround, j.wait]);

describe("runJobs: the OSTEP cpu-sched numbers (all arrive at 0, no switch cost)", () => {
  const jobs = [{ length: 5 }, { length: 3 }, { length: 8 }];
  it("FIFO runs jobs in the given order", () => {
    const r = runJobs({ policy: "FIFO", jobs });
    expect(triple(r)).toEqual([
      [0, 5, 0],
      [5, 8, 5],
      [8, 16, 8],
    ]);
    expect(r.averages).toEqual({ response: 13 / 3, turnaround: 29 / 3, wait: 13 / 3 });
  });
  it("SJF sorts by length", () => {
    expect(triple(runJobs({ policy: "SJF", jobs }))).toEqual([
      [3, 8, 3],
      [0, 3, 0],
      [8, 16, 8],
    ]);
  });
  it("SJF breaks ties by job order", () => {
    expect(triple(runJobs({ policy: "SJF", jobs: [{ length: 4 }, { length: 2 }, { length: 2 }] }))).toEqual([
      [4, 8, 4],
      [0, 2, 0],
      [2, 4, 2],
    ]);
  });
  it("RR quantum 2, lengths 5,3,8 → response 0,2,4; turnaround 12,9,16; wait 7,6,8", () => {
    const r = runJobs({ policy: "RR", quantum: 2, jobs });
    expect(triple(r)).toEqual([
      [0, 12, 7],
      [2, 9, 6],
      [4, 16, 8],
    ]);
    expect(r.trace.filter((s) => s.state === "running").map((s) => `${s.name}:${s.start}-${s.end}`)).toEqual([
      "J0:0-2",
      "J1:2-4",
      "J2:4-6",
      "J0:6-8",
      "J1:8-9",
      "J2:9-11",
      "J0:11-12",
      "J2:12-16",
    ]);
  });
  it("RR moves on as soon as a job finishes inside its quantum", () => {
    expect(triple(runJobs({ policy: "RR", quantum: 1, jobs: [{ length: 3 }, { length: 1 }, { length: 2 }] }))).toEqual([
      [0, 6, 3],
      [1, 2, 1],
      [2, 5, 3],
    ]);
  });
  it("RR quantum 1 on three equal jobs (OSTEP ch. 7): finish at 13, 14, 15", () => {
    expect(triple(runJobs({ policy: "RR", quantum: 1, jobs: [{ length: 5 }, { length: 5 }, { length: 5 }] }))).toEqual([
      [0, 13, 8],
      [1, 14, 9],
      [2, 15, 10],
    ]);
  });
  it("RR with a quantum longer than every job is FIFO", () => {
    expect(triple(runJobs({ policy: "RR", quantum: 100, jobs }))).toEqual(triple(runJobs({ policy: "FIFO", jobs })));
  });
  it("OSTEP ch. 7 convoy: FIFO 100,10,10 → avg turnaround 110; SJF → 50", () => {
    const j = [{ length: 100 }, { length: 10 }, { length: 10 }];
    expect(runJobs({ policy: "FIFO", jobs: j }).averages.turnaround).toBe(110);
    expect(runJobs({ policy: "SJF", jobs: j }).averages.turnaround).toBe(50);
  });
  it("OSTEP ch. 7 late arrivals: STCF preempts (avg turnaround 50), SJF does not (103.33)", () => {
    const j = [{ length: 100 }, { length: 10, arrival: 10 }, { length: 10, arrival: 10 }];
    const stcf = runJobs({ policy: "STCF", jobs: j });
    expect(triple(stcf)).toEqual([
      [0, 120, 20],
      [0, 10, 0],
      [10, 20, 10],
    ]);
    expect(stcf.averages.turnaround).toBe(50);
    expect(runJobs({ policy: "SJF", jobs: j }).averages.turnaround).toBeCloseTo(310 / 3, 10);
  });
  it("switch cost delays everything after the first job on a core", () => {
    const r = runJobs({ policy: "FIFO", switchCost: 1, jobs });
    expect(triple(r)).toEqual([
      [0, 5, 0],
      [6, 9, 6],
      [10, 18, 10],
    ]);
    expect(r.result.contextSwitches).toBe(2);
    expect(r.result.cores[0]).toMatchObject({ running: 16, switching: 2, utilisation: 1 });
  });
});

describe("runSchedule: exact traces of small workloads", () => {
  it("worker + coffee machine: IO on a one-at-a-time device", () => {
    const order = (n: string) => task(n, [cpu(1), io(5, "coffee"), cpu(1)]);
    const r = runSchedule({ policy: "FIFO", tasks: [order("O1"), order("O2")], machine: { devices: { coffee: 1 } } });
    expect(lines(r)).toEqual([
      "O1 running@0 0-1",
      "O2 ready 0-1",
      "O1 io 1-6 coffee",
      "O2 running@0 1-2",
      "O2 blocked 2-6 coffee",
      "O1 running@0 6-7",
      "O2 io 6-11 coffee",
      "O2 running@0 11-12",
    ]);
    expect(r.makespan).toBe(12);
    expect(r.devices).toEqual([{ device: "coffee", capacity: 1, serviceTime: 10, busyTime: 10, utilisation: 10 / 12 }]);
    expect(r.cores[0].utilisation).toBe(4 / 12);
  });

  it("sequential vs overlapped IO: the second task computes while the first waits", () => {
    const r = runSchedule({ tasks: [task("A", [cpu(2), io(6), cpu(2)]), task("B", [cpu(4)])] });
    expect(r.tasks.map((t) => t.finish)).toEqual([10, 6]);
    expect(r.makespan).toBe(10);
  });

  it("GIL: two CPU-bound threads on two cores take turns", () => {
    const tasks = [task("A", [cpu(4)]), task("B", [cpu(4)])];
    const free = runSchedule({ policy: "RR", quantum: 2, tasks, machine: { cores: 2 } });
    expect(free.makespan).toBe(4);
    const gil = runSchedule({ policy: "RR", quantum: 2, tasks, machine: { cores: 2, gil: true } });
    expect(gil.makespan).toBe(8);
    expect(lines(gil)).toEqual([
      "A running@0 0-2",
      "B blocked 0-2 GIL",
      "A blocked 2-4 GIL",
      "B running@0 2-4",
      "A running@0 4-6",
      "B blocked 4-6 GIL",
      "B running@0 6-8",
    ]);
    expect(gil.cores[1].utilisation).toBe(0);
  });

  it("GIL: IO-bound threads still overlap their waits", () => {
    const t = (n: string) => task(n, [cpu(1), io(4), cpu(1)]);
    const gil = runSchedule({ tasks: [t("A"), t("B")], machine: { cores: 2, gil: true } });
    expect(gil.makespan).toBe(7);
    expect(gil.tasks.map((x) => x.blocked)).toEqual([0, 1]);
  });

  it("a lock serialises critical sections on two cores", () => {
    const crit = (n: string) => task(n, [lock("m"), cpu(3), unlock("m"), cpu(1)]);
    const r = runSchedule({ tasks: [crit("T0"), crit("T1")], machine: { cores: 2 } });
    // running intervals split where the set of held locks changes (`holds`), so a chart can colour the critical part
    expect(lines(r)).toEqual([
      "T0 running@0 0-3 holds m",
      "T1 blocked 0-3 m",
      "T0 running@0 3-4",
      "T1 running@1 3-6 holds m",
      "T1 running@1 6-7",
    ]);
    expect(r.makespan).toBe(7);
  });

  it("cooperative: a task runs until it yields", () => {
    const r = runSchedule({
      policy: "COOPERATIVE",
      tasks: [task("A", [cpu(2), yieldCpu(), cpu(2)]), task("B", [cpu(1)])],
    });
    expect(lines(r)).toEqual(["A running@0 0-2", "B ready 0-2", "A ready 2-3", "B running@0 2-3", "A running@0 3-5"]);
  });

  it("cooperative vs RR: a task that never yields holds everyone up", () => {
    const tasks = [task("long", [cpu(10)]), task("short", [cpu(1)])];
    expect(runSchedule({ policy: "COOPERATIVE", tasks }).tasks[1].response).toBe(10);
    expect(runSchedule({ policy: "RR", quantum: 1, tasks }).tasks[1].response).toBe(1);
  });

  it("priority: a higher priority arrival preempts", () => {
    const r = runSchedule({
      policy: "PRIORITY",
      tasks: [task("L", [cpu(6)], { priority: 1 }), task("H", [cpu(3)], { arrival: 2, priority: 5 })],
    });
    expect(r.trace.filter((s) => s.state === "running").map((s) => `${s.name}:${s.start}-${s.end}`)).toEqual([
      "L:0-2",
      "H:2-5",
      "L:5-9",
    ]);
  });

  it("priority starvation is rescued by aging", () => {
    const tasks = [task("H", [cpu(20)], { priority: 5 }), task("L", [cpu(2)], { priority: 0 })];
    const starved = runSchedule({ policy: "PRIORITY", tasks });
    expect(starved.tasks[1].finish).toBe(22);
    const aged = runSchedule({ policy: "PRIORITY", aging: 2, tasks });
    expect(aged.trace.filter((s) => s.state === "running").map((s) => `${s.name}:${s.start}-${s.end}`)).toEqual([
      "H:0-12",
      "L:12-14",
      "H:14-22",
    ]);
  });

  it("MLFQ: a long job sinks, a short newcomer runs at once", () => {
    const r = runSchedule({
      policy: "MLFQ",
      quantum: 1,
      levels: 3,
      tasks: [task("A", [cpu(20)]), task("B", [cpu(2)], { arrival: 10 })],
    });
    expect(r.trace.filter((s) => s.state === "running").map((s) => `${s.name}:${s.start}-${s.end}`)).toEqual([
      "A:0-10",
      "B:10-12",
      "A:12-22",
    ]);
    expect(r.tasks[1]).toMatchObject({ response: 0, turnaround: 2 });
  });

  it("MLFQ boost lifts a starving job back to the top", () => {
    // Two interactive jobs keep the top queue busy; without boost the long job waits; with boost it gets turns.
    const inter = (n: string) => task(n, sched.repeat(20, [cpu(0.5), io(0.5)]));
    const tasks = [task("long", [cpu(10)], { arrival: 1 }), inter("i1"), inter("i2")];
    const noBoost = runSchedule({ policy: "MLFQ", quantum: 1, tasks });
    const boost = runSchedule({ policy: "MLFQ", quantum: 1, boost: 5, tasks });
    expect(boost.tasks[0].finish).toBeLessThanOrEqual(noBoost.tasks[0].finish);
    expect(boost.tasks.every((t) => t.done)).toBe(true);
  });

  it("STCF and SJF on 2 cores keep both cores busy", () => {
    const r = runSchedule({
      policy: "STCF",
      machine: { cores: 2 },
      tasks: [task("a", [cpu(4)]), task("b", [cpu(2)]), task("c", [cpu(1)], { arrival: 1 })],
    });
    expect(r.tasks.map((t) => t.finish)).toEqual([5, 2, 2]);
  });

  it("deadlock: two tasks take two locks in opposite orders", () => {
    const r = runSchedule({
      machine: { cores: 2 },
      tasks: [
        task("T0", [lock("A"), cpu(2), lock("B"), cpu(1), unlock("B"), unlock("A")]),
        task("T1", [lock("B"), cpu(2), lock("A"), cpu(1), unlock("A"), unlock("B")]),
      ],
    });
    expect(r.deadlock).not.toBeNull();
    expect(r.deadlock!.time).toBe(2);
    expect(r.deadlock!.waiting).toEqual([
      { task: "T0", waitsFor: "B", heldBy: "T1", holderState: 'blocked on "A"' },
      { task: "T1", waitsFor: "A", heldBy: "T0", holderState: 'blocked on "B"' },
    ]);
    expect(r.deadlock!.message).toMatch(
      /Deadlock at t=2: T0 waits for lock "B" held by T1; T1 waits for lock "A" held by T0.*same order/,
    );
    expect(r.tasks.map((t) => t.done)).toEqual([false, false]);
    expect(r.makespan).toBe(2);
  });

  it("deadlock: a task that ends holding a lock blocks the others forever", () => {
    const r = runSchedule({
      tasks: [task("T0", [lock("A"), cpu(1)]), task("T1", [cpu(2), lock("A"), cpu(1), unlock("A")])],
    });
    expect(r.deadlock!.message).toMatch(/finished without unlocking.*add unlock\("A"\) at the end of T0/);
    expect(r.tasks[0].done).toBe(true);
  });
});

describe("runSchedule: locks need a core", () => {
  it("a task takes a lock only when it runs, so FIFO on one core never contends", () => {
    const crit = (n: string) => task(n, [lock("m"), cpu(2), unlock("m")]);
    const r = runSchedule({ tasks: [crit("A"), crit("B")] });
    expect(lines(r)).toEqual(["A running@0 0-2 holds m", "B ready 0-2", "B running@0 2-4 holds m"]);
  });
  it("preempted inside a critical section, the holder makes others block (and pay switches)", () => {
    const crit = (n: string) => task(n, [lock("m"), cpu(2), unlock("m")]);
    const r = runSchedule({ policy: "RR", quantum: 1, machine: { switchCost: 0.5 }, tasks: [crit("A"), crit("B")] });
    expect(lines(r)).toEqual([
      "A running@0 0-1 holds m",
      "B ready 0-1",
      "A ready 1-1.5",
      "B switching@0 1-1.5",
      "A switching@0 1.5-2",
      "B blocked 1.5-3 m",
      "A running@0 2-3 holds m",
      "B switching@0 3-3.5",
      "B running@0 3.5-5.5 holds m",
    ]);
  });
});

describe("response time counts from the first tick of real work", () => {
  it("a task dispatched only to find its lock taken has not responded yet", () => {
    const { task: schedTask, cpu: cpuSeg, lock: lockSeg, unlock: unlockSeg } = sched;
    const r = runSchedule({
      policy: "FIFO",
      machine: { cores: 2 },
      tasks: [
        schedTask("A", [lockSeg("L"), cpuSeg(5), unlockSeg("L")]),
        schedTask("B", [lockSeg("L"), cpuSeg(3), unlockSeg("L")]),
      ],
    });
    const b = r.tasks.find((t) => t.name === "B")!;
    expect(b.firstRun).toBe(5);
    expect(b.response).toBe(5);
    expect(b.finish).toBe(8);
  });
});
