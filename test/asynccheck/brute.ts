// An independent reference for the async checker's counts: each task is a SYNC generator yielding operations
// ({ op, key, value?, fn? }) and receiving results; every schedule is enumerated by re-running the generators from
// scratch for each prefix, with no cache and no promises. Locks and waitUntil are modelled here separately.

export type Op =
  | { op: "read" | "lock" | "unlock" | "yield"; key: string }
  | { op: "write"; key: string; value: unknown }
  | { op: "update"; key: string; fn: (v: any) => any }
  | { op: "waitUntil"; key: string; fn: (v: any) => any; change?: (v: any) => any };
export type Gen = () => Generator<Op, void, any>;

export interface BruteResult {
  schedules: number;
  deadlocks: number;
  outcomes: Record<string, number>;
  /** Schedules (complete or deadlocked) on which the invariant fails at least once. */
  invariantBroken: number;
  finalBroken: number;
}

interface State {
  store: Record<string, any>;
  locks: Map<string, number>;
  its: Generator<Op, void, any>[];
  next: (Op | null)[];
}

function start(init: Record<string, unknown>, tasks: Gen[]): State {
  const its = tasks.map((t) => t());
  return {
    store: JSON.parse(JSON.stringify(init)),
    locks: new Map(),
    its,
    next: its.map((it) => {
      const r = it.next();
      return r.done ? null : r.value;
    }),
  };
}

function can(st: State, i: number): boolean {
  const o = st.next[i];
  if (!o) return false;
  if (o.op === "lock") return !st.locks.has(o.key);
  if (o.op === "waitUntil") return o.fn(st.store[o.key]);
  return true;
}

function step(st: State, i: number): void {
  const o = st.next[i] as Op;
  let res: unknown;
  const copy = (v: unknown) => JSON.parse(JSON.stringify(v));
  if (o.op === "read" || o.op === "waitUntil") {
    res = copy(st.store[o.key]);
    // waitUntil with a change: the same step sets the new value; the task gets the value before it
    if (o.op === "waitUntil" && o.change) st.store[o.key] = copy(o.change(copy(res)));
  } else if (o.op === "write") st.store[o.key] = copy(o.value);
  else if (o.op === "update") {
    // update returns the value before the change
    res = copy(st.store[o.key]);
    st.store[o.key] = copy(o.fn(copy(res)));
  } else if (o.op === "lock") st.locks.set(o.key, i);
  else if (o.op === "unlock") st.locks.delete(o.key);
  const r = st.its[i].next(res);
  st.next[i] = r.done ? null : r.value;
}

export function brute(
  init: Record<string, unknown>,
  tasks: Gen[],
  invariant: (s: any) => boolean = () => true,
  final: (s: any) => boolean = () => true,
): BruteResult {
  const out: BruteResult = { schedules: 0, deadlocks: 0, outcomes: {}, invariantBroken: 0, finalBroken: 0 };
  const replay = (prefix: number[]) => {
    const st = start(init, tasks);
    let broken = !invariant(st.store);
    for (const i of prefix) {
      step(st, i);
      broken ||= !invariant(st.store);
    }
    return { st, broken };
  };
  const walk = (prefix: number[]) => {
    const { st, broken } = replay(prefix);
    const moves = tasks.map((_, i) => i).filter((i) => can(st, i));
    if (moves.length === 0) {
      if (broken) out.invariantBroken++;
      if (st.next.every((o) => o === null)) {
        out.schedules++;
        const k = JSON.stringify(st.store);
        out.outcomes[k] = (out.outcomes[k] ?? 0) + 1;
        if (!final(st.store)) out.finalBroken++;
      } else out.deadlocks++;
      return;
    }
    for (const i of moves) walk([...prefix, i]);
  };
  walk([]);
  return out;
}
