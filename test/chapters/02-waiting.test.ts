import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  batchTimes,
  COFFEE_STYLES,
  coffeeJobColor,
  coffeeRun,
  coffeeServedAt,
  coffeeSummary,
  coffeeTimeline,
  cpuShareSweep,
  cpuShareSweepFigure,
  escapeMarkdown,
  mixedTask,
  oneAtATime,
  oneTaskWithFetches,
  predictSleepDemo,
  referenceFrames,
  segmentsText,
  sleepDemoFigure,
  sleepVerdict,
} from "../../lib/chapters/02-waiting/index";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";
import { resourceTimeline } from "../../lib/plot/index";
import { runSchedule } from "../../lib/sched/engine";

describe("chapter 02: the coffee bar", () => {
  const runs = COFFEE_STYLES.map((style) => ({ style, result: coffeeRun(style) }));
  const rows = coffeeSummary(runs);
  it("standing and waiting: 24 minutes, worker busy half the time; moving on: 14; two waiting workers: 16 for 32 worker-minutes", () => {
    expect(rows.map((r) => r.minutes)).toEqual([24, 14, 16, 14]);
    expect(rows.map((r) => r.workerMinutesWorked)).toEqual([12, 12, 12, 12]);
    expect(rows.map((r) => r.workerMinutesPaid)).toEqual([24, 14, 32, 14]);
    expect(rows[0].workerUtilisation).toBe(0.5);
  });
  it("two workers each stand and wait: a worker never works on two jobs at once", () => {
    const two = runs[2].result;
    for (const w of [0, 1]) {
      const mine = two.trace.filter((s) => s.state === "running" && s.task % 2 === w).sort((a, b) => a.start - b.start);
      for (let i = 1; i < mine.length; i++) expect(mine[i].start).toBeGreaterThanOrEqual(mine[i - 1].end);
    }
  });
  it("reference frames: stand-and-wait is sequential from both; move-on is concurrent for the worker and parallel for the bar", () => {
    expect(referenceFrames(runs[0].result)).toMatchObject({
      workerFrame: "sequential",
      systemFrame: "sequential",
      overlapWithDevices: 0,
    });
    expect(referenceFrames(runs[1].result)).toMatchObject({
      workerFrame: "concurrent",
      systemFrame: "parallel",
      mostRunningPerWorker: 1,
      overlapWithDevices: 10,
    });
  });
  it("bad input gets a message that says what to change", () => {
    expect(() => coffeeRun("stand and wait", { orders: 0 })).toThrow(/orders/);
    expect(() => coffeeRun("run" as any)).toThrow(/Unknown style/);
    expect(() => mixedTask("T", 10, 25)).toThrow(/between 0 and 1/);
  });
  it("timelines: worker rows and a machine row, coloured by job", () => {
    const f = coffeeTimeline(runs[2].result);
    expect((f.layout.yaxis as any).categoryarray).toEqual(["coffee machine", "worker 2", "worker 1"]);
    expect(f.data.map((t) => t.name)).toEqual([
      "coffee 1",
      "coffee 2",
      "coffee 3",
      "refill water",
      "wipe counter",
      "restock cups",
    ]);
    const noDev = resourceTimeline(runs[1].result, { devices: false });
    expect((noDev.layout.yaxis as any).categoryarray).toEqual(["core 1"]);
    expect(
      segmentsText(
        runs[0].result.tasks.length
          ? [
              { kind: "cpu", duration: 1 },
              { kind: "io", duration: 4, device: "m" },
            ]
          : [],
        { cpu: "hands", io: "machine" },
        "min",
      ),
    ).toBe("hands 1 min → machine 4 min");
  });
});

