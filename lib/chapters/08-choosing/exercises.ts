/**
 * Chapter 08's exercises: the answers are computed here by the chapter's own models and never printed in a cell;
 * hints go from conceptual to concrete, one more after each wrong try.
 */
import { defineExercises } from "../../notebook/index";
import { oneTaskWithFetches } from "../02-waiting/index";
import { bottleneck, coffeeShop } from "./review";
import { ruleAgrees, seedRule } from "./rule";
import { type ChooseModel, type ChoosePoint, comparePoint, DEFAULT_SWEEP } from "./sweep";

/** The rule's own three models (Python as the seed knew it). */
export const RULE_MODELS: readonly ChooseModel[] = ["processes", "threadsGil", "async"];

/** Exercise 2's answers: a point of the default grid where the rule's pick is not within 5 % of the winner. */
function rulePicksALoser(p: ChoosePoint): true | string {
  if (!p || typeof p !== "object") return "Answer with a point { cpuShare, connections, requestMs }.";
  const on = (list: number[], v: number) => list.includes(v);
  if (
    !on(DEFAULT_SWEEP.cpuShares, p.cpuShare) ||
    !on(DEFAULT_SWEEP.connections, p.connections) ||
    !on(DEFAULT_SWEEP.requestMs, p.requestMs)
  )
    return (
      `Use the grid's values: cpuShare ∈ [${DEFAULT_SWEEP.cpuShares}], connections ∈ ` +
      `[${DEFAULT_SWEEP.connections}], requestMs ∈ [${DEFAULT_SWEEP.requestMs}].`
    );
  const cell = comparePoint(p, { models: RULE_MODELS });
  if (ruleAgrees(cell, RULE_MODELS)) return `There the rule picks ${seedRule(p)}, which does win (or tie).`;
  return true;
}

defineExercises("08", {
  "1": {
    expected: () => comparePoint({ cpuShare: 0.5, connections: 64, requestMs: 200 }, { models: RULE_MODELS }).winner,
    hints: [
      "Half of every request is computation. Of the rule's three models, which one computes on more than one core?",
      `The three names are "processes", "threadsGil" and "async"; with a GIL, only one thread computes at a time.`,
      "64 × 100 ms of CPU work: spread over 4 cores, or one after another on one core?",
    ],
  },
  "2": {
    accept: rulePicksALoser,
    hints: [
      'The rule calls everything below 50 % CPU "IO-bound". Can CPU work below that share still be worth ' +
        "spreading over cores?",
      "Try CPU shares of 10–30 % with a handful of connections or more: what does one core have to compute?",
      "Look for a ✗ in the rule's map of section 3.",
    ],
  },
  "3": {
    expected: () => coffeeShop(3, true, 3).makespan,
    hints: [
      "With a machine that brews three cups at once, no order waits for the machine any more: who is busy now?",
      "Draw the worker's time line: 2 ms of work per order first, each brew starting as soon as its order's work ends.",
      "The last order's brew starts after the worker's third 2 ms; then three 1 ms finishes remain for one worker.",
    ],
  },
  "4": {
    expected: () => {
      const f = oneTaskWithFetches({ fetches: 3, length: 20, cpuShare: 0.1 });
      return [f.independentSequential, f.independentConcurrent];
    },
    hints: [
      "Awaited one after another, each fetch's wait starts only when the previous fetch is done.",
      "Started together (Promise.all), the three waits overlap; only the CPU parts still take turns on the one core.",
      "Each fetch is 1 ms of CPU, 18 ms of waiting, 1 ms of CPU. The third can start its wait after 3 × 1 ms.",
    ],
  },
  "5": {
    expected: () => bottleneck(coffeeShop(3, true)).resource,
    hints: [
      "The bottleneck is the resource that is busy for the largest part of the run.",
      "Add up the worker's busy time and the machine's busy time over the whole run.",
      'Answer with the library\'s name of the resource: "core 1" or "coffee machine".',
    ],
  },
});
