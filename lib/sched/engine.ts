/**
 * The scheduling engine, on top of lib/sim's clock and heap. Event order at one time: arrivals and IO completions
 * (URGENT), then ends of switches and CPU slices (NORMAL), then the scheduler's decision (LATE) — so a task that
 * arrives at the moment another one's quantum expires is queued first, as in OSTEP.
 */

import { checkOptions, describeValue, optInt } from "../errors/validate";
import { SimEnvironment } from "../sim/env";
import { LATE, NORMAL, URGENT } from "../sim/events";
import { deadlockReport } from "./deadlock";
import { SchedInputError } from "./errors";
import { type EngineDevice, type EngineTask, finishResult } from "./metrics";
import { makePolicy, type PolicyName, type SchedPolicyOptions } from "./policies/index";
import type {
  SchedDeadlock,
  SchedLockProtocol,
  SchedMachine,
  SchedPolicy,
  SchedPriorityChange,
  SchedResult,
  SchedSegment,
  SchedState,
  SchedStopReason,
  SchedTask,
  SchedTraceSegment,
} from "./types";
import { checkMachine, checkTasks } from "./validate";

/** Input of `runSchedule`: the workload, the machine (default 1 core), the policy (default FIFO) and its options. */
export interface SchedOptions extends SchedPolicyOptions {
  tasks: SchedTask[];
  machine?: Partial<SchedMachine>;
  policy?: PolicyName | SchedPolicy;
  /** How locks change priorities (PRIORITY policy only): "none" (default), "inheritance" or "ceiling". */
  lockProtocol?: SchedLockProtocol;
  /**
   * Most simulation events one run may process (default 2,000,000, a few seconds): a run that needs more stops with
   * a SchedInputError naming this option (e.g. a quantum far smaller than the tasks' lengths).
   */
  maxEvents?: number;
}

/** The keys runSchedule accepts (anything else is a typo, reported with the closest of these). */
export const SCHED_OPTION_KEYS = [
  "tasks",
  "machine",
  "policy",
  "quantum",
  "aging",
  "levels",
  "boost",
  "lockProtocol",
  "maxEvents",
] as const;
/** Default of `maxEvents`. */
export const DEFAULT_MAX_EVENTS = 2_000_000;

const PROTOCOLS: readonly SchedLockProtocol[] = ["none", "inheritance", "ceiling"];

const EPS = 1e-9;
const IDLE = 0,
  SWITCHING = 1,
  RUNNING = 2;

interface Core {
  id: number;
  task: EngineTask | null;
  phase: number;
  last: EngineTask | null;
  token: number;
  runStart: number;
  endsSeg: boolean;
  endsSlice: boolean;
}

/** Run `tasks` on `machine` under `policy`; returns per-task metrics, utilisation and the trace (times in ticks). */
export function runSchedule(opts: SchedOptions): SchedResult {
  if (opts === undefined || opts === null || typeof opts !== "object")
    throw new SchedInputError(
      `Expected an options object { tasks, machine?, policy? }, got ${describeValue(opts)}: ` +
        `pass e.g. { tasks: [task("A", [cpu(3)])] }.`,
    );
  checkOptions(SchedInputError, "runSchedule's options", opts, SCHED_OPTION_KEYS);
  const maxEvents = optInt(SchedInputError, "`maxEvents`", opts.maxEvents, DEFAULT_MAX_EVENTS, 1, 1e9);
  const machine = checkMachine(opts.machine);
  checkTasks(opts.tasks);
  const given = opts.policy;
  let policy: SchedPolicy;
  if (typeof given === "string") policy = makePolicy(given, opts);
  else if (given === undefined) policy = makePolicy("FIFO", opts);
  else {
    if (given === null || typeof given !== "object")
      throw new SchedInputError(
        `Expected \`policy\` to be a name (${"FIFO, RR, ..."}) or a SchedPolicy object, got ${describeValue(given)}.`,
      );
    policy = given;
    for (const f of ["pick", "slice", "preempts"] as const)
      if (typeof (policy as any)[f] !== "function")
        throw new SchedInputError(
          `Your policy object has no \`${f}\` function: a SchedPolicy needs pick, slice and preempts.`,
        );
  }
  const protocol = opts.lockProtocol ?? "none";
  if (!PROTOCOLS.includes(protocol))
    throw new SchedInputError(
      `Expected \`lockProtocol\` to be "none", "inheritance" or "ceiling", got ${describeValue(protocol)}: ` +
        `e.g. lockProtocol: "inheritance", or leave it out.`,
    );
  if (protocol !== "none" && (given === undefined || (typeof given === "string" && given.toUpperCase() !== "PRIORITY")))
    throw new SchedInputError(
      `lockProtocol "${protocol}" changes priorities, which only the PRIORITY policy reads (policy here: ` +
        `${String(given ?? "FIFO")}): add policy: "PRIORITY", or leave lockProtocol out.`,
    );
  return new Engine(machine, policy, opts.tasks, protocol).run(maxEvents);
}

