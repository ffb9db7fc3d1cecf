/**
 * Exhaustive exploration with state caching. The cost is set by the number of distinct states, not of schedules.
 * Phase 1: iterative depth-first search (explicit stack) over distinct states; registers that are dead at a thread's
 * pc are zeroed so that states which behave alike are stored once. The first path that reaches each outcome is its
 * witness. Phase 2: the number of paths from the start to each state, in topological order; the histogram sums
 * them over the final states (count(outcome) = Σ paths to final states with that outcome). Spin loops make cycles in
 * the state graph; then the number of
 * complete schedules is not finite, and explore reports which outcomes are reachable (with witnesses) and
 * `finite: false` — or, with `maxSteps`, counts exactly the schedules of at most that many steps.
 */
import { InterleaveOptionError, InterleaveStateLimitError } from "./errors";
import { InterleaveMachine } from "./machine";
import type { InterleaveProgram } from "./program";
import { formatSchedule } from "./schedule";
import { InterleaveIntList, InterleaveStateTable } from "./statetable";

/** Options of explore(), all optional. */
export interface ExploreOptions {
  /** Stop with InterleaveStateLimitError beyond this many distinct states (default 5,000,000). */
  maxStates?: number;
  /**
   * Count only schedules with at most this many preemptions (switching away from a thread that could go on, unless it
   * just yielded).
   */
  preemptionBound?: number;
  /**
   * Count schedules of at most this many steps; longer ones are cut and counted in `truncated`. Makes spin loops
   * countable.
   */
  maxSteps?: number;
  /** How many deadlocked states to list with a witness each (default 100). */
  maxDeadlocks?: number;
}

/** One final result of a schedule: the shared cells when every thread finished, a deadlock, or a fault. */
export interface InterleaveOutcome {
  key: string;
  kind: "done" | "deadlock" | "fault";
  cells: Record<string, number>;
  /** Number of schedules ending here; null when the state graph has a cycle and maxSteps was not given. */
  count: bigint | null;
  /** One schedule that ends in this outcome (1-based thread numbers, e.g. "1 2 2 1"). */
  witness: string;
  fault?: string;
}

/** A state where some thread has not finished but none can move. */
export interface InterleaveDeadlock {
  key: string;
  witness: string;
  cells: Record<string, number>;
  /** Mutex → holder thread name (free mutexes omitted). */
  holders: Record<string, string>;
  /** Thread name → mutex it waits for. */
  waiting: Record<string, string>;
  /** Names of threads that finished. */
  finished: string[];
}

export interface ExploreResult {
  program: InterleaveProgram;
  threadNames: string[];
  /** Number of complete (maximal, finite) schedules: all threads done, deadlocked or faulted. Null when not finite. */
  schedules: bigint | null;
  /** False when a spin loop makes infinitely many schedules (cycle in the state graph) and no maxSteps was given. */
  finite: boolean;
  /** True when the state graph has a cycle (e.g. a spin loop). */
  cyclic: boolean;
  /** Outcome key → number of schedules; null when not finite. */
  histogram: Map<string, bigint> | null;
  /** Every reachable outcome with a witness, sorted by kind then key. */
  outcomes: InterleaveOutcome[];
  /** Deadlocked states (up to maxDeadlocks), each with a witness. */
  deadlocks: InterleaveDeadlock[];
  deadlockStates: number;
  /** Distinct states visited. */
  states: number;
  /** Transitions (state, thread) → state examined. */
  transitions: number;
  /** Schedules cut at maxSteps (0n without maxSteps). */
  truncated: bigint;
  options: ExploreOptions;
}

function checkCount(name: string, v: number | undefined, min: number): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new InterleaveOptionError(
      `Expected \`${name}\` to be an integer ≥ ${min}, got ${String(v)}: pass a whole number (or leave it out).`,
    );
  }
}

