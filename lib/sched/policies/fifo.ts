import type { SchedPolicy } from "../types";

/** First in, first out: run tasks in the order they became ready, each until it blocks or ends. */
export function fifoPolicy(): SchedPolicy {
  return {
    name: "FIFO",
    pick: () => 0,
    slice: () => Infinity,
    preempts: () => false,
  };
}