/** Set by scheduleMakespan for the one Engine it makes: that run records no trace (see scheduleMakespan). */
let nextRunLean = false;

/**
 * @internal The makespan of `runSchedule(opts)` (same checks, same events, same result), without building the trace:
 * for sweeps that simulate thousands of runs and read only when the last task finished (chapter 08's maps). Half the
 * time or less with thousands of tasks: no trace segment is allocated, none sorted.
 */
export function scheduleMakespan(opts: SchedOptions): number {
  nextRunLean = true;
  try {
    return runSchedule(opts).makespan;
  } finally {
    nextRunLean = false;
  }
}

class Engine {
  private env = new SimEnvironment();
  /** No trace (scheduleMakespan): the result's trace is empty and its cores' utilisation 0; the times are exact. */
  private lean = nextRunLean;
  private tasks: EngineTask[];
  private cores: Core[] = [];
  private ready: EngineTask[] = [];
  private locks = new Map<string, { owner: EngineTask | null; waiters: EngineTask[] }>();
  private devices = new Map<string, EngineDevice>();
  private gilHolder: EngineTask | null = null;
  private trace: SchedTraceSegment[] = [];
  private switches = 0;
  private finished = 0;
  private arrived = 0;
  private dispatchPending = false;
  private wakeToken = 0;
  private wakeTime = Infinity;
  private deadlock: SchedDeadlock | null = null;
  private ceilings = new Map<string, number>();
  private changes: SchedPriorityChange[] = [];

  constructor(
    private m: SchedMachine,
    private policy: SchedPolicy,
    given: SchedTask[],
    private protocol: SchedLockProtocol = "none",
  ) {
    for (const t of given)
      for (const g of t.segments)
        if (g.kind === "lock") this.ceilings.set(g.lock, Math.max(this.ceilings.get(g.lock) ?? -Infinity, t.priority));
    this.tasks = given.map((t, id) => {
      const cpuTotal = t.segments.reduce((s, g) => s + (g.kind === "cpu" ? g.duration : 0), 0);
      return {
        id,
        name: t.name,
        priority: t.priority,
        base: t.priority,
        held: [],
        holding: undefined,
        arrival: t.arrival,
        cpuTotal,
        cpuLeft: cpuTotal,
        readySince: t.arrival,
        segs: t.segments,
        seg: 0,
        left: 0,
        state: "new",
        on: undefined,
        core: -1,
        since: t.arrival,
        lastSeg: -1,
        firstRun: NaN,
        firstOnCore: NaN,
        finish: NaN,
        sliceLeft: 0,
        ran: 0,
        time: { running: 0, ready: 0, io: 0, blocked: 0, switching: 0 },
      };
    });
    for (let i = 0; i < m.cores; i++)
      this.cores.push({
        id: i,
        task: null,
        phase: IDLE,
        last: null,
        token: 0,
        runStart: 0,
        endsSeg: false,
        endsSlice: false,
      });
    for (const [name, cap] of Object.entries(m.devices)) this.device(name, cap);
  }

