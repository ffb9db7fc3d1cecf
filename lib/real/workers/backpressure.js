"use strict";
// Child process of lib/real/backpressure.ts, started as `node --expose-gc backpressure.js '<config JSON>'`: one run
// of a fast producer and a slow consumer joined by a queue of `capacity` items (null: no bound), on a fresh heap.
// Both sides follow the model's timetable on the clock; every `sampleMs` it records the queue's length and the heap
// used above the start (after a full collection at the start: garbage from before does not count). When the
// producer stops it collects garbage fully once more and reports the heap still held: the memory the queue keeps
// alive. Prints one JSON line. The queue is the same algorithm as AsyncQueue in backpressure.ts.
const { performance } = require("node:perf_hooks");

const o = JSON.parse(process.argv[2]);
const gc = typeof global.gc === "function" ? global.gc : null;
const deadline = setTimeout(() => {
  process.stderr.write("backpressure child timed out\n");
  process.exit(3);
}, o.timeoutMs);

class Queue {
  constructor(capacity) {
    this.capacity = capacity ?? Infinity;
    this.items = [];
    this.head = 0;
    this.takers = [];
    this.putters = [];
    this.waitedMs = 0;
  }
  get length() {
    return this.items.length - this.head;
  }
  async put(item) {
    let waited = false;
    if (this.length >= this.capacity && this.takers.length === 0) {
      waited = true;
      const t0 = performance.now();
      while (this.length >= this.capacity && this.takers.length === 0) {
        await new Promise((resolve) => this.putters.push(resolve));
      }
      this.waitedMs += performance.now() - t0;
    }
    const taker = this.takers.shift();
    if (taker) taker(item);
    else this.items.push(item);
    return waited;
  }
  take() {
    if (this.length > 0) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      this.putters.shift()?.();
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.takers.push(resolve));
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const q = new Queue(o.capacity);
  if (gc) gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const until = async (t) => {
    const left = t - now();
    if (left > 0.5) await sleep(Math.max(1, Math.floor(left)));
    else await new Promise((r) => setImmediate(r)); // let the sampler and the consumer run between items
  };
  const samples = [];
  let peakQueue = 0;
  const sample = () => {
    peakQueue = Math.max(peakQueue, q.length);
    samples.push({ t: now(), queue: q.length, heapBytes: process.memoryUsage().heapUsed - heap0 });
  };
  sample();
  const sampler = setInterval(sample, o.sampleMs);
  let produced = 0;
  let consumed = 0;
  let stopped = false;
  let checksum = 0;
  const producer = (async () => {
    let due = o.produceMs;
    while (due <= o.durationMs && now() < o.durationMs) {
      await until(due);
      const item = new Array(o.itemNumbers); // exactly this many slots: no growth slack
      for (let j = 0; j < o.itemNumbers; j++) item[j] = produced + j * 0.5; // doubles: 8 bytes each
      const waited = await q.put(item);
      produced++;
      due = waited ? now() + o.produceMs : due + o.produceMs; // after a wait, the next item is due a period later
    }
    stopped = true;
    if (q.takers.length > 0) await q.put(null); // wake the consumer if it waits for an item that will not come
  })();
  const consumer = (async () => {
    let free = 0;
    while (!stopped) {
      const waitedForItem = q.length === 0; // an item in the queue is taken the moment the last one is done
      const item = await q.take();
      if (!item) break;
      free = (waitedForItem ? Math.max(now(), free) : free) + o.consumeMs;
      checksum += item[1];
      await until(free); // busy with this item until `free`
      consumed++;
    }
  })();
  await producer;
  sample();
  clearInterval(sampler);
  await consumer;
  let retainedBytes = null;
  if (gc) {
    gc();
    retainedBytes = process.memoryUsage().heapUsed - heap0; // the queue is still full here: what it keeps alive
  }
  const queued = q.length;
  q.items = [];
  clearTimeout(deadline);
  process.stdout.write(
    JSON.stringify({
      capacity: o.capacity ?? null,
      samples,
      produced,
      consumed: consumed + (checksum < 0 ? 1 : 0),
      peakQueue,
      finalQueue: queued,
      producerWaitMs: q.waitedMs,
      peakHeapBytes: Math.max(...samples.map((s) => s.heapBytes)),
      retainedBytes,
    }) + "\n",
  );
}

main().catch((e) => {
  process.stderr.write(String(e?.stack || e) + "\n");
  process.exit(2);
});