/** Explores every schedule of the program; counts are exact bigints, states are distinct machine states. */
export function explore(program: InterleaveProgram, options: ExploreOptions = {}): ExploreResult {
  checkCount("maxStates", options.maxStates, 1);
  checkCount("preemptionBound", options.preemptionBound, 0);
  checkCount("maxSteps", options.maxSteps, 0);
  checkCount("maxDeadlocks", options.maxDeadlocks, 0);
  const maxStates = options.maxStates ?? 5_000_000;
  const bound = options.preemptionBound;
  const maxSteps = options.maxSteps;
  const maxDeadlocks = options.maxDeadlocks ?? 100;
  const m = new InterleaveMachine(program);
  const T = m.nThreads;
  // extra slots: [last thread + 1, preemptions, last step was a yield] when bounded; [depth] when maxSteps.
  const lastOff = m.baseSize;
  const depthOff = m.baseSize + (bound !== undefined ? 3 : 0);
  const size = depthOff + (maxSteps !== undefined ? 1 : 0);

  const table = new InterleaveStateTable(size);
  let onStack = new Uint8Array(1024);
  let outc = new Int32Array(1024); // per state: -2 inner, -1 cut at maxSteps, k >= 0 outcome k
  let eStart = new Int32Array(1024);
  let eCount = new Int32Array(1024);
  const edges = new InterleaveIntList();
  const post = new InterleaveIntList();
  const outcomeIndex = new Map<string, number>();
  const outcomes: InterleaveOutcome[] = [];
  const deadlocks: InterleaveDeadlock[] = [];
  let deadlockStates = 0;
  let cyclic = false;
  let transitions = 0;

  // Explicit DFS stack: state vector, id, next thread to try, thread that led here, successor ids.
  const vecs: Int32Array[] = [];
  const sid: number[] = [];
  const nextT: number[] = [];
  const via: number[] = [];
  const kids: number[][] = [];
  let sp = 0;
  const witness = () => formatSchedule(via.slice(1, sp));

  const newState = (v: Int32Array): number => {
    if (table.size >= maxStates) throw new InterleaveStateLimitError(maxStates);
    const id = table.add(v);
    if (id >= onStack.length) {
      const n = onStack.length * 2;
      onStack = grow(onStack, new Uint8Array(n));
      outc = grow(outc, new Int32Array(n));
      eStart = grow(eStart, new Int32Array(n));
      eCount = grow(eCount, new Int32Array(n));
    }
    return id;
  };
  const push = (v: Int32Array, id: number, t: number) => {
    if (vecs.length <= sp) {
      vecs.push(new Int32Array(size));
      kids.push([]);
      sid.push(0);
      nextT.push(0);
      via.push(0);
    }
    vecs[sp].set(v);
    sid[sp] = id;
    nextT[sp] = 0;
    via[sp] = t;
    kids[sp].length = 0;
    onStack[id] = 1;
    sp++;
  };
  const allowed = (v: Int32Array, t: number): boolean => {
    if (!m.canRun(v, t)) return false;
    if (bound === undefined) return true;
    const last = v[lastOff] - 1;
    if (last < 0 || last === t || v[lastOff + 2] === 1 || !m.canRun(v, last)) return true;
    return v[lastOff + 1] < bound;
  };
  const outcomeId = (v: Int32Array): number => {
    const oc = m.outcome(v);
    let i = outcomeIndex.get(oc.key);
    if (i === undefined) {
      i = outcomes.length;
      outcomeIndex.set(oc.key, i);
      const o: InterleaveOutcome = { key: oc.key, kind: oc.kind, cells: m.cells(v), count: null, witness: witness() };
      if (oc.fault) o.fault = oc.fault;
      outcomes.push(o);
    }
    if (oc.kind === "deadlock") {
      deadlockStates++;
      if (deadlocks.length < maxDeadlocks) deadlocks.push(describeDeadlock(m, v, oc.key, witness()));
    }
    return i;
  };

  // Phase 1: depth-first search over distinct states; records edges (with multiplicity) and the finishing order.
  const start = m.initial(size - m.baseSize);
  for (let u = 0; u < T; u++) m.canonical(start, u);
  const child = new Int32Array(size);
  push(start, newState(start), -1);
  while (sp > 0) {
    const f = sp - 1;
    const v = vecs[f];
    let t = nextT[f];
    while (t < T && !allowed(v, t)) t++;
    const atLimit = maxSteps !== undefined && v[depthOff] >= maxSteps;
    if (t < T && !atLimit) {
      nextT[f] = t + 1;
      m.step(v, t, child);
      m.canonical(child, t);
      if (bound !== undefined) {
        const last = v[lastOff] - 1;
        if (last >= 0 && last !== t && v[lastOff + 2] === 0 && m.canRun(v, last)) child[lastOff + 1]++;
        child[lastOff] = t + 1;
        child[lastOff + 2] = m.isYield(v, t) ? 1 : 0;
      }
      if (maxSteps !== undefined) child[depthOff]++;
      transitions++;
      const id = table.find(child);
      if (id < 0) push(child, newState(child), t);
      else if (onStack[id] === 1) cyclic = true;
      else kids[f].push(id);
      continue;
    }
    // Every successor is finished: finish this state.
    const id = sid[f];
    if (nextT[f] === 0) {
      let anyRunnable = false;
      for (let u = 0; u < T; u++) if (m.canRun(v, u)) anyRunnable = true;
      outc[id] = anyRunnable ? -1 : outcomeId(v);
    } else outc[id] = -2;
    const ks = kids[f];
    eStart[id] = edges.length;
    eCount[id] = ks.length;
    for (let j = 0; j < ks.length; j++) edges.push(ks[j]);
    post.push(id);
    onStack[id] = 0;
    sp--;
    if (sp > 0) kids[sp - 1].push(id);
  }

  // Phase 2 (acyclic graphs only): number of paths from the start to every state, in topological order.
  const finite = !cyclic || maxSteps !== undefined;
  let histogram: Map<string, bigint> | null = null;
  let total: bigint | null = null;
  let truncated = 0n;
  if (finite) {
    const per = countPaths(table.size, post, edges, eStart, eCount, outc, outcomes.length);
    truncated = per.truncated;
    histogram = new Map();
    total = 0n;
    let sum = 0n;
    for (let k = 0; k < outcomes.length; k++) {
      outcomes[k].count = per.counts[k];
      sum += per.counts[k];
    }
    total = sum;
  }
  const kindOrder = { done: 0, deadlock: 1, fault: 2 };
  outcomes.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.key.localeCompare(b.key, "en", { numeric: true }));
  if (histogram) for (const o of outcomes) if (o.count !== null) histogram.set(o.key, o.count);
  return {
    program,
    threadNames: m.names.slice(),
    schedules: total,
    finite,
    cyclic,
    histogram,
    outcomes,
    deadlocks,
    deadlockStates,
    states: table.size,
    transitions,
    truncated,
    options: { ...options },
  };
}