  run(maxEvents = DEFAULT_MAX_EVENTS): SchedResult {
    for (const t of this.tasks) this.at(t.arrival, URGENT, () => this.arrive(t));
    const env = this.env;
    let events = 0;
    while (this.deadlock === null && env.pending > 0) {
      if (++events > maxEvents)
        throw new SchedInputError(
          `The run needed more than maxEvents = ${maxEvents.toLocaleString("en-US")} events (at time ` +
            `${this.now}): make the quantum / boost / aging larger compared with the tasks' lengths, use fewer or ` +
            `shorter tasks, or raise the \`maxEvents\` option.`,
        );
      env.step();
    }
    const end = this.deadlock ? this.deadlock.time : this.tasks.reduce((m, t) => Math.max(m, t.finish), 0);
    for (const t of this.tasks) if (t.state !== "done") this.setState(t, t.state, t.core, t.on, end);
    const result = finishResult(
      this.policy.name,
      this.m,
      this.tasks,
      [...this.devices.values()],
      this.trace,
      this.switches,
      end,
      this.deadlock,
    );
    if (this.protocol !== "none") result.priorityChanges = this.changes;
    return result;
  }

  private get now(): number {
    return this.env.now;
  }

  private at(delay: number, prio: number, fn: () => void): void {
    const ev = this.env.event();
    ev.callbacks = [fn];
    this.env.schedule(ev, delay, prio);
  }

  private device(name: string, cap = Infinity): EngineDevice {
    let d = this.devices.get(name);
    if (!d) this.devices.set(name, (d = { name, cap, busy: 0, queue: [], service: 0, busyTime: 0, busySince: 0 }));
    return d;
  }

  /** Append the interval of `t` in state `s` that ends at `now` to the trace, merged with an adjacent equal one. */
  private record(t: EngineTask, s: SchedState, now: number): void {
    const last = t.lastSeg >= 0 ? this.trace[t.lastSeg] : null;
    const same = last && last.state === s && last.core === t.core && last.on === t.on && last.holds === t.holding;
    if (same && last.end === t.since) last.end = now;
    else {
      t.lastSeg = this.trace.length;
      const seg: SchedTraceSegment = { task: t.id, name: t.name, core: t.core, start: t.since, end: now, state: s };
      if (t.on !== undefined) seg.on = t.on;
      if (t.holding !== undefined) seg.holds = t.holding;
      this.trace.push(seg);
    }
  }

  /** Close the task's current interval (recording it, merged with an adjacent equal one) and enter a new state. */
  private setState(
    t: EngineTask,
    state: EngineTask["state"],
    core: number,
    on: string | undefined,
    now = this.now,
  ): void {
    const s = t.state;
    if (now > t.since && s !== "new" && s !== "done") {
      t.time[s] += now - t.since;
      if (!this.lean) this.record(t, s, now);
    }
    t.state = state;
    t.core = core;
    t.on = on;
    t.since = now;
    t.holding = state === "running" && t.held.length > 0 ? t.held.join(", ") : undefined;
  }

  private arrive(t: EngineTask): void {
    this.arrived++;
    this.proceed(t);
    this.requestDispatch();
  }

  /** Off the core: run zero-time segments, then queue for a core, or wait. */
  private proceed(t: EngineTask): void {
    if (this.advance(t, false) === "cpu") this.makeReady(t);
  }

