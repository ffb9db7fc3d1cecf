import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import {
  asyncHandOffMs,
  bottleneck,
  type CHOOSE_MODELS,
  ChooseInputError,
  type ChooseSweep,
  COSTS_READ,
  chooseLineFigure,
  chooseOutcome,
  choosePhaseFigure,
  chooseRuleFigure,
  chooseSetup,
  chooseSweep,
  classifySchedRun,
  coffeeShop,
  comparePoint,
  costTableRows,
  crossoverConnections,
  crossoverRows,
  DEFAULT_CHOOSE_COSTS,
  handOffMs,
  loopsRows,
  maxThreads,
  measuredSwitchCosts,
  oneTaskUnderEveryModel,
  placeRealMeasurements,
  RULE_MODELS,
  requestShape,
  restrictSweep,
  ruleAgreement,
  ruleAgrees,
  seedRule,
  simulateChoice,
  sweepCell,
  threadCostRows,
  winCounts,
} from "../../lib/chapters/08-choosing/index";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";
import { type PingPongResult, RECORDED_PYTHON_SWITCH } from "../../lib/real/index";
import { runSchedule, scheduleMakespan } from "../../lib/sched/index";

const small = { cpuShares: [0, 0.5, 1], connections: [1, 8, 256], requestMs: [20] };
const PY = ["processes", "threadsGil", "async", "processesAsync"] as const;
const H = DEFAULT_CHOOSE_COSTS.threadSwitchMs;
const A = DEFAULT_CHOOSE_COSTS.asyncSwitchMs;

describe("the cost model (H3, M17)", () => {
  it("a thread commits 64 KiB, not its 8 MB reservation: the pool is capped by the OS limit or RAM, not at 64", () => {
    expect(DEFAULT_CHOOSE_COSTS.threadMemoryMB).toBe(64 / 1024);
    expect(maxThreads()).toBe(16384); // min(32768 OS limit, 1024 MB / 64 KiB)
    expect(maxThreads({ osThreadLimit: 100 })).toBe(100);
    // the old artefact: 512 MB / 8 MB "per thread"
    expect(maxThreads({ memoryBudgetMB: 512, threadMemoryMB: 8 })).toBe(64);
    expect(() => maxThreads({ threadMemoryMB: 0 })).toThrow(ChooseInputError);
    expect(() => maxThreads({ stackMB: 8 } as never)).toThrow(/Unknown cost `stackMB`/);
  });
  it("by default a hand-off is what was measured; the optional growth multiplies threads and async alike (R1)", () => {
    expect(DEFAULT_CHOOSE_COSTS.switchGrowth).toBe(0);
    expect(handOffMs(4096)).toBe(H);
    expect(asyncHandOffMs(4096)).toBe(A);
    const g = { switchGrowth: 0.25 };
    expect(handOffMs(4, g)).toBe(H);
    expect(handOffMs(8, g)).toBeCloseTo(H * 1.25, 15);
    expect(handOffMs(4096, g)).toBeCloseTo(H * 3.5, 15);
    expect(asyncHandOffMs(4096, g)).toBeCloseTo(A * 3.5, 15);
    expect(handOffMs(16, { cores: 16, switchGrowth: 1 })).toBe(H);
    expect(() => handOffMs(0)).toThrow(/threads/);
    expect(() => asyncHandOffMs(0)).toThrow(/tasks/);
    // the async side of a simulated request pays the grown hand-off too
    const s = chooseSetup("async", { cpuShare: 0, connections: 64, requestMs: 20 }, g);
    expect(s.handOffMs).toBeCloseTo(2 * A * 2, 15); // 64 connections on 4 cores: log2(16) = 4 → × 2
  });
  it("the switch costs come from a ping-pong result: half a round trip, µs → ms", () => {
    const row = (mode: string, us: number) => ({
      mode,
      roundTrips: 10,
      roundTripUs: { median: us, min: us, max: us, runs: [us] },
    });
    const pp = {
      cores: 2,
      rows: [row("await", 0.2), row("loopTurn", 2), row("atomics", 10), row("postMessage", 30)],
    } as PingPongResult;
    // an IO wake-up goes through the event loop: the loop-turn ping-pong, not the bare await hop (R2)
    // and a message between isolates is half the postMessage echo (the "messages" model)
    expect(measuredSwitchCosts(pp)).toEqual({ threadSwitchMs: 0.005, asyncSwitchMs: 0.001, messageMs: 0.015 });
    expect(measuredSwitchCosts({ ...pp, rows: pp.rows.slice(0, 3) })).toEqual({
      threadSwitchMs: 0.005,
      asyncSwitchMs: 0.001,
    });
    expect(() => measuredSwitchCosts({ cores: 2, rows: [row("await", 1)] } as PingPongResult)).toThrow(/loopTurn/);
    // CPython's pair: GIL threads and asyncio (R5, R6)
    const py = { ...RECORDED_PYTHON_SWITCH, rows: [row("asyncio", 6), row("threads", 12)] } as never;
    expect(measuredSwitchCosts(py)).toEqual({ threadSwitchMs: 0.006, asyncSwitchMs: 0.003 });
    expect(measuredSwitchCosts(RECORDED_PYTHON_SWITCH).threadSwitchMs).toBeCloseTo(12.94 / 2000, 12);
  });
  it("the cost table says where each value comes from", () => {
    const rows = costTableRows({ threadSwitchMs: 0.01, cores: 8 }, ["threadSwitchMs"]);
    const src = Object.fromEntries(rows.map((r) => [r.cost, r.source]));
    expect(src.threadSwitchMs).toBe("measured here (ping-pong)");
    expect(src.cores).toBe("set by you");
    expect(src.asyncSwitchMs).toBe("recorded default (build machine)");
    expect(src.threadMemoryMB).toBe("model parameter");
  });
  it("threads vs async tasks: hand-offs and memory, committed beside reserved", () => {
    const [a, b] = threadCostRows([4, 32768]);
    expect(a).toEqual({
      threads: 4,
      threadHandOffsUs: 2 * H * 1000,
      asyncHandOffsUs: 2 * A * 1000,
      committedMB: 0.25,
      reservedMB: 32,
      asyncMB: 0.008,
      fits: true,
    });
    expect(b.fits).toBe(false);
    expect(b.reservedMB).toBe(262144);
  });
});

