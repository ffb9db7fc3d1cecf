/**
 * The loop itself: one thread, a simulated clock, and Node's queues and phases.
 *
 *   main script (or an IO callback) → [timers → poll (IO callbacks, or wait) → check (setImmediate)] repeated
 *
 * After every callback taken from a phase queue the loop drains process.nextTick callbacks, then promise
 * microtasks, and repeats until both are empty (Node's processTicksAndRejections). Timers follow Node's
 * own bookkeeping: one list per delay, the phase sees the clock as it was when the phase began, so a timer
 * created or coming due during the phase waits for the next turn.
 */
import type { LoopPromise, LoopPromiseHost } from "./promise";
import { LoopRecorder } from "./recorder";
import { type LoopJob as Job, NodeTimerLists, type TimerJob, type TimerList } from "./timers";
import type { LoopCrash, LoopOptions, LoopPhase, LoopQueueItem, LoopQueueView, LoopRace, LoopRun } from "./types";
import { EventLoopError, EventLoopInputError, EventLoopRunawayError } from "./types";

interface IoJob extends Job {
  started: number;
  completes: number;
  seq: number;
}

/** Thrown to unwind the loop when a user callback throws (real Node would exit). */
class CrashSignal {
  constructor(readonly crash: LoopCrash) {}
}

/** Check that `ms` is a finite number ≥ 0; `what` names the argument in the message. */
export function checkMs(ms: unknown, what: string, hint: string): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new EventLoopInputError(`Expected ${what} to be a number of milliseconds ≥ 0, got ${String(ms)}: ${hint}`);
  }
  return ms;
}

export class LoopEngine implements LoopPromiseHost {
  now = 0;
  phase: LoopPhase = "main";
  steps = 0;
  readonly rec: LoopRecorder;
  private readonly maxSteps: number;
  private nextTicks: Job[] = [];
  private microtasks: Job[] = [];
  private timers = new NodeTimerLists();
  private immediates: (Job & { id: number; cleared: boolean })[] = [];
  private io: IoJob[] = [];
  private stack: Job[] = [];
  private taskName = "main";
  private ids = 0;
  private promiseIds = 0;
  private rejections = new Set<LoopPromise<unknown>>();
  private races: LoopRace[] = [];

  constructor(private readonly opts: Required<LoopOptions>) {
    this.maxSteps = opts.maxSteps;
    this.rec = new LoopRecorder(opts.maxSnapshots);
    this.rec.task("main", 0);
  }

  /** One step of work; throws `EventLoopRunawayError` past the cap. */
  step(): void {
    if (++this.steps > this.maxSteps) {
      throw new EventLoopRunawayError(
        `The program ran more than ${this.maxSteps} steps (callbacks + API calls) and had reached t = ${this.now} ms: ` +
          `it may never stop (an interval never cleared, a callback that always reschedules itself, a microtask that queues another). ` +
          `If it is meant to be this long, pass a larger cap, e.g. { maxSteps: ${this.maxSteps * 10} }.`,
      );
    }
  }

  // ---- LoopPromiseHost
  currentTask(): string {
    return this.taskName;
  }
  newPromiseId(): number {
    return ++this.promiseIds;
  }
  enqueueMicrotask(label: string, task: string, run: () => void): void {
    this.microtasks.push({ label, task, source: "microtask", run });
  }
  trackRejection(p: LoopPromise<unknown>, handled: boolean): void {
    if (handled) this.rejections.delete(p);
    else this.rejections.add(p);
  }

  // ---- queues
  withTask<T>(name: string, f: () => T): T {
    const prev = this.taskName;
    this.taskName = name;
    try {
      return f();
    } finally {
      this.taskName = prev;
    }
  }

  addNextTick(label: string, run: () => void): void {
    this.nextTicks.push({ label, task: this.taskName, source: "nextTick", run });
  }

  /** setTimeout / setInterval; `ms` already validated. Node turns a delay below 1 ms into 1 ms. */
  addTimer(label: string, run: () => void, ms: number, repeat: boolean): number {
    const msecs = Math.max(ms, 1);
    const t: TimerJob = {
      id: ++this.ids,
      label,
      task: this.taskName,
      source: "timer",
      run,
      msecs,
      start: this.now,
      repeat,
      cleared: false,
    };
    this.timers.add(t);
    return t.id;
  }

