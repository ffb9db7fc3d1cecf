/**
 * Everything an experiment starts (workers, child processes, servers, sockets, timers) is registered in a
 * `RealResources` tracker and closed in `finally`, whether the experiment succeeds, throws, times out or is aborted.
 */

import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import type * as http from "node:http";
import type { Socket } from "node:net";
import * as vm from "node:vm";
import { isMainThread, Worker, type WorkerOptions } from "node:worker_threads";
import { checkNumber, RealAbortError, RealInterruptError, RealRunError, RealTimeoutError } from "./errors";
import { deliverInterrupt, watchInterrupts } from "./interrupt";

/** Live resources of all trackers, counted: `liveRealResources()` should be all zeros between experiments. */
export interface RealResourceCounts {
  workers: number;
  children: number;
  servers: number;
  sockets: number;
  timers: number;
}

// Module state (no side effect at import): the live resources of every tracker, for leak checks.
const LIVE = {
  workers: new Set<Worker>(),
  children: new Set<ChildProcess>(),
  servers: new Set<http.Server>(),
  sockets: new Set<Socket>(),
  timers: new Set<NodeJS.Timeout>(),
};

/** Counts of workers, child processes, servers, server sockets and timers still alive across all experiments. */
export function liveRealResources(): RealResourceCounts {
  return {
    workers: LIVE.workers.size,
    children: LIVE.children.size,
    servers: LIVE.servers.size,
    sockets: LIVE.sockets.size,
    timers: LIVE.timers.size,
  };
}

// runSync's script: it calls the function stored under this key, so that vm's timeout and breakOnSigint cover it.
const SYNC_KEY = Symbol.for("cbe.real.runSync");
let syncScript: vm.Script | undefined;

/**
 * Tracks what one experiment starts and closes all of it in `closeAll()`; refuses new resources once closed.
 * Under `runBounded` it also knows the experiment's deadline: long loops call `check()` (or `breathe()` in async
 * code), synchronous phases run through `runSync`, and workers and child processes get `stopAtEpochMs()`.
 */
export class RealResources {
  readonly label: string;
  private closedBy: Error | null = null;
  /** performance.now() at which the time limit passes (Infinity: a tracker made outside runBounded). */
  private deadline = Infinity;
  private limitMs = Infinity;
  private lastBreath = performance.now();
  private breath: Promise<void> | null = null;
  private lateError: RealTimeoutError | null = null;
  private workers = new Set<Worker>();
  private children = new Set<ChildProcess>();
  private servers = new Set<http.Server>();
  private sockets = new Set<Socket>();
  private timers = new Set<NodeJS.Timeout>();
  private cleanups: (() => void | Promise<void>)[] = [];

  constructor(label: string) {
    this.label = label;
  }

  /** True once `closeAll()` has run: pending work should stop. */
  get closed(): boolean {
    return this.closedBy !== null;
  }

  private guard(): void {
    if (this.closedBy) throw this.closedBy;
  }

  /** @internal runBounded: the time limit starts now. */
  startLimit(limitMs: number): void {
    this.limitMs = limitMs;
    this.deadline = performance.now() + limitMs;
  }

  /** The error of an experiment past its time limit. */
  timeoutError(): RealTimeoutError {
    return new RealTimeoutError(this.label, this.limitMs);
  }

  /** True once the time limit has passed (never for a tracker made outside runBounded). */
  get late(): boolean {
    return performance.now() >= this.deadline;
  }

  /** Milliseconds left before the time limit (Infinity without one; 0 once it passed). */
  remainingMs(): number {
    return Math.max(0, this.deadline - performance.now());
  }

  /**
   * The moment the time limit passes, in ms since the epoch (`performance.timeOrigin + performance.now()` in any
   * thread or process of this machine): workers and child processes stop by themselves then. Infinity without one.
   */
  stopAtEpochMs(): number {
    return performance.timeOrigin + this.deadline;
  }

  /**
   * Throws when the experiment must stop: the error that stopped it (time limit, abort, interrupt) or, past the
   * deadline, a RealTimeoutError. Call it inside long loops on the main thread.
   */
  check(): void {
    if (this.closedBy) throw this.closedBy;
    // one error for every loop that looks (thousands of async tasks may each throw it)
    if (performance.now() >= this.deadline) throw (this.lateError ??= this.timeoutError());
  }

  /**
   * `check()`, then true when the event loop has had no turn from `breathe` for 20 ms: for loops that must not await
   * anything extra unless needed (`if (res.breathDue()) await res.breathe();`).
   */
  breathDue(): boolean {
    this.check();
    return performance.now() - this.lastBreath >= 20;
  }

