/** From the engine's final state to a SchedResult: per-task times, utilisation, averages (all in ticks). */
import type { SchedDeadlock, SchedMachine, SchedResult, SchedSegment, SchedState, SchedTraceSegment } from "./types";

/** @internal the engine's record of one task (also what policies see, through SchedTaskView). */
export interface EngineTask {
  id: number;
  name: string;
  /** Effective priority (what policies see); `base` is the task's own, given priority. */
  priority: number;
  base: number;
  /** Locks held, in the order taken (for the trace's `holds` and the lock protocols). */
  held: string[];
  /** `held` joined, as it was when the current trace interval began (running only). */
  holding: string | undefined;
  arrival: number;
  cpuTotal: number;
  cpuLeft: number;
  readySince: number;
  segs: SchedSegment[];
  seg: number;
  left: number;
  state: SchedState | "new" | "done";
  on: string | undefined;
  core: number;
  since: number;
  lastSeg: number;
  /** First time the task started computing (a dispatch that only tries a lock and blocks does not count). */
  firstRun: number;
  /** First time the task was on a core at all (used when it never computes). */
  firstOnCore: number;
  finish: number;
  sliceLeft: number;
  ran: number;
  time: Record<SchedState, number>;
}

/** @internal an IO device in the engine. */
export interface EngineDevice {
  name: string;
  cap: number;
  busy: number;
  queue: { t: EngineTask; d: number }[];
  service: number;
  busyTime: number;
  busySince: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

const first = (t: EngineTask): number => (Number.isNaN(t.firstRun) ? t.firstOnCore : t.firstRun);

/** @internal */
export function finishResult(
  policy: string,
  machine: SchedMachine,
  tasks: EngineTask[],
  devices: EngineDevice[],
  trace: SchedTraceSegment[],
  contextSwitches: number,
  makespan: number,
  deadlock: SchedDeadlock | null,
): SchedResult {
  // A task with no CPU work that never sat on a core is first served by a device: its response ends there
  // (otherwise its response time would be NaN).
  const firstIo = new Map<number, number>();
  for (const s of trace) if (s.state === "io") firstIo.set(s.task, Math.min(firstIo.get(s.task) ?? s.start, s.start));
  const firstServed = (t: EngineTask): number => {
    const f = first(t);
    return Number.isNaN(f) ? (firstIo.get(t.id) ?? f) : f;
  };
  const rows = tasks.map((t) => {
    const done = t.state === "done";
    const io = t.segs.reduce((s, g) => s + (g.kind === "io" ? g.duration : 0), 0);
    const turnaround = done ? t.finish - t.arrival : NaN;
    return {
      name: t.name,
      arrival: t.arrival,
      priority: t.base,
      cpu: t.cpuTotal,
      io,
      firstRun: firstServed(t),
      finish: t.finish,
      response: firstServed(t) - t.arrival,
      turnaround,
      wait: turnaround - t.cpuTotal - io,
      ready: t.time.ready,
      switching: t.time.switching,
      blocked: t.time.blocked,
      done,
    };
  });
  const fin = rows.filter((r) => r.done);
  trace.sort((a, b) => a.start - b.start || a.task - b.task || a.end - b.end);
  const cores = Array.from({ length: machine.cores }, (_, core) => ({
    core,
    running: 0,
    switching: 0,
    utilisation: 0,
  }));
  for (const s of trace) {
    if (s.state === "running") cores[s.core].running += s.end - s.start;
    else if (s.state === "switching") cores[s.core].switching += s.end - s.start;
  }
  for (const c of cores) c.utilisation = makespan > 0 ? (c.running + c.switching) / makespan : 0;
  return {
    policy,
    machine,
    tasks: rows,
    averages: {
      response: mean(fin.map((r) => r.response)),
      turnaround: mean(fin.map((r) => r.turnaround)),
      wait: mean(fin.map((r) => r.wait)),
    },
    cores,
    devices: devices.map((d) => ({
      device: d.name,
      capacity: d.cap,
      serviceTime: d.service,
      busyTime: d.busyTime,
      utilisation: makespan > 0 ? (d.cap === Infinity ? d.busyTime : d.service / d.cap) / makespan : 0,
    })),
    makespan,
    throughput: makespan > 0 ? fin.length / makespan : 0,
    contextSwitches,
    trace,
    deadlock,
  };
}