describe("the six models at one point (exact)", () => {
  const p = { cpuShare: 0.5, connections: 8, requestMs: 20 };
  it("builds each workload: pre-started processes, hand-offs in every request", () => {
    expect(requestShape({ cpuShare: 0.25, connections: 1, requestMs: 20 })).toEqual({ cpuMs: 5, ioMs: 15 });
    const proc = chooseSetup("processes", p);
    expect(proc.tasks.map((t) => t.arrival)).toEqual([0, 0, 0, 0]);
    expect((proc.tasks[0].segments[0] as { duration: number }).duration).toBeCloseTo(10 + 2 * H, 12);
    expect(chooseSetup("processes", p, { processSpawnMs: 20 }).tasks.every((t) => t.arrival === 20)).toBe(true);
    expect(chooseSetup("threadsGil", { ...p, connections: 100 }).workers).toBe(100);
    expect(chooseSetup("threadsGil", p).machine.cores).toBe(1);
    expect(chooseSetup("async", p).machine.cores).toBe(1);
    expect(chooseSetup("asyncN", p).machine.cores).toBe(4);
    expect(chooseSetup("processesAsync", { ...p, connections: 10 }).runs.map((r) => r.tasks.length)).toEqual([
      3, 3, 2, 2,
    ]);
    expect(() => chooseSetup("fibers" as never, p)).toThrow(/Unknown model/);
    expect(() => requestShape({ cpuShare: 2, connections: 1, requestMs: 1 })).toThrow(/cpuShare/);
  });
  it("makespans follow from the costs", () => {
    const ms = (m: (typeof CHOOSE_MODELS)[number]) => simulateChoice(m, p).makespan;
    expect(ms("processes")).toBeCloseTo(2 * (10 + 2 * H) + 20, 9); // 2 connections each, one after the other
    expect(ms("threadsGil")).toBeCloseTo(8 * (10 + 2 * H) + 10, 9); // all CPU on one core, then the last wait
    expect(ms("threads")).toBeCloseTo((8 * (10 + 2 * H)) / 4 + 10, 9);
    expect(ms("async")).toBeCloseTo(8 * (10 + 2 * A) + 10, 9);
    expect(ms("processesAsync")).toBeCloseTo(2 * (10 + 2 * A) + 10, 9);
    expect(ms("asyncN")).toBeCloseTo(0.003 + 2 * (10 + 2 * A) + 10, 9); // the 4th task is created at 0.003
    expect(comparePoint(p).winner).toBe("processesAsync");
  });
  it("GIL threads compute like one core: the same times as lib/sched's GIL machine", () => {
    for (const point of [p, { cpuShare: 0.3, connections: 64, requestMs: 20 }, { ...p, cpuShare: 0 }]) {
      const s = chooseSetup("threadsGil", point);
      const gil = runSchedule({ tasks: s.tasks, machine: { cores: 4, gil: true }, policy: "RR", quantum: 5 });
      expect(simulateChoice("threadsGil", point).makespan).toBeCloseTo(gil.makespan, 9);
    }
  });
});