describe("chapter 02: IO-bound vs CPU-bound", () => {
  it("the sweep: 4× at pure IO, none at pure CPU, never below the bound, one task alone never faster", () => {
    const sweep = cpuShareSweep({ tasks: 4, length: 10 });
    expect(sweep[0]).toMatchObject({ sequential: 40, concurrent: 10, speedup: 4 });
    expect(sweep[sweep.length - 1]).toMatchObject({ sequential: 40, concurrent: 40, speedup: 1 });
    for (const p of sweep) {
      expect(p.concurrent).toBeGreaterThanOrEqual(p.lowerBound - 1e-9);
      expect(p.singleConcurrent).toBe(p.singleSequential);
    }
    expect(cpuShareSweepFigure(sweep, 4).data).toHaveLength(4);
  });
  it("R4: with ONE shared IO device the waits queue: no gain at pure IO, the best case in between", () => {
    const shared = cpuShareSweep({ tasks: 4, length: 10, ioDevices: 1 });
    const at = (s: number) => shared.find((p) => Math.abs(p.cpuShare - s) < 1e-9)!;
    expect(at(0)).toMatchObject({ sequential: 40, concurrent: 40, speedup: 1, lowerBound: 40 });
    expect(at(0.2)).toMatchObject({ concurrent: 34, lowerBound: 32 });
    expect(at(0.6)).toMatchObject({ concurrent: 24, lowerBound: 24 });
    const best = shared.reduce((m, p) => (p.speedup > m.speedup ? p : m));
    expect([best.cpuShare, best.concurrent]).toEqual([0.55, 23.5]);
    for (const p of shared) expect(p.concurrent).toBeGreaterThanOrEqual(p.lowerBound - 1e-9);
    // The default (no limit) is a device per task: the IO bound never binds.
    expect(cpuShareSweep({ tasks: 4, length: 10 })[0].concurrent).toBe(10);
    expect(() => cpuShareSweep({ tasks: 4, length: 10, ioDevices: 0 })).toThrow(/`ioDevices`.*whole number ≥ 1/);
  });
  it("one-at-a-time really serialises", () => {
    const tasks = [mixedTask("A", 10, 0.2), mixedTask("B", 10, 0.2)];
    expect(runSchedule({ tasks: oneAtATime(tasks) }).makespan).toBe(20);
    expect(runSchedule({ tasks }).makespan).toBe(11);
  });
  it("sleep demo forecast and verdict", () => {
    expect(predictSleepDemo(5, 100)).toEqual({
      sequential: 500,
      concurrent: 100,
      blockingConcurrent: 500,
      atomicsWaitConcurrent: 500,
      cpuPercent: { sequential: 0, concurrent: 0, blockingConcurrent: 100, atomicsWaitConcurrent: 0 },
    });
    expect(sleepVerdict([{ label: "a", predicted: 100, measured: 103 }])).toMatch(/within 3 ms/);
    expect(sleepVerdict([{ label: "a", predicted: 100, measured: 180 }])).toMatch(/80 ms off/);
  });
  it("the verdict is computed from the data: late, or early by how much; Node's promise is quoted, labels escaped", () => {
    const late = sleepVerdict([
      { label: "a", predicted: 100, measured: 101.2 },
      { label: "b", predicted: 500, measured: 503 },
    ]);
    expect(late).toMatch(/All 2 ran a little late \(by 1–3 ms\)/);
    expect(late).not.toMatch(/before/);
    const early = sleepVerdict([
      { label: "seq <b>*x*</b>", predicted: 500, measured: 499.4 },
      { label: "b", predicted: 100, measured: 102 },
    ]);
    expect(early).toMatch(/"seq &lt;b&gt;\\\*x\\\*&lt;\/b&gt;" finished 0\.6 ms \*before\* the forecast/);
    expect(early).not.toMatch(/never early/);
    for (const v of [late, early])
      expect(v).toMatch(/as close as possible to the time specified.*up to about 1 ms early/);
    expect(escapeMarkdown("a_b [c](d) `e` <i> & |")).toBe("a\\_b \\[c\\](d) \\`e\\` &lt;i&gt; &amp; \\|");
    expect(sleepVerdict([])).toMatch(/No measurements/);
  });
});

