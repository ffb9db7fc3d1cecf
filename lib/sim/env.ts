/**
 * The environment: a simulated clock (ticks) and one heap of events (4-ary: half the levels of a binary heap) ordered
 * by (time, priority, sequence),
 * so events at the same time run in a fixed, reproducible order. `step()` pops one event, moves the clock, and
 * runs what waits for it. Nothing here reads the real clock.
 *
 * Runs of events with the same (time, priority) share one heap entry: a chain in sequence order, linked through
 * `_next`, whose first event sits in the heap. A cache of 256 slots, hashed on (time, priority), holds the last
 * event of recent chains; an event whose key's last event is there is appended behind it in O(1) instead of sifted
 * through the heap (many processes ticking at a few periods schedule most events at a handful of times). A new
 * chain takes its slot once the heap has 8 entries (below that a sift is cheap). The order stays exactly
 * (time, priority, sequence):
 * - a waiting event in a slot is the newest event of its key: the next event of that key is appended behind it and
 *   takes the slot, and an event that has left its slot never returns to one. So an event only ever joins a chain
 *   right behind its predecessor in the order, and each chain is a contiguous run of its key's events;
 * - so when a chain's head has been processed, its successor is the smallest event left (everything else in the
 *   heap was already larger than the head, and the later events of its key are behind it) and takes the root
 *   without a sift.
 */

import { checkOptions, describeValue, optInt } from "../errors/validate";
import { type AnyOfValue, allOf, anyOf } from "./condition";
import { SimInputError } from "./errors";
import { LATE, NORMAL, SimEvent, type SimGenerator, SimProcess, URGENT, unhandledFailure } from "./events";
import { SimResource } from "./resource";

/** Priority weight in the combined order key: priorities are small whole numbers, sequences stay below 2^44. */
const ORD_PRIO = 2 ** 44;
/** Slots of the chain cache (a power of two). */
const CACHE_SLOTS = 256;
/** Heap entries from which a new chain takes its cache slot. */
const CACHE_FROM = 8;

/** Most events one `env.run()` processes unless told otherwise (a few seconds of simulation work). */
export const DEFAULT_MAX_EVENTS = 5_000_000;

export class SimEnvironment {
  /** Current simulated time (ticks). */
  now: number;
  /** Number of events processed so far. */
  eventsProcessed = 0;
  private heap: SimEvent<any>[] = [];
  private seq = 0;
  private hole = false;
  /** Events waiting (in the heap or in a chain). */
  private count = 0;
  /** Chain cache, slot = hash of (time, priority): the last event of a chain whose key hashes there, or null. */
  private cache: (SimEvent<any> | null)[] = Array.from({ length: CACHE_SLOTS }, () => null);
  private processCount = 0;

  /** A fresh clock starting at `initialTime` ticks (default 0). */
  constructor(initialTime = 0) {
    if (!Number.isFinite(initialTime))
      throw new SimInputError(
        `Expected \`initialTime\` to be a finite number of ticks, got ${initialTime}: pass 0 or another finite time.`,
      );
    this.now = initialTime;
  }

  /** A pending event you trigger yourself with `succeed(value)` or `fail(error)`. */
  event<T = unknown>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that happens `delay` ticks from now (delay ≥ 0) carrying `value`. */
  timeout<T = undefined>(delay: number, value?: T): SimEvent<T> {
    if (!(delay >= 0) || delay === Infinity)
      throw new SimInputError(
        `Expected \`delay\` to be a finite number of ticks ≥ 0, got ${delay}: pass a non-negative, finite delay.`,
      );
    const ev = new SimEvent<T>(this);
    ev._value = value;
    ev._state = 1;
    this.push(ev, this.now + delay, NORMAL);
    return ev;
  }

  /** Start a process from a generator (call your `function*` first: `env.process(worker(env))`). */
  process<R>(gen: SimGenerator<R>, name?: string): SimProcess<R> {
    return new SimProcess<R>(this, gen, name ?? `process-${this.processCount++}`);
  }

