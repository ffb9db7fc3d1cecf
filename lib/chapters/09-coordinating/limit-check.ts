/**
 * Exercise: write your own `limit(k)` (like p-limit). `limit(k)` returns `run(task)`; `run` starts `task()` as soon
 * as fewer than k tasks started through it are still running, and returns a promise of the task's result.
 *
 * The check runs the learner's real async code on this event loop with tasks whose ends it controls: for k = 1, 2, 3,
 * seven tasks end in several orders (first started first, last started first, seeded random); then one task fails.
 * It wants: never more than k running; never fewer than min(k, tasks not yet finished) (no batches, no idling);
 * tasks start in the order they were queued; every `run(...)` settles with its own task's result or error; and a
 * failed task frees its place. Feedback is ✓ or ✗ with what went wrong — never a thrown error.
 */

import { CourseError } from "../../errors";
import { reportCheck } from "../../notebook/index";
import { makeRng } from "../../sim/index";

/** A task: an async function of no arguments. */
export type LimitTask<T = unknown> = () => Promise<T>;
/** What `limit(k)` returns. */
export type LimitRun = <T>(task: LimitTask<T>) => Promise<T>;
/** The learner's limiter. */
export type LimitFactory = (k: number) => LimitRun;

/** The verdict: true, or why not (one sentence with the scenario). */
export interface LimitVerdict {
  ok: boolean;
  message: string;
  /** Scenarios run (each is k, an end order and whether a task fails). */
  scenarios: number;
}

type Order = "first started first" | "last started first" | `random, seed ${number}`;

const flush = async () => {
  // two loop turns: enough for promise chains, setImmediate and setTimeout(0) in the learner's code
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setImmediate(r));
  }
};

/** A failed scenario: caught below and turned into ✗ feedback, never shown as an error. */
class Fail extends CourseError {}

async function scenario(limit: LimitFactory, k: number, n: number, order: Order, failing: number | null) {
  const where = `k = ${k}, ${n} tasks, ended ${order}${failing === null ? "" : `, task ${failing + 1} fails`}`;
  const bad = (why: string): never => {
    throw new Fail(`${why} (${where}).`);
  };
  let run: unknown;
  try {
    run = limit(k);
  } catch (e) {
    bad(`limit(${k}) threw ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof run !== "function") bad(`limit(${k}) must return a function run(task), got ${typeof run}`);
  const started: number[] = [];
  const ends = new Map<number, () => void>();
  let running = 0;
  let finished = 0;
  let over: string | null = null;
  const task = (i: number) => () => {
    started.push(i);
    running++;
    if (running > k && !over) over = `${running} tasks were running at once when task ${i + 1} started`;
    return new Promise((resolve, reject) => {
      ends.set(i, () => {
        running--;
        finished++;
        if (i === failing) reject(new Error(`page ${i + 1} failed`));
        else resolve(`page ${i + 1}`);
      });
    });
  };
  const outcome: ({ ok: true; value: unknown } | { ok: false; error: unknown } | null)[] = Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    let p: unknown;
    try {
      p = (run as LimitRun)(task(i));
    } catch (e) {
      bad(`run(task) threw at once: ${e instanceof Error ? e.message : String(e)}; it should return a promise`);
    }
    if (!p || typeof (p as Promise<unknown>).then !== "function") bad("run(task) must return a promise");
    (p as Promise<unknown>).then(
      (value) => (outcome[i] = { ok: true, value }),
      (error) => (outcome[i] = { ok: false, error }),
    );
  }
  const rng = makeRng(order.startsWith("random") ? Number(order.split("seed ")[1]) : 0);
  while (finished < n) {
    await flush();
    if (over) bad(over);
    const waiting = n - started.length;
    const want = Math.min(k, n - finished);
    if (running < want)
      bad(
        running === 0
          ? `nothing is running, yet ${waiting} task${waiting === 1 ? "" : "s"} never started`
          : `only ${running} task${running === 1 ? " was" : "s were"} running while ${waiting} waited for a place`,
      );
    const live = started.filter((i) => ends.has(i));
    const pick =
      order === "first started first"
        ? live[0]
        : order === "last started first"
          ? live[live.length - 1]
          : live[rng.int(0, live.length - 1)];
    const end = ends.get(pick)!;
    ends.delete(pick);
    end();
  }
  await flush();
  if (over) bad(over);
  const fifo = started.every((x, i) => x === i);
  if (!fifo) bad(`tasks started in the order ${started.map((x) => x + 1).join(", ")}: start them in the order queued`);
  for (let i = 0; i < n; i++) {
    const o = outcome[i];
    if (o === null) bad(`run(task ${i + 1}) never settled although its task ended`);
    else if (i === failing) {
      if (o.ok) bad(`run(task ${i + 1}) resolved with ${String(o.value)}, but its task failed: it should reject`);
      else if (!(o.error instanceof Error) || o.error.message !== `page ${i + 1} failed`)
        bad(`run(task ${i + 1}) rejected with ${String(o.error)}, not with its task's own error`);
    } else if (!o.ok) bad(`run(task ${i + 1}) rejected with ${String(o.error)}, but its task succeeded`);
    else if (o.value !== `page ${i + 1}`)
      bad(`run(task ${i + 1}) resolved with ${JSON.stringify(o.value)}, not its task's result "page ${i + 1}"`);
  }
}