describe("chapter 02: the sleep demo's figure names all four ways, with CPU use", () => {
  it("labels every mode (no 'undefined'), one row per task and mode", () => {
    const spans = [0, 1].map((task) => ({ task, startMs: 0, endMs: 100 }));
    const runs = (["sequential", "concurrent", "atomicsWaitConcurrent", "blockingConcurrent"] as const).map((mode) => ({
      mode,
      totalMs: 200,
      spans,
      cpuPercent: mode === "blockingConcurrent" ? 97 : 1,
      maxTimerGapMs: 5,
    }));
    const f = sleepDemoFigure({ tasks: 2, sleepMs: 100, idealSequentialMs: 200, idealConcurrentMs: 100, runs });
    expect(f.data.map((t) => t.name)).toEqual([
      "sequential await (200 ms, CPU 1 %)",
      "Promise.all + await sleep (200 ms, CPU 1 %)",
      "Promise.all + Atomics.wait (200 ms, CPU 1 %)",
      "Promise.all + busy-wait (200 ms, CPU 97 %)",
      "started, waiting for the thread",
    ]);
    expect(f.data.slice(0, 4).flatMap((t) => t.y as string[])).toHaveLength(8);
    expect(f.data[4].x).toEqual([]);
    expect(JSON.stringify(f)).not.toMatch(/undefined/);
  });
  it("R9: a blocking run shows each task's own sleep in colour and the wait for the thread in grey", () => {
    // Five tasks that each started at 0 and blocked the thread 100 ms in turn: ends at 100, 200, ... 500.
    const spans = [0, 1, 2, 3, 4].map((task) => ({ task, startMs: 0, endMs: 100 * (task + 1) }));
    const run = { mode: "atomicsWaitConcurrent" as const, totalMs: 500, spans, cpuPercent: 1, maxTimerGapMs: 0 };
    const f = sleepDemoFigure({ tasks: 5, sleepMs: 100, idealSequentialMs: 500, idealConcurrentMs: 100, runs: [run] });
    expect(f.data[0].base).toEqual([0, 100, 200, 300, 400]);
    expect(f.data[0].x).toEqual([100, 100, 100, 100, 100]);
    // Task 1 never waited (no grey bar); tasks 2..5 waited 100..400 ms for the thread, from 0.
    expect(f.data[1].x).toEqual([100, 200, 300, 400]);
    expect(f.data[1].base).toEqual([0, 0, 0, 0]);
    expect((f.data[1].marker as { color: string }).color).toBe("#E0E0E0");
  });
});

describe("chapter 02: one task can be made faster when its waits are independent (M11)", () => {
  it("three requests of 1 + 18 + 1 ticks: a chain takes 60 either way; independent ones 60 one by one, 22 at once", () => {
    const f = oneTaskWithFetches();
    expect([f.chainSequential, f.chainConcurrent]).toEqual([60, 60]);
    expect([f.independentSequential, f.independentConcurrent]).toEqual([60, 22]);
    expect(f.concurrentRun.tasks.map((t) => t.finish)).toEqual([20, 21, 22]);
    expect(oneTaskWithFetches({ fetches: 1 }).independentConcurrent).toBe(20);
    expect(() => oneTaskWithFetches({ fetches: 0 })).toThrow(/`fetches`.*whole number from 1 to 100, got 0/);
  });
});

