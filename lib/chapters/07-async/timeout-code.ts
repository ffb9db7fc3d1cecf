/**
 * Chapter 07, write your own async code on the real event loop: `withTimeout(work, ms)` gives `work` an AbortSignal
 * and settles like it, unless `ms` pass first: then it rejects AND aborts the signal, so the work can stop. Once it
 * has settled it leaves no timer behind. The check runs the learner's function against four kinds of work, with
 * real timers; three cases do not depend on timing (the work settles at once, or only when aborted), one does, with
 * wide margins (a 20 ms timeout against 100 ms of work). Feedback is ✓ or ✗ with a table; it never throws.
 */
import { ChapterInputError } from "../../errors";
import { htmlTable } from "../../plot/index";
import { type CodeCheck, showCodeCheck } from "../05-races-code";

/** What the learner writes. */
export type WithTimeout = (work: (signal: AbortSignal) => Promise<unknown>, ms: number) => Promise<unknown>;

/** One case of the check: what was asked, what happened, ✓ or ✗. */
export interface TimeoutCase {
  name: string;
  ok: boolean;
  /** What happened (and on ✗ what to change). */
  detail: string;
}

/** Active, referenced timers of this process (unref'd ones, such as AbortSignal.timeout's, do not count). */
function activeTimers(): number {
  const info = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  return info ? info.call(process).filter((t) => t === "Timeout").length : 0;
}

/** Let callbacks queued by the settlement (finally, then) run: a turn of the loop, without a timer. */
const turn = () => new Promise<void>((r) => setImmediate(r));

type Settled = { state: "fulfilled"; value: unknown } | { state: "rejected"; reason: unknown } | { state: "pending" };

/**
 * Wait for `p` at most `limitMs`. The guard timer is gone (cleared or fired) before the case counts timers, and it
 * keeps a script alive while the learner's promise is pending.
 */
function settleWithin(p: Promise<unknown>, limitMs: number): Promise<Settled> {
  return new Promise((resolve) => {
    const guard = setTimeout(() => resolve({ state: "pending" }), limitMs);
    p.then(
      (value) => {
        clearTimeout(guard);
        resolve({ state: "fulfilled", value });
      },
      (reason) => {
        clearTimeout(guard);
        resolve({ state: "rejected", reason });
      },
    );
  });
}

const text = (v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : (JSON.stringify(v) ?? String(v)));

/** Call the learner's function; a synchronous throw becomes a rejection, a non-promise a fulfilled value. */
function call(withTimeout: WithTimeout, work: (signal: AbortSignal) => Promise<unknown>, ms: number): Promise<unknown> {
  try {
    return Promise.resolve(withTimeout(work, ms));
  } catch (e) {
    return Promise.reject(e);
  }
}

function leftTimer(before: number): string | null {
  const extra = activeTimers() - before;
  return extra > 0
    ? `it settled, but ${extra === 1 ? "a timer is" : `${extra} timers are`} still running: clear your timeout ` +
        "(clearTimeout) once the race is decided, or it fires later — and keeps a script alive until it does."
    : null;
}

function signalOf(seen: unknown, called: boolean, r: Settled): string | null {
  const why = r.state === "rejected" ? `: it rejected with ${text(r.reason)}` : "";
  if (!called) return `withTimeout never called work(signal)${why}.`;
  return seen instanceof AbortSignal
    ? null
    : `work got ${seen === undefined ? "no signal" : text(seen)}: pass it the signal of an AbortController ` +
        "(controller.signal) or AbortSignal.timeout(ms).";
}

/**
 * Runs the four cases one after another (about 0.15 s) and says which pass. Never throws; a `withTimeout` that
 * never settles is given up after 1 s per case.
 */
