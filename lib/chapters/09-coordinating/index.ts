/**
 * Chapter 09, "Coordinating tasks": a semaphore as a concurrency limiter (the crawler model and the learner's own
 * limit(k)), producer–consumer with a queue and backpressure (the model), message passing (the real experiments live
 * in lib/real: crawl, backpressure, messaging), the chapter's figures and exercises.
 */

export * from "./backpressure";
export * from "./buffer";
export * from "./crawl";
export * from "./errors";
export * from "./exercises";
export * from "./figures";
export * from "./limit-check";
