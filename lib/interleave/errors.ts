/**
 * Named errors of the interleaving explorer. Every message says what was expected and what to change.
 */
import { CourseError } from "../errors";

/** Base class: bad input to a public function of lib/interleave. */
export class InterleaveError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "InterleaveError";
  }
}

/** What is wrong with a thread program. */
export type InterleaveProgramErrorCode =
  | "no-threads"
  | "bad-step"
  | "unknown-cell"
  | "unknown-register"
  | "unknown-mutex"
  | "unknown-condition"
  | "unknown-semaphore"
  | "missing-label"
  | "duplicate-label"
  | "duplicate-name"
  | "bad-operand"
  | "syntax";

/**
 * A program that cannot run: no threads, an unknown cell / register / mutex / condition variable / semaphore, a jump
 * to a missing label, a negative semaphore, a syntax error.
 */
export class InterleaveProgramError extends InterleaveError {
  readonly code: InterleaveProgramErrorCode;
  constructor(code: InterleaveProgramErrorCode, message: string) {
    super(message);
    this.name = "InterleaveProgramError";
    this.code = code;
  }
}

/** A bad option (maxStates, preemptionBound, maxSteps, runs, seed, ...). */
export class InterleaveOptionError extends InterleaveError {
  constructor(message: string) {
    super(message);
    this.name = "InterleaveOptionError";
  }
}

/** The exploration met more distinct states than `maxStates` (or its memory budget, `maxMemoryMB`) allows. */
export class InterleaveStateLimitError extends InterleaveError {
  readonly maxStates: number;
  /**
   * When the memory budget, not `maxStates`, stopped it: the budget, the estimated bytes per state of this program
   * and the number of states that fit.
   */
  readonly memory: { maxMemoryMB: number; bytesPerState: number; statesThatFit: number } | null;
  constructor(
    maxStates: number,
    memory: { maxMemoryMB: number; bytesPerState: number; statesThatFit: number } | null = null,
  ) {
    super(
      memory === null
        ? `The exploration reached more than maxStates = ${maxStates.toLocaleString("en-US")} distinct states: ` +
            `shrink the program (fewer threads, fewer steps) or raise the \`maxStates\` option of explore().`
        : `The exploration reached ${memory.statesThatFit.toLocaleString("en-US")} distinct states, all that fit in ` +
            `maxMemoryMB = ${memory.maxMemoryMB.toLocaleString("en-US")} (about ${memory.bytesPerState} bytes per ` +
            `state for this program): shrink the program (fewer threads, fewer steps, fewer shared cells), or raise ` +
            `\`maxMemoryMB\` only if this machine has that much memory to spare.`,
    );
    this.name = "InterleaveStateLimitError";
    this.maxStates = maxStates;
    this.memory = memory;
  }
}

/** A schedule string that cannot be replayed; `position` is the 1-based position of the offending entry. */
export class InterleaveScheduleError extends InterleaveError {
  readonly position: number;
  constructor(position: number, message: string) {
    super(message);
    this.name = "InterleaveScheduleError";
    this.position = position;
  }
}

/** A figure that would be too big to read (e.g. an interleaving tree with thousands of leaves). */
export class InterleaveFigureError extends InterleaveError {
  constructor(message: string) {
    super(message);
    this.name = "InterleaveFigureError";
  }
}
