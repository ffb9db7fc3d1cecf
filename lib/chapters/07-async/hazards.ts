/**
 * Chapter 07's async hazards on the event-loop model: three requests started together and what `Promise.all`,
 * `Promise.allSettled`, `Promise.any` and `Promise.race` make of them — when each settles, and that the requests
 * keep running after `all` (or `race`) has already given up. The model has `all` only; the other three are written
 * here with `newPromise` / `then`, step for step as the ECMAScript specification does them. Simulated ms.
 */
import { checkOptions } from "../../errors/validate";
import { EventLoopInputError, type LoopPromise, type LoopRun, runLoop } from "../../eventloop/index";

/** One request: it takes `ms` of (awaited) IO, then fulfills with its name or, if `fails`, rejects. */
export interface HazardRequest {
  name: string;
  ms: number;
  fails?: boolean;
}

/** The combinators compared, in the order shown. */
export const COMBINATORS = ["Promise.all", "Promise.allSettled", "Promise.any", "Promise.race"] as const;
export type CombinatorName = (typeof COMBINATORS)[number];

/** When something settled, and how (simulated ms). */
export interface Settlement {
  name: string;
  /** Settled at (ms). */
  at: number;
  outcome: "fulfilled" | "rejected";
  /** The value or the reason, as text ("A", "Error: B failed", "[A, Error: B failed, …]"). */
  text: string;
}

/** A model run of `combinatorScenario`. */
export interface CombinatorScenario {
  run: LoopRun;
  requests: (HazardRequest & Settlement)[];
  combinators: (Settlement & { name: CombinatorName })[];
  /** Labels of the model's rejected promises that nobody handled (none: every combinator handles them all). */
  unhandled: string[];
}

/** A: 30 ms, fulfills; B: 10 ms, rejects; C: 50 ms, rejects. */
export function defaultRequests(): HazardRequest[] {
  return [
    { name: "A", ms: 30 },
    { name: "B", ms: 10, fails: true },
    { name: "C", ms: 50, fails: true },
  ];
}

function checkRequests(requests: unknown): HazardRequest[] {
  const example = 'e.g. [{ name: "A", ms: 30 }, { name: "B", ms: 10, fails: true }]';
  if (!Array.isArray(requests) || requests.length < 1 || requests.length > 8)
    throw new EventLoopInputError(`Expected 1 to 8 requests, got ${String(requests)}: ${example}`);
  const names = new Set<string>();
  return requests.map((r, i) => {
    const q = r as Partial<HazardRequest> | null;
    if (!q || typeof q.name !== "string" || q.name.trim() === "" || names.has(q.name))
      throw new EventLoopInputError(`Request ${i + 1} needs a name of its own (a non-empty string): ${example}`);
    if (typeof q.ms !== "number" || !Number.isFinite(q.ms) || q.ms < 0)
      throw new EventLoopInputError(`Request "${q.name}" needs \`ms\` ≥ 0 (its IO time), got ${String(q.ms)}`);
    names.add(q.name);
    return { name: q.name, ms: q.ms, fails: q.fails === true };
  });
}

const settledValue = (v: { value?: unknown; reason?: unknown }) => ("value" in v ? v.value : v.reason);

const show = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(show).join(", ")}]`
    : v instanceof Error
      ? `${v.name}: ${v.message}`
      : v && typeof v === "object" && "status" in v
        ? `${(v as { status: string }).status} ${show(settledValue(v as { value?: unknown; reason?: unknown }))}`
        : String(v);

/**
 * Start every request at t = 0 (each an async task awaiting its IO), hand the same promises to the `combinators`
 * (default: all four) and record when each request and each combinator settles. Nothing else handles the requests'
 * promises: with `combinators: []` their rejections are unhandled, and the run lists them.
 */
export function combinatorScenario(
  requests: HazardRequest[] = defaultRequests(),
  options: { combinators?: CombinatorName[] } = {},
): CombinatorScenario {
  const reqs = checkRequests(requests);
  const opts = checkOptions<{ combinators: CombinatorName[] }>(
    EventLoopInputError,
    "the options object of combinatorScenario",
    options,
    ["combinators"],
  );
  const chosen = opts.combinators ?? [...COMBINATORS];
  if (!Array.isArray(chosen) || chosen.some((c) => !(COMBINATORS as readonly string[]).includes(c)))
    throw new EventLoopInputError(
      `Expected \`combinators\` to list some of ${COMBINATORS.map((c) => JSON.stringify(c)).join(", ")}, got ` +
        `${JSON.stringify(chosen)}`,
    );
  const settled: Settlement[] = [];
  const values = new Map<string, unknown>();
  const run = runLoop(({ asyncFn, io, all, newPromise, resolved, now, log }) => {
    const note = (name: string, outcome: Settlement["outcome"], v: unknown) => {
      settled.push({ name, at: now(), outcome, text: show(v) });
      log(`${name} ${outcome}: ${show(v)}`);
    };
    const ps = reqs.map((r) =>
      asyncFn(r.name, function* () {
        yield io(r.ms, undefined, `${r.name}'s request`);
        if (r.fails) {
          const e = new Error(`${r.name} failed`);
          values.set(r.name, e);
          throw e;
        }
        values.set(r.name, r.name);
        return r.name;
      }),
    );
    const make: Record<CombinatorName, () => LoopPromise<unknown>> = {
      "Promise.all": () => all(ps, "Promise.all"),
      "Promise.allSettled": () =>
        newPromise<unknown[]>((resolve) => {
          const out: unknown[] = new Array(ps.length);
          let left = ps.length;
          const done = (i: number, r: unknown) => {
            out[i] = r;
            if (--left === 0) resolve(out);
          };
          ps.forEach((p, i) => {
            resolved(p).then(
              (value) => done(i, { status: "fulfilled", value }),
              (reason) => done(i, { status: "rejected", reason }),
            );
          });
        }, "Promise.allSettled"),
      "Promise.any": () =>
        newPromise<unknown>((resolve, reject) => {
          const errors: unknown[] = new Array(ps.length);
          let left = ps.length;
          ps.forEach((p, i) => {
            resolved(p).then(resolve, (e) => {
              errors[i] = e;
              if (--left === 0) reject(new AggregateError(errors, "All promises were rejected"));
            });
          });
        }, "Promise.any"),
      "Promise.race": () =>
        newPromise<unknown>((resolve, reject) => {
          for (const p of ps) resolved(p).then(resolve, reject);
        }, "Promise.race"),
    };
    for (const name of COMBINATORS) {
      if (!chosen.includes(name)) continue;
      make[name]().then(
        (v) => note(name, "fulfilled", v),
        (e) => note(name, "rejected", e),
      );
    }
  });
  const requestsOut = reqs.map((r) => {
    const t = run.tasks.find((x) => x.name === r.name);
    const at = t?.completed ?? NaN;
    const outcome: Settlement["outcome"] = t?.status === "failed" ? "rejected" : "fulfilled";
    return { ...r, at, outcome, text: show(values.get(r.name)) };
  });
  return {
    run,
    requests: requestsOut,
    combinators: COMBINATORS.filter((c) => chosen.includes(c)).map((name) => ({
      ...(settled.find((s) => s.name === name) as Settlement),
      name,
    })),
    unhandled: run.unhandledRejections,
  };
}
