/** The named error of lib/notebook. */
import { CourseError } from "../errors";

/** Bad input to a notebook helper (`show`, `progressBar`, `animate`, ...); the message says what to change. */
export class NotebookInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "NotebookInputError";
  }
}
