/**
 * Chapter 08, "Choosing a model": processes vs threads (with and without a GIL) vs async, simulated on lib/sched over
 * a sweep of CPU share, connections and request time (sweep); seed 001's rule as code (rule); real measurements
 * placed on the map (real); seed 002's definitions as questions about simulated runs (review); the figures.
 */

export * from "./figures";
export * from "./real";
export * from "./review";
export * from "./rule";
export * from "./sweep";
