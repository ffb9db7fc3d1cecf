/**
 * Chapter 05, write your own race: exercises where the learner writes an async task and `checkAsync` explores every
 * schedule of it. Also the feedback every such exercise shows (chapters 06 and 07 use it too): ✓, or ✗ with the
 * failing witness schedule and its step table; a check never throws, whatever the learner's code does.
 */
import {
  type AsyncCheckResult,
  type AsyncProgram,
  type AsyncStore,
  checkAsync,
  replayAsync,
} from "../asynccheck/index";
import { showHtml } from "../notebook/index";
import { asyncStepTableHtml, escapeHtml } from "../plot/index";
import { type IncrementStressOptions, incrementStress, type SharedIncrement } from "../real/index";

/** What an exercise check found: ✓ or ✗, why, and the schedule that shows it (if any). */
export interface CodeCheck {
  ok: boolean;
  message: string;
  /** A schedule ("1 2 1 2") that shows the problem, or null. */
  witness: string | null;
  /** The step table of the witness (HTML), or "". */
  table: string;
  /** The exploration, when it ran to the end. */
  result: AsyncCheckResult | null;
}

/** What a judge says about a finished exploration: true, or why not with a schedule that shows it. */
export type Verdict = true | { why: string; witness: string | null };

/**
 * Explores `program` and applies `judge`; a learner's error (a throw, a loop, a bad key...) becomes ✗ feedback with
 * the error's message and schedule. Never throws.
 */
export async function judgeProgram(program: AsyncProgram, judge: (r: AsyncCheckResult) => Verdict): Promise<CodeCheck> {
  let result: AsyncCheckResult | null = null;
  let verdict: Verdict;
  // a store operation that is never awaited is never a step: note the first one a task left pending at its end
  let unawaited: string | null = null;
  const watched: AsyncProgram = {
    ...program,
    tasks: program.tasks.map((t) => watchAwaits(t, (op) => (unawaited ??= op))),
  };
  try {
    result = await checkAsync(watched);
    verdict = unawaited
      ? {
          why:
            `Your task ended while ${unawaited} was still waiting to run: an operation that is not awaited never ` +
            "happens. Put await before every s.read, s.write, s.update, s.lock and s.unlock.",
          witness: null,
        }
      : judge(result);
  } catch (e) {
    const err = e as { name?: string; message?: string; schedule?: string | null };
    let why = `${err.name ?? "Error"}: ${err.message ?? String(e)}`;
    if (!err.schedule)
      why = why.replace(/ \(the schedule below replays it with replayAsync\)/, "").replace(/ \(schedule: ""\)$/, "");
    verdict = { why, witness: err.schedule || null };
  }
  if (verdict === true) return { ok: true, message: "", witness: null, table: "", result };
  let table = "";
  if (verdict.witness) {
    try {
      table = asyncStepTableHtml(await replayAsync(program, verdict.witness));
    } catch {
      table = "";
    }
  }
  return { ok: false, message: verdict.why, witness: verdict.witness, table, result };
}

/**
 * The task, given a store that reports (through `onPending`) the first operation still pending when the task ended,
 * e.g. 's.write("count", …)'. Everything else is passed through unchanged.
 */
function watchAwaits(task: AsyncProgram["tasks"][number], onPending: (op: string) => void) {
  return async (s: AsyncStore) => {
    const pending: string[] = [];
    // a Proxy forwards every operation the store has (also ones added to the engine later), each one watched
    const store = new Proxy(s, {
      get(target, name, receiver) {
        const op = Reflect.get(target, name, receiver);
        if (typeof op !== "function" || typeof name !== "string") return op;
        return (...args: unknown[]) => {
          const key = typeof args[0] === "string" ? JSON.stringify(args[0]) : "";
          const label = `s.${name}(${key}${args.length > 1 ? ", …" : ""})`;
          const p = op.apply(target, args) as PromiseLike<unknown> | undefined;
          if (typeof p?.then !== "function") return p;
          pending.push(label);
          const done = () => pending.splice(pending.indexOf(label), 1);
          p.then(done, done);
          return p;
        };
      },
    });
    const value = await task(store);
    if (pending.length > 0) onPending(pending[0]);
    return value;
  };
}

/** Shows a check: a ✓/✗ box with the message and, on ✗, the witness's step table. */
export function showCodeCheck(label: string, c: CodeCheck, okMessage: string): void {
  const color = c.ok ? "#009E73" : "#D55E00";
  const text = c.ok ? okMessage : c.message;
  const witness = c.witness ? ` Schedule that shows it: <code>${escapeHtml(c.witness)}</code>.` : "";
  showHtml(
    `<div class="cbe-check ${c.ok ? "ok" : "no"}" style="border-left:4px solid ${color};padding:4px 10px;` +
      `margin:4px 0;font:14px system-ui,sans-serif"><b style="color:${color}">${c.ok ? "✓" : "✗"} ` +
      `${escapeHtml(label)}</b> ${escapeHtml(text)}${witness}</div>${c.table}`,
  );
}

