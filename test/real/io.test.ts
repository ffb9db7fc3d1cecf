// Real IO and event-loop experiments: loopback server, Promise.all vs workers, progress bar lag, sleep demo.
// Timings are asserted only as loose bounds: other processes share this machine.
import { describe, expect, it } from "vitest";
import {
  AsyncMutex,
  asyncLostUpdate,
  ioModesExperiment,
  ioScalingExperiment,
  progressBarExperiment,
  RealInputError,
  RealTimeoutError,
  sleepSequentialVsConcurrent,
} from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

describe("ioModesExperiment", () => {
  it("concurrent requests finish far sooner than sequential ones", async () => {
    const before = activeResourceCounts();
    const r = await ioModesExperiment({ requests: 20, delayMs: 20, limit: 5, workers: 2 });
    const by = Object.fromEntries(r.rows.map((row) => [row.mode, row]));
    expect(Object.keys(by)).toEqual(["sequential", "promiseAll", "limited", "workers"]);
    expect(by.sequential.ms.median).toBeGreaterThanOrEqual(20 * 20 * 0.9); // cannot beat requests × delay
    expect(by.promiseAll.ms.median).toBeLessThan(by.sequential.ms.median / 2);
    expect(by.sequential.peakInFlight).toBe(1);
    expect(by.limited.peakInFlight).toBeLessThanOrEqual(5);
    expect(by.promiseAll.peakInFlight).toBeGreaterThan(5);
    expect(by.workers.peakInFlight).toBeLessThanOrEqual(2);
    await expectNoLeaks(before);
  });

  it("leaves no server, socket or worker behind after 20 runs", async () => {
    const before = activeResourceCounts();
    for (let i = 0; i < 20; i++) await ioModesExperiment({ requests: 4, delayMs: 1, limit: 2, workers: 1 });
    await expectNoLeaks(before);
  });

  it("a forced timeout closes the server and its open connections", async () => {
    const before = activeResourceCounts();
    await expect(ioModesExperiment({ requests: 50, delayMs: 200, timeLimitMs: 300 })).rejects.toBeInstanceOf(
      RealTimeoutError,
    );
    await expectNoLeaks(before);
  });

  it("rejects bad options with named errors", async () => {
    await expect(ioModesExperiment({ delayMs: -5 })).rejects.toThrow(
      /Expected `delayMs` to be a number from 0 to 5000, got -5/,
    );
    await expect(ioModesExperiment({ workers: 1000 })).rejects.toBeInstanceOf(RealInputError);
    await expect(ioScalingExperiment({ asyncLevels: [0] })).rejects.toThrow(/asyncLevels\[0\]/);
  });
});

describe("ioScalingExperiment", () => {
  it("hundreds of async requests are in flight at once, and cost less memory than workers", async () => {
    const before = activeResourceCounts();
    const r = await ioScalingExperiment({ asyncLevels: [1, 300], workerLevels: [1, 4], delayMs: 100, rounds: 1 });
    const a = r.rows.filter((row) => row.mode === "async");
    const w = r.rows.filter((row) => row.mode === "workers");
    expect(a.map((row) => row.peakInFlight)).toEqual([1, 300]);
    expect(a[1].ms).toBeLessThan((300 * 100) / 5); // far below sequential
    expect(a[1].requestsPerSecond).toBeGreaterThan(a[0].requestsPerSecond * 3);
    expect(w[1].startupMs).toBeGreaterThan(0);
    expect(w.map((row) => row.peakInFlight)).toEqual([1, 4]);
    await expectNoLeaks(before);
  });
});

describe("progressBarExperiment", () => {
  it("the bar moves while awaiting, freezes during blocking work, moves again when chunked or in a worker", async () => {
    const before = activeResourceCounts();
    const seen: number[] = [];
    const r = await progressBarExperiment({ workMs: 250, tickMs: 20, onProgress: (f) => seen.push(f) });
    const by = Object.fromEntries(r.phases.map((p) => [p.phase, p]));
    expect(r.phases.map((p) => p.phase)).toEqual(["await", "blocking", "chunked", "worker"]);
    expect(by.blocking.maxGapMs).toBeGreaterThanOrEqual(200); // frozen for about the whole work
    expect(by.blocking.ticks).toBeLessThanOrEqual(2);
    for (const p of [by.await, by.chunked, by.worker]) {
      expect(p.ticks).toBeGreaterThanOrEqual(3);
      expect(p.maxGapMs).toBeLessThan(by.blocking.maxGapMs);
    }
    expect(seen.length).toBe(r.samples.length);
    for (let i = 1; i < r.samples.length; i++)
      expect(r.samples[i].progress).toBeGreaterThanOrEqual(r.samples[i - 1].progress);
    expect(r.samples[r.samples.length - 1].progress).toBeGreaterThan(0.7);
    await expectNoLeaks(before);
  });

  it("rejects a bad phase", async () => {
    await expect(progressBarExperiment({ phases: ["sleep" as never] })).rejects.toThrow(
      /Expected `phases\[0\]` to be one of/,
    );
  });
});

describe("sleepSequentialVsConcurrent and asyncLostUpdate", () => {
  it("sleeping tasks overlap under Promise.all; a busy-wait does not", async () => {
    const r = await sleepSequentialVsConcurrent({ tasks: 4, sleepMs: 50 });
    const by = Object.fromEntries(r.runs.map((run) => [run.mode, run]));
    expect(by.sequential.totalMs).toBeGreaterThanOrEqual(190);
    expect(by.concurrent.totalMs).toBeLessThan(by.sequential.totalMs / 2);
    expect(by.blockingConcurrent.totalMs).toBeGreaterThanOrEqual(190);
    expect(by.concurrent.spans).toHaveLength(4);
  });

  it("read-await-write loses updates; the async mutex does not (the event loop is deterministic: exact)", async () => {
    const r = await asyncLostUpdate({ tasks: 4, increments: 50 });
    expect(r.expected).toBe(200);
    expect(r.unlocked.final).toBe(50);
    expect(r.locked).toEqual({ final: 200, lost: 0 });
  });

  it("AsyncMutex hands the lock over in FIFO order", async () => {
    const m = new AsyncMutex();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async (i) => {
        const unlock = await m.lock();
        order.push(i);
        await new Promise((r) => setTimeout(r, 3));
        unlock();
      }),
    );
    expect(order).toEqual([1, 2, 3]);
  });
});
