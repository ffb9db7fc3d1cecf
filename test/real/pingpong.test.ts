// The hand-off round trips of pingPongExperiment (chapter 08): an await on one thread is far cheaper than an OS
// thread hand-off (Atomics.wait/notify between two workers) or a postMessage echo. Loose bounds: 2 shared cores.
import { describe, expect, it } from "vitest";
import {
  liveRealResources,
  pingPongExperiment,
  RealInputError,
  RealTimeoutError,
  threadLimits,
} from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

describe("pingPongExperiment", () => {
  it("an await round trip is cheaper than an Atomics ping-pong between workers and than a postMessage echo", async () => {
    const before = activeResourceCounts();
    const r = await pingPongExperiment({ repeats: 3, roundTrips: { await: 20000, atomics: 1000, postMessage: 1000 } });
    expect(r.rows.map((x) => x.mode)).toEqual(["await", "atomics", "postMessage"]);
    const us = Object.fromEntries(r.rows.map((x) => [x.mode, x.roundTripUs.median]));
    for (const row of r.rows) {
      expect(row.roundTripUs.runs).toHaveLength(3);
      for (const v of row.roundTripUs.runs) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
    }
    // measured here: await ≈ 0.15 µs, atomics ≈ 9 µs, postMessage ≈ 25 µs; the bounds leave 5× room for load
    expect(us.await).toBeLessThan(5);
    expect(us.await * 5).toBeLessThan(us.atomics);
    expect(us.await * 5).toBeLessThan(us.postMessage);
    expect(us.atomics).toBeLessThan(5000);
    expect(us.postMessage).toBeLessThan(5000);
    await expectNoLeaks(before);
  });

  it("stops at its time limit and leaves no worker behind", async () => {
    const before = activeResourceCounts();
    await expect(
      pingPongExperiment({ modes: ["atomics"], roundTrips: { atomics: 100_000 }, repeats: 50, timeLimitMs: 200 }),
    ).rejects.toBeInstanceOf(RealTimeoutError);
    expect(liveRealResources().workers).toBe(0);
    await expectNoLeaks(before);
  });

  it("rejects bad options with a named error", async () => {
    await expect(pingPongExperiment({ modes: [] })).rejects.toBeInstanceOf(RealInputError);
    await expect(pingPongExperiment({ modes: ["sleep" as never] })).rejects.toThrow(/await/);
    await expect(pingPongExperiment({ repeats: 0 })).rejects.toThrow(/repeats/);
  });

  it("reads this machine's thread limits (Linux) without starting threads", () => {
    const l = threadLimits();
    if (process.platform === "linux") {
      expect(l.threadsMax).toBeGreaterThan(1000);
      expect(l.maxMapCount).toBeGreaterThan(1000);
    }
    for (const v of Object.values(l)) expect(v === null || (Number.isFinite(v) && v > 0)).toBe(true);
  });
});
