// Exact simulated timelines, reports, scenarios and bad input of the event-loop model.
import { describe, expect, it } from "vitest";
import { compareLoopIoModes, compareLoopProgressBars, loopLostUpdateScenario } from "../../lib/chapters/07-async/index";
import {
  EventLoopInputError,
  EventLoopRunawayError,
  loopProgram,
  loopStep,
  loopTask,
  runLoop,
  runLoopTasks,
} from "../../lib/eventloop/index";

const seg = (r: ReturnType<typeof runLoop>) => r.timeline.map((s) => `${s.task}:${s.kind} ${s.start}-${s.end}`);

describe("simulated timelines", () => {
  it("two declarative tasks: CPU, awaited IO, CPU", () => {
    const { cpu, awaitIO, log } = loopStep;
    const r = runLoopTasks([
      loopTask("A", [cpu(5), awaitIO(100), cpu(5), log("A done")]),
      loopTask("B", [cpu(20), log("B done")]),
    ]);
    expect(seg(r)).toEqual(["A:run 0-5", "B:run 5-25", "idle:idle 25-105", "A:run 105-110"]);
    expect(r.logs.map((l) => [l.text, l.time])).toEqual([
      ["B done", 25],
      ["A done", 110],
    ]);
    expect(r.waits).toEqual([{ kind: "io", task: "A", label: "io#1(100 ms)", start: 5, end: 105 }]);
    const A = r.tasks.find((t) => t.name === "A")!;
    const B = r.tasks.find((t) => t.name === "B")!;
    expect([A.response, A.completed, A.cpuTime, A.status]).toEqual([0, 110, 10, "done"]);
    expect([B.created, B.firstRun, B.response, B.completed]).toEqual([5, 5, 0, 25]);
    expect(r.endTime).toBe(110);
  });

  it("a task started by a timer has its response measured from its start", () => {
    const { cpu } = loopStep;
    // "long" yields once, then computes 50 ms in the check phase; "late" is due at 10 but starts at 50.
    const r = runLoopTasks([loopTask("long", [loopStep.yield(), cpu(50)]), loopTask("late", [cpu(5)], 10)]);
    const late = r.tasks.find((t) => t.name === "late")!;
    expect([late.created, late.firstRun, late.completed]).toEqual([50, 50, 55]);
    expect(r.timerLags).toEqual([{ label: "start late", task: "main", due: 10, fired: 50, lag: 40 }]);
  });

  it("loop lag: a 30 ms busy loop makes a 10 ms timer 20 ms late; setTimeout(0) waits 1 ms", () => {
    const r = runLoop(({ setTimeout, cpu }) => {
      setTimeout(() => undefined, 10, "t10");
      cpu(30);
      setTimeout(() => undefined, 0, "t0");
    });
    expect(r.timerLags).toEqual([
      { label: "t10", task: "main", due: 10, fired: 30, lag: 20 },
      { label: "t0", task: "main", due: 31, fired: 31, lag: 0 },
    ]);
    expect(seg(r)).toEqual(["main:run 0-30", "idle:idle 30-31"]);
  });

  it("timers of one delay run together, as in Node's per-delay lists", () => {
    // Node: 1 (10 ms list), 3 (10 ms list, created later), then 2 (15 ms list), although 2 was due before 3.
    const r = runLoop(({ setTimeout, cpu, log }) => {
      setTimeout(() => log("1"), 10);
      setTimeout(() => log("2"), 15);
      cpu(100);
      setTimeout(() => log("3"), 10);
      cpu(100);
    });
    expect(r.order).toEqual(["1", "3", "2"]);
  });

  it("blocking IO holds the thread; the seed's scenario 1 vs 2 take 61 vs 50 ms", () => {
    const c = compareLoopIoModes();
    expect(c.totalBlocking).toBe(61);
    expect(c.totalCooperative).toBe(50);
    expect(seg(c.blocking)).toEqual([
      "task 1:run 0-16",
      "task 2:run 16-21",
      "task 1:run 21-32",
      "task 1:blockingIO 32-44",
      "task 1:run 44-50",
      "task 2:run 50-61",
    ]);
    expect(seg(c.cooperative)).toEqual([
      "task 1:run 0-16",
      "task 2:run 16-21",
      "task 1:run 21-32",
      "task 2:run 32-43",
      "idle:idle 43-44",
      "task 1:run 44-50",
    ]);
    const done = (r: typeof c.blocking) => r.tasks.filter((t) => t.name !== "main").map((t) => [t.name, t.completed]);
    expect(done(c.blocking)).toEqual([
      ["task 1", 50],
      ["task 2", 61],
    ]);
    expect(done(c.cooperative)).toEqual([
      ["task 1", 50],
      ["task 2", 43],
    ]);
  });

  it("progress bar: moves during an awaited request, freezes during sync CPU, moves with chunks", () => {
    const b = compareLoopProgressBars({ workMs: 1000, tickMs: 100, chunks: 10 });
    // At 1000 the reply (poll) and the bar's timer are both due: the poll phase wakes first, so the bar sees "done".
    expect(b.await.tickTimes).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(b.await.maxGap).toBe(100);
    expect(b.sync.tickTimes).toEqual([0, 1000]);
    expect(b.sync.maxGap).toBe(1000);
    expect(b.sync.run.timerLags[0].lag).toBe(900);
    expect(b.chunked.maxGap).toBe(100);
    expect(b.chunked.workDone).toBe(1000);
  });

  it("lost update without a lock, none with the async mutex", () => {
    const racy = loopLostUpdateScenario({ tasks: 3, increments: 2 });
    expect([racy.counter, racy.expected]).toEqual([2, 6]);
    expect(racy.run.order.slice(0, 3)).toEqual(["T1 reads 0", "T2 reads 0", "T3 reads 0"]);
    const safe = loopLostUpdateScenario({ tasks: 3, increments: 2, useMutex: true });
    expect(safe.counter).toBe(6);
    expect(safe.run.endTime).toBe(60);
  });

  it("records snapshots of the queues for a step-through display", () => {
    const r = runLoop(({ log, setTimeout, setImmediate, resolved, nextTick }) => {
      setTimeout(() => log("t"), 0, "myTimeout");
      setImmediate(() => log("i"), "myImmediate");
      resolved().then(function myThen() {
        log("p");
      });
      nextTick(() => log("n"), "myTick");
    });
    const afterMain = r.snapshots.find((s) => s.event === "end" && s.index === 1)!;
    expect(afterMain.stack).toEqual([]);
    expect(afterMain.nextTicks.map((x) => x.label)).toEqual(["myTick"]);
    expect(afterMain.microtasks.map((x) => x.label)).toEqual(["myThen"]);
    expect(afterMain.timers).toEqual([{ label: "myTimeout", task: "main", at: 1 }]);
    expect(afterMain.immediates.map((x) => x.label)).toEqual(["myImmediate"]);
    const running = r.snapshots.filter((s) => s.event === "start").map((s) => s.stack[0].label);
    expect(running).toEqual(["main script", "myTick", "myThen", "myImmediate", "myTimeout"]);
    expect(r.snapshots[r.snapshots.length - 1].event).toBe("done");
    expect(r.callbacks.map((c) => `${c.source}@${c.phase}`)).toEqual([
      "main@main",
      "nextTick@main",
      "microtask@main",
      "immediate@check",
      "timer@timers",
    ]);
  });

  it("a program runs the same every time", () => {
    const prog = loopProgram(({ asyncFn, io, cpu, log }) => {
      for (const n of ["a", "b", "c"]) {
        asyncFn(n, function* () {
          cpu(3);
          yield io(7);
          log(n);
        });
      }
    });
    expect(prog.run()).toEqual(prog.run());
  });
});

