/** Errors of the discrete-event engine. Each message says what was expected and what to change. */
import { CourseError } from "../errors";

/** Bad argument to an engine function (negative delay, capacity 0, ...). */
export class SimInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "SimInputError";
  }
}

/** A simulated process threw (or waited on an event that failed) and nobody handled it. */
export class SimProcessError extends CourseError {
  /** Name of the failed process. */
  readonly process: string;
  /** Simulated time of the failure (ticks). */
  readonly time: number;
  /** What the process threw. */
  readonly cause: unknown;
  constructor(process: string, time: number, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `Process "${process}" failed at t=${time}: ${why}. Catch the error inside the process (try/catch around the yield) or wait on the process and handle it.`,
    );
    this.name = "SimProcessError";
    this.process = process;
    this.time = time;
    this.cause = cause;
  }
}

/**
 * Thrown into a process's generator by `process.interrupt(cause)`; catch it to react (e.g. preemption).
 * A control-flow signal, not a mistake, yet a member of the family: like SimPy's `Interrupt` (a plain `Exception`),
 * the course throws it on purpose into the learner's code, so a `catch` for `CourseError` sees it too and
 * `e instanceof SimInterrupt` tells it apart. Left uncaught, it fails the process and `env.run` throws a
 * SimProcessError whose message says to catch it around the `yield`.
 */
export class SimInterrupt extends CourseError {
  readonly cause: unknown;
  constructor(cause: unknown) {
    super(`Interrupted: ${String(cause)}`);
    this.name = "SimInterrupt";
    this.cause = cause;
  }
}

/** An event failed with a value that is not an Error (`event.fail("oops")`) and no process waited for it. */
export class SimEventError extends CourseError {
  /** Simulated time of the failure (ticks). */
  readonly time: number;
  /** The value the event failed with. */
  readonly cause: unknown;
  constructor(time: number, cause: unknown) {
    super(
      `An event failed at t=${time} with ${String(cause)} and nobody waited for it: yield the event in a process ` +
        "and catch the failure there (try/catch around the yield), or set event.defused = true if it is expected.",
    );
    this.name = "SimEventError";
    this.time = time;
    this.cause = cause;
  }
}
