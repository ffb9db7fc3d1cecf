/**
 * Chapter 06's exercises: answers computed or judged here (never printed in the notebook), hints from conceptual to
 * concrete. Registered when the module loads; the cells call checkExercise("06-1", answer).
 */
import { explore, flagLock, scheduleReaches } from "../../interleave/index";
import { defineExercises } from "../../notebook/index";
import { smallestFairThink } from "./fairness";
import { partlyLockedCounter, readsWhileHeld, ringOfLocks } from "./programs";

const schedule = (s: unknown): string | null =>
  typeof s === "string"
    ? s
        .trim()
        .split(/[\s,]+/)
        .join(" ")
    : null;

defineExercises("06", {
  "1": {
    accept: (s: unknown) => {
      const mine = schedule(s);
      if (mine === null) return 'Answer with a schedule string like "1 1 2 2 1 1 2 1".';
      const half = partlyLockedCounter([true, false]);
      const shown = explore(half).outcomes.find((o) => o.key === "counter=1")?.witness;
      if (mine === shown) return "That is the witness printed in section 2: find another one.";
      return readsWhileHeld(half, mine, {
        reader: "T2",
        cell: "counter",
        mutex: "m",
        holder: "T1",
        goal: { counter: 1 },
      });
    },
    hints: [
      "A lock only stops threads that ask for it. T2 never asks: it can read whenever it likes.",
      "T1 has 5 steps (lock, read, add, write, unlock), T2 has 3 (read, add, write). T2's read must come after " +
        "T1's lock and before T1's unlock.",
      "For a lost update both threads must read the same value: let T2 read before T1 writes.",
    ],
  },
  "2": {
    expected: () =>
      Number(
        explore(ringOfLocks())
          .outcomes.filter((o) => o.kind === "deadlock")
          .reduce((a, o) => a + (o.count ?? 0n), 0n),
      ),
    hints: [
      "A schedule of the ring deadlocks exactly when all three threads hold their first lock at once.",
      'The explorer counts schedules per outcome: explore(ringOfLocks()).outcomes, kind "deadlock".',
      'Add up the `count` of every outcome whose kind is "deadlock" (they are BigInts: Number(...) converts).',
    ],
  },
  "3": {
    expected: () =>
      smallestFairThink(
        {
          users: [
            { name: "A", think: 0, hold: 3 },
            { name: "B", think: 4, hold: 3 },
            { name: "C", think: 4, hold: 3 },
          ],
          wakeLatency: 2,
          duration: 120,
        },
        0,
        1,
      ),
    hints: [
      "B sleeps while the lock is taken and needs time to wake. A greedy A is back before B is awake.",
      "B is woken when A releases and can ask 2 ticks later. Where must A be at that moment?",
      "Try think = 0, 1, 2, … with lockFairness and look for the first value where B's acquisitions are above 0.",
    ],
  },
  "4": {
    accept: (s: unknown) => {
      const mine = schedule(s);
      if (mine === null) return 'Answer with a schedule string like "1 1 2 2".';
      const flag = flagLock(2);
      const shown = explore(flag).outcomes.find((o) => o.key.includes("counter=1"))?.witness;
      if (mine === shown) return "That is the witness stepped through in section 6: build your own.";
      return scheduleReaches(flag, mine, { counter: 1, flag: 0 });
    },
    hints: [
      "Checking the flag and setting it are two steps: what if both threads check before either sets it?",
      "Each thread: read f, check f, write flag = 1, read, add, write counter, write flag = 0 (7 steps).",
      "Let both threads pass the check, then let both read the counter before either writes it.",
    ],
  },
});
