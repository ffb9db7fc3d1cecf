/**
 * The one error family of the course (layer 0: imports nothing).
 *
 * Everything lib/ throws on purpose is a `CourseError`: bad input to an engine, an experiment past its time limit, a
 * figure asked for data it does not have, ... A learner can `catch (e) { if (e instanceof CourseError) ... }` to
 * catch anything the course throws on purpose, and let real bugs through. Each module names its own errors
 * (`SimInputError`, `SchedInputError`, `RealTimeoutError`, ...) as subclasses, and the message always says what was
 * expected and what to change. Anything else that escapes lib/ (a plain `Error`, `TypeError`, ...) is a bug.
 */

/** Base class of every named error of the course; `name` is the concrete class's name (e.g. "SchedInputError"). */
export class CourseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input to a chapter's helper (a workload, reading, report or figure); the message says what to change. */
export class ChapterInputError extends CourseError {}
