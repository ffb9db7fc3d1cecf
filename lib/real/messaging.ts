/**
 * Chapter 05's shared counter, redone by message passing ("do not communicate by sharing memory; share memory by
 * communicating" — Effective Go). `workers` threads count up to `increments` each, four ways:
 *   - `plain`: one Int32 of a SharedArrayBuffer, `c[i] = c[i] + 1` (a data race: updates get lost);
 *   - `atomics`: the same slot with Atomics.add (exact; the cache line travels between cores);
 *   - `messages`: the threads share nothing; each posts one message per increment through its own MessageChannel to
 *     an owner thread, the only one that holds the count (exact: nobody else can touch it);
 *   - `batched`: each thread counts on its own and posts its total once (exact, and almost free).
 * Per mode: the final count, the lost updates, the wall time from the start barrier, and ns per increment.
 * The threads are started once per call and reused by every run (a fresh SharedArrayBuffer and start barrier per
 * run). Every worker is terminated at the end, whatever happens; the whole run has a hard time limit.
 */

import * as path from "node:path";
import { MessageChannel, type MessagePort, type Worker } from "node:worker_threads";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkChoice, checkInt, checkOptions, RealInputError } from "./errors";
import { type RealLimits, type RealResources, runBounded } from "./resources";
import { answerFrom, SLOT } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** How the threads count (see the module comment). */
export type CounterMode = "plain" | "atomics" | "messages" | "batched";

export const COUNTER_MODES: readonly CounterMode[] = ["plain", "atomics", "messages", "batched"];

/** Options of `messageCounter`; the defaults take about half a second. */
export interface MessageCounterOptions extends RealLimits {
  /** Counting threads (default 2). */
  workers?: number;
  /** Modes to run, in this order (default all four). */
  modes?: CounterMode[];
  /** Increments per thread (defaults: plain 10,000,000; atomics and batched 1,000,000; messages 20,000). */
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

// plain runs longest: its loop is so fast once the JIT has compiled it (~2 ns) that with 1,000,000 increments one
// worker often finishes before the other has woken from the start barrier, and nothing is lost
const DEFAULT_INCREMENTS: Record<CounterMode, number> = {
  plain: 10_000_000,
  atomics: 1_000_000,
  messages: 20_000,
  batched: 1_000_000,
};
const AGAIN = "run it again with fewer increments, and close other busy programs";

/** Resolves with the value of the worker's answer `{ id, ok, value }` to `id`; rejects if it fails or dies. */
function answerTo(w: Worker, id: number): Promise<unknown> {
  return answerFrom(w, id, "counting", `${AGAIN}.`);
}

/**
 * The threads of one messageCounter call, started once and reused by every run (starting a worker costs tens of ms,
 * more than most runs): `workers` counting threads, each with its own MessageChannel to the owner thread (started
 * only when some mode passes messages).
 */
interface Crew {
  counters: Worker[];
  owner: Worker | null;
  nextId: number;
}

function startCrew(res: RealResources, workers: number, withOwner: boolean): Crew {
  const file = path.join(__dirname, "workers", "messaging.js");
  const channels = Array.from({ length: workers }, () => (withOwner ? new MessageChannel() : null));
  const counters = channels.map((c) =>
    c
      ? res.worker(file, { workerData: { role: "counter", port: c.port1 }, transferList: [c.port1] })
      : res.worker(file, { workerData: { role: "counter" } }),
  );
  let owner: Worker | null = null;
  if (withOwner) {
    const ports: MessagePort[] = channels.map((c) => (c as MessageChannel).port2);
    owner = res.worker(file, { workerData: { role: "owner", ports }, transferList: ports });
  }
  return { counters, owner, nextId: 1 };
}

async function oneRun(res: RealResources, crew: Crew, mode: CounterMode, n: number): Promise<[number, number]> {
  const i32 = new Int32Array(new SharedArrayBuffer(16));
  let total: Promise<unknown> | null = null;
  if (mode === "messages" || mode === "batched") {
    const owner = crew.owner as Worker;
    const id = crew.nextId++;
    const totalId = crew.nextId++;
    total = answerTo(owner, totalId);
    total.catch(() => undefined); // awaited below; if the run stops first, its rejection is expected
    const armed = answerTo(owner, id);
    owner.postMessage({ id, totalId });
    await armed; // the owner has reset its count before any counter can send
  }
  const job = {
    sab: i32.buffer,
    increments: n,
    timeoutMs: Math.min(20_000, res.remainingMs()),
    stopAt: res.stopAtEpochMs(),
    mode,
  };
  const answers = crew.counters.map((w) => {
    const id = crew.nextId++;
    const a = answerTo(w, id);
    w.postMessage({ ...job, id });
    return a;
  });
  const settled = Promise.all(answers);
  let failed: unknown = null;
  settled.catch((e) => (failed = e));
  while (Atomics.load(i32, SLOT.READY) < crew.counters.length) {
    if (failed) throw failed;
    await res.sleep(1);
  }
  const t0 = performance.now();
  Atomics.store(i32, SLOT.GO, 1);
  Atomics.notify(i32, SLOT.GO);
  await settled;
  const final = total ? Number(await total) : Atomics.load(i32, SLOT.COUNTER);
  return [final, performance.now() - t0];
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
    const crew = startCrew(res, workers, modes.includes("messages") || modes.includes("batched"));
    try {
      for (const mode of modes) {
        const n = incs[mode];
        const finals: number[] = [];
        const times: number[] = [];
        for (let r = 0; r < repeats; r++) {
          const [final, ms] = await oneRun(res, crew, mode, n);
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
    } finally {
      const all = crew.owner ? [...crew.counters, crew.owner] : crew.counters;
      await Promise.all(all.map((w) => w.terminate().catch(() => undefined)));
    }
    return { rows };
  });
}