describe("bad input and pathological programs", () => {
  it("awaiting a promise that never settles: the task is reported stuck, no hang", () => {
    const r = runLoop(({ asyncFn, never, log }) => {
      asyncFn("waiter", function* () {
        log("before");
        yield never("reply that never comes");
        log("after");
      });
    });
    expect(r.order).toEqual(["before"]);
    expect(r.stuck).toEqual([{ task: "waiter", awaiting: "reply that never comes", since: 0 }]);
    expect(r.tasks.find((t) => t.name === "waiter")!.status).toBe("stuck");
  });

  it("a deadlock on the async mutex shows as stuck tasks", () => {
    const r = runLoop(({ asyncFn, mutex }) => {
      const m = mutex("m");
      asyncFn("greedy", function* () {
        yield m.lock();
        yield m.lock(); // locks twice, never unlocks
      });
    });
    expect(r.stuck.map((s) => [s.task, s.awaiting])).toEqual([["greedy", "wait for m"]]);
  });

  it("negative delays and durations are named errors", () => {
    expect(() => runLoop(({ setTimeout }) => void setTimeout(() => undefined, -5))).toThrow(EventLoopInputError);
    expect(() => runLoop(({ setTimeout }) => void setTimeout(() => undefined, -5))).toThrow(
      /delay of setTimeout.*≥ 0, got -5/,
    );
    expect(() => runLoop(({ cpu }) => cpu(-1))).toThrow(EventLoopInputError);
    expect(() => runLoop(({ io }) => void io(NaN))).toThrow(/io\(\)/);
    expect(() => runLoopTasks([loopTask("A", [loopStep.sleep(-3)])])).toThrow(EventLoopInputError);
  });

  it("bad options and bodies are named errors", () => {
    expect(() => runLoop(() => undefined, { start: "later" as "main" })).toThrow(/`start`/);
    expect(() => runLoop(() => undefined, { maxSteps: 0 })).toThrow(/maxSteps/);
    expect(() => runLoop(function* () {} as unknown as () => void)).toThrow(/generator function/);
    expect(() => runLoop(({ setTimeout }) => void setTimeout("log" as unknown as () => void, 1))).toThrow(
      /to be a function/,
    );
    expect(() =>
      runLoop(
        ({ asyncFn }) =>
          void asyncFn("A", function* () {
            yield Promise.resolve(1);
          }),
      ),
    ).toThrow(/native Promise/);
    expect(() => runLoop(({ mutex }) => mutex().unlock())).toThrow(/not locked/);
    expect(() => runLoopTasks([loopTask("A", []), loopTask("A", [])])).toThrow(/Two tasks are named "A"/);
  });

  it("a runaway program stops at maxSteps with a named error saying what to raise", () => {
    const forever = ({ setInterval }: { setInterval: (cb: () => void, ms: number) => number }) =>
      void setInterval(() => undefined, 10);
    expect(() => runLoop(forever, { maxSteps: 500 })).toThrow(EventLoopRunawayError);
    expect(() => runLoop(forever, { maxSteps: 500 })).toThrow(/maxSteps: 5000/);
    const microLoop = ({ queueMicrotask }: { queueMicrotask: (cb: () => void) => void }) => {
      const again = () => queueMicrotask(again);
      again();
    };
    expect(() => runLoop(microLoop)).toThrow(EventLoopRunawayError);
  });

  it("a callback that throws crashes the program as in Node; a rejected async task is 'failed'", () => {
    const r = runLoop(({ setTimeout, log }) => {
      setTimeout(
        () => {
          throw new Error("boom");
        },
        5,
        "bomb",
      );
      setTimeout(() => log("never printed"), 10);
    });
    expect(r.crash).toEqual({ time: 5, task: "main", label: "bomb", message: "Error: boom" });
    expect(r.order).toEqual([]);
    const f = runLoop(({ asyncFn, io }) => {
      asyncFn("A", function* () {
        yield io(5);
        throw new Error("bad reply");
      }).catch(() => undefined);
      asyncFn("B", function* () {
        throw new Error("unhandled");
      });
    });
    expect(f.tasks.find((t) => t.name === "A")!.status).toBe("failed");
    expect(f.unhandledRejections).toEqual(["B()"]);
  });
});
