// Issue 18: the shared validator, prototype-safe names in every engine, bounded work, deterministic outputs; the
// repros of the reliability report's worst defects (items 3-10 that concern validation and bounds) as regressions.
import { describe, expect, it } from "vitest";
import { checkAsync } from "../lib/asynccheck/index";
import { segmentsText } from "../lib/chapters/02-waiting/index";
import { addi, CpuProgramError, CpuScheduleError, countOrders, load, program, runCpu, store } from "../lib/cpu/index";
import { CourseError } from "../lib/errors";
import { checkNumber, checkOptions, closestKey, describeValue, isColour } from "../lib/errors/validate";
import { EventLoopInputError, runLoop } from "../lib/eventloop/index";
import {
  counterRace,
  explore,
  flagLock,
  InterleaveOptionError,
  InterleaveStateLimitError,
  outcomeRows,
  parseThreadProgram,
  sample,
} from "../lib/interleave/index";
import { progressBar, setDisplaySink, show } from "../lib/notebook/index";
import { compareBars, stepperHtml } from "../lib/plot/index";
import { RealInputError, sharedCounterRace } from "../lib/real/index";
import { runJobs, runSchedule, SchedInputError, sched } from "../lib/sched/index";
import { SimEnvironment, SimInputError } from "../lib/sim/index";

class TestError extends CourseError {}

describe("the shared validator", () => {
  it("describes any value briefly, cyclic and huge ones included", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe("an object with keys a, self");
    expect(describeValue(new Array(1e6).fill(1))).toBe("an array of 1000000 element(s)");
    expect(describeValue(Object.create(null))).toBe("an empty object {}");
    expect(describeValue(Number.NaN)).toBe("NaN");
  });

  it("names the closest valid key of a misspelled option", () => {
    expect(closestKey("increment", ["workers", "increments", "modes"])).toBe("increments");
    expect(() => checkOptions(TestError, "f's options", { increment: 10 }, ["workers", "increments"])).toThrow(
      /no key `increment`: did you mean `increments`\?/,
    );
    expect(() => checkOptions(TestError, "f's options", null, ["a"])).toThrow(TestError);
  });

  it("says the range and an example", () => {
    expect(() => checkNumber(TestError, "`quantum`", 0, { min: 0, exclusiveMin: true })).toThrow(
      "Expected `quantum` to be a finite number > 0, got 0: pass e.g. 1.",
    );
  });

  it("accepts colours and nothing else", () => {
    for (const c of ["#1f77b4", "#abc", "rgb(31, 119, 180)", "rgba(0,0,0,0.5)", "steelblue"])
      expect(isColour(c)).toBe(true);
    for (const c of ["red; position:fixed", "url(x)", "expression(alert(1))", "", 3]) expect(isColour(c)).toBe(false);
  });
});

describe("names like constructor, toString and __proto__ are ordinary names", () => {
  const names = ["constructor", "toString", "__proto__", "hasOwnProperty"];

  it("cpu: memory variables and registers (report defect 4)", () => {
    for (const n of names) {
      const run = runCpu([program("A", [load(n), addi("y", n, 1), store("out", "y")])], "sequential", {
        memory: Object.fromEntries([[n, 41]]),
      });
      expect(run.memory.out).toBe(42);
      expect(Object.hasOwn(run.memory, n)).toBe(true);
    }
    expect(runCpu([program("A", [load("constructor"), store("out", "constructor")])]).memory.out).toBe(0);
  });

  it("sched: IO devices and locks (report defect 3)", () => {
    for (const n of names) {
      const r = runSchedule({
        tasks: [sched.task("A", [sched.cpu(1), sched.io(5, n), sched.lock(n), sched.cpu(1), sched.unlock(n)])],
      });
      expect(r.deadlock).toBeNull();
      expect(r.makespan).toBe(7);
    }
  });

  it("eventloop: task names and logs", () => {
    for (const n of names) {
      const r = runLoop((api) => api.setTimeout(() => api.log(n), 1));
      expect(JSON.stringify(r)).toContain(n === "__proto__" ? "__proto__" : n);
    }
  });

  it("asynccheck: a store key is a key only if init has it", async () => {
    const r = await checkAsync({
      init: { x: 0 },
      tasks: [
        async (s) => {
          await s.read("constructor");
        },
      ],
    }).catch((e: Error) => e);
    expect(r).toBeInstanceOf(CourseError);
    expect(String((r as Error).message)).toMatch(/no key "constructor"/);
    const ok = await checkAsync({
      init: JSON.parse('{"constructor": 1, "toString": 2}'),
      tasks: [
        async (s) => {
          await s.write("constructor", ((await s.read("toString")) as number) + 1);
        },
      ],
    });
    expect(Object.keys(ok.outcomes)).toEqual(['{"constructor":3,"toString":2}']);
  });
});

