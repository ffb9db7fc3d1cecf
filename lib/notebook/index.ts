/** lib/notebook — the only code that touches tslab: show figures, tables, live displays, exercise checks. */

export * from "./check";
export * from "./display";
export * from "./errors";
export * from "./live";
export * from "./stepper";
