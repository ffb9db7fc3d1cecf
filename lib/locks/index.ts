/**
 * lib/locks — small models of chapter 06 that lib/interleave and lib/sched do not cover by themselves: throughput of
 * work behind one lock (over-locking, simulated on lib/sched) and lock fairness (barging vs FIFO hand-off).
 */
export * from "./contention";
export * from "./fairness";
export * from "./reports";
