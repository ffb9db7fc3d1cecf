/**
 * lib/plot — pure figure builders: engine results in, plotly JSON (`{ data, layout }`), SVG or HTML text out.
 * Nothing here touches tslab or the DOM; lib/notebook shows what these build.
 */

export * from "./asynccheck";
export * from "./bundles";
export * from "./cpu";
export * from "./diagram";
export * from "./errors";
export * from "./eventloop";
export * from "./figure";
export * from "./gantt";
export * from "./html";
export * from "./interleave";
export * from "./racesteps";
export * from "./real";
export * from "./sched";
export * from "./stepper";
