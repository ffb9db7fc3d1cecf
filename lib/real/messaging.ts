/**
 * Chapter 05's shared counter, redone by message passing ("do not communicate by sharing memory; share memory by
 * communicating" — Effective Go). `workers` threads count up to `increments` each, four ways:
 *   - `plain`: one Int32 of a SharedArrayBuffer, `c[i] = c[i] + 1` (a data race: updates get lost);
 *   - `atomics`: the same slot with Atomics.add (exact; the cache line travels between cores);
 *   - `messages`: the threads share nothing; each posts one message per increment through its own MessageChannel to
 *     an owner thread, the only one that holds the count (exact: nobody else can touch it);
 *   - `batched`: each thread counts on its own and posts its total once (exact, and almost free).
 * Per mode: the final count, the lost updates, the wall time from the start barrier, and ns per increment.
 * Every worker is terminated at the end, whatever happens; the whole run has a hard time limit.
 */

import * as path from "node:path";
import { MessageChannel, type MessagePort, type Worker } from "node:worker_threads";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkChoice, checkInt, checkOptions, RealInputError, RealRunError } from "./errors";
import { type RealLimits, type RealResources, runBounded } from "./resources";
import { SLOT } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** How the threads count (see the module comment). */
export type CounterMode = "plain" | "atomics" | "messages" | "batched";

export const COUNTER_MODES: readonly CounterMode[] = ["plain", "atomics", "messages", "batched"];

/** Options of `messageCounter`; the defaults take about a second. */
export interface MessageCounterOptions extends RealLimits {
  /** Counting threads (default 2). */
  workers?: number;
  /** Modes to run, in this order (default all four). */
  modes?: CounterMode[];
  /** Increments per thread (defaults: plain, atomics and batched 1,000,000; messages 20,000). */
  increments?: Partial<Record<CounterMode, number>>;
  /** Runs per mode (default 3). */
  repeats?: number;
}

/** One mode of `messageCounter`. */
export interface CounterRow {
  mode: CounterMode;
  workers: number;
  increments: number;
  expected: number;
  /** Final count of every run. */
  finals: number[];
  /** Updates lost per run (expected − final). */
  lost: number[];
  /** Wall time from the start signal until the count was complete, ms. */
  ms: RunSummary;
  /** ms.median in ns per increment (all threads together). */
  nsPerIncrement: number;
}

/** Result of `messageCounter`. */
export interface MessageCounterResult {
  rows: CounterRow[];
}

const DEFAULT_INCREMENTS: Record<CounterMode, number> = {
  plain: 1_000_000,
  atomics: 1_000_000,
  messages: 20_000,
  batched: 1_000_000,
};
const AGAIN = "run it again with fewer increments, and close other busy programs";

function answer(w: Worker): Promise<{ ok: boolean; total?: number; error?: string }> {
  return new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("error", (e) => reject(new RealRunError(`A counting worker crashed (${e.message}): ${AGAIN}.`)));
    w.once("exit", () => reject(new RealRunError(`A counting worker exited before answering: ${AGAIN}.`)));
  });
}

async function oneRun(res: RealResources, mode: CounterMode, workers: number, n: number): Promise<[number, number]> {
  const file = path.join(__dirname, "workers", "messaging.js");
  const i32 = new Int32Array(new SharedArrayBuffer(16));
  const base = { sab: i32.buffer, increments: n, timeoutMs: 20_000, mode };
  const started: Worker[] = [];
  let total: Promise<number> | null = null;
  if (mode === "messages" || mode === "batched") {
    const channels = Array.from({ length: workers }, () => new MessageChannel());
    const ports: MessagePort[] = channels.map((c) => c.port2);
    const owner = res.worker(file, { workerData: { ...base, role: "owner", ports }, transferList: ports });
    total = answer(owner).then((a) => {
      if (!a.ok) throw new RealRunError(`The counter's owner failed (${a.error}): ${AGAIN}.`);
      return a.total ?? NaN;
    });
    total.catch(() => undefined); // awaited below; if the run stops first, its rejection is expected
    for (const c of channels) {
      const port = c.port1;
      started.push(res.worker(file, { workerData: { ...base, role: "sender", port }, transferList: [port] }));
    }
  } else {
    for (let k = 0; k < workers; k++) started.push(res.worker(file, { workerData: { ...base, role: "shared" } }));
  }
  const answers = started.map(answer);
  const settled = Promise.all(answers);
  let failed: unknown = null;
  settled.catch((e) => (failed = e));
  while (Atomics.load(i32, SLOT.READY) < workers) {
    if (failed) throw failed;
    await res.sleep(1);
  }
  const t0 = performance.now();
  Atomics.store(i32, SLOT.GO, 1);
  Atomics.notify(i32, SLOT.GO);
  const done = await settled;
  const bad = done.find((d) => !d.ok);
  if (bad) throw new RealRunError(`A counting worker failed (${bad.error}): ${AGAIN}.`);
  const final = total ? await total : Atomics.load(i32, SLOT.COUNTER);
  const ms = performance.now() - t0;
  await Promise.all(started.map((w) => w.terminate().catch(() => undefined)));
  return [final, ms];
}

/** Counts with `workers` threads in each mode; reports exactness and cost per increment. */
export async function messageCounter(options: MessageCounterOptions = {}): Promise<MessageCounterResult> {
  checkKnownOptions(RealInputError, "messageCounter's options", options, [
    "workers",
    "modes",
    "increments",
    "repeats",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("messageCounter", options);
  const workers = checkInt("workers", options.workers ?? 2, 1, 8);
  const modes = options.modes ?? [...COUNTER_MODES];
  if (!Array.isArray(modes) || modes.length === 0)
    throw new RealInputError('Expected `modes` to list at least one of "plain", "atomics", "messages", "batched".');
  modes.forEach((m, i) => {
    checkChoice(`modes[${i}]`, m, COUNTER_MODES);
  });
  const repeats = checkInt("repeats", options.repeats ?? 3, 1, 20);
  const incs = { ...DEFAULT_INCREMENTS };
  for (const m of COUNTER_MODES) {
    const v = options.increments?.[m];
    if (v !== undefined) incs[m] = checkInt(`increments.${m}`, v, 1, m === "messages" ? 2_000_000 : 100_000_000);
  }
  return runBounded("messageCounter", options, 30_000, async (res) => {
    const rows: CounterRow[] = [];
    for (const mode of modes) {
      const n = incs[mode];
      const finals: number[] = [];
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const [final, ms] = await oneRun(res, mode, workers, n);
        finals.push(final);
        times.push(ms);
      }
      const expected = workers * n;
      const ms = summarizeRuns(times);
      rows.push({
        mode,
        workers,
        increments: n,
        expected,
        finals,
        lost: finals.map((f) => expected - f),
        ms,
        nsPerIncrement: (ms.median * 1e6) / expected,
      });
    }
    return { rows };
  });
}
