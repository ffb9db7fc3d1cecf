/**
 * Replays a schedule string exactly: the step-by-step table of seed 000 (order, thread, step, registers, shared
 * cells) and a full snapshot per step for a live step-through display. It is the run loop of ./scheduler driven by
 * `replayScheduler(schedule)`, with a hook that records every step.
 */
import { InterleaveScheduleError } from "./errors";
import { InterleaveMachine } from "./machine";
import { type InterleaveProgram, setOwn } from "./program";
import { formatSchedule, parseScheduleWakes } from "./schedule";
import { pickError, replayScheduler, runMachine } from "./scheduler";

/** The whole machine state at one moment. */
export interface InterleaveSnapshot {
  /** Next step index (0-based) of each thread; equal to its length when finished. */
  pcs: number[];
  /** Per thread: what it does next ("" when finished) and whether it can run now. */
  next: { text: string; status: "ready" | "blocked" | "finished" | "fault" }[];
  registers: Record<string, number>[];
  cells: Record<string, number>;
  /** Mutex → holder thread name, or null when free. */
  locks: Record<string, string | null>;
  /** Semaphore → value (empty when the program has none). */
  semaphores: Record<string, number>;
  /** Condition variable → names of the threads asleep on it (empty when the program has none). */
  asleep: Record<string, string[]>;
}

/** One row of the interleaving table: the state right after step `order`. */
export interface InterleaveReplayStep {
  /** 1-based position in the schedule. */
  order: number;
  /** 0-based thread index and its name ("T1"). */
  thread: number;
  threadName: string;
  /** The step as written, e.g. `r = counter`. */
  text: string;
  /** Registers of the thread that moved, after the step. */
  registers: Record<string, number>;
  cells: Record<string, number>;
  /** Threads this step woke (a signal: at most one; a broadcast: every sleeper); set only when it woke some. */
  woke?: string[];
  after: InterleaveSnapshot;
}

export interface InterleaveReplay {
  schedule: string;
  threadNames: string[];
  cellNames: string[];
  initial: InterleaveSnapshot;
  steps: InterleaveReplayStep[];
  /** running: some thread can still move; done: all finished; deadlock: none can move; fault: e.g. unlock not held. */
  status: "running" | "done" | "deadlock" | "fault";
  /** Outcome key (as in explore's histogram) when the run has ended, else null. */
  outcome: string | null;
  final: InterleaveSnapshot;
}

function snapshot(m: InterleaveMachine, v: Int32Array): InterleaveSnapshot {
  const owners = m.owners(v);
  const locks: Record<string, string | null> = {};
  for (const mu of m.mutexNames) setOwn(locks, mu, owners[mu] >= 0 ? m.names[owners[mu]] : null);
  const asleep: Record<string, string[]> = {};
  for (const c of m.condNames) setOwn(asleep, c, []);
  m.names.forEach((n, t) => {
    const c = m.sleepsOn(v, t);
    if (c !== null) asleep[c].push(n);
  });
  const next = m.names.map((_, t) => {
    const b = m.block(v, t);
    return { text: m.nextText(v, t), status: b === null ? ("ready" as const) : b };
  });
  return {
    pcs: m.names.map((_, t) => v[t]),
    next,
    registers: m.names.map((_, t) => m.registers(v, t)),
    cells: m.cells(v),
    locks,
    semaphores: m.semaphores(v),
    asleep,
  };
}

/** Threads (0-based) asleep at `before` and woken at `after` (their wait phase went from asleep to woken). */
function wokenBy(m: InterleaveMachine, before: Int32Array, after: Int32Array): number[] {
  const w: number[] = [];
  if (m.waitOff < 0) return w;
  for (let u = 0; u < m.nThreads; u++) if (before[m.waitOff + u] > 0 && after[m.waitOff + u] < 0) w.push(u);
  return w;
}

/**
 * Runs the schedule (1-based thread numbers, e.g. "1 1 2 2 1 2") and returns every step; bad entries throw
 * InterleaveScheduleError.
 */
export function replay(program: InterleaveProgram, schedule: string | readonly number[]): InterleaveReplay {
  const m = new InterleaveMachine(program);
  const { threads: order, wakes } = parseScheduleWakes(schedule, m.nThreads);
  const initial = snapshot(m, m.initial());
  const steps: InterleaveReplayStep[] = [];
  const record = (before: Int32Array, t: number, after: Int32Array) => {
    const i = steps.length;
    const woke = wokenBy(m, before, after);
    if (wakes[i] >= 0 && !(m.isSignal(before, t) && woke.length === 1 && woke[0] === wakes[i])) {
      const what = m.isSignal(before, t)
        ? `its \`${m.nextText(before, t)}\` ${woke.length ? `wakes ${m.names[woke[0]]}` : "has nobody to wake"}`
        : `its step \`${m.nextText(before, t)}\` is no signal`;
      throw new InterleaveScheduleError(
        i + 1,
        `Position ${i + 1} of the schedule is "${t + 1}>${wakes[i] + 1}", but ${m.names[wakes[i]]} cannot be ` +
          `woken there: ${what}. Write just "${t + 1}" (">" names the sleeper a signal wakes when it has a choice).`,
      );
    }
    const row: InterleaveReplayStep = {
      order: i + 1,
      thread: t,
      threadName: m.names[t],
      text: m.nextText(before, t),
      registers: m.registers(after, t),
      cells: m.cells(after),
      after: snapshot(m, after),
    };
    if (woke.length > 0) row.woke = woke.map((u) => m.names[u]);
    steps.push(row);
  };
  const subject = (thread: unknown, position: number) => `Position ${position} of the schedule names thread ${thread}`;
  const v = runMachine(m, replayScheduler(schedule), order.length, 1, { onStep: record, subject }).state;
  const i = steps.length;
  if (i < order.length) throw pickError(m, v, order[i] + 1, i + 1, subject(order[i] + 1, i + 1)); // the run ended early
  let status: InterleaveReplay["status"] = "running";
  let outcome: string | null = null;
  if (!m.names.some((_, t) => m.canRun(v, t))) {
    const oc = m.outcome(v);
    status = oc.kind;
    outcome = oc.key;
  }
  return {
    schedule: formatSchedule(order, wakes),
    threadNames: m.names.slice(),
    cellNames: m.cellNames.slice(),
    initial,
    steps,
    status,
    outcome,
    final: snapshot(m, v),
  };
}
