/**
 * Backpressure on this machine: a fast producer and a slow consumer on one event loop, joined by a queue (the
 * algorithm of `AsyncQueue`, run in a fresh child process so that its heap holds nothing else).
 * Without a bound the queue — and the heap — grow for as long as the producer runs; with a bound the producer awaits
 * space and memory stays flat. Both sides are paced by the clock (item i is due at a fixed time, as in chapter 09's
 * model), so the rates do not depend on timer granularity. Plus Node streams' own form of it: `write()` returns false
 * once the buffer reaches `highWaterMark`, and 'drain' says when to go on.
 */

import { once } from "node:events";
import * as path from "node:path";
import { Writable } from "node:stream";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkNumber, checkOptions, RealInputError, RealRunError } from "./errors";
import { type RealLimits, runBounded } from "./resources";
import { childResult } from "./shared";

/**
 * A FIFO queue for async code. `put` resolves at once while fewer than `capacity` items are held (default Infinity:
 * never waits); otherwise it waits for space — that wait is the backpressure. `take` waits for an item.
 */
export class AsyncQueue<T> {
  readonly capacity: number;
  private items: T[] = [];
  private head = 0;
  private takers: ((item: T) => void)[] = [];
  private putters: (() => void)[] = [];

  constructor(capacity = Infinity) {
    if (capacity !== Infinity && !(Number.isInteger(capacity) && capacity >= 1))
      throw new RealInputError(`Expected \`capacity\` to be a whole number ≥ 1 or Infinity, got ${capacity}.`);
    this.capacity = capacity;
  }

  /** Items held now. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Time `put` spent waiting for space so far, in ms (the backpressure felt by producers). */
  waitedMs = 0;

  /** Adds `item`; waits first while the queue is full. Resolves true if it had to wait for space. */
  async put(item: T): Promise<boolean> {
    let waited = false;
    if (this.length >= this.capacity && this.takers.length === 0) {
      waited = true;
      const t0 = performance.now();
      while (this.length >= this.capacity && this.takers.length === 0) {
        await new Promise<void>((resolve) => this.putters.push(resolve));
      }
      this.waitedMs += performance.now() - t0;
    }
    const taker = this.takers.shift();
    if (taker)
      taker(item); // hand it straight to a waiting consumer: it never sits in the queue
    else this.items.push(item);
    return waited;
  }

  /** Removes and returns the oldest item; waits while the queue is empty. */
  take(): Promise<T> {
    if (this.length > 0) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as T; // let the garbage collector have it
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      this.putters.shift()?.(); // one slot is free: wake one waiting producer
      return Promise.resolve(item);
    }
    return new Promise<T>((resolve) => this.takers.push(resolve));
  }

  /** Consumers waiting in `take` now. */
  get waitingTakers(): number {
    return this.takers.length;
  }

  /** Drops every item held (the experiment's clean-up). */
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** Options of `backpressureExperiment`; the defaults take about 1 s (the two runs side by side). */
export interface BackpressureOptions extends RealLimits {
  /** Queue bounds to run, one child process each, two at a time; results in this order (default [16, Infinity]). */
  capacities?: number[];
  /** ms per item of the producer (default 1: 1,000 items/s). */
  produceMs?: number;
  /** ms per item of the consumer (default 4: 250 items/s). */
  consumeMs?: number;
  /** How long the producer runs, per run, in ms (default 800). */
  durationMs?: number;
  /** Numbers (8 bytes each) in one item, an array on the JS heap (default 8,192: 64 KiB). */
  itemNumbers?: number;
  /** Sampling period of queue length and heap, ms (default 20). */
  sampleMs?: number;
}

/** One sample: time since the run began (ms), items in the queue, heap used above the start (bytes). */
export interface BackpressureSample {
  t: number;
  queue: number;
  heapBytes: number;
}

/** One run of the experiment (one child process). */
export interface BackpressureRun {
  capacity: number;
  samples: BackpressureSample[];
  produced: number;
  consumed: number;
  peakQueue: number;
  /** Items still in the queue when the producer stopped. */
  finalQueue: number;
  /** Time the producer spent awaiting space (ms). */
  producerWaitMs: number;
  /**
   * Largest heap growth sampled (bytes). Heap used counts garbage until the collector frees it, so a sample can lie
   * above what the run keeps alive.
   */
  peakHeapBytes: number;
  /**
   * Heap still used after a full garbage collection when the producer stopped, above the start (bytes): what the
   * queue keeps alive. Null if the child could not collect on demand.
   */
  retainedBytes: number | null;
}

/** Result of `backpressureExperiment`. */
export interface BackpressureResult {
  produceMs: number;
  consumeMs: number;
  durationMs: number;
  itemBytes: number;
  runs: BackpressureRun[];
}

/**
 * Runs a fast producer and a slow consumer once per queue bound, each in a fresh `node --expose-gc` child process
 * (a clean heap: a full collection at the start and at the end), two children at a time; samples queue length and
 * heap used.
 */
