// Chapter 09's real experiments: a limited crawler against the loopback server, backpressure (AsyncQueue; queue
// length and heap measured; Node streams' write()/'drain'), and a counter kept by message passing. Real Node, loose
// bounds (2 shared cores), nothing left running.
import { describe, expect, it } from "vitest";
import {
  AsyncQueue,
  backpressureExperiment,
  crawlExperiment,
  liveRealResources,
  messageCounter,
  RealInputError,
  RealTimeoutError,
  streamBackpressure,
} from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

describe("crawlExperiment", () => {
  it("never has more than k requests in flight, at the client or the server, and more permits finish sooner", async () => {
    const before = activeResourceCounts();
    const r = await crawlExperiment({ urls: 8, delayMs: 25, limits: [1, 4, Infinity] });
    expect(r.runs.map((x) => x.peakInFlight)).toEqual([1, 4, 8]);
    expect(r.runs[0].serverPeak).toBe(1);
    expect(r.runs[1].serverPeak).toBeLessThanOrEqual(4);
    const [k1, k4, all] = r.runs.map((x) => x.totalMs);
    expect(k1).toBeGreaterThanOrEqual(8 * 25 - 5); // one at a time: at least the sum of the delays
    expect(k4).toBeLessThan(k1);
    expect(all).toBeLessThan(k1);
    for (const run of r.runs)
      for (const q of run.requests) {
        expect(q.end - q.start).toBeGreaterThanOrEqual(20); // timers may fire up to ~1 ms early on some systems
      }
    await expectNoLeaks(before);
  });

  it("refuses bad limits and stops at its time limit", async () => {
    await expect(crawlExperiment({ limits: [0] })).rejects.toBeInstanceOf(RealInputError);
    await expect(crawlExperiment({ limits: [] })).rejects.toThrow(/limits/);
    const before = activeResourceCounts();
    await expect(crawlExperiment({ urls: 50, delayMs: 200, limits: [1], timeLimitMs: 300 })).rejects.toBeInstanceOf(
      RealTimeoutError,
    );
    await expectNoLeaks(before);
  });
});

describe("AsyncQueue", () => {
  it("is FIFO, hands an item straight to a waiting taker, and makes put wait while full", async () => {
    const q = new AsyncQueue<number>(2);
    const got = q.take();
    await q.put(1);
    expect(await got).toBe(1);
    expect(q.length).toBe(0);
    await q.put(2);
    await q.put(3);
    let third = false;
    const p = q.put(4).then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false); // full: the producer waits
    expect(await q.take()).toBe(2);
    await p;
    expect(third).toBe(true);
    expect([await q.take(), await q.take()]).toEqual([3, 4]);
    expect(() => new AsyncQueue(0)).toThrow(RealInputError);
  });
});

describe("backpressureExperiment", () => {
  it("a bounded queue stays at its bound; without one the queue and the heap grow", async () => {
    const before = activeResourceCounts();
    const r = await backpressureExperiment({ capacities: [16, Infinity], durationMs: 500 });
    const [bounded, open] = r.runs;
    expect(bounded.peakQueue).toBeLessThanOrEqual(16);
    expect(bounded.producerWaitMs).toBeGreaterThan(50); // model: 60 % of the run; less when the machine is busy
    // model: 500 in, 125 out → 375 waiting; loose for a busy machine
    expect(open.peakQueue).toBeGreaterThan(150);
    expect(open.producerWaitMs).toBe(0);
    // every item is 64 KiB of doubles on the heap: 150 items are ~9.4 MiB
    expect(open.peakHeapBytes).toBeGreaterThan(5 * 2 ** 20);
    // after a full collection: what the queue keeps alive, about its items × 64 KiB
    expect(bounded.retainedBytes).toBeLessThan(4 * 2 ** 20);
    expect(open.retainedBytes).toBeGreaterThan(0.8 * open.finalQueue * r.itemBytes);
    expect(open.retainedBytes).toBeLessThan(1.3 * open.finalQueue * r.itemBytes + 2 ** 20);
    // the consumer runs at its own pace either way
    expect(Math.abs(open.consumed - bounded.consumed)).toBeLessThan(0.5 * bounded.consumed + 10);
    for (const run of r.runs) expect(run.samples.length).toBeGreaterThan(5);
    await expectNoLeaks(before);
  });

  it("refuses a run that would make too much memory, and bad bounds", async () => {
    await expect(backpressureExperiment({ itemNumbers: 1_000_000, durationMs: 10_000 })).rejects.toThrow(/512 MB/);
    await expect(backpressureExperiment({ capacities: [0] })).rejects.toBeInstanceOf(RealInputError);
  });
});

