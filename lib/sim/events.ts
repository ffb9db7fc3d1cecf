/**
 * Events and processes, shaped like SimPy: everything a process can wait for is a `SimEvent`;
 * a `SimProcess` wraps a generator and is itself an event, so one process can wait for another.
 * An event is pending, then triggered (it sits in the environment's heap), then processed (its waiters ran).
 */
import type { SimEnvironment } from "./env";
import { SimEventError, SimInputError, SimInterrupt, SimProcessError } from "./errors";

/** Heap priority of events at the same time: URGENT before NORMAL before LATE (lower runs first). */
export const URGENT = 0;
export const NORMAL = 1;
export const LATE = 2;

export type SimCallback = (event: SimEvent<any>) => void;

/** What a process generator looks like: it yields events and is resumed with their values. */
export type SimGenerator<R = unknown> = Generator<SimEvent<any>, R, any>;

const PENDING = 0;
const _TRIGGERED = 1;
const PROCESSED = 2;

/** Something that happens at one simulated time (ticks); processes `yield` it to wait for it. */
export class SimEvent<T = unknown> {
  readonly env: SimEnvironment;
  /** @internal heap key: time (ticks), then `_ord` = priority × 2^44 + insertion sequence. */
  _time = 0;
  _ord = 0;
  /** @internal the next event of its chain: same (time, priority), next in sequence (see env.ts). */
  _next: SimEvent<any> | null = null;
  /** @internal 0 pending, 1 triggered, 2 processed. */
  _state = PENDING;
  _ok = true;
  _value: any = undefined;
  /** @internal fast path: the one process waiting (most events have exactly one). */
  _waiter: SimProcess<any> | null = null;
  /** Functions run when the event is processed, in the order they were added (after `_waiter`). */
  callbacks: SimCallback[] | null = null;
  /** Set when someone handled this event's failure; an unhandled failure stops `env.run` with an error. */
  defused = false;

  constructor(env: SimEnvironment) {
    this.env = env;
  }

  /** True once the event has a value and is scheduled (or already processed). */
  get triggered(): boolean {
    return this._state !== PENDING;
  }
  /** True once its waiters have run. */
  get processed(): boolean {
    return this._state === PROCESSED;
  }
  /** False if the event failed. */
  get ok(): boolean {
    return this._ok;
  }
  /** The value (or, for a failed event, the error). */
  get value(): T {
    if (this._state === PENDING)
      throw new SimInputError(
        "This event has no value yet: wait for it (`yield event`) or check `event.triggered` first.",
      );
    return this._value;
  }

  /** Trigger with a value, `delay` ticks from now (default 0). */
  succeed(value?: T, delay = 0, priority = NORMAL): this {
    if (this._state !== PENDING)
      throw new SimInputError(
        "This event was already triggered: create a new event with env.event() instead of triggering one twice.",
      );
    this._ok = true;
    this._value = value;
    this.env.schedule(this, delay, priority);
    return this;
  }

  /** Trigger as failed: waiting processes get `error` thrown at their `yield`. */
  fail(error: unknown, delay = 0, priority = NORMAL): this {
    if (this._state !== PENDING)
      throw new SimInputError(
        "This event was already triggered: create a new event with env.event() instead of failing one twice.",
      );
    this._ok = false;
    this._value = error;
    this.env.schedule(this, delay, priority);
    return this;
  }

  /** Run `fn(event)` when the event is processed (immediately-next if it already was: scheduled at now). */
  addCallback(fn: SimCallback): void {
    if (this._state === PROCESSED) {
      const relay = new SimEvent<T>(this.env);
      relay._ok = this._ok;
      relay._value = this._value;
      relay.defused = true;
      relay.callbacks = [() => fn(this)];
      this.env.schedule(relay, 0, URGENT);
      return;
    }
    if (this.callbacks === null) this.callbacks = [fn];
    else this.callbacks.push(fn);
  }

  /** @internal remove a waiting process (used by interrupts). */
  _detach(p: SimProcess<any>): void {
    if (this._waiter === p) this._waiter = null;
    else if (this.callbacks !== null) {
      const i = this.callbacks.findIndex((cb) => (cb as any)._proc === p);
      if (i >= 0) this.callbacks.splice(i, 1);
    }
  }
}

/** A running generator. As an event it triggers with the generator's return value, or fails with what it threw. */
export class SimProcess<R = unknown> extends SimEvent<R> {
  readonly name: string;
  private readonly gen: SimGenerator<R>;
  /** The event the process is waiting for (null while running or when finished). */
  target: SimEvent<any> | null = null;

  constructor(env: SimEnvironment, gen: SimGenerator<R>, name: string) {
    super(env);
    if (gen === null || typeof gen !== "object" || typeof (gen as any).next !== "function")
      throw new SimInputError(
        `Expected a generator for process "${name}", got ${String(gen)}: write \`function* body() { yield env.timeout(1); }\` and pass body() (with the parentheses).`,
      );
    this.name = name;
    this.gen = gen;
    const init = new SimEvent<undefined>(env);
    init._waiter = this;
    env.schedule(init, 0, URGENT);
    this.target = init;
  }

  /** True until the generator returns or throws. */
  get isAlive(): boolean {
    return this._state === PENDING;
  }

  /** Throw a `SimInterrupt(cause)` into the process at its current `yield`, now. */
  interrupt(cause?: unknown): void {
    if (this._state !== PENDING)
      throw new SimInputError(
        `Process "${this.name}" has already finished: only interrupt a live process (check process.isAlive).`,
      );
    if (this.target !== null) this.target._detach(this);
    const ev = new SimEvent<unknown>(this.env);
    ev._ok = false;
    ev._value = new SimInterrupt(cause);
    ev._waiter = this;
    this.target = ev;
    this.env.schedule(ev, 0, URGENT);
  }

  /** @internal resume the generator with the outcome of `ev`. */
  _resume(ev: SimEvent<any>): void {
    const env = this.env;
    const gen = this.gen;
    for (;;) {
      let res: IteratorResult<SimEvent<any>, R>;
      try {
        if (ev._ok) res = gen.next(ev._value);
        else {
          ev.defused = true;
          res = gen.throw(ev._value);
        }
      } catch (e) {
        this.target = null;
        this._ok = false;
        this._value = e;
        env.schedule(this, 0, NORMAL);
        return;
      }
      if (res.done === true) {
        this.target = null;
        this._ok = true;
        this._value = res.value;
        env.schedule(this, 0, NORMAL);
        return;
      }
      const next = res.value;
      if (!(next instanceof SimEvent) || next.env !== env) {
        // Throw the mistake into the generator at its yield, so it points at the right line.
        const bad = new SimEvent<unknown>(env);
        bad._ok = false;
        bad._value = new SimInputError(
          `Process "${this.name}" yielded ${next instanceof SimEvent ? "an event of another environment" : String(next)}: yield an event of the same environment (env.timeout(d), another process, env.allOf([...]), resource.request()).`,
        );
        ev = bad;
        continue;
      }
      if (next._state === PROCESSED) {
        ev = next;
        continue;
      }
      this.target = next;
      if (next._waiter === null && next.callbacks === null) next._waiter = this;
      else {
        const cb: SimCallback = (e) => this._resume(e);
        (cb as any)._proc = this;
        next.addCallback(cb);
      }
      return;
    }
  }
}

/** The error `env.run` throws for an event that failed and was never handled. */
export function unhandledFailure(ev: SimEvent<any>, time: number): Error {
  if (ev instanceof SimProcess) return new SimProcessError(ev.name, time, ev._value);
  const v = ev._value;
  return v instanceof Error ? v : new SimEventError(time, v);
}
