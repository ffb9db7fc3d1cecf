/**
 * The functions a program body receives: Node's scheduling calls (setTimeout, setImmediate,
 * process.nextTick, queueMicrotask, promises), simulated work (cpu, blocking IO, awaited IO),
 * and async functions written as generators, where `yield x` plays the part of `await x`.
 */
import { checkMs, type LoopEngine } from "./engine";
import { addReaction, LoopPromise, resolvePromise, resolvingFunctions } from "./promise";
import { EventLoopError, EventLoopInputError } from "./types";

/** An async function body: a generator; `yield p` means `await p`, `return v` resolves the async call with v. */
export type LoopAsyncBody<T = unknown> = () => Generator<unknown, T, any>;

/** A FIFO async mutex: `yield m.lock()` ... `m.unlock()`. */
export interface LoopMutex {
  /** A promise fulfilled when the caller holds the lock (immediately if free). */
  lock(): LoopPromise<void>;
  /** Release; hands the lock to the longest waiter, if any. */
  unlock(): void;
  readonly locked: boolean;
  readonly label: string;
  /** The task holding the lock (null when free): with `waiting`, the mutex's part of a wait-for graph. */
  readonly holder: string | null;
  /** Tasks waiting for the lock, longest waiter first. */
  readonly waiting: readonly string[];
}

/** Everything a program body can call. All durations are simulated milliseconds. */
export interface LoopApi {
  /** Print a line (recorded with the simulated time and the task). */
  log(text: unknown): void;
  /** Synchronous CPU work: the thread is busy for `ms`, nothing else can run (a busy-wait sleep is this too). */
  cpu(ms: number): void;
  /** Synchronous (blocking) IO such as readFileSync: the thread is held, idle, for `ms`. */
  blockingIO(ms: number): void;
  /** Node's setTimeout: run `cb` after at least `ms` (a delay below 1 is 1, as in Node). Returns an id. */
  setTimeout(cb: () => void, ms?: number, label?: string): number;
  clearTimeout(id: number): void;
  /** Node's setInterval: every `ms`, counted from the start of the previous run. */
  setInterval(cb: () => void, ms: number, label?: string): number;
  clearInterval(id: number): void;
  /** Node's setImmediate: run `cb` in the next check phase. */
  setImmediate(cb: () => void, label?: string): number;
  clearImmediate(id: number): void;
  /** process.nextTick: runs before promise microtasks once the current callback returns. */
  nextTick(cb: () => void, label?: string): void;
  /** queueMicrotask: a microtask, in line with promise reactions. */
  queueMicrotask(cb: () => void, label?: string): void;
  /** Promise.resolve(value): a model promise is returned as is. */
  resolved<T>(value?: T, label?: string): LoopPromise<T>;
  /** Promise.reject(reason). */
  rejected(reason?: unknown, label?: string): LoopPromise<never>;
  /** new Promise(executor). */
  newPromise<T>(
    executor: (resolve: (value?: T | LoopPromise<T>) => void, reject: (reason?: unknown) => void) => void,
    label?: string,
  ): LoopPromise<T>;
  /** A promise that never settles (awaiting it leaves the task stuck). */
  never(label?: string): LoopPromise<never>;
  /** Promise.all. */
  all(promises: unknown[], label?: string): LoopPromise<unknown[]>;
  /**
   * An IO request (like fs.promises / fetch) that takes `ms`; its promise is fulfilled with `value` in the poll phase.
   */
  io<T>(ms: number, value?: T, label?: string): LoopPromise<T>;
  /** An IO request with a callback (like fs.readFile): `cb(value)` runs in the poll phase `ms` from now. */
  ioCallback<T>(ms: number, cb: (value: T | undefined) => void, value?: T, label?: string): void;
  /** `new Promise(r => setTimeout(r, ms))`: await it to sleep without blocking the loop. */
  sleep(ms: number, label?: string): LoopPromise<void>;
  /** `new Promise(r => setImmediate(r))`: await it to let timers and IO run, then continue. */
  yieldToLoop(label?: string): LoopPromise<void>;
  /**
   * Call an async function now. With a name, it is a separate task in the reports; without, it belongs to the caller's
   * task.
   */
  asyncFn<T>(nameOrBody: string | LoopAsyncBody<T>, body?: LoopAsyncBody<T>): LoopPromise<T>;
  /** Run `fn` now as task `name`: the callbacks it schedules belong to that task. */
  spawn(name: string, fn: () => void): void;
  /** A FIFO async mutex. */
  mutex(label?: string): LoopMutex;
  /** The simulated clock (ms). */
  now(): number;
}

function checkFn(f: unknown, what: string): void {
  if (typeof f !== "function")
    throw new EventLoopInputError(
      `Expected ${what} to be a function, got ${typeof f}: pass a callback such as () => log("x")`,
    );
}

function fnLabel(f: () => void, given: string | undefined, fallback: string): string {
  if (given !== undefined) return String(given);
  return f.name ? f.name : fallback;
}

