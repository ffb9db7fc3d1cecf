/**
 * Schedule strings: thread numbers separated by spaces, 1-based so that "2" means thread T2 (the second thread),
 * e.g. "1 1 2 2 1 2". With fewer than 10 threads the spaces may be left out ("112212"); commas are accepted too.
 * A signal that has several sleepers to choose from also names the one it wakes: "3>1" = T3 takes its step, a signal,
 * and wakes T1. Each such choice is part of the schedule: explore counts T3 waking T1 and T3 waking T2 as two
 * schedules, and writes the choice in its witnesses only where there was one (two or more sleepers).
 */
import { InterleaveScheduleError } from "./errors";

/**
 * Formats 0-based thread indices as a schedule string of 1-based thread numbers ("1 2 2 1"); `wakes[i]` ≥ 0 is the
 * thread step i (a signal) woke, written as "3>1".
 */
export function formatSchedule(threads: readonly number[], wakes?: readonly number[]): string {
  return threads.map((t, i) => (wakes && wakes[i] >= 0 ? `${t + 1}>${wakes[i] + 1}` : String(t + 1))).join(" ");
}

/** Parses a schedule string (or an array of 1-based thread numbers) into 0-based thread indices. */
export function parseSchedule(schedule: string | readonly number[], nThreads: number): number[] {
  return parseScheduleWakes(schedule, nThreads).threads;
}

/**
 * Parses a schedule string into 0-based thread indices and, per entry, the 0-based thread a signal wakes
 * ("3>1" → thread 2, wake 0) or -1 where the entry names none.
 */
export function parseScheduleWakes(
  schedule: string | readonly number[],
  nThreads: number,
): { threads: number[]; wakes: number[] } {
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
      s === ""
        ? []
        : /[\s,]/.test(s)
          ? s.split(/[\s,]+/).filter((x) => x !== "")
          : nThreads < 10 && !s.includes(">")
            ? s.split("")
            : [s];
  }
  const threads: number[] = [];
  const wakes: number[] = [];
  parts.forEach((p, i) => {
    const m = /^(\d+)(?:>(\d+))?$/.exec(p);
    const n = m ? Number(m[1]) : Number.NaN;
    const w = m && m[2] !== undefined ? Number(m[2]) : 0;
    if (!m || n < 1 || n > nThreads || (m[2] !== undefined && (w < 1 || w > nThreads))) {
      throw new InterleaveScheduleError(
        i + 1,
        `Position ${i + 1} of the schedule is "${p}", but the program has threads 1..${nThreads} (T1..T${nThreads}): ` +
          `write 1-based thread numbers separated by spaces, e.g. "1 2 2 1".`,
      );
    }
    threads.push(n - 1);
    wakes.push(m[2] === undefined ? -1 : w - 1);
  });
  return { threads, wakes };
}