/** Outcomes as "value × count" text, in the order found. */
export function outcomeText(r: AsyncCheckResult, key: string): string {
  return Object.entries(r.outcomes)
    .map(([store, o]) => `${key} = ${JSON.stringify(JSON.parse(store)[key])} in ${o.count}`)
    .join(", ");
}

/** A task as the learner writes it: `async (s) => { ... }`. */
export type LearnerTask = (s: AsyncStore) => Promise<unknown>;

/**
 * Exercise 1 (the race, written by you): `increment` adds 1 to `count` with `s.read` then `s.write`. ✓ when it adds
 * 1 when it runs alone AND two of them can lose an update.
 */
export async function judgeRacyIncrement(increment: LearnerTask): Promise<CodeCheck> {
  const alone = await judgeProgram({ init: { count: 0 }, tasks: [increment] }, (r) => {
    const ends = Object.keys(r.outcomes).map((k) => JSON.parse(k).count);
    return ends.length === 1 && ends[0] === 1
      ? true
      : { why: `Run alone, your task leaves count at ${ends.join(" or ")}: it should add 1.`, witness: null };
  });
  if (!alone.ok) return alone;
  return judgeProgram({ init: { count: 0 }, tasks: [increment, increment] }, (r) => {
    const lost = Object.entries(r.outcomes).find(([k]) => JSON.parse(k).count < 2);
    if (lost) return true;
    return {
      why:
        `Every one of the ${r.schedules} schedules of two tasks ends with count = 2 (${outcomeText(r, "count")}): ` +
        "no update is lost. Read count, await, then write the value you read + 1, as two separate store steps.",
      witness: null,
    };
  });
}

/** Exercise 2 (the fix without a lock): every schedule of three `increment` tasks must end with count = 3. */
export async function judgeSafeIncrement(increment: LearnerTask): Promise<CodeCheck> {
  const alone = await judgeProgram({ init: { count: 0 }, tasks: [increment] }, (r) => {
    const ends = Object.keys(r.outcomes).map((k) => JSON.stringify(JSON.parse(k).count));
    return ends.length === 1 && ends[0] === "1"
      ? true
      : {
          why: `Run alone, your task leaves count at ${ends.join(" or ")}: your update does not add 1.`,
          witness: null,
        };
  });
  if (!alone.ok) return alone;
  return judgeProgram({ init: { count: 0 }, tasks: [increment, increment, increment] }, (r) => {
    const wrong = Object.entries(r.outcomes).filter(([k]) => JSON.parse(k).count !== 3);
    if (wrong.length === 0 && r.deadlocks.length === 0) return true;
    if (wrong.length === 0) return { why: "Some schedules get stuck.", witness: r.deadlocks[0].witness };
    const n = wrong.reduce((a, [, o]) => a + o.count, 0);
    return {
      why:
        `${n} of ${r.schedules} schedules end with count ≠ 3 (${outcomeText(r, "count")}), although one task alone ` +
        "adds 1: another task runs between your read and your write. Make them one step.",
      witness: wrong[0][1].witness,
    };
  });
}

/**
 * Shows exercise 1's feedback; the witness table shows the lost update. Returns whether it passed and the task the
 * cells after the exercise should explore: the learner's when it passed, else the model solution (so that those cells
 * never explore an empty stub).
 */
export async function checkRacyIncrement(increment: LearnerTask): Promise<{ solved: boolean; task: LearnerTask }> {
  const c = await judgeRacyIncrement(increment);
  const r = c.result;
  const lost = r ? Object.entries(r.outcomes).find(([k]) => JSON.parse(k).count < 2)?.[1] : undefined;
  let msg = "";
  if (c.ok && r && lost) {
    const program = { init: { count: 0 }, tasks: [increment, increment] };
    c.witness = lost.witness;
    c.table = asyncStepTableHtml(await replayAsync(program, lost.witness));
    msg = `Your race is real: ${lost.count} of the ${r.schedules} schedules lose an update (${outcomeText(r, "count")}).`;
  }
  showCodeCheck("Exercise: a lost update over await", c, msg);
  return { solved: c.ok, task: c.ok ? increment : RACES_CODE_SOLUTIONS.racy };
}

/** Shows exercise 2's feedback. */
export async function checkSafeIncrement(increment: LearnerTask): Promise<void> {
  const c = await judgeSafeIncrement(increment);
  const n = (c.result?.schedules ?? 0).toLocaleString("en-US");
  showCodeCheck("Exercise: an increment no schedule can break", c, `All ${n} schedules of three tasks end at 3.`);
}