  /** An event that triggers when all `events` have; its value is their values, in order. */
  allOf(events: readonly SimEvent<any>[]): SimEvent<unknown[]> {
    return allOf(this, events);
  }

  /** An event that triggers when the first of `events` has; its value is `{ index, value }` of that one. */
  anyOf(events: readonly SimEvent<any>[]): SimEvent<AnyOfValue> {
    return anyOf(this, events);
  }

  /** A resource with `capacity` slots (cores, devices) and a FIFO queue of requests. */
  resource(capacity = 1, name = "resource"): SimResource {
    return new SimResource(this, capacity, name);
  }

  /** Put a triggered event into the heap `delay` ticks from now; lower priority runs first at equal times. */
  schedule(ev: SimEvent<any>, delay = 0, priority = NORMAL): void {
    if (!(delay >= 0) || delay === Infinity)
      throw new SimInputError(
        `Expected \`delay\` to be a finite number of ticks ≥ 0, got ${delay}: pass a non-negative, finite delay.`,
      );
    if (
      priority !== URGENT &&
      priority !== NORMAL &&
      priority !== LATE &&
      !(Number.isInteger(priority) && priority >= 0 && priority < 256)
    )
      throw new SimInputError(
        `Expected \`priority\` to be a whole number from 0 to 255 (URGENT=0, NORMAL=1, LATE=2), got ${priority}.`,
      );
    ev._state = 1;
    this.push(ev, this.now + delay, priority);
  }

  /** Time (ticks) of the next event, or Infinity when none is left. */
  peek(): number {
    const h = this.heap;
    if (this.hole) {
      // The root is the processed event: the next one is the earliest of its (up to four) children.
      let best = Infinity;
      for (let k = 1; k < 5 && k < h.length; k++) if (h[k]._time < best) best = h[k]._time;
      return best;
    }
    return h.length > 0 ? h[0]._time : Infinity;
  }

  /** Number of events waiting in the heap. */
  get pending(): number {
    return this.count;
  }

  /** Process the next event. Throws if it failed and nobody handled the failure. */
  step(): void {
    const h = this.heap;
    if (h.length === 0)
      throw new SimInputError("No events left to process: check env.peek() !== Infinity before calling step().");
    // The next event of the root's chain takes the root at once (it is the smallest left). Without one, the
    // processed event stays at the root as a "hole" until its waiters ran: the first event they put into the heap
    // replaces it with one sift-down instead of a pop plus a push (most steps schedule exactly one event).
    const ev = h[0];
    const next = ev._next;
    if (next !== null) {
      ev._next = null;
      h[0] = next;
    } else this.hole = true;
    this.now = ev._time;
    ev._state = 2;
    this.count--;
    this.eventsProcessed++;
    try {
      const w = ev._waiter;
      if (w !== null) {
        ev._waiter = null;
        w._resume(ev);
      }
      const cbs = ev.callbacks;
      if (cbs !== null) {
        ev.callbacks = null;
        for (let i = 0; i < cbs.length; i++) cbs[i](ev);
      }
    } finally {
      if (this.hole) {
        this.hole = false;
        this.pop();
      }
    }
    if (!ev._ok && !ev.defused) throw unhandledFailure(ev, this.now);
  }

