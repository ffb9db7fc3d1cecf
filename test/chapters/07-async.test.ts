import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  asyncDeadlockReal,
  asyncDeadlockScenario,
  chunkKeepsLatency,
  cooperativeVsPreemptive,
  exercise1Program,
  largestChunkWithin,
  lostUpdateFinal,
  orderingPuzzleAs,
  orderingPuzzleInModule,
  orderingPuzzleReal,
  orderingPuzzleRun,
  puzzleOrder,
  seedTotalsWithIo,
  sleepStyleRun,
  starvationScenario,
  timeoutVsImmediate,
  timeoutVsImmediateReal,
  turnaroundOf,
} from "../../lib/chapters/07-async/index";
import { runLoop } from "../../lib/eventloop/index";
import { exerciseExpected, judgeExercise } from "../../lib/notebook/exercises";

describe("chapter 07 experiments", () => {
  it("the ordering puzzle: the model's order equals real Node's", async () => {
    const model = orderingPuzzleRun().order;
    expect(model).toEqual([
      "script start",
      "f before await",
      "script end",
      "nextTick",
      "then 1",
      "f after await",
      "then 2",
      "timeout",
    ]);
    expect(await orderingPuzzleReal()).toEqual(model);
  });
  it("a busy-wait sleep blocks every task; await sleep lets them overlap", () => {
    expect(sleepStyleRun("busy").endTime).toBe(3 * (5 + 100 + 5));
    expect(sleepStyleRun("await").endTime).toBe(3 * 5 + 100 + 5);
  });
  it("CPU work between awaits starves requests; chunks and a worker fix it", () => {
    const block = starvationScenario("block");
    expect(block.requests.map((r) => r.latency)).toEqual([296, 277, 258, 239]);
    expect(starvationScenario("chunked").worstLatency).toBeLessThanOrEqual(10);
    expect(starvationScenario("worker").worstLatency).toBe(1);
    expect(() => starvationScenario("nope" as never)).toThrow(/block/);
  });
  it("cooperative vs round robin: the clients wait for the cruncher only under cooperative scheduling", () => {
    const { cooperative, preemptive } = cooperativeVsPreemptive();
    expect(turnaroundOf(cooperative).worst).toBeGreaterThan(turnaroundOf(preemptive).worst);
    expect(cooperative.tasks[0].turnaround).toBeLessThan(preemptive.tasks[0].turnaround);
  });
});

describe("chapter 07 exercises: the written solutions pass", () => {
  it("exercise 1: the puzzle order", () => {
    expect(puzzleOrder()).toEqual([
      "script start",
      "f before await",
      "script end",
      "nextTick",
      "then 1",
      "f after await",
      "then 2",
      "timeout",
    ]);
  });
  it("exercise 2: task 1's IO of 30 ms gives 79 vs 68", () => {
    expect(seedTotalsWithIo(12)).toEqual([61, 50]);
    expect(seedTotalsWithIo(30)).toEqual([79, 68]);
  });
  it("exercise 3: 10 ms chunks keep every request within 12 ms, 20 do not", () => {
    expect(largestChunkWithin(12, {}, [5, 10, 20, 25, 50])).toBe(10);
    expect(chunkKeepsLatency(10, 12)).toBe(true);
    expect(chunkKeepsLatency(20, 12)).toMatch(/slowest request is answered 19 ms after it arrives/);
    expect(chunkKeepsLatency("x", 12)).toMatch(/number/);
  });
  it("exercise 4: 3 tasks × 2 increments end at 2", () => {
    expect(lostUpdateFinal(3, 2)).toBe(2);
  });
});

describe("chapter 07 against real Node in child processes", () => {
  it("setTimeout(0) vs setImmediate inside an IO callback: immediate first in every run, as the model says", async () => {
    const model = timeoutVsImmediate("io");
    expect(model.orders).toEqual([["immediate", "timeout"]]);
    const real = await timeoutVsImmediateReal("io", { runs: 8 });
    expect(real.counts).toEqual([{ order: ["immediate", "timeout"], runs: 8 }]);
  }, 30_000);
  it("from the main script: every order real Node printed is one the model lists as possible", async () => {
    const model = timeoutVsImmediate("main");
    expect(model.deterministic).toBe(false);
    const allowed = model.orders.map((o) => o.join(" → "));
    expect(allowed).toEqual(["immediate → timeout", "timeout → immediate"]);
    const real = await timeoutVsImmediateReal("main", { runs: 12 });
    expect(real.counts.reduce((a, c) => a + c.runs, 0)).toBe(12);
    for (const c of real.counts) expect(allowed).toContain(c.order.join(" → "));
  }, 30_000);
  it("the puzzle at top level: CommonJS runs nextTick first, an ES module runs the promise jobs first", async () => {
    for (const m of ["commonjs", "esm"] as const) {
      const model = orderingPuzzleAs(m).order;
      expect(await orderingPuzzleInModule(m)).toEqual(model);
    }
    expect(orderingPuzzleAs("esm").order.indexOf("nextTick")).toBe(6);
    expect(orderingPuzzleAs("commonjs").order.indexOf("nextTick")).toBe(3);
  }, 30_000);
  it("an async deadlock: ES module exits 13 (silent on Node 20, a warning on 22+), CommonJS a silent 0", async () => {
    const esm = await asyncDeadlockReal("esm");
    const cjs = await asyncDeadlockReal("commonjs");
    expect(esm.exitCode).toBe(13);
    expect(cjs.exitCode).toBe(0);
    for (const r of [esm, cjs]) expect(r.lines).toEqual(["T1 holds its first lock", "T2 holds its first lock"]);
    // review 07 R1: the chapter's sentence is built from stderr, and states this version difference
    expect(cjs.stderr).toBe("");
    const major = Number(process.versions.node.split(".")[0]);
    if (major === 20) expect(esm.stderr).toBe("");
    if (major >= 22) expect(esm.stderr).toMatch(/Warning: Detected unsettled top-level await/);
    const cured = await asyncDeadlockReal("esm", { sameOrder: true });
    expect(cured.exitCode).toBe(0);
    expect(cured.lines.at(-1)).toBe("all done");
  }, 30_000);
  it("a misspelled option of a real experiment is an error naming the right key, before anything runs", async () => {
    await expect(asyncDeadlockReal("esm", { sameorder: true } as never)).rejects.toThrow(/did you mean `sameOrder`/);
    await expect(timeoutVsImmediateReal("io", { run: 3 } as never)).rejects.toThrow(/did you mean `runs`/);
    await expect(orderingPuzzleInModule("esm", { timeLimit: 5 } as never)).rejects.toThrow(/`timeLimitMs`/);
  });
});