describe("bounded work: a named error that names the option to raise", () => {
  it("runSchedule: a clock that cannot advance (report defect 5)", () => {
    const f = () =>
      runSchedule({ tasks: [sched.task("A", [sched.cpu(1)], { arrival: 1e8 })], policy: "RR", quantum: 1e-9 });
    expect(f).toThrow(SchedInputError);
    expect(f).toThrow(/maxEvents/);
  });

  it("runJobs: a tiny quantum", () => {
    expect(() => runJobs({ policy: "RR", quantum: 1e-9, jobs: [{ length: 5 }] })).toThrow(/maxEvents/);
    expect(() => runJobs({ policy: "RR", jobs: [{ length: 5 }], quantm: 2 } as never)).toThrow(
      /did you mean `quantum`/,
    );
  });

  it("SimEnvironment.run: a process that never ends (report defect 8)", () => {
    const env = new SimEnvironment();
    env.process(
      (function* () {
        for (;;) yield env.timeout(1e-9);
      })(),
    );
    expect(() => env.run(undefined, { maxEvents: 10_000 })).toThrow(SimInputError);
    expect(() => env.run(undefined, { maxEvents: 10_000 })).toThrow(/maxEvents/);
  });

  it("explore: memory is bounded too, also for programs with many shared cells (report defect 7)", () => {
    const cells = Array.from({ length: 200 }, (_, i) => `c${i}`);
    let src = `${cells.map((c) => `shared ${c} = 0`).join("\n")}\n`;
    for (let t = 0; t < 6; t++) {
      src += `thread T${t + 1}:\n`;
      for (let k = 0; k < 20; k++) src += `  inc c${(t * 20 + k) % 200}\n`;
    }
    const wide = () => explore(parseThreadProgram(src), { maxMemoryMB: 32 });
    expect(wide).toThrow(InterleaveStateLimitError);
    const e = (() => {
      try {
        wide();
      } catch (x) {
        return x as InterleaveStateLimitError;
      }
    })();
    expect(e?.memory?.maxMemoryMB).toBe(32);
    expect((e?.memory?.statesThatFit ?? 0) * (e?.memory?.bytesPerState ?? 0)).toBeLessThanOrEqual(32 * 2 ** 20);
    expect(e?.message).toMatch(/fewer shared cells/);
    // the error's own advice (a larger maxStates) can no longer run the machine out of memory
    expect(() => explore(counterRace(16, 1000), { maxStates: 5e7, maxMemoryMB: 32 })).toThrow(/maxMemoryMB = 32/);
    expect(() => explore(counterRace(2, 1), { maxMemoryMB: 1e9 })).toThrow(InterleaveOptionError);
  });

  it("a result whose field is null on purpose is still a result (a spin loop: schedules = null)", () => {
    const spin = explore(flagLock(2));
    expect(spin.schedules).toBeNull();
    expect(outcomeRows(spin).length).toBeGreaterThan(0);
  });

  it("sample: runs and steps are bounded (report defect 6), many short runs are not refused", () => {
    const spin = parseThreadProgram("shared x = 0\nthread T1:\n l:\n  inc x\n  goto l\n");
    expect(() => sample(spin, { runs: 1, maxSteps: 1e9 })).toThrow(/`maxSteps` ≤ 1e8/);
    expect(() => sample(spin, { runs: 1e9 })).toThrow(/`runs` ≤ 10,000,000/);
    // 200,000 runs of a 6-step program: 1.2e6 steps, well inside the budget (the old runs × maxSteps rule refused it)
    expect(sample(counterRace(2, 1), { runs: 200_000 }).runs).toBe(200_000);
  });

  it("runLoop: maxSteps has an upper bound (report defect 6)", () => {
    expect(() => runLoop((api) => api.setInterval(() => api.log("t"), 1), { maxSteps: 1e8 })).toThrow(
      EventLoopInputError,
    );
    expect(() => runLoop((api) => api.log("t"), { maxStep: 10 } as never)).toThrow(/did you mean `maxSteps`/);
  });

  it("cpu: countOrders([Infinity]) and huge schedules are refused (report defect 8)", () => {
    expect(() => countOrders([Number.POSITIVE_INFINITY])).toThrow(CpuScheduleError);
    expect(() => countOrders(undefined as never)).toThrow(CpuScheduleError);
    expect(() => load(undefined as never)).toThrow(CpuProgramError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => program(cyclic as never, [])).toThrow(CpuProgramError);
  });

  it("a task with only IO has a response time, not NaN (report defect 10)", () => {
    const r = runSchedule({ tasks: [sched.task("A", [sched.io(5)])] });
    expect(r.averages).toEqual({ response: 0, turnaround: 5, wait: 0 });
    const queued = runSchedule({
      tasks: [sched.task("A", [sched.io(5, "disk")]), sched.task("B", [sched.io(3, "disk")])],
      machine: { devices: { disk: 1 } },
    });
    expect(queued.tasks.map((t) => t.response)).toEqual([0, 5]);
  });

  it("sched builders refuse NaN and bad names at once (report defect 10)", () => {
    expect(() => sched.cpu(Number.NaN)).toThrow(SchedInputError);
    expect(() => sched.io(5, {} as never)).toThrow(SchedInputError);
    expect(() => sched.repeat(1e9, [sched.cpu(1)])).toThrow(SchedInputError);
  });
});

