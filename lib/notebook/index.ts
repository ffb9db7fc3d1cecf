/** lib/notebook — the only code that touches tslab: show figures, tables, live displays, exercise checks. */
export * from "./display";
export * from "./live";
export * from "./check";
export * from "./stepper";
export * from "./errors";
