// An independent reference for the async checker's counts: each task is a SYNC generator yielding operations
// ({ op, key, value?, fn? }) and receiving results; every schedule is enumerated by re-running the generators from
// scratch for each prefix, with no cache and no promises. Locks and waitUntil are modelled here separately.

export type Op =
  | { op: "read" | "lock" | "unlock" | "yield"; key: string }
  | { op: "write"; key: string; value: unknown }
  | { op: "update" | "waitUntil"; key: string; fn: (v: any) => any };
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
  if (o.op === "read" || o.op === "waitUntil") res = JSON.parse(JSON.stringify(st.store[o.key]));
  else if (o.op === "write") st.store[o.key] = JSON.parse(JSON.stringify(o.value));
  else if (o.op === "update") res = st.store[o.key] = o.fn(st.store[o.key]);
  else if (o.op === "lock") st.locks.set(o.key, i);
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