describe("chapter 02: served at, and colours by name (L4, L5)", () => {
  it("the organised worker serves coffee 1 later (10 vs 6) although the morning is shorter", () => {
    const rows = coffeeServedAt(COFFEE_STYLES.map((style) => ({ style, result: coffeeRun(style) })));
    expect(rows.map((r) => r.coffee)).toEqual(["coffee 1", "coffee 2", "coffee 3"]);
    expect(rows.map((r) => r["served at (min), stand and wait"])).toEqual([6, 12, 18]);
    expect(rows.map((r) => r["served at (min), start and move on"])).toEqual([10, 11, 14]);
  });
  it("R1: the order, not the utilisation, made coffee 1 late: coffees first is as busy, as short, and serves it at 6", () => {
    const fifo = coffeeRun("start and move on");
    const first = coffeeRun("move on, coffees first");
    const [a, b] = coffeeSummary([
      { style: "fifo", result: fifo },
      { style: "first", result: first },
    ]);
    expect([a.minutes, b.minutes]).toEqual([14, 14]);
    expect(b.workerUtilisation).toBe(a.workerUtilisation);
    const served = coffeeServedAt([{ style: "first", result: first }]);
    expect(served.map((r) => r["served at (min), first"])).toEqual([6, 10, 14]);
    // Someone else waits instead: the chores finish later than under first come, first served.
    const done = (r: typeof fifo, name: string) => r.tasks.find((t) => t.name === name)!.finish;
    for (const chore of ["refill water", "wipe counter", "restock cups"])
      expect(done(first, chore)).toBeGreaterThanOrEqual(done(fifo, chore));
    expect(["refill water", "wipe counter", "restock cups"].map((c) => done(first, c))).toEqual([5, 8, 11]);
    // Coffee 1 under FIFO: brewed by minute 5, then behind the chores in the ready queue until minute 9.
    const c1 = fifo.trace.filter((st) => st.task === 0 && st.state === "ready" && st.start >= 5);
    expect(c1.map((st) => [st.start, st.end])).toEqual([[5, 9]]);
  });
  it("a job keeps its colour in every variant, and no two jobs share one", () => {
    const colours = (opts: Parameters<typeof coffeeRun>[1]) =>
      Object.fromEntries(
        coffeeTimeline(coffeeRun("start and move on", opts)).data.map((t) => [t.name, (t.marker as any).color]),
      );
    const base = colours({});
    const variant = colours({ orders: 4, brew: 6, machines: 2 });
    for (const [name, c] of Object.entries(base)) expect(variant[name]).toBe(c);
    expect(new Set(Object.values(variant)).size).toBe(Object.keys(variant).length);
    const mine = colours({ orders: 7, chores: [{ name: "sweep", minutes: 1 }] });
    expect(new Set(Object.values(mine)).size).toBe(Object.keys(mine).length);
    expect(coffeeJobColor("coffee 1")).toBe(base["coffee 1"]);
  });
});

/** Run a script in a fresh Node process (its main thread), return what it prints as JSON. */
function runNode(script: string): any {
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 }));
}

