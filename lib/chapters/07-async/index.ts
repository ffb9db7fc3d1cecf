/**
 * Chapter 07, "Cooperative async and the event loop": the seed's scenarios on the event-loop model (loop-scenarios),
 * the ordering puzzle, busy vs awaited sleep, starvation by a heavy job, cooperative vs preemptive scheduling
 * (scenarios), the exercises' readings, and the async hazards: Promise.all / allSettled / any / race on the model
 * (hazards), timeouts, cancellation and unhandled rejections on real Node (hazards-real).
 */

export * from "./exercises";
export * from "./figures";
export * from "./hazards";
export * from "./hazards-real";
export * from "./loop-scenarios";
export * from "./races";
export * from "./real-node";
export * from "./scenarios";
