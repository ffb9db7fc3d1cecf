/**
 * The named error of the live site: what a real experiment (lib/real, or anything else that needs Node.js) throws
 * when a page calls it. The browser build (scripts/build-live.js) replaces every Node-only module of lib/ with one
 * whose functions call `nodeOnly`.
 */
import { CourseError } from "../errors";

/** A cell in the page called something only Node.js can run (worker threads, child processes, files, sockets). */
export class LiveUnavailableError extends CourseError {}

/** What a page says when a cell calls `name`, a function that needs Node.js. */
export function nodeOnlyMessage(name: string): string {
  return (
    `${name} runs a real experiment on this machine (Node.js: workers, processes, files or sockets), which a web ` +
    "page cannot do. To measure your own machine, open this chapter's notebook in Jupyter (`npm start` in the " +
    "course folder); the page keeps the output recorded when the site was built."
  );
}

/** A stand-in for the Node-only function `name`: calling it (or `new`) throws LiveUnavailableError. */
export function nodeOnly(name: string): (...args: unknown[]) => never {
  const stub = (): never => {
    throw new LiveUnavailableError(nodeOnlyMessage(name));
  };
  Object.defineProperty(stub, "name", { value: name });
  Object.defineProperty(stub, "cbeNodeOnly", { value: true });
  return stub;
}

/** `window.cbeLive` was asked for a cell the page does not have. */
export class LiveCellError extends CourseError {}
