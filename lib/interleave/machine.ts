/**
 * The state machine behind explore, replay and sample: a program compiled to numbers, and a state as one Int32Array
 * laid out as [pc per thread | registers of every thread | cells | mutex owner+1 | fault | extras].
 */
import {
  checkInterleaveProgram,
  describeStep,
  type InterleaveProgram,
  type InterleaveStep,
  programMutexes,
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
}

/** Why a thread cannot run at a state. */
export type ThreadBlock = "finished" | "blocked" | "fault" | null;

export class InterleaveMachine {
  readonly nThreads: number;
  readonly names: string[];
  readonly cellNames: string[];
  readonly mutexNames: string[];
  readonly regNames: string[][];
  readonly regOff: number[];
  readonly cellOff: number;
  readonly lockOff: number;
  readonly faultOff: number;
  readonly baseSize: number;
  readonly code: Code[][];
  /** Fault messages met so far; the state's fault slot holds index+1. */
  readonly faults: string[] = [];
  /** Per entry of `faults`: the thread that unlocked, the mutex slot, and the holder (thread index, -1 = nobody). */
  readonly faultInfo: { thread: number; lock: number; holder: number }[] = [];
  /** dead[t][pc] = register slots of thread t whose value is never read again from pc on (zeroed by `canonical`). */
  readonly dead: number[][][];

  constructor(readonly program: InterleaveProgram) {
    checkInterleaveProgram(program);
    const p = program;
    this.nThreads = p.threads.length;
    this.names = p.threads.map((t) => t.name);
    this.cellNames = Object.keys(p.cells ?? {});
    this.mutexNames = programMutexes(p);
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
    this.faultOff = off;
    off += 1;
    this.baseSize = off;
    this.code = p.threads.map((t, ti) => t.steps.map((s) => this.compile(s, ti, t.labels)));
    this.dead = this.code.map((code, ti) => deadRegisters(code, this.regOff[ti], this.regNames[ti].length));
  }

  /** Zeroes the registers of thread t that are dead at its pc: states that differ only there behave the same. */
  canonical(v: Int32Array, t: number): void {
    const d = this.dead[t][v[t]];
    for (let i = 0; i < d.length; i++) v[d[i]] = 0;
  }

