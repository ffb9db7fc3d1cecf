import type { SchedPolicy } from "../types";
import { argMin } from "./sjf";

/** Shortest time-to-completion first: like SJF, but a newcomer with less CPU work left preempts the running task. */
export function stcfPolicy(): SchedPolicy {
  return {
    name: "STCF",
    pick: (ready) => argMin(ready, (t) => t.cpuLeft),
    slice: () => Infinity,
    preempts: (c, r) => c.cpuLeft < r.cpuLeft,
  };
}
