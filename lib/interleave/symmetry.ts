/**
 * Symmetry of a program, for explore: threads with the same code (the same steps up to register names, jumps to the
 * same places, the same condition variables and semaphores; every register starts at 0) are interchangeable.
 * Renaming such threads maps every schedule to a schedule and every state to a state, so explore stores one state per
 * orbit (the states that differ only by such a renaming): the canonical one, where the threads of each group are
 * sorted by (pc, wait phase, registers, role). A role singles a thread out: holding a mutex, having taken the last
 * step (under a preemption bound), having faulted. Threads of a group with the same pc, wait phase and registers and
 * no role are fully interchangeable: in the canonical state they sit side by side ("a run"), and any one of them
 * stands for all — also as the sleeper a signal wakes (explore multiplies by the run's length).
 */
import type { InterleaveMachine } from "./machine";
import { type InterleaveOperand, type InterleaveThread, threadRegisters } from "./program";

/** The code of a thread in a form that ignores register names and label names: equal for interchangeable threads. */
export function threadCodeKey(t: InterleaveThread): string {
  const regs = threadRegisters(t);
  const reg = (r: string | undefined) => (r === undefined ? null : `r${regs.indexOf(r)}`);
  const opnd = (v: InterleaveOperand) => (typeof v === "number" ? v : reg(v));
  const steps = t.steps.map((s) => {
    switch (s.op) {
      case "read":
      case "tas":
        return [s.op, reg(s.reg), s.cell];
      case "write":
        return [s.op, s.cell, opnd(s.value)];
      case "add":
      case "set":
        return [s.op, reg(s.reg), opnd(s.value)];
      case "inc":
        return [s.op, s.cell, s.value, reg(s.reg)];
      case "cas":
        return [s.op, s.cell, opnd(s.expected), opnd(s.value), reg(s.reg)];
      case "lock":
      case "unlock":
        return [s.op, s.mutex];
      case "wait":
        return [s.op, s.cv, s.mutex];
      case "signal":
      case "broadcast":
        return [s.op, s.cv];
      case "down":
      case "up":
        return [s.op, s.sem];
      case "jump":
        return [s.op, t.labels[s.label], s.cond ? [reg(s.cond.reg), s.cond.test, opnd(s.cond.value)] : null];
      default:
        return [s.op]; // yield
    }
  });
  return JSON.stringify(steps);
}

/** Groups of two or more interchangeable threads (0-based indices, ascending), in order of their first thread. */
export function symmetricGroups(threads: readonly InterleaveThread[]): number[][] {
  const byKey = new Map<string, number[]>();
  threads.forEach((t, i) => {
    const k = threadCodeKey(t);
    const g = byKey.get(k);
    if (g) g.push(i);
    else byKey.set(k, [i]);
  });
  return [...byKey.values()].filter((g) => g.length >= 2);
}

/**
 * Canonical states and renamings for one machine. A permutation is an Int32Array `p` where thread i goes to thread
 * p[i]; it only moves threads inside their group.
 */
export class InterleaveSymmetry {
  readonly groups: number[][];
  /** After `canonicalize`: thread j of the canonical state is thread order[j] of the input. */
  readonly order: Int32Array;
  private readonly members: Int32Array[];
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly roles: Int32Array;
  private readonly inv: Int32Array;
  private readonly buf: Int32Array;
  private readonly nRegs: Int32Array;
  private readonly hasRoles: boolean;
  /** The machine's first wait-phase slot, or -1 (no thread waits on a condition variable). */
  private readonly waitOff: number;
  private readonly binom: number[][];
  private rolesSet = false;

  /** `lastOff`: state slot holding the last thread + 1 (preemption bound), or -1. */
  constructor(
    readonly m: InterleaveMachine,
    readonly lastOff: number,
  ) {
    const T = m.nThreads;
    this.groups = symmetricGroups(m.program.threads);
    this.members = this.groups.map((g) => Int32Array.from(g));
    this.prev = new Int32Array(T).fill(-1);
    this.next = new Int32Array(T).fill(-1);
    for (const g of this.groups) {
      for (let i = 1; i < g.length; i++) {
        this.prev[g[i]] = g[i - 1];
        this.next[g[i - 1]] = g[i];
      }
    }
    this.order = new Int32Array(T);
    for (let i = 0; i < T; i++) this.order[i] = i;
    this.roles = new Int32Array(T);
    this.inv = new Int32Array(T);
    this.buf = new Int32Array(T);
    this.nRegs = Int32Array.from(m.regNames.map((r) => r.length));
    this.hasRoles = m.mutexNames.length > 0 || lastOff >= 0;
    this.waitOff = m.waitOff;
    this.binom = [];
    for (let n = 0; n <= T; n++) {
      const row = [1];
      for (let k = 1; k <= n; k++) row.push(k === n ? 1 : this.binom[n - 1][k - 1] + this.binom[n - 1][k]);
      this.binom.push(row);
    }
  }

