/**
 * Schedule strings: thread numbers separated by spaces, 1-based so that "2" means thread T2 (the second thread),
 * e.g. "1 1 2 2 1 2". With fewer than 10 threads the spaces may be left out ("112212"); commas are accepted too.
 */
import { InterleaveScheduleError } from "./errors";

/** Formats 0-based thread indices as a schedule string of 1-based thread numbers ("1 2 2 1"). */
export function formatSchedule(threads: readonly number[]): string {
  return threads.map((t) => String(t + 1)).join(" ");
}

/** Parses a schedule string (or an array of 1-based thread numbers) into 0-based thread indices. */
export function parseSchedule(schedule: string | readonly number[], nThreads: number): number[] {
  let parts: string[];
  if (typeof schedule !== "string") {
    if (!Array.isArray(schedule)) {
      throw new InterleaveScheduleError(
        0,
        `Expected a schedule string like "1 2 2 1" (1-based thread numbers), got ${typeof schedule}.`,
      );
    }
    parts = schedule.map((x) => String(x));
  } else {
    const s = schedule.trim();
    parts =
      s === "" ? [] : /[\s,]/.test(s) ? s.split(/[\s,]+/).filter((x) => x !== "") : nThreads < 10 ? s.split("") : [s];
  }
  return parts.map((p, i) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > nThreads) {
      throw new InterleaveScheduleError(
        i + 1,
        `Position ${i + 1} of the schedule is "${p}", but the program has threads 1..${nThreads} (T1..T${nThreads}): ` +
          `write 1-based thread numbers separated by spaces, e.g. "1 2 2 1".`,
      );
    }
    return n - 1;
  });
}
