/**
 * A coroutine seen from inside (chapter 03 section 6): requests written as generators that yield what they wait
 * for, run on lib/sim with the CPU as a SimResource — all at once, then one after another — traced, drawn and told.
 */
import { type Figure, schedGantt } from "../../plot/index";
import type { SchedTraceSegment } from "../../sched/index";
import { SimEnvironment, type SimGenerator, SimInputError, SimRequest, type SimResource } from "../../sim/index";

/**
 * One request written as a coroutine: a generator that yields the events it waits for (`env.timeout(ms)`,
 * `cpu.request()`, or `yield* cpu.use(ms)` for both). `cpu` is a SimResource: the CPU slots the requests share.
 */
export type CoroutineBody = (env: SimEnvironment, cpu: SimResource) => SimGenerator<unknown>;

/** Options of `coroutineDemo`. */
export interface CoroutineDemoOptions {
  /** How many requests run the body, named A, B, C, … (default 3, at most 26). */
  requests?: number;
  /** CPU slots, the capacity of the SimResource (default 1: one thread runs one coroutine at a time). */
  cpus?: number;
}

/** What one request did, in simulated ms. */
export interface CoroutineRequestStats {
  name: string;
  /** Time holding a CPU slot (computing, or blocked while holding it). */
  cpu: number;
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
   * Who did what when, in simulated ms, in lib/sched's trace shape: "running" (holding CPU slot `core`), "ready"
   * (queued for a slot), "io" (waiting without one). `task` indexes `requests`.
   */
  trace: SchedTraceSegment[];
}

/** One row of the comparison table (all simulated ms, exact). */
export type CoroutineRow = {
  run: string;
  "total (ms)": number;
  "CPU busy (ms)": number;
  "CPU busy (%)": number;
  "queued for the CPU (ms)": number;
  "waiting for IO (ms)": number;
};

/** `coroutineDemo`'s result: the requests as coroutines sharing the CPU, the same requests one after another. */
export interface CoroutineDemo {
  cpus: number;
  concurrent: CoroutineRun;
  sequential: CoroutineRun;
  rows: CoroutineRow[];
}

/**
 * Wraps a request's generator: passes every event it yields on to the environment (and the outcome back), and
 * records how long each wait lasted. A wait for a CPU slot is "ready"; any other wait while holding a slot is
 * "running" (work — or a blocking call, which keeps the CPU busy as well); any other wait is "io".
 */
function* traced(
  env: SimEnvironment,
  cpu: SimResource,
  gen: SimGenerator<unknown>,
  task: number,
  name: string,
  trace: SchedTraceSegment[],
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
    const holding = !asksCpu && mine.some((r) => cpu.users.includes(r));
    const from = env.now;
    try {
      outcome = { ok: true, value: yield ev };
    } catch (e) {
      outcome = { ok: false, value: e };
    }
    if (env.now > from) {
      const state = asksCpu ? "ready" : holding ? "running" : "io";
      trace.push({ task, name, core: -1, start: from, end: env.now, state, on: state === "io" ? undefined : "CPU" });
    }
  }
  done(env.now);
}

/** Gives each "running" segment a CPU slot (the lowest free one, in order of start): at most `cpus` at once. */
function assignSlots(trace: SchedTraceSegment[], cpus: number): void {
  const freeAt = new Array<number>(cpus).fill(-Infinity);
  const running = trace.filter((s) => s.state === "running").sort((a, b) => a.start - b.start || a.task - b.task);
  for (const s of running) {
    const slot = freeAt.findIndex((t) => t <= s.start);
    s.core = slot;
    s.on = cpus > 1 ? `CPU ${slot + 1}` : "CPU";
    freeAt[slot] = s.end;
  }
}