/** Build the API bound to one engine. */
export function makeLoopApi(eng: LoopEngine): LoopApi {
  const counters = new Map<string, number>();
  const auto = (kind: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `${kind}#${n}`;
  };
  const newPromise = <T>(
    executor: (resolve: (v?: T | LoopPromise<T>) => void, reject: (e?: unknown) => void) => void,
    label?: string,
  ): LoopPromise<T> => {
    eng.step();
    checkFn(executor, "the executor of newPromise");
    const p = new LoopPromise<T>(eng, label ?? auto("promise"));
    const { resolve, reject } = resolvingFunctions(p as LoopPromise<unknown>);
    try {
      executor(resolve as (v?: T | LoopPromise<T>) => void, reject);
    } catch (e) {
      if (e instanceof EventLoopError) throw e;
      reject(e);
    }
    return p;
  };
  const addTimer = (cb: () => void, ms: unknown, label: string | undefined, repeat: boolean): number => {
    eng.step();
    checkFn(cb, repeat ? "the callback of setInterval" : "the callback of setTimeout");
    const d = checkMs(
      ms,
      repeat ? "the interval" : "the delay of setTimeout",
      "Node would quietly use 1 ms for a negative delay; the model asks for an explicit 0 or more",
    );
    return eng.addTimer(fnLabel(cb, label, auto(repeat ? "setInterval" : "setTimeout")), cb, d, repeat);
  };

  const api: LoopApi = {
    log(text) {
      eng.step();
      eng.log(String(text));
    },
    cpu(ms) {
      eng.step();
      eng.busy("run", checkMs(ms, "the duration of cpu()", "pass the CPU time in ms, e.g. cpu(5)"));
    },
    blockingIO(ms) {
      eng.step();
      eng.busy(
        "blockingIO",
        checkMs(ms, "the duration of blockingIO()", "pass the IO time in ms, e.g. blockingIO(100)"),
      );
    },
    setTimeout: (cb, ms = 0, label) => addTimer(cb, ms, label, false),
    setInterval: (cb, ms, label) => addTimer(cb, ms, label, true),
    clearTimeout: (id) => eng.clearTimer(id),
    clearInterval: (id) => eng.clearTimer(id),
    setImmediate(cb, label) {
      eng.step();
      checkFn(cb, "the callback of setImmediate");
      return eng.addImmediate(fnLabel(cb, label, auto("setImmediate")), cb);
    },
    clearImmediate: (id) => eng.clearImmediate(id),
    nextTick(cb, label) {
      eng.step();
      checkFn(cb, "the callback of nextTick");
      eng.addNextTick(fnLabel(cb, label, auto("nextTick")), cb);
    },
    queueMicrotask(cb, label) {
      eng.step();
      checkFn(cb, "the callback of queueMicrotask");
      eng.enqueueMicrotask(fnLabel(cb, label, auto("queueMicrotask")), eng.currentTask(), cb);
    },
    resolved<T>(value?: T, label?: string): LoopPromise<T> {
      eng.step();
      if (value instanceof LoopPromise) return value as LoopPromise<T>;
      const p = new LoopPromise<T>(eng, label ?? auto("resolved"));
      resolvePromise(p as LoopPromise<unknown>, value);
      return p;
    },
    rejected(reason, label) {
      eng.step();
      const p = new LoopPromise<never>(eng, label ?? auto("rejected"));
      p._settle("rejected", reason);
      return p;
    },
    newPromise,
    never: (label) => newPromise<never>(() => undefined, label ?? auto("never")),
    all(promises, label) {
      if (!Array.isArray(promises))
        throw new EventLoopInputError(
          `Expected all() to get an array of promises, got ${typeof promises}: pass [p1, p2, ...]`,
        );
      return newPromise<unknown[]>((resolve, reject) => {
        const values: unknown[] = new Array(promises.length);
        let remaining = 1;
        promises.forEach((q, i) => {
          remaining++;
          api.resolved(q).then((v) => {
            values[i] = v;
            if (--remaining === 0) resolve(values);
          }, reject);
        });
        if (--remaining === 0) resolve(values);
      }, label ?? auto("all"));
    },
    io<T>(ms: number, value?: T, label?: string): LoopPromise<T> {
      eng.step();
      const d = checkMs(ms, "the duration of io()", "pass the IO latency in ms, e.g. io(100)");
      const p = new LoopPromise<T>(eng, label ?? `${auto("io")}(${d} ms)`);
      eng.addIo(p.label, d, () => resolvePromise(p as LoopPromise<unknown>, value));
      return p;
    },
    ioCallback<T>(ms: number, cb: (value: T | undefined) => void, value?: T, label?: string): void {
      eng.step();
      checkFn(cb, "the callback of ioCallback");
      const d = checkMs(ms, "the duration of ioCallback()", "pass the IO latency in ms, e.g. ioCallback(100, cb)");
      eng.addIo(fnLabel(cb as () => void, label, `${auto("ioCallback")}(${d} ms)`), d, () => cb(value));
    },
    sleep(ms, label) {
      const l = label ?? `${auto("sleep")}(${ms} ms)`;
      return newPromise<void>((resolve) => {
        addTimer(() => resolve(), ms, `wake ${l}`, false);
      }, l);
    },
    yieldToLoop(label) {
      const l = label ?? auto("yieldToLoop");
      return newPromise<void>((resolve) => {
        api.setImmediate(() => resolve(), `wake ${l}`);
      }, l);
    },
    asyncFn<T>(nameOrBody: string | LoopAsyncBody<T>, body?: LoopAsyncBody<T>): LoopPromise<T> {
      eng.step();
      const named = typeof nameOrBody === "string";
      const fn = named ? body : nameOrBody;
      if (typeof fn !== "function") {
        throw new EventLoopInputError(
          `Expected asyncFn(name, function* () { ... }) or asyncFn(function* () { ... }), got a ${typeof fn} body: pass a generator function`,
        );
      }
      return runAsync(eng, named ? (nameOrBody as string) : eng.currentTask(), fn);
    },
    spawn(name, fn) {
      eng.step();
      checkFn(fn, "the body of spawn");
      const t = eng.rec.task(String(name), eng.now);
      if (t.firstRun === null) t.firstRun = eng.now;
      eng.withTask(String(name), fn);
      t.lastEnd = eng.now;
    },
    mutex(label) {
      const l = label ?? auto("mutex");
      let holder: string | null = null;
      const waiters: { task: string; wake: () => void }[] = [];
      return {
        label: l,
        get locked() {
          return holder !== null;
        },
        get holder() {
          return holder;
        },
        get waiting() {
          return waiters.map((w) => w.task);
        },
        lock() {
          const task = eng.currentTask();
          if (holder === null) {
            holder = task;
            return api.resolved<void>(undefined, `${l}.lock()`);
          }
          return newPromise<void>(
            (resolve) =>
              waiters.push({
                task,
                wake: () => {
                  holder = task;
                  resolve();
                },
              }),
            `wait for ${l}`,
          );
        },
        unlock() {
          eng.step();
          if (holder === null)
            throw new EventLoopInputError(
              `unlock() of ${l}, which is not locked: call lock() (and await it) before unlock(), once per lock`,
            );
          const next = waiters.shift();
          if (next) next.wake();
          else holder = null;
        },
      };
    },
    now: () => eng.now,
  };
  return api;
}

