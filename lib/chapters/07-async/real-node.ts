/**
 * Chapter 07's checks against real Node in fresh child processes (a notebook kernel is neither a main script nor an
 * ES module, and its loop is never idle): setTimeout(0) vs setImmediate run many times, the ordering puzzle as a
 * CommonJS script and as an ES module, and an async deadlock's silent exit (code 13 in an ES module, 0 in CommonJS).
 * Every run is bounded in time and its child process is tracked and killed on timeout.
 */
import { checkKeys } from "../../errors/validate";
import {
  checkChoice,
  checkInt,
  checkOptions,
  RealInputError,
  type RealLimits,
  type RealResources,
  RealRunError,
  runBounded,
} from "../../real/index";

/** Every real experiment of the chapter also takes the limits of `runBounded`. */
const LIMIT_KEYS = ["timeLimitMs", "signal"] as const;

/**
 * The options object of `name`: an object (or nothing), and no key it does not know — a misspelled key is an error
 * naming the closest valid one, so a learner's variant never silently runs the defaults.
 */
export function realOptions<T extends RealLimits>(name: string, options: T | undefined, keys: readonly string[]): T {
  checkOptions(name, options);
  const o = (options ?? {}) as T;
  checkKeys(RealInputError, `the options object of ${name}`, o, [...keys, ...LIMIT_KEYS]);
  // a field set to null would silently mean "the default": a real run starts only on what was asked for
  for (const [k, v] of Object.entries(o))
    if (v === null)
      throw new RealInputError(`${name}: \`${k}\` is null: leave it out to get its default, or give a value.`);
  return o;
}

/** How a script was run and what it did: exit code, printed lines. */
export interface NodeScriptResult {
  module: "commonjs" | "esm";
  exitCode: number | null;
  lines: string[];
  stderr: string;
}

/**
 * Run `source` with `node [nodeArgs] --input-type=<module> -e`: the same rules as a .cjs / .mjs main file. The child
 * is tracked by `res` (killed when the experiment ends or times out).
 */
export function runScript(
  res: RealResources,
  source: string,
  module: "commonjs" | "esm",
  nodeArgs: string[] = [],
): Promise<NodeScriptResult> {
  const type = `--input-type=${module === "esm" ? "module" : "commonjs"}`;
  const c = res.child(process.execPath, [...nodeArgs, type, "-e", source], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    c.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    c.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    c.once("error", (e: Error) => reject(new RealRunError(`node could not start (${e.message}): run it again`)));
    c.once("close", (code) =>
      resolve({ module, exitCode: code, lines: out.split("\n").filter((l) => l !== ""), stderr: err }),
    );
  });
}

const TIMEOUT_VS_IMMEDIATE = {
  main: 'setTimeout(() => console.log("timeout"), 0); setImmediate(() => console.log("immediate"));',
  io:
    'require("node:fs").stat(".", () => { setTimeout(() => console.log("timeout"), 0); ' +
    'setImmediate(() => console.log("immediate")); });',
};

/** Options of `timeoutVsImmediateReal`. */
export interface TimeoutVsImmediateRealOptions extends RealLimits {
  /** Fresh node processes to start, one after another (default 20). */
  runs?: number;
}

/** How often each order was printed over `runs` fresh processes. */
export interface TimeoutVsImmediateReal {
  start: "main" | "io";
  runs: number;
  /** Each distinct order (lines joined by " → ") and how many runs printed it, most frequent first. */
  counts: { order: string[]; runs: number }[];
}

/**
 * `setTimeout(f, 0)` and `setImmediate(g)` in `runs` fresh node processes, from the main script or inside an IO
 * callback: how many runs printed each order.
 */
