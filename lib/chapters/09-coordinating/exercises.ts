/**
 * Chapter 09's exercises: the answers are computed here by the models (never typed into a cell, never printed) and
 * registered with `defineExercises("09", …)`; cells call `checkExercise("09-1", answer1)`.
 */
import { boundedBuffer, explore } from "../../interleave/index";
import { defineExercises } from "../../notebook/index";
import { queueModel } from "./backpressure";
import { crawlModel } from "./crawl";

/** Exercise 4: schedules in which a producer pushes count above the capacity (two producers, two consumers, if). */
export function producerOverflows(): bigint {
  const r = explore(boundedBuffer({ capacity: 2, producers: 2, consumers: 2, items: 4, guard: "if" }));
  return r.outcomes
    .filter((o) => o.kind === "fault" && /^fault: P/.test(o.key))
    .reduce((a, o) => a + (o.count ?? 0n), 0n);
}

/** Exercise 1's pages: how long the server needs for each (ms). */
export const EXERCISE_PAGES = [40, 10, 30, 20, 50, 10];

defineExercises("09", {
  "1": {
    expected: () => crawlModel({ limit: 2, durations: EXERCISE_PAGES }).total,
    hints: [
      "Two permits: fetches 1 and 2 start at 0; each time one ends, the next fetch in line takes its permit.",
      "Write down when each permit becomes free: permit A runs fetch 1 (0–40); permit B runs fetch 2 (0–10), " +
        "then the next in line…",
      'Check a try with crawlModel({ limit: 2, durations: [40, 10, 30, 20, 50, 10] }) — the answer is its "total".',
    ],
  },
  "2": {
    expected: () => {
      const r = crawlModel({ limit: Infinity, durations: Array(12).fill(30), serverSlots: 3 });
      return [r.total, r.peakServerQueue];
    },
    hints: [
      "With no limit all 12 requests are sent at 0, but the server works on only 3 at a time.",
      "The server serves them in rounds of 3, 30 ms each; the others wait in its queue.",
      "How many rounds of 3 make 12? And right after the first 3 are taken, how many are still waiting?",
    ],
  },
  "3": {
    expected: () => queueModel({ produceMs: 2, consumeMs: 5, capacity: 4 }).firstWaitAt,
    hints: [
      "The queue holds the items put but not yet taken; the item the consumer works on is no longer in it.",
      "Item i is put at 2, 4, 6, … ms while nothing waits; the consumer takes item i at 2 + 5·i ms.",
      "Make a table: at each put, count the items put so far minus the items taken so far. The producer first " +
        "waits when it is ready with an item and that count is already 4.",
    ],
  },
  "4": {
    expected: () => Number(producerOverflows()),
    hints: [
      "The `if` bug is symmetric: a producer woken from notFull can find the buffer filled again by the other producer.",
      'Explore it: exploreBuffer({ capacity: 2, producers: 2, consumers: 2, items: 4, guard: "if" }), and list its ' +
        "outcomes with outcomeRows.",
      "Add up the schedules of the faults whose thread is a producer (P1 or P2): count above 2.",
    ],
  },
});
