/**
 * Shared-memory races on this machine: workers increment one Int32 slot of a SharedArrayBuffer with a plain
 * read-modify-write, with Atomics.add, or under a mutex built on Atomics; the store-buffering litmus test (plain vs
 * Atomics accesses); then lock contention and a real deadlock.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { checkExperimentOptions as checkKnownOptions, describeValue } from "../errors/validate";
import { checkChoice, checkInt, checkIntList, checkNumber, checkOptions, RealInputError } from "./errors";
import { WorkerPool } from "./pool";
import { type RealLimits, type RealResources, runBounded } from "./resources";
import { childResult, SLOT } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** How each increment is done: `plain` (read, add, write: racy), `atomic` (Atomics.add), `mutex` (lock around it). */
export type RaceMode = "plain" | "atomic" | "mutex";

/** Options of `sharedCounterRace`; the defaults take about a second. */
export interface SharedRaceOptions extends RealLimits {
  /** Workers incrementing the counter at once (default 2). */
  workers?: number;
  /** Increments per worker (default 5,000,000: long enough for the workers to overlap on a busy machine). */
  increments?: number;
  /** Modes to run (default all three). */
  modes?: RaceMode[];
  /** Repeats per mode (default 3). */
  repeats?: number;
  /**
   * Run the plain race in a child process pinned to ONE core with Linux `taskset` (default false): the workers can
   * then only take turns on that core, never run at once. Only the "plain" mode runs. Where `taskset` is missing
   * (not Linux, or not installed) the result has no rows and `skipped` says why.
   */
  oneCore?: boolean;
}

/** One mode: expected and final counts (per run), updates lost, and time in ms. */
export interface SharedRaceRow {
  mode: RaceMode;
  workers: number;
  increments: number;
  /** workers × increments. */
  expected: number;
  /** Final counter of every run. */
  finals: number[];
  /** Updates lost per run: expected − final (never negative). */
  lost: RunSummary;
  /** Lost / expected, median over runs (0..1). */
  lossRate: number;
  /** Wall time from the start signal until every worker finished, in ms. */
  ms: RunSummary;
  /** Time all workers were incrementing at once, per run, in ms: updates can only be lost while they overlap. */
  overlapMs: number[];
}

/** Result of `sharedCounterRace`. */
export interface SharedRaceResult {
  rows: SharedRaceRow[];
  /** With `oneCore`: the core the child process was pinned to, and how many cores it could use (1). */
  pinned?: { cpu: number; cpusAvailable: number };
  /** With `oneCore`, when the run could not be pinned: why (no rows then). */
  skipped?: string;
}

