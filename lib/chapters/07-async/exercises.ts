/** Predicates and expected values for chapter 07's exercises (computed, never typed in). */

import { loopStep, loopTask } from "../../eventloop/index";
import { compareLoopIoModes, loopLostUpdateScenario } from "./loop-scenarios";
import { type HeavyJobOptions, orderingPuzzleRun, starvationScenario } from "./scenarios";

/** Exercise: the puzzle's printed order according to the model. */
export function puzzleOrder(): string[] {
  return orderingPuzzleRun().order;
}

/** Exercise: seed 000's tasks with task 1's IO set to `ioMs`: [total with blocking IO, total with await] (ms). */
export function seedTotalsWithIo(ioMs: number): [number, number] {
  const { cpu, awaitIO, yield: y } = loopStep;
  const tasks = [
    loopTask("task 1", [cpu(16), y(), cpu(11), awaitIO(ioMs), cpu(6)]),
    loopTask("task 2", [cpu(5), y(), cpu(11)]),
  ];
  const c = compareLoopIoModes(tasks);
  return [c.totalBlocking, c.totalCooperative];
}

/** Exercise: does a chunk of `chunkMs` keep every request answered within `limitMs`? true, or why not. */
export function chunkKeepsLatency(chunkMs: unknown, limitMs: number, options: HeavyJobOptions = {}): true | string {
  if (typeof chunkMs !== "number" || !(chunkMs > 0))
    return `Answer with a chunk size in ms (a number > 0), got ${String(chunkMs)}.`;
  const r = starvationScenario("chunked", { ...options, chunkMs });
  if (r.worstLatency <= limitMs) return true;
  return `With ${chunkMs} ms chunks the slowest request waits ${r.worstLatency} ms, more than ${limitMs} ms.`;
}

/** Exercise: final counter of the async lost update with `tasks` tasks × `increments`, no mutex. */
export function lostUpdateFinal(tasks: number, increments: number): number {
  return loopLostUpdateScenario({ tasks, increments }).counter;
}