export async function backpressureExperiment(options: BackpressureOptions = {}): Promise<BackpressureResult> {
  checkKnownOptions(RealInputError, "backpressureExperiment's options", options, [
    "capacities",
    "produceMs",
    "consumeMs",
    "durationMs",
    "itemNumbers",
    "sampleMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("backpressureExperiment", options);
  const capacities = options.capacities ?? [16, Infinity];
  if (!Array.isArray(capacities) || capacities.length === 0)
    throw new RealInputError("Expected `capacities` to list queue bounds, e.g. [16, Infinity].");
  capacities.forEach((c, i) => {
    if (c !== Infinity) checkInt(`capacities[${i}]`, c, 1, 100_000, "pass a whole number ≥ 1, or Infinity");
  });
  const o = {
    produceMs: checkNumber("produceMs", options.produceMs ?? 1, 0.05, 1000),
    consumeMs: checkNumber("consumeMs", options.consumeMs ?? 4, 0.05, 1000),
    durationMs: checkNumber("durationMs", options.durationMs ?? 800, 10, 10_000),
    itemNumbers: checkInt("itemNumbers", options.itemNumbers ?? 8192, 1, 1_000_000),
    sampleMs: checkNumber("sampleMs", options.sampleMs ?? 20, 1, 1000),
  };
  if ((o.durationMs / o.produceMs) * o.itemNumbers * 8 > 512e6)
    throw new RealInputError(
      "This producer would make more than 512 MB of items without a bound: lower `durationMs` or `itemNumbers`, " +
        "or raise `produceMs`.",
    );
  // The runs are independent processes that mostly sleep (the producer's and the consumer's timetables), so they
  // run side by side, at most two at a time: the whole experiment takes about one run's time, not one per bound.
  const together = Math.min(2, capacities.length);
  const limit = Math.ceil(capacities.length / together) * (o.durationMs + 5000) + 5000;
  return runBounded("backpressureExperiment", options, limit, async (res) => {
    const script = path.join(__dirname, "workers", "backpressure.js");
    const oneRun = async (cap: number): Promise<BackpressureRun> => {
      const config = {
        ...o,
        capacity: cap === Infinity ? null : cap,
        timeoutMs: Math.min(o.durationMs + 10_000, res.remainingMs()),
      };
      const child = res.child(process.execPath, ["--expose-gc", script, JSON.stringify(config)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const { code, out, err } = await childResult(child);
      if (code !== 0)
        throw new RealRunError(
          `The producer–consumer child process failed (${code}: ${err.trim().split("\n")[0] || "no message"}): ` +
            "run it again with a shorter `durationMs`, and close other busy programs.",
        );
      const run = JSON.parse(out) as Omit<BackpressureRun, "capacity"> & { capacity: number | null };
      return { ...run, capacity: run.capacity ?? Infinity };
    };
    const runs: BackpressureRun[] = new Array(capacities.length);
    let next = 0;
    const lane = async () => {
      while (next < capacities.length) {
        const i = next++;
        runs[i] = await oneRun(capacities[i]);
      }
    };
    await Promise.all(Array.from({ length: together }, lane));
    return { ...o, itemBytes: o.itemNumbers * 8, runs };
  });
}

/** Options of `streamBackpressure`. */
export interface StreamBackpressureOptions extends RealLimits {
  /** Chunks the producer writes (default 20). */
  chunks?: number;
  /** The Writable's highWaterMark, in objects (objectMode; default 4). */
  highWaterMark?: number;
  /** How long the slow destination needs per chunk, ms (default 3). */
  writeMs?: number;
}

/** One way of writing: how many write() calls returned false, 'drain' events, the largest buffer, time. */
export interface StreamBackpressureRow {
  producer: "ignores write()" | "awaits 'drain'";
  falseReturns: number;
  drains: number;
  /** Largest writable.writableLength seen right after a write (chunks buffered, the one being written included). */
  peakBuffered: number;
  totalMs: number;
}

/**
 * A Writable (objectMode) whose destination takes `writeMs` per chunk; a producer writes `chunks` chunks, once
 * ignoring write()'s return value and once awaiting 'drain' whenever it returned false.
 */
export async function streamBackpressure(options: StreamBackpressureOptions = {}): Promise<StreamBackpressureRow[]> {
  checkKnownOptions(RealInputError, "streamBackpressure's options", options, [
    "chunks",
    "highWaterMark",
    "writeMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("streamBackpressure", options);
  const chunks = checkInt("chunks", options.chunks ?? 20, 1, 10_000);
  const hwm = checkInt("highWaterMark", options.highWaterMark ?? 4, 1, 10_000);
  const writeMs = checkNumber("writeMs", options.writeMs ?? 3, 0, 1000);
  return runBounded("streamBackpressure", options, 10_000 + 2 * chunks * (writeMs + 5), async (res) => {
    const rows: StreamBackpressureRow[] = [];
    for (const mode of ["ignores write()", "awaits 'drain'"] as const) {
      const sink = new Writable({
        objectMode: true,
        highWaterMark: hwm,
        write(_chunk, _enc, done) {
          res.setTimeout(() => done(), writeMs);
        },
      });
      res.onClose(() => {
        sink.destroy();
      });
      let drains = 0;
      sink.on("drain", () => drains++);
      let falseReturns = 0;
      let peak = 0;
      const t0 = performance.now();
      for (let i = 0; i < chunks; i++) {
        const ok = sink.write({ i });
        peak = Math.max(peak, sink.writableLength);
        if (!ok) {
          falseReturns++;
          if (mode === "awaits 'drain'") await once(sink, "drain");
        }
      }
      sink.end();
      await once(sink, "finish");
      rows.push({ producer: mode, falseReturns, drains, peakBuffered: peak, totalMs: performance.now() - t0 });
    }
    return rows;
  });
}
