/** lib/cpu — the clock-cycle machine of chapter 01: programs of micro-ops on registers, run on 1..N cores. */

export * from "./analysis";
export * from "./machine";
export * from "./program";