/** Written solutions and wrong answers (tests prove they pass / fail their checks). */
export const RACES_CODE_SOLUTIONS = {
  racy: async (s: AsyncStore) => {
    const v = await s.read("count");
    await s.write("count", v + 1);
  },
  safe: async (s: AsyncStore) => {
    await s.update("count", (v) => v + 1);
  },
  /** Wrong for exercise 1: one step, so nothing is ever lost. */
  wrongRacy: async (s: AsyncStore) => {
    await s.update("count", (v) => v + 1);
  },
  /** Wrong for exercise 2: a yield between the read and the write. */
  wrongSafe: async (s: AsyncStore) => {
    const v = await s.read("count");
    await s.yield();
    await s.write("count", v + 1);
  },
};

/**
 * Exercise 3 (real threads): `increment(counter, index)` must add 1 to `counter[index]` so that no update is lost
 * when several workers run it at once. ✓ when no run lost an update AND it uses Atomics (a plain read-add-write on a
 * SharedArrayBuffer is not atomic, even in a run that happened to lose nothing). Never throws.
 */
export async function judgeRealIncrement(
  increment: SharedIncrement,
  options: IncrementStressOptions = {},
): Promise<CodeCheck> {
  const fail = (message: string): CodeCheck => ({ ok: false, message, witness: null, table: "", result: null });
  try {
    const r = await incrementStress(increment, options);
    const runs = `${r.finals.length} runs of ${r.workers} workers × ${r.increments.toLocaleString("en-US")}`;
    const lost = r.lost.filter((n) => n > 0);
    const code = stripComments(increment.toString());
    const why = incrementAdvice(code);
    if (lost.length > 0) {
      return fail(
        `${lost.length} of ${runs} lost updates (${r.lost.map((n) => n.toLocaleString("en-US")).join(", ")} ` +
          `of ${r.expected.toLocaleString("en-US")}): ${why}`,
      );
    }
    const rmw = /Atomics\s*\.\s*(add|sub)\b/.test(code);
    const casLoop = /Atomics\s*\.\s*compareExchange\b/.test(code) && /\b(while|for|do)\b/.test(code);
    if (!rmw && !casLoop) {
      return fail(`No update was lost in ${runs} this time, but nothing makes your increment atomic: ${why}`);
    }
    return {
      ok: true,
      message: `No update lost in ${runs} (each run ${r.ms.map((m) => Math.round(m)).join(", ")} ms).`,
      witness: null,
      table: "",
      result: null,
    };
  } catch (e) {
    const err = e as { name?: string; message?: string };
    return fail(`${err.name ?? "Error"}: ${err.message ?? String(e)}`);
  }
}

/** The source without its comments (line and block comments); strings and template literals kept. */
export function stripComments(source: string): string {
  return source.replace(
    /("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (m, str) => (str ? m : " "),
  );
}

/** Why an increment that lost updates (or may) is not atomic, worded from what the code (comments stripped) does. */
function incrementAdvice(code: string): string {
  const advice: string[] = [];
  if (/Atomics\s*\.\s*compareExchange\b/.test(code))
    advice.push(
      "a compareExchange that fails (another thread changed the value since you read it) must retry: loop until " +
        "it returns the value you read.",
    );
  if (/Atomics\s*\.\s*exchange\b/.test(code))
    advice.push("Atomics.exchange(a, i, a[i] + 1) reads a[i] first: the read and the exchange are two steps.");
  if (/Atomics\s*\.\s*store\b/.test(code))
    advice.push("Atomics.load then Atomics.store are two atomic steps, not one: another thread can come between.");
  if (advice.length === 0) advice.push("a read, an add and a write are three steps another thread can come between.");
  return `${advice.join(" ")} Use Atomics.add, or a loop on Atomics.compareExchange.`;
}

/** Shows exercise 3's feedback (runs on real worker threads, bounded by `timeLimitMs`). */
export async function checkRealIncrement(increment: SharedIncrement, options: IncrementStressOptions = {}) {
  const c = await judgeRealIncrement(increment, options);
  showCodeCheck("Exercise: an increment real threads cannot break", c, c.message);
}

/** Written solutions and a wrong answer of exercise 3 (self-contained: they travel to the workers as text). */
export const REAL_INCREMENT_SOLUTIONS = {
  plain: (a: Int32Array, i: number) => {
    a[i] = a[i] + 1;
  },
  atomic: (a: Int32Array, i: number) => {
    Atomics.add(a, i, 1);
  },
  cas: (a: Int32Array, i: number) => {
    let old = Atomics.load(a, i);
    while (Atomics.compareExchange(a, i, old, old + 1) !== old) old = Atomics.load(a, i);
  },
};
