// Predictions (predict / reveal / predictionScore) and library-held exercises with tiered hints (checkExercise).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkExercise,
  type DisplaySink,
  defineExercises,
  exerciseExpected,
  judgeExercise,
  lastCheck,
  NotebookInputError,
  predict,
  predictionRecords,
  predictionScore,
  resetExerciseTries,
  resetPredictions,
  reveal,
  setDisplaySink,
} from "../../lib/notebook/index";

let outputs: string[] = [];
const recorder: DisplaySink = {
  html: (s) => outputs.push(s),
  markdown: (s) => outputs.push(s),
  text: (s) => outputs.push(s),
  live: () => ({ html: (s: string) => outputs.push(s) }),
};

beforeEach(() => {
  outputs = [];
  setDisplaySink(recorder);
  resetPredictions();
  resetExerciseTries();
});
afterEach(() => setDisplaySink(undefined));

describe("predict / reveal / predictionScore", () => {
  it("compares a number within 10 % by default, and says both values", () => {
    predict("total ms", 300);
    reveal("total ms", 315, { unit: "ms" });
    expect(outputs.at(-1)).toContain("you predicted 300 ms · the run says 315 ms");
    expect(outputs.at(-1)).toContain("✓");
    predict("orders", 4);
    reveal("orders", 6);
    expect(outputs.at(-1)).toContain("✗");
    expect(predictionRecords().map((r) => r.right)).toEqual([true, false]);
  });

  it("keeps null as 'not predicted' and says so, without scoring it", () => {
    predict("winner", null);
    expect(outputs.at(-1)).toContain("no guess yet");
    reveal("winner", "timeout");
    expect(outputs.at(-1)).toContain("No prediction recorded");
    predict("first", "Timeout ");
    reveal("first", "timeout");
    predictionScore();
    expect(outputs.at(-1)).toContain("1 of 1 right");
    expect(outputs.at(-1)).toContain("1 results revealed without a guess");
  });

  it("uses the tolerance asked for, exact with 0", () => {
    predict("n", 10);
    reveal("n", 11, { tolerance: 0 });
    expect(predictionRecords()[0].right).toBe(false);
    predict("n", 10);
    reveal("n", 11, { tolerance: 0.2 });
    expect(predictionRecords()[0].right).toBe(true);
  });

  it("names bad input", () => {
    expect(() => predict("", 1)).toThrow(NotebookInputError);
    expect(() => predict("x", Number.NaN)).toThrow(/finite number/);
    expect(() => predict("x", {} as never)).toThrow(/finite number, a string or true\/false/);
    expect(() => reveal("x", null as never)).toThrow(/the result must be/);
    expect(() => reveal("x", 1, { tolerance: -1 })).toThrow(/tolerance must be a number ≥ 0/);
  });

  it("escapes labels and guesses", () => {
    predict("<img src=x onerror=alert(1)>", "<b>");
    expect(outputs.at(-1)).not.toContain("<img");
    expect(outputs.at(-1)).toContain("&lt;img");
  });
});

describe("defineExercises / checkExercise", () => {
  let computed = 0;
  defineExercises("99", {
    "1": {
      expected: () => {
        computed++;
        return [8, 2, 9];
      },
      hints: ["Think about who is ready first.", "J1 preempts at tick 2.", "J0 runs 4–8."],
    },
    "2": { accept: (a) => (a > 3 ? true : "Too small: more than 3 are possible."), hints: ["Count orders."] },
  });

  it("computes the expected value lazily and never prints it", () => {
    checkExercise("99-1", [1, 2, 3]);
    expect(lastCheck()?.ok).toBe(false);
    expect(outputs.at(-1)).not.toContain("8, 2, 9");
    expect(computed).toBeGreaterThan(0);
    expect(exerciseExpected("99-1")).toEqual([8, 2, 9]);
  });

  it("shows one more hint tier after each wrong try, and ✓ for the right answer", () => {
    expect(judgeExercise("99-1", [0]).message).toContain("Hint 1: Think about who is ready first.");
    const second = judgeExercise("99-1", [0]).message;
    expect(second).toContain("Hint 2: J1 preempts at tick 2.");
    expect(second).not.toContain("Hint 3");
    expect(judgeExercise("99-1", [0]).message).toContain("Hint 3: J0 runs 4–8.");
    expect(judgeExercise("99-1", [8, 2, 9])).toEqual({ ok: true, message: "Correct: [8,2,9]." });
  });

  it("says 'not answered yet' for undefined, and names the exercises for an unknown id, without throwing", () => {
    checkExercise("99-1", undefined);
    expect(lastCheck()?.message).toMatch(/Not answered yet/);
    checkExercise("99-7", 1);
    expect(lastCheck()?.message).toContain('There is no exercise "99-7". Use one of 99-1, 99-2');
  });

  it("uses accept for open answers, and turns an exception in it into feedback", () => {
    expect(judgeExercise("99-2", 2).message).toContain("Too small");
    expect(judgeExercise("99-2", 5).ok).toBe(true);
    defineExercises("98", {
      "1": {
        accept: () => {
          throw new Error("boom");
        },
        hints: ["h"],
      },
    });
    expect(judgeExercise("98-1", 1).message).toContain("Your answer raised Error: boom");
  });

  it("rejects malformed definitions", () => {
    expect(() => defineExercises("4", {})).toThrow(/two digits/);
    expect(() => defineExercises("97", { "1": { hints: ["h"] } })).toThrow(/needs expected/);
    expect(() => defineExercises("97", { "1": { expected: () => 1, hints: [""] } })).toThrow(/hints/);
  });
});
