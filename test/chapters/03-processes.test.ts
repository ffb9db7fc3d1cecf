import { describe, expect, it } from "vitest";
import {
  breakEvenWorkMs,
  compareModels,
  coroutineDemo,
  coroutineGantt,
  coroutineVerdict,
  creationCostFigure,
  creationCosts,
  equalBatch,
  executionNestingSvg,
  fastestModels,
  namesFastestModels,
  predictPoolMs,
  processBatchExperiment,
  runModel,
  speedupForecastFigure,
  speedupVerdict,
  startVsWork,
} from "../../lib/chapters/03-processes/index";
import { loopStep, loopTask, runLoopTasks } from "../../lib/eventloop/index";
import { liveRealResources } from "../../lib/real/resources";
import { type SimEnvironment, SimInputError, SimProcessError, type SimResource } from "../../lib/sim/index";

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
    expect(creationCosts({ tasks: 8, workMs: 10, startMs: 30, cores: 2 })).toEqual({
      workMs: 10,
      sequential: 80,
      workerPerTask: 160,
      pool: 70,
    });
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
    const sp = {
      cores: 2,
      tasks: 8,
      iterations: 1,
      parallelFraction: 0.98,
      checksum: 0,
      sequentialMs: { median: 80, min: 80, max: 80, runs: [80] } as any,
      points: [
        { workers: 1, speedup: 1, efficiency: 1, amdahl: 1, ms: {} as any },
        { workers: 2, speedup: 1.9, efficiency: 0.95, amdahl: 1.96, ms: {} as any },
      ],
    };
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
    expect([runLoopTasks(hs, { ioMode: "blocking" }).endTime, runLoopTasks(hs, { ioMode: "await" }).endTime]).toEqual([
      72, 28,
    ]);
  });
});

describe("chapter 03: process forecast rows", () => {
  it("main thread first, then ceil(tasks / min(concurrency, cores)) × (start + work)", async () => {
    const { processForecastRows } = await import("../../lib/chapters/03-processes/index");
    const rows = processForecastRows(
      {
        cores: 2,
        tasks: 4,
        taskMs: 40,
        sequentialMs: 160,
        rows: [
          { concurrency: 1, ms: 400 },
          { concurrency: 2, ms: 220 },
        ],
      },
      60,
    );
    expect(rows.map((r) => r.predicted)).toEqual([160, 400, 200]);
    expect(rows[2].label).toBe("2 processes at a time");
  });
});

