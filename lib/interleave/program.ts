/**
 * The tiny thread language: threads of atomic steps over shared cells and thread-local registers.
 * Every step is one scheduling point (the scheduler may switch threads between any two steps).
 * Values are 32-bit signed integers, like an Int32Array slot used with Atomics.
 */
import { InterleaveProgramError } from "./errors";

/** A register name (thread-local) or an integer constant. */
export type InterleaveOperand = string | number;

/** One atomic step of a thread. */
export type InterleaveStep =
  | { op: "read"; reg: string; cell: string } // reg = cell
  | { op: "write"; cell: string; value: InterleaveOperand } // cell = value
  | { op: "add"; reg: string; value: InterleaveOperand } // reg = reg + value
  | { op: "set"; reg: string; value: InterleaveOperand } // reg = value
  // atomic fetch-add (Atomics.add): reg = cell; cell += value
  | { op: "inc"; cell: string; value: number; reg?: string }
  // reg = 1 if swapped else 0
  | { op: "cas"; cell: string; expected: InterleaveOperand; value: InterleaveOperand; reg: string }
  | { op: "tas"; reg: string; cell: string } // test-and-set: reg = cell; cell = 1
  | { op: "lock"; mutex: string } // blocks while another thread (or itself) holds the mutex
  | { op: "unlock"; mutex: string } // a fault when the thread does not hold it
  | { op: "yield" } // does nothing; switching after it never counts as a preemption
  | { op: "jump"; label: string; cond?: { reg: string; test: "==" | "!="; value: InterleaveOperand } };

/** One thread: its steps and its labels (label → index of the step it marks; may equal steps.length = the end). */
export interface InterleaveThread {
  name: string;
  steps: InterleaveStep[];
  labels: Record<string, number>;
}

/** A whole program: shared cells with their initial values, and the threads. */
export interface InterleaveProgram {
  cells: Record<string, number>;
  threads: InterleaveThread[];
}

function operandText(v: InterleaveOperand): string {
  return typeof v === "number" ? String(v) : v;
}

/** The step as a learner reads it, e.g. `r = counter`, `counter = r`, `r = r + 1`, `lock(m)`. */
export function describeStep(s: InterleaveStep): string {
  switch (s.op) {
    case "read":
      return `${s.reg} = ${s.cell}`;
    case "write":
      return `${s.cell} = ${operandText(s.value)}`;
    case "add":
      return typeof s.value === "number" && s.value < 0
        ? `${s.reg} = ${s.reg} - ${-s.value}`
        : `${s.reg} = ${s.reg} + ${operandText(s.value)}`;
    case "set":
      return `${s.reg} = ${operandText(s.value)}`;
    case "inc":
      return `${s.reg ? s.reg + " = " : ""}atomic ${s.cell} += ${s.value}`;
    case "cas":
      return `${s.reg} = CAS(${s.cell}, ${operandText(s.expected)} → ${operandText(s.value)})`;
    case "tas":
      return `${s.reg} = TAS(${s.cell})`;
    case "lock":
      return `lock(${s.mutex})`;
    case "unlock":
      return `unlock(${s.mutex})`;
    case "yield":
      return "yield";
    case "jump":
      return s.cond
        ? `if ${s.cond.reg} ${s.cond.test} ${operandText(s.cond.value)} goto ${s.label}`
        : `goto ${s.label}`;
  }
}

/** Registers a thread defines: every register some step writes. Reading any other name is an error. */
export function threadRegisters(t: InterleaveThread): string[] {
  const regs: string[] = [];
  const add = (r: string | undefined) => {
    if (r !== undefined && !regs.includes(r)) regs.push(r);
  };
  for (const s of t.steps) {
    if (s.op === "read" || s.op === "add" || s.op === "set" || s.op === "cas" || s.op === "tas") add(s.reg);
    if (s.op === "inc") add(s.reg);
  }
  return regs;
}

/** Mutex names used by the program, in order of first use. */
export function programMutexes(p: InterleaveProgram): string[] {
  const ms: string[] = [];
  for (const t of p.threads)
    for (const s of t.steps) if ((s.op === "lock" || s.op === "unlock") && !ms.includes(s.mutex)) ms.push(s.mutex);
  return ms;
}