/** Run a generator as an async function of task `name`; returns its promise. */
function runAsync<T>(eng: LoopEngine, name: string, body: LoopAsyncBody<T>): LoopPromise<T> {
  const ts = eng.rec.task(name, eng.now, true);
  ts.running++;
  ts.settled = null;
  const p = eng.withTask(name, () => new LoopPromise<T>(eng, `${name}()`));
  const gen = eng.withTask(name, body);
  if (!gen || typeof (gen as Generator).next !== "function") {
    throw new EventLoopInputError(
      `asyncFn("${name}", ...) needs a generator function (function* () { ... yield io(10); ... }), got one that returned ${typeof gen}`,
    );
  }
  const finish = (failed: boolean) => {
    ts.awaiting = null;
    if (failed) ts.failed = true;
    if (--ts.running === 0) ts.settled = eng.now;
  };
  const step = (mode: "next" | "throw", arg: unknown): void => {
    if (ts.firstRun === null) ts.firstRun = eng.now;
    let r: IteratorResult<unknown, T>;
    try {
      r = eng.withTask(name, () => (mode === "next" ? gen.next(arg) : gen.throw(arg)));
    } catch (e) {
      if (e instanceof EventLoopError) throw e;
      finish(true);
      eng.withTask(name, () => p._settle("rejected", e));
      return;
    }
    if (r.done) {
      finish(false);
      eng.withTask(name, () => resolvePromise(p as LoopPromise<unknown>, r.value));
      return;
    }
    const v = r.value;
    if (v instanceof Promise) {
      throw new EventLoopInputError(
        `Task "${name}" awaited (yielded) a native Promise: the model cannot see it. Yield a model promise instead (io(ms), sleep(ms), resolved(x), newPromise(...)).`,
      );
    }
    eng.withTask(name, () => {
      const awaited = v instanceof LoopPromise ? v : fulfilledValue(eng, v);
      ts.awaiting = awaited.label;
      ts.awaitingSince = eng.now;
      addReaction(
        awaited as LoopPromise<unknown>,
        (x) => step("next", x),
        (e) => step("throw", e),
        null,
        `${name} resumes after ${awaited.label}`,
      );
    });
  };
  step("next", undefined);
  return p;
}

function fulfilledValue(eng: LoopEngine, v: unknown): LoopPromise<unknown> {
  const p = new LoopPromise<unknown>(eng, "value");
  p._settle("fulfilled", v);
  return p;
}
