/**
 * Chapter 02, "Waiting is waste": the worker and the coffee machine (coffee), IO-bound vs CPU-bound batches
 * (batches), the same run seen from two reference frames (frames), the sleep demo's forecast (sleep), the
 * chapter's own figures and exercises. Everything runs on lib/sched; times are in ticks (minutes for the coffee
 * bar, ms for programs).
 */

export * from "./batches";
export * from "./coffee";
export * from "./exercises";
export * from "./figures";
export * from "./frames";
export * from "./sleep";
