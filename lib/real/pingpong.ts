/**
 * "A coroutine switch is cheaper than a thread switch", measured (seed 001): the round trip of a hand-off
 *   - `await`: two async functions on one thread take turns through promises (the microtask queue, no OS involved);
 *   - `loopTurn`: the same two functions, but each hand-off waits for one turn of the event loop (setImmediate): the
 *     path a task woken by its IO takes (the loop polls the kernel, runs the callback, then the promise resolves);
 *   - `atomics`: two worker threads take turns with Atomics.wait / Atomics.notify (each side blocks in the kernel
 *     (a futex) until the other wakes it: an OS thread hand-off);
 *   - `postMessage`: the main thread sends a message to a worker and awaits its echo (a message between isolates).
 * Per round trip in µs, median of several runs. Also this machine's OS limits on threads (Linux /proc).
 */

import * as fs from "node:fs";
import * as path from "node:path";
import type { Worker } from "node:worker_threads";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkChoice, checkInt, checkOptions, RealInputError } from "./errors";
import { type RealLimits, type RealResources, runBounded } from "./resources";
import { askWorker, coreCount } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** The four hand-offs, cheapest first. */
export type PingPongMode = "await" | "loopTurn" | "atomics" | "postMessage";

export const PING_PONG_MODES: readonly PingPongMode[] = ["await", "loopTurn", "atomics", "postMessage"];

/** Options of `pingPongExperiment`; the defaults take about a second. */
export interface PingPongOptions extends RealLimits {
  /** Modes to run (default all four). */
  modes?: PingPongMode[];
  /** Round trips per run (defaults: await 20000, loopTurn 10000, atomics 2000, postMessage 2000). */
  roundTrips?: Partial<Record<PingPongMode, number>>;
  /** Timed runs per mode, after one untimed warm-up run (default 5). */
  repeats?: number;
}

/** One mode: round trips per run and the time of one round trip in µs (median/min/max over runs). */
export interface PingPongRow {
  mode: PingPongMode;
  roundTrips: number;
  roundTripUs: RunSummary;
}

/** Result of `pingPongExperiment`. */
export interface PingPongResult {
  cores: number;
  rows: PingPongRow[];
}

const DEFAULT_TRIPS: Record<PingPongMode, number> = { await: 20000, loopTurn: 10000, atomics: 2000, postMessage: 2000 };
const RETRY = "run it again with fewer round trips, and close other busy programs";

/**
 * Measures the round trip (µs) of an await hand-off, a hand-off through one event-loop turn each way (setImmediate),
 * an Atomics.wait/notify ping-pong between two workers and a postMessage echo.
 */
export async function pingPongExperiment(options: PingPongOptions = {}): Promise<PingPongResult> {
  checkKnownOptions(RealInputError, "pingPongExperiment's options", options, [
    "modes",
    "roundTrips",
    "repeats",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("pingPongExperiment", options);
  const modes = options.modes ?? [...PING_PONG_MODES];
  if (!Array.isArray(modes) || modes.length === 0)
    throw new RealInputError('Expected `modes` to list at least one of "await", "loopTurn", "atomics", "postMessage".');
  modes.forEach((m, i) => {
    checkChoice(`modes[${i}]`, m, PING_PONG_MODES);
  });
  const repeats = checkInt("repeats", options.repeats ?? 5, 1, 50);
  const trips = { ...DEFAULT_TRIPS };
  for (const m of PING_PONG_MODES) {
    const v = options.roundTrips?.[m];
    if (v !== undefined) trips[m] = checkInt(`roundTrips.${m}`, v, 1, m === "await" ? 500_000 : 100_000);
  }
  return runBounded("pingPongExperiment", options, 20_000, async (res) => {
    const rows: PingPongRow[] = [];
    for (const mode of PING_PONG_MODES.filter((m) => modes.includes(m))) {
      const runs: number[] = [];
      const once = await runner(res, mode);
      try {
        for (let r = 0; r <= repeats; r++) {
          const ms = await once(trips[mode]);
          if (r > 0) runs.push((ms * 1000) / trips[mode]); // run 0 warms up the JIT and the workers
          await new Promise((ok) => setImmediate(ok)); // let the time limit's timer run between runs
        }
      } finally {
        await once.close();
      }
      rows.push({ mode, roundTrips: trips[mode], roundTripUs: summarizeRuns(runs) });
    }
    return { cores: coreCount(), rows };
  });
}

type Runner = ((roundTrips: number) => Promise<number>) & { close: () => Promise<void> };

async function runner(res: RealResources, mode: PingPongMode): Promise<Runner> {
  if (mode === "await")
    return Object.assign((n: number) => awaitPingPong(res, n, false), { close: async () => undefined });
  if (mode === "loopTurn")
    return Object.assign((n: number) => awaitPingPong(res, n, true), { close: async () => undefined });
  const count = mode === "atomics" ? 2 : 1;
  const workers = Array.from({ length: count }, () => res.worker(path.join(__dirname, "workers", "pingpong.js")));
  const close = async () => {
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  };
  let nextId = 1;
  const ask = (w: Worker, msg: Record<string, unknown>) => askWorker(w, { ...msg, id: nextId++ }, "ping-pong", RETRY);
  if (mode === "postMessage") {
    const w = workers[0];
    return Object.assign(
      async (n: number) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          if ((i & 255) === 0) res.check();
          await ask(w, { kind: "echo", i });
        }
        return performance.now() - t0;
      },
      { close },
    );
  }
  return Object.assign(
    async (n: number) => {
      const i32 = new Int32Array(new SharedArrayBuffer(12)); // GO, READY, TURN
      const job = (role: string) => ({
        kind: "atomics",
        role,
        sab: i32.buffer,
        roundTrips: n,
        timeoutMs: 10_000,
        stopAt: res.stopAtEpochMs(), // the workers stop by themselves at the experiment's time limit
      });
      const done = Promise.all([ask(workers[0], job("ping")), ask(workers[1], job("pong"))]);
      let failed: unknown = null;
      done.catch((e) => (failed = e));
      while (Atomics.load(i32, 1) < 2) {
        if (failed) throw failed;
        await res.sleep(1);
      }
      Atomics.store(i32, 0, 1);
      Atomics.notify(i32, 0);
      const [ping] = (await done) as { ms: number }[];
      return ping.ms;
    },
    { close },
  );
}

