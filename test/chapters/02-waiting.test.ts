import { describe, expect, it } from "vitest";
import {
  batchTimes,
  COFFEE_STYLES,
  coffeeRun,
  coffeeSummary,
  coffeeTimeline,
  cpuShareSweep,
  cpuShareSweepFigure,
  mixedTask,
  oneAtATime,
  predictSleepDemo,
  referenceFrames,
  segmentsText,
  sleepVerdict,
} from "../../lib/chapters/02-waiting/index";
import { resourceTimeline } from "../../lib/plot/index";
import { runSchedule } from "../../lib/sched/engine";

describe("chapter 02: the coffee bar", () => {
  const runs = COFFEE_STYLES.map((style) => ({ style, result: coffeeRun(style) }));
  const rows = coffeeSummary(runs);
  it("standing and waiting: 24 minutes, worker busy half the time; moving on: 14; two waiting workers: 16 for 32 worker-minutes", () => {
    expect(rows.map((r) => r.minutes)).toEqual([24, 14, 16]);
    expect(rows.map((r) => r.workerMinutesWorked)).toEqual([12, 12, 12]);
    expect(rows.map((r) => r.workerMinutesPaid)).toEqual([24, 14, 32]);
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
  it("one-at-a-time really serialises", () => {
    const tasks = [mixedTask("A", 10, 0.2), mixedTask("B", 10, 0.2)];
    expect(runSchedule({ tasks: oneAtATime(tasks) }).makespan).toBe(20);
    expect(runSchedule({ tasks }).makespan).toBe(11);
  });
  it("sleep demo forecast and verdict", () => {
    expect(predictSleepDemo(5, 100)).toEqual({ sequential: 500, concurrent: 100, blockingConcurrent: 500 });
    expect(sleepVerdict([{ label: "a", predicted: 100, measured: 103 }])).toMatch(/within 3 ms/);
    expect(sleepVerdict([{ label: "a", predicted: 100, measured: 180 }])).toMatch(/80 ms off/);
  });
});

describe("chapter 02's exercises: the written solutions pass", () => {
  it("1: 30 minutes; 2: 18; 3: 12; 4: concurrent/parallel", () => {
    expect(coffeeRun("stand and wait", { orders: 4 }).makespan).toBe(30);
    expect(coffeeRun("start and move on", { orders: 4 }).makespan).toBe(18);
    expect(batchTimes({ tasks: 3, length: 10, cpuShare: 0.2 }).concurrent).toBe(12);
    const f = referenceFrames(coffeeRun("start and move on"));
    expect([f.workerFrame, f.systemFrame]).toEqual(["concurrent", "parallel"]);
  });
});