  private compile(s: InterleaveStep, ti: number, labels: Record<string, number>): Code {
    const reg = (r: string) => this.regOff[ti] + this.regNames[ti].indexOf(r);
    const cell = (c: string) => this.cellOff + this.cellNames.indexOf(c);
    const opnd = (v: string | number): [number, boolean] => (typeof v === "number" ? [v | 0, false] : [reg(v), true]);
    const k: Code = { op: Op.Yield, a: -1, b: 0, bReg: false, c: 0, cReg: false, d: -1, text: describeStep(s) };
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
        k.a = this.lockOff + this.mutexNames.indexOf(s.mutex);
        break;
      case "unlock":
        k.op = Op.Unlock;
        k.a = this.lockOff + this.mutexNames.indexOf(s.mutex);
        break;
      case "yield":
        break;
      case "jump":
        k.op = !s.cond ? Op.Jump : s.cond.test === "==" ? Op.JumpEq : Op.JumpNe;
        k.d = labels[s.label];
        if (s.cond) {
          k.a = reg(s.cond.reg);
          [k.b, k.bReg] = opnd(s.cond.value);
        }
        break;
    }
    return k;
  }

  /** The initial state (size = baseSize + extra slots, all extras 0). */
  initial(extra = 0): Int32Array {
    const v = new Int32Array(this.baseSize + extra);
    this.cellNames.forEach((c, i) => {
      v[this.cellOff + i] = this.program.cells[c] | 0;
    });
    return v;
  }

  /** Why thread t cannot run at state v, or null when it can. */
  block(v: Int32Array, t: number): ThreadBlock {
    if (v[this.faultOff] !== 0) return "fault";
    const code = this.code[t];
    const pc = v[t];
    if (pc >= code.length) return "finished";
    const k = code[pc];
    if (k.op === Op.Lock && v[k.a] !== 0) return "blocked";
    return null;
  }

  /** True when thread t can take a step at state v. */
  canRun(v: Int32Array, t: number): boolean {
    if (v[this.faultOff] !== 0) return false;
    const code = this.code[t];
    const pc = v[t];
    if (pc >= code.length) return false;
    const k = code[pc];
    return !(k.op === Op.Lock && v[k.a] !== 0);
  }

  /** Text of the step thread t would take next (or "" when finished). */
  nextText(v: Int32Array, t: number): string {
    const k = this.code[t][v[t]];
    return k ? k.text : "";
  }

  /** True when the step thread t takes next is a yield. */
  isYield(v: Int32Array, t: number): boolean {
    const k = this.code[t][v[t]];
    return !!k && k.op === Op.Yield;
  }

  /** Writes into `out` the state after thread t takes one step from `v` (t must be able to run). */
  step(v: Int32Array, t: number, out: Int32Array): void {
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
    out[t] = next;
  }

  /**
   * Value of the fault slot (index + 1 into `faults`) for "thread unlocked the mutex at state slot `lock`, held by
   * `holder`" (-1 = nobody); the message is made on first use.
   */
  faultId(thread: number, lock: number, holder: number): number {
    const info = this.faultInfo;
    for (let i = 0; i < info.length; i++) {
      if (info[i].thread === thread && info[i].lock === lock && info[i].holder === holder) return i + 1;
    }
    const held = holder < 0 ? "nobody holds it" : `${this.names[holder]} holds it`;
    const mutex = this.mutexNames[lock - this.lockOff];
    this.faults.push(`${this.names[thread]} unlocked ${mutex} without holding it (${held})`);
    info.push({ thread, lock, holder });
    return this.faults.length;
  }

  /** Shared cells of a state as name → value. */
  cells(v: Int32Array): Record<string, number> {
    const r: Record<string, number> = {};
    this.cellNames.forEach((c, i) => {
      r[c] = v[this.cellOff + i];
    });
    return r;
  }

  /** Registers of thread t as name → value. */
  registers(v: Int32Array, t: number): Record<string, number> {
    const r: Record<string, number> = {};
    this.regNames[t].forEach((n, i) => {
      r[n] = v[this.regOff[t] + i];
    });
    return r;
  }

  /** Owner (thread index) of each mutex, or -1 when free. */
  owners(v: Int32Array): Record<string, number> {
    const r: Record<string, number> = {};
    this.mutexNames.forEach((m, i) => {
      r[m] = v[this.lockOff + i] - 1;
    });
    return r;
  }

  /** Mutex thread t waits for at state v (its next step is a lock of a held mutex), or null. */
  waitsFor(v: Int32Array, t: number): string | null {
    const k = this.code[t][v[t]];
    if (!k || k.op !== Op.Lock || v[k.a] === 0) return null;
    return this.mutexNames[k.a - this.lockOff];
  }

  /** Text of the shared cells, e.g. `counter=2` (the outcome key of a finished run). */
  cellsText(v: Int32Array): string {
    return this.cellNames.map((c, i) => `${c}=${v[this.cellOff + i]}`).join(", ") || "(no cells)";
  }

  /** Outcome kind and key of a state where no thread can run. */
  outcome(v: Int32Array): { kind: "done" | "deadlock" | "fault"; key: string; fault?: string } {
    const f = v[this.faultOff];
    if (f !== 0) {
      const fault = this.faults[f - 1];
      return { kind: "fault", key: `fault: ${fault}; ${this.cellsText(v)}`, fault };
    }
    let done = true;
    for (let t = 0; t < this.nThreads; t++) if (v[t] < this.code[t].length) done = false;
    if (done) return { kind: "done", key: this.cellsText(v) };
    const parts: string[] = [];
    for (let t = 0; t < this.nThreads; t++) {
      const m = this.waitsFor(v, t);
      if (m !== null) parts.push(`${this.names[t]} waits for ${m}`);
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
