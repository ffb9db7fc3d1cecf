/**
 * Exhaustive exploration with state caching. The cost is set by the number of distinct states, not of schedules.
 * Phase 1: iterative depth-first search (explicit stack) over distinct states; registers that are dead at a thread's
 * pc are zeroed so that states which behave alike are stored once. The first path that reaches each outcome is its
 * witness. Phase 2: the number of paths from the start to each state, in topological order; the histogram sums
 * them over the final states (count(outcome) = Σ paths to final states with that outcome). Spin loops make cycles in
 * the state graph; then the number of
 * complete schedules is not finite, and explore reports which outcomes are reachable (with witnesses) and
 * `finite: false` — or, with `maxSteps`, counts exactly the schedules of at most that many steps.
 *
 * Condition variables: a step is a (thread, and for a signal with two or more sleepers, the sleeper it wakes) pair, so
 * a signal that may wake T1 or T2 makes two transitions, and "T3 signals waking T1" and "T3 signals waking T2" are two
 * schedules (witnesses write them "3>1" and "3>2"). A signal with one sleeper or none, a broadcast, a wait, a down and
 * an up are one transition each; a wait takes two steps when woken (release + sleep, then lock again). So schedules
 * = the number of distinct schedule strings that run to the end, exactly what replay accepts one by one.
 *
 * Symmetry reduction (on by default, `symmetry: false` turns it off): threads with the same code are interchangeable,
 * so the search stores one canonical state per orbit (states equal up to a renaming of such threads, ./symmetry) and
 * walks the quotient graph. An edge from a canonical state stands for every thread of a run of interchangeable
 * threads, so it carries that run's length as its multiplicity; the number of paths into a canonical state in this
 * weighted graph is then exactly the number of concrete schedules into any state of its orbit (by induction: every
 * state of an orbit has as many paths into it, and as many threads leading to each next orbit). Each frame of the
 * search keeps the renaming from its canonical state to the concrete state the path reached, so witnesses are concrete
 * schedules, and threads are tried in concrete order, so in an acyclic graph every orbit is first reached by the
 * smallest concrete schedule into it, as without reduction (the same witnesses). A final orbit whose outcome names
 * threads (a deadlock, a fault) splits its paths evenly over the renamings of that outcome (they are equally many);
 * their witnesses are the renamed path, valid but not always the smallest. Reduction is sound with every option: a
 * renaming keeps the number of steps and of preemptions, and maps a cycle to a cycle. A signal's choice of sleeper is
 * reduced the same way: sleepers that are interchangeable (same code, pc, registers, wait phase, no role) form a run,
 * one of them is tried, and the edge's multiplicity is (signalling thread's run) × (that sleeper's run).
 */
import { checkOptions } from "../errors/validate";
import { InterleaveOptionError, InterleaveStateLimitError } from "./errors";
import { InterleaveMachine } from "./machine";
import { type InterleaveProgram, setOwn } from "./program";
import { formatSchedule } from "./schedule";
import { InterleaveIntList, InterleaveStateTable } from "./statetable";
import { InterleaveSymmetry } from "./symmetry";

/** Options of explore(), all optional. */
export interface ExploreOptions {
  /**
   * Stop with InterleaveStateLimitError beyond this many stored states (default 5,000,000): distinct states, or with
   * symmetry reduction the canonical states (`symmetry.explored`), each standing for its orbit.
   */
  maxStates?: number;
  /**
   * Memory the exploration may use, in MB (default 1024, at most 65,536): the state table, per-state arrays, edges and
   * the search stack grow with the states (the typed arrays live outside the JS heap limit, so this is what bounds
   * them). A program with wide states (many shared cells) reaches it before `maxStates`; then it stops with
   * InterleaveStateLimitError.
   */
  maxMemoryMB?: number;
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
  /**
   * Symmetry reduction over threads with the same code (default true): same counts, outcomes, states and deadlocked
   * states, far fewer states stored. False explores every state, for comparison.
   */
  symmetry?: boolean;
}

/** What symmetry reduction did in one exploration. */
export interface ExploreSymmetry {
  /** True when some threads were interchangeable and the option `symmetry` was not false. */
  applied: boolean;
  /** Names of interchangeable threads (same code), one list per group of two or more; listed even when off. */
  groups: string[][];
  /** States stored and expanded: one per orbit when applied, else every distinct state (= `states`). */
  explored: number;
}