  /** From the current segment on: handle locks, unlocks, yields and IO; stop at CPU work or when the task must wait. */
  private advance(t: EngineTask, onCore: boolean): "cpu" | "yield" | "io" | "lock" | "done" {
    for (;;) {
      const s: SchedSegment | undefined = t.segs[t.seg];
      if (s === undefined) {
        t.finish = this.now;
        this.finished++;
        this.setState(t, "done", -1, undefined);
        return "done";
      }
      if (s.kind === "cpu") {
        if (s.duration > 0) {
          t.left = s.duration;
          return "cpu";
        }
      } else if (s.kind === "io") {
        if (s.duration > 0) {
          this.startIo(t, s.device, s.duration);
          return "io";
        }
      } else if ((s.kind === "lock" || s.kind === "unlock") && !onCore) {
        // Taking or releasing a lock is an instruction: the task needs a core to execute it.
        t.left = 0;
        return "cpu";
      } else if (s.kind === "lock") {
        let l = this.locks.get(s.lock);
        if (!l) this.locks.set(s.lock, (l = { owner: null, waiters: [] }));
        if (l.owner !== null) {
          l.waiters.push(t);
          this.setState(t, "blocked", -1, s.lock);
          this.protocolUpdate(s.lock);
          return "lock";
        }
        l.owner = t;
        t.held.push(s.lock);
        this.heldChanged(t);
        this.protocolUpdate(s.lock);
      } else if (s.kind === "unlock") {
        const l = this.locks.get(s.lock)!;
        const next = l.waiters.shift();
        l.owner = next ?? null;
        t.held.splice(t.held.indexOf(s.lock), 1);
        this.heldChanged(t);
        if (next) {
          next.held.push(s.lock);
          next.seg++;
          this.proceed(next);
        }
        this.protocolUpdate(s.lock);
      } else if (s.kind === "yield" && onCore) {
        t.seg++;
        return "yield";
      }
      t.seg++;
    }
  }

  /** A running task took or released a lock: start a new trace interval so that `holds` stays exact. */
  private heldChanged(t: EngineTask): void {
    if (t.state === "running") this.setState(t, "running", t.core, undefined);
  }

  /**
   * Lock protocols: recompute every task's effective priority from its own and the locks' state (a fixpoint, so that
   * inheritance is transitive), and record each change.
   */
  private protocolUpdate(lock: string): void {
    if (this.protocol === "none") return;
    const p = new Map<EngineTask, number>(this.tasks.map((t) => [t, t.base]));
    for (let changed = true, guard = this.tasks.length + 1; changed && guard > 0; guard--) {
      changed = false;
      for (const [name, l] of this.locks) {
        if (l.owner === null) continue;
        const want =
          this.protocol === "ceiling"
            ? this.ceilings.get(name)!
            : Math.max(-Infinity, ...l.waiters.map((w) => p.get(w)!));
        if (want > p.get(l.owner)!) {
          p.set(l.owner, want);
          changed = true;
        }
      }
    }
    for (const t of this.tasks) {
      const now = p.get(t)!;
      if (now === t.priority) continue;
      t.priority = now;
      this.changes.push({ time: this.now, task: t.name, priority: now, base: t.base, lock });
    }
  }

  private startIo(t: EngineTask, name: string, d: number): void {
    const dev = this.device(name, this.m.devices[name]);
    if (dev.busy < dev.cap) this.serve(dev, t, d);
    else {
      dev.queue.push({ t, d });
      this.setState(t, "blocked", -1, name);
    }
  }

  private serve(dev: EngineDevice, t: EngineTask, d: number): void {
    if (dev.busy++ === 0) dev.busySince = this.now;
    dev.service += d;
    this.setState(t, "io", -1, dev.name);
    this.at(d, URGENT, () => {
      if (--dev.busy === 0) dev.busyTime += this.now - dev.busySince;
      const next = dev.queue.shift();
      if (next) this.serve(dev, next.t, next.d);
      t.seg++;
      this.proceed(t);
      this.requestDispatch();
    });
  }

