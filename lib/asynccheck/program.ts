/**
 * Checks a program and its options before anything runs; runs the learner's predicates safely; starts a guarded
 * session (the loop guard plus the "fired" rejection) that explore and replay share.
 */
import { AsyncCheckError, intOption, notJson, rejectUnknownKeys } from "./errors";
import type { AsyncCheckOptions, AsyncProgram, StorePredicate } from "./types";
import { LoopGuard } from "./watchdog";

const PROGRAM_KEYS = ["init", "tasks", "invariant", "final"] as const;
const OPTION_KEYS = ["maxRuns", "maxSteps", "stepTimeoutMs", "cache"] as const;

export interface Limits {
  maxRuns: number;
  maxSteps: number;
  stepTimeoutMs: number;
  cache: boolean;
}

export function checkProgram(p: unknown): AsyncProgram {
  if (!p || typeof p !== "object") {
    throw new AsyncCheckError("bad-program", "Pass a program { init, tasks, invariant?, final? }.");
  }
  rejectUnknownKeys("The program", p, PROGRAM_KEYS, "bad-program");
  const prog = p as AsyncProgram;
  if (!prog.init || typeof prog.init !== "object" || Array.isArray(prog.init)) {
    throw new AsyncCheckError("bad-program", "`init` must be the store at the start, an object like { count: 0 }.");
  }
  const why = notJson(prog.init, "init");
  if (why) throw new AsyncCheckError("not-json", `${why}: the store holds plain JSON data only.`);
  if (!Array.isArray(prog.tasks) || prog.tasks.length < 1 || prog.tasks.length > 8) {
    throw new AsyncCheckError("bad-program", "`tasks` must be an array of 1 to 8 functions `async (s) => { ... }`.");
  }
  prog.tasks.forEach((t, i) => {
    if (typeof t !== "function") {
      throw new AsyncCheckError("bad-program", `tasks[${i}] is a ${typeof t}: pass \`async (s) => { ... }\`.`);
    }
  });
  for (const k of ["invariant", "final"] as const) {
    if (prog[k] !== undefined && typeof prog[k] !== "function") {
      throw new AsyncCheckError("bad-program", `\`${k}\` must be a function (store) => true | false | "message".`);
    }
  }
  return prog;
}

export function checkOptions(o: unknown): Limits {
  if (o === undefined) o = {};
  if (!o || typeof o !== "object") throw new AsyncCheckError("bad-option", "Options must be an object.");
  rejectUnknownKeys("The options", o, OPTION_KEYS, "bad-option");
  const opts = o as AsyncCheckOptions;
  if (opts.cache !== undefined && typeof opts.cache !== "boolean") {
    throw new AsyncCheckError("bad-option", "Option `cache` must be true or false.");
  }
  return {
    maxRuns: intOption("maxRuns", opts.maxRuns, 50_000, 1, 10_000_000),
    maxSteps: intOption("maxSteps", opts.maxSteps, 200, 1, 100_000),
    stepTimeoutMs: intOption("stepTimeoutMs", opts.stepTimeoutMs, 500, 50, 10_000),
    cache: opts.cache ?? true,
  };
}

/** Runs a predicate: null when it holds, else its message. */
export function verdict(kind: "invariant" | "final", pred: StorePredicate, store: unknown, at: string): string | null {
  let r: unknown;
  try {
    r = pred(JSON.parse(JSON.stringify(store)));
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new AsyncCheckError("bad-predicate", `The ${kind} check threw ${msg}: make it return true or false.`, at);
  }
  if (r === true) return null;
  if (r === false) return `${kind} returned false`;
  if (typeof r === "string" && r.length > 0) return r;
  throw new AsyncCheckError(
    "bad-predicate",
    `The ${kind} check returned ${JSON.stringify(r)}: return true when it holds, false or a message when not.`,
    at,
  );
}

/** Runs `body` with a loop guard; an infinite loop in a step rejects with a named error instead of hanging. */
export async function guarded<T>(
  limits: Limits,
  where: () => string,
  body: (guard: LoopGuard) => Promise<T>,
): Promise<T> {
  const guard = await LoopGuard.start(limits.stepTimeoutMs);
  try {
    return await new Promise<T>((resolve, reject) => {
      guard.whenFired(() =>
        reject(
          new AsyncCheckError(
            "infinite-loop",
            `A task ran for more than stepTimeoutMs = ${limits.stepTimeoutMs} ms without reaching its next store ` +
              "operation (an endless loop between two awaits?) and was stopped: put an await s.yield() or another " +
              "store operation inside the loop, or make the loop end.",
            where(),
          ),
        ),
      );
      // body starts on a later microtask: learner code never runs in this frame, which the watchdog may unwind
      Promise.resolve()
        .then(() => body(guard))
        .then(resolve, reject);
    });
  } finally {
    await guard.stop();
  }
}