  /**
   * Role code of every thread at v: 4·(index of the first mutex it holds + 1) + 2 if it faulted + 1 if it took the
   * last step; 0 = no role. No two threads share a nonzero code: each mutex, fault and last step has one thread.
   */
  private computeRoles(v: Int32Array): void {
    const r = this.roles;
    r.fill(0);
    const m = this.m;
    for (let i = 0; i < m.mutexNames.length; i++) {
      const o = v[m.lockOff + i] - 1;
      if (o >= 0 && r[o] < 4) r[o] += 4 * (i + 1);
    }
    if (this.lastOff >= 0 && v[this.lastOff] > 0) r[v[this.lastOff] - 1] |= 1;
    const f = v[m.faultOff];
    if (f > 0) r[m.faultInfo[f - 1].thread] |= 2;
  }

  /** True when thread a has a role at v (holds a mutex, took the last step, faulted). */
  private hasRole(v: Int32Array, a: number): boolean {
    const m = this.m;
    if (this.hasRoles) {
      for (let i = 0; i < m.mutexNames.length; i++) if (v[m.lockOff + i] === a + 1) return true;
      if (this.lastOff >= 0 && v[this.lastOff] === a + 1) return true;
    }
    const f = v[m.faultOff];
    return f > 0 && m.faultInfo[f - 1].thread === a;
  }

  /** Same pc, same registers, same wait phase (threads of one group). */
  private sameLocals(v: Int32Array, a: number, b: number): boolean {
    if (v[a] !== v[b]) return false;
    const w = this.waitOff;
    if (w >= 0 && v[w + a] !== v[w + b]) return false;
    const ra = this.m.regOff[a];
    const rb = this.m.regOff[b];
    for (let k = 0, n = this.nRegs[a]; k < n; k++) if (v[ra + k] !== v[rb + k]) return false;
    return true;
  }

  /** Threads a and b (of one group) are interchangeable at v: same pc and registers, and neither has a role. */
  same(v: Int32Array, a: number, b: number): boolean {
    return this.sameLocals(v, a, b) && !this.hasRole(v, a) && !this.hasRole(v, b);
  }

  /** At a canonical state: thread t is interchangeable with the thread before it in its group (not a run's head). */
  sameAsPrev(v: Int32Array, t: number): boolean {
    const p = this.prev[t];
    return p >= 0 && this.same(v, p, t);
  }

  /** At a canonical state: how many threads of t's run (t and the interchangeable ones after it). */
  runLength(v: Int32Array, t: number): number {
    let n = 1;
    for (let a = t, b = this.next[t]; b >= 0 && this.same(v, a, b); a = b, b = this.next[b]) n++;
    return n;
  }

  /** At a canonical state: the number of distinct states in its orbit (Π over groups of a multinomial of its runs). */
  orbitSize(v: Int32Array): number {
    let size = 1;
    for (let g = 0; g < this.members.length; g++) {
      const mem = this.members[g];
      let placed = 0;
      for (let i = 0; i < mem.length; ) {
        let j = i + 1;
        while (j < mem.length && this.same(v, mem[j - 1], mem[j])) j++;
        placed += j - i;
        size *= this.binom[placed][j - i];
        i = j;
      }
    }
    return size;
  }

  private cmp(v: Int32Array, a: number, b: number, tie: Int32Array): number {
    let d = v[a] - v[b];
    if (d !== 0) return d;
    const w = this.waitOff;
    if (w >= 0) {
      d = v[w + a] - v[w + b];
      if (d !== 0) return d;
    }
    const ra = this.m.regOff[a];
    const rb = this.m.regOff[b];
    for (let k = 0, n = this.nRegs[a]; k < n; k++) {
      d = v[ra + k] - v[rb + k];
      if (d !== 0) return d;
    }
    d = this.roles[a] - this.roles[b];
    return d !== 0 ? d : tie[a] - tie[b];
  }

  /**
   * Sorts the threads of every group of v by (pc, registers, role, tie[thread]); when that moves a thread, writes the
   * canonical state into `out` and returns true (`order` tells where each thread came from), else returns false (v is
   * canonical). Ties only join interchangeable threads, so `tie` never changes the canonical state, only `order`.
   */
  canonicalize(v: Int32Array, out: Int32Array, tie: Int32Array): boolean {
    if (this.hasRoles || v[this.m.faultOff] !== 0) {
      this.computeRoles(v);
      this.rolesSet = true;
    } else if (this.rolesSet) {
      this.roles.fill(0);
      this.rolesSet = false;
    }
    const ord = this.order;
    const buf = this.buf;
    let moved = false;
    for (let g = 0; g < this.members.length; g++) {
      const mem = this.members[g];
      const n = mem.length;
      for (let i = 0; i < n; i++) {
        const a = mem[i];
        let j = i;
        while (j > 0 && this.cmp(v, buf[j - 1], a, tie) > 0) {
          buf[j] = buf[j - 1];
          j--;
        }
        buf[j] = a;
      }
      for (let i = 0; i < n; i++) {
        ord[mem[i]] = buf[i];
        if (buf[i] !== mem[i]) moved = true;
      }
    }
    if (!moved) return false;
    for (let j = 0; j < ord.length; j++) this.inv[ord[j]] = j;
    this.relabel(v, this.inv, out);
    return true;
  }