/** Checks a program and throws InterleaveProgramError on the first problem found. */
export function checkInterleaveProgram(p: InterleaveProgram): void {
  if (!p || !Array.isArray(p.threads) || p.threads.length === 0) {
    throw new InterleaveProgramError(
      "no-threads",
      "Expected a program with at least one thread, got none: add a thread (builder .thread(...) or a `thread T1:` block).",
    );
  }
  const cells = p.cells ?? {};
  for (const [c, v] of Object.entries(cells)) {
    if (!Number.isInteger(v))
      throw new InterleaveProgramError(
        "bad-operand",
        `Expected cell \`${c}\` to start at an integer, got ${v}: give it an integer initial value.`,
      );
  }
  const cellNames = Object.keys(cells);
  const lockedSomewhere = new Set<string>();
  for (const t of p.threads) for (const s of t.steps) if (s.op === "lock") lockedSomewhere.add(s.mutex);
  const names = new Set<string>();
  for (const t of p.threads) {
    if (names.has(t.name))
      throw new InterleaveProgramError(
        "duplicate-name",
        `Two threads are named \`${t.name}\`: give every thread its own name.`,
      );
    names.add(t.name);
    const regs = threadRegisters(t);
    const where = (i: number) => `thread ${t.name}, step ${i + 1} (\`${describeStep(t.steps[i])}\`)`;
    const cell = (c: string, i: number) => {
      if (!cellNames.includes(c)) {
        throw new InterleaveProgramError(
          "unknown-cell",
          `Unknown shared cell \`${c}\` in ${where(i)}: declare it (e.g. \`shared ${c} = 0\`, or cells: { ${c}: 0 }) — known cells: ${cellNames.join(", ") || "none"}.`,
        );
      }
    };
    const operand = (v: InterleaveOperand, i: number) => {
      if (typeof v === "number") {
        if (!Number.isInteger(v))
          throw new InterleaveProgramError(
            "bad-operand",
            `Expected an integer constant in ${where(i)}, got ${v}: values are 32-bit integers.`,
          );
        return;
      }
      if (!regs.includes(v)) {
        const hint = cellNames.includes(v)
          ? ` \`${v}\` is a shared cell: read it into a register first (\`read r, ${v}\`).`
          : ` Registers of ${t.name} are the ones its steps write: ${regs.join(", ") || "none"}.`;
        throw new InterleaveProgramError("unknown-register", `Unknown register \`${v}\` in ${where(i)}.${hint}`);
      }
    };
    for (const l of Object.keys(t.labels)) {
      const at = t.labels[l];
      if (!Number.isInteger(at) || at < 0 || at > t.steps.length)
        throw new InterleaveProgramError(
          "missing-label",
          `Label \`${l}\` of thread ${t.name} points outside the thread: labels mark a step or the end.`,
        );
    }
    t.steps.forEach((s, i) => {
      switch (s.op) {
        case "read":
        case "tas":
          cell(s.cell, i);
          break;
        case "write":
          cell(s.cell, i);
          operand(s.value, i);
          break;
        case "add":
        case "set":
          operand(s.value, i);
          break;
        case "inc":
          cell(s.cell, i);
          if (!Number.isInteger(s.value))
            throw new InterleaveProgramError(
              "bad-operand",
              `Expected an integer amount in ${where(i)}, got ${s.value}.`,
            );
          break;
        case "cas":
          cell(s.cell, i);
          operand(s.expected, i);
          operand(s.value, i);
          break;
        case "unlock":
          if (!lockedSomewhere.has(s.mutex))
            throw new InterleaveProgramError(
              "unknown-mutex",
              `Unknown mutex \`${s.mutex}\` in ${where(i)}: no thread ever locks it — check the name.`,
            );
          break;
        case "jump":
          if (!(s.label in t.labels)) {
            throw new InterleaveProgramError(
              "missing-label",
              `Jump to missing label \`${s.label}\` in ${where(i)}: add \`${s.label}:\` in thread ${t.name} (labels are per thread; known: ${Object.keys(t.labels).join(", ") || "none"}).`,
            );
          }
          if (s.cond) {
            operand(s.cond.reg, i);
            operand(s.cond.value, i);
          }
          break;
        default:
          break;
      }
    });
  }
}