  private makeReady(t: EngineTask): void {
    this.ready.push(t);
    t.readySince = this.now;
    const gil = this.m.gil && this.gilHolder !== null;
    this.setState(t, gil ? "blocked" : "ready", -1, gil ? "GIL" : undefined);
  }

  /** With a GIL, tasks waiting to compute while another holds it are shown blocked on "GIL". */
  private gilChanged(): void {
    const held = this.gilHolder !== null;
    for (const t of this.ready) this.setState(t, held ? "blocked" : "ready", -1, held ? "GIL" : undefined);
  }

  private requestDispatch(): void {
    if (this.dispatchPending) return;
    this.dispatchPending = true;
    this.at(0, LATE, this.dispatchNow);
  }

  /** dispatch as one callback made once (a dispatch is requested after nearly every event). */
  private dispatchNow = () => this.dispatch();

  private pickIndex(): number {
    const i = this.policy.pick(this.ready, this.now);
    if (!Number.isInteger(i) || i < 0 || i >= this.ready.length)
      throw new SchedInputError(
        `Policy ${this.policy.name}: pick() returned ${i}; it must return an index into the ready list (0 to ${this.ready.length - 1}).`,
      );
    return i;
  }

  private syncRunning(core: Core): void {
    const t = core.task!;
    const ran = this.now - core.runStart;
    if (ran <= 0) return;
    t.left -= ran;
    t.cpuLeft -= ran;
    t.sliceLeft -= ran;
    t.ran += ran;
    core.runStart = this.now;
  }

  /** The first idle core (by id) that last ran `last`, or with `last` null the first idle core; null if none. */
  private firstIdle(last: EngineTask | null): Core | null {
    const cores = this.cores;
    for (let i = 0; i < cores.length; i++) {
      const c = cores[i];
      if (c.task === null && (last === null || c.last === last)) return c;
    }
    return null;
  }

  private dispatch(): void {
    this.dispatchPending = false;
    for (const c of this.cores) if (c.phase === RUNNING) this.syncRunning(c);
    while (this.ready.length > 0 && !(this.m.gil && this.gilHolder !== null)) {
      const idle = this.firstIdle(null);
      if (idle === null) break;
      // shift() for the head (FIFO, RR, cooperative): V8 trims the array's front in place, where splice(0, 1) moves
      // every element, which made thousands of runnable threads quadratic (chapter 08's maps, 4,096 threads).
      const pick = this.pickIndex();
      const t = pick === 0 ? this.ready.shift()! : this.ready.splice(pick, 1)[0];
      this.start(this.firstIdle(t) ?? idle, t);
    }
    let guard = this.tasks.length + this.cores.length + 1;
    while (this.ready.length > 0) {
      const i = this.pickIndex();
      const cand = this.ready[i];
      let victim: Core | null = null;
      for (const c of this.cores)
        if (c.phase === RUNNING && this.policy.preempts(cand, c.task!, this.now))
          if (victim === null || this.policy.preempts(victim.task!, c.task!, this.now)) victim = c;
      if (victim === null) break;
      if (--guard < 0)
        throw new SchedInputError(
          `Policy ${this.policy.name} keeps preempting in a circle at t=${this.now}: preempts(a, b) and preempts(b, a) must not both be true.`,
        );
      this.ready.splice(i, 1);
      const old = victim.task!;
      this.leave(victim, "preempted");
      this.makeReady(old);
      this.start(victim, cand);
    }
    this.checkDeadlock();
    this.scheduleWake();
  }

  private start(core: Core, t: EngineTask): void {
    core.task = t;
    if (this.m.gil) {
      this.gilHolder = t;
      this.gilChanged();
    }
    const switched = core.last !== null && core.last !== t;
    core.last = t;
    if (switched) this.switches++;
    const q = this.policy.slice(t, this.now);
    if (!(q > 0))
      throw new SchedInputError(
        `Policy ${this.policy.name}: slice() returned ${q} for task "${t.name}"; it must be a number of ticks > 0 (Infinity for no limit).`,
      );
    t.sliceLeft = q;
    t.ran = 0;
    if (switched && this.m.switchCost > 0) {
      core.phase = SWITCHING;
      this.setState(t, "switching", core.id, undefined);
      const tok = ++core.token;
      this.at(this.m.switchCost, NORMAL, () => {
        if (core.token !== tok) return;
        this.beginRun(core);
        this.requestDispatch();
      });
    } else this.beginRun(core);
  }

