import type { SchedPolicy } from "../types";

/** Round robin: each task runs at most `quantum` ticks, then goes to the back of the queue. */
export function rrPolicy(quantum: number): SchedPolicy {
  return {
    name: "RR",
    pick: () => 0,
    slice: () => quantum,
    preempts: () => false,
  };
}