describe("misspelled options are errors that name the closest key (report defect 10)", () => {
  it("a real experiment refuses a typo before it starts anything", async () => {
    const t0 = Date.now();
    const e = await sharedCounterRace({ increment: 10 } as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RealInputError);
    expect(String((e as Error).message)).toMatch(/no key `increment`: did you mean `increments`\?/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("runCpu and runSchedule too", () => {
    expect(() => runCpu([program("A", [load("a")])], "sequential", { core: 2 } as never)).toThrow(
      /did you mean `cores`/,
    );
    expect(() => runSchedule({ tasks: [sched.task("A", [sched.cpu(1)])], polcy: "RR" } as never)).toThrow(
      /did you mean `policy`/,
    );
  });
});

describe("deterministic, escaped outputs", () => {
  it("segmentsText escapes learner words for Markdown", () => {
    const t = segmentsText([sched.cpu(1), sched.io(2, "<img src=x onerror=alert(1)>")], {}, "*ms*");
    expect(t).not.toContain("<img");
    expect(t).toBe("CPU 1 \\*ms\\* → IO (&lt;img src=x onerror=alert(1)&gt;) 2 \\*ms\\*");
  });

  it("plot and player ids come from a per-session counter, not the clock", () => {
    const seen: string[] = [];
    setDisplaySink({
      html: (h) => seen.push(h),
      markdown: () => {},
      text: () => {},
      live: () => ({ html: () => {} }),
    });
    try {
      show(compareBars([{ label: "a", value: 1 }], "T", "y (ms)"));
      show(compareBars([{ label: "a", value: 1 }], "T", "y (ms)"));
    } finally {
      setDisplaySink(undefined);
    }
    const ids = seen.map((h) => /id="(cbe-plot-[^"]+)"/.exec(h)?.[1]);
    expect(ids[0]).toMatch(/^cbe-plot-\d+$/);
    expect(Number(ids[1]?.slice(9))).toBe(Number(ids[0]?.slice(9)) + 1);
    expect(stepperHtml([{ caption: "c", html: "x" }])).toMatch(/id="cbe-step-\d+"/);
  });

  it("a colour option must be a colour", () => {
    expect(() => progressBar({ color: "red;position:fixed" })).toThrow(CourseError);
  });
});
