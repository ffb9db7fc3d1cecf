/**
 * The clock-cycle machine: N cores, each doing one micro-op per clock cycle — a toy, like seed 000's tables: scalar
 * (one step per cycle) and in order (program order). A schedule says, cycle by cycle, which program's next step
 * each core runs. Time is counted in clock cycles, starting at cycle 1 as in the seed's tables.
 *
 * `issueWidth` > 1 makes each core superscalar, still in order: in one cycle a core issues up to `issueWidth` of the
 * scheduled program's next steps, in program order, stopping at the first step that needs a result (a register, or
 * a memory variable stored) from a step issued in the same cycle. A schedule entry "A+B" models SMT: one core's
 * issue slots shared by two programs (hardware threads) in the same cycle, one step of each in turn. Real cores go
 * further: pipelining (several steps in flight) and out-of-order issue (looking past a step that must wait) —
 * Hennessy & Patterson, Computer Architecture: A Quantitative Approach, ch. 3.
 */
import { CourseError } from "../errors";
import { checkArray, checkNumber, checkOptions, checkResult, describeValue, isPlainObject } from "../errors/validate";
import {
  type CpuProgram,
  CpuProgramError,
  checkOp,
  describeOp,
  MAX_OPS,
  type MicroOp,
  readsOf,
  writeOf,
} from "./program";

const CPU_OPTION_KEYS = ["cores", "memory", "registers", "registersPerCore", "issueWidth"] as const;
/** Most cycles a written schedule may have. */
const MAX_SCHEDULE_CYCLES = 10_000;

/** Thrown when a schedule cannot run on the machine; the message says what to change. */
export class CpuScheduleError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "CpuScheduleError";
  }
}

/**
 * How to run the programs:
 * - "sequential": one core, each program to the end before the next starts;
 * - "round-robin": one core, one step of each unfinished program in turn;
 * - "parallel": program i on core i mod `cores`, all starting at cycle 1;
 * - a text like "A B B A A B" (one core) or "A|B A|B A|B" (two cores; "-" = idle core); "A+B" = one SMT core
 *   issuing steps of A and B in the same cycle (needs issueWidth ≥ 2);
 * - or cycle by cycle: [["A", "B"], ["A", null], ...] (one entry per core).
 */
export type CpuSchedule = "sequential" | "round-robin" | "parallel" | string | (string | null)[][];

/** Options of `runCpu`. */
export interface CpuOptions {
  /** Number of cores (default: 1, or as many as the schedule uses). */
  cores?: number;
  /** Initial memory, e.g. { a: 1, b: 2 }; variables not given start at 0. */
  memory?: Record<string, number>;
  /**
   * "reuse" (default): a register is free again after its value's last read. "no-reuse": every value keeps its own
   * register.
   */
  registers?: "reuse" | "no-reuse";
  /** Registers each core has (default: unlimited). A run that needs more is an error. */
  registersPerCore?: number;
  /**
   * Steps a core may issue in one cycle from the program it runs (default 1: the scalar toy). With 2, independent
   * steps such as `load a` and `load b` issue in the same cycle; a step never issues in the same cycle as a step it
   * depends on. Whole number from 1 to 8.
   */
  issueWidth?: number;
}

/** One micro-op executed by one core in one cycle. */
export interface CpuStep {
  /** Clock cycle, from 1. */
  cycle: number;
  /** Core index, from 0. */
  core: number;
  /** Program name. */
  program: string;
  /** Index of the program in the list given to runCpu (stable colour). */
  programIndex: number;
  /** Issue slot inside the core in this cycle, from 0 (always 0 when issueWidth is 1). */
  slot: number;
  /** Step number inside the program, from 1. */
  step: number;
  /** The op, as text ("load a", "a + b"). */
  text: string;
  /** Value the op produced (register value, or stored value). */
  value: number;
}

