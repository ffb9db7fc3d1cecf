/**
 * The loop guard: a learner's task that never reaches its next `await` (an infinite loop between two awaits) blocks
 * the only JavaScript thread, so nothing on that thread can stop it. A watchdog worker can: it watches a step token
 * in a SharedArrayBuffer and, when one step has run longer than `stepTimeoutMs`, asks V8 (through the inspector
 * protocol, `Runtime.terminateExecution`, the same command as the debugger's "stop" button) to terminate the
 * running JavaScript. V8 unwinds the loop, drops the pending microtasks and cancels the termination when that
 * outermost call ends; the worker then posts "fired" and the checker rejects with a named error.
 *
 * Limits, measured (test/asynccheck/limits.test.ts, and a tslab kernel): the error comes after stepTimeoutMs plus up
 * to one polling interval (≤ 50 ms) — 580-690 ms with the default 500 ms. Starting the worker costs 20-100 ms per
 * checkAsync call (npm run bench asynccheck). The guard needs the process's main thread (a notebook kernel, plain
 * node, a vitest fork); on a worker thread it is off, and an endless loop there hangs. Terminating drops the
 * microtasks pending at that moment (V8 clears the queue), so other promise work in flight in the same instant may
 * be lost; the checker itself resumes from a macrotask. If a step ends in the same instant the watchdog fires, the
 * checker spins until the termination lands on it (`sacrifice`) and reports the step as too long.
 */
import { isMainThread, Worker } from "node:worker_threads";
import { AsyncCheckError } from "./errors";

const WATCHDOG_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const inspector = require("node:inspector");
const a = new Int32Array(workerData.sab);
const limit = workerData.limitMs;
const session = new inspector.Session();
session.connectToMainThread();
parentPort.postMessage("ready");
let seen = 0, since = 0;
for (;;) {
  Atomics.wait(a, 1, 0, Math.max(5, Math.min(50, limit / 8)));
  if (Atomics.load(a, 1) !== 0) break;
  const t = Atomics.load(a, 0);
  const now = Date.now();
  if (t <= 0 || t !== seen) { seen = t; since = now; continue; }
  if (now - since >= limit && Atomics.compareExchange(a, 0, t, -1) === t) {
    session.post("Runtime.terminateExecution", () => parentPort.postMessage("fired"));
    break;
  }
}
session.disconnect();
`;

/** Arms and disarms the step token; `fired` once the watchdog stopped a step. */
export class LoopGuard {
  private readonly a: Int32Array;
  private readonly worker: Worker | null;
  private seq = 0;
  private onFired: () => void = () => {};
  readonly active: boolean;

  private constructor(a: Int32Array, worker: Worker | null) {
    this.a = a;
    this.worker = worker;
    this.active = worker !== null;
  }

  /** Starts the watchdog (waits until it is connected) or, off the main thread, an inactive guard. */
  static async start(limitMs: number): Promise<LoopGuard> {
    const a = new Int32Array(new SharedArrayBuffer(8));
    if (!isMainThread) return new LoopGuard(a, null);
    // execArgv: [] so the watchdog does not load what the parent was started with (ts-node: ~300 ms)
    const worker = new Worker(WATCHDOG_SOURCE, { eval: true, execArgv: [], workerData: { sab: a.buffer, limitMs } });
    const guard = new LoopGuard(a, worker);
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
    worker.on("message", (m) => {
      if (m === "fired") guard.onFired();
    });
    return guard;
  }

  /** Called (on a fresh macrotask) after the watchdog stopped a step. */
  whenFired(fn: () => void): void {
    this.onFired = fn;
  }

  /** A step of the learner's code starts. */
  arm(): void {
    this.seq = this.seq >= 0x3fffffff ? 1 : this.seq + 1;
    Atomics.store(this.a, 0, this.seq);
  }

  /**
   * The step ended. False when the watchdog fired first: then a termination is already on its way to this thread,
   * so the caller must stop (`sacrifice`) and let the "fired" handler report.
   */
  disarm(): boolean {
    return Atomics.compareExchange(this.a, 0, this.seq, 0) === this.seq;
  }

  /** Spins until the termination already on its way lands here (bounded: 5 s), instead of in someone else's code. */
  sacrifice(): never {
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      // the termination interrupts this loop
    }
    throw new AsyncCheckError(
      "infinite-loop",
      "A step ran as long as stepTimeoutMs and the watchdog's stop never arrived: raise `stepTimeoutMs`.",
    );
  }

  /** Stops and removes the watchdog worker. */
  async stop(): Promise<void> {
    Atomics.store(this.a, 1, 1);
    Atomics.notify(this.a, 1);
    if (this.worker) await this.worker.terminate();
  }
}
