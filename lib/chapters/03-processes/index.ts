/**
 * Chapter 03, "Processes, threads, coroutines": the same batch under four execution models on lib/sched (models),
 * the real child-process experiment (processes), a coroutine seen from inside on lib/sim (coroutines, told in
 * coroutine-report), and the chapter's own figures. Times in ticks (read as ms).
 */

import "./exercises";

export * from "./amdahl";
export * from "./coroutine-report";
export * from "./coroutines";
export * from "./figures";
export * from "./models";
export * from "./processes";
