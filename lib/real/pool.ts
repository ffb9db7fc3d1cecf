/**
 * A worker pool: workers are created once and reused; jobs queue and go to the first idle worker.
 * Created through a `RealResources` tracker, so the experiment's `finally` terminates them.
 */
import type { Worker } from "node:worker_threads";
import { RealRunError } from "./errors";
import type { RealResources } from "./resources";
import { realWorkerFile } from "./shared";

/** A job for workers/job.js: `kind` picks the function, the other fields are its arguments. */
export interface RealJob {
  kind: "spin" | "race" | "critical" | "deadlock" | "http" | "noop";
  [key: string]: unknown;
}

interface Pending {
  job: RealJob & { id: number };
  resolve: (v: any) => void;
  reject: (e: Error) => void;
  onProgress?: (fraction: number) => void;
}

const AGAIN = "run the experiment again with fewer workers or a smaller workload, and close other busy programs";

/** What to change when a job of workers/job.js failed; its errors come back as text in the worker's answer. */
function jobHint(kind: string, error = ""): string {
  const late = /timed out/.test(error);
  if (late && kind === "http") return "the local test server did not answer in time: pass a larger `requestTimeoutMs`";
  if (late) return `the workers could not meet in time: ${AGAIN}`;
  return "run it again; if it fails the same way, this is a bug in lib/real/workers/job.js: please report it";
}

/** A fixed set of reusable workers running workers/job.js. */
export class WorkerPool {
  readonly size: number;
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: Pending[] = [];
  private running = new Map<Worker, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly res: RealResources;

  private constructor(res: RealResources, size: number) {
    this.res = res;
    this.size = size;
  }

  /** Starts `size` workers and resolves once every one of them has answered a no-op job. */
  static async start(res: RealResources, size: number): Promise<WorkerPool> {
    const pool = new WorkerPool(res, size);
    for (let i = 0; i < size; i++) {
      const w = res.worker(realWorkerFile("job.js"));
      pool.workers.push(w);
      pool.idle.push(w);
      w.on("message", (m: { id: number; ok?: boolean; value?: unknown; error?: string; progress?: number }) =>
        pool.onMessage(w, m),
      );
      w.on("error", (e: Error) => {
        pool.fail(new RealRunError(`${res.label}: a worker crashed (${e.message}): ${AGAIN}`));
      });
      w.once("exit", () => pool.fail(new RealRunError(`${res.label}: a worker exited before its job ended: ${AGAIN}`)));
    }
    await Promise.all(pool.workers.map(() => pool.run({ kind: "noop" })));
    return pool;
  }

  /**
   * Runs one job on the next idle worker; resolves with the worker's answer. The job carries the experiment's time
   * limit (`stopAt`): the worker stops its loops by itself once it passed.
   */
  run<T = any>(job: RealJob, onProgress?: (fraction: number) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const stopAt = this.res.stopAtEpochMs();
      this.queue.push({ job: { ...job, stopAt, id: this.nextId++ }, resolve, reject, onProgress });
      this.pump();
    });
  }

  /** Runs one job on every worker at once (one each), e.g. for a start barrier. */
  runOnEach<T = any>(makeJob: (workerIndex: number) => RealJob): Promise<T[]> {
    if (this.idle.length !== this.size) {
      return Promise.reject(new RealRunError("runOnEach needs every worker idle: await the running jobs first."));
    }
    return Promise.all(this.workers.map((_, i) => this.run<T>(makeJob(i))));
  }

  /** Terminates this pool's workers (pending jobs reject); resolves when they have exited. */
  async close(): Promise<void> {
    this.fail(new RealRunError("This worker pool is closed: start a new one (WorkerPool.start) to run more jobs."));
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => undefined)));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.shift()!;
      const p = this.queue.shift()!;
      this.running.set(w, p);
      w.postMessage(p.job);
    }
  }

  private onMessage(
    w: Worker,
    m: { id: number; ok?: boolean; value?: unknown; error?: string; progress?: number },
  ): void {
    const p = this.running.get(w);
    if (!p || p.job.id !== m.id) return;
    if (m.progress !== undefined) {
      p.onProgress?.(m.progress);
      return;
    }
    this.running.delete(w);
    this.idle.push(w);
    if (m.ok) p.resolve(m.value);
    else {
      p.reject(new RealRunError(`A worker's "${p.job.kind}" job failed (${m.error}): ${jobHint(p.job.kind, m.error)}`));
    }
    this.pump();
  }

  private fail(e: Error): void {
    if (!this.failure) this.failure = e;
    for (const p of this.running.values()) p.reject(this.failure);
    for (const p of this.queue.splice(0)) p.reject(this.failure);
    this.running.clear();
  }
}