describe("real Node: blocking is not busy-waiting (H1), timers are not much early (L2)", () => {
  it("Atomics.wait blocks the main thread ~200 ms (a timer fires only after it) with almost no CPU; a busy wait burns it", () => {
    const r = runNode(`
      const { performance } = require("node:perf_hooks");
      function measure(block) {
        const t0 = performance.now();
        let firedAt = -1;
        setTimeout(() => { firedAt = performance.now() - t0; }, 10);
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        const result = block();
        const wall = performance.now() - w0;
        const u = process.cpuUsage(c0);
        const blockEnd = performance.now() - t0;
        return new Promise((done) =>
          setTimeout(() => done({ result, wall, cpu: (u.user + u.system) / 1000, firedAt, blockEnd }), 30));
      }
      (async () => {
        const blocked = await measure(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200));
        const busy = await measure(() => {
          const end = performance.now() + 200;
          while (performance.now() < end) {}
          return "spun";
        });
        console.log(JSON.stringify({ blocked, busy }));
      })();`);
    expect(r.blocked.result).toBe("timed-out");
    for (const m of [r.blocked, r.busy]) {
      expect(m.wall).toBeGreaterThanOrEqual(180);
      expect(m.wall).toBeLessThan(5000);
      // The 10 ms timer could not fire while the thread was blocked: it fires after the block ends.
      expect(m.firedAt).toBeGreaterThanOrEqual(m.blockEnd);
    }
    // Parked in the kernel: the CPU is free (measured ~0.2 ms of CPU for 200 ms on an idle machine).
    expect(r.blocked.cpu).toBeLessThan(0.1 * r.blocked.wall);
    // Spinning: CPU time ≈ wall time on an idle machine (~175 of 200 ms); the bounds stay loose because the
    // machine running the tests may be shared (a load of 11 on 2 cores left the spinner ~30 %).
    expect(r.busy.cpu).toBeGreaterThan(0.1 * r.busy.wall);
    expect(r.busy.cpu).toBeGreaterThan(3 * r.blocked.cpu);
  });

  it("setTimeout(…, 20) measured with performance.now(): never more than about 1 ms early", () => {
    const r = runNode(`
      const { performance } = require("node:perf_hooks");
      (async () => {
        const got = [];
        for (let i = 0; i < 15; i++) {
          const t0 = performance.now();
          await new Promise((done) => setTimeout(done, 20));
          got.push(performance.now() - t0);
        }
        console.log(JSON.stringify(got));
      })();`) as number[];
    expect(r).toHaveLength(15);
    for (const ms of r) expect(ms).toBeGreaterThan(20 - 1.5);
  });
});

describe("chapter 02's exercises: the written solutions pass", () => {
  it("1: 30 minutes; 2: 18; 3: 18 (the CPU bound, R8); 4: sequential/sequential; 5: 24 (reads queue, R8)", () => {
    expect(coffeeRun("stand and wait", { orders: 4 }).makespan).toBe(30);
    expect(coffeeRun("start and move on", { orders: 4 }).makespan).toBe(18);
    expect(batchTimes({ tasks: 3, length: 10, cpuShare: 0.6 })).toMatchObject({ concurrent: 18, lowerBound: 18 });
    const page = oneTaskWithFetches({ fetches: 4, length: 10, cpuShare: 0.6 });
    expect([page.independentConcurrent, page.independentSequential]).toEqual([24, 40]);
    // The first answer (ready at 7) waits for the core, which is still sending until 12.
    const reads = page.concurrentRun.trace.filter((st) => st.state === "running" && st.start >= 12);
    expect(reads.map((st) => [st.task, st.start])).toEqual([
      [0, 12],
      [1, 15],
      [2, 18],
      [3, 21],
    ]);
    const f = referenceFrames(coffeeRun("stand and wait"));
    expect([f.workerFrame, f.systemFrame]).toEqual(["sequential", "sequential"]);
    expect(exerciseExpected("02-1")).toBe(30);
    expect(exerciseExpected("02-2")).toBe(18);
    expect(exerciseExpected("02-3")).toBe(18);
    expect(exerciseExpected("02-4")).toEqual(["sequential", "sequential"]);
    expect(exerciseExpected("02-5")).toBe(24);
  });
  it("the solutions' values pass, wrong ones get tiered hints without the answer", () => {
    resetExerciseTries();
    for (const [id, v] of [
      ["02-1", 30],
      ["02-2", 18],
      ["02-3", 18],
      ["02-4", ["sequential", "sequential"]],
      ["02-5", 24],
    ] as const)
      expect(judgeExercise(id, v).ok).toBe(true);
    expect(judgeExercise("02-4", ["concurrent", "parallel"]).message).toMatch(/Hint 1/);
    for (const id of ["02-1", "02-2", "02-3", "02-5"]) {
      let msg = "";
      for (let k = 0; k < 4; k++) msg = judgeExercise(id, 0).message;
      expect(msg).toMatch(/Hint 2/);
      expect(msg).not.toMatch(new RegExp(`\\b${exerciseExpected(id)}\\b`));
    }
  });
});
