/**
 * A fast producer and a slow consumer joined by a queue, as an exact recurrence (times in ms, deterministic):
 *   the producer needs `produceMs` to make an item, then puts it; with a bounded queue (`capacity` B) item i can only
 *   go in once the consumer has taken item i − B (backpressure: the producer awaits space);
 *   the consumer takes the oldest item as soon as it is free and needs `consumeMs` for it.
 *   ready(i) = put(i−1) + produceMs      put(i) = max(ready(i), take(i − B))
 *   take(i) = max(put(i), take(i−1) + consumeMs)
 * Queue length at t = items put by t − items taken by t. Memory held = queue length × item size.
 */
import { checkOptions } from "../../errors/validate";
import { CoordInputError, wholeNumber } from "./errors";

/** Options of `queueModel`. */
export interface QueueModelOptions {
  /** ms the producer needs per item (default 1). */
  produceMs?: number;
  /** ms the consumer needs per item (default 4). */
  consumeMs?: number;
  /** Items the queue may hold (default Infinity: no backpressure). */
  capacity?: number;
  /** How long the producer runs, in ms (default 800): it puts no item after this time. */
  durationMs?: number;
  /** Size of one item in bytes, for the memory line (default 65,536: 8,192 numbers of 8 bytes). */
  itemBytes?: number;
}

/** Result of `queueModel`. */
export interface QueueModelRun {
  capacity: number;
  produceMs: number;
  consumeMs: number;
  durationMs: number;
  itemBytes: number;
  /** Put time of every item (ms). */
  puts: number[];
  /** Take time of every item taken by durationMs (ms). */
  takes: number[];
  /** Queue length after each change: [time (ms), items]. */
  queue: [number, number][];
  /** Largest queue length. */
  peakQueue: number;
  /** Queue length at durationMs. */
  finalQueue: number;
  /** Items put and taken by durationMs. */
  produced: number;
  consumed: number;
  /** Total time the producer spent waiting for space (ms). */
  producerWaitMs: number;
  /** Time of the producer's first wait for space (ms), or null if it never waited. */
  firstWaitAt: number | null;
}

function positive(name: string, v: unknown, max: number): number {
  if (typeof v !== "number" || !(v > 0) || v > max)
    throw new CoordInputError(
      `Expected \`${name}\` to be a number of ms above 0 and at most ${max}, got ${String(v)}.`,
    );
  return v;
}

/** Runs the producer–consumer recurrence up to `durationMs`. */
export function queueModel(options: QueueModelOptions = {}): QueueModelRun {
  if (options === null || typeof options !== "object")
    throw new CoordInputError("queueModel takes an options object, e.g. queueModel({ capacity: 16 }).");
  checkOptions(CoordInputError, "queueModel's options", options, [
    "produceMs",
    "consumeMs",
    "capacity",
    "durationMs",
    "itemBytes",
  ]);
  const p = positive("produceMs", options.produceMs ?? 1, 10_000);
  const c = positive("consumeMs", options.consumeMs ?? 4, 10_000);
  const T = positive("durationMs", options.durationMs ?? 800, 1e7);
  const B = wholeNumber("capacity", options.capacity ?? Infinity, 1, 1e7, true);
  const itemBytes = wholeNumber("itemBytes", options.itemBytes ?? 65_536, 1, 1e9);
  if (T / p > 2e6) throw new CoordInputError(`durationMs / produceMs is ${T / p}: keep it below 2,000,000 items.`);
  const puts: number[] = [];
  const takes: number[] = [];
  let waitMs = 0;
  let firstWaitAt: number | null = null;
  let lastTake = -Infinity;
  // take(i) needs only put(i) and take(i−1): compute it as soon as item i is in.
  for (let i = 0; ; i++) {
    const ready = (i === 0 ? 0 : puts[i - 1]) + p;
    if (ready > T) break;
    const room = B === Infinity || i < B ? ready : takes[i - B];
    const put = Math.max(ready, room);
    if (put > T) break;
    if (put > ready) {
      waitMs += put - ready;
      if (firstWaitAt === null) firstWaitAt = ready;
    }
    puts.push(put);
    const take = Math.max(put, i === 0 ? put : lastTake + c);
    takes.push(take);
    lastTake = take;
  }
  // Queue length: every put is +1, every take −1; at equal times takes first (a slot freed is refilled at once),
  // except an item taken the moment it is put, which never waits in the queue.
  const ev: [number, number][] = [];
  puts.forEach((t, i) => {
    if (takes[i] > t) {
      ev.push([t, 1]);
      if (takes[i] <= T) ev.push([takes[i], -1]);
    }
  });
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const queue: [number, number][] = [[0, 0]];
  let n = 0;
  let peak = 0;
  for (const [t, d] of ev) {
    n += d;
    peak = Math.max(peak, n);
    if (queue[queue.length - 1][0] === t) queue[queue.length - 1][1] = n;
    else queue.push([t, n]);
  }
  if (queue[queue.length - 1][0] < T) queue.push([T, n]);
  const consumed = takes.filter((t) => t <= T).length;
  return {
    capacity: B,
    produceMs: p,
    consumeMs: c,
    durationMs: T,
    itemBytes,
    puts,
    takes: takes.filter((t) => t <= T),
    queue,
    peakQueue: peak,
    finalQueue: n,
    produced: puts.length,
    consumed,
    producerWaitMs: waitMs,
    firstWaitAt,
  };
}
