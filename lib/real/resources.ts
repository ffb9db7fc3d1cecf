/**
 * Everything an experiment starts (workers, child processes, servers, sockets, timers) is registered in a
 * `RealResources` tracker and closed in `finally`, whether the experiment succeeds, throws, times out or is aborted.
 */

import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import type * as http from "node:http";
import type { Socket } from "node:net";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { checkNumber, RealAbortError, RealRunError, RealTimeoutError } from "./errors";

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

/** Tracks what one experiment starts and closes all of it in `closeAll()`; refuses new resources once closed. */
export class RealResources {
  readonly label: string;
  private closedBy: Error | null = null;
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

/** Runs `body` with a fresh tracker under a hard time limit (ms); always closes what `body` started. */
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
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const signal = limits.signal;
  try {
    return await new Promise<T>((resolve, reject) => {
      const stop = (e: Error) => {
        reject(e);
        void res.closeAll(e); // stop at once: pending waits on workers reject
      };
      timer = setTimeout(() => stop(new RealTimeoutError(label, limitMs)), limitMs);
      if (signal) {
        if (signal.aborted) return stop(new RealAbortError(label));
        onAbort = () => stop(new RealAbortError(label));
        signal.addEventListener("abort", onAbort, { once: true });
      }
      body(res).then(resolve, reject);
    });
  } finally {
    if (timer) clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener("abort", onAbort);
    await res.closeAll();
  }
}
