/**
 * What a run writes down as it goes: log lines, callbacks in order, the thread timeline,
 * waits, timer lag, queue snapshots and per-task accounting. Pure bookkeeping, no loop logic.
 */
import type {
  LoopCallbackRun,
  LoopLogLine,
  LoopPhase,
  LoopQueueView,
  LoopSegment,
  LoopSnapshot,
  LoopSource,
  LoopTaskReport,
  LoopTimerLag,
  LoopWait,
} from "./types";

/** Mutable per-task state while the run goes on. */
export interface TaskState {
  name: string;
  index: number;
  async: boolean;
  created: number;
  firstRun: number | null;
  lastEnd: number | null;
  settled: number | null;
  failed: boolean;
  cpuTime: number;
  blockingIOTime: number;
  awaiting: string | null;
  awaitingSince: number;
  /** Async runs of this task not finished yet (nested async calls count too). */
  running: number;
}

export class LoopRecorder {
  logs: LoopLogLine[] = [];
  callbacks: LoopCallbackRun[] = [];
  timeline: LoopSegment[] = [];
  waits: LoopWait[] = [];
  timerLags: LoopTimerLag[] = [];
  snapshots: LoopSnapshot[] = [];
  snapshotsTruncated = false;
  tasks = new Map<string, TaskState>();
  private open: LoopSegment | null = null;
  private current: LoopCallbackRun | null = null;

  constructor(private maxSnapshots: number) {}

  /** The task's state, created at `now` (ms) on first mention. */
  task(name: string, now: number, isAsync = false): TaskState {
    let t = this.tasks.get(name);
    if (!t) {
      t = {
        name,
        index: this.tasks.size,
        async: isAsync,
        created: now,
        firstRun: null,
        lastEnd: null,
        settled: null,
        failed: false,
        cpuTime: 0,
        blockingIOTime: 0,
        awaiting: null,
        awaitingSince: 0,
        running: 0,
      };
      this.tasks.set(name, t);
    } else if (isAsync) t.async = true;
    return t;
  }

  beginCallback(label: string, task: string, source: LoopSource, phase: LoopPhase, now: number): void {
    const t = this.task(task, now);
    if (t.firstRun === null) t.firstRun = now;
    this.current = { index: this.callbacks.length, label, task, source, phase, start: now, end: now };
    this.callbacks.push(this.current);
    this.open = null;
  }

  endCallback(now: number): void {
    if (!this.current) return;
    this.current.end = now;
    const t = this.task(this.current.task, now);
    t.lastEnd = now;
    this.current = null;
    this.open = null;
  }

  /** Task `task` occupies the thread from `from` to `to` (ms), computing or blocked in sync IO. */
  busy(kind: "run" | "blockingIO", task: string, from: number, to: number): void {
    const c = this.current;
    if (to <= from) return;
    const t = this.task(task, from);
    if (t.firstRun === null) t.firstRun = from;
    if (kind === "run") t.cpuTime += to - from;
    else t.blockingIOTime += to - from;
    t.lastEnd = to;
    const o = this.open;
    if (o && o.kind === kind && o.task === task && o.end === from) {
      o.end = to;
      return;
    }
    const label = c && c.task === task ? c.label : task;
    this.open = { kind, task, label, phase: c ? c.phase : "main", source: c ? c.source : "main", start: from, end: to };
    this.timeline.push(this.open);
  }

  idle(from: number, to: number, phase: LoopPhase): void {
    if (to <= from) return;
    this.timeline.push({ kind: "idle", task: "idle", label: "idle", phase, source: "idle", start: from, end: to });
  }

  log(text: string, task: string, phase: LoopPhase, now: number): void {
    this.logs.push({ time: now, task, text, phase });
  }

  /** False once the cap is reached (then the run is marked truncated): saves building the view. */
  wantsSnapshot(): boolean {
    if (this.snapshots.length < this.maxSnapshots) return true;
    this.snapshotsTruncated = true;
    return false;
  }

  snapshot(event: LoopSnapshot["event"], time: number, phase: LoopPhase, q: LoopQueueView): void {
    if (this.snapshots.length >= this.maxSnapshots) {
      this.snapshotsTruncated = true;
      return;
    }
    this.snapshots.push({ index: this.snapshots.length, time, phase, event, logCount: this.logs.length, ...q });
  }

  /** Per-task reports, in order of first appearance. */
  reports(): LoopTaskReport[] {
    const out: LoopTaskReport[] = [];
    for (const t of this.tasks.values()) {
      const stuck = t.async && t.running > 0;
      const completed = t.async ? t.settled : t.lastEnd;
      const r: LoopTaskReport = {
        name: t.name,
        index: t.index,
        async: t.async,
        created: t.created,
        firstRun: t.firstRun,
        completed: stuck ? null : completed,
        response: t.firstRun === null ? null : t.firstRun - t.created,
        turnaround: stuck || completed === null ? null : completed - t.created,
        cpuTime: t.cpuTime,
        blockingIOTime: t.blockingIOTime,
        status: stuck ? "stuck" : t.failed ? "failed" : "done",
      };
      if (stuck) r.awaiting = t.awaiting === null ? "(nothing: it never started)" : t.awaiting;
      out.push(r);
    }
    return out;
  }
}
