/**
 * The state machine behind explore, replay and sample: a program compiled to numbers, and a state as one Int32Array
 * laid out as [pc per thread | registers of every thread | cells | mutex owner+1 | semaphore values |
 * wait phase per thread (only when some thread waits on a condition variable) | fault | extras].
 * A thread's wait phase is 0 (running), c + 1 (asleep on condition variable c: its pc stays at the wait) or -1 (woken:
 * its next step locks the wait's mutex again and moves past the wait).
 */
import {
  checkInterleaveProgram,
  describeStep,
  type InterleaveProgram,
  type InterleaveStep,
  invariantText,
  programMutexes,
  setOwn,
  threadRegisters,
} from "./program";

enum Op {
  Read,
  Write,
  Add,
  Set,
  Inc,
  Cas,
  Tas,
  Lock,
  Unlock,
  Yield,
  Jump,
  JumpEq,
  JumpNe,
  // the ops below may block or wake other threads (kept last: `op >= Op.Wait` tells them apart quickly)
  Wait,
  Signal,
  Broadcast,
  Down,
  Up,
}

interface Code {
  op: Op;
  a: number; // register slot / cell slot / mutex slot (absolute index into the state)
  b: number; // operand value or slot
  bReg: boolean;
  c: number;
  cReg: boolean;
  d: number; // destination register slot (-1 = none) or jump target
  text: string;
  /** The step writes cell slot `a`, which has an invariant. */
  inv: boolean;
}

/** What a fault was: an unlock or a wait without holding the mutex, or a write that broke an invariant. */
export interface InterleaveFaultInfo {
  kind: "unlock" | "wait" | "invariant";
  thread: number;
  /** Mutex slot (unlock, wait), else -1. */
  lock: number;
  /** Thread that held the mutex (-1 = nobody, or not a mutex fault). */
  holder: number;
  /** Condition variable index (wait), or 2·(cell index) + 1 if above the max else + 0 (invariant); else -1. */
  detail: number;
}

/** Why a thread cannot run at a state. */
export type ThreadBlock = "finished" | "blocked" | "fault" | null;

export class InterleaveMachine {
  readonly nThreads: number;
  readonly names: string[];
  readonly cellNames: string[];
  readonly mutexNames: string[];
  readonly condNames: string[];
  readonly semNames: string[];
  readonly regNames: string[][];
  readonly regOff: number[];
  readonly cellOff: number;
  readonly lockOff: number;
  readonly semOff: number;
  /** First of the per-thread wait phases, or -1 when no thread waits on a condition variable. */
  readonly waitOff: number;
  readonly faultOff: number;
  readonly baseSize: number;
  readonly code: Code[][];
  /** Invariant bounds per cell index (only meaningful where `hasInvariant`). */
  private readonly invMin: Int32Array;
  private readonly invMax: Int32Array;
  private readonly invText: string[];
  /** True when some thread signals a condition variable (explore then checks each step for a choice of sleeper). */
  readonly hasSignals: boolean;
  /** Fault messages met so far; the state's fault slot holds index+1. */
  readonly faults: string[] = [];
  /** Per entry of `faults`: what went wrong, by which thread (see InterleaveFaultInfo). */
  readonly faultInfo: InterleaveFaultInfo[] = [];
  /** dead[t][pc] = register slots of thread t whose value is never read again from pc on (zeroed by `canonical`). */
  readonly dead: number[][][];

