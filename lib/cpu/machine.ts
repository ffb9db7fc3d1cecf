/**
 * The clock-cycle machine: N cores, each doing exactly one micro-op per clock cycle.
 * A schedule says, cycle by cycle, which program's next step each core runs.
 * Time is counted in clock cycles, starting at cycle 1 as in the seed's tables.
 */
import { CourseError } from "../errors";
import { type CpuProgram, describeOp, type MicroOp, readsOf, writeOf } from "./program";

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
 * - a text like "A B B A A B" (one core) or "A|B A|B A|B" (two cores; "-" = idle core);
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
  /** Per cycle, per core: the op run (or null when the core idles). */
  grid: (CpuStep | null)[][];
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

function presetGrid(kind: string, programs: CpuProgram[], cores: number): (string | null)[][] {
  if (kind === "sequential") return programs.flatMap((p) => p.ops.map(() => [p.name]));
  if (kind === "round-robin") {
    const grid: (string | null)[][] = [];
    const left = programs.map((p) => p.ops.length);
    while (left.some((n) => n > 0)) {
      programs.forEach((p, i) => {
        if (left[i] > 0) {
          grid.push([p.name]);
          left[i]--;
        }
      });
    }
    return grid;
  }
  // parallel: program i on core i mod cores; programs sharing a core run one after another there.
  const queues: string[][] = Array.from({ length: cores }, () => []);
  programs.forEach((p, i) => {
    for (let k = 0; k < p.ops.length; k++) queues[i % cores].push(p.name);
  });
  const len = Math.max(...queues.map((q) => q.length));
  return Array.from({ length: len }, (_, t) => queues.map((q) => q[t] ?? null));
}

