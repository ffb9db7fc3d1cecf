// The hand-off round trips of pingPongExperiment (chapter 08): an await on one thread is far cheaper than a hand-off
// through an event-loop turn (setImmediate: the path of an IO wake-up), which is cheaper than an OS thread hand-off
// (Atomics.wait/notify between two workers) or a postMessage echo. Loose bounds: 2 shared cores.
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
  it("await < event-loop turn < Atomics ping-pong between workers; postMessage costs more than an await", async () => {
    const before = activeResourceCounts();
    const r = await pingPongExperiment({
      repeats: 3,
      roundTrips: { await: 20000, loopTurn: 5000, atomics: 1000, postMessage: 1000 },
    });
    expect(r.rows.map((x) => x.mode)).toEqual(["await", "loopTurn", "atomics", "postMessage"]);
    const us = Object.fromEntries(r.rows.map((x) => [x.mode, x.roundTripUs.median]));
    for (const row of r.rows) {
      expect(row.roundTripUs.runs).toHaveLength(3);
      for (const v of row.roundTripUs.runs) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
    }
    // measured here: await ≈ 0.15 µs, loopTurn ≈ 2.2 µs, atomics ≈ 9 µs, postMessage ≈ 25 µs; loose for load
    expect(us.await).toBeLessThan(5);
    expect(us.await * 5).toBeLessThan(us.atomics);
    expect(us.await * 5).toBeLessThan(us.postMessage);
    expect(us.await * 3).toBeLessThan(us.loopTurn); // a loop turn is not a microtask hop (R2)
    expect(us.loopTurn).toBeLessThan(us.atomics); // still cheaper than waking another OS thread
    expect(us.loopTurn).toBeLessThan(1000);
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
    await expect(pingPongExperiment({ modes: ["sleep" as never] })).rejects.toThrow(/loopTurn/);
    await expect(pingPongExperiment({ repeats: 0 })).rejects.toThrow(/repeats/);
  });

  it("reads this machine's thread limits (Linux) without starting threads", () => {
    const l = threadLimits();
    if (process.platform === "linux") {
      expect(l.threadsMax).toBeGreaterThan(1000);
      expect(l.maxMapCount).toBeGreaterThan(1000);
    }
    if (process.platform === "linux") expect(l.pidMax).toBeGreaterThan(300); // kernel.pid_max is at least 301
    for (const v of Object.values(l)) expect(v === null || (Number.isFinite(v) && v > 0)).toBe(true);
  });
});