/** Builds one thread step by step; every method adds one atomic step and returns the builder. */
export class InterleaveThreadBuilder {
  readonly steps: InterleaveStep[] = [];
  readonly labels: Record<string, number> = {};
  constructor(readonly name: string) {}
  private push(s: InterleaveStep): this {
    this.steps.push(s);
    return this;
  }
  /** `reg = cell` */
  read(reg: string, cell: string): this {
    return this.push({ op: "read", reg, cell });
  }
  /** `cell = value` (a register or a constant) */
  write(cell: string, value: InterleaveOperand): this {
    return this.push({ op: "write", cell, value });
  }
  /** `reg = reg + value` */
  add(reg: string, value: InterleaveOperand): this {
    return this.push({ op: "add", reg, value });
  }
  /** `reg = value` */
  set(reg: string, value: InterleaveOperand): this {
    return this.push({ op: "set", reg, value });
  }
  /** Atomic `cell += value` in one step (the Atomics.add analogue); the old value goes to `reg` if given. */
  inc(cell: string, value = 1, reg?: string): this {
    return this.push(reg === undefined ? { op: "inc", cell, value } : { op: "inc", cell, value, reg });
  }
  /** Compare-and-swap in one step: if cell == expected then cell = value, reg = 1, else reg = 0. */
  cas(reg: string, cell: string, expected: InterleaveOperand, value: InterleaveOperand): this {
    return this.push({ op: "cas", cell, expected, value, reg });
  }
  /** Test-and-set in one step: reg = cell, cell = 1. */
  tas(reg: string, cell: string): this {
    return this.push({ op: "tas", reg, cell });
  }
  lock(mutex: string): this {
    return this.push({ op: "lock", mutex });
  }
  unlock(mutex: string): this {
    return this.push({ op: "unlock", mutex });
  }
  yield(): this {
    return this.push({ op: "yield" });
  }
  /** Marks the next step (or the end of the thread) with a label. */
  label(name: string): this {
    if (name in this.labels)
      throw new InterleaveProgramError(
        "duplicate-label",
        `Label \`${name}\` is defined twice in thread ${this.name}: rename one.`,
      );
    this.labels[name] = this.steps.length;
    return this;
  }
  /** `goto label` */
  jump(label: string): this {
    return this.push({ op: "jump", label });
  }
  /** `if reg == value goto label` */
  jumpIfEq(reg: string, value: InterleaveOperand, label: string): this {
    return this.push({ op: "jump", label, cond: { reg, test: "==", value } });
  }
  /** `if reg != value goto label` */
  jumpIfNe(reg: string, value: InterleaveOperand, label: string): this {
    return this.push({ op: "jump", label, cond: { reg, test: "!=", value } });
  }
}

/** Typed builder: `threadProgram({ counter: 0 }).thread("T1", t => t.read("r", "counter")...).build()`. */
export class InterleaveProgramBuilder {
  private readonly threads: InterleaveThread[] = [];
  constructor(private readonly cells: Record<string, number>) {}
  /** Adds a thread; its name defaults to T1, T2, ... */
  thread(
    nameOrBody: string | ((t: InterleaveThreadBuilder) => unknown),
    body?: (t: InterleaveThreadBuilder) => unknown,
  ): this {
    const name = typeof nameOrBody === "string" ? nameOrBody : `T${this.threads.length + 1}`;
    const fn = typeof nameOrBody === "string" ? body : nameOrBody;
    const b = new InterleaveThreadBuilder(name);
    if (fn) fn(b);
    this.threads.push({ name, steps: b.steps.slice(), labels: { ...b.labels } });
    return this;
  }
  /** Checks the program (named errors) and returns it. */
  build(): InterleaveProgram {
    const p: InterleaveProgram = { cells: { ...this.cells }, threads: this.threads.map((t) => ({ ...t })) };
    checkInterleaveProgram(p);
    return p;
  }
}

/** Starts a program with these shared cells (name → initial value). */
export function threadProgram(cells: Record<string, number> = {}): InterleaveProgramBuilder {
  return new InterleaveProgramBuilder(cells);
}
