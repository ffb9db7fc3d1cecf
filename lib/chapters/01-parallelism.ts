/**
 * Chapter 01, "Parallelism vs concurrency": the one-task program that a wider core speeds up (instruction-level
 * parallelism inside one task), and the chapter's exercises (answers computed here, never printed in a cell).
 */
import {
  add,
  type CpuProgram,
  classifyRun,
  concurrentWithin,
  fewestCycles,
  load,
  ordersThatFit,
  program,
  runCpu,
  seedPrograms,
  sumProgram,
} from "../cpu/index";
import { defineExercises } from "../notebook/index";

/**
 * One task with independent steps: s = (a + b) + (c + d), written as four loads, two adds and the final add.
 * On the scalar toy it takes 7 cycles; a wider core issues the independent loads and adds side by side.
 */
export function sumOfSums(name = "S"): CpuProgram {
  return program(name, [
    load("a"),
    load("b"),
    load("c"),
    load("d"),
    add("ab", "a", "b"),
    add("cd", "c", "d"),
    add("s", "ab", "cd"),
  ]);
}

defineExercises("01", {
  "1": {
    expected: () => {
      const three = [...seedPrograms(), sumProgram("C", "e", "f")];
      return [runCpu(three, "sequential").cycles, fewestCycles(three, 2)];
    },
    hints: [
      "On one core, does the order of the steps change how many cycles they need?",
      "A sum stays on one core (its values sit in that core's registers), so with three sums and two cores, one " +
        "core gets two sums. The machine is done when its busier core is.",
      "One core: count every step. Two cores: count the steps of the core that runs two sums.",
    ],
  },
  "2": {
    accept: (s: unknown) => {
      if (typeof s !== "string") return 'Answer with a schedule string like "B A B A B A".';
      const verdict = concurrentWithin(seedPrograms(), s, 3);
      if (verdict !== true) return verdict;
      return s.trim().split(/\s+/)[0] === "B" ? true : "Let B run first: the schedule must start with B.";
    },
    hints: [
      "Interleaving costs registers for every value that is loaded but not yet used. Keep as few waiting as you can.",
      "Let one program get as far as its add before the other one has loaded both of its numbers.",
      "Start with B's two loads, then one load of A, and let B add before A loads its second number.",
    ],
  },
  "3": {
    expected: () =>
      ["A A B B B A", "A|- A|- A|B -|B -|B", "A|- A|- A|- -|B -|B -|B"].map(
        (s) => classifyRun(runCpu(seedPrograms(), s)).kind,
      ),
    hints: [
      "Two separate tests: do the lifetimes (first step to last step) overlap? Do two programs ever run a step in " +
        "the same cycle? Two cores alone decide nothing.",
      "Find each program's first and last cycle in every run, and look for a cycle where both columns are busy.",
      "In run 2, A's last step and B's first step share cycle 3. In run 3, B starts in cycle 4.",
    ],
  },
  "4": {
    expected: () => {
      const [A, B] = seedPrograms();
      return ordersThatFit([A, B], 3).filter((s) => classifyRun(runCpu([A, B], s)).kind === "concurrent").length;
    },
    hints: [
      "Two conditions at once: the order fits in 3 registers, and the two lifetimes overlap. Start from the orders " +
        "that pass the first test.",
      "Section 3 counts the orders that fit in 3 registers. Which of them are not concurrent at all?",
      "An order is not concurrent when one program finishes before the other starts: how many such orders are " +
        "there for two programs, and do they fit in 3 registers?",
    ],
  },
  "5": {
    expected: () => runCpu([sumOfSums()], "sequential", { issueWidth: 3 }).cycles,
    hints: [
      "The core issues in program order and stops at the first step whose input is produced in the same cycle.",
      "Write the cycles out: cycle 1 takes the first three loads. Can `a + b` go together with `load d` in cycle 2? " +
        "Can `c + d`?",
      "After cycle 2, c + d and the final add each depend on the step just before them.",
    ],
  },
});
