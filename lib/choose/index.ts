/**
 * lib/choose — chapter 08: processes vs threads (with and without a GIL) vs async, simulated on lib/sched over a
 * sweep of CPU share, connections and request time; seed 001's rule as code; real measurements placed on the map;
 * seed 002's definitions as questions about simulated runs.
 */
export * from "./sweep";
export * from "./rule";
export * from "./real";
export * from "./review";