  constructor(readonly program: InterleaveProgram) {
    checkInterleaveProgram(program);
    const p = program;
    this.nThreads = p.threads.length;
    this.names = p.threads.map((t) => t.name);
    this.cellNames = Object.keys(p.cells ?? {});
    this.mutexNames = programMutexes(p);
    this.condNames = (p.conditions ?? []).slice();
    this.semNames = Object.keys(p.semaphores ?? {});
    this.regNames = p.threads.map(threadRegisters);
    let off = this.nThreads;
    this.regOff = this.regNames.map((rs) => {
      const o = off;
      off += rs.length;
      return o;
    });
    this.cellOff = off;
    off += this.cellNames.length;
    this.lockOff = off;
    off += this.mutexNames.length;
    this.semOff = off;
    off += this.semNames.length;
    const waits = p.threads.some((t) => t.steps.some((s) => s.op === "wait"));
    this.hasSignals = waits && p.threads.some((t) => t.steps.some((s) => s.op === "signal"));
    this.waitOff = waits ? off : -1;
    if (waits) off += this.nThreads;
    this.faultOff = off;
    off += 1;
    this.baseSize = off;
    const nc = this.cellNames.length;
    this.invMin = new Int32Array(nc).fill(-2147483648);
    this.invMax = new Int32Array(nc).fill(2147483647);
    this.invText = new Array<string>(nc).fill("");
    for (const inv of p.invariants ?? []) {
      const i = this.cellNames.indexOf(inv.cell);
      this.invMin[i] = Math.max(this.invMin[i], inv.min);
      this.invMax[i] = Math.min(this.invMax[i], inv.max);
      this.invText[i] = this.invText[i] ? `${this.invText[i]} and ${invariantText(inv)}` : invariantText(inv);
    }
    this.code = p.threads.map((t, ti) => {
      const labels = new Map<string, number>();
      for (const l of Object.keys(t.labels ?? {})) labels.set(l, t.labels[l]);
      return t.steps.map((s) => this.compile(s, ti, labels));
    });
    this.dead = this.code.map((code, ti) => deadRegisters(code, this.regOff[ti], this.regNames[ti].length));
  }

  /** Zeroes the registers of thread t that are dead at its pc: states that differ only there behave the same. */
  canonical(v: Int32Array, t: number): void {
    const d = this.dead[t][v[t]];
    for (let i = 0; i < d.length; i++) v[d[i]] = 0;
  }

  private compile(s: InterleaveStep, ti: number, labels: Map<string, number>): Code {
    const reg = (r: string) => this.regOff[ti] + this.regNames[ti].indexOf(r);
    const cell = (c: string) => this.cellOff + this.cellNames.indexOf(c);
    const opnd = (v: string | number): [number, boolean] => (typeof v === "number" ? [v | 0, false] : [reg(v), true]);
    const k: Code = {
      op: Op.Yield,
      a: -1,
      b: 0,
      bReg: false,
      c: 0,
      cReg: false,
      d: -1,
      text: describeStep(s),
      inv: false,
    };
    const mutex = (m: string) => this.lockOff + this.mutexNames.indexOf(m);
    switch (s.op) {
      case "read":
        k.op = Op.Read;
        k.a = cell(s.cell);
        k.d = reg(s.reg);
        break;
      case "write":
        k.op = Op.Write;
        k.a = cell(s.cell);
        [k.b, k.bReg] = opnd(s.value);
        break;
      case "add":
        k.op = Op.Add;
        k.d = reg(s.reg);
        [k.b, k.bReg] = opnd(s.value);
        break;
      case "set":
        k.op = Op.Set;
        k.d = reg(s.reg);
        [k.b, k.bReg] = opnd(s.value);
        break;
      case "inc":
        k.op = Op.Inc;
        k.a = cell(s.cell);
        k.b = s.value | 0;
        k.d = s.reg === undefined ? -1 : reg(s.reg);
        break;
      case "cas":
        k.op = Op.Cas;
        k.a = cell(s.cell);
        [k.b, k.bReg] = opnd(s.expected);
        [k.c, k.cReg] = opnd(s.value);
        k.d = reg(s.reg);
        break;
      case "tas":
        k.op = Op.Tas;
        k.a = cell(s.cell);
        k.d = reg(s.reg);
        break;
      case "lock":
        k.op = Op.Lock;
        k.a = mutex(s.mutex);
        break;
      case "unlock":
        k.op = Op.Unlock;
        k.a = mutex(s.mutex);
        break;
      case "yield":
        break;
      case "wait":
        k.op = Op.Wait;
        k.a = mutex(s.mutex);
        k.b = this.condNames.indexOf(s.cv);
        break;
      case "signal":
      case "broadcast":
        k.op = s.op === "signal" ? Op.Signal : Op.Broadcast;
        k.b = this.condNames.indexOf(s.cv);
        break;
      case "down":
      case "up":
        k.op = s.op === "down" ? Op.Down : Op.Up;
        k.a = this.semOff + this.semNames.indexOf(s.sem);
        break;
      case "jump":
        k.op = !s.cond ? Op.Jump : s.cond.test === "==" ? Op.JumpEq : Op.JumpNe;
        k.d = labels.get(s.label) as number;
        if (s.cond) {
          k.a = reg(s.cond.reg);
          [k.b, k.bReg] = opnd(s.cond.value);
        }
        break;
    }
    if (k.op === Op.Write || k.op === Op.Inc || k.op === Op.Cas || k.op === Op.Tas) {
      k.inv = this.invText[k.a - this.cellOff] !== "";
    }
    return k;
  }

