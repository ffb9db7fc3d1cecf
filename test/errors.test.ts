// One error family: everything lib/ throws on purpose is a CourseError (lib/errors.ts) whose message says what to
// change. (a) one bad call per module gets its named error; (b) a scan of lib/ keeps plain errors from coming back.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { starvationWorkload } from "../lib/chapters/04-scheduling";
import { LockInputError, lockFairness, simulateLockedWork } from "../lib/chapters/06-locks/index";
import { sleepStyleRun } from "../lib/chapters/07-async/index";
import type { ChooseSweep } from "../lib/chapters/08-choosing/index";
import { ChooseInputError, chooseLineFigure, choosePhaseFigure, requestShape } from "../lib/chapters/08-choosing/index";
import { CpuProgramError, CpuScheduleError, program, runCpu } from "../lib/cpu/index";
import { EventLoopInputError, EventLoopRunawayError, runLoop } from "../lib/eventloop/index";
import { CourseError } from "../lib/index";
import {
  counterRace,
  InterleaveOptionError,
  InterleaveProgramError,
  sample,
  threadProgram,
} from "../lib/interleave/index";
import { animate, NotebookInputError, progressBar, show } from "../lib/notebook/index";
import { type Figure, FigureInputError, stepperHtml } from "../lib/plot/index";
import {
  RealAbortError,
  RealInputError,
  RealResources,
  RealRunError,
  RealTimeoutError,
  runBounded,
  speedupExperiment,
} from "../lib/real/index";
import { runSchedule, SchedInputError } from "../lib/sched/index";
import { SimEnvironment, SimEventError, SimInputError, SimInterrupt, SimProcessError } from "../lib/sim/index";

/** The error `f` throws (or its promise rejects with); fails when it does neither. */
async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw, got none");
}

function failedProcess(): void {
  const env = new SimEnvironment();
  env.process(
    (function* () {
      yield env.timeout(2);
      throw new Error("boom");
    })(),
    "crasher",
  );
  env.run();
}

function failedEvent(): void {
  const env = new SimEnvironment();
  env.event().fail("oops");
  env.run();
}

async function finishedTracker(): Promise<void> {
  const res = new RealResources("demo");
  await res.closeAll();
  await res.sleep(1);
}

/** Only `requestMs` and `cpuShares` are read before the check fails. */
const sweep = { requestMs: [20, 200], cpuShares: [0.2, 0.8] } as unknown as ChooseSweep;
const forever = ({ setInterval }: { setInterval: (cb: () => void, ms: number) => number }) =>
  void setInterval(() => undefined, 10);

type ErrorClass = abstract new (...a: never[]) => Error;
type Row = [module: string, cls: ErrorClass, bad: () => unknown, says: RegExp];
const named = (rows: Row[]) => rows.map(([m, cls, bad, says]) => [`${m}: ${cls.name}`, cls, bad, says] as const);