  /**
   * In a long async loop: at most every 20 ms, waits for one turn of the event loop, so that timers and a SIGINT
   * listener (Kernel → Interrupt) can run even when the loop only ever awaits promises; then `check()`.
   */
  async breathe(): Promise<void> {
    if (performance.now() - this.lastBreath >= 20) {
      // One turn for everyone: concurrent tasks that breathe at the same time share it (one setImmediate each would
      // let every task run its next 20 ms in the same turn, one after the other, before timers could run).
      this.breath ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          this.breath = null;
          this.lastBreath = performance.now();
          resolve();
        }),
      );
      await this.breath;
    }
    this.check();
  }

  /**
   * Runs synchronous work (a busy loop on this thread) so that it can be stopped in the middle: by the time limit
   * (vm's `timeout`: RealTimeoutError) and by Kernel → Interrupt or Ctrl+C (vm's `breakOnSigint`:
   * RealInterruptError), which no event listener could do while the thread is busy. Costs about 0.1–0.3 ms per call
   * (vm starts its watchdog threads): wrap whole loops, not single calls, and time inside `fn`.
   */
  runSync<T>(fn: () => T): T {
    this.check();
    syncScript ??= new vm.Script(`globalThis[Symbol.for("cbe.real.runSync")]()`, { filename: "lib/real/runSync" });
    const g = globalThis as unknown as Record<symbol, (() => T) | undefined>;
    const outer = g[SYNC_KEY];
    g[SYNC_KEY] = fn;
    const left = this.deadline - performance.now();
    const options: vm.RunningScriptOptions = { breakOnSigint: isMainThread };
    if (Number.isFinite(left)) options.timeout = Math.max(1, Math.ceil(left));
    try {
      return syncScript.runInThisContext(options) as T;
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw this.timeoutError();
      if (code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
        deliverInterrupt(); // the watchdog consumed the SIGINT: stop every experiment, and let tslab end the cell
        throw this.closedBy ?? new RealInterruptError(this.label);
      }
      throw e;
    } finally {
      g[SYNC_KEY] = outer;
    }
  }

  /** Starts a worker thread from a JavaScript file and tracks it until it exits. */
  worker(file: string, options?: WorkerOptions): Worker {
    this.guard();
    const w = new Worker(file, options);
    this.workers.add(w);
    LIVE.workers.add(w);
    w.once("exit", () => {
      this.workers.delete(w);
      LIVE.workers.delete(w);
    });
    return w;
  }

  /** Spawns a child process and tracks it until it exits. */
  child(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    this.guard();
    const c = spawn(command, args, options);
    this.children.add(c);
    LIVE.children.add(c);
    const forget = () => {
      this.children.delete(c);
      LIVE.children.delete(c);
    };
    c.once("exit", forget);
    c.once("error", forget);
    return c;
  }

  /** Tracks an HTTP server and its connections; `closeAll` closes it and destroys the connections. */
  server(server: http.Server): http.Server {
    this.guard();
    this.servers.add(server);
    LIVE.servers.add(server);
    server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      LIVE.sockets.add(s);
      s.once("close", () => {
        this.sockets.delete(s);
        LIVE.sockets.delete(s);
      });
    });
    server.once("close", () => {
      this.servers.delete(server);
      LIVE.servers.delete(server);
    });
    return server;
  }

  /** A tracked one-shot timer (ms); cleared by `closeAll`. */
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout {
    this.guard();
    const t = setTimeout(() => {
      this.timers.delete(t);
      LIVE.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    LIVE.timers.add(t);
    return t;
  }

  /** A tracked repeating timer (ms); cleared by `closeAll` or `clearTimer`. */
  setInterval(fn: () => void, ms: number): NodeJS.Timeout {
    this.guard();
    const t = setInterval(fn, ms);
    this.timers.add(t);
    LIVE.timers.add(t);
    return t;
  }

  /** Clears a tracked timer early. */
  clearTimer(t: NodeJS.Timeout): void {
    clearTimeout(t);
    this.timers.delete(t);
    LIVE.timers.delete(t);
  }

  /** Resolves after `ms` milliseconds (a tracked timer). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Registers extra clean-up (e.g. destroying an http.Agent), run by `closeAll`. */
  onClose(fn: () => void | Promise<void>): void {
    this.guard();
    this.cleanups.push(fn);
  }

  /** Number of live workers, children, servers, sockets and timers of this tracker. */
  counts(): RealResourceCounts {
    return {
      workers: this.workers.size,
      children: this.children.size,
      servers: this.servers.size,
      sockets: this.sockets.size,
      timers: this.timers.size,
    };
  }

  /** Closes everything: timers cleared, workers terminated, children killed, servers and sockets closed. */
  async closeAll(reason?: Error): Promise<void> {
    if (!this.closedBy) {
      this.closedBy =
        reason ??
        new RealRunError(
          `${this.label} is already finished and its resources were closed: start a new experiment to run more work.`,
        );
    }
    for (const t of this.timers) this.clearTimer(t);
    const waits: Promise<unknown>[] = [];
    for (const fn of this.cleanups.splice(0)) {
      waits.push(
        Promise.resolve()
          .then(fn)
          .catch(() => undefined),
      );
    }
    for (const w of this.workers) waits.push(w.terminate().catch(() => undefined));
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null) {
        waits.push(
          new Promise((r) => {
            c.once("exit", r);
            c.kill("SIGKILL");
          }),
        );
      } else {
        this.children.delete(c);
        LIVE.children.delete(c);
      }
    }
    for (const s of this.servers) {
      waits.push(new Promise((r) => s.close(() => r(undefined))));
      if (typeof s.closeAllConnections === "function") s.closeAllConnections();
    }
    for (const s of this.sockets) s.destroy();
    await Promise.all(waits);
    // Socket 'close' events and handle teardown arrive on later ticks; wait (bounded) until they did.
    const hadServers = waits.length > 0;
    for (let i = 0; i < 50 && (i < 2 || this.sockets.size > 0 || this.workers.size > 0); i++) {
      await new Promise((r) => setImmediate(r));
    }
    if (hadServers) await new Promise((r) => setTimeout(r, 1));
  }
}

