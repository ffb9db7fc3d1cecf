import { describe, expect, it } from "vitest";
import {
  chunkKeepsLatency,
  cooperativeVsPreemptive,
  largestChunkWithin,
  lostUpdateFinal,
  orderingPuzzleReal,
  orderingPuzzleRun,
  puzzleOrder,
  seedTotalsWithIo,
  sleepStyleRun,
  starvationScenario,
  turnaroundOf,
} from "../../lib/chapters/07-async/index";

describe("chapter 07 experiments", () => {
  it("the ordering puzzle: the model's order equals real Node's", async () => {
    const model = orderingPuzzleRun().order;
    expect(model).toEqual([
      "script start",
      "f before await",
      "script end",
      "nextTick",
      "then 1",
      "f after await",
      "then 2",
      "timeout",
    ]);
    expect(await orderingPuzzleReal()).toEqual(model);
  });
  it("a busy-wait sleep blocks every task; await sleep lets them overlap", () => {
    expect(sleepStyleRun("busy").endTime).toBe(3 * (5 + 100 + 5));
    expect(sleepStyleRun("await").endTime).toBe(3 * 5 + 100 + 5);
  });
  it("CPU work between awaits starves requests; chunks and a worker fix it", () => {
    const block = starvationScenario("block");
    expect(block.requests.map((r) => r.latency)).toEqual([296, 277, 258, 239]);
    expect(starvationScenario("chunked").worstLatency).toBeLessThanOrEqual(10);
    expect(starvationScenario("worker").worstLatency).toBe(1);
    expect(() => starvationScenario("nope" as never)).toThrow(/block/);
  });
  it("cooperative vs round robin: the clients wait for the cruncher only under cooperative scheduling", () => {
    const { cooperative, preemptive } = cooperativeVsPreemptive();
    expect(turnaroundOf(cooperative).worst).toBeGreaterThan(turnaroundOf(preemptive).worst);
    expect(cooperative.tasks[0].turnaround).toBeLessThan(preemptive.tasks[0].turnaround);
  });
});

describe("chapter 07 exercises: the written solutions pass", () => {
  it("exercise 1: the puzzle order", () => {
    expect(puzzleOrder()).toEqual([
      "script start",
      "f before await",
      "script end",
      "nextTick",
      "then 1",
      "f after await",
      "then 2",
      "timeout",
    ]);
  });
  it("exercise 2: task 1's IO of 30 ms gives 79 vs 68", () => {
    expect(seedTotalsWithIo(12)).toEqual([61, 50]);
    expect(seedTotalsWithIo(30)).toEqual([79, 68]);
  });
  it("exercise 3: 10 ms chunks keep every request within 12 ms, 20 do not", () => {
    expect(largestChunkWithin(12, {}, [5, 10, 20, 25, 50])).toBe(10);
    expect(chunkKeepsLatency(10, 12)).toBe(true);
    expect(chunkKeepsLatency(20, 12)).toMatch(/slowest request waits/);
    expect(chunkKeepsLatency("x", 12)).toMatch(/number/);
  });
  it("exercise 4: 3 tasks × 2 increments end at 2", () => {
    expect(lostUpdateFinal(3, 2)).toBe(2);
  });
});
