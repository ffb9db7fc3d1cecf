import { CourseError } from "../errors";

/** Bad input to the scheduling simulator; the message says what was expected and what to change. */
export class SchedInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "SchedInputError";
  }
}
