/** Errors of the discrete-event engine. Each message says what was expected and what to change. */

/** Bad argument to an engine function (negative delay, capacity 0, ...). */
export class SimInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimInputError";
  }
}

/** A simulated process threw (or waited on an event that failed) and nobody handled it. */
export class SimProcessError extends Error {
  /** Name of the failed process. */
  readonly process: string;
  /** Simulated time of the failure (ticks). */
  readonly time: number;
  /** What the process threw. */
  readonly cause: unknown;
  constructor(process: string, time: number, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`Process "${process}" failed at t=${time}: ${why}. Catch the error inside the process (try/catch around the yield) or wait on the process and handle it.`);
    this.name = "SimProcessError";
    this.process = process;
    this.time = time;
    this.cause = cause;
  }
}

/** Thrown into a process's generator by `process.interrupt(cause)`; catch it to react (e.g. preemption). */
export class SimInterrupt extends Error {
  readonly cause: unknown;
  constructor(cause: unknown) {
    super(`Interrupted: ${String(cause)}`);
    this.name = "SimInterrupt";
    this.cause = cause;
  }
}