/** Run programs on the clock-cycle machine under a schedule; returns the per-cycle trace and register needs. */
export function runCpu(programs: CpuProgram[], schedule: CpuSchedule = "sequential", options: CpuOptions = {}): CpuRun {
  if (!Array.isArray(programs) || programs.length === 0) {
    throw new CpuScheduleError(
      `Expected a non-empty list of programs, e.g. seedPrograms(); got ` +
        `${Array.isArray(programs) ? "[]" : typeof programs}.`,
    );
  }
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
  const regMode = options.registers ?? "reuse";
  if (regMode !== "reuse" && regMode !== "no-reuse") {
    throw new CpuScheduleError(`Expected \`registers\` to be "reuse" or "no-reuse", got ${JSON.stringify(regMode)}.`);
  }

  let grid: (string | null)[][];
  if (typeof schedule === "string" && PRESETS.has(schedule)) {
    const cores = schedule === "parallel" ? (requestedCores ?? programs.length) : 1;
    grid = presetGrid(schedule, programs, cores);
  } else if (typeof schedule === "string") {
    grid = parseCpuSchedule(schedule);
  } else if (Array.isArray(schedule)) {
    grid = schedule.map((c, i) => {
      if (!Array.isArray(c))
        throw new CpuScheduleError(
          `Cycle ${i + 1} of the schedule must be a list with one entry per core, like ["A", "B"]; got ${JSON.stringify(c)}.`,
        );
      return c.map((s) => (s === "-" ? null : s));
    });
  } else {
    throw new CpuScheduleError(
      `Expected a schedule: "sequential", "round-robin", "parallel", a text like "A B B A A B", or a list of cycles; got ${typeof schedule}.`,
    );
  }
  const width = Math.max(...grid.map((c) => c.length));
  const cores = requestedCores ?? width;
  if (width > cores) {
    throw new CpuScheduleError(
      `The schedule uses ${width} cores in one cycle but the machine has ${cores}: pass { cores: ${width} } or use fewer "|" per cycle.`,
    );
  }

  const memory: Record<string, number> = { ...(options.memory ?? {}) };
  for (const [k, v] of Object.entries(memory)) {
    if (!Number.isFinite(v)) throw new CpuScheduleError(`Memory variable "${k}" must be a finite number, got ${v}.`);
  }
  const pc = programs.map(() => 0);
  const home: (number | undefined)[] = programs.map(() => undefined);
  const regs: Record<string, number>[] = programs.map(() => ({}));
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

  grid.forEach((cycleSlots, t) => {
    const cycle = t + 1;
    const seen = new Set<string>();
    const row: (CpuStep | null)[] = Array.from({ length: cores }, () => null);
    const stores: [string, number][] = [];
    const snapshot = { ...memory }; // loads see memory as it was at the start of the cycle
    cycleSlots.forEach((name, core) => {
      if (name === null) return;
      const i = byName.get(name);
      if (i === undefined) {
        throw new CpuScheduleError(
          `Cycle ${cycle}: there is no program "${name}". Programs are: ${programs.map((p) => p.name).join(", ")}.`,
        );
      }
      if (seen.has(name)) {
        throw new CpuScheduleError(
          `Cycle ${cycle}: program ${name} is on two cores at once. One program is one instruction stream: it runs at most one step per cycle.`,
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
      const op: MicroOp = p.ops[pc[i]];
      for (const r of readsOf(op)) {
        const id = current[i].get(r)!;
        values[id].lastRead = cycle;
      }
      const value = evaluate(op, regs[i], snapshot);
      if (op.op === "store") stores.push([op.to, value]);
      const w = writeOf(op);
      if (w !== undefined) {
        const old = current[i].get(w);
        if (old !== undefined) values[old].overwritten = cycle;
        regs[i][w] = value;
        current[i].set(w, values.length);
        values.push({ core, born: cycle, lastRead: 0, overwritten: 0 });
      }
      const step: CpuStep = {
        cycle,
        core,
        program: name,
        programIndex: i,
        step: pc[i] + 1,
        text: describeOp(op),
        value,
      };
      pc[i]++;
      row[core] = step;
      trace.push(step);
    });
    for (const [k, v] of stores) memory[k] = v; // same-cycle stores land in core order: the last core wins
    rows.push(row);
  });

  programs.forEach((p, i) => {
    if (pc[i] < p.ops.length) {
      const missing = p.ops.length - pc[i];
      throw new CpuScheduleError(
        `Program ${p.name} did not finish: step ${pc[i] + 1} (${describeOp(p.ops[pc[i]])}) never ran. Give ${p.name} ${missing} more cycle${missing > 1 ? "s" : ""} in the schedule.`,
      );
    }
  });
  // Trailing idle cycles do not count.
  while (rows.length > 0 && rows[rows.length - 1].every((s) => s === null)) rows.pop();
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
  const registersPeak = Array.from({ length: cores }, (_, k) => Math.max(0, ...live.map((l) => l[k])));
  const registersPeakTotal = Math.max(0, ...live.map((l) => l.reduce((a, b) => a + b, 0)));
  if (limit !== undefined) {
    const core = registersPeak.findIndex((n) => n > limit);
    if (core >= 0) {
      const at = live.findIndex((l) => l[core] > limit) + 1;
      throw new CpuScheduleError(
        `Core ${core + 1} needs ${registersPeak[core]} registers (first at cycle ${at}) but has only ${limit}. Finish one computation before starting the next, or raise \`registersPerCore\`.`,
      );
    }
  }
  const span: CpuRun["span"] = {};
  for (const s of trace) {
    const e = span[s.program];
    if (!e) span[s.program] = { start: s.cycle, finish: s.cycle, core: s.core };
    else e.finish = s.cycle;
  }
  const registerValues: CpuRun["registerValues"] = {};
  programs.forEach((p, i) => {
    registerValues[p.name] = { ...regs[i] };
  });
  return {
    cores,
    cycles,
    trace,
    grid: rows,
    live,
    registersPeak,
    registersPeakTotal,
    span,
    registerValues,
    memory,
    scheduleText: cpuScheduleText(rows.map((r) => r.map((s) => (s ? s.program : null)))),
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
