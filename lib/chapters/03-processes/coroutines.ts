/**
 * A coroutine seen from inside (chapter 03 section 6): requests written as generators that yield what they wait
 * for, run on lib/sim with the CPU as a SimResource — all at once, then one after another — and traced. The
 * figure, the sentences and the comparison with section 5's event-loop model are in coroutine-report.ts.
 */

import { ChapterInputError } from "../../errors";
import { checkOptions } from "../../errors/validate";
import type { SchedState, SchedTraceSegment } from "../../sched/index";
import {
  SimEnvironment,
  type SimEvent,
  type SimGenerator,
  SimInputError,
  SimRequest,
  type SimResource,
} from "../../sim/index";

/**
 * One request written as a coroutine: a generator that yields the events it waits for (`env.timeout(ms)`,
 * `cpu.request()`, or `yield* cpu.use(ms)` for both). `cpu` is a SimResource: the CPU slots the requests share.
 */
export type CoroutineBody = (env: SimEnvironment, cpu: SimResource) => SimGenerator<unknown>;

/** Options of `coroutineDemo`. */
export interface CoroutineDemoOptions {
  /** How many requests run the body, named A, B, C, … (default 3, at most 26). */
  requests?: number;
  /**
   * CPU slots, the capacity of the SimResource. 1 (the default): one thread, whose loop runs one coroutine at a
   * time. 2 or more: as many threads, each with its own loop (e.g. two workers), which one loop cannot do.
   */
  cpus?: number;
}

/** What one request did, in simulated ms. */
export interface CoroutineRequestStats {
  name: string;
  /** Time computing: holding a CPU slot, not blocked. */
  cpu: number;
  /** Time blocked (a `blockingCall` inside `holdCpu`) while holding a CPU slot: nobody else can use it. */
  blocked: number;
  /** Time queued for a CPU slot that another request held. */
  queued: number;
  /** Time waiting for anything else (IO) without holding a CPU slot: the time others can use. */
  io: number;
  /** When its generator returned. */
  finish: number;
}

/** One run of the requests: its total (simulated ms), each request, and who did what when. */
export interface CoroutineRun {
  label: string;
  /** Simulated ms at which the last request finished. */
  total: number;
  requests: CoroutineRequestStats[];
  /**
   * Who did what when, in simulated ms, in lib/sched's trace shape: "running" (computing on CPU slot `core`),
   * "blocked" (holding a slot, named in `on`, computing nothing), "ready" (queued for a slot), "io" (waiting
   * without one). `task` indexes `requests`.
   */
  trace: SchedTraceSegment[];
}

/** One row of the comparison table (all simulated ms, exact). */
export type CoroutineRow = {
  run: string;
  "total (ms)": number;
  "computing (ms)": number;
  "blocked in IO, CPU held (ms)": number;
  "CPU computing (%)": number;
  "queued for the CPU (ms)": number;
  "waiting for IO, CPU free (ms)": number;
};

/** `coroutineDemo`'s result: the requests as coroutines sharing the CPU, the same requests one after another. */
export interface CoroutineDemo {
  cpus: number;
  concurrent: CoroutineRun;
  sequential: CoroutineRun;
  rows: CoroutineRow[];
}

/** A blocking call inside `holdCpu`, e.g. `fs.readFileSync`: `ms` simulated ms with the CPU held, computing nothing. */
export interface BlockingCall {
  blockingMs: number;
}

/** `blockingCall(20)`: a step of `holdCpu` that waits 20 simulated ms without giving the CPU back (a sync call). */
export function blockingCall(ms: number): BlockingCall {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
    throw new SimInputError(`blockingCall expects the ms it blocks, a number ≥ 0, e.g. blockingCall(20); got ${ms}.`);
  return { blockingMs: ms };
}

/** The timeouts `holdCpu` made for blocking calls: the trace draws them as blocked, not computing. */
const BLOCKING = new WeakSet<SimEvent<unknown>>();

