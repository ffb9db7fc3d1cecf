/**
 * Chapter 07's model experiments on ordering and waiting that real Node decides for itself:
 * - `setTimeout(f, 0)` vs `setImmediate(g)` from the main script (a race: both orders possible) and inside an IO
 *   callback (immediate first, always);
 * - the ordering puzzle as a CommonJS script and as an ES module (nextTick vs promise jobs at top level);
 * - an async deadlock: two async mutexes taken in opposite order across an await; the loop runs dry.
 * All times are simulated ms.
 */
import { ChapterInputError } from "../../errors";
import { checkChoice, checkOptions, describeValue } from "../../errors/validate";
import {
  EventLoopInputError,
  type LoopMutex,
  type LoopOrders,
  type LoopRun,
  runLoop,
  runLoopOrders,
} from "../../eventloop/index";
import { type Figure, waitForGraphFigure } from "../../plot/index";
import { orderingPuzzleModel } from "./scenarios";

/** Where the two calls are made: from the main script, or inside an IO callback (e.g. fs.readFile's). */
export type TimeoutVsImmediateStart = "main" | "io";

/** `setTimeout(() => log("timeout"), 0); setImmediate(() => log("immediate"))`: every order the model allows. */
export function timeoutVsImmediate(start: TimeoutVsImmediateStart): LoopOrders {
  if (start !== "main" && start !== "io")
    throw new EventLoopInputError(
      `Expected "main" (from the main script) or "io" (inside an IO callback), got ${describeValue(start)}`,
    );
  return runLoopOrders(
    ({ log, setTimeout, setImmediate }) => {
      setTimeout(() => log("timeout"), 0, "timeout");
      setImmediate(() => log("immediate"), "immediate");
    },
    { start },
  );
}

/** The ordering puzzle as a CommonJS script (default) or as an ES module: the model's order. */
export function orderingPuzzleAs(module: "commonjs" | "esm"): LoopRun {
  checkChoice(ChapterInputError, "the module kind of orderingPuzzleAs", module, ["commonjs", "esm"]);
  return runLoop(orderingPuzzleModel, { module });
}

/** Options of `asyncDeadlockScenario`. */
export interface AsyncDeadlockOptions {
  /** Both tasks take the locks in the same order (A, then B): the cure. Default false (T1: A→B, T2: B→A). */
  sameOrder?: boolean;
  /** The awaited work each task does while holding its first lock (ms). Default 10. */
  holdMs?: number;
}

/** A stuck task and what it waits for, ready for `waitForGraphFigure`. */
export interface AsyncDeadlockResult {
  run: LoopRun;
  /** Names of the tasks that never finished (empty if none). */
  stuck: string[];
  /** Lock → the task holding it, for the locks still held when the loop ran dry. */
  holders: Record<string, string>;
  /** Task → the lock it waits for. */
  waiting: Record<string, string>;
  /** Shaped like an explorer deadlock, for `waitForGraphFigure(graph, tasks)`. */
  graph: {
    key: string;
    witness: string;
    cells: Record<string, number>;
    holders: Record<string, string>;
    waiting: Record<string, string>;
    /** Condition variables and semaphores of the thread language: none here (always empty). */
    asleep: Record<string, string>;
    downs: Record<string, string>;
    semaphores: Record<string, number>;
    finished: string[];
  };
  tasks: string[];
  /** The wait-for graph drawn, its tasks named "async task T1", ... (empty drawing when nothing is stuck). */
  figure: Figure;
}

/**
 * Two async tasks, two async mutexes: T1 takes A, awaits `holdMs`, takes B; T2 takes B, awaits, takes A (or A then B
 * with `sameOrder`). In opposite order each ends up awaiting the lock the other holds; nothing else is scheduled,
 * so the loop runs out of work and exits with both tasks stuck.
 */
export function asyncDeadlockScenario(options: AsyncDeadlockOptions = {}): AsyncDeadlockResult {
  options = checkOptions<AsyncDeadlockOptions>(ChapterInputError, "asyncDeadlockScenario's options", options, [
    "holdMs",
    "sameOrder",
  ]) as AsyncDeadlockOptions;
  const holdMs = options.holdMs ?? 10;
  if (typeof holdMs !== "number" || !Number.isFinite(holdMs) || holdMs < 0)
    throw new EventLoopInputError(`Expected \`holdMs\` to be a number of ms ≥ 0, got ${String(holdMs)}: e.g. 10`);
  const tasks = ["T1", "T2"];
  const locks: LoopMutex[] = [];
  const run = runLoop(({ asyncFn, mutex, sleep, log }) => {
    const a = mutex("lock A");
    const b = mutex("lock B");
    locks.push(a, b);
    const orders: [LoopMutex, LoopMutex][] = [[a, b], options.sameOrder ? [a, b] : [b, a]];
    tasks.forEach((name, i) => {
      const [first, second] = orders[i];
      asyncFn(name, function* () {
        yield first.lock();
        log(`${name} holds ${first.label}`);
        yield sleep(holdMs, `${name} works`);
        yield second.lock();
        log(`${name} holds both`);
        second.unlock();
        first.unlock();
        log(`${name} done`);
      });
    });
  });
  const holders: Record<string, string> = {};
  const waiting: Record<string, string> = {};
  for (const m of locks) {
    if (m.holder !== null) holders[m.label] = m.holder;
    for (const t of m.waiting) waiting[t] = m.label;
  }
  const stuck = run.stuck.map((s) => s.task);
  const finished = tasks.filter((t) => !stuck.includes(t));
  const graph = {
    key: "async",
    witness: "",
    cells: {},
    holders,
    waiting,
    asleep: {},
    downs: {},
    semaphores: {},
    finished,
  };
  const figure = waitForGraphFigure(graph, tasks);
  for (const t of figure.data) if (typeof t.name === "string") t.name = t.name.replace(/^thread /, "async task ");
  return { run, stuck, holders, waiting, graph, tasks, figure };
}