describe("message passing: one loop and a pool of workers that share nothing (exact)", () => {
  const M = DEFAULT_CHOOSE_COSTS.messageMs;
  it("a request's CPU work goes to one of a worker per core and back: two messages, the loop waits for neither", () => {
    const s = chooseSetup("messages", { cpuShare: 0.5, connections: 3, requestMs: 20 });
    expect(s.machine).toEqual({ cores: 1, devices: { workers: 4 } });
    expect(s.workers).toBe(4);
    // the pool's slot: the worker reads the message (M) and computes (10); the loop's own CPU for the request (its
    // two hand-offs and the result's message) is charged there too, since the loop shares a core with a worker
    expect(s.tasks[0].segments).toEqual([
      { kind: "cpu", duration: 2 * A },
      { kind: "io", duration: M + 10 + (2 * A + M), device: "workers" },
      { kind: "cpu", duration: M },
      { kind: "io", duration: 10, device: "net" },
    ]);
    // the loop sends at 2A, 4A, 6A; each result arrives 10 + 2M + 2A later and takes the loop M to read; they arrive
    // 2A apart, faster than the loop reads them (M > 2A): the reads run back to back from the first arrival on, so
    // the last request's IO starts at 4A + 2M + 10 + 3M and it is served 10 ms later
    expect(M).toBeGreaterThan(2 * A);
    const ms = simulateChoice("messages", { cpuShare: 0.5, connections: 3, requestMs: 20 }).makespan;
    expect(ms).toBeCloseTo(4 * A + 5 * M + 20, 9);
    expect(s.memoryMB).toBeCloseTo(
      4 * DEFAULT_CHOOSE_COSTS.processMemoryMB + 3 * DEFAULT_CHOOSE_COSTS.asyncMemoryMB,
      12,
    );
  });
  it("pure IO sends no message: the same run as one async loop; CPU-bound it trails a loop per core by the messages", () => {
    for (const n of [1, 16, 256]) {
      const io = { cpuShare: 0, connections: n, requestMs: 20 };
      expect(simulateChoice("messages", io).makespan).toBe(simulateChoice("async", io).makespan);
    }
    // 12 CPU-only requests of 10 ms on 4 workers: slot k takes jobs k, k + 4, k + 8 (sent at 2kA), each S = 10 +
    // 2M + 2A; the last four results arrive 2A apart from 2A + 3S and the loop reads them back to back: + 4M
    const cpu = { cpuShare: 1, connections: 12, requestMs: 10 };
    const S = 10 + 2 * M + 2 * A;
    expect(simulateChoice("messages", cpu).makespan).toBeCloseTo(2 * A + 3 * S + 4 * M, 9);
    // … where a loop per core computes on the same 4 cores without messages: three requests each
    expect(simulateChoice("processesAsync", cpu).makespan).toBeCloseTo(3 * (10 + 2 * A), 9);
    const cell = comparePoint(cpu, { models: ["messages", "processesAsync"] });
    expect(cell.winner).toBe("processesAsync");
    expect(cell.near).toEqual(["processesAsync", "messages"]);
    // with the loop's core taken out of the pool (3 cores' worth of workers) it would lose by 4/3: not a tie
    const fewer = comparePoint(cpu, { models: ["messages", "processesAsync"], costs: { cores: 3 } });
    expect(fewer.outcomes.find((o) => o.model === "messages")!.makespan).toBeGreaterThan(
      simulateChoice("processesAsync", cpu).makespan * 1.3,
    );
  });
  it("the maps' makespan-only path gives simulateChoice's makespan for every model", () => {
    const models = ["processes", "threadsGil", "threads", "async", "processesAsync", "asyncN", "messages"] as const;
    const costs = [{}, { threadSwitchMs: 0, asyncSwitchMs: 0, messageMs: 0 }, { cores: 3, processSpawnMs: 7 }];
    for (const c of costs)
      for (const m of models)
        for (const n of [1, 5, 64])
          for (const share of [0, 0.3, 1]) {
            const p = { cpuShare: share, connections: n, requestMs: 20 };
            const full = simulateChoice(m, p, c);
            expect(chooseOutcome(m, p, c)).toEqual({
              model: m,
              makespan: full.makespan,
              workers: full.workers,
              memoryMB: full.memoryMB,
            });
          }
  });
  it("processes run FIFO: with a core each, round robin's quantum changes nothing (same trace)", () => {
    for (const p of [
      { cpuShare: 0.5, connections: 9, requestMs: 200 },
      { cpuShare: 1, connections: 3, requestMs: 20 },
    ]) {
      const s = chooseSetup("processes", p);
      const rr = runSchedule({ tasks: s.tasks, machine: s.machine, policy: "RR", quantum: 5 });
      const fifo = simulateChoice("processes", p).result;
      expect(fifo.trace).toEqual(rr.trace);
      expect(fifo.makespan).toBe(rr.makespan);
      expect(scheduleMakespan({ tasks: s.tasks, machine: s.machine, policy: "RR", quantum: 5 })).toBe(rr.makespan);
    }
  });
});

