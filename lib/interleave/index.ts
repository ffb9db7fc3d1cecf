/**
 * lib/interleave — every schedule of a small concurrent program, counted exactly, with a witness for each outcome.
 * A thread language (builder and text form), explore (exact counts, histograms, deadlocks), replay of schedule
 * strings, random sampling, and presets for chapters 05 and 06.
 */
export * from "./errors";
export * from "./program";
export * from "./schedule";
export * from "./explore";
export * from "./presets";
export * from "./parse";
export * from "./replay";
export * from "./sample";
export * from "./tree";
