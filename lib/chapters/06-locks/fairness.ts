/**
 * Who gets a lock next? A small model of lock fairness, in whole ticks, with every thread on its own core (so only
 * the lock decides who waits). Each thread loops: think (work outside the lock) for `think` ticks, ask for the lock,
 * hold it for `hold` ticks, release it.
 *
 * A thread that finds the lock taken goes to sleep; waking a sleeper costs `wakeLatency` ticks. The policies differ
 * only in what a release does:
 * - "barging" (unfair, the default of most real mutexes): the lock becomes free and ONE sleeper is woken (the
 *   longest waiter, as a futex-based unlock wakes one thread); whoever asks first once it is free gets it, and a
 *   woken thread that loses goes back to sleep. The releasing thread is awake already — if it asks again within
 *   `wakeLatency` ticks, it wins every time and the sleepers starve.
 * - "fifo" (a ticket / hand-off lock): the lock goes straight to the longest waiter, which owns it while it wakes
 *   up. Nobody starves, but the lock sits idle during every wake-up: fairness costs throughput.
 */
import { checkResult, checkRows } from "../../errors/validate";
import { LockInputError } from "./errors";

export type LockPolicy = "fifo" | "barging";

/** One thread of the model; times in ticks. */
export interface LockUser {
  name: string;
  /** Ticks of work outside the lock between two acquisitions (0 = asks again at once: "greedy"). */
  think: number;
  /** Ticks it holds the lock each time (≥ 1). */
  hold: number;
  /** Tick of its first request (default 0). */
  start?: number;
}

export interface LockFairnessOptions {
  policy: LockPolicy;
  users: LockUser[];
  /** Ticks between a sleeper being woken and it running again (default 2). */
  wakeLatency?: number;
  /** Ticks simulated (default 200). */
  duration?: number;
}

/** Per-thread results (ticks). */
export interface LockUserResult {
  name: string;
  acquisitions: number;
  /** Ticks spent holding the lock. */
  holdTime: number;
  /** Ticks spent waiting (asked, not yet holding), including a wait still going on at the end. */
  totalWait: number;
  /** The longest single wait; a wait still going on at the end counts up to the end. */
  longestWait: number;
  /** True when the thread is still waiting at the end. */
  waitingAtEnd: boolean;
  /** holdTime / duration (0..1). */
  share: number;
}

/** One interval of a thread's life: thinking, waiting for the lock, or holding it (ticks, end exclusive). */
export interface LockInterval {
  user: number;
  state: "think" | "wait" | "hold";
  start: number;
  end: number;
}

export interface LockFairnessResult {
  policy: LockPolicy;
  duration: number;
  wakeLatency: number;
  users: LockUserResult[];
  intervals: LockInterval[];
  /** Acquisitions by everyone per 100 ticks. */
  throughput: number;
  /** Ticks the lock was owned by nobody-holding (free or handed over but not yet used) while someone waited. */
  idleWhileWaiting: number;
  /** Sleepers woken in all (barging wakes one per release, FIFO hands the lock to one). */
  wakeups: number;
}

function checkTicks(name: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > 100_000) {
    throw new LockInputError(
      `Expected \`${name}\` to be a whole number of ticks from ${min} to 100000, got ${String(v)}: pass e.g. 3.`,
    );
  }
  return v;
}

type Phase = "think" | "want" | "sleep" | "waking" | "handoff" | "hold";