  /** The initial state (size = baseSize + extra slots, all extras 0). */
  initial(extra = 0): Int32Array {
    const v = new Int32Array(this.baseSize + extra);
    this.cellNames.forEach((c, i) => {
      v[this.cellOff + i] = this.program.cells[c] | 0;
    });
    const sems = this.program.semaphores ?? {};
    this.semNames.forEach((s, i) => {
      v[this.semOff + i] = sems[s] | 0;
    });
    return v;
  }

  /** Why thread t cannot run at state v, or null when it can. */
  block(v: Int32Array, t: number): ThreadBlock {
    if (v[this.faultOff] !== 0) return "fault";
    const code = this.code[t];
    const pc = v[t];
    if (pc >= code.length) return "finished";
    return this.runnableStep(v, t, code[pc]) ? null : "blocked";
  }

  /** Whether thread t can take step k (its next step) at state v: false when it blocks. */
  private runnableStep(v: Int32Array, t: number, k: Code): boolean {
    if (k.op === Op.Lock) return v[k.a] === 0;
    if (k.op < Op.Wait) return true;
    if (k.op === Op.Down) return v[k.a] > 0;
    if (k.op === Op.Wait) {
      const w = v[this.waitOff + t];
      return w === 0 || (w < 0 && v[k.a] === 0);
    }
    return true;
  }

  /** True when thread t can take a step at state v. */
  canRun(v: Int32Array, t: number): boolean {
    if (v[this.faultOff] !== 0) return false;
    const code = this.code[t];
    const pc = v[t];
    if (pc >= code.length) return false;
    const k = code[pc];
    if (k.op === Op.Lock) return v[k.a] === 0;
    return k.op < Op.Wait || this.runnableStep(v, t, k);
  }

  /** Text of the step thread t would take next (or "" when finished); a wait says where it is. */
  nextText(v: Int32Array, t: number): string {
    const k = this.code[t][v[t]];
    if (!k) return "";
    if (k.op === Op.Wait) {
      const w = v[this.waitOff + t];
      if (w > 0) return `${k.text}: asleep`;
      if (w < 0) return `lock(${this.mutexNames[k.a - this.lockOff]}) again (woken from ${this.condNames[k.b]})`;
    }
    return k.text;
  }

  /** Why thread t is blocked at v, e.g. `T2 holds m` or `it is asleep on notEmpty` (for error messages). */
  blockReason(v: Int32Array, t: number): string {
    const k = this.code[t][v[t]];
    if (!k) return "it has finished";
    const holder = (slot: number) => (v[slot] > 0 ? this.names[v[slot] - 1] : "nobody");
    if (k.op === Op.Lock) return "another thread holds the mutex";
    if (k.op === Op.Down) return `semaphore ${this.semNames[k.a - this.semOff]} is 0`;
    if (k.op === Op.Wait) {
      const w = v[this.waitOff + t];
      if (w > 0) return `it is asleep on ${this.condNames[k.b]} until a signal or broadcast wakes it`;
      if (w < 0)
        return `it was woken but must lock ${this.mutexNames[k.a - this.lockOff]} again, and ${holder(k.a)} holds it`;
    }
    return "it can run";
  }