function runCoroutines(body: CoroutineBody, names: string[], cpus: number, oneAfterAnother: boolean): CoroutineRun {
  const env = new SimEnvironment();
  const cpu = env.resource(cpus, "CPU");
  const trace: SchedTraceSegment[] = [];
  const finish = names.map(() => NaN);
  const start = (i: number) => {
    const gen = body(env, cpu);
    if (gen === null || typeof gen !== "object" || typeof (gen as { next?: unknown }).next !== "function")
      throw new SimInputError(
        `coroutineDemo expects a generator function, e.g. \`function* request(env, cpu) { ` +
          `yield* cpu.use(2); yield env.timeout(20); }\`; the body returned ${String(gen)}.`,
      );
    return env.process(
      traced(env, cpu, gen, i, names[i], trace, (t) => (finish[i] = t)),
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
  assignSlots(trace, cpus);
  trace.sort((a, b) => a.start - b.start || a.task - b.task);
  const sum = (i: number, state: string) =>
    trace.filter((s) => s.task === i && s.state === state).reduce((a, s) => a + s.end - s.start, 0);
  const requests = names.map((name, i) => ({
    name,
    cpu: sum(i, "running"),
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
    const busy = r.requests.reduce((a, q) => a + q.cpu, 0);
    return {
      run: r.label,
      "total (ms)": r.total,
      "CPU busy (ms)": busy,
      "CPU busy (%)": r.total > 0 ? Math.round((100 * busy) / (r.total * cpus)) : 0,
      "queued for the CPU (ms)": r.requests.reduce((a, q) => a + q.queued, 0),
      "waiting for IO (ms)": r.requests.reduce((a, q) => a + q.io, 0),
    };
  };
  return { cpus, concurrent, sequential, rows: [row(concurrent), row(sequential)] };
}

/** Both runs of `coroutineDemo` in one Gantt (simulated ms): per request, on the CPU, queued for it, waiting for IO. */
export function coroutineGantt(d: CoroutineDemo): Figure {
  const runs = [d.concurrent, d.sequential];
  const short = (r: CoroutineRun) => (r === d.sequential ? "one after another" : "coroutines");
  const tasks = runs.flatMap((r) => r.requests.map((q) => ({ name: `${short(r)} · ${q.name}` })));
  const trace = runs.flatMap((r, k) =>
    r.trace.map((s) => ({
      ...s,
      task: s.task + k * d.concurrent.requests.length,
      name: `${short(r)} · ${s.name}`,
    })),
  );
  const title =
    `${d.concurrent.requests.length} requests on ${d.cpus} CPU${d.cpus > 1 ? "s" : ""}: ` +
    `${d.concurrent.total} ms as coroutines, ${d.sequential.total} ms one after another (simulated)`;
  const fig = schedGantt(
    { trace, tasks, machine: { cores: d.cpus }, policy: "coroutines" },
    { by: "task", color: "state", title, unit: "simulated ms" },
  );
  const legend: Record<string, string> = {
    running: "on the CPU",
    "ready (waiting for a core)": "queued for the CPU",
    IO: "waiting for IO (CPU free)",
  };
  return {
    data: fig.data.map((t) => ({ ...t, name: legend[String(t.name)] ?? t.name })),
    layout: { ...fig.layout, yaxis: { ...fig.layout.yaxis, title: { text: "request" } } },
  };
}

/** True when some request waits for IO while another request is on a CPU or waiting for IO too (positive overlap). */
function waitsOverlap(r: CoroutineRun): boolean {
  const io = r.trace.filter((x) => x.state === "io");
  const busy = r.trace.filter((x) => x.state === "io" || x.state === "running");
  return io.some((w) => busy.some((b) => b.task !== w.task && Math.min(w.end, b.end) > Math.max(w.start, b.start)));
}

/** Sentences comparing the two runs of `coroutineDemo` for the chapter; every number and claim comes from the runs. */
export function coroutineVerdict(d: CoroutineDemo): string {
  const c = d.concurrent.total,
    s = d.sequential.total;
  const [conc, seq] = d.rows;
  const n = d.concurrent.requests.length;
  const cpuWord = d.cpus === 1 ? "one CPU" : `${d.cpus} CPUs`;
  const subject =
    n > 1 ? `As coroutines sharing ${cpuWord}, the ${n} requests are` : `As a coroutine on ${cpuWord}, the request is`;
  const parts = [
    `${subject} done at **${c} ms** of simulated time; one after another ` +
      `${n > 1 ? "they take" : "it takes"} **${s} ms**.`,
  ];
  if (c < s) {
    const busy = conc["CPU busy (ms)"];
    const work =
      busy === seq["CPU busy (ms)"]
        ? `for the same **${busy} ms** of CPU work`
        : `with ${busy} ms of CPU work against ${seq["CPU busy (ms)"]} ms`;
    parts.push(`One after another is ${(s / c).toFixed(2)}× as long, ${work}.`);
    const overlap = waitsOverlap(d.concurrent);
    const parallel = d.concurrent.trace.some((x) => x.state === "running" && x.core > 0);
    if (overlap)
      parts.push(
        "The coroutines gain by waiting at the same time: while one waits for IO, another computes or " + "waits too.",
      );
    if (parallel)
      parts.push(
        `${overlap ? "And with" : "With"} ${d.cpus} CPUs, CPU steps also run at the same instant: ` +
          "that part is parallelism.",
      );
  } else if (c === s) {
    parts.push(
      `Nothing is gained: ` +
        (n === 1
          ? `a request alone has nobody to fill its waits.`
          : conc["waiting for IO (ms)"] === 0
            ? `no request ever waits without holding the CPU, so there is no wait for another to fill.`
            : `the waits never overlap.`),
    );
  } else parts.push(`Here one after another is faster.`);
  const q = conc["queued for the CPU (ms)"];
  parts.push(
    q > 0
      ? `CPU steps that found ${d.cpus === 1 ? "the CPU" : "every CPU"} taken queued for **${q} ms** in all.`
      : `No request ever queued for the CPU.`,
  );
  return parts.join(" ");
}