  clearTimer(id: unknown): void {
    const t = this.timers.clear(id);
    if (t) this.rec.waits.push({ kind: "timer", task: t.task, label: t.label, start: t.start, end: this.now });
  }

  addImmediate(label: string, run: () => void): number {
    const id = ++this.ids;
    this.immediates.push({ id, label, task: this.taskName, source: "immediate", run, cleared: false });
    return id;
  }

  clearImmediate(id: unknown): void {
    for (const im of this.immediates) if (im.id === id) im.cleared = true;
  }

  /** An IO operation that completes `ms` from now; `done` runs as a poll-phase callback. */
  addIo(label: string, ms: number, done: () => void): void {
    const j: IoJob = {
      label,
      task: this.taskName,
      source: "io",
      run: done,
      started: this.now,
      completes: this.now + ms,
      seq: ++this.ids,
    };
    let i = this.io.length;
    while (i > 0 && this.io[i - 1].completes > j.completes) i--;
    this.io.splice(i, 0, j);
  }

  // ---- work inside a callback
  busy(kind: "run" | "blockingIO", ms: number): void {
    const from = this.now;
    this.now += ms;
    this.rec.busy(kind, this.taskName, from, this.now);
  }

  log(text: string): void {
    this.rec.log(text, this.taskName, this.phase, this.now);
  }

  // ---- running callbacks
  private runJob(j: Job): void {
    this.step();
    this.rec.beginCallback(j.label, j.task, j.source, this.phase, this.now);
    this.stack.push(j);
    this.snap("start");
    const prev = this.taskName;
    this.taskName = j.task;
    try {
      j.run();
    } catch (e) {
      if (e instanceof EventLoopError || e instanceof CrashSignal) throw e;
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new CrashSignal({ time: this.now, task: j.task, label: j.label, message });
    } finally {
      this.taskName = prev;
      this.stack.pop();
    }
    this.rec.endCallback(this.now);
    this.snap("end");
  }

  /** Drain nextTicks then microtasks until both are empty. */
  private drain(): void {
    do {
      let j: Job | undefined;
      while ((j = this.nextTicks.shift())) this.runJob(j);
      while ((j = this.microtasks.shift())) this.runJob(j);
    } while (this.nextTicks.length > 0);
  }

  private runMacrotask(j: Job): void {
    this.runJob(j);
    this.drain();
  }

  /**
   * A timer due within 1 ms of the clock while immediates or IO callbacks are ready: real Node's whole-ms clock
   * decides by sub-millisecond timing whether it runs before them. Record it; with `timerRace: "fire"` move the
   * clock to its due time (a whole ms passed unnoticed) so that it runs in this phase.
   */
  private checkTimerRace(): void {
    const list = this.timers.first();
    if (!list || !(list.expiry > this.now && list.expiry <= this.now + 1)) return;
    const others = [
      ...this.immediates.filter((i) => !i.cleared).map((i) => i.label),
      ...this.io.slice(0, this.readyIo()).map((j) => j.label),
    ];
    if (others.length === 0) return;
    const due = this.timers.all().filter((t) => t.start + t.msecs <= list.expiry);
    const resolvedAs = this.opts.timerRace;
    this.races.push({ time: this.now, timers: due.map((t) => t.label), others, resolvedAs });
    if (resolvedAs === "fire") this.now = list.expiry;
  }

  private timersPhase(): void {
    this.phase = "timers";
    this.checkTimerRace();
    const now = this.now; // Node's processTimers(now): the clock as the phase began
    let list: TimerList | undefined;
    while ((list = this.timers.first()) && list.expiry <= now) {
      let t: TimerJob | undefined;
      while ((t = list.timers[0])) {
        if (now - t.start < list.msecs) {
          this.timers.postpone(list, now);
          break;
        }
        this.timers.shift(list);
        const due = t.start + t.msecs;
        this.rec.waits.push({ kind: "timer", task: t.task, label: t.label, start: t.start, end: this.now });
        this.rec.timerLags.push({ label: t.label, task: t.task, due, fired: this.now, lag: this.now - due });
        const restart = this.now;
        this.runMacrotask(t);
        if (t.repeat && !t.cleared) {
          t.start = restart;
          this.timers.add(t);
        }
      }
      this.timers.dropIfEmpty(list);
    }
  }