/**
 * `roundTrips` hand-offs there and back between two async functions on this thread; returns the time in ms. With
 * `loopTurn`, each hand-off resolves the other side's promise from a setImmediate callback: one event-loop turn.
 * Every 4096 round trips it looks at the time limit (`res.check`): an "await" run never gives the loop a turn.
 */
async function awaitPingPong(res: RealResources, roundTrips: number, loopTurn: boolean): Promise<number> {
  const deferred = () => {
    let settle!: () => void;
    const p = new Promise<void>((r) => (settle = r));
    const resolve = loopTurn ? () => void setImmediate(settle) : settle;
    return { p, resolve };
  };
  let ping = deferred();
  let pong = deferred();
  const other = (async () => {
    for (let i = 0; i < roundTrips; i++) {
      await ping.p;
      ping = deferred(); // the next mailbox exists before we answer
      pong.resolve();
    }
  })();
  const t0 = performance.now();
  for (let i = 0; i < roundTrips; i++) {
    if ((i & 4095) === 4095) res.check();
    const answered = (pong = deferred()).p;
    ping.resolve();
    await answered;
  }
  const ms = performance.now() - t0;
  await other;
  return ms;
}

/** This machine's limits on threads (Linux; null where a value cannot be read). */
export interface ThreadLimits {
  /** /proc/sys/kernel/threads-max: threads in the whole system. */
  threadsMax: number | null;
  /** /proc/sys/vm/max_map_count: memory maps per process; each thread's stack and guard page take about 2. */
  maxMapCount: number | null;
  /** Soft limit of processes + threads of this user (ulimit -u, RLIMIT_NPROC); null also when unlimited. */
  maxUserProcesses: number | null;
  /** Soft limit of the main stack (ulimit -s, RLIMIT_STACK) in bytes: glibc reserves this much per new thread. */
  stackBytes: number | null;
  /** /proc/sys/kernel/pid_max: every thread takes a task id, so it caps threads of the whole system too. */
  pidMax: number | null;
  /** /sys/fs/cgroup/pids.max: tasks (processes + threads) of this cgroup (container --pids-limit, systemd TasksMax,
   * Kubernetes pod PID limit); null when "max" (no limit) or not readable. Often the first limit hit. */
  cgroupPidsMax: number | null;
}

const readNumber = (file: string): number | null => {
  try {
    const v = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};

/** Reads this machine's thread limits from /proc (no measurement, no threads started). */
export function threadLimits(): ThreadLimits {
  let limits = "";
  try {
    limits = fs.readFileSync("/proc/self/limits", "utf8");
  } catch {
    /* not Linux */
  }
  const soft = (name: string): number | null => {
    const m = new RegExp(`^${name}\\s+(\\S+)`, "m").exec(limits);
    return m && m[1] !== "unlimited" ? Number(m[1]) : null;
  };
  return {
    threadsMax: readNumber("/proc/sys/kernel/threads-max"),
    maxMapCount: readNumber("/proc/sys/vm/max_map_count"),
    maxUserProcesses: soft("Max processes"),
    stackBytes: soft("Max stack size"),
    pidMax: readNumber("/proc/sys/kernel/pid_max"),
    cgroupPidsMax: readNumber("/sys/fs/cgroup/pids.max"),
  };
}