/** Runs the lock-fairness model; deterministic (ties go to the longest waiter, then the lower index). */
export function lockFairness(options: LockFairnessOptions): LockFairnessResult {
  checkResult(
    LockInputError,
    "the options given to lockFairness",
    options,
    ["policy", "users"],
    "pass a LockFairnessOptions, as in the chapter",
  );
  const policy = options.policy;
  if (policy !== "fifo" && policy !== "barging") {
    const got = JSON.stringify(policy);
    throw new LockInputError(`Expected \`policy\` to be "fifo" or "barging", got ${got}: pass one of those two.`);
  }
  if (!Array.isArray(options.users) || options.users.length < 1 || options.users.length > 16) {
    throw new LockInputError(
      'Expected `users` to be a list of 1 to 16 threads: pass e.g. users: [{ name: "A", think: 0, hold: 3 }].',
    );
  }
  const wake = checkTicks("wakeLatency", options.wakeLatency ?? 2, 0);
  const duration = checkTicks("duration", options.duration ?? 200, 1);
  const us = options.users.map((u, i) => ({
    name: String(u.name ?? `T${i + 1}`),
    think: checkTicks(`users[${i}].think`, u.think, 0),
    hold: checkTicks(`users[${i}].hold`, u.hold, 1),
    start: checkTicks(`users[${i}].start`, u.start ?? 0, 0),
  }));
  const n = us.length;
  const phase: Phase[] = us.map((u) => (u.start === 0 ? "want" : "think"));
  const until = us.map((u) => u.start); // end of think / hold / wake-up
  const waitStart = us.map((u) => u.start);
  const res: LockUserResult[] = us.map((u) => ({
    name: u.name,
    acquisitions: 0,
    holdTime: 0,
    totalWait: 0,
    longestWait: 0,
    waitingAtEnd: false,
    share: 0,
  }));
  const intervals: LockInterval[] = [];
  const since = us.map(() => 0);
  const state = us.map((u) => (u.start === 0 ? "wait" : "think") as LockInterval["state"]);
  const enter = (i: number, s: LockInterval["state"], t: number) => {
    if (state[i] === s) return;
    if (t > since[i]) intervals.push({ user: i, state: state[i], start: since[i], end: t });
    state[i] = s;
    since[i] = t;
  };
  let owner = -1; // thread that owns the lock (holding, or handed over and waking up)
  const queue: number[] = []; // sleepers in order of their request (fifo)
  let idle = 0;
  let wakeups = 0;
  const acquire = (i: number, t: number) => {
    const w = t - waitStart[i];
    res[i].acquisitions++;
    res[i].totalWait += w;
    res[i].longestWait = Math.max(res[i].longestWait, w);
    phase[i] = "hold";
    until[i] = t + us[i].hold;
    owner = i;
    enter(i, "hold", t);
  };
  const ask = (i: number, t: number) => {
    phase[i] = "want";
    waitStart[i] = t;
    enter(i, "wait", t);
  };
  for (let t = 0; t < duration; t++) {
    // 1. releases
    for (let i = 0; i < n; i++) {
      if (phase[i] !== "hold" || until[i] !== t) continue;
      res[i].holdTime += us[i].hold;
      owner = -1;
      if (us[i].think === 0) ask(i, t);
      else {
        phase[i] = "think";
        until[i] = t + us[i].think;
        enter(i, "think", t);
      }
      if (policy === "fifo" && queue.length > 0) {
        const next = queue.shift()!;
        wakeups++;
        owner = next;
        phase[next] = "handoff";
        until[next] = t + wake;
      } else if (policy === "barging" && queue.length > 0) {
        wakeups++;
        const s = queue.shift()!; // one sleeper, the longest waiter (a futex unlock wakes one)
        phase[s] = "waking";
        until[s] = t + wake;
      }
    }
    // 2. thinking ends, sleepers wake, hand-offs complete
    for (let i = 0; i < n; i++) {
      if (phase[i] === "think" && until[i] === t) ask(i, t);
      else if (phase[i] === "waking" && until[i] <= t) phase[i] = "want";
      if (phase[i] === "handoff" && until[i] <= t) acquire(i, t);
    }
    // 3. a free lock goes to the awake asker who has waited longest
    if (owner === -1) {
      let best = -1;
      for (let i = 0; i < n; i++) if (phase[i] === "want" && (best < 0 || waitStart[i] < waitStart[best])) best = i;
      if (best >= 0) acquire(best, t);
    }
    // 4. askers who did not get it go to sleep
    for (let i = 0; i < n; i++) {
      if (phase[i] === "want") {
        phase[i] = "sleep";
        const at = queue.findIndex((q) => waitStart[q] > waitStart[i]);
        if (at < 0) queue.push(i);
        else queue.splice(at, 0, i);
      }
    }
    const someoneWaits = phase.some((p) => p === "sleep" || p === "waking" || p === "handoff");
    const holding = owner >= 0 && phase[owner] === "hold";
    if (someoneWaits && !holding) idle++;
  }
  for (let i = 0; i < n; i++) {
    if (phase[i] === "hold") res[i].holdTime += us[i].hold - (until[i] - duration);
    if (state[i] === "wait") {
      const w = duration - waitStart[i];
      res[i].totalWait += w;
      res[i].longestWait = Math.max(res[i].longestWait, w);
      res[i].waitingAtEnd = true;
    }
    enter(i, state[i] === "wait" ? "think" : "wait", duration); // close the last interval
    res[i].share = res[i].holdTime / duration;
  }
  const acq = res.reduce((s, r) => s + r.acquisitions, 0);
  return {
    policy,
    duration,
    wakeLatency: wake,
    users: res,
    intervals,
    throughput: (100 * acq) / duration,
    idleWhileWaiting: idle,
    wakeups,
  };
}

/** Runs both policies on the same threads (same options otherwise). */
export function compareLockPolicies(options: Omit<LockFairnessOptions, "policy">): LockFairnessResult[] {
  checkResult(
    LockInputError,
    "the options given to compareLockPolicies",
    options,
    ["users"],
    "pass a LockFairnessOptions (without policy), as in the chapter",
  );
  return (["barging", "fifo"] as const).map((policy) => lockFairness({ ...options, policy }));
}

/**
 * The smallest think time (ticks, 0..limit) that lets `user` get the lock at least once under barging; null if none.
 */
export function smallestFairThink(
  options: Omit<LockFairnessOptions, "policy">,
  greedy: number,
  starved: number,
  limit = 20,
): number | null {
  checkResult(
    LockInputError,
    "the options given to smallestFairThink",
    options,
    ["users"],
    "pass a LockFairnessOptions (without policy), as in the chapter",
  );
  for (let think = 0; think <= limit; think++) {
    const users = options.users.map((u, i) => (i === greedy ? { ...u, think } : u));
    const r = lockFairness({ ...options, users, policy: "barging" });
    if (r.users[starved].acquisitions > 0) return think;
  }
  return null;
}

/** One row per policy and thread: acquisitions, total and longest wait (ticks), still waiting at the end. */
export function fairnessRows(results: LockFairnessResult[]): Record<string, unknown>[] {
  checkRows(
    LockInputError,
    "the results given to fairnessRows",
    results,
    [],
    "pass a list of what lockFairness(...) returns",
  );
  return results.flatMap((r) =>
    r.users.map((u) => ({
      policy: r.policy,
      thread: u.name,
      acquisitions: u.acquisitions,
      "total wait (ticks)": u.totalWait,
      "longest wait (ticks)": u.longestWait,
      "still waiting at the end": u.waitingAtEnd,
    })),
  );
}