describe("chapter 03: a coroutine as a generator on the sim engine", () => {
  // The chapter's request, as written in its cell: 2 ms of work, a 20 ms wait for IO, 2 ms of work.
  const requestWith = (cpuMs: number, ioMs: number, blocking = false) =>
    function* request(env: SimEnvironment, cpu: SimResource) {
      yield* cpu.use(cpuMs);
      if (blocking) yield* cpu.use(ioMs);
      else yield env.timeout(ioMs);
      yield* cpu.use(cpuMs);
    };
  const lines = (r: ReturnType<typeof coroutineDemo>["concurrent"]) =>
    r.trace.map((x) => `${x.name} ${x.state}${x.core >= 0 ? "@" + x.core : ""} ${x.start}-${x.end}`);

  it("one CPU: 28 simulated ms as coroutines, 72 one after another; CPU steps queue, IO waits overlap", () => {
    const d = coroutineDemo(requestWith(2, 20), { requests: 3, cpus: 1 });
    expect(lines(d.concurrent)).toEqual([
      "A running@0 0-2",
      "B ready 0-2",
      "C ready 0-4",
      "A io 2-22",
      "B running@0 2-4",
      "B io 4-24",
      "C running@0 4-6",
      "C io 6-26",
      "A running@0 22-24",
      "B running@0 24-26",
      "C running@0 26-28",
    ]);
    expect(lines(d.sequential)).toEqual([
      "A running@0 0-2",
      "A io 2-22",
      "A running@0 22-24",
      "B running@0 24-26",
      "B io 26-46",
      "B running@0 46-48",
      "C running@0 48-50",
      "C io 50-70",
      "C running@0 70-72",
    ]);
    expect(d.concurrent.requests).toEqual([
      { name: "A", cpu: 4, queued: 0, io: 20, finish: 24 },
      { name: "B", cpu: 4, queued: 2, io: 20, finish: 26 },
      { name: "C", cpu: 4, queued: 4, io: 20, finish: 28 },
    ]);
    expect(d.rows).toEqual([
      {
        run: "coroutines sharing 1 CPU",
        "total (ms)": 28,
        "CPU busy (ms)": 12,
        "CPU busy (%)": 43,
        "queued for the CPU (ms)": 6,
        "waiting for IO (ms)": 60,
      },
      {
        run: "one after another",
        "total (ms)": 72,
        "CPU busy (ms)": 12,
        "CPU busy (%)": 17,
        "queued for the CPU (ms)": 0,
        "waiting for IO (ms)": 60,
      },
    ]);
    expect(coroutineVerdict(d)).toBe(
      "As coroutines sharing one CPU, the 3 requests are done at **28 ms** of simulated time; one after another " +
        "they take **72 ms**. One after another is 2.57× as long, for the same **12 ms** of CPU work. The coroutines " +
        "gain by waiting at the same time: while one waits for IO, another computes or waits too. CPU steps that " +
        "found the CPU taken queued for **6 ms** in all.",
    );
  });

  it("agrees with section 5's event-loop model of the same three handlers: 28 ms awaited, 72 ms blocking", () => {
    const d = coroutineDemo(requestWith(2, 20));
    const hs = ["A", "B", "C"].map((n) => loopTask(n, [loopStep.cpu(2), loopStep.awaitIO(20), loopStep.cpu(2)]));
    expect([d.concurrent.total, d.sequential.total]).toEqual([
      runLoopTasks(hs, { ioMode: "await" }).endTime,
      runLoopTasks(hs, { ioMode: "blocking" }).endTime,
    ]);
    expect(d.concurrent.total).toBe(28);
  });

  it("the variants: 2 CPUs (26 ms, steps in parallel), short IO (12 vs 18 ms), a blocking wait (72 = 72)", () => {
    const two = coroutineDemo(requestWith(2, 20), { cpus: 2 });
    expect([two.concurrent.total, two.sequential.total]).toEqual([26, 72]);
    expect(lines(two.concurrent).filter((l) => l.includes("running"))).toEqual([
      "A running@0 0-2",
      "B running@1 0-2",
      "C running@0 2-4",
      "A running@0 22-24",
      "B running@1 22-24",
      "C running@0 24-26",
    ]);
    expect(two.rows[0]).toMatchObject({ "CPU busy (%)": 23, "queued for the CPU (ms)": 2 });
    expect(coroutineVerdict(two)).toMatch(/And with 2 CPUs, CPU steps also run at the same instant.*every CPU taken/);
    const short = coroutineDemo(requestWith(2, 2));
    expect([short.concurrent.total, short.sequential.total]).toEqual([12, 18]);
    expect(short.rows[0]).toMatchObject({ "CPU busy (%)": 100, "queued for the CPU (ms)": 12 });
    const blocking = coroutineDemo(requestWith(2, 20, true));
    expect([blocking.concurrent.total, blocking.sequential.total]).toEqual([72, 72]);
    expect(blocking.rows[0]["waiting for IO (ms)"]).toBe(0);
    expect(coroutineVerdict(blocking)).toMatch(/Nothing is gained: no request ever waits without holding the CPU/);
    const alone = coroutineDemo(requestWith(2, 20), { requests: 1 });
    expect(coroutineVerdict(alone)).toMatch(/^As a coroutine on one CPU, the request is done at \*\*24 ms\*\*.*nobody/);
  });

  it("the figure: both runs, one row per request, bars that add up to the trace", () => {
    const d = coroutineDemo(requestWith(2, 20));
    const f = coroutineGantt(d);
    expect(f.data.map((t) => t.name)).toEqual(["queued for the CPU", "waiting for IO (CPU free)", "on the CPU"]);
    expect((f.layout.yaxis as { categoryarray: string[] }).categoryarray).toEqual([
      "one after another · C",
      "one after another · B",
      "one after another · A",
      "coroutines · C",
      "coroutines · B",
      "coroutines · A",
    ]);
    expect((f.layout.yaxis as { title: { text: string } }).title.text).toBe("request");
    const total = (name: string) => (f.data.find((t) => t.name === name)!.x as number[]).reduce((a, b) => a + b, 0);
    const totals = ["on the CPU", "queued for the CPU", "waiting for IO (CPU free)"].map(total);
    expect(totals).toEqual([24, 6, 120]); // both runs: 2 × 12 ms of work, 6 ms queued, 2 × 60 ms of IO
    expect((f.layout.title as { text: string }).text).toBe(
      "3 requests on 1 CPU: 28 ms as coroutines, 72 ms one after another (simulated)",
    );
    expect(f.layout.xaxis as { title: { text: string }; range: number[] }).toMatchObject({
      title: { text: "time (simulated ms)" },
      range: [0, 72],
    });
  });

  it("mistakes are named errors that say what to change; a failing request is not swallowed", () => {
    expect(() => coroutineDemo((() => 5) as never)).toThrow(SimInputError);
    expect(() => coroutineDemo((() => 5) as never)).toThrow(/expects a generator function.*returned 5/);
    expect(() => coroutineDemo(requestWith(2, 20), { cpus: 0 })).toThrow(/`cpus`.*got 0/);
    expect(() => coroutineDemo(requestWith(2, 20), { requests: 1.5 })).toThrow(/`requests`.*got 1.5/);
    const crashes = function* (env: SimEnvironment) {
      yield env.timeout(3);
      throw new Error("database down");
    };
    expect(() => coroutineDemo(crashes)).toThrow(SimProcessError);
    expect(() => coroutineDemo(crashes)).toThrow(/database down/);
  });
});
