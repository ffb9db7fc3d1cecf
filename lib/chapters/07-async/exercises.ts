/**
 * Chapter 07's exercises: the answers are computed here (never typed into a cell, never printed) and registered with
 * `defineExercises("07", …)`; cells call `checkExercise("07-1", answer1)`. Hints go from conceptual to concrete.
 */

import { type LoopBody, loopStep, loopTask, runLoop } from "../../eventloop/index";
import { defineExercises } from "../../notebook/index";
import { compareLoopIoModes, loopLostUpdateScenario } from "./loop-scenarios";
import { type HeavyJobOptions, orderingPuzzleRun, starvationScenario } from "./scenarios";

/** The ordering puzzle's printed order according to the model. */
export function puzzleOrder(): string[] {
  return orderingPuzzleRun().order;
}

/**
 * Exercise 1's program, run inside an IO callback (a `fs.readFile` callback), where Node's order is deterministic:
 *
 *   setImmediate(() => log("immediate"));
 *   setTimeout(() => log("timeout"), 0);
 *   Promise.resolve().then(() => { log("then"); process.nextTick(() => log("tick in then")); });
 *   process.nextTick(() => log("tick"));
 *   log("sync");
 */
export const exercise1Program: LoopBody = ({ log, setImmediate, setTimeout, resolved, nextTick }) => {
  setImmediate(() => log("immediate"));
  setTimeout(() => log("timeout"), 0);
  resolved().then(() => {
    log("then");
    nextTick(() => log("tick in then"));
  });
  nextTick(() => log("tick"));
  log("sync");
};

/** Seed 000's tasks with task 1's IO set to `ioMs`: [total with blocking IO, total with await] (ms). */
export function seedTotalsWithIo(ioMs: number): [number, number] {
  const { cpu, awaitIO, yield: y } = loopStep;
  const tasks = [
    loopTask("task 1", [cpu(16), y(), cpu(11), awaitIO(ioMs), cpu(6)]),
    loopTask("task 2", [cpu(5), y(), cpu(11)]),
  ];
  const c = compareLoopIoModes(tasks);
  return [c.totalBlocking, c.totalCooperative];
}

/** Does a chunk of `chunkMs` keep every request answered within `limitMs`? true, or why not. */
export function chunkKeepsLatency(chunkMs: unknown, limitMs: number, options: HeavyJobOptions = {}): true | string {
  if (typeof chunkMs !== "number" || !(chunkMs > 0))
    return `Answer with a chunk size in ms (a number > 0), got ${String(chunkMs)}.`;
  const r = starvationScenario("chunked", { ...options, chunkMs });
  if (r.worstLatency <= limitMs) return true;
  return `With ${chunkMs} ms chunks the slowest request is answered ${r.worstLatency} ms after it arrives, more than ${limitMs} ms.`;
}

/** Final counter of the async lost update with `tasks` tasks × `increments`, no mutex. */
export function lostUpdateFinal(tasks: number, increments: number): number {
  return loopLostUpdateScenario({ tasks, increments }).counter;
}

defineExercises("07", {
  "1": {
    expected: () => runLoop(exercise1Program, { start: "io" }).order,
    hints: [
      "After every callback Node empties the nextTick queue, then the promise jobs, and repeats until both are empty.",
      "A nextTick queued by a promise job runs only when the microtask queue is empty, including promise jobs " +
        "queued meanwhile; then Node goes back to the nextTick queue. Inside an IO callback the check phase " +
        "(setImmediate) comes before the next timers phase.",
      "Go callback by callback: write the two queues (nextTick, promise jobs) after each line runs, and empty them " +
        "by the rule of hint 1 before the next phase.",
    ],
  },
  "2": {
    expected: () => seedTotalsWithIo(30),
    hints: [
      "With blocking IO nothing overlaps: the total is the sum of every piece of work and the wait.",
      "With await, task 2's remaining work runs during task 1's IO. How much does task 2 still have to do then?",
      "Blocking: 16 + 5 + 11 + 30 + 6 + 11. Await: subtract task 2's last piece of work.",
    ],
  },
  "3": {
    expected: () => Math.max(...[5, 10, 20, 25, 50].filter((c) => chunkKeepsLatency(c, 12) === true)),
    hints: [
      "A request that arrives just after a chunk started waits for the rest of that chunk, then for its own turn.",
      'Try the candidates with starvationScenario("chunked", { chunkMs }) and read worstLatency.',
      "Compare worstLatency with the limit for each candidate, from the smallest chunk up; the answer is the last " +
        "one that stays within 12 ms.",
    ],
  },
  "4": {
    expected: () => lostUpdateFinal(3, 2),
    hints: [
      "All three tasks read the counter before any of them writes it back: their awaits overlap.",
      "Within one round, how many of the three writes survive?",
      "Count the rounds each task makes and what one round adds; check your method on the section 11 variant " +
        "(loopLostUpdateScenario with four tasks of one increment).",
    ],
  },
  "5": {
    expected: () => starvationScenario("microtask").requests[3].answered,
    hints: [
      "What can run during `await Promise.resolve()`? Only other promise jobs: no timer, no IO.",
      "The requests arrive by timers. With microtask yields the heavy job never gives the timers phase a turn.",
      "Request 4 is answered after the whole heavy job and after the three requests queued before it (1 ms each).",
    ],
  },
});