/** The first core this process may run on (Linux: /proc/self/status), else 0. */
function firstAllowedCpu(): number {
  try {
    const m = /Cpus_allowed_list:\s*(\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** One row of sharedCounterRace: the final counts of its runs against the expected total, and their times. */
function raceRow(
  mode: SharedRaceRow["mode"],
  workers: number,
  increments: number,
  finals: number[],
  times: number[],
  overlapMs: number[],
): SharedRaceRow {
  const expected = workers * increments;
  const lost = summarizeRuns(finals.map((f) => expected - f));
  const ms = summarizeRuns(times);
  return { mode, workers, increments, expected, finals, lost, lossRate: lost.median / expected, ms, overlapMs };
}

/** The plain race in a child process under `taskset -c <cpu>` (see SharedRaceOptions.oneCore). */
async function oneCoreRace(res: RealResources, workers: number, increments: number, repeats: number) {
  if (process.platform !== "linux")
    return { skipped: `taskset pins a process to one core on Linux only (this is ${process.platform})` };
  const cpu = firstAllowedCpu();
  const script = path.join(__dirname, "workers", "race-one-core.js");
  // the child and its workers stop by themselves at the experiment's time limit at the latest
  const config = JSON.stringify({ workers, increments, repeats, timeoutMs: Math.min(20_000, res.remainingMs()) });
  const child = res.child("taskset", ["-c", String(cpu), process.execPath, script, config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { code, out, err } = await childResult(child);
  if (code === "ENOENT") return { skipped: "the taskset command is not installed (Debian/Ubuntu: util-linux)" };
  if (code !== 0)
    return { skipped: `taskset -c ${cpu} failed (${code}): ${err.trim().split("\n")[0] || "no message"}` };
  const parsed = JSON.parse(out) as { cpus: number; runs: { final: number; ms: number; overlapMs: number }[] };
  return { cpu, cpus: parsed.cpus, runs: parsed.runs };
}

/**
 * Starts `pool.size` workers on `makeJob` behind a shared start barrier; resolves with their answers and the wall time
 * (ms).
 */
export async function runWithBarrier<T>(
  res: RealResources,
  pool: WorkerPool,
  i32: Int32Array,
  makeJob: (i: number) => Record<string, unknown>,
): Promise<{ values: T[]; ms: number }> {
  Atomics.store(i32, SLOT.GO, 0);
  Atomics.store(i32, SLOT.READY, 0);
  const done = pool.runOnEach<T>((i) => ({ ...(makeJob(i) as object), sab: i32.buffer }) as any);
  let failed: unknown = null;
  done.catch((e) => (failed = e));
  // wait (bounded by the experiment's time limit) until every worker sits at the barrier
  while (Atomics.load(i32, SLOT.READY) < pool.size) {
    if (failed) throw failed;
    await res.sleep(1);
  }
  const t0 = performance.now();
  Atomics.store(i32, SLOT.GO, 1);
  Atomics.notify(i32, SLOT.GO);
  const values = await done;
  return { values, ms: performance.now() - t0 };
}

/** Runs the counter race in each mode; reports final counts, updates lost and time (ms). */
export async function sharedCounterRace(options: SharedRaceOptions = {}): Promise<SharedRaceResult> {
  checkKnownOptions(RealInputError, "sharedCounterRace's options", options, [
    "workers",
    "increments",
    "modes",
    "repeats",
    "oneCore",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("sharedCounterRace", options);
  const workers = checkInt("workers", options.workers ?? 2, 1, 32);
  const increments = checkInt(
    "increments",
    options.increments ?? 5_000_000,
    1,
    Math.floor(2_000_000_000 / workers),
    "keep workers × increments below 2e9 (an Int32 slot)",
  );
  if (
    options.modes !== undefined &&
    (!Array.isArray(options.modes) || options.modes.length === 0 || options.modes.length > 3)
  )
    throw new RealInputError(
      `Expected \`modes\` to be a non-empty list of "plain", "atomic", "mutex", got ${describeValue(options.modes)}.`,
    );
  const modes = (options.modes ?? ["plain", "atomic", "mutex"]).map((m, i) =>
    checkChoice(`modes[${i}]`, m, ["plain", "atomic", "mutex"] as const),
  );
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 50);
  if (options.oneCore !== undefined && typeof options.oneCore !== "boolean")
    throw new RealInputError(`oneCore must be true or false, got ${String(options.oneCore)}: e.g. oneCore: true.`);
  if (options.oneCore) {
    if (options.modes?.some((m) => m !== "plain"))
      throw new RealInputError('oneCore runs the plain race only: leave out `modes` or pass modes: ["plain"].');
    return runBounded("sharedCounterRace", options, 30_000, async (res) => {
      const one = await oneCoreRace(res, workers, increments, repeats);
      if ("skipped" in one) return { rows: [], skipped: one.skipped };
      const row = raceRow(
        "plain",
        workers,
        increments,
        one.runs.map((r) => r.final),
        one.runs.map((r) => r.ms),
        one.runs.map((r) => r.overlapMs),
      );
      return { rows: [row], pinned: { cpu: one.cpu, cpusAvailable: one.cpus } };
    });
  }
  return runBounded("sharedCounterRace", options, 30_000, async (res) => {
    const pool = await WorkerPool.start(res, workers);
    const i32 = new Int32Array(new SharedArrayBuffer(16 * 4));
    const rows: SharedRaceRow[] = [];
    for (const mode of modes) {
      const finals: number[] = [];
      const times: number[] = [];
      const overlaps: number[] = [];
      for (let r = 0; r < repeats; r++) {
        Atomics.store(i32, SLOT.COUNTER, 0);
        Atomics.store(i32, SLOT.LOCK0, 0);
        const { values, ms } = await runWithBarrier<{ startedAt: number; endedAt: number }>(res, pool, i32, () => ({
          kind: "race",
          mode,
          increments,
          timeoutMs: 20_000,
        }));
        finals.push(Atomics.load(i32, SLOT.COUNTER));
        times.push(ms);
        const from = Math.max(...values.map((v) => v.startedAt));
        const to = Math.min(...values.map((v) => v.endedAt));
        overlaps.push(Math.max(0, to - from));
      }
      rows.push(raceRow(mode, workers, increments, finals, times, overlaps));
    }
    return { rows };
  });
}

/** Options of `lockContention`; the defaults take about two seconds. */
export interface LockContentionOptions extends RealLimits {
  /** Worker counts sharing the one lock (default [1, 2, 4]). */
  workerCounts?: number[];
  /** Iterations of CPU work inside the critical section (default [0, 2000, 20000]). */
  criticalIterations?: number[];
  /** Iterations of CPU work outside the lock per operation (default 20000): this part runs in parallel. */
  outsideIterations?: number;
  /** Lock-protected operations per worker (default 1000). */
  ops?: number;
  /** Timed runs per configuration (default 3): each row reports the median. A short untimed warm-up comes first. */
  repeats?: number;
}

/** One configuration: total throughput in operations per second and time in ms. */
export interface LockContentionRow {
  workers: number;
  criticalIterations: number;
  outsideIterations: number;
  ops: number;
  /** Median wall time of the timed runs, in ms. */
  ms: number;
  /** Wall time of every timed run, in ms. */
  runsMs?: number[];
  /** workers × ops × 1000 ÷ the median ms. */
  opsPerSecond: number;
  /** True when the protected counter equals workers × ops (the lock worked). */
  exact: boolean;
}

/** Measures throughput (ops/s) as more workers share one lock and as the critical section grows. */
export async function lockContention(options: LockContentionOptions = {}): Promise<{ rows: LockContentionRow[] }> {
  checkKnownOptions(RealInputError, "lockContention's options", options, [
    "workerCounts",
    "criticalIterations",
    "outsideIterations",
    "ops",
    "repeats",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("lockContention", options);
  const counts = checkIntList("workerCounts", options.workerCounts ?? [1, 2, 4], 1, 32);
  const crit = checkIntList("criticalIterations", options.criticalIterations ?? [0, 2000, 20000], 0, 1e7);
  const outside = checkInt("outsideIterations", options.outsideIterations ?? 20000, 0, 1e7);
  const ops = checkInt("ops", options.ops ?? 1000, 1, 1e6);
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20, "e.g. repeats: 3");
  return runBounded("lockContention", options, 60_000, async (res) => {
    const rows: LockContentionRow[] = [];
    const i32 = new Int32Array(new SharedArrayBuffer(16 * 4));
    const once = async (pool: WorkerPool, w: number, c: number, n: number) => {
      Atomics.store(i32, SLOT.COUNTER, 0);
      Atomics.store(i32, SLOT.LOCK0, 0);
      const { ms } = await runWithBarrier(res, pool, i32, () => ({
        kind: "critical",
        ops: n,
        criticalIterations: c,
        outsideIterations: outside,
        timeoutMs: 20_000,
      }));
      return { ms, exact: Atomics.load(i32, SLOT.COUNTER) === w * n };
    };
    for (const w of counts) {
      const pool = await WorkerPool.start(res, w);
      // warm-up (untimed): the JIT compiles the loops and the workers' threads are running before any timing
      for (const c of crit) await once(pool, w, c, Math.max(1, Math.floor(ops / 5)));
      const runs = crit.map(() => [] as number[]);
      const exact = crit.map(() => true);
      for (let r = 0; r < repeats; r++)
        for (const [k, c] of crit.entries()) {
          const one = await once(pool, w, c, ops);
          runs[k].push(one.ms);
          exact[k] &&= one.exact;
        }
      for (const [k, c] of crit.entries()) {
        const ms = summarizeRuns(runs[k]).median;
        rows.push({
          workers: w,
          criticalIterations: c,
          outsideIterations: outside,
          ops,
          ms,
          runsMs: runs[k],
          opsPerSecond: (w * ops * 1000) / ms,
          exact: exact[k],
        });
      }
      await pool.close();
    }
    return { rows };
  });
}

/** Options of `deadlockExperiment`. */
export interface DeadlockOptions extends RealLimits {
  /** "opposite": worker A takes lock 0 then 1, B takes 1 then 0 (deadlocks); "same": both take 0 then 1. */
  order?: "opposite" | "same";
  /** How long each worker holds its first lock before asking for the second, in ms (default 50). */
  holdMs?: number;
  /** Bounded wait for the second lock, in ms (default 300): past it, the deadlock is detected. */
  lockTimeoutMs?: number;
}

/** What each worker got: its first and second lock, and how long it waited for the second (ms). */
export interface DeadlockWorkerReport {
  worker: number;
  firstLock: number;
  secondLock: number;
  gotFirst: boolean;
  gotSecond: boolean;
  waitedMs: number;
}

/** Result of `deadlockExperiment`: whether a deadlock was detected (a worker gave up waiting while holding a lock). */
export interface DeadlockResult {
  order: "opposite" | "same";
  /** True when a bounded wait expired: the workers were stuck in a cycle, each holding what the other needed. */
  deadlocked: boolean;
  /** Workers whose bounded wait expired; they released their first lock, which let the other finish. */
  gaveUp: number[];
  workers: DeadlockWorkerReport[];
  /** Wall time until both workers gave up or finished, in ms. */
  ms: number;
}

/** Two workers take two Atomics mutexes in opposite (or the same) order; a bounded wait detects the deadlock. */
export async function deadlockExperiment(options: DeadlockOptions = {}): Promise<DeadlockResult> {
  checkKnownOptions(RealInputError, "deadlockExperiment's options", options, [
    "order",
    "holdMs",
    "lockTimeoutMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("deadlockExperiment", options);
  const order = checkChoice("order", options.order ?? "opposite", ["opposite", "same"] as const);
  const holdMs = checkNumber("holdMs", options.holdMs ?? 50, 0, 5000);
  const lockTimeoutMs = checkNumber("lockTimeoutMs", options.lockTimeoutMs ?? 300, 1, 10_000);
  return runBounded("deadlockExperiment", options, 10_000 + 4 * (holdMs + lockTimeoutMs), async (res) => {
    const pool = await WorkerPool.start(res, 2);
    const i32 = new Int32Array(new SharedArrayBuffer(16 * 4));
    const plan =
      order === "opposite"
        ? [
            [0, 1],
            [1, 0],
          ]
        : [
            [0, 1],
            [0, 1],
          ];
    const { values, ms } = await runWithBarrier<{ gotFirst: boolean; gotSecond: boolean; waitedMs: number }>(
      res,
      pool,
      i32,
      (i) => ({
        kind: "deadlock",
        first: plan[i][0],
        second: plan[i][1],
        holdMs,
        timeoutMs: Math.max(lockTimeoutMs, order === "same" ? 2 * holdMs + 200 : 0),
      }),
    );
    await pool.close();
    const workers = values.map((v, i) => ({
      worker: i,
      firstLock: plan[i][0],
      secondLock: plan[i][1],
      gotFirst: v.gotFirst,
      gotSecond: v.gotSecond,
      waitedMs: v.waitedMs,
    }));
    const gaveUp = workers.filter((w) => w.gotFirst && !w.gotSecond).map((w) => w.worker);
    return { order, deadlocked: gaveUp.length > 0, gaveUp, workers, ms };
  });
}

/** Options of `storeBufferLitmus`; the defaults take well under a second on an idle machine. */
export interface LitmusOptions extends RealLimits {
  /** Trials per mode (default 100,000). */
  trials?: number;
  /** Modes to run (default both): plain Int32Array accesses, or Atomics.store / Atomics.load. */
  modes?: ("plain" | "atomic")[];
}

/** One mode of the litmus test: how often each pair (r0, r1) was read. */
export interface LitmusRow {
  mode: "plain" | "atomic";
  /** Trials both workers completed (fewer than asked only if the time limit cut the run short). */
  trials: number;
  /** Count per outcome "r0 r1": "0 1", "1 0", "1 1" (interleavings) and "0 0" (a load overtook a store). */
  outcomes: Record<"0 0" | "0 1" | "1 0" | "1 1", number>;
  /** Wall time of the slower worker, in ms. */
  ms: number;
}

/**
 * The store-buffering (SB) litmus test on two real workers: per trial, worker 0 does x = 1; r0 = y and worker 1 does
 * y = 1; r1 = x, both starting together behind a spin barrier. Under sequential consistency "0 0" is impossible
 * (whichever store comes first in one global order is seen by the other load). Plain accesses may show it; Atomics
 * (sequentially consistent in the ECMAScript memory model) must not.
 */
export async function storeBufferLitmus(options: LitmusOptions = {}): Promise<{ rows: LitmusRow[] }> {
  checkKnownOptions(RealInputError, "storeBufferLitmus's options", options, [
    "trials",
    "modes",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("storeBufferLitmus", options);
  const trials = checkInt("trials", options.trials ?? 100_000, 1, 1_000_000, "e.g. trials: 100000");
  const modes = (options.modes ?? ["plain", "atomic"]).map((m, i) =>
    checkChoice(`modes[${i}]`, m, ["plain", "atomic"] as const),
  );
  return runBounded("storeBufferLitmus", options, 20_000, async (res) => {
    const rows: LitmusRow[] = [];
    for (const mode of modes) {
      const sab = new SharedArrayBuffer(256 + 8 * trials);
      const file = path.join(__dirname, "workers", "litmus.js");
      const answers = await Promise.all(
        [0, 1].map(
          (id) =>
            new Promise<{ done: number; ms: number }>((resolve, reject) => {
              const timeoutMs = Math.min(8_000, res.remainingMs()); // never past the experiment's time limit
              const w = res.worker(file, { workerData: { id, sab, trials, mode, timeoutMs } });
              w.once("message", resolve);
              w.once("error", reject);
              w.once("exit", (code) => reject(new Error(`storeBufferLitmus: worker ${id} exited (${code}) early`)));
            }),
        ),
      );
      const done = Math.min(...answers.map((a) => a.done));
      const out = new Int32Array(sab, 256);
      const outcomes = { "0 0": 0, "0 1": 0, "1 0": 0, "1 1": 0 };
      for (let i = 0; i < done; i++) outcomes[`${out[2 * i]} ${out[2 * i + 1]}` as keyof typeof outcomes]++;
      rows.push({ mode, trials: done, outcomes, ms: Math.max(...answers.map((a) => a.ms)) });
    }
    return { rows };
  });
}

/** Options of `petersonRace`; the defaults take about a second on an idle two-core machine. */
export interface PetersonOptions extends RealLimits {
  /** Lock-protected increments per worker (default 100,000). */
  rounds?: number;
  /** Modes to run (default both): flags and turn as plain Int32Array accesses, or with Atomics. */
  modes?: ("plain" | "atomic")[];
  /** Runs per mode (default 3): the overlap that breaks the plain lock needs both workers on cores at once. */
  repeats?: number;
}

/** One run of `petersonRace`: expected and final counter, updates lost (mutual exclusion broken), time (a type, so
 * that it fits showTable). */
export type PetersonRow = {
  mode: "plain" | "atomic";
  /** 1, 2, … within the mode. */
  run: number;
  /** 2 × rounds both workers completed (fewer than asked only if the time limit cut the run short). */
  expected: number;
  final: number;
  /** expected − final: increments lost because both workers were inside the lock at once. */
  lost: number;
  /** Wall time of the slower worker, in ms. */
  ms: number;
};

/**
 * Peterson's lock on two real workers protecting a plain counter. Correct under sequential consistency (chapter 06's
 * explorer proves it); with plain accesses to the flags and `turn` the hardware and the JIT may reorder a store and
 * the load after it, and both workers can be inside at once. With Atomics it is correct (SC-DRF).
 */
export async function petersonRace(options: PetersonOptions = {}): Promise<{ rows: PetersonRow[] }> {
  checkKnownOptions(RealInputError, "petersonRace's options", options, [
    "rounds",
    "modes",
    "repeats",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("petersonRace", options);
  const rounds = checkInt("rounds", options.rounds ?? 100_000, 1, 10_000_000, "e.g. rounds: 100000");
  const modes = (options.modes ?? ["plain", "atomic"]).map((m, i) =>
    checkChoice(`modes[${i}]`, m, ["plain", "atomic"] as const),
  );
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20, "e.g. repeats: 3");
  return runBounded("petersonRace", options, 60_000, async (res) => {
    const rows: PetersonRow[] = [];
    for (const mode of modes)
      for (let run = 1; run <= repeats; run++) {
        const sab = new SharedArrayBuffer(4 * 128);
        const file = path.join(__dirname, "workers", "peterson.js");
        const answers = await Promise.all(
          [0, 1].map(
            (id) =>
              new Promise<{ done: number; ms: number }>((resolve, reject) => {
                const timeoutMs = Math.min(8_000, res.remainingMs()); // never past the experiment's time limit
                const w = res.worker(file, { workerData: { id, sab, rounds, mode, timeoutMs } });
                w.once("message", resolve);
                w.once("error", reject);
                w.once("exit", (code) => reject(new Error(`petersonRace: worker ${id} exited (${code}) early`)));
              }),
          ),
        );
        const expected = answers[0].done + answers[1].done;
        const final = Atomics.load(new Int32Array(sab), 64);
        rows.push({ mode, run, expected, final, lost: expected - final, ms: Math.max(...answers.map((a) => a.ms)) });
      }
    return { rows };
  });
}
