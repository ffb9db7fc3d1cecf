/**
 * Chapter 07, "Cooperative async and the event loop": the seed's scenarios on the event-loop model (loop-scenarios),
 * the ordering puzzle, busy vs awaited sleep, starvation by a heavy job, cooperative vs preemptive scheduling
 * (scenarios), and the exercises' readings.
 */

export * from "./exercises";
export * from "./figures";
export * from "./loop-scenarios";
export * from "./races";
export * from "./real-node";
export * from "./scenarios";