describe("sweeps share what they already computed", () => {
  const models = ["processes", "threadsGil", "threads", "async", "processesAsync", "asyncN", "messages"] as const;
  const other: Record<string, number> = {
    cores: 3,
    processSpawnMs: 7,
    processMemoryMB: 11,
    threadCreateMs: 0.5,
    threadMemoryMB: 0.5,
    memoryBudgetMB: 2,
    osThreadLimit: 3,
    threadSwitchMs: 0.3,
    switchGrowth: 0.25,
    quantumMs: 2,
    asyncCreateMs: 0.2,
    asyncSwitchMs: 0.1,
    asyncMemoryMB: 0.3,
    messageMs: 0.4,
  };
  it("COSTS_READ lists every cost a model reads: changing any other leaves its outcome unchanged", () => {
    expect(Object.keys(other).sort()).toEqual(Object.keys(DEFAULT_CHOOSE_COSTS).sort());
    const points = [
      { cpuShare: 0.3, connections: 8, requestMs: 20 },
      { cpuShare: 1, connections: 5, requestMs: 20 },
      { cpuShare: 0, connections: 16, requestMs: 20 },
    ];
    for (const m of models)
      for (const [k, v] of Object.entries(other)) {
        const read = (COSTS_READ[m] as readonly string[]).includes(k);
        const changed = points.some((p) => !isDeepStrictEqual(chooseOutcome(m, p), chooseOutcome(m, p, { [k]: v })));
        // a cost the model does not list never changes its outcome (the reuse is safe)
        if (!read) expect(changed, `${m} reads ${k}`).toBe(false);
      }
  });
  it("reuse copies the outcomes whose costs agree and simulates the rest: the same sweep as without", () => {
    const grid = { cpuShares: [0, 0.5, 1], connections: [1, 8, 64], requestMs: [20, 200] };
    const base = chooseSweep({ ...grid, models: ["processes", "threadsGil", "async"] });
    for (const costs of [{ processSpawnMs: 20 }, { asyncSwitchMs: 0.002 }, {}]) {
      const fresh = chooseSweep({ ...grid, models: [...models], costs });
      const reused = chooseSweep({ ...grid, models: [...models], costs, reuse: [base] });
      expect(reused).toEqual(fresh);
    }
    expect(() => chooseSweep({ ...grid, reuse: [{} as ChooseSweep] })).toThrow(/reuse/);
    expect(() => chooseSweep({ ...grid, models: ["fibers" as never] })).toThrow(/models/);
  });
});

