/**
 * Chapter 07's async hazards on real Node:
 * - `Promise.race` with a timeout, in fresh node processes: the losing work keeps running and does its side effect;
 *   a timeout timer that is not cleared keeps the process alive until it fires;
 * - cancellation with `AbortSignal.timeout(ms)` in this process: only code that looks at the signal stops;
 * - `Promise.all` / `allSettled` / `any` / `race` over three real requests, in a fresh process that reports any
 *   unhandled rejection;
 * - unhandled rejections: the default mode `throw` (exit code 1), `--unhandled-rejections=warn`, a handler attached
 *   late (`unhandledRejection`, then `rejectionHandled`), and `await a; await b` on promises started together.
 * Every child process is tracked and killed on timeout; every timer started here ends before the result returns.
 */
import { setTimeout as sleepAbortable } from "node:timers/promises";
import { checkInt, checkOptions, RealInputError, type RealLimits, runBounded } from "../../real/index";
import { COMBINATORS, type CombinatorName, defaultRequests, type HazardRequest } from "./hazards";
import { type NodeScriptResult, realOptions, runScript } from "./real-node";

/** A line a script printed: "<ms since start> <text>". */
export interface TimedEvent {
  /** Milliseconds since the script started. */
  at: number;
  text: string;
}

/** One script run: exit code, what it printed with times, and its error output summed up in a few lines. */
export interface HazardRun {
  label: string;
  /** Flags given to node ("" for none). */
  flags: string;
  exitCode: number | null;
  events: TimedEvent[];
  /** The error and warning lines of stderr, process ids replaced by PID. */
  stderrLines: string[];
  stderr: string;
}

// process.stdout and console's formatting are set up lazily, on the first console.log: that costs a few ms (tens on a
// busy machine) of module loading, which would land between the first event and the next one. So the script logs an
// empty line (toRun keeps only "<ms> <text>" lines) before the clock starts.
const PRELUDE =
  'console.log("");\n' +
  'const t0 = performance.now(); const say = (s) => console.log(Math.round(performance.now() - t0) + " " + s);\n' +
  'process.on("exit", (code) => say("process exits, code " + code));\n';

function toRun(label: string, flags: string[], r: NodeScriptResult): HazardRun {
  const events = r.lines
    .map((l) => /^(\d+) (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ at: Number(m[1]), text: m[2] }));
  const stderrLines = r.stderr
    .split("\n")
    .filter((l) => /^(\(node:\d+\) )?[A-Za-z]*(Error|Warning)\b/.test(l))
    .map((l) => l.replace(/\(node:\d+\)/, "(node:PID)"));
  return { label, flags: flags.join(" "), exitCode: r.exitCode, events, stderrLines, stderr: r.stderr };
}

async function runAll(
  label: string,
  options: RealLimits,
  scripts: { label: string; source: string; flags?: string[] }[],
): Promise<HazardRun[]> {
  checkOptions(label, options);
  return runBounded(label, options, 15_000, (res) =>
    Promise.all(
      scripts.map(async (s) =>
        toRun(s.label, s.flags ?? [], await runScript(res, PRELUDE + s.source, "commonjs", s.flags ?? [])),
      ),
    ),
  );
}

/** Options of `raceTimeoutReal` (ms). */
export interface RaceTimeoutOptions extends RealLimits {
  /** The slow work of the first run (default 120) and its timeout (default 40). */
  slowWorkMs?: number;
  timeoutMs?: number;
  /** The fast work of the other two runs (default 20) and their timeout (default 200). */
  fastWorkMs?: number;
  longTimeoutMs?: number;
}

const raceScript = (workMs: number, limitMs: number, clear: boolean) => `
const work = new Promise((resolve) => setTimeout(() => { say("work: order saved"); resolve("saved"); }, ${workMs}));
let timer;
const timeout = new Promise((_, reject) => {
  timer = setTimeout(() => { say("timeout timer fires"); reject(new Error("timed out")); }, ${limitMs});
});
const raced = Promise.race([work, timeout]);
raced.then((v) => say("race fulfilled: " + v), (e) => say("race rejected: " + e.message));
${clear ? "raced.then(() => clearTimeout(timer), () => clearTimeout(timer));" : ""}`;

/**
 * Three fresh node processes, each racing work (a timer that prints "work: order saved") against a timeout:
 * slow work vs a short timeout; fast work vs a long timeout left running; the same with `clearTimeout` once the
 * race settles. Each prints its events with times, and when the process exits.
 */
export async function raceTimeoutReal(opts: RaceTimeoutOptions = {}): Promise<HazardRun[]> {
  const keys = ["slowWorkMs", "timeoutMs", "fastWorkMs", "longTimeoutMs"];
  const options = realOptions("raceTimeoutReal", opts, keys);
  const slow = checkInt("slowWorkMs", options.slowWorkMs ?? 120, 1, 5000, "e.g. 120");
  const limit = checkInt("timeoutMs", options.timeoutMs ?? 40, 1, 5000, "e.g. 40");
  const fast = checkInt("fastWorkMs", options.fastWorkMs ?? 20, 1, 5000, "e.g. 20");
  const long = checkInt("longTimeoutMs", options.longTimeoutMs ?? 200, 1, 5000, "e.g. 200");
  const { slowWorkMs, timeoutMs, fastWorkMs, longTimeoutMs, ...limits } = options;
  return runAll("raceTimeoutReal", limits, [
    { label: `work ${slow} ms, timeout ${limit} ms`, source: raceScript(slow, limit, false) },
    { label: `work ${fast} ms, timeout ${long} ms, timer left running`, source: raceScript(fast, long, false) },
    { label: `work ${fast} ms, timeout ${long} ms, clearTimeout`, source: raceScript(fast, long, true) },
  ]);
}

