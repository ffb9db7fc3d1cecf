/** The named error of lib/plot. */
import { CourseError } from "../errors";

/** Bad input to a figure or HTML builder (e.g. a step-through with no frames); the message says what to change. */
export class FigureInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "FigureInputError";
  }
}
