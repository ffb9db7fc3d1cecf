/**
 * Chapter 06, "Locks, deadlock, starvation": the half-locked counter and exercise predicates (programs), throughput
 * of work behind one lock (contention, simulated on lib/sched), lock fairness (barging vs FIFO hand-off), the
 * chapter's figures and the report of the real contention measurement.
 */

export * from "./contention";
export * from "./errors";
export * from "./fairness";
export * from "./figures";
export * from "./programs";
export * from "./reports";