/** How a worker treats the signal it was given. */
export type SignalUse = "ignores" | "checks" | "passes";

/** What one worker of `cancellationReal` did: the steps it completed (ms since start) and how it ended. */
export interface CancellationRun {
  use: SignalUse;
  description: string;
  steps: { step: number; at: number }[];
  /** "finished", or the error's name, with its cause's name when it has one ("AbortError (cause: TimeoutError)"). */
  ended: string;
  endedAt: number;
  /** When its signal aborted (ms since start; null if it had not by the end): `after` ms, later on a busy machine. */
  abortedAt: number | null;
}

/** Options of `cancellationReal` (ms). */
export interface CancellationOptions extends RealLimits {
  /** The signal aborts after this long: `AbortSignal.timeout(abortAfterMs)` (default 30). */
  abortAfterMs?: number;
  /** Steps of work (default 4), each `stepMs` long (default 20). */
  steps?: number;
  stepMs?: number;
}

const USES: Record<SignalUse, string> = {
  ignores: "takes the signal, never looks at it",
  checks: "signal.throwIfAborted() before each step",
  passes: "passes it on: setTimeout(ms, v, { signal })",
};

/**
 * Three workers in this process, started together, each given its own `AbortSignal.timeout(abortAfterMs)`; each
 * does `steps` steps of `await` a `stepMs` timer. One ignores the signal, one checks it between steps, one passes it
 * to `setTimeout` of `node:timers/promises`, which rejects with an AbortError as soon as the signal aborts.
 */
export async function cancellationReal(options: CancellationOptions = {}): Promise<CancellationRun[]> {
  const o = realOptions("cancellationReal", options, ["abortAfterMs", "steps", "stepMs"]);
  const { abortAfterMs, steps, stepMs, ...limits } = o;
  const after = checkInt("abortAfterMs", abortAfterMs ?? 30, 1, 5000, "e.g. 30");
  const n = checkInt("steps", steps ?? 4, 1, 20, "e.g. 4");
  const ms = checkInt("stepMs", stepMs ?? 20, 1, 1000, "e.g. 20");
  return runBounded("cancellationReal", limits, 10_000 + n * ms, async () => {
    const t0 = performance.now();
    const now = () => Math.round(performance.now() - t0);
    const plain = (d: number) => new Promise<void>((r) => setTimeout(r, d));
    const worker = async (use: SignalUse): Promise<CancellationRun> => {
      const signal = AbortSignal.timeout(after);
      let abortedAt: number | null = null;
      signal.addEventListener("abort", () => (abortedAt = now()), { once: true });
      const done: { step: number; at: number }[] = [];
      const base = { use, description: USES[use], steps: done };
      try {
        for (let i = 1; i <= n; i++) {
          if (use === "checks") signal.throwIfAborted();
          if (use === "passes") await sleepAbortable(ms, undefined, { signal });
          else await plain(ms);
          done.push({ step: i, at: now() });
        }
        return { ...base, ended: "finished", endedAt: now(), abortedAt };
      } catch (e) {
        const err = e as Error & { cause?: { name?: string } };
        const cause = err.cause?.name ? ` (cause: ${err.cause.name})` : "";
        return { ...base, ended: `${err.name}${cause}`, endedAt: now(), abortedAt };
      }
    };
    return Promise.all((["ignores", "checks", "passes"] as const).map(worker));
  });
}

/** Options of `combinatorsReal`. */
export interface CombinatorsRealOptions extends RealLimits {
  /** The requests (default A: 30 ms, B: 10 ms fails, C: 50 ms fails), real timers of that many ms. */
  requests?: HazardRequest[];
  /** The combinators handed the promises (default all four). */
  combinators?: CombinatorName[];
}

/** What `combinatorsReal` saw: events with times (ms since start), and the rejections nobody handled. */
export interface CombinatorsRealResult {
  events: TimedEvent[];
  /** Messages of the rejections reported by `unhandledRejection` while it ran (none expected). */
  unhandled: string[];
  /** How late the latest request's timer fired (ms): large on a busy machine, where the times bunch up. */
  lateMs: number;
}

