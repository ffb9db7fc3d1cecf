/**
 * Exhaustive exploration with state caching. The cost is set by the number of distinct states, not of schedules:
 * count(state) = Σ over runnable threads of count(successor), histograms combined the same way, in one iterative
 * depth-first pass (explicit stack, no recursion). Spin loops make cycles in the state graph; then the number of
 * complete schedules is not finite, and explore reports which outcomes are reachable (with witnesses) and
 * `finite: false` — or, with `maxSteps`, counts exactly the schedules of at most that many steps.
 */
import { InterleaveOptionError, InterleaveStateLimitError } from "./errors";
import { InterleaveMachine, stateKey } from "./machine";
import { InterleaveProgram } from "./program";
import { formatSchedule } from "./schedule";

/** Options of explore(), all optional. */
export interface ExploreOptions {
  /** Stop with InterleaveStateLimitError beyond this many distinct states (default 5,000,000). */
  maxStates?: number;
  /** Count only schedules with at most this many preemptions (switching away from a thread that could go on, unless it just yielded). */
  preemptionBound?: number;
  /** Count schedules of at most this many steps; longer ones are cut and counted in `truncated`. Makes spin loops countable. */
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

interface Hist { o: number[]; c: bigint[] }

function checkCount(name: string, v: number | undefined, min: number): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new InterleaveOptionError(`Expected \`${name}\` to be an integer ≥ ${min}, got ${String(v)}: pass a whole number (or leave it out).`);
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

  const ids = new Map<string, number>();
  const hists: (Hist | undefined)[] = [];
  let onStack = new Uint8Array(1024);
  const codes: number[] = [];
  const outcomeKeys: string[] = [];
  const outcomeIndex = new Map<string, number>();
  const outcomes: InterleaveOutcome[] = [];
  const truncId = -1; // pseudo-outcome for schedules cut at maxSteps
  const deadlocks: InterleaveDeadlock[] = [];
  let deadlockStates = 0;
  let cyclic = false;
  let transitions = 0;

  // Explicit DFS stack.
  const vecs: Int32Array[] = [];
  const sid: number[] = [];
  const nextT: number[] = [];
  const via: number[] = [];
  const kids: number[][] = [];
  let sp = 0;
  const witness = () => formatSchedule(via.slice(1, sp));

  const newState = (key: string): number => {
    const id = ids.size;
    if (id >= maxStates) throw new InterleaveStateLimitError(maxStates);
    ids.set(key, id);
    if (id >= onStack.length) { const n = new Uint8Array(onStack.length * 2); n.set(onStack); onStack = n; }
    return id;
  };
  const push = (v: Int32Array, id: number, t: number) => {
    if (vecs.length <= sp) { vecs.push(new Int32Array(size)); kids.push([]); sid.push(0); nextT.push(0); via.push(0); }
    vecs[sp].set(v); sid[sp] = id; nextT[sp] = 0; via[sp] = t; kids[sp].length = 0;
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
      i = outcomeKeys.length;
      outcomeKeys.push(oc.key);
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

  // Scratch for merging histograms.
  let acc: bigint[] = [];
  let stamp = new Int32Array(16);
  let round = 0;
  const touched: number[] = [];
  const merge = (children: number[]): Hist => {
    const live: Hist[] = [];
    for (const c of children) { const h = hists[c]; if (h !== undefined) live.push(h); }
    if (live.length === 1) return live[0];
    round++;
    if (stamp.length < outcomeKeys.length + 2) { const n = new Int32Array(outcomeKeys.length * 2 + 2); n.set(stamp); stamp = n; }
    touched.length = 0;
    for (const h of live) {
      for (let j = 0; j < h.o.length; j++) {
        const o = h.o[j] + 1; // shift so truncId (-1) maps to 0
        if (stamp[o] !== round) { stamp[o] = round; acc[o] = h.c[j]; touched.push(o); } else acc[o] += h.c[j];
      }
    }
    touched.sort((a, b) => a - b);
    return { o: touched.map((o) => o - 1), c: touched.map((o) => acc[o]) };
  };

  const start = m.initial(size - m.baseSize);
  for (let u = 0; u < T; u++) m.canonical(start, u);
  const child = new Int32Array(size);
  push(start, newState(stateKey(start, codes)), -1);
  let rootHist: Hist | undefined;
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
      const key = stateKey(child, codes);
      const id = ids.get(key);
      if (id === undefined) push(child, newState(key), t);
      else if (onStack[id] === 1) cyclic = true;
      else kids[f].push(id);
      continue;
    }
    // All successors done: finish this state.
    const id = sid[f];
    let h: Hist;
    if (nextT[f] === 0) {
      // No runnable thread at all (or cut by maxSteps).
      let anyRunnable = false;
      for (let u = 0; u < T; u++) if (m.canRun(v, u)) anyRunnable = true;
      h = { o: [anyRunnable ? truncId : outcomeId(v)], c: [1n] };
    } else h = merge(kids[f]);
    hists[id] = h;
    onStack[id] = 0;
    sp--;
    if (sp > 0) kids[sp - 1].push(id);
    else rootHist = h;
  }

  const finite = !cyclic || maxSteps !== undefined;
  let histogram: Map<string, bigint> | null = null;
  let total: bigint | null = null;
  let truncated = 0n;
  if (finite && rootHist) {
    histogram = new Map();
    total = 0n;
    for (let j = 0; j < rootHist.o.length; j++) {
      const o = rootHist.o[j];
      if (o === truncId) { truncated = rootHist.c[j]; continue; }
      outcomes[o].count = rootHist.c[j];
      total += rootHist.c[j];
    }
  }
  const kindOrder = { done: 0, deadlock: 1, fault: 2 };
  outcomes.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.key.localeCompare(b.key, "en", { numeric: true }));
  if (histogram) for (const o of outcomes) if (o.count !== null) histogram.set(o.key, o.count);
  return {
    program, threadNames: m.names.slice(), schedules: total, finite, cyclic, histogram, outcomes, deadlocks, deadlockStates,
    states: ids.size, transitions, truncated, options: { ...options },
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