/** One final result of a schedule: the shared cells when every thread finished, a deadlock, or a fault. */
export interface InterleaveOutcome {
  key: string;
  kind: "done" | "deadlock" | "fault";
  cells: Record<string, number>;
  /** Number of schedules ending here; null when the state graph has a cycle and maxSteps was not given. */
  count: bigint | null;
  /** One schedule that ends in this outcome (1-based thread numbers, e.g. "1 2 2 1"; "3>1": T3 signals, wakes T1). */
  witness: string;
  fault?: string;
  /** What the fault was: an unlock or a wait without the mutex, or a step that broke an invariant. */
  faultKind?: "unlock" | "wait" | "invariant";
}

/** A state where some thread has not finished but none can move. */
export interface InterleaveDeadlock {
  key: string;
  witness: string;
  cells: Record<string, number>;
  /** Mutex → holder thread name (free mutexes omitted). */
  holders: Record<string, string>;
  /** Thread name → mutex it waits for (to lock it, or to lock it again after a wait that was woken). */
  waiting: Record<string, string>;
  /** Thread name → condition variable it sleeps on (nobody is left to signal it); explore always sets it. */
  asleep?: Record<string, string>;
  /** Thread name → semaphore (at 0) its down waits for; explore always sets it. */
  downs?: Record<string, string>;
  /** Semaphore values; explore always sets it. */
  semaphores?: Record<string, number>;
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
  /** Deadlocked states (up to maxDeadlocks), each with a witness; with symmetry reduction, listed orbit by orbit. */
  deadlocks: InterleaveDeadlock[];
  /** Deadlocked distinct states (with symmetry reduction: the states the stored ones stand for, the same number). */
  deadlockStates: number;
  /**
   * Distinct reachable states of the program. With symmetry reduction it is the number of states the stored
   * canonical ones stand for (the sum of their orbit sizes, exact below 2^53): the same number as with
   * `symmetry: false`, while `symmetry.explored` says how many were stored.
   */
  states: number;
  /** Transitions (state, thread) → state computed; with symmetry, one per run of interchangeable threads. */
  transitions: number;
  /** Schedules cut at maxSteps (0n without maxSteps). */
  truncated: bigint;
  symmetry: ExploreSymmetry;
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
export function explore(program: InterleaveProgram, opts: ExploreOptions = {}): ExploreResult {
  const options: ExploreOptions = checkOptions<ExploreOptions>(
    InterleaveOptionError,
    "the options object of explore",
    opts,
    ["maxStates", "maxMemoryMB", "preemptionBound", "maxSteps", "maxDeadlocks", "symmetry"],
  );
  checkCount("maxMemoryMB", options.maxMemoryMB, 16);
  if ((options.maxMemoryMB ?? 0) > 65_536)
    throw new InterleaveOptionError(`Expected \`maxMemoryMB\` to be at most 65,536, got ${options.maxMemoryMB}.`);
  checkCount("maxStates", options.maxStates, 1);
  checkCount("preemptionBound", options.preemptionBound, 0);
  checkCount("maxSteps", options.maxSteps, 0);
  checkCount("maxDeadlocks", options.maxDeadlocks, 0);
  if (options.symmetry !== undefined && typeof options.symmetry !== "boolean") {
    throw new InterleaveOptionError(
      `Expected \`symmetry\` to be true or false, got ${String(options.symmetry)}: leave it out to reduce by symmetry.`,
    );
  }
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
  const symm = new InterleaveSymmetry(m, bound !== undefined ? lastOff : -1);
  // Memory per stored state, estimated: the table (vector + slots), the per-state arrays, about one edge per thread
  // (and its weight), and a DFS frame with its vector when the search is as deep as the states (a long spin path).
  const maxMemoryMB = options.maxMemoryMB ?? 1024;
  const bytesPerState = 8 * size + 56 + 8 * T;
  const statesThatFit = Math.max(1, Math.floor((maxMemoryMB * 2 ** 20) / bytesPerState));
  const stateCap = Math.min(maxStates, statesThatFit);
  const sym = options.symmetry !== false && symm.groups.length > 0;

  const table = new InterleaveStateTable(size);
  let onStack = new Uint8Array(1024);
  let outc = new Int32Array(1024); // per state: -2 inner, -1 cut at maxSteps, g >= 0 outcome group g
  let eStart = new Int32Array(1024);
  let eCount = new Int32Array(1024);
  const edges = new InterleaveIntList();
  const weights = sym ? new InterleaveIntList() : null; // multiplicity of each edge (symmetry only)
  const post = new InterleaveIntList();
  const outcomeIndex = new Map<string, number>();
  const outcomes: InterleaveOutcome[] = [];
  // A final state's outcome group: the outcomes its paths are split over, evenly (one entry per share).
  const groups: number[][] = [];
  const groupIndex = new Map<string, number>();
  const deadlocks: InterleaveDeadlock[] = [];
  let deadlockStates = 0;
  let concreteStates = 0;
  let cyclic = false;
  let transitions = 0;

  // Explicit DFS stack: state vector, id, next concrete thread to try, concrete thread that led here, multiplicity of
  // that edge, where its successors start on the successor stack; with symmetry, the renaming canonical → concrete and
  // its inverse. The successor stack holds the successor ids (and multiplicities) of every frame, the top frame's
  // last: a frame adds successors only while it is on top, and hands them to `edges` when it finishes.
  const vecs: Int32Array[] = [];
  const sid: number[] = [];
  const nextT: number[] = [];
  const nextW: number[] = []; // index of the next sleeper to wake when thread nextT's step is a signal with a choice
  const via: number[] = [];
  const viaWake: number[] = []; // concrete thread the step into this frame woke, when it chose one (else -1)
  const viaW: number[] = [];
  const kidsFrom: number[] = [];
  const kids = new InterleaveIntList();
  const kidsW = new InterleaveIntList();
  const perms: Int32Array[] = [];
  const invs: Int32Array[] = [];
  let sp = 0;
  const path = () => via.slice(1, sp);
  const pathWakes = () => viaWake.slice(1, sp);

  const newState = (v: Int32Array): number => {
    if (table.size >= stateCap)
      throw new InterleaveStateLimitError(
        maxStates,
        stateCap < maxStates ? { maxMemoryMB, bytesPerState, statesThatFit } : null,
      );
    const id = table.add(v);
    concreteStates += sym ? symm.orbitSize(v) : 1;
    if (id >= onStack.length) {
      const n = onStack.length * 2;
      onStack = grow(onStack, new Uint8Array(n));
      outc = grow(outc, new Int32Array(n));
      eStart = grow(eStart, new Int32Array(n));
      eCount = grow(eCount, new Int32Array(n));
    }
    return id;
  };
  // parent: the frame the step was taken from (-1 for the start); order: the canonical renaming of the step, or null.
  const push = (
    v: Int32Array,
    id: number,
    x: number,
    wake: number,
    w: number,
    parent: number,
    order: Int32Array | null,
  ) => {
    if (vecs.length <= sp) {
      vecs.push(new Int32Array(size));
      kidsFrom.push(0);
      sid.push(0);
      nextT.push(0);
      nextW.push(0);
      via.push(0);
      viaWake.push(-1);
      viaW.push(0);
      perms.push(new Int32Array(T));
      invs.push(new Int32Array(T));
    }
    vecs[sp].set(v);
    sid[sp] = id;
    nextT[sp] = 0;
    nextW[sp] = 0;
    via[sp] = x;
    viaWake[sp] = wake;
    viaW[sp] = w;
    kidsFrom[sp] = kids.length;
    if (sym) {
      const p = perms[sp];
      const q = invs[sp];
      for (let j = 0; j < T; j++) {
        p[j] = parent < 0 ? j : perms[parent][order === null ? j : order[j]];
        q[p[j]] = j;
      }
    }
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
  const outcomeOf = (v: Int32Array, schedule: number[], wakes: number[]): number => {
    const oc = m.outcome(v);
    let i = outcomeIndex.get(oc.key);
    if (i === undefined) {
      i = outcomes.length;
      outcomeIndex.set(oc.key, i);
      const o: InterleaveOutcome = {
        key: oc.key,
        kind: oc.kind,
        cells: m.cells(v),
        count: null,
        witness: formatSchedule(schedule, wakes),
      };
      if (oc.fault) o.fault = oc.fault;
      if (oc.faultKind) o.faultKind = oc.faultKind;
      outcomes.push(o);
    }
    return i;
  };
  const groupOf = (ks: number[]): number => {
    const k = ks.join(",");
    let g = groupIndex.get(k);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(k, g);
      groups.push(ks);
    }
    return g;
  };
  // The outcome group of the final state v at the top frame f, and the deadlocks it stands for.
  const finalState = (v: Int32Array, f: number): number => {
    const kind = m.outcome(v).kind;
    if (!sym) {
      if (kind === "deadlock") {
        deadlockStates++;
        if (deadlocks.length < maxDeadlocks)
          deadlocks.push(describeDeadlock(m, v, m.outcome(v).key, path(), pathWakes()));
      }
      return groupOf([outcomeOf(v, path(), pathWakes())]);
    }
    if (kind === "done") return groupOf([outcomeOf(v, path(), pathWakes())]); // the key (the cells) names no thread
    // Deadlock and fault keys name threads: the concrete state, then its renamings (each key once).
    const s0 = new Int32Array(size);
    symm.relabel(v, perms[f], s0);
    const s1 = new Int32Array(size);
    const p0 = path();
    const w0 = pathWakes();
    let rw: number[] = w0;
    const renamed = (p: Int32Array) => {
      symm.relabel(s0, p, s1);
      rw = w0.map((x) => (x < 0 ? -1 : p[x]));
      return p0.map((x) => p[x]);
    };
    const ks: number[] = [];
    for (const p of symm.arrangements(keyLabels(m, s0), Number.POSITIVE_INFINITY)) {
      const r = renamed(p);
      ks.push(outcomeOf(s1, r, rw));
    }
    if (kind === "deadlock") {
      deadlockStates += symm.orbitSize(v);
      for (const p of symm.arrangements(symm.stateLabels(s0), maxDeadlocks - deadlocks.length)) {
        const w = renamed(p);
        deadlocks.push(describeDeadlock(m, s1, m.outcome(s1).key, w, rw));
      }
    }
    return groupOf(ks);
  };

  // The sleepers thread t's signal may wake at frame f when it has a choice (two or more sleepers): written into
  // `sleepers` (canonical indices) in concrete order, under symmetry only the first of each run of interchangeable
  // sleepers (it stands for the run). Returns how many; 0 when there is no choice (no signal, or one sleeper or none).
  const choices = (v: Int32Array, t: number, f: number): number => {
    const n = m.signalWaiters(v, t, asleep);
    if (n < 2) return 0;
    if (!sym) {
      sleepers.set(asleep.subarray(0, n));
      return n;
    }
    let k = 0;
    for (let y = 0; y < T; y++) {
      const u = invs[f][y];
      let found = false;
      for (let i = 0; i < n; i++) if (asleep[i] === u) found = true;
      if (found && !symm.sameAsPrev(v, u)) sleepers[k++] = u;
    }
    return k;
  };

  // Phase 1: depth-first search over distinct states; records edges (with multiplicity) and the finishing order.
  const start = m.initial(size - m.baseSize);
  for (let u = 0; u < T; u++) m.canonical(start, u);
  const child = new Int32Array(size);
  const canon = new Int32Array(size);
  const hasSignals = m.hasSignals;
  const sleepers = new Int32Array(T); // the sleepers a signal may wake (canonical thread indices)
  const asleep = new Int32Array(T);
  push(start, newState(start), -1, -1, 1, -1, null);
  while (sp > 0) {
    const f = sp - 1;
    const v = vecs[f];
    const atLimit = maxSteps !== undefined && v[depthOff] >= maxSteps;
    let x = atLimit ? T : nextT[f];
    let t = x;
    for (; x < T; x++) {
      t = sym ? invs[f][x] : x;
      if (allowed(v, t) && !(sym && symm.sameAsPrev(v, t))) break;
    }
    if (x < T) {
      // A signal with two or more sleepers branches: one transition per sleeper it may wake (under symmetry, per run
      // of interchangeable sleepers, with that run's length as a factor of the multiplicity).
      let wake = -1;
      let wakeRun = 1;
      const nw = hasSignals && m.isSignal(v, t) ? choices(v, t, f) : 0;
      if (nw >= 1) {
        const j = nextW[f];
        wake = sleepers[j];
        if (sym) wakeRun = symm.runLength(v, wake);
        if (j + 1 < nw) {
          nextT[f] = x;
          nextW[f] = j + 1;
        } else {
          nextT[f] = x + 1;
          nextW[f] = 0;
        }
      } else {
        nextT[f] = x + 1;
        nextW[f] = 0;
      }
      m.step(v, t, child, wake);
      m.canonical(child, t);
      if (bound !== undefined) {
        const last = v[lastOff] - 1;
        if (last >= 0 && last !== t && v[lastOff + 2] === 0 && m.canRun(v, last)) child[lastOff + 1]++;
        child[lastOff] = t + 1;
        child[lastOff + 2] = m.isYield(v, t) ? 1 : 0;
      }
      if (maxSteps !== undefined) child[depthOff]++;
      transitions++;
      let next = child;
      let w = 1;
      let order: Int32Array | null = null;
      if (sym) {
        w = symm.runLength(v, t) * wakeRun;
        if (symm.canonicalize(child, canon, perms[f])) {
          next = canon;
          order = symm.order;
        }
      }
      const id = table.find(next);
      if (id < 0) push(next, newState(next), x, wake < 0 ? -1 : sym ? perms[f][wake] : wake, w, f, order);
      else if (onStack[id] === 1) cyclic = true;
      else {
        kids.push(id);
        if (sym) kidsW.push(w);
      }
      continue;
    }
    // Every successor is finished: finish this state.
    const id = sid[f];
    if (nextT[f] === 0) {
      let anyRunnable = false;
      for (let u = 0; u < T; u++) if (m.canRun(v, u)) anyRunnable = true;
      outc[id] = anyRunnable ? -1 : finalState(v, f);
    } else outc[id] = -2;
    const from = kidsFrom[f];
    eStart[id] = edges.length;
    eCount[id] = kids.length - from;
    edges.append(kids, from);
    kids.length = from;
    if (weights) {
      weights.append(kidsW, from);
      kidsW.length = from;
    }
    post.push(id);
    onStack[id] = 0;
    sp--;
    if (sp > 0) {
      kids.push(id);
      if (sym) kidsW.push(viaW[f]);
    }
  }

  // Phase 2 (acyclic graphs only): number of paths from the start to every state, in topological order.
  const finite = !cyclic || maxSteps !== undefined;
  let histogram: Map<string, bigint> | null = null;
  let total: bigint | null = null;
  let truncated = 0n;
  if (finite) {
    const per = countPaths(table.size, post, edges, weights, eStart, eCount, outc, groups.length);
    truncated = per.truncated;
    histogram = new Map();
    for (const o of outcomes) o.count = 0n;
    let sum = 0n;
    groups.forEach((ks, g) => {
      const share = per.counts[g] / BigInt(ks.length); // exact: the renamings of an outcome are equally frequent
      for (const k of ks) (outcomes[k] as { count: bigint }).count += share;
      sum += per.counts[g];
    });
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
    states: concreteStates,
    transitions,
    truncated,
    symmetry: {
      applied: sym,
      groups: symm.groups.map((g) => g.map((t) => m.names[t])),
      explored: table.size,
    },
    options: { ...options },
  };
}

/**
 * Per thread, what an outcome key says about it at the final state v: what it waits for (a mutex, a condition
 * variable it sleeps on, a semaphore: deadlock), or whether it faulted or held the mutex (fault). Renamings that keep
 * these labels keep the key.
 */
function keyLabels(m: InterleaveMachine, v: Int32Array): Int32Array {
  const labels = new Int32Array(m.nThreads);
  const f = v[m.faultOff];
  if (f > 0) {
    const info = m.faultInfo[f - 1];
    labels[info.thread] = 1;
    if (info.holder >= 0) labels[info.holder] = 2;
    return labels;
  }
  for (let t = 0; t < m.nThreads; t++) labels[t] = m.blockCode(v, t);
  return labels;
}

function describeDeadlock(
  m: InterleaveMachine,
  v: Int32Array,
  key: string,
  schedule: number[],
  wakes: number[],
): InterleaveDeadlock {
  const witness = formatSchedule(schedule, wakes);
  const holders: Record<string, string> = {};
  const owners = m.owners(v);
  for (const mu of m.mutexNames) if (owners[mu] >= 0) setOwn(holders, mu, m.names[owners[mu]]);
  const waiting: Record<string, string> = {};
  const asleep: Record<string, string> = {};
  const downs: Record<string, string> = {};
  const finished: string[] = [];
  for (let t = 0; t < m.nThreads; t++) {
    const w = m.waitsFor(v, t);
    if (w !== null) setOwn(waiting, m.names[t], w);
    const c = m.sleepsOn(v, t);
    if (c !== null) setOwn(asleep, m.names[t], c);
    const s = m.downOn(v, t);
    if (s !== null) setOwn(downs, m.names[t], s);
    if (m.block(v, t) === "finished") finished.push(m.names[t]);
  }
  return { key, witness, cells: m.cells(v), holders, waiting, asleep, downs, semaphores: m.semaphores(v), finished };
}

function grow<A extends Uint8Array | Int32Array>(old: A, bigger: A): A {
  bigger.set(old);
  return bigger;
}

const TWO32 = 4294967296;
const TWO52 = 4503599627370496;

/**
 * Forward DP in reverse finishing order (a topological order of an acyclic graph): paths(child) += paths(state) ×
 * multiplicity of the edge (1 without symmetry). The counts are per outcome group. Each count is kept as `words`
 * float64 words (base 2^32, the top one up to 2^52): exact, and far faster than bigint. Before an addition could
 * overflow the top word, every count gets one word more and the pass goes on (2 words hold 2^84, 3 words 2^116).
 */
function countPaths(
  n: number,
  post: InterleaveIntList,
  edges: InterleaveIntList,
  weights: InterleaveIntList | null,
  eStart: Int32Array,
  eCount: Int32Array,
  outc: Int32Array,
  nOut: number,
): { counts: bigint[]; truncated: bigint } {
  const counts: bigint[] = new Array(nOut).fill(0n);
  let truncated = 0n;
  let words = 2;
  let top = 1;
  let acc: Float64Array = new Float64Array(n * words);
  const order = post.data;
  const e = edges.data;
  const wt = weights === null ? null : weights.data;
  acc[order[post.length - 1] * words] = 1;
  for (let i = post.length - 1; i >= 0; i--) {
    const s = order[i];
    const o = outc[s];
    if (o !== -2) {
      let c = 0n;
      for (let k = top; k >= 0; k--) c = (c << 32n) + BigInt(acc[s * words + k]);
      if (o === -1) truncated += c;
      else counts[o] += c;
      continue;
    }
    for (let j = eStart[s], end = eStart[s] + eCount[s]; j < end; j++) {
      const sb = s * words;
      const cb = e[j] * words;
      const w = wt === null ? 1 : wt[j];
      if (acc[cb + top] + acc[sb + top] * w + w + 1 > TWO52) {
        acc = widen(acc, n, words);
        words++;
        top++;
        j--;
        continue;
      }
      let carry = 0;
      for (let k = 0; k < top; k++) {
        const x = acc[cb + k] + acc[sb + k] * w + carry; // < 2^32·(w + 2): exact
        carry = Math.floor(x / TWO32);
        acc[cb + k] = x - carry * TWO32;
      }
      acc[cb + top] += acc[sb + top] * w + carry; // carry ≤ w + 1
    }
  }
  return { counts, truncated };
}

/** The same counts with one word more each: the top word splits into its low 32 bits and the rest. */
function widen(acc: Float64Array, n: number, words: number): Float64Array {
  const out = new Float64Array(n * (words + 1));
  for (let s = 0; s < n; s++) {
    const a = s * words;
    const b = s * (words + 1);
    for (let k = 0; k < words - 1; k++) out[b + k] = acc[a + k];
    const t = acc[a + words - 1];
    const hi = Math.floor(t / TWO32);
    out[b + words - 1] = t - hi * TWO32;
    out[b + words] = hi;
  }
  return out;
}
