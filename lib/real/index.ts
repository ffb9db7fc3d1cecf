/**
 * Real experiments on the learner's own machine: worker pool and speedup, creation overheads, IO concurrency
 * against a loopback server, shared-memory races and locks, deadlock, event-loop lag. Every experiment has a hard
 * time limit and cleans up its workers, servers and timers; results are plain data.
 */
export * from "./errors";
export * from "./stats";
export * from "./resources";
export * from "./shared";
export * from "./pool";
export * from "./speedup";
export * from "./overhead";
export * from "./server";
export * from "./io";
export * from "./race";
export * from "./lag";
export * from "./sleep";