  /** IO completions are kept sorted by completion time: the ready ones are a prefix. */
  private readyIo(): number {
    let k = 0;
    while (k < this.io.length && this.io[k].completes <= this.now) k++;
    return k;
  }

  private pollPhase(): void {
    this.phase = "poll";
    let k = this.readyIo();
    if (k === 0 && !this.immediates.some((i) => !i.cleared)) {
      // Block until the first IO completion or the next timer, whichever comes first.
      const wake = Math.min(this.timers.nextDue(), this.io.length > 0 ? this.io[0].completes : Infinity);
      if (wake === Infinity) return;
      if (wake > this.now) {
        this.rec.idle(this.now, wake, "poll");
        this.now = wake;
        this.snap("idle");
      }
      k = this.readyIo();
    }
    for (const j of this.io.splice(0, k)) {
      this.rec.waits.push({ kind: "io", task: j.task, label: j.label, start: j.started, end: j.completes });
      this.runMacrotask(j);
    }
  }

  private checkPhase(): void {
    this.phase = "check";
    const batch = this.immediates;
    this.immediates = [];
    for (const im of batch) if (!im.cleared) this.runMacrotask(im);
  }

  private alive(): boolean {
    return this.timers.size > 0 || this.io.length > 0 || this.immediates.some((i) => !i.cleared);
  }

  // ---- snapshots
  private snap(event: "start" | "end" | "idle" | "done"): void {
    if (this.rec.wantsSnapshot()) this.rec.snapshot(event, this.now, this.phase, this.queueView());
  }

  private queueView(): LoopQueueView {
    const item = (j: Job, at?: number): LoopQueueItem =>
      at === undefined ? { label: j.label, task: j.task } : { label: j.label, task: j.task, at };
    const timers = this.timers.all();
    return {
      stack: this.stack.map((j) => item(j)),
      nextTicks: this.nextTicks.map((j) => item(j)),
      microtasks: this.microtasks.map((j) => item(j)),
      timers: timers.map((t) => item(t, t.start + t.msecs)),
      immediates: this.immediates.filter((i) => !i.cleared).map((j) => item(j)),
      io: this.io.map((j) => item(j, j.completes)),
    };
  }

  /** Run `body` as the main script (or as an IO callback), then the loop until nothing is left. */
  run(body: () => void): LoopRun {
    const fromIo = this.opts.start === "io";
    this.phase = fromIo ? "poll" : "main";
    const main: Job = {
      label: fromIo ? "IO callback (program)" : "main script",
      task: "main",
      source: fromIo ? "io" : "main",
      run: body,
    };
    let crash: LoopCrash | null = null;
    try {
      if (!fromIo && this.opts.module === "esm") {
        // An ES module body runs inside a promise job: the jobs it queued run before any nextTick.
        this.runJob(main);
        let j: Job | undefined;
        while ((j = this.microtasks.shift())) this.runJob(j);
        this.drain();
      } else this.runMacrotask(main);
      if (fromIo) this.checkPhase();
      while (this.alive()) {
        this.timersPhase();
        this.pollPhase();
        this.checkPhase();
      }
    } catch (e) {
      if (!(e instanceof CrashSignal)) throw e;
      crash = e.crash;
      this.rec.endCallback(this.now);
    }
    this.snap("done");
    return this.result(crash);
  }

  private result(crash: LoopCrash | null): LoopRun {
    const rec = this.rec;
    const tasks = rec.reports();
    const stuck = [];
    for (const t of rec.tasks.values()) {
      if (t.async && t.running > 0 && !crash)
        stuck.push({ task: t.name, awaiting: t.awaiting ?? "(never started)", since: t.awaitingSince });
    }
    return {
      logs: rec.logs,
      order: rec.logs.map((l) => l.text),
      callbacks: rec.callbacks,
      timeline: rec.timeline,
      waits: rec.waits.sort((a, b) => a.start - b.start || a.end - b.end),
      timerLags: rec.timerLags,
      snapshots: rec.snapshots,
      snapshotsTruncated: rec.snapshotsTruncated,
      tasks,
      stuck,
      races: this.races,
      crash,
      unhandledRejections: [...this.rejections].map((p) => p.label),
      endTime: this.now,
      steps: this.steps,
    };
  }
}