/** Time limit and cancellation shared by every experiment's options. */
export interface RealLimits {
  /** Hard limit for the whole experiment, in ms; on expiry everything is cleaned up and RealTimeoutError is thrown. */
  timeLimitMs?: number;
  /** Aborting this signal stops the experiment (RealAbortError) and cleans up. */
  signal?: AbortSignal;
}

/**
 * Runs `body` with a fresh tracker under a hard time limit (ms); always closes what `body` started. The experiment
 * ends with RealTimeoutError when the limit passes (also when `body` finishes after it: an overrun is never a
 * result), RealAbortError when `limits.signal` aborts, and RealInterruptError on Kernel → Interrupt or Ctrl+C.
 */
export async function runBounded<T>(
  label: string,
  limits: RealLimits,
  defaultLimitMs: number,
  body: (res: RealResources) => Promise<T>,
): Promise<T> {
  const limitMs = checkNumber(
    "timeLimitMs",
    limits.timeLimitMs ?? defaultLimitMs,
    1,
    600_000,
    "pass a time limit in ms, e.g. 10000",
  );
  const res = new RealResources(label);
  res.startLimit(limitMs);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let unwatch: () => void = () => undefined;
  const signal = limits.signal;
  try {
    return await new Promise<T>((resolve, reject) => {
      let stopped = false;
      const stop = (e: Error) => {
        if (stopped) return;
        stopped = true;
        reject(e);
        void res.closeAll(e); // stop at once: pending waits on workers reject
      };
      timer = setTimeout(() => stop(res.timeoutError()), limitMs);
      unwatch = watchInterrupts(() => stop(new RealInterruptError(label)));
      if (signal) {
        if (signal.aborted) return stop(new RealAbortError(label));
        onAbort = () => stop(new RealAbortError(label));
        signal.addEventListener("abort", onAbort, { once: true });
      }
      let run: Promise<T>;
      try {
        run = body(res);
      } catch (e) {
        run = Promise.reject(e);
      }
      run.then(
        (value) => {
          if (stopped) return;
          if (res.late) return stop(res.timeoutError()); // finished, but after its limit: an overrun, not a result
          stopped = true;
          resolve(value);
        },
        (e: unknown) => {
          if (stopped) return;
          // a worker or child that stopped itself at the deadline (its clock may differ by a millisecond)
          if (res.remainingMs() <= 5) return stop(res.timeoutError());
          // A child process killed by the same SIGINT (Jupyter signals the kernel's whole process group) can fail
          // the body before the interrupt listener ran: give pending signal listeners one turn of the loop first.
          setImmediate(() => stop(e instanceof Error ? e : new RealRunError(`${label} failed: ${String(e)}`)));
        },
      );
    });
  } finally {
    if (timer) clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener("abort", onAbort);
    await res.closeAll();
    unwatch();
  }
}