  /**
   * Run the simulation: until no events are left (no argument), until time `until` (ticks; events at exactly that
   * time are not processed), or until an event is processed (returns its value, throws its error).
   */
  run(until?: number | SimEvent<any>, options: { maxEvents?: number } = {}): unknown {
    const o = checkOptions<{ maxEvents: number }>(SimInputError, "run's options", options, ["maxEvents"]);
    const maxEvents = optInt(SimInputError, "`maxEvents`", o.maxEvents, DEFAULT_MAX_EVENTS, 1, 1e9);
    let events = 0;
    const step = () => {
      if (++events > maxEvents)
        throw new SimInputError(
          `env.run() processed more than maxEvents = ${maxEvents.toLocaleString("en-US")} events (t = ${this.now}): ` +
            `a process that never ends, or a very long simulation. Pass an \`until\` time, fix the endless ` +
            `process, or raise the option: env.run(until, { maxEvents: ${Math.min(1e9, maxEvents * 10)} }).`,
        );
      this.step();
    };
    if (until === undefined) {
      while (this.heap.length > 0) step();
      return undefined;
    }
    if (typeof until === "number") {
      if (!(until >= this.now))
        throw new SimInputError(`Expected \`until\` ≥ the current time ${this.now}, got ${until}: pass a later time.`);
      while (this.heap.length > 0 && this.heap[0]._time < until) step();
      if (until !== Infinity) this.now = until;
      return undefined;
    }
    if (!(until instanceof SimEvent))
      throw new SimInputError(`Expected \`until\` to be a number of ticks or an event, got ${describeValue(until)}.`);
    while (until._state !== 2) {
      if (this.heap.length === 0)
        throw new SimInputError(
          `The simulation ran out of events at t=${this.now} before the awaited event happened: something it depends on never triggers (a process waiting forever?).`,
        );
      step();
    }
    if (!until._ok) {
      until.defused = true;
      throw until._value;
    }
    return until._value;
  }

  // ---- 4-ary heap of chains, ordered by (time, priority, sequence) of their heads ----
  /** Schedule the triggered event `ev` at time `t` with priority `prio` (the next sequence number). */
  private push(ev: SimEvent<any>, t: number, prio: number): void {
    const base = prio * ORD_PRIO;
    ev._time = t;
    ev._ord = base + this.seq++;
    if (this.count++ > 0) {
      // Other events wait: `ev` joins the chain of its key if the cache names one (then it is the newest).
      const s = (((t * 16) | 0) ^ prio) & (CACHE_SLOTS - 1);
      const tail = this.cache[s];
      if (tail !== null && tail._state === 1 && tail._time === t && tail._ord >= base && tail._ord < base + ORD_PRIO) {
        tail._next = ev;
        this.cache[s] = ev;
        return;
      }
      // The slot holds no waiting event of this key, so remembering the new chain is optional: skip it while the
      // heap is small (a sift costs little there, the store more).
      if (this.heap.length >= CACHE_FROM) this.cache[s] = ev;
    }
    this.insert(ev);
  }

  /** Put `ev` into the heap as the head of a new chain. */
  private insert(ev: SimEvent<any>): void {
    const t = ev._time;
    const h = this.heap;
    if (this.hole) {
      this.hole = false;
      this.siftDown(ev, h.length);
      return;
    }
    let i = h.length;
    h.push(ev);
    const o = ev._ord;
    while (i > 0) {
      const j = (i - 1) >> 2;
      const q = h[j];
      if (q._time < t || (q._time === t && q._ord < o)) break;
      h[i] = q;
      i = j;
    }
    h[i] = ev;
  }

  private pop(): SimEvent<any> | undefined {
    const h = this.heap;
    const n = h.length;
    if (n === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (n > 1) this.siftDown(last, n - 1);
    return top;
  }

  /** Put `ev` at the root of the first `m` slots and move it down to its place (4-ary heap: half the levels). */
  private siftDown(ev: SimEvent<any>, m: number): void {
    const h = this.heap;
    const t = ev._time,
      o = ev._ord;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= m) break;
      let c = first;
      let a = h[first];
      const last = Math.min(first + 4, m);
      for (let k = first + 1; k < last; k++) {
        const b = h[k];
        if (b._time < a._time || (b._time === a._time && b._ord < a._ord)) {
          c = k;
          a = b;
        }
      }
      if (t < a._time || (t === a._time && o < a._ord)) break;
      h[i] = a;
      i = c;
    }
    h[i] = ev;
  }
}