const describe = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(describe).join(", ")}]`
    : v instanceof Error
      ? v.message
      : v && typeof v === "object" && "status" in v
        ? `${(v as PromiseSettledResult<unknown>).status} ${describe(
            (v as PromiseFulfilledResult<unknown>).value ?? (v as PromiseRejectedResult).reason,
          )}`
        : String(v);

/**
 * The requests of `combinatorScenario` on real timers in this process: every request and every combinator notes
 * when it settles; a listener on `unhandledRejection` notes any rejection nobody handled (and is removed at the end).
 * Resolves once every request has settled and 10 ms more have passed.
 */
export async function combinatorsReal(options: CombinatorsRealOptions = {}): Promise<CombinatorsRealResult> {
  const o = realOptions("combinatorsReal", options, ["requests", "combinators"]);
  const { requests = defaultRequests(), combinators = [...COMBINATORS], ...limits } = o;
  if (!Array.isArray(combinators) || combinators.some((c) => !(COMBINATORS as readonly string[]).includes(c)))
    throw new RealInputError(
      `combinatorsReal: \`combinators\` must list some of ${COMBINATORS.join(", ")}, ` +
        `got ${JSON.stringify(combinators)}`,
    );
  if (!Array.isArray(requests) || requests.length < 1 || requests.length > 8)
    throw new RealInputError('combinatorsReal: pass 1 to 8 requests, e.g. [{ name: "A", ms: 30 }]');
  const reqs = requests.map((r) => ({
    name: String(r?.name),
    ms: checkInt(`ms of request ${r?.name}`, r?.ms, 0, 5000, "e.g. 30"),
    fails: r?.fails === true,
  }));
  return runBounded("combinatorsReal", limits, 10_000, async () => {
    const t0 = performance.now();
    const events: TimedEvent[] = [];
    const say = (text: string) => events.push({ at: Math.round(performance.now() - t0), text });
    const unhandled: string[] = [];
    const listener = (e: unknown) => unhandled.push(describe(e));
    process.on("unhandledRejection", listener);
    try {
      const ps = reqs.map(
        (r) =>
          new Promise<string>((resolve, reject) =>
            setTimeout(() => {
              say(`${r.name} ${r.fails ? "rejects" : "fulfills"}`);
              if (r.fails) reject(new Error(`${r.name} failed`));
              else resolve(r.name);
            }, r.ms),
          ),
      );
      const make: Record<CombinatorName, () => Promise<unknown>> = {
        "Promise.all": () => Promise.all(ps),
        "Promise.allSettled": () => Promise.allSettled(ps),
        "Promise.any": () => Promise.any(ps),
        "Promise.race": () => Promise.race(ps),
      };
      for (const name of combinators)
        make[name]().then(
          (v) => say(`${name} fulfilled: ${describe(v)}`),
          (e) => say(`${name} rejected: ${e instanceof AggregateError ? "AggregateError" : describe(e)}`),
        );
      const last = Math.max(...reqs.map((r) => r.ms));
      await new Promise((r) => setTimeout(r, last + 10));
      const late = reqs.map((r) => (events.find((e) => e.text.startsWith(`${r.name} `))?.at ?? r.ms) - r.ms);
      return { events, unhandled, lateMs: Math.max(0, ...late) };
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
}

const CATCH = 'catch (e) { say("caught: " + e.message); }';

/** Options of `unhandledRejectionsReal`. */
export interface UnhandledOptions extends RealLimits {
  /** How late the handler is attached (default 20 ms). */
  lateMs?: number;
}

/**
 * Fresh node processes around one rejected promise whose handler is attached `lateMs` later: in the default mode
 * (`throw` since Node 15), with `--unhandled-rejections=warn`, and with `unhandledRejection` / `rejectionHandled`
 * listeners; then `await a; await b` inside try/catch where b rejects first, and the same with `Promise.all`.
 */
export async function unhandledRejectionsReal(options: UnhandledOptions = {}): Promise<HazardRun[]> {
  const { lateMs, ...limits } = realOptions("unhandledRejectionsReal", options, ["lateMs"]);
  const late = checkInt("lateMs", lateMs ?? 20, 1, 5000, "e.g. 20");
  const lateCatch = `
const p = Promise.reject(new Error("nobody caught me yet"));
setTimeout(() => { say("catch attached"); p.catch((e) => say("caught: " + e.message)); }, ${late});`;
  const listeners = `
process.on("unhandledRejection", (e) => say("unhandledRejection event: " + e.message));
process.on("rejectionHandled", () => say("rejectionHandled event"));`;
  const req = `const req = (ms, fails) => new Promise((resolve, reject) =>
  setTimeout(() => (fails ? reject(new Error("b failed")) : resolve("a")), ms));
const a = req(${2 * late}, false), b = req(${late / 2}, true);`;
  return runAll("unhandledRejectionsReal", limits, [
    { label: `catch attached ${late} ms late`, source: lateCatch },
    { label: `catch attached ${late} ms late`, source: lateCatch, flags: ["--unhandled-rejections=warn"] },
    { label: `catch attached ${late} ms late, listeners on`, source: listeners + lateCatch },
    {
      label: "try { await a; await b } (b rejects first)",
      source: `${req}\n(async () => {\n  try { await a; await b; say("both done"); }\n  ${CATCH}\n})();`,
    },
    {
      label: "try { await Promise.all([a, b]) }",
      source: `${req}\n(async () => {\n  try { await Promise.all([a, b]); say("both done"); }\n  ${CATCH}\n})();`,
    },
  ]);
}
