/**
 * Real experiments on the learner's own machine: worker pool and speedup, creation overheads, IO concurrency
 * against a loopback server, shared-memory races and locks, deadlock, event-loop lag. Every experiment has a hard
 * time limit and cleans up its workers, servers and timers; results are plain data.
 */
export * from "./amdahl";
export * from "./backpressure";
export * from "./crawl";
export * from "./errors";
export * from "./increment";
export * from "./io";
export * from "./lag";
export * from "./libuv";
export * from "./loops";
export * from "./messaging";
export * from "./overhead";
export * from "./pingpong";
export * from "./pool";
export * from "./pyswitch";
export * from "./race";
export * from "./resources";
export * from "./server";
export * from "./shared";
export * from "./sleep";
export * from "./speedup";
export * from "./stats";
