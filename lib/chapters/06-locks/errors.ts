/** Chapter 06's named error: bad options to its models (contention on lib/sched, lock fairness). */
import { CourseError } from "../../errors";

/** Bad input to a chapter 06 model; the message says what was expected and what to change. */
export class LockInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "LockInputError";
  }
}