  /** True when thread t's next step is a signal (which may have several threads to choose from). */
  isSignal(v: Int32Array, t: number): boolean {
    const k = this.code[t][v[t]];
    return !!k && k.op === Op.Signal;
  }

  /**
   * The threads (0-based, ascending) that thread t's next step, a signal, may wake: those asleep on its condition
   * variable. Written into `out`; returns how many (0 when the step is no signal).
   */
  signalWaiters(v: Int32Array, t: number, out: Int32Array | number[]): number {
    const k = this.code[t][v[t]];
    if (!k || k.op !== Op.Signal || this.waitOff < 0) return 0;
    let n = 0;
    for (let u = 0; u < this.nThreads; u++) if (v[this.waitOff + u] === k.b + 1) out[n++] = u;
    return n;
  }

  /** True when the step thread t takes next is a yield. */
  isYield(v: Int32Array, t: number): boolean {
    const k = this.code[t][v[t]];
    return !!k && k.op === Op.Yield;
  }

  /**
   * Writes into `out` the state after thread t takes one step from `v` (t must be able to run). When the step is a
   * signal, `wake` is the thread it wakes (one of signalWaiters); -1 wakes the lowest-numbered sleeper.
   */
  step(v: Int32Array, t: number, out: Int32Array, wake = -1): void {
    out.set(v);
    const k = this.code[t][v[t]];
    let next = v[t] + 1;
    const b = k.bReg ? v[k.b] : k.b;
    switch (k.op) {
      case Op.Read:
        out[k.d] = v[k.a];
        break;
      case Op.Write:
        out[k.a] = b;
        break;
      case Op.Add:
        out[k.d] = (v[k.d] + b) | 0;
        break;
      case Op.Set:
        out[k.d] = b;
        break;
      case Op.Inc:
        if (k.d >= 0) out[k.d] = v[k.a];
        out[k.a] = (v[k.a] + k.b) | 0;
        break;
      case Op.Cas:
        if (v[k.a] === b) {
          out[k.a] = k.cReg ? v[k.c] : k.c;
          out[k.d] = 1;
        } else out[k.d] = 0;
        break;
      case Op.Tas:
        out[k.d] = v[k.a];
        out[k.a] = 1;
        break;
      case Op.Lock:
        out[k.a] = t + 1;
        break;
      case Op.Unlock:
        if (v[k.a] !== t + 1) out[this.faultOff] = this.faultId(t, k.a, v[k.a] - 1);
        else out[k.a] = 0;
        break;
      case Op.Yield:
        break;
      case Op.Wait: {
        const w = this.waitOff + t;
        if (v[w] < 0) {
          out[k.a] = t + 1; // woken: lock the mutex again and go on
          out[w] = 0;
        } else {
          next = v[t]; // stays at the wait while asleep
          if (v[k.a] !== t + 1) out[this.faultOff] = this.faultId(t, k.a, v[k.a] - 1, "wait", k.b);
          else {
            out[k.a] = 0;
            out[w] = k.b + 1;
          }
        }
        break;
      }
      case Op.Signal: {
        if (this.waitOff < 0) break; // nobody ever waits: a signal wakes nobody
        let u = wake;
        if (u < 0) for (u = 0; u < this.nThreads && v[this.waitOff + u] !== k.b + 1; u++);
        if (u < this.nThreads && v[this.waitOff + u] === k.b + 1) out[this.waitOff + u] = -1;
        break;
      }
      case Op.Broadcast:
        if (this.waitOff >= 0)
          for (let u = 0; u < this.nThreads; u++) if (v[this.waitOff + u] === k.b + 1) out[this.waitOff + u] = -1;
        break;
      case Op.Down:
        out[k.a] = v[k.a] - 1;
        break;
      case Op.Up:
        out[k.a] = (v[k.a] + 1) | 0;
        break;
      case Op.Jump:
        next = k.d;
        break;
      case Op.JumpEq:
        if (v[k.a] === b) next = k.d;
        break;
      case Op.JumpNe:
        if (v[k.a] !== b) next = k.d;
        break;
    }
    if (k.inv && out[this.faultOff] === 0) {
      const c = k.a - this.cellOff;
      const x = out[k.a];
      if (x < this.invMin[c] || x > this.invMax[c])
        out[this.faultOff] = this.faultId(t, -1, -1, "invariant", 2 * c + (x > this.invMax[c] ? 1 : 0));
    }
    out[t] = next;
  }

