import { describe, expect, it } from "vitest";
import {
  amdahlFigure,
  amdahlFit,
  amdahlPlan,
  amdahlReport,
  asyncAsGenerator,
  blockingCall,
  breakEvenWorkMs,
  compareModels,
  coroutineDemo,
  coroutineGantt,
  coroutineVerdict,
  coroutineVsLoop,
  creationCostFigure,
  creationCosts,
  equalBatch,
  executionNestingSvg,
  fastestModels,
  holdCpu,
  namesFastestModels,
  overheadReport,
  predictPoolMs,
  processBatchExperiment,
  runModel,
  speedupForecastFigure,
  speedupVerdict,
  startCostMs,
  startVsWork,
} from "../../lib/chapters/03-processes/index";
import { loopStep, loopTask, runLoopTasks } from "../../lib/eventloop/index";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";
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
    expect(speedupVerdict(2.7, 2)).toMatch(/more than the cores can give, so the measurement is noisy/);
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

describe("chapter 03's exercises: the written solutions pass, wrong ones get tiered hints", () => {
  it("the expected values, computed by the library, are the written solutions", () => {
    expect(exerciseExpected("03-1")).toEqual([60, 20]);
    expect(exerciseExpected("03-3")).toBe(18);
    expect(exerciseExpected("03-4")).toEqual([48, 15]);
    const [on8, ceiling] = exerciseExpected("03-5") as number[];
    expect(on8).toBeCloseTo(1 / 0.16875, 9);
    expect(ceiling).toBeCloseTo(20, 9);
  });
  it("solutions pass; wrong answers fail with one more hint per try", () => {
    resetExerciseTries();
    expect(judgeExercise("03-1", [60, 20]).ok).toBe(true);
    expect(judgeExercise("03-2", ["one thread, async", "threads with a GIL", "processes / workers"]).ok).toBe(true);
    expect(judgeExercise("03-2", ["processes / workers", "threads with a GIL", "one thread, async"]).ok).toBe(true);
    expect(judgeExercise("03-3", 18).ok).toBe(true);
    expect(judgeExercise("03-3", 30).ok).toBe(false); // the start cost itself, as with 2 cores: not the answer
    expect(judgeExercise("03-4", [48, 15]).ok).toBe(true);
    expect(judgeExercise("03-5", [5.93, 20]).ok).toBe(true);
    const first = judgeExercise("03-2", ["processes / workers"]);
    expect(first.ok).toBe(false);
    expect(first.message).toMatch(/Hint 1/);
    expect(first.message).not.toMatch(/Hint 2/);
    expect(judgeExercise("03-2", ["processes / workers"]).message).toMatch(/Hint 2/);
    expect(judgeExercise("03-1", [40, 20]).ok).toBe(false);
    expect(judgeExercise("03-4", [72, 28]).ok).toBe(false);
    expect(judgeExercise("03-5", [8, 20]).ok).toBe(false);
    const batch = equalBatch(4, 2, 8);
    expect(namesFastestModels("processes", batch, { cores: 1 })).toMatch(/array/);
    expect(namesFastestModels(["green"], batch, { cores: 1 })).toMatch(/not a model name/);
    expect(namesFastestModels(["one thread, async"], batch, { cores: 1 })).toMatch(/Not quite: list every model/);
  });
  it("no exercise repeats a value the chapter prints, and exercise 3's hints never state the equation", () => {
    const cpu = compareModels(equalBatch(4, 10), { cores: 2 });
    expect(exerciseExpected("03-1")).not.toEqual([cpu[2].makespan, cpu[3].makespan]);
    expect(fastestModels(equalBatch(4, 2, 8), { cores: 2 })).toEqual(["processes / workers"]); // section 2's answer
    resetExerciseTries();
    let msg = "";
    for (let i = 0; i < 4; i++) msg = judgeExercise("03-3", 1).message;
    expect(msg).not.toMatch(/=|8w|3 rounds|90/);
  });
});