  private beginRun(core: Core): void {
    const t = core.task!;
    core.phase = RUNNING;
    this.setState(t, "running", core.id, undefined);
    if (Number.isNaN(t.firstOnCore)) t.firstOnCore = this.now;
    this.policy.started?.(t, this.now);
    core.runStart = this.now;
    if (t.left === 0) {
      // Dispatched at a lock / unlock: execute it now (it may block and free the core again).
      this.continueOnCore(core);
      this.requestDispatch();
    } else this.armSlice(core);
  }

  private armSlice(core: Core): void {
    const t = core.task!;
    if (Number.isNaN(t.firstRun)) t.firstRun = this.now; // response counts from the first tick of real work
    const d = Math.min(t.left, t.sliceLeft);
    core.endsSeg = d === t.left;
    core.endsSlice = d === t.sliceLeft;
    const tok = ++core.token;
    this.at(d, NORMAL, () => {
      if (core.token === tok) this.sliceEnd(core);
    });
  }

  private sliceEnd(core: Core): void {
    this.syncRunning(core);
    const t = core.task!;
    if (core.endsSeg) {
      t.cpuLeft -= t.left;
      t.left = 0;
    }
    if (core.endsSlice) t.sliceLeft = 0;
    if (t.left > EPS) {
      this.leave(core, "expired");
      this.makeReady(t);
    } else {
      t.left = 0;
      t.seg++;
      this.continueOnCore(core);
    }
    this.requestDispatch();
  }

  /**
   * The task on `core` is between segments: go on computing, or leave the core (quantum used up, IO, lock, yield, end).
   */
  private continueOnCore(core: Core): void {
    const t = core.task!;
    const r = this.advance(t, true);
    if (r === "cpu") {
      if (t.sliceLeft > EPS) this.armSlice(core);
      else {
        this.leave(core, "expired");
        this.makeReady(t);
      }
    } else {
      this.leave(core, r);
      if (r === "yield") this.proceed(t);
    }
  }

  private leave(core: Core, why: SchedStopReason): void {
    const t = core.task!;
    core.task = null;
    core.phase = IDLE;
    core.token++;
    this.policy.stopped?.(t, t.ran, why, this.now);
    if (this.m.gil && this.gilHolder === t) {
      this.gilHolder = null;
      this.gilChanged();
    }
  }

  private scheduleWake(): void {
    if (!this.policy.wakeAt || this.finished === this.tasks.length || this.deadlock) return;
    const running = this.cores.filter((c) => c.phase === RUNNING).map((c) => c.task!);
    const w = this.policy.wakeAt(this.now, this.ready, running);
    if (!(w > this.now) || w === Infinity) {
      this.wakeToken++;
      this.wakeTime = Infinity;
      return;
    }
    if (w === this.wakeTime) return;
    this.wakeTime = w;
    const tok = ++this.wakeToken;
    this.at(w - this.now, LATE, () => {
      if (tok !== this.wakeToken) return;
      this.wakeTime = Infinity;
      this.policy.onWake?.(this.now);
      this.dispatch();
    });
  }

  private checkDeadlock(): void {
    if (this.finished === this.tasks.length || this.arrived < this.tasks.length || this.ready.length > 0) return;
    for (const c of this.cores) if (c.task !== null) return;
    for (const d of this.devices.values()) if (d.busy > 0) return;
    this.deadlock = deadlockReport(this.now, this.tasks, this.locks);
  }
}

export type { SchedState };
