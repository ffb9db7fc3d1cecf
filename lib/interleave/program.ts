/**
 * The tiny thread language: threads of atomic steps over shared cells and thread-local registers.
 * Every step is one scheduling point (the scheduler may switch threads between any two steps).
 * Values are 32-bit signed integers, like an Int32Array slot used with Atomics.
 *
 * Coordination beyond a mutex: condition variables with Mesa semantics (`wait cv, m` releases m and sleeps in one
 * step; once woken the thread takes one more step that locks m again, competing for it like any `lock`; `signal`
 * wakes one sleeper, `broadcast` all) and counting semaphores (`down` blocks while the value is 0, then takes 1;
 * `up` adds 1). Invariants (`invariant 0 <= count <= 2`) are checked after every step that writes the cell: a step
 * that breaks one ends the run with a fault, so explore finds it with a witness.
 *
 * Every name a learner gives (cells, registers, labels, mutexes, condition variables, semaphores, threads) is looked
 * up as an own property or in a Map: `constructor`, `toString`, `__proto__` are names like any other.
 */
import { checkResult, describeValue, isPlainObject } from "../errors/validate";
import { InterleaveError, InterleaveProgramError } from "./errors";

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
  // releases the mutex (held by this thread, else a fault) and sleeps on cv, in one step; once woken (signal or
  // broadcast) the thread's next step locks the mutex again (blocking while another thread holds it), then goes on
  | { op: "wait"; cv: string; mutex: string }
  | { op: "signal"; cv: string } // wakes one thread asleep on cv (which one: a choice of the schedule); none: no-op
  | { op: "broadcast"; cv: string } // wakes every thread asleep on cv
  | { op: "down"; sem: string } // P: blocks while the semaphore is 0, then subtracts 1
  | { op: "up"; sem: string } // V: adds 1, never blocks
  | { op: "jump"; label: string; cond?: { reg: string; test: "==" | "!="; value: InterleaveOperand } };

/** One thread: its steps and its labels (label → index of the step it marks; may equal steps.length = the end). */
export interface InterleaveThread {
  name: string;
  steps: InterleaveStep[];
  labels: Record<string, number>;
}

/** A cell's allowed range: a step that writes a value outside min..max ends the run with a fault. */
export interface InterleaveInvariant {
  cell: string;
  min: number;
  max: number;
}

/**
 * A whole program: shared cells with their initial values, the threads, and (optional) condition variables,
 * counting semaphores with their initial values (integers ≥ 0), and invariants over cells.
 */
export interface InterleaveProgram {
  cells: Record<string, number>;
  threads: InterleaveThread[];
  conditions?: string[];
  semaphores?: Record<string, number>;
  invariants?: InterleaveInvariant[];
}