describe("chapter 03: Amdahl on the measured speedup", () => {
  const summary = (runs: number[]) => ({
    median: [...runs].sort((a, b) => a - b)[runs.length >> 1],
    min: Math.min(...runs),
    max: Math.max(...runs),
    runs,
  });
  const base = [320, 330, 325];
  // cores, then per worker count the pool's runs (ms), paired in order with the main thread's runs `base`
  const sp = (cores: number, pools: Record<number, number[]>, coresUsed?: number) => ({
    cores,
    tasks: 16,
    iterations: 1,
    parallelFraction: 0.98,
    checksum: 0,
    sequentialMs: summary(base),
    points: Object.entries(pools).map(([w, runs]) => ({
      workers: Number(w),
      ms: summary(runs),
      baselineMs: summary(base),
      speedup: summary(base).median / summary(runs).median,
      efficiency: 0,
      amdahl: 1,
      coresUsed,
    })),
  });
  const quiet = { 1: [330, 335, 332], 2: [200, 205, 210] }; // fastest runs: 320 / 200 = 1.6× on 2 workers
  it("the plan: powers of two up to the cores (at most 8) and the core count, 16 tasks", () => {
    expect(amdahlPlan(1)).toEqual({ workerCounts: [1], tasks: 16 });
    expect(amdahlPlan(2).workerCounts).toEqual([1, 2]);
    expect(amdahlPlan(6).workerCounts).toEqual([1, 2, 4, 6]);
    expect(amdahlPlan(32).workerCounts).toEqual([1, 2, 4, 8]);
  });
  it("fits f on the least-disturbed runs of the points with no more workers than cores; f's range from the pairs", () => {
    const fit = amdahlFit(sp(2, { ...quiet, 4: [215, 216, 217] }) as any);
    expect(fit.refused).toBeUndefined();
    expect(fit.points.map((p) => p.workers)).toEqual([1, 2]);
    expect(fit.best[1]).toEqual({ workers: 2, speedup: 1.6 });
    expect(fit.serialFraction).toBeCloseTo(0.25, 9);
    expect(fit.ceiling).toBeCloseTo(4, 7);
    expect(fit.range[0]).toBeCloseTo(2 / (330 / 205) - 1, 9); // the fastest pair
    expect(fit.range[1]).toBeCloseTo(2 / (325 / 210) - 1, 9); // the slowest pair
    expect(fit.spread).toBeCloseTo(10 / 200, 9);
    const text = amdahlReport(sp(2, quiet) as any);
    expect(text).toMatch(/f = 25\.0 %\*\* \(from 24\.2 % to 29\.2 %/);
    expect(text).toMatch(/single point, so f is only rough/);
    expect(text).toMatch(/1 \/ f = 4\.0×\*\* faster \(from 3\.4× to 4\.1×/);
    expect(text).not.toMatch(/other programs/);
  });
  it("refuses the fit, and states no ceiling, when the runs cannot carry it", () => {
    const slower = sp(2, { 1: [330, 335, 332], 2: [330, 331, 332] }) as any;
    const faster = sp(2, { 1: [330, 335, 332], 2: [150, 151, 152] }) as any;
    const spread = sp(2, { 1: [330, 335, 332], 2: [200, 230, 215] }) as any;
    expect(amdahlFit(slower).refused).toMatch(/fastest runs of 2 workers were slower than the main thread \(0\.97×\)/);
    expect(amdahlFit(faster).refused).toMatch(/2 workers reached 2\.13×, more than 2 cores can give/);
    expect(amdahlFit(spread).refused).toMatch(/differ by up to 15 % \(more than 10 %\)/);
    expect(amdahlFit(sp(2, { 1: [330, 335, 332], 2: [153, 154, 155] }) as any).refused).toBeUndefined(); // 2.1×
    expect(amdahlFit(sp(2, { 1: [330, 335, 332], 2: [200, 215, 219] }) as any).refused).toBeUndefined(); // 9.5 %
    for (const bad of [slower, faster, spread]) {
      const fit = amdahlFit(bad);
      expect(fit.serialFraction).toBeNaN();
      expect(fit.ceiling).toBeNaN();
      const text = amdahlReport(bad);
      expect(text).toMatch(/^\*\*Too noisy to fit f on this run:\*\*/);
      expect(text).not.toMatch(/1 \/ f|ceiling of|faster \(/);
      const names = amdahlFigure(bad, 16).data.map((d) => String(d.name));
      expect(names.some((n) => /fitted here|^model only/.test(n))).toBe(false);
      // no model to continue: the axis stops at 4 workers, so the measured points stay legible
      expect((amdahlFigure(bad, 16).layout.xaxis as { tickvals: number[] }).tickvals).toEqual([1, 2, 4]);
      expect(String((amdahlFigure(bad, 16).layout.title as any).text ?? amdahlFigure(bad, 16).layout.title)).toMatch(
        /too noisy to fit/,
      );
    }
    expect(amdahlReport(sp(1, { 1: [330, 335, 332] }) as any)).toMatch(/one core there is nothing to fit/);
  });
  it("refuses under steady load too: runs that agree but got fewer cores than workers measure the load, not f", () => {
    // 320 / 245 = 1.31× on 2 workers, runs within 1 %, but only 1.33 cores' worth of CPU time while they ran
    const steady = sp(2, { 1: [330, 335, 332], 2: [245, 246, 247] }, 1.33) as any;
    const fit = amdahlFit(steady);
    expect(fit.refused).toMatch(/got only 1\.33 cores' worth of CPU time, not 2/);
    expect(fit.serialFraction).toBeNaN();
    expect(amdahlReport(steady)).not.toMatch(/1 \/ f|f = /);
    // the same runs with both cores busy for the batch: a fit
    expect(amdahlFit(sp(2, { 1: [330, 335, 332], 2: [245, 246, 247] }, 1.95) as any).refused).toBeUndefined();
  });
  it("f = 0 within the noise promises no ceiling; load from other programs is fewer cores, not serial work", () => {
    expect(amdahlReport(sp(2, { 1: [330, 335, 332], 2: [158, 160, 162] }) as any)).toMatch(/divided perfectly/);
    const loaded = amdahlReport(sp(2, { 1: [330, 335, 332], 2: [330, 331, 332] }, 1.4) as any);
    expect(loaded).toMatch(
      /this process got \*\*1\.40 cores' worth\*\*[\s\S]*not 2: other programs or idle workers held the rest/,
    );
    expect(loaded).toMatch(/not serial work of this batch, and Amdahl's f does not measure it: it leaves fewer cores/);
  });
  it("the figure: measured points, the fitted curve to N cores, the model beyond it dashed, ticks 1, 2, 4, …", () => {
    const f = amdahlFigure(sp(2, quiet) as any, 16);
    const names = f.data.map((d) => String(d.name));
    expect(names.some((n) => /^measured/.test(n))).toBe(true);
    expect(names.some((n) => /^least-disturbed runs \(the fit uses these\)/.test(n))).toBe(true);
    expect(names.some((n) => /^model only/.test(n))).toBe(true);
    const fitted = f.data.find((d) => /fitted here/.test(String(d.name)))!;
    expect(String(fitted.name)).toMatch(/f = 25\.0 % \(24\.2–29\.2 %\)/);
    expect(fitted.x).toEqual([1, 2]);
    expect(fitted.y![1]).toBeCloseTo(1.6, 9);
    const beyond = f.data.find((d) => /^model only/.test(String(d.name)))!;
    expect((beyond.line as { dash: string }).dash).toBe("dash");
    expect((beyond.y as number[])[(beyond.y as number[]).length - 1]).toBeCloseTo(1 / (0.25 + 0.75 / 16), 7);
    expect((f.layout.xaxis as { tickvals: number[] }).tickvals).toEqual([1, 2, 4, 8, 16]);
    expect(f.layout.width).toBe(900);
  });
});

describe("chapter 03: creation overhead read beyond the task itself", () => {
  const s = (v: number) => ({ median: v, min: v, max: v, runs: [v] });
  const over = {
    iterations: 1000,
    emptyCallMs: s(0.000004),
    rows: [
      { method: "call" as const, tasks: 10, perTaskMs: s(0.0026) },
      { method: "promise" as const, tasks: 10, perTaskMs: s(0.0025), extraMs: s(-0.0001) },
      { method: "worker" as const, tasks: 2, perTaskMs: s(30), extraMs: s(29.9974) },
    ],
  };
  it("startCostMs: the extra for a way, the task itself for the plain call; a missing way is a named error", () => {
    expect(startCostMs(over, "call")).toBe(0.0026);
    expect(startCostMs(over, "worker")).toBe(29.9974);
    expect(() => startCostMs(over, "process")).toThrow(/No "process" row/);
  });
  it("overheadReport never calls a promise cheaper than a call: a non-positive extra is below the noise", () => {
    const text = overheadReport(over);
    expect(text).toMatch(/task itself \(1000 iterations of work\): \*\*2\.60 µs/);
    expect(text).toMatch(/empty call: \*\*4\.0 ns/);
    expect(text).toMatch(/a promise per task adds nothing measurable \(below the noise\)/);
    expect(text).toMatch(/a new worker adds \*\*30\.0 ms/);
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
  it("the figure calls the grey bar a formula; the report compares each batch with it and says what it leaves out", async () => {
    const { processForecastFigure, processForecastReport } = await import("../../lib/chapters/03-processes/index");
    const r = (one: number, two: number) => ({
      cores: 2,
      tasks: 4,
      taskMs: 40,
      sequentialMs: 160,
      rows: [
        { concurrency: 1, ms: one },
        { concurrency: 2, ms: two },
      ],
    });
    const names = processForecastFigure(r(400, 220), 60).data.map((d) => d.name);
    expect(names).toEqual(["forecast: start-up + work (a formula)", "measured on this machine"]);
    const close = processForecastReport(r(400, 220), 60);
    expect(close).toMatch(/a formula, not a simulation: start-up \(60 ms/);
    expect(close).toMatch(/2 processes at a time: forecast 200 ms, measured \*\*220 ms\*\* \(1\.10×\)/);
    expect(close).toMatch(/within 25 % of its forecast/);
    expect(close).not.toMatch(/JIT/);
    const miss = processForecastReport(r(420, 424), 60);
    expect(miss).toMatch(/measured \*\*424 ms\*\* \(2\.12×\)/);
    expect(miss).toMatch(/slower than the forecast[\s\S]*JIT starts cold[\s\S]*compete for the cores[\s\S]*spawning/);
    expect(miss).toMatch(/2 at a time was hardly faster than one at a time/);
    const fast = processForecastReport(r(290, 220), 60); // 1 at a time: 290 ms against a forecast of 400
    expect(fast).toMatch(/faster than the forecast, the start-up cost the formula uses is off/);
    expect(fast).not.toMatch(/JIT|within 25 %/);
  });
});

describe("chapter 03: a coroutine as a generator on the sim engine", () => {
  // The chapter's request, as written in its cell: 2 ms of work, a 20 ms wait for IO, 2 ms of work. Blocking, as in
  // its variant: one turn on the CPU that holds it through a blocking call.
  const requestWith = (cpuMs: number, ioMs: number, blocking = false) =>
    function* request(env: SimEnvironment, cpu: SimResource) {
      if (blocking) {
        yield* holdCpu(cpu, cpuMs, blockingCall(ioMs), cpuMs);
        return;
      }
      yield* cpu.use(cpuMs);
      yield env.timeout(ioMs);
      yield* cpu.use(cpuMs);
    };
  const lines = (r: ReturnType<typeof coroutineDemo>["concurrent"]) =>
    r.trace.map((x) => `${x.name} ${x.state}${x.core >= 0 ? "@" + x.core : ""} ${x.start}-${x.end}`);
  /** Section 5's event-loop model on the same steps, as the chapter's cell reruns it: [awaited, blocking]. */
  const loopRuns = (cpuMs: number, ioMs: number, names = ["A", "B", "C"]) => {
    const steps = [loopStep.cpu(cpuMs), loopStep.awaitIO(ioMs), loopStep.cpu(cpuMs)];
    const hs = names.map((n) => loopTask(n, steps));
    return [runLoopTasks(hs, { ioMode: "await" }), runLoopTasks(hs, { ioMode: "blocking" })] as const;
  };

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
      { name: "A", cpu: 4, blocked: 0, queued: 0, io: 20, finish: 24 },
      { name: "B", cpu: 4, blocked: 0, queued: 2, io: 20, finish: 26 },
      { name: "C", cpu: 4, blocked: 0, queued: 4, io: 20, finish: 28 },
    ]);
    expect(d.rows).toEqual([
      {
        run: "coroutines sharing 1 CPU",
        "total (ms)": 28,
        "computing (ms)": 12,
        "blocked in IO, CPU held (ms)": 0,
        "CPU computing (%)": 43,
        "queued for the CPU (ms)": 6,
        "waiting for IO, CPU free (ms)": 60,
      },
      {
        run: "one after another",
        "total (ms)": 72,
        "computing (ms)": 12,
        "blocked in IO, CPU held (ms)": 0,
        "CPU computing (%)": 17,
        "queued for the CPU (ms)": 0,
        "waiting for IO, CPU free (ms)": 60,
      },
    ]);
    expect(coroutineVerdict(d)).toBe(
      "As coroutines sharing one CPU, the 3 requests are done at **28 ms** of simulated time; one after another " +
        "they take **72 ms**. One after another is 2.57× as long, for the same **12 ms** of CPU work. The coroutines " +
        "gain by waiting at the same time: while one waits for IO, another computes or waits too. CPU steps that " +
        "found the CPU taken queued for **6 ms** in all (B 2 ms, C 4 ms).",
    );
  });

  it("the blocking variant is one turn on the CPU: A, B, C finish at 24, 48, 72 as in section 5, blocked time apart", () => {
    const d = coroutineDemo(requestWith(2, 20, true));
    expect(lines(d.concurrent)).toEqual([
      "A running@0 0-2",
      "B ready 0-24",
      "C ready 0-48",
      "A blocked 2-22",
      "A running@0 22-24",
      "B running@0 24-26",
      "B blocked 26-46",
      "B running@0 46-48",
      "C running@0 48-50",
      "C blocked 50-70",
      "C running@0 70-72",
    ]);
    expect(d.concurrent.trace.filter((x) => x.state === "blocked").map((x) => x.on)).toEqual(["CPU", "CPU", "CPU"]);
    const [, blocking] = loopRuns(2, 20);
    const loopFinish = ["A", "B", "C"].map((n) => blocking.tasks.find((t) => t.name === n)!.completed);
    expect(d.concurrent.requests.map((q) => q.finish)).toEqual(loopFinish);
    expect(loopFinish).toEqual([24, 48, 72]);
    expect(d.concurrent.requests.map((q) => [q.cpu, q.blocked, q.io])).toEqual([
      [4, 20, 0],
      [4, 20, 0],
      [4, 20, 0],
    ]);
    expect(d.rows[0]).toMatchObject({
      "total (ms)": 72,
      "computing (ms)": 12,
      "blocked in IO, CPU held (ms)": 60,
      "CPU computing (%)": 17,
      "queued for the CPU (ms)": 72,
      "waiting for IO, CPU free (ms)": 0,
    });
    expect(coroutineVerdict(d)).toBe(
      "As coroutines sharing one CPU, the 3 requests are done at **72 ms** of simulated time; one after another " +
        "they take **72 ms**. Nothing is gained: no request ever waits with the CPU free — each wait for IO blocks, " +
        "holding the CPU — so there is no wait for another to fill. Blocking calls held the CPU for **60 ms** in " +
        "all, computing nothing. CPU steps that found the CPU taken queued for **72 ms** in all (B 24 ms, C 48 ms).",
    );
    // The old variant, `yield* cpu.use(ioMs)` in place of the IO line, gives the CPU back twice per request: wrong.
    const split = function* (_env: SimEnvironment, cpu: SimResource) {
      yield* cpu.use(2);
      yield* cpu.use(20);
      yield* cpu.use(2);
    };
    expect(coroutineDemo(split).concurrent.requests.map((q) => q.finish)).toEqual([68, 70, 72]);
  });

  it("holdCpu keeps one slot through its steps, with 2 CPUs too; its mistakes are named errors", () => {
    const two = coroutineDemo(requestWith(2, 20, true), { cpus: 2 });
    expect(two.concurrent.trace.map((x) => `${x.name} ${x.state} ${x.on} ${x.start}-${x.end}`)).toEqual([
      "A running CPU 1 0-2",
      "B running CPU 2 0-2",
      "C ready CPU 0-24",
      "A blocked CPU 1 2-22",
      "B blocked CPU 2 2-22",
      "A running CPU 1 22-24",
      "B running CPU 2 22-24",
      "C running CPU 1 24-26",
      "C blocked CPU 1 26-46",
      "C running CPU 1 46-48",
    ]);
    expect(() => blockingCall(-1)).toThrow(SimInputError);
    expect(() => blockingCall(-1)).toThrow(/blockingCall\(20\); got -1/);
    const bad = function* (_env: SimEnvironment, cpu: SimResource) {
      yield* holdCpu(cpu, 2, "20" as never);
    };
    expect(() => coroutineDemo(bad)).toThrow(/holdCpu expects steps.*step 2 is 20/);
  });

  it("compares itself with section 5's event-loop model rerun on the same steps; the sentence follows the runs", () => {
    const [awaited, blocking] = loopRuns(2, 20);
    expect(coroutineVsLoop(coroutineDemo(requestWith(2, 20)), awaited, blocking)).toBe(
      "Section 5's event-loop model, rerun on the same steps, finishes its handlers with `await` at the same times " +
        "as the coroutines: A 24, B 26, C 28 ms. Two models of the same idea, built differently, agree.\n\nOne after " +
        "another (72 ms) and section 5's blocking handlers (72 ms) are two different setups: here each request " +
        "starts only when the previous one has returned; there all start at once, and each holds the thread " +
        "through its IO. They end at the same times (A 24, B 48, C 72 ms): either way, no two requests overlap.",
    );
    // ioMs = 2: both models give 12 ms now, not section 5's fixed 28.
    const [aw2, bl2] = loopRuns(2, 2);
    const short = coroutineDemo(requestWith(2, 2));
    expect([short.concurrent.total, aw2.endTime, short.sequential.total, bl2.endTime]).toEqual([12, 12, 18, 18]);
    expect(coroutineVsLoop(short, aw2, bl2)).toMatch(/^Section 5's .* A 8, B 10, C 12 ms\. Two models .* agree\./);
    expect(coroutineVsLoop(coroutineDemo(requestWith(2, 20, true)), awaited, blocking)).toMatch(
      /^The coroutines finish \(A 24, B 48, C 72 ms\) as section 5's handlers do only when their IO is \*\*blocking/,
    );
    expect(coroutineVsLoop(coroutineDemo(requestWith(2, 20), { cpus: 2 }), awaited, blocking)).toMatch(
      /^Here the two models differ: the coroutines finish at A 24, B 24, C 26 ms; .* this run has 2 CPU slots\./,
    );
    const twoWaits = function* (env: SimEnvironment, cpu: SimResource) {
      yield* cpu.use(2);
      yield env.timeout(20);
      yield env.timeout(20);
      yield* cpu.use(2);
    };
    expect(coroutineVsLoop(coroutineDemo(twoWaits), awaited, blocking)).toMatch(
      /They end at different times: A 44, B 88, C 132 ms here, A 24, B 48, C 72 ms there\.$/,
    );
    expect(() => coroutineVsLoop(coroutineDemo(requestWith(2, 20), { requests: 4 }), awaited, blocking)).toThrow(
      /one finished handler per request, named A, B, C, D/,
    );
  });

  it("the variants: 2 CPUs (26 ms, parallel steps on two loops), short IO (12 vs 18 ms), one request alone", () => {
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
    expect(two.rows[0]).toMatchObject({ "CPU computing (%)": 23, "queued for the CPU (ms)": 2 });
    expect(coroutineVerdict(two)).toContain(
      "And with 2 CPU slots — 2 threads, each with its own loop (e.g. 2 workers) — CPU steps also run at the same " +
        "instant: that part is parallelism, which one asyncio loop or one Node isolate cannot give. CPU steps that " +
        "found every CPU taken queued for **2 ms** in all (C 2 ms).",
    );
    expect(coroutineVerdict(coroutineDemo(requestWith(2, 20)))).not.toMatch(/parallelism/);
    const short = coroutineDemo(requestWith(2, 2));
    expect([short.concurrent.total, short.sequential.total]).toEqual([12, 18]);
    expect(short.rows[0]).toMatchObject({ "CPU computing (%)": 100, "queued for the CPU (ms)": 12 });
    const alone = coroutineDemo(requestWith(2, 20), { requests: 1 });
    expect(coroutineVerdict(alone)).toMatch(/^As a coroutine on one CPU, the request is done at \*\*24 ms\*\*.*nobody/);
  });

  it("the figure: both runs, one row per request, bars that add up to the trace, blocked time hatched", () => {
    const d = coroutineDemo(requestWith(2, 20));
    const f = coroutineGantt(d);
    expect(f.data.map((t) => t.name)).toEqual([
      "queued for the CPU",
      "waiting for IO (CPU free)",
      "computing on the CPU",
    ]);
    expect((f.layout.yaxis as { categoryarray: string[] }).categoryarray).toEqual([
      "one after another · C",
      "one after another · B",
      "one after another · A",
      "coroutines · C",
      "coroutines · B",
      "coroutines · A",
    ]);
    expect((f.layout.yaxis as { title: { text: string } }).title.text).toBe("request");
    const sum = (fig: typeof f, name: string) =>
      (fig.data.find((t) => t.name === name)!.x as number[]).reduce((a, b) => a + b, 0);
    const totals = ["computing on the CPU", "queued for the CPU", "waiting for IO (CPU free)"].map((n) => sum(f, n));
    expect(totals).toEqual([24, 6, 120]); // both runs: 2 × 12 ms of work, 6 ms queued, 2 × 60 ms of IO
    expect((f.layout.title as { text: string }).text).toBe(
      "3 requests on 1 CPU: 28 ms as coroutines, 72 ms one after another (simulated)",
    );
    expect(f.layout.xaxis as { title: { text: string }; range: number[] }).toMatchObject({
      title: { text: "time (simulated ms)" },
      range: [0, 72],
    });
    const b = coroutineGantt(coroutineDemo(requestWith(2, 20, true)));
    expect(b.data.map((t) => t.name)).toEqual([
      "queued for the CPU",
      "blocked in IO, holding the CPU",
      "computing on the CPU",
    ]);
    expect(sum(b, "blocked in IO, holding the CPU")).toBe(120); // both runs: 2 × 3 × 20 ms
    expect(sum(b, "computing on the CPU")).toBe(24);
    const marker = (fig: typeof f, name: string) =>
      (fig.data.find((t) => t.name === name) as { marker: object }).marker;
    expect(marker(b, "blocked in IO, holding the CPU")).toMatchObject({ pattern: { shape: "x" } });
    expect(marker(b, "computing on the CPU")).not.toHaveProperty("pattern");
    expect(marker(f, "waiting for IO (CPU free)")).toMatchObject({ pattern: { shape: "/" } }); // as section 5 draws it
    expect(marker(f, "queued for the CPU")).not.toHaveProperty("pattern");
  });

  it("an async function downlevelled to ES2015: a generator that yields the promise, run by __awaiter", () => {
    const out = asyncAsGenerator("async function f() { const x = await Promise.resolve(1); return x + 1; }");
    expect(out.split("\n").slice(-3)).toEqual([
      "function f() {",
      "    return __awaiter(this, void 0, void 0, function* () { const x = yield Promise.resolve(1); return x + 1; });",
      "}",
    ]);
    expect(out).toMatch(/^var __awaiter = /);
    expect(out).toContain("adopt(result.value).then(fulfilled, rejected)");
    expect(out).toContain("step(generator.next(value))");
    expect(() => asyncAsGenerator("async function (")).toThrow(SimInputError);
    expect(() => asyncAsGenerator("async function (")).toThrow(/could not parse the source: .*expected/);
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
