/**
 * Chapter 06, "Locks, deadlock, starvation": the half-locked counter and exercise predicates (programs), throughput
 * of work behind one lock (contention, simulated on lib/sched, and Amdahl's ceiling), lock fairness (barging vs FIFO
 * hand-off), livelock, the chapter's figures, the report of the real contention measurement, and the exercises.
 */

import "./exercises"; // registers chapter 06's exercises (checkExercise("06-1", …))

export * from "./contention";
export * from "./errors";
export * from "./fairness";
export * from "./figures";
export * from "./livelock";
export * from "./programs";
export * from "./reports";