/** True when `key` is an own property of `obj` (never one inherited from Object.prototype, like `toString`). */
export function hasOwnName(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

/**
 * Sets `obj[key] = value` as an own property, also for `__proto__` (a plain assignment would set the prototype).
 * Records built this way keep every name a learner chose.
 */
export function setOwn<V>(obj: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The invariant as text, e.g. `0 ≤ count ≤ 2`. */
export function invariantText(i: InterleaveInvariant): string {
  return `${i.min} ≤ ${i.cell} ≤ ${i.max}`;
}

function operandText(v: InterleaveOperand): string {
  return typeof v === "number" ? String(v) : v;
}

/** The step as a learner reads it, e.g. `r = counter`, `counter = r`, `r = r + 1`, `lock(m)`. */
export function describeStep(s: InterleaveStep): string {
  checkResult(InterleaveError, "the step given to describeStep", s, ["op"], "pass one step of a thread");
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
    case "wait":
      return `wait(${s.cv}, ${s.mutex})`;
    case "signal":
    case "broadcast":
      return `${s.op}(${s.cv})`;
    case "down":
    case "up":
      return `${s.op}(${s.sem})`;
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
    for (const s of t.steps)
      if ((s.op === "lock" || s.op === "unlock" || s.op === "wait") && !ms.includes(s.mutex)) ms.push(s.mutex);
  return ms;
}

/** True when some thread uses a condition variable or a semaphore. */
export function usesCoordination(p: InterleaveProgram): boolean {
  return p.threads.some((t) =>
    t.steps.some(
      (s) => s.op === "wait" || s.op === "signal" || s.op === "broadcast" || s.op === "down" || s.op === "up",
    ),
  );
}

/** The fields each op needs: n = a name (string), o = an operand (number or register name), i = a number. */
const STEP_FIELDS: Record<InterleaveStep["op"], Record<string, "n" | "o" | "i">> = {
  read: { reg: "n", cell: "n" },
  write: { cell: "n", value: "o" },
  add: { reg: "n", value: "o" },
  set: { reg: "n", value: "o" },
  inc: { cell: "n", value: "i" },
  cas: { cell: "n", expected: "o", value: "o", reg: "n" },
  tas: { reg: "n", cell: "n" },
  lock: { mutex: "n" },
  unlock: { mutex: "n" },
  yield: {},
  wait: { cv: "n", mutex: "n" },
  signal: { cv: "n" },
  broadcast: { cv: "n" },
  down: { sem: "n" },
  up: { sem: "n" },
  jump: { label: "n" },
};

/**
 * The program's shape, for programs written by hand as objects: cells a plain object, each thread an object with a
 * name, a steps array and a labels object, each step an object with a known op and fields of the right types.
 */
function checkShape(p: InterleaveProgram): void {
  const bad = (what: string): never => {
    throw new InterleaveProgramError(
      "bad-step",
      `${what} — build programs with threadProgram(...) or parseThreadProgram.`,
    );
  };
  const plain = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (p.cells !== undefined && !plain(p.cells))
    bad("Expected `cells` to map cell names to integers, e.g. { counter: 0 }");
  p.threads.forEach((t, ti) => {
    if (!plain(t) || !Array.isArray(t.steps))
      bad(`Expected thread ${ti + 1} to be an object { name, steps: [...], labels: {...} }, got ${describeValue(t)}`);
    if (typeof t.name !== "string" || t.name === "")
      bad(`Expected thread ${ti + 1} to have a name like "T${ti + 1}", got ${describeValue(t.name)}`);
    if (t.labels !== undefined && !plain(t.labels)) bad(`Expected the labels of thread ${t.name} to be an object`);
    t.steps.forEach((s, i) => {
      const at = `step ${i + 1} of thread ${t.name}`;
      if (!plain(s) || !hasOwnName(STEP_FIELDS, String(s.op)))
        bad(`Expected ${at} to be an object with a known op (${Object.keys(STEP_FIELDS).join(", ")})`);
      const fields = STEP_FIELDS[s.op];
      const rec = s as unknown as Record<string, unknown>;
      for (const f of Object.keys(fields)) {
        const v = rec[f];
        const kind = fields[f];
        // numbers are checked to be integers later, with the bad-operand message
        const ok =
          kind === "n"
            ? typeof v === "string" && v !== ""
            : typeof v === "number" || (kind === "o" && typeof v === "string" && v !== "");
        const want = kind === "n" ? "a name" : kind === "i" ? "an integer" : "an integer or a register name";
        if (!ok) bad(`Expected \`${f}\` of ${at} (\`${s.op}\`) to be ${want}, got ${describeValue(v)}`);
      }
      if (s.op === "inc" && s.reg !== undefined && (typeof s.reg !== "string" || s.reg === ""))
        bad(`Expected \`reg\` of ${at} (\`inc\`) to be a name`);
      if (s.op === "jump" && s.cond !== undefined) {
        const c = s.cond;
        if (!plain(c) || typeof c.reg !== "string" || (c.test !== "==" && c.test !== "!="))
          bad(`Expected \`cond\` of ${at} to be { reg, test: "==" or "!=", value }`);
        if (typeof c.value !== "number" && (typeof c.value !== "string" || c.value === ""))
          bad(`Expected \`cond.value\` of ${at} to be an integer or a register`);
      }
    });
  });
}

function nameList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(", ") || "none";
}

/** Checks a program and throws InterleaveProgramError on the first problem found. */
export function checkInterleaveProgram(p: InterleaveProgram): void {
  if (!p || typeof p !== "object" || !Array.isArray(p.threads) || p.threads.length === 0) {
    throw new InterleaveProgramError(
      "no-threads",
      "Expected a program with at least one thread, got none: add a thread (builder .thread(...) or a `thread T1:` block).",
    );
  }
  checkShape(p);
  const cells = p.cells ?? {};
  for (const [c, v] of Object.entries(cells)) {
    if (!Number.isInteger(v))
      throw new InterleaveProgramError(
        "bad-operand",
        `Expected cell \`${c}\` to start at an integer, got ${v}: give it an integer initial value.`,
      );
  }
  const cellNames = Object.keys(cells);
  const conds = p.conditions ?? [];
  if (!Array.isArray(conds) || conds.some((c) => typeof c !== "string" || c === ""))
    throw new InterleaveProgramError(
      "bad-operand",
      `Expected \`conditions\` to be a list of names, got ${String(conds)}: e.g. ["notFull", "notEmpty"].`,
    );
  const sems = p.semaphores ?? {};
  if (typeof sems !== "object" || sems === null || Array.isArray(sems))
    throw new InterleaveProgramError(
      "bad-operand",
      `Expected \`semaphores\` to map names to initial values, got ${String(sems)}: e.g. { slots: 2, items: 0 }.`,
    );
  const semNames = Object.keys(sems);
  for (const s of semNames) {
    const v = sems[s];
    if (!Number.isInteger(v) || v < 0 || v > 2147483647)
      throw new InterleaveProgramError(
        "bad-operand",
        `Expected semaphore \`${s}\` to start at an integer ≥ 0, got ${String(v)}: a semaphore counts free ` +
          `units, so give it 0 or more (e.g. \`sem ${s} = 1\`).`,
      );
  }
  const mutexes = programMutexes(p);
  const kinds = new Map<string, string>();
  const declare = (n: string, kind: string) => {
    const before = kinds.get(n);
    if (before !== undefined && (kind !== "a mutex" || before !== "a shared cell"))
      throw new InterleaveProgramError(
        "duplicate-name",
        before === kind
          ? `\`${n}\` is declared twice as ${kind}: declare it once.`
          : `The name \`${n}\` is both ${before} and ${kind}: give each its own name.`,
      );
    if (before === undefined) kinds.set(n, kind);
  };
  for (const c of cellNames) declare(c, "a shared cell");
  for (const c of conds) declare(c, "a condition variable");
  for (const s of semNames) declare(s, "a semaphore");
  for (const m of mutexes) declare(m, "a mutex"); // a mutex may share its name with a cell (older programs do)
  const invariants = p.invariants ?? [];
  if (!Array.isArray(invariants))
    throw new InterleaveProgramError(
      "bad-operand",
      `Expected \`invariants\` to be a list like [{ cell: "count", min: 0, max: 2 }], got ${String(invariants)}.`,
    );
  for (const inv of invariants) {
    if (!inv || typeof inv.cell !== "string" || !cellNames.includes(inv.cell))
      throw new InterleaveProgramError(
        "unknown-cell",
        `Unknown shared cell \`${inv?.cell}\` in an invariant: declare it (\`shared ${inv?.cell} = 0\`) — known cells: ` +
          `${nameList(cellNames)}.`,
      );
    if (!Number.isInteger(inv.min) || !Number.isInteger(inv.max) || inv.min > inv.max)
      throw new InterleaveProgramError(
        "bad-operand",
        `Expected the invariant on \`${inv.cell}\` to have integers min ≤ max, got ${inv.min}..${inv.max}: ` +
          `e.g. \`invariant 0 <= ${inv.cell} <= 2\`.`,
      );
    const v0 = cells[inv.cell];
    if (v0 < inv.min || v0 > inv.max)
      throw new InterleaveProgramError(
        "bad-operand",
        `Cell \`${inv.cell}\` starts at ${v0}, which already breaks the invariant ${invariantText(inv)}: ` +
          `change its initial value or the bounds.`,
      );
  }
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
    const what = (n: string) => (kinds.has(n) ? ` (\`${n}\` is ${kinds.get(n)})` : "");
    const cell = (c: string, i: number) => {
      if (!cellNames.includes(c)) {
        throw new InterleaveProgramError(
          "unknown-cell",
          `Unknown shared cell \`${c}\` in ${where(i)}${what(c)}: declare it (e.g. \`shared ${c} = 0\`, or cells: { ${c}: 0 }) — known cells: ${cellNames.join(", ") || "none"}.`,
        );
      }
    };
    const cond = (c: string, i: number) => {
      if (!conds.includes(c))
        throw new InterleaveProgramError(
          "unknown-condition",
          `Unknown condition variable \`${c}\` in ${where(i)}${what(c)}: declare it (\`cond ${c}\`, or ` +
            `.cond("${c}")) — known condition variables: ${nameList(conds)}.`,
        );
    };
    const sem = (s: string, i: number) => {
      if (!semNames.includes(s))
        throw new InterleaveProgramError(
          "unknown-semaphore",
          `Unknown semaphore \`${s}\` in ${where(i)}${what(s)}: declare it with its initial value (\`sem ${s} = 1\`, ` +
            `or .sem({ ${s}: 1 })) — known semaphores: ${nameList(semNames)}.`,
        );
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
    const labels = t.labels ?? {};
    for (const l of Object.keys(labels)) {
      const at = labels[l];
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
        case "wait":
          cond(s.cv, i);
          if (!lockedSomewhere.has(s.mutex))
            throw new InterleaveProgramError(
              "unknown-mutex",
              `Unknown mutex \`${s.mutex}\` in ${where(i)}: wait releases a mutex the thread holds, but no thread ` +
                `ever locks \`${s.mutex}\` — lock it before the wait (\`lock ${s.mutex}\`) or check the name.`,
            );
          break;
        case "signal":
        case "broadcast":
          cond(s.cv, i);
          break;
        case "down":
        case "up":
          sem(s.sem, i);
          break;
        case "unlock":
          if (!lockedSomewhere.has(s.mutex))
            throw new InterleaveProgramError(
              "unknown-mutex",
              `Unknown mutex \`${s.mutex}\` in ${where(i)}: no thread ever locks it — check the name.`,
            );
          break;
        case "jump":
          if (!hasOwnName(labels, s.label)) {
            throw new InterleaveProgramError(
              "missing-label",
              `Jump to missing label \`${s.label}\` in ${where(i)}: add \`${s.label}:\` in thread ${t.name} (labels are per thread; known: ${Object.keys(labels).join(", ") || "none"}).`,
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
  /** Label → step index; a null-prototype object, so a label may be called `toString` or `__proto__`. */
  readonly labels: Record<string, number> = Object.create(null);
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
  /**
   * `wait(cv, m)`: releases mutex m (the thread must hold it, else the run ends with a fault) and sleeps on cv, in one
   * step. Once a signal or broadcast wakes it, its next step locks m again (it waits while another thread holds m).
   * Mesa semantics: when it runs on, the condition it waited for may be false again — check it in a loop.
   */
  wait(cv: string, mutex: string): this {
    return this.push({ op: "wait", cv, mutex });
  }
  /** `signal(cv)`: wakes one thread asleep on cv (which one is a choice of the schedule); no-op when none sleeps. */
  signal(cv: string): this {
    return this.push({ op: "signal", cv });
  }
  /** `broadcast(cv)`: wakes every thread asleep on cv. */
  broadcast(cv: string): this {
    return this.push({ op: "broadcast", cv });
  }
  /** `down(s)` (P): blocks while semaphore s is 0, then subtracts 1, in one step. */
  down(sem: string): this {
    return this.push({ op: "down", sem });
  }
  /** `up(s)` (V): adds 1 to semaphore s; never blocks. */
  up(sem: string): this {
    return this.push({ op: "up", sem });
  }
  /** Marks the next step (or the end of the thread) with a label. */
  label(name: string): this {
    if (hasOwnName(this.labels, name))
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

/**
 * Typed builder: `threadProgram({ counter: 0 }).thread("T1", t => t.read("r", "counter")...).build()`. Condition
 * variables, semaphores and invariants are declared on it: `.cond("notFull", "notEmpty")`,
 * `.sem({ slots: 2, items: 0 })`, `.invariant("count", 0, 2)`.
 */
export class InterleaveProgramBuilder {
  private readonly threads: InterleaveThread[] = [];
  private readonly conditions: string[] = [];
  private readonly semaphores: Record<string, number> = Object.create(null);
  private readonly invariants: InterleaveInvariant[] = [];
  constructor(private readonly cells: Record<string, number>) {}
  /** Declares condition variables (used by wait, signal, broadcast). */
  cond(...names: string[]): this {
    this.conditions.push(...names);
    return this;
  }
  /** Declares counting semaphores with their initial values (integers ≥ 0), e.g. `.sem({ slots: 2, items: 0 })`. */
  sem(initial: Record<string, number>): this {
    for (const k of Object.keys(initial ?? {})) {
      if (hasOwnName(this.semaphores, k))
        throw new InterleaveProgramError(
          "duplicate-name",
          `\`${k}\` is declared twice as a semaphore: declare it once.`,
        );
      this.semaphores[k] = initial[k];
    }
    return this;
  }
  /** Declares that `cell` stays within min..max: a step that writes a value outside ends the run with a fault. */
  invariant(cell: string, min: number, max: number): this {
    this.invariants.push({ cell, min, max });
    return this;
  }
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
    if (this.conditions.length > 0) p.conditions = this.conditions.slice();
    if (Object.keys(this.semaphores).length > 0) p.semaphores = { ...this.semaphores };
    if (this.invariants.length > 0) p.invariants = this.invariants.map((i) => ({ ...i }));
    checkInterleaveProgram(p);
    return p;
  }
}

/** Starts a program with these shared cells (name → initial value). */
export function threadProgram(cells: Record<string, number> = {}): InterleaveProgramBuilder {
  if (!isPlainObject(cells))
    throw new InterleaveProgramError(
      "bad-operand",
      `Expected threadProgram's shared cells to be an object like { x: 0 }, got ${describeValue(cells)}.`,
    );
  return new InterleaveProgramBuilder(cells);
}