describe("streamBackpressure (Node streams, Stream docs: 'Buffering')", () => {
  it("write() returns false at highWaterMark; ignoring it buffers everything, awaiting 'drain' keeps the buffer small", async () => {
    const before = activeResourceCounts();
    const [ignore, drain] = await streamBackpressure({ chunks: 12, highWaterMark: 3, writeMs: 2 });
    expect(ignore.peakBuffered).toBe(12);
    expect(ignore.falseReturns).toBe(12 - 2); // false from the write that fills the buffer to 3 on
    expect(drain.peakBuffered).toBe(3);
    expect(drain.drains).toBeGreaterThanOrEqual(3);
    expect(drain.falseReturns).toBe(drain.drains);
    await expectNoLeaks(before);
  });
});

describe("messageCounter", () => {
  it("message passing and Atomics count exactly; a message costs far more than an Atomics.add", async () => {
    const before = activeResourceCounts();
    const r = await messageCounter({
      modes: ["atomics", "messages", "batched"],
      increments: { atomics: 200_000, messages: 5_000, batched: 200_000 },
      repeats: 2,
    });
    for (const row of r.rows) expect(row.lost).toEqual([0, 0]);
    const ns = Object.fromEntries(r.rows.map((x) => [x.mode, x.nsPerIncrement]));
    // measured here: atomics ≈ 25 ns, a message ≈ 2,500 ns; loose for load
    expect(ns.messages).toBeGreaterThan(5 * ns.atomics);
    expect(ns.messages).toBeLessThan(200_000);
    expect(liveRealResources().workers).toBe(0);
    await expectNoLeaks(before);
  });

  it("one call reuses its threads: the plain counter still races (default 10,000,000 increments per worker)", async () => {
    const before = activeResourceCounts();
    const r = await messageCounter({ modes: ["plain", "messages"], increments: { messages: 2_000 }, repeats: 3 });
    const [plain, messages] = r.rows;
    expect(plain.increments).toBe(10_000_000);
    // a data race: some run loses updates (each run's loss varies; never assert an amount)
    expect(plain.lost.some((l) => l > 0)).toBe(true);
    expect(plain.lost.every((l) => l >= 0 && l < plain.expected)).toBe(true);
    // the same threads then pass messages: exact in every run
    expect(messages.finals).toEqual([4_000, 4_000, 4_000]);
    expect(liveRealResources().workers).toBe(0);
    await expectNoLeaks(before);
  });

  it("stops at its time limit, terminates every worker, and refuses bad options", async () => {
    const before = activeResourceCounts();
    await expect(
      messageCounter({ modes: ["messages"], increments: { messages: 2_000_000 }, timeLimitMs: 300 }),
    ).rejects.toBeInstanceOf(RealTimeoutError);
    expect(liveRealResources().workers).toBe(0);
    await expectNoLeaks(before);
    await expect(messageCounter({ modes: ["shared" as never] })).rejects.toThrow(/batched/);
    await expect(messageCounter({ workers: 0 })).rejects.toBeInstanceOf(RealInputError);
  });

  it("messageCounter's time limit holds inside the counting workers: an overrun is an error, promptly", async () => {
    const before = activeResourceCounts();
    const t0 = performance.now();
    const run = messageCounter({
      modes: ["atomics"],
      increments: { atomics: 100_000_000 },
      repeats: 20,
      timeLimitMs: 300,
    });
    await expect(run).rejects.toBeInstanceOf(RealTimeoutError);
    expect(performance.now() - t0).toBeLessThan(5000); // 20 x 1e8 atomic adds would take far longer
    await expectNoLeaks(before);
  });
});