export async function judgeWithTimeout(withTimeout: WithTimeout): Promise<CodeCheck & { cases: TimeoutCase[] }> {
  const cases: TimeoutCase[] = [];
  const add = (name: string, problem: string | null, okText: string) =>
    cases.push({ name, ok: problem === null, detail: problem ?? okText });
  try {
    if (typeof withTimeout !== "function")
      throw new ChapterInputError("withTimeout must be a function (work, ms) => Promise");

    // 1. the work is done at once: withTimeout gives its value and leaves no timer
    let before = activeTimers();
    let seen: unknown;
    let called = false;
    let r = await settleWithin(
      call(
        withTimeout,
        (signal) => {
          called = true;
          seen = signal;
          return Promise.resolve("ready");
        },
        500,
      ),
      1000,
    );
    await turn();
    add(
      'work fulfills at once ("ready"), timeout 500 ms',
      signalOf(seen, called, r) ??
        (r.state !== "fulfilled" || r.value !== "ready"
          ? `expected it to fulfill with "ready", it ${r.state === "pending" ? "was still pending after 1 s" : `${r.state === "fulfilled" ? `fulfilled with ${text(r.value)}` : `rejected with ${text(r.reason)}`}`}.`
          : leftTimer(before)),
      'fulfilled with "ready", no timer left',
    );

    // 2. the work fails at once: the same error, no timer left
    before = activeTimers();
    const boom = new Error("boom");
    r = await settleWithin(
      call(withTimeout, () => Promise.reject(boom), 500),
      1000,
    );
    await turn();
    add(
      "work rejects at once (Error: boom), timeout 500 ms",
      r.state !== "rejected" || r.reason !== boom
        ? `expected it to reject with the work's own error (boom), it ${r.state === "pending" ? "was still pending after 1 s" : `${r.state} with ${text(r.state === "fulfilled" ? r.value : r.reason)}`}.`
        : leftTimer(before),
      "rejected with the work's error, no timer left",
    );

    // 3. the work only ends when aborted: withTimeout must reject and abort the signal
    before = activeTimers();
    let sig: AbortSignal | undefined;
    called = false;
    r = await settleWithin(
      call(
        withTimeout,
        (signal) => {
          called = true;
          sig = signal;
          return new Promise((_, reject) => {
            if (signal instanceof AbortSignal)
              signal.addEventListener("abort", () => reject(new Error("work stopped: aborted")), { once: true });
          });
        },
        20,
      ),
      1000,
    );
    await turn();
    add(
      "work waits until aborted, timeout 20 ms",
      signalOf(sig, called, r) ??
        (r.state === "pending"
          ? "still pending after 1 s: after ms, reject (a timer, or AbortSignal.timeout) instead of waiting for work."
          : r.state === "fulfilled"
            ? `it fulfilled with ${text(r.value)}: a timeout must reject.`
            : !sig?.aborted
              ? "it rejected, but the work's signal was never aborted: call controller.abort() when the time is " +
                "up, so the work can stop (Promise.race alone leaves it running)."
              : leftTimer(before)),
      `rejected (${r.state === "rejected" ? text(r.reason) : ""}) and aborted the signal`,
    );

    // 4. the work ignores the signal and takes 100 ms: the timeout (20 ms) must win anyway
    let finished = false;
    const t0 = performance.now();
    let workDone: Promise<void> = Promise.resolve();
    const p = call(
      withTimeout,
      () =>
        (workDone = new Promise<void>((res) =>
          setTimeout(() => {
            finished = true;
            res();
          }, 100),
        )).then(() => "late"),
      20,
    );
    r = await settleWithin(p, 1000);
    const at = Math.round(performance.now() - t0);
    const wasFinished = finished;
    await workDone; // the work's own timer ends before the check does
    add(
      "work ignores the signal, takes 100 ms, timeout 20 ms",
      r.state === "rejected" && !wasFinished
        ? null
        : r.state === "fulfilled"
          ? `it fulfilled with ${text(r.value)} after ${at} ms: it waited for the work instead of rejecting at 20 ms.`
          : r.state === "pending"
            ? "still pending after 1 s."
            : `it rejected only after the work had finished (${at} ms): reject when the timer fires.`,
      `rejected after ${at} ms, before the work was done`,
    );
  } catch (e) {
    cases.push({ name: "your function", ok: false, detail: text(e) });
  }
  const failed = cases.find((c) => !c.ok);
  const table = htmlTable(
    cases.map((c) => ({ case: c.name, result: c.ok ? "✓" : "✗", "what happened": c.detail })),
    { caption: "withTimeout on real timers" },
  );
  return {
    ok: !failed,
    message: failed ? `${failed.name}: ${failed.detail}` : "",
    witness: null,
    table,
    result: null,
    cases,
  };
}

/** Shows the exercise's feedback (real timers, about 0.15 s). */
export async function checkWithTimeout(withTimeout: WithTimeout): Promise<void> {
  const c = await judgeWithTimeout(withTimeout);
  showCodeCheck("Exercise: withTimeout", c, "All four cases pass (the table says what each did).");
}

/** Written solutions and wrong answers (tests prove they pass / fail the check). */
export const WITH_TIMEOUT_SOLUTIONS = {
  /** Wrong: races a timer, but never aborts the work and never clears the timer. */
  raceOnly: ((work, ms) => {
    const controller = new AbortController();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms),
    );
    return Promise.race([work(controller.signal), timeout]);
  }) as WithTimeout,
  /** Wrong: no timeout at all. */
  noTimeout: ((work) => work(new AbortController().signal)) as WithTimeout,
  /** Wrong: aborts on time, but leaves the timer running when the work wins. */
  keepsTimer: ((work, ms) => {
    const controller = new AbortController();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => {
        controller.abort();
        reject(new Error(`timed out after ${ms} ms`));
      }, ms),
    );
    return Promise.race([work(controller.signal), timeout]);
  }) as WithTimeout,
  /** Right: a timer that aborts and rejects, cleared once the race is decided. */
  clearsTimer: ((work, ms) => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e = new Error(`timed out after ${ms} ms`);
        controller.abort(e);
        reject(e);
      }, ms);
    });
    return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
  }) as WithTimeout,
  /** Right too: AbortSignal.timeout(ms) is the timer (Node does not let it keep the process alive). */
  signalTimeout: ((work, ms) => {
    const signal = AbortSignal.timeout(ms);
    return new Promise((resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      work(signal).then(resolve, reject);
    });
  }) as WithTimeout,
};