/** The result of running programs under a schedule. */
export interface CpuRun {
  cores: number;
  /** Clock cycles until the last op finished. */
  cycles: number;
  /** Every executed op, in cycle then core order. */
  trace: CpuStep[];
  /** Per cycle, per core: the (first) op the core ran, or null when it idles. With issueWidth > 1 see `issued`. */
  grid: (CpuStep | null)[][];
  /** Per cycle, per core: every op the core issued in that cycle, in program order (at most issueWidth). */
  issued: CpuStep[][][];
  /** Steps a core may issue per cycle (1 = the scalar toy). */
  issueWidth: number;
  /** Registers in use at the end of each cycle, per core: live[cycle-1][core]. */
  live: number[][];
  /** Most registers a core held at once, per core. */
  registersPeak: number[];
  /** Most registers held at once over all cores together. */
  registersPeakTotal: number;
  /** First and last cycle of each program, by name. */
  span: Record<string, { start: number; finish: number; core: number }>;
  /** Final register values of each program. */
  registerValues: Record<string, Record<string, number>>;
  /** Memory after the run. */
  memory: Record<string, number>;
  /** The schedule as text ("A B B A A B" or "A|B A|B A|B"). */
  scheduleText: string;
  programs: string[];
}

const PRESETS = new Set(["sequential", "round-robin", "parallel"]);

/** Parse a schedule text: cycles separated by spaces, cores within a cycle by "|", "-" for an idle core. */
export function parseCpuSchedule(text: string): (string | null)[][] {
  if (typeof text !== "string" || text.length > 200_000)
    throw new CpuScheduleError(
      `Expected the schedule text to be a string of at most 200,000 characters, got ${describeValue(text)}: ` +
        `write one entry per clock cycle, like "A B B A A B".`,
    );
  const cycles = text
    .trim()
    .split(/\s+/)
    .filter((s) => s.length > 0);
  if (cycles.length === 0) {
    throw new CpuScheduleError(`The schedule text is empty: write one entry per clock cycle, like "A B B A A B".`);
  }
  return cycles.map((c) => c.split("|").map((s) => (s === "-" || s === "" ? null : s)));
}

/** Schedule as text, the inverse of parseCpuSchedule. */
export function cpuScheduleText(grid: (string | null)[][]): string {
  return grid.map((cyc) => cyc.map((s) => s ?? "-").join("|")).join(" ");
}

/**
 * The preset schedules, decided cycle by cycle from what is left to run (so they fit any issue width):
 * "sequential" the first unfinished program on core 1; "round-robin" the next unfinished program after the last one
 * served, on core 1; "parallel" each core the first unfinished program of its own queue (program i on core
 * i mod cores).
 */
function presetSlots(
  kind: string,
  programs: CpuProgram[],
  cores: number,
  pc: number[],
  lastServed: number,
): (string | null)[] {
  const unfinished = (i: number) => pc[i] < programs[i].ops.length;
  if (kind === "sequential") {
    const i = programs.findIndex((_, k) => unfinished(k));
    return [i >= 0 ? programs[i].name : null];
  }
  if (kind === "round-robin") {
    for (let d = 1; d <= programs.length; d++) {
      const i = (lastServed + d) % programs.length;
      if (unfinished(i)) return [programs[i].name];
    }
    return [null];
  }
  return Array.from({ length: cores }, (_, k) => {
    const i = programs.findIndex((_, j) => j % cores === k && unfinished(j));
    return i >= 0 ? programs[i].name : null;
  });
}

/** Checks a list of programs made with program(...) (1 to 64); `fn` names the function for the message. */
export function checkPrograms(programs: unknown, fn: string): asserts programs is CpuProgram[] {
  if (!Array.isArray(programs) || programs.length === 0)
    throw new CpuScheduleError(
      `Expected a non-empty list of programs, e.g. seedPrograms(); got ${describeValue(programs)} (given to ${fn}).`,
    );
  checkArray(CpuScheduleError, `the programs of ${fn}`, programs, { min: 1, max: 64 }, "pass e.g. seedPrograms()");
  (programs as unknown[]).forEach((p, i) => {
    if (!isPlainObject(p) || typeof p.name !== "string" || !Array.isArray(p.ops))
      throw new CpuScheduleError(
        `Program ${i + 1} of ${fn} is ${describeValue(p)}: make each with program("A", [load("a"), ...]).`,
      );
    checkArray(CpuProgramError, `the micro-ops of program ${p.name}`, p.ops, { min: 1, max: MAX_OPS });
    p.ops.forEach((o, k) => {
      checkOp(o, `Program ${p.name}, step ${k + 1}`);
    });
  });
}

/** Checks a run returned by runCpu; `fn` names the function for the message. */
export function checkCpuRun(run: unknown, fn: string): asserts run is CpuRun {
  checkResult(
    CpuScheduleError,
    `the run given to ${fn}`,
    run,
    ["cycles", "grid", "span", "trace", "cores"],
    "pass what runCpu(...) returned",
  );
}

