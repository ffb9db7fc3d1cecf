/**
 * Programs for the clock-cycle machine: short lists of micro-operations, one per clock cycle.
 * A program is one instruction stream (think "one thread"); its register names are its own.
 */
import { CourseError } from "../errors";
import { checkArray, checkName, checkNumber, describeValue, isPlainObject } from "../errors/validate";

/** One micro-operation; each takes exactly one clock cycle. */
export type MicroOp =
  | { op: "load"; dst: string; from: string } // memory variable → register
  | { op: "store"; to: string; src: string } // register → memory variable
  | { op: "add"; dst: string; a: string; b: string } // register + register
  | { op: "sub"; dst: string; a: string; b: string }
  | { op: "mul"; dst: string; a: string; b: string }
  | { op: "addi"; dst: string; src: string; k: number }; // register + constant

/** A named program: the micro-ops it runs, in order. */
export interface CpuProgram {
  name: string;
  ops: MicroOp[];
}

/** Thrown when a program is malformed; the message says what to fix. */
export class CpuProgramError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "CpuProgramError";
  }
}

/** A register or memory-variable name given to a builder: a non-empty string (any name, even "constructor"). */
function reg(op: string, role: string, v: unknown): string {
  return checkName(CpuProgramError, `the ${role} of ${op}(...)`, v, 'name it with a short string, e.g. "a"');
}

/** Builders, so a cell reads like the seed's table: `program("A", [load("a"), load("b"), add()])`. */
export const load = (from: string, dst: string = from): MicroOp => ({
  op: "load",
  dst: reg("load", "register", dst),
  from: reg("load", "memory variable", from),
});
export const store = (to: string, src: string): MicroOp => ({
  op: "store",
  to: reg("store", "memory variable", to),
  src: reg("store", "register", src),
});
export const addi = (dst: string, src: string, k: number): MicroOp => ({
  op: "addi",
  dst: reg("addi", "target register", dst),
  src: reg("addi", "source register", src),
  k: checkNumber(CpuProgramError, "the constant of addi(...)", k, { min: -1e12, max: 1e12 }, "pass e.g. 1"),
});
/** `add("ab", "a", "b")`: register ab ← a + b. */
export const add = (dst: string, a: string, b: string): MicroOp => ({
  op: "add",
  dst: reg("add", "target register", dst),
  a: reg("add", "first register", a),
  b: reg("add", "second register", b),
});
export const sub = (dst: string, a: string, b: string): MicroOp => ({
  op: "sub",
  dst: reg("sub", "target register", dst),
  a: reg("sub", "first register", a),
  b: reg("sub", "second register", b),
});
export const mul = (dst: string, a: string, b: string): MicroOp => ({
  op: "mul",
  dst: reg("mul", "target register", dst),
  a: reg("mul", "first register", a),
  b: reg("mul", "second register", b),
});

/** Most micro-ops one program may have (a program is a few lines of the seed's table). */
export const MAX_OPS = 1000;

/** Checks that `o` is a micro-op made by a builder (load, store, add, sub, mul, addi); throws CpuProgramError. */
export function checkOp(o: unknown, where: string): MicroOp {
  const names: Record<string, readonly string[]> = {
    load: ["dst", "from"],
    store: ["to", "src"],
    add: ["dst", "a", "b"],
    sub: ["dst", "a", "b"],
    mul: ["dst", "a", "b"],
    addi: ["dst", "src"],
  };
  const op = isPlainObject(o) ? o.op : undefined;
  if (typeof op !== "string" || !Object.hasOwn(names, op))
    throw new CpuProgramError(
      `${where} is ${describeValue(o)}: build steps with load("a"), store("x", "a"), add("ab", "a", "b"), sub, mul ` +
        `or addi("x", "x", 1).`,
    );
  const rec = o as Record<string, unknown>;
  for (const f of names[op]) reg(op, f, rec[f]);
  if (op === "addi") checkNumber(CpuProgramError, `the constant of ${where}`, rec.k, { min: -1e12, max: 1e12 });
  return o as MicroOp;
}

/** Make a program, checking that every register is written before it is read. */
export function program(name: string, ops: MicroOp[]): CpuProgram {
  if (typeof name !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(name)) {
    throw new CpuProgramError(
      `Expected a program name of at most 40 letters/digits starting with a letter (like "A"), got ` +
        `${describeValue(name)}.`,
    );
  }
  if (Array.isArray(ops) && ops.length === 0)
    throw new CpuProgramError(
      `Program ${name} has no micro-ops: give it at least one, e.g. [load("a"), load("b"), add("ab", "a", "b")].`,
    );
  checkArray(
    CpuProgramError,
    `the micro-ops of program ${name}`,
    ops,
    { min: 1, max: MAX_OPS },
    'give it a list of steps, e.g. [load("a"), load("b"), add("ab", "a", "b")]',
  );
  const written = new Set<string>();
  ops.forEach((o, i) => {
    checkOp(o, `Program ${name}, step ${i + 1}`);
    const where = `Program ${name}, step ${i + 1} (${describeOp(o)})`;
    for (const r of readsOf(o)) {
      if (!written.has(r)) {
        throw new CpuProgramError(
          `${where} reads register "${r}" before anything was loaded into it: load it first, or fix the name.`,
        );
      }
    }
    if (o.op === "addi" && !Number.isFinite(o.k)) {
      throw new CpuProgramError(`${where}: the constant must be a finite number, got ${o.k}.`);
    }
    const w = writeOf(o);
    if (w !== undefined) written.add(w);
  });
  return { name, ops: ops.map((o) => ({ ...o })) };
}

/** Registers an op reads. */
export function readsOf(o: MicroOp): string[] {
  switch (o.op) {
    case "load":
      return [];
    case "store":
      return [o.src];
    case "addi":
      return [o.src];
    default:
      return [o.a, o.b];
  }
}

/** The register an op writes, if any. */
export function writeOf(o: MicroOp): string | undefined {
  return o.op === "store" ? undefined : o.dst;
}

/** Short text of an op, as the seed's tables write it: "load a", "a + b", "store x". */
export function describeOp(o: MicroOp): string {
  switch (o.op) {
    case "load":
      return o.dst === o.from ? `load ${o.from}` : `load ${o.from} → ${o.dst}`;
    case "store":
      return `store ${o.src} → ${o.to}`;
    case "add":
      return `${o.a} + ${o.b}`;
    case "sub":
      return `${o.a} − ${o.b}`;
    case "mul":
      return `${o.a} × ${o.b}`;
    case "addi":
      return o.dst === o.src ? `${o.src} + ${o.k}` : `${o.dst} = ${o.src} + ${o.k}`;
  }
}

/** The seed's example: program `name` computes `x + y` by loading x, loading y, adding. */
export function sumProgram(name: string, x: string, y: string): CpuProgram {
  return program(name, [load(x), load(y), add(`${x}${y}`, x, y)]);
}

/** The seed's pair of independent computations: A = (a + b), B = (c + d). */
export function seedPrograms(): CpuProgram[] {
  return [sumProgram("A", "a", "b"), sumProgram("B", "c", "d")];
}