/**
 * `yield* holdCpu(cpu, 2, blockingCall(20), 2)`: one turn on the CPU. It waits for a slot once, then holds it
 * through every step — a number is ms of work, a `blockingCall` is ms blocked — and gives it back only at the end:
 * no point in between where another request could take the CPU, as in a handler that calls `fs.readFileSync`.
 */
export function* holdCpu(cpu: SimResource, ...steps: (number | BlockingCall)[]): SimGenerator<void> {
  const ms = steps.map((s) => (typeof s === "number" ? s : s && typeof s === "object" ? s.blockingMs : NaN));
  const bad = ms.findIndex((x) => typeof x !== "number" || !Number.isFinite(x) || x < 0);
  if (bad >= 0)
    throw new SimInputError(
      `holdCpu expects steps that are ms of work (a number ≥ 0) or blockingCall(ms), e.g. ` +
        `holdCpu(cpu, 2, blockingCall(20), 2); step ${bad + 1} is ${String(steps[bad])}.`,
    );
  const req = cpu.request();
  yield req;
  try {
    for (let i = 0; i < steps.length; i++) {
      const ev = cpu.env.timeout(ms[i]);
      if (typeof steps[i] !== "number") BLOCKING.add(ev);
      yield ev;
    }
  } finally {
    cpu.release(req);
  }
}

/** A trace segment and the CPU request it held (for the slot it is drawn on); null when it held none. */
interface Held {
  seg: SchedTraceSegment;
  req: SimRequest | null;
}

/**
 * Wraps a request's generator: passes every event it yields on to the environment (and the outcome back), and
 * records how long each wait lasted. A wait for a CPU slot is "ready"; a blocking call while holding a slot is
 * "blocked"; any other wait while holding a slot is "running" (work); any other wait is "io".
 */
function* traced(
  env: SimEnvironment,
  cpu: SimResource,
  gen: SimGenerator<unknown>,
  task: number,
  name: string,
  held: Held[],
  done: (t: number) => void,
): SimGenerator<void> {
  const mine: SimRequest[] = [];
  let outcome: { ok: boolean; value: unknown } = { ok: true, value: undefined };
  for (;;) {
    const step = outcome.ok ? gen.next(outcome.value) : gen.throw(outcome.value);
    if (step.done === true) break;
    const ev = step.value;
    const asksCpu = ev instanceof SimRequest && ev.resource === cpu;
    if (asksCpu) mine.push(ev);
    const req = asksCpu ? null : (mine.find((r) => cpu.users.includes(r)) ?? null);
    const from = env.now;
    try {
      outcome = { ok: true, value: yield ev };
    } catch (e) {
      outcome = { ok: false, value: e };
    }
    if (env.now > from) {
      const state: SchedState = asksCpu ? "ready" : req === null ? "io" : BLOCKING.has(ev) ? "blocked" : "running";
      const seg: SchedTraceSegment = {
        task,
        name,
        core: -1,
        start: from,
        end: env.now,
        state,
        on: state === "io" ? undefined : "CPU",
      };
      held.push({ seg, req });
    }
  }
  done(env.now);
}

/**
 * Gives each hold of the CPU a slot (the lowest free one, in order of start), so that a hold's segments stay on one
 * slot: "running" segments get it as `core`, every held segment names it in `on`.
 */
function assignSlots(held: Held[], cpus: number): void {
  const holds = new Map<SimRequest, SchedTraceSegment[]>();
  for (const h of held) if (h.req !== null) holds.set(h.req, [...(holds.get(h.req) ?? []), h.seg]);
  const spans = [...holds.values()].map((segs) => ({
    segs,
    start: Math.min(...segs.map((s) => s.start)),
    end: Math.max(...segs.map((s) => s.end)),
    task: segs[0].task,
  }));
  spans.sort((a, b) => a.start - b.start || a.task - b.task);
  const freeAt = new Array<number>(cpus).fill(-Infinity);
  for (const h of spans) {
    const slot = freeAt.findIndex((t) => t <= h.start);
    for (const s of h.segs) {
      if (s.state === "running") s.core = slot;
      s.on = cpus > 1 ? `CPU ${slot + 1}` : "CPU";
    }
    freeAt[slot] = h.end;
  }
}