describe("sweeps, the rule and the figures", () => {
  const sw = chooseSweep({ ...small, models: [...PY] });
  it("processes × async wins or ties every cell of Python's map; the rule is judged on its own three models", () => {
    expect(sw.cells[0]).toHaveLength(3);
    expect(sw.cells.flat(2).every((c) => c.near.includes("processesAsync"))).toBe(true);
    expect(Object.values(winCounts(sw)).reduce((a, b) => a + b, 0)).toBe(9);
    const three = restrictSweep(sw, RULE_MODELS);
    const direct = chooseSweep({ ...small, models: [...RULE_MODELS] });
    expect(three.cells.flat(2).map((c) => [c.winner, c.near])).toEqual(
      direct.cells.flat(2).map((c) => [c.winner, c.near]),
    );
    expect(sweepCell(three, { cpuShare: 1, connections: 256, requestMs: 20 }).winner).toBe("processes");
    expect(() => sweepCell(sw, { cpuShare: 0.3, connections: 1, requestMs: 20 })).toThrow(/not on the grid/);
    expect(() => restrictSweep(sw, ["asyncN"])).toThrow(/sweep's models/);
    expect(seedRule({ cpuShare: 0.9, connections: 1, requestMs: 20 })).toBe("processes");
    expect(seedRule({ cpuShare: 0, connections: 1, requestMs: 20 })).toBe("async");
    expect(seedRule({ cpuShare: 0, connections: 1, requestMs: 5 })).toBe("threads");
    expect(ruleAgreement(three).total).toBe(9);
  });
  it("without a GIL, async on N threads wins or ties everywhere; threads tie wherever there is CPU work", () => {
    const free = chooseSweep({ ...small, models: ["processes", "threads", "async", "asyncN"] });
    expect(free.cells.flat(2).every((c) => c.near.includes("asyncN"))).toBe(true);
    expect(
      free.cells
        .flat(2)
        .filter((c) => c.point.cpuShare > 0)
        .every((c) => c.near.includes("threads")),
    ).toBe(true);
  });
  it("async beats GIL threads on pure IO from the crossover on, not before", () => {
    const n = crossoverConnections({ cpuShare: 0, requestMs: 20 }, "async", "threadsGil")!;
    // n · 2 · (thread hand-off − loop turn) must exceed the 5 % tie of a 20 ms request: ≈ 1 ms / 7 µs
    expect(n).toBe(146);
    expect(n).toBeGreaterThan((0.05 * 20) / (2 * (H - A)));
    expect(crossoverConnections({ cpuShare: 0, requestMs: 200 }, "async", "threadsGil")).toBe(1452);
    // growth on both sides moves it, but does not decide whether async wins
    expect(
      crossoverConnections({ cpuShare: 0, requestMs: 200 }, "async", "threadsGil", { costs: { switchGrowth: 0.25 } }),
    ).toBe(526);
    // equal hand-offs: async never beats GIL threads on pure IO
    expect(
      crossoverConnections({ cpuShare: 0, requestMs: 20 }, "async", "threadsGil", { costs: { asyncSwitchMs: H } }),
    ).toBeNull();
    const beats = (k: number) => {
      const c = comparePoint({ cpuShare: 0, connections: k, requestMs: 20 }, { models: ["async", "threadsGil"] });
      return c.winner === "async" && c.margin > 1.05;
    };
    expect([beats(n - 1), beats(n)]).toEqual([false, true]);
    expect(crossoverConnections({ cpuShare: 0, requestMs: 20 }, "async", "processesAsync", { max: 64 })).toBeNull();
  });
  it("what decides the crossover: the hand-off gap per request against 5 % of the request time (R1)", () => {
    const rows = crossoverRows(
      { cpuShare: 0, requestMs: 200 },
      [
        { label: "default", costs: {} },
        { label: "no GIL", costs: {}, loser: "threads" },
        { label: "equal", costs: { asyncSwitchMs: H } },
      ],
      { max: 4096 },
    );
    expect(rows[0].gapUs).toBeCloseTo(2 * (H - A) * 1000, 12); // 7 µs
    expect(rows[0].estimate).toBe(Math.round(10_000 / (2 * (H - A) * 1000))); // 1429
    expect([rows[0].crossover, rows[0].crossoverWithGrowth]).toEqual([1452, 526]);
    expect(rows[1].gapUs).toBeCloseTo(2 * (H / 4 - A) * 1000, 12); // ≤ 0: the threads' hand-offs run on 4 cores
    expect(rows[1].estimate).toBe(Math.round(10_000 / rows[1].gapUs)); // ≈ 100,000: far beyond the grid
    expect(rows[1].crossover).toBeNull();
    expect([rows[2].estimate, rows[2].crossover, rows[2].crossoverWithGrowth]).toEqual([null, null, null]);
    expect(() => crossoverRows({ cpuShare: 0, requestMs: 200 }, [])).toThrow(ChooseInputError);
  });
  it("figures: categorical maps, white ✓/✗ diamonds for measurements, decade ticks, reserved stacks dotted", () => {
    const f = choosePhaseFigure(sw, 20);
    expect((f.data[0] as any).z).toHaveLength(3);
    expect(chooseRuleFigure(restrictSweep(sw, RULE_MODELS), 20).data.length).toBe(4);
    const line = chooseLineFigure(sw, 20, 0);
    expect(line.data).toHaveLength(4);
    expect((line.layout.xaxis as any).dtick).toBe(1);
    expect((line.layout.yaxis as any).type).toBe("log");
    const mem = chooseLineFigure(sw, 20, 0, "memoryMB", "m", { reservedStackMB: 8 });
    expect((mem.data[4] as any).y).toEqual([8, 64, 2048]);
    expect(() => choosePhaseFigure(sw, 7)).toThrow(/not in the sweep/);
    const mark = {
      label: "x",
      point: { cpuShare: 0, connections: 8, requestMs: 20 },
      measured: { async: 25, processes: 90 },
      predicted: { async: 20, processes: 80 },
      measuredWinner: "async" as const,
      predictedWinner: "async" as const,
      measuredSpeedup: 25 / 90,
      predictedSpeedup: 0.25,
      measuredVerdict: "async faster" as const,
      predictedVerdict: "async faster" as const,
      agree: true,
    };
    const withMarks = choosePhaseFigure(sw, 20, { real: [mark, { ...mark, agree: false }] });
    const d = withMarks.data.at(-1) as any;
    expect(d.text).toEqual(["✓", "✗"]);
    expect(d.marker.color).toBe("white");
    expect(d.marker.line.color).toBe("black");
  });
  it("places real results at their points with a prediction from the given costs", () => {
    const marks = placeRealMeasurements({
      costs: { threadSwitchMs: 0.005 },
      ioModes: {
        delayMs: 20,
        sequentialIdealMs: 320,
        rows: [
          {
            mode: "promiseAll",
            requests: 16,
            concurrency: 16,
            ms: { median: 25, min: 25, max: 25, runs: [25] },
            requestsPerSecond: 0,
            peakInFlight: 16,
            startupMs: 0,
          },
          {
            mode: "workers",
            requests: 16,
            concurrency: 2,
            ms: { median: 170, min: 170, max: 170, runs: [170] },
            requestsPerSecond: 0,
            peakInFlight: 2,
            startupMs: 30,
          },
        ],
      },
    });
    expect(marks).toHaveLength(1);
    expect(marks[0].measuredWinner).toBe("async");
    expect(marks[0].predictedWinner).toBe("async");
    expect(marks[0].predicted.processes).toBeCloseTo(8 * (20 + 2 * 0.005), 9);
    expect(marks[0].agree).toBe(true);
    expect(marks[0].measuredSpeedup).toBeCloseTo(25 / 170, 12);
  });
  it("a measured tie contradicts a predicted 2× speedup; it agrees only with a predicted tie (R3)", () => {
    const ms = (v: number) => ({ median: v, min: v, max: v, runs: [v] });
    const speedup = (seq: number, two: number) => ({
      cores: 2,
      tasks: 8,
      taskMs: 20,
      sequentialMs: ms(seq),
      points: [{ workers: 2, ms: ms(two), speedup: seq / two, efficiency: seq / two / 2 }],
    });
    const [tie] = placeRealMeasurements({ speedup: speedup(167.7, 167.6) as never });
    expect(tie.predictedVerdict).toBe("workers faster");
    expect(tie.predictedSpeedup).toBeCloseTo(2, 2);
    expect(tie.measuredVerdict).toBe("tie");
    expect(tie.measuredWinner).toBe("processes"); // by 0.1 ms: not an agreement
    expect(tie.agree).toBe(false);
    const [fast] = placeRealMeasurements({ speedup: speedup(160, 84) as never });
    expect([fast.measuredVerdict, fast.agree]).toEqual(["workers faster", true]);
  });
});

describe("one loop against two, beside the model", () => {
  it("on pure IO the model predicts a tie: both serve the batch in one delay plus hand-offs", () => {
    const ms = (v: number) => ({ median: v, min: v, max: v, runs: [v, v] });
    const rows = loopsRows(
      { requests: 32, delayMs: 20, loops: 2, oneLoopMs: ms(25), manyLoopsMs: ms(30), startupMs: 40 },
      { asyncSwitchMs: 0.001 },
    );
    expect(rows.map((r) => r["measured, median (ms)"])).toEqual([25, 30]);
    expect(rows[0]["runs (ms)"]).toBe("25, 25");
    expect(rows[0]["model (ms)"]).toBe(20.1); // 32 × 2 hand-offs of CPU on one loop (≈ 0.07 ms), then 20 ms
    expect(rows[1]["model (ms)"]).toBe(20);
  });
});

describe("chapter 08 review and exercises: the written solutions pass, wrong answers fail", () => {
  it("coffee shop: concurrent from the worker's frame, parallel once the machine counts", () => {
    const cs = coffeeShop();
    expect([classifySchedRun(cs), classifySchedRun(cs, undefined, true)]).toEqual(["concurrent", "parallel"]);
    expect(coffeeShop(3, false).makespan).toBe(24);
    expect(cs.makespan).toBe(18);
    expect(bottleneck(cs)).toEqual({ resource: "coffee machine", utilisation: 15 / 18 });
    expect(bottleneck(coffeeShop(3, true, 3)).resource).toBe("core 1");
  });
  it("one chain of dependent steps takes the same time under every model, up to its hand-offs (M11)", () => {
    const t = Object.values(oneTaskUnderEveryModel(0.3, 20));
    expect(Math.max(...t) - Math.min(...t)).toBeLessThan(0.05);
    expect(Math.min(...t)).toBeGreaterThanOrEqual(20);
  });
  it("the solutions of exercises 1-5", () => {
    resetExerciseTries();
    expect(exerciseExpected("08-1")).toBe("processes");
    expect(judgeExercise("08-1", "processes").ok).toBe(true);
    expect(judgeExercise("08-1", "async").ok).toBe(false);
    expect(judgeExercise("08-2", { cpuShare: 0.3, connections: 16, requestMs: 20 }).ok).toBe(true);
    expect(judgeExercise("08-2", { cpuShare: 1, connections: 64, requestMs: 20 }).message).toMatch(/does win/);
    expect(judgeExercise("08-2", { cpuShare: 0.25, connections: 16, requestMs: 20 }).message).toMatch(/grid/);
    expect(exerciseExpected("08-3")).toBe(12);
    expect(judgeExercise("08-3", 12).ok).toBe(true);
    expect(judgeExercise("08-3", 18).ok).toBe(false);
    expect(exerciseExpected("08-4")).toEqual([60, 22]);
    expect(judgeExercise("08-4", [60, 22]).ok).toBe(true);
    expect(judgeExercise("08-4", [60, 60]).ok).toBe(false);
    expect(judgeExercise("08-5", "coffee machine").ok).toBe(true);
    expect(judgeExercise("08-5", "core 1").ok).toBe(false);
    // M11's point: the independent fetches of ONE task finish sooner together
    const [a, b] = exerciseExpected("08-4") as number[];
    expect(b).toBeLessThan(a / 2);
    // the rule's pick loses at the exercise-2 solution
    const cell = comparePoint({ cpuShare: 0.3, connections: 16, requestMs: 20 }, { models: RULE_MODELS });
    expect(ruleAgrees(cell, RULE_MODELS)).toBe(false);
  });
});