  /**
   * Value of the fault slot (index + 1 into `faults`) for "thread unlocked (or waited with) the mutex at state slot
   * `lock`, held by `holder`" (-1 = nobody), or "thread broke an invariant" (detail: see InterleaveFaultInfo); the
   * message is made on first use.
   */
  faultId(
    thread: number,
    lock: number,
    holder: number,
    kind: InterleaveFaultInfo["kind"] = "unlock",
    detail = -1,
  ): number {
    const info = this.faultInfo;
    for (let i = 0; i < info.length; i++) {
      const f = info[i];
      if (f.thread === thread && f.lock === lock && f.holder === holder && f.kind === kind && f.detail === detail)
        return i + 1;
    }
    const who = this.names[thread];
    if (kind === "invariant") {
      const c = detail >> 1;
      const dir = detail & 1 ? `above ${this.invMax[c]}` : `below ${this.invMin[c]}`;
      this.faults.push(`${who} took ${this.cellNames[c]} ${dir} (invariant ${this.invText[c]})`);
    } else {
      const held = holder < 0 ? "nobody holds it" : `${this.names[holder]} holds it`;
      const mutex = this.mutexNames[lock - this.lockOff];
      this.faults.push(
        kind === "wait"
          ? `${who} waited on ${this.condNames[detail]} without holding ${mutex} (${held})`
          : `${who} unlocked ${mutex} without holding it (${held})`,
      );
    }
    info.push({ kind, thread, lock, holder, detail });
    return this.faults.length;
  }

  /** Shared cells of a state as name → value. */
  cells(v: Int32Array): Record<string, number> {
    const r: Record<string, number> = {};
    for (let i = 0; i < this.cellNames.length; i++) setOwn(r, this.cellNames[i], v[this.cellOff + i]);
    return r;
  }

  /** Semaphore values of a state as name → value. */
  semaphores(v: Int32Array): Record<string, number> {
    const r: Record<string, number> = {};
    for (let i = 0; i < this.semNames.length; i++) setOwn(r, this.semNames[i], v[this.semOff + i]);
    return r;
  }

  /** Registers of thread t as name → value. */
  registers(v: Int32Array, t: number): Record<string, number> {
    const r: Record<string, number> = {};
    for (let i = 0; i < this.regNames[t].length; i++) setOwn(r, this.regNames[t][i], v[this.regOff[t] + i]);
    return r;
  }

  /** Owner (thread index) of each mutex, or -1 when free. */
  owners(v: Int32Array): Record<string, number> {
    const r: Record<string, number> = {};
    for (let i = 0; i < this.mutexNames.length; i++) setOwn(r, this.mutexNames[i], v[this.lockOff + i] - 1);
    return r;
  }

  /**
   * Mutex thread t waits for at state v (its next step is a lock of a held mutex, or locking it again after a wait
   * that was woken), or null.
   */
  waitsFor(v: Int32Array, t: number): string | null {
    const k = this.code[t][v[t]];
    if (!k || v[k.a] === 0) return null;
    if (k.op !== Op.Lock && !(k.op === Op.Wait && v[this.waitOff + t] < 0)) return null;
    return this.mutexNames[k.a - this.lockOff];
  }

  /** Condition variable thread t sleeps on at state v, or null. */
  sleepsOn(v: Int32Array, t: number): string | null {
    const k = this.code[t][v[t]];
    if (!k || k.op !== Op.Wait || v[this.waitOff + t] <= 0) return null;
    return this.condNames[k.b];
  }

  /** Semaphore thread t waits for at state v (its next step is a down of a semaphore at 0), or null. */
  downOn(v: Int32Array, t: number): string | null {
    const k = this.code[t][v[t]];
    if (!k || k.op !== Op.Down || v[k.a] !== 0) return null;
    return this.semNames[k.a - this.semOff];
  }

