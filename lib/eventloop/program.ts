/**
 * Entry points: write a program as a function of the loop API, run it, get everything it recorded.
 *
 *   const run = runLoop(({ log, setTimeout, setImmediate, resolved, nextTick }) => {
 *     log("sync");
 *     setTimeout(() => log("timeout"), 0);
 *     resolved().then(() => log("promise"));
 *     nextTick(() => log("tick"));
 *   });
 *   run.order // ["sync", "tick", "promise", "timeout"]
 */
import { checkOptions, describeValue, optInt } from "../errors/validate";
import { type LoopApi, makeLoopApi } from "./api";
import { LoopEngine } from "./engine";
import { EventLoopInputError, type LoopOptions, type LoopRun } from "./types";

/** A program body: runs as the main script (or an IO callback) and schedules the rest through the API. */
export type LoopBody = (api: LoopApi) => void;

/** A program ready to run (any number of times; every run is identical). */
export interface LoopProgram {
  readonly body: LoopBody;
  /** Run it; see `LoopOptions`. */
  run(options?: LoopOptions): LoopRun;
}

/** The largest `maxSteps` a run may ask for (every step is recorded: more would exhaust memory). */
export const MAX_LOOP_STEPS = 2_000_000;

/** Wrap a body as a program: `loopProgram(api => { ... }).run()`. */
export function loopProgram(body: LoopBody): LoopProgram {
  if (typeof body !== "function") {
    throw new EventLoopInputError(
      `Expected loopProgram to get a function ({ log, setTimeout, ... }) => { ... }, got ${describeValue(body)}`,
    );
  }
  return { body, run: (options?: LoopOptions) => runLoop(body, options) };
}

/** Validate options and fill in the defaults. */
export function loopOptions(options: LoopOptions = {}): Required<LoopOptions> {
  if (options === null)
    throw new EventLoopInputError(
      `Expected options to be an object such as { start: "io", maxSteps: 100000 }, got null: pass {} or leave them out.`,
    );
  options = checkOptions<LoopOptions>(EventLoopInputError, "the event loop's options", options, [
    "start",
    "module",
    "timerRace",
    "maxSteps",
    "maxSnapshots",
  ]);
  const start = options.start ?? "main";
  if (start !== "main" && start !== "io") {
    throw new EventLoopInputError(
      `Expected \`start\` to be "main" or "io", got ${describeValue(start)}: "main" runs the body as the main script, "io" as an IO callback`,
    );
  }
  // Every step is recorded: the upper bound keeps a run within memory (and a few seconds).
  const maxSteps = optInt(EventLoopInputError, "`maxSteps`", options.maxSteps, 100000, 1, MAX_LOOP_STEPS);
  const maxSnapshots = optInt(EventLoopInputError, "`maxSnapshots`", options.maxSnapshots, 5000, 0, 100_000);
  const module = options.module ?? "commonjs";
  if (module !== "commonjs" && module !== "esm") {
    throw new EventLoopInputError(
      `Expected \`module\` to be "commonjs" or "esm", got ${describeValue(module)}: "esm" runs the body like an .mjs file`,
    );
  }
  const timerRace = options.timerRace ?? "wait";
  if (timerRace !== "wait" && timerRace !== "fire") {
    throw new EventLoopInputError(
      `Expected \`timerRace\` to be "wait" or "fire", got ${describeValue(timerRace)}: "wait" lets a timer due ` +
        `within 1 ms wait for the next turn, "fire" runs it at once`,
    );
  }
  return { start, module, timerRace, maxSteps, maxSnapshots };
}

/** Run a program (or a bare body) to the end of its loop; times in the result are simulated ms. */
export function runLoop(program: LoopProgram | LoopBody, options?: LoopOptions): LoopRun {
  const body = typeof program === "function" ? program : program?.body;
  if (typeof body !== "function") {
    throw new EventLoopInputError(
      `Expected runLoop to get a program (loopProgram(...)) or a function (api) => { ... }, got ${typeof program}`,
    );
  }
  const engine = new LoopEngine(loopOptions(options));
  const api = makeLoopApi(engine);
  return engine.run(() => {
    const r: unknown = body(api);
    if (r && typeof (r as Generator).next === "function") {
      throw new EventLoopInputError(
        'The program body is a generator function, so nothing in it ran. Write the body as a plain function and put the awaits inside asyncFn("main", function* () { ... })',
      );
    }
  });
}

/** Every order the model can produce for a program: one run per way of resolving its timer races. */
export interface LoopOrders {
  /** The distinct log orders, the default run's ("wait") first. */
  orders: string[][];
  /** True when the program has no timer race: real Node prints the one order every time. */
  deterministic: boolean;
  /** The runs behind `orders`: `timerRace: "wait"`, then (only if it raced) `timerRace: "fire"`. */
  runs: LoopRun[];
}

/**
 * Run a program once, and once more with the other resolution of its timer races if it has any: the set of orders
 * real Node may print. (Two runs resolve all races the same way; with several independent races real Node can mix
 * them, which this does not enumerate.)
 */
export function runLoopOrders(program: LoopProgram | LoopBody, options: LoopOptions = {}): LoopOrders {
  const first = runLoop(program, { ...options, timerRace: "wait" });
  if (first.races.length === 0) return { orders: [first.order], deterministic: true, runs: [first] };
  const second = runLoop(program, { ...options, timerRace: "fire" });
  const same = second.order.join("\u0000") === first.order.join("\u0000");
  return {
    orders: same ? [first.order] : [first.order, second.order],
    deterministic: same,
    runs: [first, second],
  };
}
