import { describe, expect, it } from "vitest";
import {
  bottleneck,
  chooseLineFigure,
  choosePhaseFigure,
  chooseRuleFigure,
  chooseSetup,
  chooseSweep,
  classifySchedRun,
  coffeeShop,
  comparePoint,
  maxThreads,
  oneTaskUnderEveryModel,
  placeRealMeasurements,
  requestShape,
  ruleAgreement,
  ruleAgrees,
  seedRule,
  simulateChoice,
  sweepCell,
} from "../../lib/chapters/08-choosing/index";

const small = { cpuShares: [0, 0.5, 1], connections: [1, 8, 256], requestMs: [20] };

describe("the sweep model", () => {
  it("shapes requests and builds each model's workload", () => {
    expect(requestShape({ cpuShare: 0.25, connections: 1, requestMs: 20 })).toEqual({ cpuMs: 5, ioMs: 15 });
    expect(maxThreads()).toBe(64);
    expect(chooseSetup("processes", { cpuShare: 1, connections: 10, requestMs: 1 }).tasks).toHaveLength(4);
    expect(chooseSetup("threadsGil", { cpuShare: 0, connections: 100, requestMs: 1 }).workers).toBe(64);
    expect(chooseSetup("async", { cpuShare: 0, connections: 100, requestMs: 1 }).machine.cores).toBe(1);
    expect(() => requestShape({ cpuShare: 2, connections: 1, requestMs: 1 })).toThrow(/cpuShare/);
  });
  it("pure CPU: processes win on many connections; pure IO with many connections: async wins", () => {
    expect(
      comparePoint({ cpuShare: 1, connections: 64, requestMs: 20 }, { models: ["processes", "threadsGil", "async"] })
        .winner,
    ).toBe("processes");
    expect(comparePoint({ cpuShare: 0, connections: 512, requestMs: 200 }).winner).toBe("async");
  });
  it("with a GIL, threads compute one at a time: makespan ≥ total CPU", () => {
    const o = simulateChoice("threadsGil", { cpuShare: 1, connections: 8, requestMs: 10 });
    expect(o.makespan).toBeGreaterThanOrEqual(80);
    expect(simulateChoice("threads", { cpuShare: 1, connections: 8, requestMs: 10 }).makespan).toBeLessThan(30);
  });
  it("sweep, rule and figures", () => {
    const sw = chooseSweep({ ...small, models: ["processes", "threadsGil", "async"] });
    expect(sw.cells[0]).toHaveLength(3);
    expect(sweepCell(sw, { cpuShare: 1, connections: 256, requestMs: 20 }).winner).toBe("processes");
    expect(() => sweepCell(sw, { cpuShare: 0.3, connections: 1, requestMs: 20 })).toThrow(/not on the grid/);
    expect(seedRule({ cpuShare: 0.9, connections: 1, requestMs: 20 })).toBe("processes");
    expect(seedRule({ cpuShare: 0, connections: 1, requestMs: 20 })).toBe("async");
    expect(seedRule({ cpuShare: 0, connections: 1, requestMs: 5 })).toBe("threads");
    const a = ruleAgreement(sw);
    expect(a.total).toBe(9);
    expect(a.share).toBeGreaterThan(0.5);
    const f = choosePhaseFigure(sw, 20);
    expect((f.data[0] as any).z).toHaveLength(3);
    expect(chooseRuleFigure(sw, 20).data.length).toBe(4);
    expect(chooseLineFigure(sw, 20, 0).data).toHaveLength(3);
    expect(() => choosePhaseFigure(sw, 7)).toThrow(/not in the sweep/);
  });
  it("places real results at their points with a prediction", () => {
    const marks = placeRealMeasurements({
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
    expect(marks[0].agree).toBe(true);
  });
});

describe("chapter 08 review: the written solutions pass", () => {
  it("coffee shop: concurrent from the worker's frame, parallel once the machine counts", () => {
    const cs = coffeeShop();
    expect([classifySchedRun(cs), classifySchedRun(cs, undefined, true)]).toEqual(["concurrent", "parallel"]);
    expect(coffeeShop(3, false).makespan).toBe(24);
    expect(cs.makespan).toBe(18);
    expect(bottleneck(cs)).toEqual({ resource: "coffee machine", utilisation: 15 / 18 });
    expect(bottleneck(coffeeShop(3, true, 3)).resource).toBe("core 1");
  });
  it("exercises 1 and 2 on the chapter's Python sweep: processes win at (90 %, 64, 20 ms); the rule loses at (100 %, 1, 20 ms)", () => {
    const sw = chooseSweep({
      cpuShares: [0.9, 1],
      connections: [1, 64],
      requestMs: [20],
      models: ["processes", "threadsGil", "async"],
    });
    expect(sweepCell(sw, { cpuShare: 0.9, connections: 64, requestMs: 20 }).winner).toBe("processes");
    expect(ruleAgrees(sweepCell(sw, { cpuShare: 1, connections: 1, requestMs: 20 }), sw.models)).toBe(false);
  });
  it("one task alone takes the same time under every model", () => {
    const t = oneTaskUnderEveryModel(0.3, 20);
    expect(new Set(Object.values(t)).size).toBe(1);
  });
});