function describeDeadlock(m: InterleaveMachine, v: Int32Array, key: string, witness: string): InterleaveDeadlock {
  const holders: Record<string, string> = {};
  const owners = m.owners(v);
  for (const mu of m.mutexNames) if (owners[mu] >= 0) holders[mu] = m.names[owners[mu]];
  const waiting: Record<string, string> = {};
  const finished: string[] = [];
  for (let t = 0; t < m.nThreads; t++) {
    const w = m.waitsFor(v, t);
    if (w !== null) waiting[m.names[t]] = w;
    if (m.block(v, t) === "finished") finished.push(m.names[t]);
  }
  return { key, witness, cells: m.cells(v), holders, waiting, finished };
}

function grow<A extends Uint8Array | Int32Array>(old: A, bigger: A): A {
  bigger.set(old);
  return bigger;
}

const TWO32 = 4294967296;

/**
 * Forward DP in reverse finishing order (a topological order of an acyclic graph): paths(child) += paths(state).
 * Counts are kept as two float64 words (hi·2^32 + lo), exact up to 2^84; beyond that it redoes the pass in bigint.
 */
function countPaths(
  n: number,
  post: InterleaveIntList,
  edges: InterleaveIntList,
  eStart: Int32Array,
  eCount: Int32Array,
  outc: Int32Array,
  nOut: number,
): { counts: bigint[]; truncated: bigint } {
  const counts: bigint[] = new Array(nOut).fill(0n);
  let truncated = 0n;
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  const order = post.data;
  const e = edges.data;
  lo[order[post.length - 1]] = 1;
  let overflow = false;
  for (let i = post.length - 1; i >= 0 && !overflow; i--) {
    const s = order[i];
    const h = hi[s];
    const l = lo[s];
    const o = outc[s];
    if (o !== -2) {
      const c = BigInt(h) * 4294967296n + BigInt(l);
      if (o === -1) truncated += c;
      else counts[o] += c;
      continue;
    }
    for (let j = eStart[s], end = eStart[s] + eCount[s]; j < end; j++) {
      const c = e[j];
      let nl = lo[c] + l;
      let nh = hi[c] + h;
      if (nl >= TWO32) {
        nl -= TWO32;
        nh += 1;
      }
      if (nh > 4503599627370496) overflow = true; // 2^52: leave headroom, switch to bigint
      lo[c] = nl;
      hi[c] = nh;
    }
  }
  if (!overflow) return { counts, truncated };
  // Rare: counts beyond 2^84. Same pass with bigints.
  counts.fill(0n);
  truncated = 0n;
  const big: bigint[] = new Array(n).fill(0n);
  big[order[post.length - 1]] = 1n;
  for (let i = post.length - 1; i >= 0; i--) {
    const s = order[i];
    const o = outc[s];
    if (o !== -2) {
      if (o === -1) truncated += big[s];
      else counts[o] += big[s];
      continue;
    }
    for (let j = eStart[s], end = eStart[s] + eCount[s]; j < end; j++) big[e[j]] += big[s];
  }
  return { counts, truncated };
}
