import { describe, expect, it } from "vitest";
import { breakEvenWorkMs, compareModels, creationCosts, equalBatch, fastestModels, namesFastestModels, predictPoolMs, runModel, speedupVerdict, startVsWork } from "../../lib/chapters/03-processes";
import { creationCostFigure, executionNestingSvg, speedupForecastFigure } from "../../lib/chapters/03-processes";
import { processBatchExperiment } from "../../lib/chapters/03-processes";
import { liveRealResources } from "../../lib/real/resources";
import { loopStep, loopTask, runLoopTasks } from "../../lib/eventloop/index";

describe("chapter 03: execution models", () => {
  it("CPU-bound on 2 cores: only processes gain (40, 40, 40, 20)", () => {
    expect(compareModels(equalBatch(4, 10), { cores: 2 }).map((r) => r.makespan)).toEqual([40, 40, 40, 20]);
  });
  it("IO-bound on 2 cores: every concurrent model overlaps the waits (40, 13, 13, 11)", () => {
    expect(compareModels(equalBatch(4, 2, 8), { cores: 2 }).map((r) => r.makespan)).toEqual([40, 13, 13, 11]);
  });
  it("the GIL keeps the second core idle on CPU work", () => {
    const r = runModel("threads with a GIL", equalBatch(4, 10), { cores: 2 });
    expect(r.cores[1].running).toBe(0);
  });
  it("pool forecast: capped by cores, flat with a GIL", () => {
    expect([1, 2, 3, 4].map((w) => predictPoolMs(8, 10, w, 2))).toEqual([80, 40, 40, 40]);
    expect(predictPoolMs(8, 10, 4, 2, true)).toBe(80);
  });
  it("creation costs and the break-even", () => {
    expect(creationCosts({ tasks: 8, workMs: 10, startMs: 30, cores: 2 })).toEqual({ workMs: 10, sequential: 80, workerPerTask: 160, pool: 70 });
    expect(breakEvenWorkMs({ tasks: 8, startMs: 30, cores: 2 })).toBe(30);
    expect(breakEvenWorkMs({ tasks: 8, startMs: 30, cores: 1 })).toBe(Infinity);
    const at = creationCosts({ tasks: 8, workMs: 30, startMs: 30, cores: 2 });
    expect(at.workerPerTask).toBe(at.sequential);
  });
  it("unknown models get the list of known ones", () => {
    expect(() => runModel("green threads" as any, equalBatch(1, 1))).toThrow(/one thread, async/);
  });
  it("figures and prose helpers", () => {
    expect(executionNestingSvg()).toMatch(/^<svg[\s\S]*worker_threads[\s\S]*<\/svg>$/);
    const f = creationCostFigure({ tasks: 8, works: [1, 10, 100], startMs: 30, dispatchMs: 0.05, cores: 2 });
    expect(f.data).toHaveLength(3);
    expect((f.layout.xaxis as any).type).toBe("log");
    const sp = { cores: 2, tasks: 8, iterations: 1, parallelFraction: 0.98, checksum: 0, sequentialMs: { median: 80, min: 80, max: 80, runs: [80] } as any,
      points: [{ workers: 1, speedup: 1, efficiency: 1, amdahl: 1, ms: {} as any }, { workers: 2, speedup: 1.9, efficiency: 0.95, amdahl: 1.96, ms: {} as any }] };
    expect(speedupForecastFigure(sp as any).data[1].y).toEqual([1, 2]);
    expect(speedupVerdict(1.9, 2)).toMatch(/95 %/);
    expect(speedupVerdict(1.1, 2)).toMatch(/only 55 %/);
    expect(startVsWork(80, 40)).toMatch(/more than/);
  });
});

describe("chapter 03: child processes for real", () => {
  it("runs the batch as processes and leaves none behind", async () => {
    const r = await processBatchExperiment({ tasks: 2, taskMs: 5, concurrency: [1, 2] });
    expect(r.rows.map((x) => x.concurrency)).toEqual([1, 2]);
    for (const row of r.rows) expect(row.ms).toBeGreaterThan(0);
    expect(liveRealResources().children).toBe(0);
  }, 30_000);
  it("rejects bad options with a message", async () => {
    await expect(processBatchExperiment({ tasks: 0 })).rejects.toThrow(/tasks/);
  });
});

describe("chapter 03's exercises: the written solutions pass", () => {
  it("1: [40, 20]", () => {
    const r = compareModels(equalBatch(4, 10), { cores: 2 });
    expect([r[2].makespan, r[3].makespan]).toEqual([40, 20]);
  });
  it("2: processes / workers only; wrong answers get a reason", () => {
    const batch = equalBatch(4, 2, 8);
    expect(fastestModels(batch, { cores: 2 })).toEqual(["processes / workers"]);
    expect(namesFastestModels(["processes / workers"], batch, { cores: 2 })).toBe(true);
    expect(namesFastestModels(["one thread, async"], batch, { cores: 2 })).toMatch(/Not quite/);
    expect(namesFastestModels("processes", batch, { cores: 2 })).toMatch(/array/);
    expect(namesFastestModels(["green"], batch, { cores: 2 })).toMatch(/not a model name/);
  });
  it("3: 30 ms", () => expect(breakEvenWorkMs({ tasks: 8, startMs: 30, cores: 2 })).toBe(30));
  it("4: [72, 28]", () => {
    const hs = ["A", "B", "C"].map((n) => loopTask(n, [loopStep.cpu(2), loopStep.awaitIO(20), loopStep.cpu(2)]));
    expect([runLoopTasks(hs, { ioMode: "blocking" }).endTime, runLoopTasks(hs, { ioMode: "await" }).endTime]).toEqual([72, 28]);
  });
});

describe("chapter 03: process forecast rows", () => {
  it("main thread first, then ceil(tasks / min(concurrency, cores)) × (start + work)", async () => {
    const { processForecastRows } = await import("../../lib/chapters/03-processes");
    const rows = processForecastRows({ cores: 2, tasks: 4, taskMs: 40, sequentialMs: 160, rows: [{ concurrency: 1, ms: 400 }, { concurrency: 2, ms: 220 }] }, 60);
    expect(rows.map((r) => r.predicted)).toEqual([160, 400, 200]);
    expect(rows[2].label).toBe("2 processes at a time");
  });
});
