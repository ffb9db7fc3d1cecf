/**
 * The environment: a simulated clock (ticks) and one binary heap of events ordered by (time, priority, sequence),
 * so events at the same time run in a fixed, reproducible order. `step()` pops one event, moves the clock, and
 * runs what waits for it. Nothing here reads the real clock.
 */
import { SimInputError } from "./errors";
import { LATE, NORMAL, SimEvent, SimProcess, URGENT, unhandledFailure, type SimGenerator } from "./events";
import { allOf, anyOf, type AnyOfValue } from "./condition";
import { SimResource } from "./resource";

export class SimEnvironment {
  /** Current simulated time (ticks). */
  now: number;
  /** Number of events processed so far. */
  eventsProcessed = 0;
  private heap: SimEvent<any>[] = [];
  private seq = 0;
  private processCount = 0;

  /** A fresh clock starting at `initialTime` ticks (default 0). */
  constructor(initialTime = 0) {
    if (!Number.isFinite(initialTime)) throw new SimInputError(`Expected \`initialTime\` to be a finite number of ticks, got ${initialTime}: pass 0 or another finite time.`);
    this.now = initialTime;
  }

  /** A pending event you trigger yourself with `succeed(value)` or `fail(error)`. */
  event<T = unknown>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that happens `delay` ticks from now (delay ≥ 0) carrying `value`. */
  timeout<T = undefined>(delay: number, value?: T): SimEvent<T> {
    if (!(delay >= 0) || delay === Infinity) throw new SimInputError(`Expected \`delay\` to be a finite number of ticks ≥ 0, got ${delay}: pass a non-negative, finite delay.`);
    const ev = new SimEvent<T>(this);
    ev._value = value;
    ev._state = 1;
    ev._time = this.now + delay;
    ev._prio = NORMAL;
    ev._seq = this.seq++;
    this.push(ev);
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
    if (!(delay >= 0) || delay === Infinity) throw new SimInputError(`Expected \`delay\` to be a finite number of ticks ≥ 0, got ${delay}: pass a non-negative, finite delay.`);
    if (priority !== URGENT && priority !== NORMAL && priority !== LATE && !Number.isFinite(priority))
      throw new SimInputError(`Expected \`priority\` to be a finite number (URGENT=0, NORMAL=1, LATE=2), got ${priority}.`);
    ev._state = 1;
    ev._time = this.now + delay;
    ev._prio = priority;
    ev._seq = this.seq++;
    this.push(ev);
  }

  /** Time (ticks) of the next event, or Infinity when none is left. */
  peek(): number {
    return this.heap.length > 0 ? this.heap[0]._time : Infinity;
  }

  /** Number of events waiting in the heap. */
  get pending(): number {
    return this.heap.length;
  }

  /** Process the next event. Throws if it failed and nobody handled the failure. */
  step(): void {
    const ev = this.pop();
    if (ev === undefined) throw new SimInputError("No events left to process: check env.peek() !== Infinity before calling step().");
    this.now = ev._time;
    ev._state = 2;
    this.eventsProcessed++;
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
    if (!ev._ok && !ev.defused) throw unhandledFailure(ev, this.now);
  }

  /**
   * Run the simulation: until no events are left (no argument), until time `until` (ticks; events at exactly that
   * time are not processed), or until an event is processed (returns its value, throws its error).
   */
  run(until?: number | SimEvent<any>): unknown {
    if (until === undefined) {
      while (this.heap.length > 0) this.step();
      return undefined;
    }
    if (typeof until === "number") {
      if (!(until >= this.now)) throw new SimInputError(`Expected \`until\` ≥ the current time ${this.now}, got ${until}: pass a later time.`);
      while (this.heap.length > 0 && this.heap[0]._time < until) this.step();
      if (until !== Infinity) this.now = until;
      return undefined;
    }
    if (!(until instanceof SimEvent)) throw new SimInputError(`Expected \`until\` to be a number of ticks or an event, got ${String(until)}.`);
    while (until._state !== 2) {
      if (this.heap.length === 0)
        throw new SimInputError(`The simulation ran out of events at t=${this.now} before the awaited event happened: something it depends on never triggers (a process waiting forever?).`);
      this.step();
    }
    if (!until._ok) {
      until.defused = true;
      throw until._value;
    }
    return until._value;
  }

  // ---- binary heap ordered by (time, priority, sequence) ----
  private push(ev: SimEvent<any>): void {
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    const t = ev._time, p = ev._prio, s = ev._seq;
    while (i > 0) {
      const j = (i - 1) >> 1;
      const q = h[j];
      if (q._time < t || (q._time === t && (q._prio < p || (q._prio === p && q._seq < s)))) break;
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
    if (n === 1) return top;
    const m = n - 1;
    const t = last._time, p = last._prio, s = last._seq;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      let a = h[c];
      const r = c + 1;
      if (r < m) {
        const b = h[r];
        if (b._time < a._time || (b._time === a._time && (b._prio < a._prio || (b._prio === a._prio && b._seq < a._seq)))) {
          c = r;
          a = b;
        }
      }
      if (t < a._time || (t === a._time && (p < a._prio || (p === a._prio && s < a._seq)))) break;
      h[i] = a;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
