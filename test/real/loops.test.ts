// One event loop against two (chapter 08, "processes × async" on pure IO): both overlap every wait of the batch.
// Loose bounds: 2 shared cores.
import { describe, expect, it } from "vitest";
import { loopsExperiment, RealInputError, RealTimeoutError } from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

describe("loopsExperiment", () => {
  it("on pure IO, one loop and two worker loops each take about one server delay, not a sum of delays", async () => {
    const before = activeResourceCounts();
    const r = await loopsExperiment({ requests: 32, delayMs: 20, loops: 2, repeats: 3 });
    for (const s of [r.oneLoopMs, r.manyLoopsMs]) {
      expect(s.runs).toHaveLength(3);
      expect(s.median).toBeGreaterThanOrEqual(19); // every batch waits at least one delay
      expect(s.median).toBeLessThan(32 * 20 * 0.5); // far below one request after another
    }
    expect(r.manyLoopsMs.median / r.oneLoopMs.median).toBeGreaterThan(0.2);
    expect(r.manyLoopsMs.median / r.oneLoopMs.median).toBeLessThan(5);
    expect(r.startupMs).toBeGreaterThan(0);
    await expectNoLeaks(before);
  });
  it("stops at its time limit and leaves nothing behind; bad options throw a named error", async () => {
    const before = activeResourceCounts();
    await expect(loopsExperiment({ delayMs: 2000, repeats: 1, timeLimitMs: 300 })).rejects.toBeInstanceOf(
      RealTimeoutError,
    );
    await expectNoLeaks(before);
    await expect(loopsExperiment({ loops: 0 })).rejects.toBeInstanceOf(RealInputError);
  });
});