  /** Writes into `out` the state v with thread i renamed to p[i]: its pc and registers, the mutexes it holds, etc. */
  relabel(v: Int32Array, p: ArrayLike<number>, out: Int32Array): void {
    const m = this.m;
    out.set(v);
    for (let i = 0; i < p.length; i++) {
      const j = p[i];
      if (j === i) continue;
      out[j] = v[i];
      if (m.waitOff >= 0) out[m.waitOff + j] = v[m.waitOff + i];
      const ri = m.regOff[i];
      const rj = m.regOff[j];
      for (let k = 0, n = this.nRegs[i]; k < n; k++) out[rj + k] = v[ri + k];
    }
    for (let i = 0; i < m.mutexNames.length; i++) {
      const o = v[m.lockOff + i];
      if (o > 0) out[m.lockOff + i] = p[o - 1] + 1;
    }
    const f = v[m.faultOff];
    if (f > 0) {
      const info = m.faultInfo[f - 1];
      out[m.faultOff] = m.faultId(
        p[info.thread],
        info.lock,
        info.holder < 0 ? -1 : p[info.holder],
        info.kind,
        info.detail,
      );
    }
    if (this.lastOff >= 0 && v[this.lastOff] > 0) out[this.lastOff] = p[v[this.lastOff] - 1] + 1;
  }

  /** A label per thread that tells apart exactly the threads that are not interchangeable at v (any state). */
  stateLabels(v: Int32Array): Int32Array {
    const labels = new Int32Array(this.m.nThreads);
    for (const mem of this.members) {
      for (let i = 0; i < mem.length; i++) {
        labels[mem[i]] = i;
        for (let j = 0; j < i; j++) {
          if (this.same(v, mem[j], mem[i])) {
            labels[mem[i]] = labels[mem[j]];
            break;
          }
        }
      }
    }
    return labels;
  }

  /**
   * Renamings that give every distinct arrangement of `labels` inside the groups, once each (up to `limit`), the
   * identity first. Applied to a state labelled by `stateLabels`, they give each state of its orbit once.
   */
  arrangements(labels: ArrayLike<number>, limit: number): Int32Array[] {
    const T = this.m.nThreads;
    const perGroup = this.members.map((mem) => groupArrangements(mem, labels, limit));
    const out: Int32Array[] = [];
    const idx = new Array<number>(perGroup.length).fill(0);
    while (out.length < limit) {
      const p = new Int32Array(T);
      for (let i = 0; i < T; i++) p[i] = i;
      perGroup.forEach((arr, g) => {
        const mem = this.members[g];
        const a = arr[idx[g]];
        for (let k = 0; k < mem.length; k++) p[mem[k]] = mem[a[k]];
      });
      out.push(p);
      let g = perGroup.length - 1;
      while (g >= 0 && ++idx[g] === perGroup[g].length) idx[g--] = 0;
      if (g < 0) break;
    }
    return out;
  }
}

/**
 * The distinct arrangements of the labels of one group's members, each as a map member k → position a[k] (equal
 * labels keep their order), starting with the identity; at most `limit`.
 */
function groupArrangements(mem: Int32Array, labels: ArrayLike<number>, limit: number): Int32Array[] {
  const n = mem.length;
  const orig = Array.from(mem, (t) => labels[t]);
  const seq = orig.slice();
  const out: Int32Array[] = [];
  do {
    const a = new Int32Array(n);
    const used = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      let p = 0;
      while (used[p] === 1 || seq[p] !== orig[k]) p++;
      used[p] = 1;
      a[k] = p;
    }
    out.push(a);
    nextPermutation(seq);
  } while (out.length < limit && !seq.every((x, i) => x === orig[i]));
  return out;
}

/** The next arrangement in lexicographic order; after the last one, the first (ascending). */
function nextPermutation(a: number[]): void {
  let i = a.length - 2;
  while (i >= 0 && a[i] >= a[i + 1]) i--;
  if (i >= 0) {
    let j = a.length - 1;
    while (a[j] <= a[i]) j--;
    [a[i], a[j]] = [a[j], a[i]];
  }
  for (let l = i + 1, r = a.length - 1; l < r; l++, r--) [a[l], a[r]] = [a[r], a[l]];
}