describe("chapter 07 model scenarios (exact)", () => {
  it("async deadlock: both tasks stuck, each holding the lock the other awaits", () => {
    const d = asyncDeadlockScenario();
    expect(d.stuck).toEqual(["T1", "T2"]);
    expect(d.holders).toEqual({ "lock A": "T1", "lock B": "T2" });
    expect(d.waiting).toEqual({ T1: "lock B", T2: "lock A" });
    expect(d.run.endTime).toBe(10);
    const names = d.figure.data.map((t) => String(t.name));
    expect(names).toEqual(expect.arrayContaining(["async task T1", "async task T2"]));
    expect(names.some((n) => n.startsWith("thread"))).toBe(false);
    const cured = asyncDeadlockScenario({ sameOrder: true });
    expect(cured.stuck).toEqual([]);
    expect(cured.run.order.at(-1)).toBe("T2 done");
    expect(cured.run.endTime).toBe(20);
  });
  it("chunks separated by a microtask starve the requests exactly like one block", () => {
    const block = starvationScenario("block");
    const micro = starvationScenario("microtask");
    expect(micro.requests.map((r) => r.latency)).toEqual(block.requests.map((r) => r.latency));
    expect(micro.heavyDone).toBe(300);
    expect(starvationScenario("chunked").worstLatency).toBe(9);
  });
});

describe("chapter 07 exercises in the library: the written solutions pass, a wrong answer fails", () => {
  const solutions: Record<string, unknown> = {
    "07-1": ["sync", "tick", "then", "tick in then", "immediate", "timeout"],
    "07-2": [79, 68],
    "07-3": 10,
    "07-4": 2,
    "07-5": 304,
  };
  const wrong: Record<string, unknown> = {
    "07-1": ["sync", "then", "tick", "tick in then", "immediate", "timeout"],
    "07-2": [79, 79],
    "07-3": 20,
    "07-4": 6,
    "07-5": 70,
  };
  for (const id of Object.keys(solutions)) {
    it(`${id}: the solution in the notebook's <details> is right, a plausible wrong answer is not`, () => {
      expect(exerciseExpected(id)).toEqual(solutions[id]);
      expect(judgeExercise(id, solutions[id]).ok).toBe(true);
      expect(judgeExercise(id, wrong[id]).ok).toBe(false);
    });
  }
});

describe("exercise 1's order is real Node's", () => {
  it("inside an IO callback, a fresh node process prints the model's order", () => {
    const src =
      'const log = (s) => console.log(s); require("node:fs").stat(".", () => {' +
      'setImmediate(() => log("immediate")); setTimeout(() => log("timeout"), 0);' +
      'Promise.resolve().then(() => { log("then"); process.nextTick(() => log("tick in then")); });' +
      'process.nextTick(() => log("tick")); log("sync"); });';
    const r = spawnSync(process.execPath, ["-e", src], { encoding: "utf8", timeout: 10_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(runLoop(exercise1Program, { start: "io" }).order);
  });
});

// Review 07 R4 and R11: claims of section 2 and section 3 about real Node.
describe("chapter 07 claims about real Node (R4, R11)", () => {
  it("Promise.all starts nothing: a() runs to its first await before b() is even called", async () => {
    const log: string[] = [];
    const task = async (name: string) => {
      log.push(`${name} starts`);
      await null;
      log.push(`${name} resumes`);
    };
    const a = task("a");
    log.push("a() returned");
    const b = task("b");
    log.push("Promise.all called");
    await Promise.all([a, b]);
    expect(log).toEqual(["a starts", "a() returned", "b starts", "Promise.all called", "a resumes", "b resumes"]);
  });
  it("a typeless .js with module syntax runs as an ES module (syntax detection, Node 20.19+ / 22.7+)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-detect-"));
    try {
      fs.writeFileSync(path.join(dir, "package.json"), "{}\n");
      fs.writeFileSync(path.join(dir, "main.js"), "console.log(typeof require);\nexport {};\n");
      const r = spawnSync(process.execPath, [path.join(dir, "main.js")], { encoding: "utf8", timeout: 10_000 });
      const [major, minor] = process.versions.node.split(".").map(Number);
      if ((major === 20 && minor >= 19) || (major === 22 && minor >= 7) || major >= 23) {
        expect(r.status).toBe(0);
        expect(r.stdout.trim()).toBe("undefined");
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