export async function timeoutVsImmediateReal(
  start: "main" | "io",
  options: TimeoutVsImmediateRealOptions = {},
): Promise<TimeoutVsImmediateReal> {
  const where = checkChoice("start", start, ["main", "io"] as const);
  realOptions("timeoutVsImmediateReal", options, ["runs"]);
  const runs = checkInt("runs", options.runs ?? 20, 1, 200, "e.g. 20");
  return runBounded("timeoutVsImmediateReal", options, 10_000 + 1000 * runs, async (res) => {
    const seen = new Map<string, { order: string[]; runs: number }>();
    // Two processes at a time (each run is its own fresh process; which order it prints depends only on how long
    // its own start-up took): the runs take half the wall time, the orders are still each process's own.
    let next = 0;
    const lane = async () => {
      while (next < runs) {
        next++;
        const r = await runScript(res, TIMEOUT_VS_IMMEDIATE[where], "commonjs");
        if (r.exitCode !== 0) throw new RealRunError(`node exited with code ${r.exitCode}: ${r.stderr.slice(0, 200)}`);
        const key = r.lines.join(" → ");
        const entry = seen.get(key) ?? { order: r.lines, runs: 0 };
        entry.runs++;
        seen.set(key, entry);
      }
    };
    await Promise.all([lane(), lane()]);
    return { start: where, runs, counts: [...seen.values()].sort((a, b) => b.runs - a.runs) };
  });
}

const PUZZLE = `const log = (s) => console.log(s);
log("script start");
setTimeout(() => log("timeout"), 0);
Promise.resolve().then(() => log("then 1")).then(() => log("then 2"));
(async () => { log("f before await"); await undefined; log("f after await"); })();
process.nextTick(() => log("nextTick"));
log("script end");`;

/** The ordering puzzle as the main file of a fresh node process, as CommonJS or as an ES module: lines printed. */
export async function orderingPuzzleInModule(module: "commonjs" | "esm", options: RealLimits = {}): Promise<string[]> {
  const m = checkChoice("module", module, ["commonjs", "esm"] as const);
  realOptions("orderingPuzzleInModule", options, []);
  return runBounded("orderingPuzzleInModule", options, 10_000, async (res) => (await runScript(res, PUZZLE, m)).lines);
}

const MUTEX = `class AsyncMutex {
  tail = Promise.resolve();
  lock() {
    let release; const next = new Promise((r) => (release = r));
    const ready = this.tail.then(() => release); this.tail = this.tail.then(() => next); return ready;
  }
}
const A = new AsyncMutex(), B = new AsyncMutex();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function task(name, first, second) {
  const u1 = await first.lock(); console.log(name + " holds its first lock");
  await sleep(10);
  const u2 = await second.lock(); console.log(name + " holds both");
  u2(); u1();
}`;

/** Options of `asyncDeadlockReal`. */
export interface AsyncDeadlockRealOptions extends RealLimits {
  /** Both tasks take A, then B (the cure). Default false: T1 takes A then B, T2 takes B then A. */
  sameOrder?: boolean;
}

/**
 * Two async tasks take two AsyncMutexes (T1: A then B; T2: B then A, or both A then B with `sameOrder`) in a fresh
 * node process, awaited at the top level of an ES module or with `.then` in CommonJS. Returns the exit code and
 * what was printed: in opposite order nobody prints "all done", and the process simply ends.
 */
export async function asyncDeadlockReal(
  module: "commonjs" | "esm",
  options: AsyncDeadlockRealOptions = {},
): Promise<NodeScriptResult> {
  const m = checkChoice("module", module, ["commonjs", "esm"] as const);
  realOptions("asyncDeadlockReal", options, ["sameOrder"]);
  const second = options.sameOrder ? "A, B" : "B, A";
  const both = `Promise.all([task("T1", A, B), task("T2", ${second})])`;
  const main = m === "esm" ? `await ${both}; console.log("all done");` : `${both}.then(() => console.log("all done"));`;
  return runBounded("asyncDeadlockReal", options, 10_000, (res) => runScript(res, `${MUTEX}\n${main}`, m));
}