function runCoroutines(body: CoroutineBody, names: string[], cpus: number, oneAfterAnother: boolean): CoroutineRun {
  const env = new SimEnvironment();
  const cpu = env.resource(cpus, "CPU");
  const held: Held[] = [];
  const finish = names.map(() => NaN);
  const start = (i: number) => {
    const gen = body(env, cpu);
    if (gen === null || typeof gen !== "object" || typeof (gen as { next?: unknown }).next !== "function")
      throw new SimInputError(
        `coroutineDemo expects a generator function, e.g. \`function* request(env, cpu) { ` +
          `yield* cpu.use(2); yield env.timeout(20); }\`; the body returned ${String(gen)}.`,
      );
    return env.process(
      traced(env, cpu, gen, i, names[i], held, (t) => (finish[i] = t)),
      names[i],
    );
  };
  if (oneAfterAnother) {
    env.process(
      (function* (): SimGenerator<void> {
        for (let i = 0; i < names.length; i++) yield start(i);
      })(),
      "one after another",
    );
  } else for (let i = 0; i < names.length; i++) start(i);
  env.run();
  assignSlots(held, cpus);
  const trace = held.map((h) => h.seg).sort((a, b) => a.start - b.start || a.task - b.task);
  const sum = (i: number, state: string) =>
    trace.filter((s) => s.task === i && s.state === state).reduce((a, s) => a + s.end - s.start, 0);
  const requests = names.map((name, i) => ({
    name,
    cpu: sum(i, "running"),
    blocked: sum(i, "blocked"),
    queued: sum(i, "ready"),
    io: sum(i, "io"),
    finish: finish[i],
  }));
  const label = oneAfterAnother ? "one after another" : `coroutines sharing ${cpus} CPU${cpus > 1 ? "s" : ""}`;
  return { label, total: Math.max(0, ...finish), requests, trace };
}

/**
 * Runs `requests` copies of a coroutine `body` on a simulated clock (lib/sim's SimEnvironment, SimPy-like) with
 * `cpus` CPU slots (a SimResource), twice: all started at once, each switching away at every `yield`; and one after
 * another (each starts when the previous returns). A model: simulated milliseconds, no real CPU or IO.
 */
export function coroutineDemo(body: CoroutineBody, options: CoroutineDemoOptions = {}): CoroutineDemo {
  options = checkOptions(ChapterInputError, "coroutineDemo's options", options, ["requests", "cpus"]) as typeof options;
  if (typeof body !== "function")
    throw new SimInputError(`coroutineDemo expects a generator function as its first argument, got ${String(body)}.`);
  const n = options.requests ?? 3;
  const cpus = options.cpus ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 26)
    throw new SimInputError(`Expected \`requests\` to be a whole number from 1 to 26, got ${String(n)}.`);
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 64)
    throw new SimInputError(`Expected \`cpus\` to be a whole number from 1 to 64, got ${String(cpus)}.`);
  const names = Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));
  const concurrent = runCoroutines(body, names, cpus, false);
  const sequential = runCoroutines(body, names, cpus, true);
  const row = (r: CoroutineRun): CoroutineRow => {
    const add = (f: (q: CoroutineRequestStats) => number) => r.requests.reduce((a, q) => a + f(q), 0);
    const busy = add((q) => q.cpu);
    return {
      run: r.label,
      "total (ms)": r.total,
      "computing (ms)": busy,
      "blocked in IO, CPU held (ms)": add((q) => q.blocked),
      "CPU computing (%)": r.total > 0 ? Math.round((100 * busy) / (r.total * cpus)) : 0,
      "queued for the CPU (ms)": add((q) => q.queued),
      "waiting for IO, CPU free (ms)": add((q) => q.io),
    };
  };
  return { cpus, concurrent, sequential, rows: [row(concurrent), row(sequential)] };
}
