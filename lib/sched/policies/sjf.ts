import type { SchedPolicy, SchedTaskView } from "../types";

/** Index of the ready task with the smallest key; ties go to the one that became ready first. */
export function argMin(ready: readonly SchedTaskView[], key: (t: SchedTaskView) => number): number {
  let best = 0;
  let bk = key(ready[0]);
  for (let i = 1; i < ready.length; i++) {
    const k = key(ready[i]);
    if (k < bk) {
      bk = k;
      best = i;
    }
  }
  return best;
}

/** Shortest job first: run the ready task with the least total CPU work, to completion (no preemption). */
export function sjfPolicy(): SchedPolicy {
  return {
    name: "SJF",
    pick: (ready) => argMin(ready, (t) => t.cpuTotal),
    slice: () => Infinity,
    preempts: () => false,
  };
}
