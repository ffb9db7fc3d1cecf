// Blocking is not busy-waiting (review H1), and a microtask is not a yield to the loop (M16): real Node, loose bounds.
import { describe, expect, it } from "vitest";
import { chunkYieldExperiment, sleepSequentialVsConcurrent } from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

describe("a blocked loop vs a busy loop (Atomics.wait vs a spin), on real Node", () => {
  it("both stall every task and timer; only the busy wait burns the CPU", async () => {
    const before = activeResourceCounts();
    const r = await sleepSequentialVsConcurrent({
      tasks: 4,
      sleepMs: 50,
      modes: ["concurrent", "blockingConcurrent", "atomicsWaitConcurrent"],
    });
    const by = Object.fromEntries(r.runs.map((x) => [x.mode, x]));
    for (const m of ["blockingConcurrent", "atomicsWaitConcurrent"]) {
      expect(by[m].totalMs).toBeGreaterThanOrEqual(4 * 50 * 0.95); // one after another, although under Promise.all
      expect(by[m].maxTimerGapMs).toBeGreaterThanOrEqual(3 * 50); // a 5 ms timer did not tick meanwhile
    }
    expect(by.concurrent.totalMs).toBeLessThan(4 * 50 * 0.75);
    expect(by.concurrent.maxTimerGapMs).toBeLessThan(50);
    // Spinning uses every time slice the OS gives it (about 100 % of a core on an idle machine, less when other
    // processes compete for the cores); parked in the kernel, the thread uses about nothing.
    expect(by.atomicsWaitConcurrent.cpuPercent).toBeLessThan(20);
    expect(by.blockingConcurrent.cpuPercent).toBeGreaterThan(20);
    expect(by.blockingConcurrent.cpuPercent).toBeGreaterThan(3 * by.atomicsWaitConcurrent.cpuPercent);
    await expectNoLeaks(before);
  });
  it("rejects an unknown mode with a message that lists the modes", async () => {
    await expect(sleepSequentialVsConcurrent({ modes: ["nap" as never] })).rejects.toThrow(/atomicsWaitConcurrent/);
  });
});

describe("yielding with a microtask vs setImmediate, on real Node", () => {
  it("await Promise.resolve() between chunks never lets a timer run; setImmediate does", async () => {
    const before = activeResourceCounts();
    const r = await chunkYieldExperiment({ workMs: 150, chunkMs: 10, tickMs: 5 });
    const [micro, immediate] = r.runs;
    expect(micro.yieldWith).toBe("microtask");
    expect(micro.chunks).toBeGreaterThanOrEqual(10);
    expect(micro.ticks).toBe(0);
    expect(micro.maxGapMs).toBeGreaterThanOrEqual(150 * 0.95);
    expect(immediate.ticks).toBeGreaterThanOrEqual(3);
    expect(immediate.maxGapMs).toBeLessThan(120);
    await expectNoLeaks(before);
  });
});