/** Run programs on the clock-cycle machine under a schedule; returns the per-cycle trace and register needs. */
export function runCpu(programs: CpuProgram[], schedule: CpuSchedule = "sequential", options: CpuOptions = {}): CpuRun {
  checkPrograms(programs, "runCpu");
  options = checkOptions<CpuOptions>(CpuScheduleError, "runCpu's options", options ?? undefined, CPU_OPTION_KEYS);
  if (options === null) options = {};
  const byName = new Map<string, number>();
  programs.forEach((p, i) => {
    if (byName.has(p.name))
      throw new CpuScheduleError(`Two programs are named "${p.name}": give each program its own name.`);
    byName.set(p.name, i);
  });
  const requestedCores = options.cores;
  if (
    requestedCores !== undefined &&
    (!Number.isInteger(requestedCores) || requestedCores < 1 || requestedCores > 64)
  ) {
    throw new CpuScheduleError(`Expected \`cores\` to be a whole number from 1 to 64, got ${requestedCores}.`);
  }
  const limit = options.registersPerCore;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new CpuScheduleError(`Expected \`registersPerCore\` to be a whole number ≥ 1, got ${limit}.`);
  }
  const issueWidth = options.issueWidth ?? 1;
  if (!Number.isInteger(issueWidth) || issueWidth < 1 || issueWidth > 8) {
    throw new CpuScheduleError(
      `Expected \`issueWidth\` (steps a core may issue per cycle) to be a whole number from 1 to 8, got ` +
        `${issueWidth}: 1 is the scalar toy, 2 lets independent steps such as load a and load b share a cycle.`,
    );
  }
  const regMode = options.registers ?? "reuse";
  if (regMode !== "reuse" && regMode !== "no-reuse") {
    throw new CpuScheduleError(`Expected \`registers\` to be "reuse" or "no-reuse", got ${JSON.stringify(regMode)}.`);
  }

  let grid: (string | null)[][] | undefined; // undefined: a preset, decided cycle by cycle
  let preset: string | undefined;
  let width = 1;
  if (typeof schedule === "string" && PRESETS.has(schedule)) {
    preset = schedule;
    width = schedule === "parallel" ? (requestedCores ?? programs.length) : 1;
  } else if (typeof schedule === "string") {
    grid = parseCpuSchedule(schedule);
  } else if (Array.isArray(schedule)) {
    checkArray(CpuScheduleError, "the schedule", schedule, { min: 1, max: MAX_SCHEDULE_CYCLES });
    grid = schedule.map((c, i) => {
      if (!Array.isArray(c) || c.length < 1 || c.length > 64)
        throw new CpuScheduleError(
          `Cycle ${i + 1} of the schedule must be a list with one entry per core, like ["A", "B"]; got ${describeValue(c)}.`,
        );
      return c.map((s) => {
        if (s !== null && typeof s !== "string")
          throw new CpuScheduleError(
            `Cycle ${i + 1} of the schedule names ${describeValue(s)}: use a program's name, or null for an idle core.`,
          );
        return s === "-" ? null : s;
      });
    });
  } else {
    throw new CpuScheduleError(
      `Expected a schedule: "sequential", "round-robin", "parallel", a text like "A B B A A B", or a list of cycles; got ${describeValue(schedule)}.`,
    );
  }
  if (grid) {
    if (grid.length > MAX_SCHEDULE_CYCLES)
      throw new CpuScheduleError(
        `The schedule has ${grid.length} cycles; at most ${MAX_SCHEDULE_CYCLES} are allowed: write a shorter one.`,
      );
    width = grid.reduce((m, c) => Math.max(m, c.length), 1);
  }
  const cores = requestedCores ?? width;
  if (width > cores) {
    throw new CpuScheduleError(
      `The schedule uses ${width} cores in one cycle but the machine has ${cores}: pass { cores: ${width} } or use fewer "|" per cycle.`,
    );
  }

  // Null-prototype tables: a variable or register named "constructor" or "toString" is just a name.
  const memory: Record<string, number> = Object.create(null);
  if (options.memory !== undefined) {
    if (!isPlainObject(options.memory))
      throw new CpuScheduleError(
        `Expected \`memory\` to be an object like { a: 1, b: 2 }, got ${describeValue(options.memory)}.`,
      );
    for (const [k, v] of Object.entries(options.memory)) {
      checkNumber(CpuScheduleError, `memory variable "${k.slice(0, 40)}"`, v, { min: -1e12, max: 1e12 });
      memory[k] = v;
    }
  }
  const pc = programs.map(() => 0);
  const home: (number | undefined)[] = programs.map(() => undefined);
  const regs: Record<string, number>[] = programs.map(() => Object.create(null));
  const trace: CpuStep[] = [];
  const rows: (CpuStep | null)[][] = [];
  // Liveness bookkeeping: each value written gets an id; we note its core, birth cycle and reads.
  interface Value {
    core: number;
    born: number;
    lastRead: number;
    overwritten: number;
  }
  const values: Value[] = [];
  const current: Map<string, number>[] = programs.map(() => new Map());

  const issuedRows: CpuStep[][][] = [];
  let lastServed = -1;
  /** Check that program `name` may run on `core` in `cycle`; returns its index. */
  const admit = (name: string, core: number, cycle: number, seen: Set<string>): number => {
    const i = byName.get(name);
    if (i === undefined) {
      throw new CpuScheduleError(
        `Cycle ${cycle}: there is no program "${name}". Programs are: ${programs.map((p) => p.name).join(", ")}.`,
      );
    }
    if (seen.has(name)) {
      throw new CpuScheduleError(
        `Cycle ${cycle}: program ${name} is on two cores at once. One program is one instruction stream: it runs on one core at a time.`,
      );
    }
    seen.add(name);
    const p = programs[i];
    if (pc[i] >= p.ops.length) {
      throw new CpuScheduleError(
        `Cycle ${cycle}: program ${name} has only ${p.ops.length} steps and they have all run. Remove this extra "${name}" from the schedule.`,
      );
    }
    if (home[i] === undefined) home[i] = core;
    else if (home[i] !== core) {
      throw new CpuScheduleError(
        `Cycle ${cycle}: program ${name} started on core ${home[i]! + 1} but is scheduled on core ${core + 1}. Its values sit in core ${home[i]! + 1}'s registers, so keep ${name} on one core.`,
      );
    }
    lastServed = i;
    return i;
  };
  for (let t = 0; ; t++) {
    let cycleSlots: (string | null)[];
    if (grid) {
      if (t >= grid.length) break;
      cycleSlots = grid[t];
    } else {
      // A preset always names an unfinished program, so every cycle issues at least one step: the loop ends.
      if (pc.every((n, i) => n >= programs[i].ops.length)) break;
      cycleSlots = presetSlots(preset!, programs, width, pc, lastServed);
    }
    const cycle = t + 1;
    const seen = new Set<string>();
    const row: (CpuStep | null)[] = Array.from({ length: cores }, () => null);
    const issuedRow: CpuStep[][] = Array.from({ length: cores }, () => []);
    const stores: [string, number][] = [];
    const snapshot: Record<string, number> = Object.assign(Object.create(null), memory); // memory at the cycle's start
    cycleSlots.forEach((entry, core) => {
      if (entry === null) return;
      // "A+B": SMT, the core's issue slots shared by two programs (hardware threads) in this cycle.
      const names = entry.split("+");
      if (names.length > issueWidth) {
        throw new CpuScheduleError(
          `Cycle ${cycle}: "${entry}" shares one core between ${names.length} programs (SMT), but the core issues ` +
            `only ${issueWidth} step${issueWidth > 1 ? "s" : ""} per cycle: pass { issueWidth: ${names.length} } ` +
            `or give each program its own cycle.`,
        );
      }
      const active = names.map((name) => admit(name, core, cycle, seen));
      // Issue up to issueWidth steps, taking the programs in turn one step at a time (SMT), each in program order;
      // a program stops at its first step that needs a value written (register) or stored (memory variable) by a
      // step issued in this same cycle.
      const writtenNow = active.map(() => new Set<string>());
      const blocked = active.map(() => false);
      const storedNow = new Set<string>();
      let slot = 0;
      for (let turn = 0; slot < issueWidth && blocked.some((b) => !b); turn++) {
        const k = turn % active.length;
        if (blocked[k]) continue;
        const i = active[k];
        const p = programs[i];
        if (pc[i] >= p.ops.length) {
          blocked[k] = true;
          continue;
        }
        const op: MicroOp = p.ops[pc[i]];
        if (readsOf(op).some((r) => writtenNow[k].has(r)) || (op.op === "load" && storedNow.has(op.from))) {
          blocked[k] = true;
          continue;
        }
        for (const r of readsOf(op)) {
          const id = current[i].get(r)!;
          values[id].lastRead = cycle;
        }
        const value = evaluate(op, regs[i], snapshot);
        if (op.op === "store") {
          stores.push([op.to, value]);
          storedNow.add(op.to);
        }
        const w = writeOf(op);
        if (w !== undefined) {
          const old = current[i].get(w);
          if (old !== undefined) values[old].overwritten = cycle;
          regs[i][w] = value;
          current[i].set(w, values.length);
          values.push({ core, born: cycle, lastRead: 0, overwritten: 0 });
          writtenNow[k].add(w);
        }
        const step: CpuStep = {
          cycle,
          core,
          program: p.name,
          programIndex: i,
          slot,
          step: pc[i] + 1,
          text: describeOp(op),
          value,
        };
        pc[i]++;
        if (slot === 0) row[core] = step;
        issuedRow[core].push(step);
        trace.push(step);
        slot++;
      }
    });
    for (const [k, v] of stores) memory[k] = v; // same-cycle stores land in core order: the last core wins
    rows.push(row);
    issuedRows.push(issuedRow);
  }

  programs.forEach((p, i) => {
    if (pc[i] < p.ops.length) {
      const missing = p.ops.length - pc[i];
      throw new CpuScheduleError(
        `Program ${p.name} did not finish: step ${pc[i] + 1} (${describeOp(p.ops[pc[i]])}) never ran. Give ${p.name} ${missing} more cycle${missing > 1 ? "s" : ""} in the schedule.`,
      );
    }
  });
  // Trailing idle cycles do not count.
  while (rows.length > 0 && rows[rows.length - 1].every((s) => s === null)) {
    rows.pop();
    issuedRows.pop();
  }
  const cycles = rows.length;

  const live: number[][] = rows.map(() => Array.from({ length: cores }, () => 0));
  for (const v of values) {
    // A value holds its register from the cycle it is written until its last read; a value never read holds it
    // until it is overwritten or the run ends (it is a result). "no-reuse": until the end.
    let until: number;
    if (regMode === "no-reuse") until = cycles + 1;
    else if (v.lastRead > 0) until = v.lastRead;
    else until = v.overwritten > 0 ? v.overwritten : cycles + 1;
    for (let c = v.born; c < until && c <= cycles; c++) live[c - 1][v.core]++;
  }
  const registersPeak = Array.from({ length: cores }, (_, k) => live.reduce((m, l) => Math.max(m, l[k]), 0));
  const registersPeakTotal = live.reduce(
    (m, l) =>
      Math.max(
        m,
        l.reduce((a, b) => a + b, 0),
      ),
    0,
  );
  if (limit !== undefined) {
    const core = registersPeak.findIndex((n) => n > limit);
    if (core >= 0) {
      const at = live.findIndex((l) => l[core] > limit) + 1;
      throw new CpuScheduleError(
        `Core ${core + 1} needs ${registersPeak[core]} registers (first at cycle ${at}) but has only ${limit}. Finish one computation before starting the next, or raise \`registersPerCore\`.`,
      );
    }
  }
  const span: CpuRun["span"] = Object.create(null);
  for (const s of trace) {
    const e = span[s.program];
    if (!e) span[s.program] = { start: s.cycle, finish: s.cycle, core: s.core };
    else e.finish = s.cycle;
  }
  const registerValues: CpuRun["registerValues"] = Object.fromEntries(
    programs.map((p, i) => [p.name, Object.fromEntries(Object.entries(regs[i]))]),
  );
  return {
    cores,
    cycles,
    trace,
    grid: rows,
    issued: issuedRows,
    issueWidth,
    live,
    registersPeak,
    registersPeakTotal,
    span: Object.fromEntries(Object.entries(span)),
    registerValues,
    memory: Object.fromEntries(Object.entries(memory)),
    scheduleText: cpuScheduleText(
      issuedRows.map((r) => r.map((st) => (st.length ? [...new Set(st.map((x) => x.program))].join("+") : null))),
    ),
    programs: programs.map((p) => p.name),
  };
}

function evaluate(op: MicroOp, regs: Record<string, number>, memory: Record<string, number>): number {
  switch (op.op) {
    case "load":
      return memory[op.from] ?? 0;
    case "store":
      return regs[op.src];
    case "add":
      return regs[op.a] + regs[op.b];
    case "sub":
      return regs[op.a] - regs[op.b];
    case "mul":
      return regs[op.a] * regs[op.b];
    case "addi":
      return regs[op.src] + op.k;
  }
}
