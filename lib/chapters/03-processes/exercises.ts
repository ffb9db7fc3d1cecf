/**
 * Chapter 03's exercises, registered when the chapter's module loads: the answers are computed here by the library
 * (never printed in the chapter), and the hints go from conceptual to concrete, one more after each wrong try.
 */
import { loopStep, loopTask, runLoopTasks } from "../../eventloop/index";
import { defineExercises } from "../../notebook/index";
import { amdahlSpeedup } from "../../real/index";
import { breakEvenWorkMs, compareModels, equalBatch, namesFastestModels } from "./models";

/** Exercise 4's handlers: four of them, each 1 ms of CPU, a 10 ms IO call, 1 ms of CPU. */
function ex4Handlers() {
  return ["A", "B", "C", "D"].map((n) => loopTask(n, [loopStep.cpu(1), loopStep.awaitIO(10), loopStep.cpu(1)]));
}

defineExercises("03", {
  "1": {
    expected: () => {
      const rows = compareModels(equalBatch(6, 10), { cores: 3 });
      return [rows[2].makespan, rows[3].makespan];
    },
    hints: [
      "With the GIL, how many threads can execute Python code at any instant, whatever the number of cores?",
      "Count the ticks of computation in the whole batch. With the GIL they happen one at a time; as processes, " +
        "each core takes its share of the tasks.",
      "Processes: 6 tasks on 3 cores is 2 tasks per core, one after the other.",
    ],
  },
  "2": {
    accept: (a: unknown) => namesFastestModels(a, equalBatch(4, 2, 8), { cores: 1 }),
    hints: [
      "What does a second process gain you when there is no second core for it to compute on?",
      "On one core, every model that overlaps the waits can still run only one CPU burst at a time.",
      "Several models may tie: list every one with the fewest ticks.",
    ],
  },
  "3": {
    expected: () => breakEvenWorkMs({ tasks: 8, startMs: 30, cores: 3 }),
    tolerance: 0.01,
    hints: [
      "Write the batch time of both ways as a function of the work per task w, and find where they meet.",
      "One thread does the 8 tasks one after another. New workers run three at a time, so the batch is a number of " +
        "rounds, and every round pays a worker's start-up once besides the work.",
      "How many rounds do 8 tasks take three at a time (the last round is not full)? Each round lasts the start-up " +
        "plus w.",
    ],
  },
  "4": {
    expected: () => [
      runLoopTasks(ex4Handlers(), { ioMode: "blocking" }).endTime,
      runLoopTasks(ex4Handlers(), { ioMode: "await" }).endTime,
    ],
    hints: [
      "Blocking: does anything overlap? Awaited: which parts must take turns on the one thread, and which overlap?",
      "Awaited: the four first CPU parts run back to back; each IO call starts when its CPU part ends.",
      "Awaited: the last handler's IO starts after four 1 ms parts and lasts 10 ms; its closing 1 ms comes after.",
    ],
  },
  "5": {
    expected: () => [amdahlSpeedup(0.05, 8), 1 / 0.05],
    tolerance: 0.01,
    hints: [
      "The serial part takes the same time however many cores there are; only the rest is divided among them.",
      "On N cores the job takes f + (1 − f) / N of its one-thread time; the speedup is one over that.",
      "The ceiling is the speedup with infinitely many cores: only the serial part is left.",
    ],
  },
});
