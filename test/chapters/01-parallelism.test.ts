import { describe, expect, it } from "vitest";
import { sumOfSums } from "../../lib/chapters/01-parallelism";
import { classifyRun, runCpu, seedPrograms, surveyOrders } from "../../lib/cpu/index";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";

describe("chapter 01: one task on a wider core", () => {
  it("(a+b)+(c+d): 7 cycles scalar, 4 on a 2-wide core, still one task (sequential as tasks go)", () => {
    const memory = { a: 1, b: 2, c: 3, d: 4 };
    const scalar = runCpu([sumOfSums()], "sequential", { memory });
    const wide = runCpu([sumOfSums()], "sequential", { memory, issueWidth: 2 });
    expect([scalar.cycles, wide.cycles]).toEqual([7, 4]);
    expect(wide.registerValues.S.s).toBe(10);
    expect(classifyRun(wide)).toMatchObject({ kind: "sequential", instructionLevel: true, overlapping: false });
    expect(classifyRun(scalar).instructionLevel).toBe(false);
  });
});

describe("chapter 01: the review's corrections (R2 SMT, R3 order-independence)", () => {
  const memory = { a: 1, b: 2, c: 3, d: 4 };
  const [A, B] = seedPrograms();
  it("R2: two programs on one 2-wide SMT core take 3 cycles (4 one program a cycle) and the run is parallel", () => {
    const smt = runCpu([A, B], "A+B A+B A+B", { memory, issueWidth: 2 });
    expect(smt.cycles).toBe(3);
    expect(runCpu([A, B], "sequential", { memory, issueWidth: 2 }).cycles).toBe(4);
    expect(runCpu([A, B], "round-robin", { memory, issueWidth: 2 }).cycles).toBe(4);
    expect(classifyRun(smt)).toMatchObject({ kind: "parallel", simultaneous: true });
    expect(smt.cores).toBe(1);
  });
  it("R3: every one of the 20 one-core orders gives the same results; B then A is still a sequential run", () => {
    const survey = surveyOrders([A, B]);
    const orders = survey.byPeak.flatMap((g) => g.schedules);
    expect(orders).toHaveLength(20);
    const want = JSON.stringify(runCpu([A, B], "sequential", { memory }).registerValues);
    expect(orders.filter((s) => JSON.stringify(runCpu([A, B], s, { memory }).registerValues) === want)).toHaveLength(
      20,
    );
    expect(classifyRun(runCpu([A, B], "B B B A A A", { memory })).kind).toBe("sequential");
  });
});

describe("chapter 01's exercises: the written solutions pass, wrong answers get hints, never the answer", () => {
  it("the expected values (computed by the library)", () => {
    expect(exerciseExpected("01-1")).toEqual([9, 6]);
    expect(exerciseExpected("01-3")).toEqual(["concurrent", "parallel", "sequential"]);
    expect(exerciseExpected("01-4")).toBe(6);
    expect(exerciseExpected("01-5")).toBe(4);
  });
  it("solutions pass; wrong answers fail with the first hint, then two", () => {
    resetExerciseTries();
    expect(judgeExercise("01-1", [9, 6]).ok).toBe(true);
    expect(judgeExercise("01-2", "B B A B A A").ok).toBe(true);
    expect(judgeExercise("01-2", "B A A A B B").ok).toBe(true);
    expect(judgeExercise("01-3", ["concurrent", "parallel", "sequential"]).ok).toBe(true);
    expect(judgeExercise("01-4", 6).ok).toBe(true);
    expect(judgeExercise("01-5", 4).ok).toBe(true);
    const first = judgeExercise("01-4", 8);
    expect(first.ok).toBe(false);
    expect(first.message).toMatch(/Hint 1/);
    expect(first.message).not.toMatch(/Hint 2/);
    const second = judgeExercise("01-4", 8);
    expect(second.message).toMatch(/Hint 2/);
    expect(judgeExercise("01-2", "A A B A B B").message).toMatch(/must start with B/);
    expect(judgeExercise("01-2", "B A B A A B").message).toMatch(/needs 4 registers/);
    expect(judgeExercise("01-2", "B B B A A A").message).toMatch(/sequential/);
    expect(judgeExercise("01-2", "B|A B|A B|A").message).toMatch(/one core/);
    expect(judgeExercise("01-2", 42).message).toMatch(/schedule string/);
    expect(judgeExercise("01-5", 3).ok).toBe(false);
    expect(judgeExercise("01-1", [9, 5]).ok).toBe(false);
    expect(judgeExercise("01-1", undefined).ok).toBe(false);
  });
  it("no hint contains the answer of its exercise", () => {
    for (const [id, wrong] of [
      ["01-4", 0],
      ["01-5", 0],
    ] as const) {
      resetExerciseTries();
      let msg = "";
      for (let k = 0; k < 4; k++) msg = judgeExercise(id, wrong).message;
      expect(msg).not.toMatch(new RegExp(`\\b${exerciseExpected(id)}\\b`));
    }
  });
});
