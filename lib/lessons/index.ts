/** lib/lessons — models and figures specific to chapters 02–04, built on lib/sched, lib/real and lib/eventloop. */
export * from "./waiting";
export * from "./figures";
export * from "./models";
export * from "./processes";
export * from "./policies";
