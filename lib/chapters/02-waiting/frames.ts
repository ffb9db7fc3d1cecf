/**
 * Chapter 02's reference frames: the same run seen by the worker (is it ever doing two things?) and by the whole
 * system (are the worker and the machine busy at once?).
 */

import { ChapterInputError } from "../../errors";
import { checkResult } from "../../errors/validate";
import type { SchedResult } from "../../sched/index";

/** What one run looks like from two reference frames. */
export interface FrameView {
  /** Most tasks in progress at once (started, not finished) — the worker's concurrency. */
  mostInProgress: number;
  /** Most tasks running on the worker(s) at the same instant, per worker (always 1 for one core). */
  mostRunningPerWorker: number;
  /** Ticks during which a worker runs while some device serves a request: things truly at the same time. */
  overlapWithDevices: number;
  /**
   * The worker's frame: "sequential" or "concurrent"; the whole system's frame: "sequential", "concurrent" or
   * "parallel".
   */
  workerFrame: "sequential" | "concurrent";
  systemFrame: "sequential" | "concurrent" | "parallel";
}

/** Length (ticks) of the union of intervals. */
function unionLength(iv: [number, number][]): number {
  const s = [...iv].sort((a, b) => a[0] - b[0]);
  let total = 0,
    cs = -Infinity,
    ce = -Infinity;
  for (const [a, b] of s) {
    if (a > ce) {
      if (ce > cs) total += ce - cs;
      cs = a;
      ce = b;
    } else ce = Math.max(ce, b);
  }
  if (ce > cs) total += ce - cs;
  return total;
}

/** Classify a run from the worker's frame (its cores only) and from the whole system's (cores plus devices). */
export function referenceFrames(result: SchedResult): FrameView {
  checkResult(
    ChapterInputError,
    "the result given to referenceFrames",
    result,
    ["machine", "tasks"],
    "pass what runSchedule(...) returned",
  );
  // A lifetime starts at the task's first real tick of work (taking a lock costs no time and does not count).
  const lifetimes = result.tasks.map((t, i) => {
    const first = result.trace.find(
      (s) => s.task === i && s.end > s.start && (s.state === "running" || s.state === "io"),
    );
    return [first ? first.start : t.finish, t.finish] as [number, number];
  });
  let mostInProgress = 0;
  for (const [s] of lifetimes)
    mostInProgress = Math.max(mostInProgress, lifetimes.filter(([a, b]) => a <= s && s < b).length);
  const running = result.trace.filter((s) => s.state === "running");
  let mostRunningPerWorker = 0;
  for (let c = 0; c < result.machine.cores; c++) {
    const mine = running.filter((s) => s.core === c);
    for (const s of mine)
      mostRunningPerWorker = Math.max(
        mostRunningPerWorker,
        mine.filter((o) => o.start <= s.start && s.start < o.end).length,
      );
  }
  const io = result.trace.filter((s) => s.state === "io").map((s) => [s.start, s.end] as [number, number]);
  const run = running.map((s) => [s.start, s.end] as [number, number]);
  // |run ∩ io| = |run| + |io| − |run ∪ io|
  const overlap = unionLength(run) + unionLength(io) - unionLength([...run, ...io]);
  const concurrent = mostInProgress > 1;
  const parallel = overlap > 1e-9 || (result.machine.cores > 1 && coresOverlap(running));
  return {
    mostInProgress,
    mostRunningPerWorker,
    overlapWithDevices: Math.round(overlap * 1e9) / 1e9,
    workerFrame: concurrent ? "concurrent" : "sequential",
    systemFrame: parallel ? "parallel" : concurrent ? "concurrent" : "sequential",
  };
}

function coresOverlap(running: { core: number; start: number; end: number }[]): boolean {
  return running.some((a) => running.some((b) => a.core !== b.core && a.start < b.end && b.start < a.end));
}
