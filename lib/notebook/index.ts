/** lib/notebook — the only code that touches tslab: show figures, tables, live displays, checks, predictions. */

export * from "./check";
export * from "./display";
export * from "./errors";
export * from "./exercises";
export * from "./live";
export * from "./predict";
export * from "./stepper";