/** Runs every scenario against `limit`; the first failure is the verdict. */
export async function judgeLimit(limit: LimitFactory): Promise<LimitVerdict> {
  if (typeof limit !== "function")
    return { ok: false, message: "Pass your limiter, a function limit(k) that returns run(task).", scenarios: 0 };
  const orders: Order[] = ["first started first", "last started first", "random, seed 1", "random, seed 2"];
  const plan: [number, number, Order, number | null][] = [];
  for (const k of [1, 2, 3]) for (const o of orders) plan.push([k, 7, o, null]);
  plan.push([2, 6, "first started first", 1], [2, 6, "random, seed 3", 0], [1, 3, "first started first", 0]);
  let count = 0;
  for (const [k, n, o, f] of plan) {
    count++;
    try {
      await scenario(limit, k, n, o, f);
    } catch (e) {
      const why = e instanceof Fail ? e.message : `Your code threw ${e instanceof Error ? e.message : String(e)}.`;
      return { ok: false, message: why, scenarios: count };
    }
  }
  return {
    ok: true,
    message:
      `All ${count} scenarios pass: never more than k running, never fewer than there could be, tasks start in ` +
      "the order queued, every run(...) settles with its own task's result or error, and a failed task frees its place.",
    scenarios: count,
  };
}

/** Checks the learner's `limit(k)` and shows ✓ or ✗ with the first scenario that fails. Never throws. */
export async function checkLimit(limit: LimitFactory): Promise<void> {
  let v: LimitVerdict;
  try {
    v = await judgeLimit(limit);
  } catch (e) {
    v = { ok: false, message: `The check itself failed: ${e instanceof Error ? e.message : String(e)}.`, scenarios: 0 };
  }
  reportCheck("Exercise: your own limit(k)", { ok: v.ok, message: v.message });
}

/** Written solutions and typical wrong answers (the tests prove each passes or fails its check). */
export const LIMIT_SOLUTIONS: Record<string, LimitFactory> = {
  /** Right: a counting semaphore with k permits; release hands its permit straight to the first waiter. */
  semaphore: (k: number) => {
    let permits = k;
    const waiting: (() => void)[] = [];
    const acquire = (): Promise<void> => {
      if (permits > 0) {
        permits--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    };
    const release = () => {
      const next = waiting.shift();
      if (next)
        next(); // the permit goes to the next in line, so no newcomer can take it in between
      else permits++;
    };
    return async <T>(task: LimitTask<T>): Promise<T> => {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    };
  },
  /** Wrong: no limit at all (the starting point of the exercise). */
  unlimited:
    () =>
    async <T>(task: LimitTask<T>) =>
      task(),
  /** Wrong: forgets to release when a task fails (no finally): the place leaks. */
  leaksOnFailure: (k: number) => {
    let active = 0;
    const waiting: (() => void)[] = [];
    return async <T>(task: LimitTask<T>): Promise<T> => {
      if (active >= k) await new Promise<void>((r) => waiting.push(r));
      else active++;
      const value = await task();
      const next = waiting.shift();
      if (next) next();
      else active--;
      return value;
    };
  },
  /** Wrong: runs the tasks in batches of k, waiting for a whole batch before starting the next. */
  batches: (k: number) => {
    let batch: Promise<unknown>[] = [];
    let previous: Promise<unknown> = Promise.resolve();
    return <T>(task: LimitTask<T>): Promise<T> => {
      if (batch.length === k) {
        previous = Promise.allSettled(batch);
        batch = [];
      }
      const p = previous.then(() => task());
      batch.push(p);
      return p;
    };
  },
};