  /**
   * What blocked thread t waits for, as a small number: 1 + mutex index, then 1 + nMutexes + condition variable
   * index (asleep), then after those 1 + … + semaphore index (down); 0 when it does not wait.
   */
  blockCode(v: Int32Array, t: number): number {
    const nm = this.mutexNames.length;
    const m = this.waitsFor(v, t);
    if (m !== null) return 1 + this.mutexNames.indexOf(m);
    const c = this.sleepsOn(v, t);
    if (c !== null) return 1 + nm + this.condNames.indexOf(c);
    const s = this.downOn(v, t);
    if (s !== null) return 1 + nm + this.condNames.length + this.semNames.indexOf(s);
    return 0;
  }

  /** Text of the shared cells, e.g. `counter=2` (the outcome key of a finished run). */
  cellsText(v: Int32Array): string {
    return this.cellNames.map((c, i) => `${c}=${v[this.cellOff + i]}`).join(", ") || "(no cells)";
  }

  /** Outcome kind and key of a state where no thread can run. */
  outcome(v: Int32Array): {
    kind: "done" | "deadlock" | "fault";
    key: string;
    fault?: string;
    faultKind?: InterleaveFaultInfo["kind"];
  } {
    const f = v[this.faultOff];
    if (f !== 0) {
      const fault = this.faults[f - 1];
      return {
        kind: "fault",
        key: `fault: ${fault}; ${this.cellsText(v)}`,
        fault,
        faultKind: this.faultInfo[f - 1].kind,
      };
    }
    let done = true;
    for (let t = 0; t < this.nThreads; t++) if (v[t] < this.code[t].length) done = false;
    if (done) return { kind: "done", key: this.cellsText(v) };
    const parts: string[] = [];
    for (let t = 0; t < this.nThreads; t++) {
      const m = this.waitsFor(v, t);
      if (m !== null) parts.push(`${this.names[t]} waits for ${m}`);
      const c = this.sleepsOn(v, t);
      if (c !== null) parts.push(`${this.names[t]} sleeps on ${c}`);
      const s = this.downOn(v, t);
      if (s !== null) parts.push(`${this.names[t]} waits in down(${s})`);
    }
    return { kind: "deadlock", key: `deadlock (${parts.join(", ")}); ${this.cellsText(v)}` };
  }
}

/** Backward liveness analysis over one thread's steps: for each pc, the register slots dead there. */
function deadRegisters(code: Code[], off: number, nRegs: number): number[][] {
  const n = code.length;
  const uses = (k: Code): number[] => {
    const u: number[] = [];
    if (k.bReg) u.push(k.b);
    if (k.cReg) u.push(k.c);
    if (k.op === Op.Add || k.op === Op.JumpEq || k.op === Op.JumpNe) u.push(k.op === Op.Add ? k.d : k.a);
    return u;
  };
  const defs = (k: Code): number[] =>
    k.op === Op.Read ||
    k.op === Op.Add ||
    k.op === Op.Set ||
    k.op === Op.Cas ||
    k.op === Op.Tas ||
    (k.op === Op.Inc && k.d >= 0)
      ? [k.d]
      : [];
  const succ = (pc: number): number[] => {
    const k = code[pc];
    if (k.op === Op.Jump) return [k.d];
    if (k.op === Op.JumpEq || k.op === Op.JumpNe) return [pc + 1, k.d];
    return [pc + 1];
  };
  const live: Set<number>[] = [];
  for (let pc = 0; pc <= n; pc++) live.push(new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      const k = code[pc];
      const out = new Set<number>();
      for (const s of succ(pc)) for (const r of live[s]) out.add(r);
      for (const r of defs(k)) out.delete(r);
      for (const r of uses(k)) out.add(r);
      if (out.size !== live[pc].size) {
        live[pc] = out;
        changed = true;
      }
    }
  }
  const all: number[] = [];
  for (let i = 0; i < nRegs; i++) all.push(off + i);
  return live.map((l) => all.filter((r) => !l.has(r)));
}
