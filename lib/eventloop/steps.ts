/**
 * Declarative async tasks: a task is a name and a list of steps, e.g.
 *
 *   const { cpu, awaitIO, log } = loopStep;
 *   runLoopTasks([loopTask("A", [cpu(5), awaitIO(100), cpu(5), log("A done")]), loopTask("B", [cpu(20)])]);
 *
 * Each task becomes an async function started from the main script, in the order given.
 */
import { checkNumber, checkString, describeValue } from "../errors/validate";
import type { LoopApi } from "./api";
import { runLoop } from "./program";
import { EventLoopInputError, type LoopOptions, type LoopRun } from "./types";

/** One step of a declarative task. Durations in simulated ms. */
export type LoopStep =
  | { kind: "cpu"; ms: number; label?: string }
  | { kind: "blockingIO"; ms: number }
  | { kind: "awaitIO"; ms: number; label?: string }
  | { kind: "sleep"; ms: number }
  | { kind: "yield" }
  | { kind: "awaitValue" }
  | { kind: "log"; text: string };

/** Step constructors: `loopStep.cpu(5)`, `loopStep.awaitIO(100)`, ... */
const ms = (step: string, v: unknown): number =>
  checkNumber(
    EventLoopInputError,
    `the duration of loopStep.${step}(...)`,
    v,
    { min: 0, max: 1e9 },
    `e.g. loopStep.${step}(5)`,
  );
const text = (step: string, v: unknown): string =>
  checkString(EventLoopInputError, `the text of loopStep.${step}(...)`, v, { allowEmpty: true, maxLength: 1000 });
export const loopStep = {
  /** Synchronous CPU work holding the thread for `ms`. */
  cpu: (d: number): LoopStep => ({ kind: "cpu", ms: ms("cpu", d) }),
  /** A busy-wait sleep (`while (Date.now() < end) {}`): CPU work by another name; blocks the loop for `ms`. */
  busySleep: (d: number): LoopStep => ({ kind: "cpu", ms: ms("busySleep", d), label: "busy-wait" }),
  /** Synchronous IO (readFileSync): the thread is held, idle, for `ms`. */
  blockingIO: (d: number): LoopStep => ({ kind: "blockingIO", ms: ms("blockingIO", d) }),
  /** `await` an IO request that takes `ms`; other tasks run meanwhile. */
  awaitIO: (d: number, label?: string): LoopStep =>
    label === undefined
      ? { kind: "awaitIO", ms: ms("awaitIO", d) }
      : { kind: "awaitIO", ms: ms("awaitIO", d), label: text("awaitIO", label) },
  /** `await sleep(ms)`: a timer; other tasks run meanwhile. */
  sleep: (d: number): LoopStep => ({ kind: "sleep", ms: ms("sleep", d) }),
  /** `await new Promise(r => setImmediate(r))`: let timers and IO run, then go on. */
  yield: (): LoopStep => ({ kind: "yield" }),
  /** `await 0`: an already-resolved value, which still costs one microtask turn. */
  awaitValue: (): LoopStep => ({ kind: "awaitValue" }),
  /** Print a line. */
  log: (t: string): LoopStep => ({ kind: "log", text: text("log", t) }),
};

/** A declarative async task; `start` (ms) delays its start with a timer (default: started by the main script). */
export interface LoopTaskSpec {
  name: string;
  steps: LoopStep[];
  start?: number;
}

/** How `awaitIO` steps behave: "await" (non-blocking, the default) or "blocking" (as if written with sync IO). */
export type LoopIoMode = "await" | "blocking";

/** Build a task spec: `loopTask("A", [loopStep.cpu(5), loopStep.awaitIO(100)])`. */
export function loopTask(name: string, steps: LoopStep[], start?: number): LoopTaskSpec {
  if (typeof name !== "string" || name === "" || name.length > 100)
    throw new EventLoopInputError(`Expected a task name (1 to 100 characters), got ${describeValue(name)}`);
  if (!Array.isArray(steps) || steps.length > 100_000)
    throw new EventLoopInputError(
      `Expected the steps of task "${name}" to be an array such as [loopStep.cpu(5)], got ${describeValue(steps)}`,
    );
  if (start !== undefined)
    checkNumber(EventLoopInputError, `the start of task "${name}" (ms)`, start, { min: 0, max: 1e9 }, "e.g. 10");
  return start === undefined ? { name, steps } : { name, steps, start };
}

/** Run the step list of one task inside an async body (shared by runLoopTasks and the scenarios). */
export function* loopStepsBody(
  api: LoopApi,
  name: string,
  steps: LoopStep[],
  ioMode: LoopIoMode,
): Generator<unknown, void, unknown> {
  for (const s of steps) {
    if (!s || typeof s !== "object")
      throw new EventLoopInputError(
        `Task "${name}" has a step ${String(s)}: build steps with loopStep.cpu(ms), loopStep.awaitIO(ms), ...`,
      );
    switch (s.kind) {
      case "cpu":
        api.cpu(s.ms);
        break;
      case "blockingIO":
        api.blockingIO(s.ms);
        break;
      case "awaitIO":
        if (ioMode === "blocking") api.blockingIO(s.ms);
        else yield api.io(s.ms, undefined, s.label);
        break;
      case "sleep":
        yield api.sleep(s.ms);
        break;
      case "yield":
        yield api.yieldToLoop();
        break;
      case "awaitValue":
        yield undefined;
        break;
      case "log":
        api.log(s.text);
        break;
      default:
        throw new EventLoopInputError(
          `Task "${name}" has an unknown step ${describeValue(s)}: build steps with loopStep.cpu(ms), loopStep.awaitIO(ms), ...`,
        );
    }
  }
}

/** Run declarative tasks on one loop; `ioMode` turns every awaitIO into blocking IO for comparison. Times in ms. */
export function runLoopTasks(tasks: LoopTaskSpec[], options: LoopOptions & { ioMode?: LoopIoMode } = {}): LoopRun {
  if (!Array.isArray(tasks))
    throw new EventLoopInputError(`Expected an array of tasks ([loopTask("A", [...])]), got ${describeValue(tasks)}`);
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new EventLoopInputError(
      `Expected runLoopTasks' options to be an object like { ioMode: "await" }, got ${describeValue(options)}`,
    );
  const ioMode = options.ioMode ?? "await";
  if (ioMode !== "await" && ioMode !== "blocking")
    throw new EventLoopInputError(`Expected \`ioMode\` to be "await" or "blocking", got ${describeValue(ioMode)}`);
  const seen = new Set<string>();
  for (const t of tasks) {
    if (!t || typeof t.name !== "string")
      throw new EventLoopInputError(`Expected every task to be loopTask(name, steps), got ${describeValue(t)}`);
    if (seen.has(t.name)) throw new EventLoopInputError(`Two tasks are named "${t.name}": give each task its own name`);
    seen.add(t.name);
  }
  const { ioMode: _ignored, ...loopOpts } = options;
  return runLoop((api) => {
    for (const t of tasks) {
      const start = () => api.asyncFn(t.name, () => loopStepsBody(api, t.name, t.steps, ioMode));
      if (t.start === undefined) start();
      else api.setTimeout(start, t.start, `start ${t.name}`);
    }
  }, loopOpts);
}
