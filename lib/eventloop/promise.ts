/**
 * A promise of the model, following the ECMAScript rules step by step so that the order of
 * reactions equals V8's: a reaction is a microtask queued when the promise settles (or at `then`
 * if already settled); resolving with another promise costs two extra microtasks
 * (NewPromiseResolveThenableJob, then the inner `then`), exactly as in Node.
 */
import { EventLoopError } from "./types";

/** What a promise needs from the loop: a microtask queue and the running task's name. */
export interface LoopPromiseHost {
  enqueueMicrotask(label: string, task: string, run: () => void): void;
  currentTask(): string;
  newPromiseId(): number;
  /** Called when a promise rejects, and again when a handler is attached to a rejected promise. */
  trackRejection(p: LoopPromise<unknown>, handled: boolean): void;
}

type Handler = ((value: any) => unknown) | undefined;

interface Reaction {
  onFulfilled: Handler;
  onRejected: Handler;
  /** Promise returned by `then`, or null for `await` (which creates none). */
  derived: LoopPromise<unknown> | null;
  task: string;
  label: string;
}

/** A model promise: like a native Promise, but its reactions run on the model's microtask queue. */
export class LoopPromise<T = unknown> {
  state: "pending" | "fulfilled" | "rejected" = "pending";
  value: unknown = undefined;
  readonly id: number;
  private reactions: Reaction[] = [];
  private handled = false;

  /** Use the loop API (`resolved`, `newPromise`, `io`, `sleep`, ...) rather than this constructor. */
  constructor(
    readonly host: LoopPromiseHost,
    readonly label: string,
  ) {
    this.id = host.newPromiseId();
  }

  /** Like `Promise.prototype.then`: returns a new model promise. */
  // biome-ignore lint/suspicious/noThenProperty: this class models a promise; `then` is the point.
  then<U = unknown>(
    onFulfilled?: (value: T) => U | LoopPromise<U>,
    onRejected?: (reason: any) => U | LoopPromise<U>,
  ): LoopPromise<U> {
    const derived = new LoopPromise<U>(this.host, `${this.label}.then`);
    const name = onFulfilled?.name || onRejected?.name || "";
    addReaction(
      this,
      onFulfilled as Handler,
      onRejected as Handler,
      derived as LoopPromise<unknown>,
      name ? name : `then(${this.label})`,
    );
    return derived;
  }

  /** Like `Promise.prototype.catch`. */
  catch<U = unknown>(onRejected: (reason: any) => U | LoopPromise<U>): LoopPromise<T | U> {
    return this.then(undefined, onRejected) as LoopPromise<T | U>;
  }

  /** @internal */
  _react(r: Reaction): void {
    if (this.state === "pending") {
      this.reactions.push(r);
      return;
    }
    if (this.state === "rejected" && !this.handled) this.host.trackRejection(this, true);
    this.handled = true;
    enqueueReactionJob(this.host, r, this.state, this.value);
  }

  /** @internal */
  _settle(state: "fulfilled" | "rejected", value: unknown): void {
    if (this.state !== "pending") return;
    this.state = state;
    this.value = value;
    const rs = this.reactions;
    this.reactions = [];
    if (state === "rejected" && rs.length === 0) this.host.trackRejection(this, false);
    if (rs.length > 0) this.handled = true;
    for (const r of rs) enqueueReactionJob(this.host, r, state, value);
  }
}

/** PerformPromiseThen: register a reaction (used by `then` and by `await`). */
export function addReaction(
  p: LoopPromise<unknown>,
  onFulfilled: Handler,
  onRejected: Handler,
  derived: LoopPromise<unknown> | null,
  label: string,
): void {
  p._react({ onFulfilled, onRejected, derived, task: p.host.currentTask(), label });
}

function enqueueReactionJob(host: LoopPromiseHost, r: Reaction, state: "fulfilled" | "rejected", value: unknown): void {
  host.enqueueMicrotask(r.label, r.task, () => {
    const handler = state === "fulfilled" ? r.onFulfilled : r.onRejected;
    if (handler === undefined) {
      // Pass-through: the derived promise takes the same outcome.
      if (r.derived) {
        if (state === "fulfilled") resolvePromise(r.derived, value);
        else r.derived._settle("rejected", value);
      }
      return;
    }
    let result: unknown;
    try {
      result = handler(value);
    } catch (e) {
      if (isModelError(e)) throw e;
      if (r.derived) r.derived._settle("rejected", e);
      return;
    }
    if (r.derived) resolvePromise(r.derived, result);
  });
}

/** The promise resolve function: a model promise as the value costs a thenable job (two ticks in all). */
export function resolvePromise(p: LoopPromise<unknown>, value: unknown): void {
  if (p.state !== "pending") return;
  if (value === p) {
    p._settle("rejected", new TypeError("Chaining cycle detected for promise"));
    return;
  }
  if (value instanceof LoopPromise) {
    const inner = value;
    p.host.enqueueMicrotask(`resolve(${p.label} ← ${inner.label})`, p.host.currentTask(), () => {
      addReaction(
        inner,
        (v) => resolvePromise(p, v),
        (e) => p._settle("rejected", e),
        null,
        `adopt(${inner.label} → ${p.label})`,
      );
    });
    return;
  }
  p._settle("fulfilled", value);
}

/**
 * Resolving functions with the "already resolved" flag of the spec: the first call wins,
 * even if it resolved with a promise that has not settled yet.
 */
export function resolvingFunctions(p: LoopPromise<unknown>): {
  resolve: (v?: unknown) => void;
  reject: (e?: unknown) => void;
} {
  let done = false;
  return {
    resolve: (v?: unknown) => {
      if (done) return;
      done = true;
      resolvePromise(p, v);
    },
    reject: (e?: unknown) => {
      if (done) return;
      done = true;
      p._settle("rejected", e);
    },
  };
}

function isModelError(e: unknown): boolean {
  return e instanceof EventLoopError;
}