describe("every named error is a CourseError that says what to change", () => {
  it.each(
    named([
      ["sim", SimInputError, () => new SimEnvironment().timeout(-1), /`delay`.*got -1: pass a non-negative/],
      ["sim", SimProcessError, failedProcess, /"crasher" failed at t=2: Error: boom\. Catch the error inside/],
      ["sim", SimEventError, failedEvent, /failed at t=0 with oops and nobody waited for it: yield the event/],
      ["cpu", CpuProgramError, () => program("A", []), /no micro-ops: give it at least one/],
      ["cpu", CpuScheduleError, () => runCpu([], "sequential"), /non-empty list of programs, e\.g\. seedPrograms/],
      ["sched", SchedInputError, () => runSchedule({ tasks: [] }), /non-empty array of tasks/],
      ["interleave", InterleaveProgramError, () => threadProgram({}).build(), /got none: add a thread/],
      ["interleave", InterleaveOptionError, () => sample(counterRace(2, 1), { runs: 0 }), /`runs`.*got 0: pass a/],
      ["eventloop", EventLoopInputError, () => runLoop(({ cpu }) => cpu(-1)), /cpu\(\).*got -1: pass the CPU time/],
      ["eventloop", EventLoopRunawayError, () => runLoop(forever, { maxSteps: 500 }), /maxSteps: 5000/],
      ["real", RealInputError, () => speedupExperiment({ tasks: 0 }), /`tasks`.*got 0: pass a whole number/],
      [
        "real",
        RealAbortError,
        () => runBounded("demo", { signal: AbortSignal.abort() }, 1000, async () => 1),
        /demo was aborted/,
      ],
      [
        "real",
        RealTimeoutError,
        () => runBounded("demo", { timeLimitMs: 5 }, 1000, (res) => res.sleep(60_000)),
        /time limit of 5 ms.*pass a larger `timeLimitMs`/,
      ],
      ["real", RealRunError, finishedTracker, /demo is already finished.*: start a new experiment/],
      ["plot", FigureInputError, () => stepperHtml([]), /one frame: pass a non-empty array of \{ caption, html \}/],
      ["notebook", NotebookInputError, () => show({} as Figure), /pass what a figure builder returns/],
      ["notebook", NotebookInputError, () => progressBar({ total: 0 }), /`total`.*got 0: pass e\.g\. total: 10/],
      ["notebook", NotebookInputError, () => animate([], -1), /`delayMs`.*got -1: pass e\.g\. 400/],
      ["chapter 04", SchedInputError, () => starvationWorkload({ requests: 0 }), /`requests` to be a whole number ≥ 1/],
      [
        "chapter 06",
        LockInputError,
        () => simulateLockedWork({ threads: 0, cores: 1, critical: 1, outside: 1 }),
        /`threads`.*from 1 to 64, got 0: pass e\.g\. threads: 4/,
      ],
      [
        "chapter 06",
        LockInputError,
        () => simulateLockedWork({ threads: 2, cores: 1, critical: 0, outside: 0 }),
        /make `critical` \+ `outside` at least 1 tick/,
      ],
      [
        "chapter 06",
        LockInputError,
        () => lockFairness({ policy: "nice" as never, users: [] }),
        /"fifo" or "barging", got "nice": pass one of those/,
      ],
      ["chapter 06", LockInputError, () => lockFairness({ policy: "fifo", users: [] }), /1 to 16 threads: pass e\.g\./],
      ["chapter 07", EventLoopInputError, () => sleepStyleRun("nap" as never), /"busy" or "await", got "nap"/],
      [
        "chapter 08",
        ChooseInputError,
        () => choosePhaseFigure(sweep, 7),
        /requestMs 7 is not in the sweep: use one of 20, 200, or add it/,
      ],
      [
        "chapter 08",
        ChooseInputError,
        () => chooseLineFigure(sweep, 20, 0.5),
        /cpuShare 0\.5 is not in the sweep: use one of 0\.2, 0\.8, or add it/,
      ],
      [
        "chapter 08",
        ChooseInputError,
        () => requestShape({ cpuShare: 2, connections: 1, requestMs: 20 }),
        /`cpuShare`.*from 0 to 1, got 2/,
      ],
    ]),
  )("%s", async (_title, cls, bad, says) => {
    const e = await thrown(bad);
    expect(e).toBeInstanceOf(CourseError);
    expect(e).toBeInstanceOf(cls);
    expect((e as Error).name).toBe(cls.name);
    expect((e as Error).message).toMatch(says);
  });

  it("keeps the fields the notebooks read", async () => {
    const p = (await thrown(failedProcess)) as SimProcessError;
    expect([p.process, p.time, (p.cause as Error).message]).toEqual(["crasher", 2, "boom"]);
    const t = (await thrown(() =>
      runBounded("demo", { timeLimitMs: 5 }, 1000, (res) => res.sleep(60_000)),
    )) as RealTimeoutError;
    expect(t.limitMs).toBe(5);
  });

  it("SimInterrupt, the control-flow signal, is one of the family too", () => {
    const env = new SimEnvironment();
    let caught: unknown = null;
    const p = env.process(
      (function* () {
        try {
          yield env.timeout(10);
        } catch (e) {
          caught = e;
        }
      })(),
      "sleeper",
    );
    env.process(
      (function* () {
        yield env.timeout(1);
        p.interrupt("wake up");
      })(),
      "waker",
    );
    env.run();
    expect(caught).toBeInstanceOf(SimInterrupt);
    expect(caught).toBeInstanceOf(CourseError);
    expect((caught as SimInterrupt).name).toBe("SimInterrupt");
    expect((caught as SimInterrupt).message).toBe("Interrupted: wake up");
  });
});

// ── (b) the scan ────────────────────────────────────────────────────────────────────────────────────────────────

const libDir = path.resolve(__dirname, "..", "lib");

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Lines of `src` that throw a plain Error / RangeError / TypeError, or declare an error class outside the family. */
function plainErrors(src: string, file: string): string[] {
  const bad: string[] = [];
  src.split("\n").forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (/\bthrow\s+(new\s+)?(Range|Type)?Error\s*\(/.test(line)) bad.push(`${at}: plain throw: ${line.trim()}`);
    const m = /\bclass\s+(\w+)\s+extends\s+(Range|Type)?Error\b/.exec(line);
    if (m && !(file === "errors.ts" && m[1] === "CourseError")) {
      bad.push(`${at}: class ${m[1]} extends ${m[2] ?? ""}Error: extend CourseError (or the module's named error)`);
    }
  });
  return bad;
}

describe("no plain error in lib/", () => {
  const files = tsFiles(libDir);

  it("scans every file of lib/", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.map((f) => path.relative(libDir, f))).toContain("errors.ts");
  });

  it("throws only named errors, and every error class is a CourseError", () => {
    const bad = files.flatMap((f) => {
      const rel = path.relative(libDir, f).split(path.sep).join("/");
      return plainErrors(fs.readFileSync(f, "utf8"), rel);
    });
    expect(bad).toEqual([]);
  });

  it("the scan catches what it is meant to catch", () => {
    expect(plainErrors(`  if (x) throw new Error("no");`, "sim/env.ts")).toHaveLength(1);
    expect(plainErrors(`throw new RangeError(\`bad \${x}\`);`, "plot/x.ts")).toHaveLength(1);
    expect(plainErrors(`throw TypeError("bad");`, "plot/x.ts")).toHaveLength(1);
    expect(plainErrors(`export class OopsError extends Error {`, "sched/errors.ts")).toHaveLength(1);
    expect(plainErrors(`class Sneaky extends TypeError {}`, "real/io.ts")).toHaveLength(1);
    expect(plainErrors(`export class CourseError extends Error {`, "errors.ts")).toEqual([]);
    expect(plainErrors(`throw new SchedInputError("pass a quantum > 0");`, "sched/engine.ts")).toEqual([]);
    expect(plainErrors(`export class SimInputError extends CourseError {`, "sim/errors.ts")).toEqual([]);
  });
});
