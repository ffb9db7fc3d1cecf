/**
 * Chapter 02's exercises: the answers are computed here by the chapter's own models and never printed in a cell;
 * hints go from conceptual to concrete, one more after each wrong try.
 */
import { defineExercises } from "../../notebook/index";
import { batchTimes, oneTaskWithFetches } from "./batches";
import { coffeeRun } from "./coffee";
import { referenceFrames } from "./frames";

defineExercises("02", {
  "1": {
    expected: () => coffeeRun("stand and wait", { orders: 4 }).makespan,
    hints: [
      "A worker who stands and waits never overlaps anything: while a coffee brews, nothing else happens.",
      "Add up every job's full length, machine time included.",
      "A coffee is 1 + 4 + 1 minutes; each chore is 2 minutes.",
    ],
  },
  "2": {
    expected: () => coffeeRun("start and move on", { orders: 4 }).makespan,
    hints: [
      "Find the bottleneck: which resource has the most minutes of work, and can it work on two coffees at once?",
      "The single machine brews one coffee at a time. When can the first brew start, and what must happen after " +
        "the last brew ends?",
      "The worker's own minutes (4 × 2 + 6) all fit while the machine brews; the machine's minutes do not shrink.",
    ],
  },
  "3": {
    expected: () => batchTimes({ tasks: 3, length: 10, cpuShare: 0.6 }).concurrent,
    hints: [
      "Draw it on a time line: one row per task, and remember the core runs one task at a time.",
      "Add up the CPU work of all three tasks. Can any schedule on one core finish before that?",
      "When the first task's wait ends, is the core free, or still busy with the others' first CPU parts?",
    ],
  },
  "4": {
    expected: () => {
      const f = referenceFrames(coffeeRun("stand and wait"));
      return [f.workerFrame, f.systemFrame];
    },
    hints: [
      "Parallel means two resources busy at the same instant; concurrent means two jobs in progress at once.",
      "While the machine brews, what is the standing worker doing? Is any job started before the previous one ends?",
    ],
  },
  "5": {
    expected: () => oneTaskWithFetches({ fetches: 4, length: 10, cpuShare: 0.6 }).independentConcurrent,
    hints: [
      "The waits can overlap, but the sends and reads all need the one core.",
      "The first answer arrives before the last request has been sent. What is the core doing then?",
      "Count the core's work: four sends and four reads of 3 ticks each. Is the core ever idle?",
    ],
  },
});
