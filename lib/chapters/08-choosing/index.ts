/**
 * Chapter 08, "Choosing a model": processes, threads (with and without a GIL), async on one loop, processes × async
 * and async on N threads, simulated on lib/sched over a sweep of CPU share, connections and request time (costs,
 * sweep); why async scales, from true costs (scale); seed 001's rule as code (rule); real measurements placed on
 * the map, switch costs from this machine (real); seed 002's definitions as questions about simulated runs
 * (review); the figures and the exercises.
 */

export * from "./exercises";
export * from "./figures";
export * from "./real";
export * from "./review";
export * from "./rule";
export * from "./scale";
export * from "./sweep";
