/**
 * Concurrency by Experiment — the one import for notebooks: `import { ... } from "./lib/index"`
 * (tslab resolves only file paths, so "./lib/index", not "./lib"; likewise every import inside lib/ names a file).
 * Each module below is an engine with no notebook code, except lib/notebook, the only code that touches tslab.
 */
export * from "./plot/figure";
export * from "./notebook/index";
export * from "./cpu/index";
export * from "./plot/cpu";
export * from "./plot/diagram";
export * from "./real/index";
export * from "./plot/real";
export * from "./interleave/index";
export * from "./plot/interleave";
export * from "./eventloop/index";
export * from "./plot/eventloop";
export * from "./sim/index";
export * from "./sched/index";
export * from "./plot/gantt";
export * from "./plot/sched";
export * from "./interleave/puzzles";
export * from "./plot/racesteps";
export * from "./plot/races";
export * from "./locks/index";
export * from "./plot/locks";
export * from "./lessons/index";
export * from "./coop/index";
export * from "./choose/index";
export * from "./plot/choose";
