// Benchmark of the discrete-event engine and the scheduling simulator: `npm run bench sim`.
// Prints events per second (real time) — a speed goal, never asserted in tests.
//
// The timeout loop runs side by side with SimPy (bench/sim_simpy.py, the same model) when `python3` on PATH imports
// SimPy ≥ 3; SIMPY_PATH, if set, is put in front of PYTHONPATH (e.g. a SimPy source checkout's src/ folder).
// Goal: lib/sim processes ≥ 5× SimPy's events per second at 1, 100 and 1,000 processes, by wall clock (best of 5
// runs each, the two engines' runs alternating). The ratio by CPU time (each process's own CPU seconds; Node's include
// its GC and compiler threads) is printed beside it: on a machine shared with other work it moves less.
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { SimEnvironment, type SimGenerator } from "../lib/sim/index";

const TIMEOUTS = 2_000_000;
const REPS = 5;
const GOAL = 5;

/** One timed run: seconds of wall clock and of CPU time for env.run(), events processed, final time. */
interface LoopRun {
  events: number;
  now: number;
  wall: number;
  cpu: number;
}

/**
 * The model (the same in bench/sim_simpy.py): `processes` processes; process p runs `per` = ceil(timeouts /
 * processes) times `yield env.timeout(1 + p % 7)`. Created before the clock starts; timed: env.run() until no
 * event is left. Events processed = processes × per timeouts + 2 per process (its start and its end).
 */
function timeoutLoop(processes: number, timeouts: number): LoopRun {
  const env = new SimEnvironment();
  const per = Math.ceil(timeouts / processes);
  function* ticker(d: number): SimGenerator<void> {
    for (let i = 0; i < per; i++) yield env.timeout(d);
  }
  for (let p = 0; p < processes; p++) env.process(ticker(1 + (p % 7)));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  env.run();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { events: env.eventsProcessed, now: env.now, wall, cpu: (c.user + c.system) / 1e6 };
}

/** The same model, untimed, counting the loop iterations: for comparing both engines' counts. */
function timeoutLoopCheck(processes: number, timeouts: number): { events: number; iterations: number; now: number } {
  const env = new SimEnvironment();
  const per = Math.ceil(timeouts / processes);
  let iterations = 0;
  function* ticker(d: number): SimGenerator<void> {
    for (let i = 0; i < per; i++) {
      iterations++;
      yield env.timeout(d);
    }
  }
  for (let p = 0; p < processes; p++) env.process(ticker(1 + (p % 7)));
  env.run();
  return { events: env.eventsProcessed, iterations, now: env.now };
}

type PyResult = { ok: true; value: any } | { ok: false; why: string };

/** Run bench/sim_simpy.py with `args`; its last stdout line is JSON (`{ error }` when SimPy is missing). */
function simpy(args: string[]): PyResult {
  const pythonPath = [process.env.SIMPY_PATH, process.env.PYTHONPATH].filter((p) => p).join(path.delimiter);
  const r = spawnSync("python3", [path.join(__dirname, "sim_simpy.py"), ...args], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: pythonPath },
    timeout: 600_000,
  });
  if (r.error) return { ok: false, why: `python3 could not be run (${r.error.message})` };
  const last = r.stdout.trim().split("\n").pop() ?? "";
  let value: any;
  try {
    value = JSON.parse(last);
  } catch {
    return { ok: false, why: `python3 ${args[0]} exited ${r.status}: ${r.stderr.trim().split("\n").pop()}` };
  }
  return value.error ? { ok: false, why: value.error } : { ok: true, value };
}

function compareWithSimPy(): void {
  const load = () => os.loadavg()[0].toFixed(2);
  console.log(
    `timeout loop: N processes, process p yields env.timeout(1 + p % 7) ceil(${TIMEOUTS.toLocaleString("en")} / N) ` +
      `times; events/s = events processed / seconds of env.run(), best of ${REPS} runs`,
  );
  const info = simpy(["info"]);
  if (info.ok)
    console.log(
      `SimPy side: SimPy ${info.value.simpy} on ${info.value.python} (${info.value.file}); runs alternate with lib/sim`,
    );
  else
    console.log(
      `SimPy side: NOT RUN — ${info.why}. Install SimPy ≥ 3 for python3 (pip install simpy), or set SIMPY_PATH ` +
        "to the src/ folder of a SimPy ≥ 3 source tree. The goal (≥ 5× SimPy) is not checked in this run.",
    );
  console.log(`load average (1 min) at start: ${load()} on ${os.cpus().length} cores`);
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const n of [1, 100, 1000]) {
    const mine = timeoutLoopCheck(n, TIMEOUTS);
    const per = Math.ceil(TIMEOUTS / n);
    let same = "";
    let py: PyResult = info;
    if (info.ok) {
      const theirs = simpy(["check", String(n), String(TIMEOUTS)]);
      if (!theirs.ok) py = theirs;
      else if (["events", "iterations", "now"].some((k) => theirs.value[k] !== (mine as any)[k]))
        py = { ok: false, why: `NOT THE SAME MODEL: SimPy counted ${JSON.stringify(theirs.value)}` };
      else same = ", the same on SimPy";
    }
    console.log(
      `${String(n).padStart(4)} processes: lib/sim processes ${mine.events.toLocaleString("en")} events ` +
        `(${mine.iterations.toLocaleString("en")} timeouts + 2 per process), simulated time ends at ${mine.now}${same}`,
    );
    if (mine.events !== n * (per + 2) || mine.iterations !== n * per) {
      console.log(`  NOT THE MODEL: expected ${n * per} timeouts and ${n * (per + 2)} events`);
      process.exitCode = 1;
    }
    let tsWall = 0,
      tsCpu = 0,
      pyWall = 0,
      pyCpu = 0;
    for (let r = 0; r < REPS; r++) {
      const a = timeoutLoop(n, TIMEOUTS);
      tsWall = Math.max(tsWall, a.events / a.wall);
      tsCpu = Math.max(tsCpu, a.events / a.cpu);
      if (py.ok) {
        const b = simpy(["run", String(n), String(TIMEOUTS)]);
        if (!b.ok) py = b;
        else {
          pyWall = Math.max(pyWall, b.value.events / b.value.wall);
          pyCpu = Math.max(pyCpu, b.value.events / b.value.cpu);
        }
      }
    }
    const m = (x: number) => (x / 1e6).toFixed(2);
    if (py.ok) {
      const ratio = tsWall / pyWall;
      const met = ratio >= GOAL ? "met" : "MISSED";
      verdicts.push(`${n}: ${met} (${ratio.toFixed(1)}×)`);
      rows.push([String(n), m(tsWall), m(pyWall), ratio.toFixed(1) + "×", met, (tsCpu / pyCpu).toFixed(1) + "×"]);
    } else {
      if (info.ok) {
        console.log(`  SimPy side failed at ${n} processes: ${py.why}`);
        process.exitCode = 1;
      }
      verdicts.push(`${n}: not checked`);
      rows.push([String(n), m(tsWall), "—", "—", "not checked", "—"]);
    }
  }
  const table = [
    ["processes", "lib/sim M ev/s", "SimPy M ev/s", "ratio", `goal ≥ ${GOAL}×`, "ratio by CPU time"],
    ...rows,
  ];
  const width = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log("  " + r.map((c, i) => c.padStart(width[i])).join("  "));
  console.log(`load average (1 min) at end: ${load()}`);
  console.log(`goal ≥ ${GOAL}× SimPy's events/s (wall clock): ${verdicts.join(", ")}`);
}

compareWithSimPy();

function contended(processes: number, capacity: number, rounds: number): number {
  const env = new SimEnvironment();
  const res = env.resource(capacity, "cores");
  function* user(d: number): SimGenerator<void> {
    for (let i = 0; i < rounds; i++) {
      const req = res.request();
      yield req;
      yield env.timeout(d);
      res.release(req);
      yield env.timeout(1);
    }
  }
  for (let p = 0; p < processes; p++) env.process(user(1 + (p % 3)));
  const t0 = process.hrtime.bigint();
  env.run();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return env.eventsProcessed / s;
}

function best(f: () => number, reps = 5): number {
  let b = 0;
  for (let i = 0; i < reps; i++) b = Math.max(b, f());
  return b;
}

const fmt = (x: number) => (x / 1e6).toFixed(2) + " M events/s";
console.log("contended resource, 1000 processes on 4 slots:", fmt(best(() => contended(1000, 4, 200))));

import { schedGantt } from "../lib/plot/gantt";
// A 10,000-segment Gantt: time to simulate the workload and to build the figure JSON.
import { randomTasks, runSchedule } from "../lib/sched/index";

function ms(f: () => void, reps = 5): number {
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    f();
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return b;
}
const tasks = randomTasks({ count: 240, seed: 3, maxArrival: 500, maxBursts: 4, ioChance: 0.7 });
const opts = { policy: "RR" as const, quantum: 1, tasks, machine: { cores: 4, switchCost: 0.1 } };
const result = runSchedule(opts);
console.log(
  `scheduling run: ${tasks.length} tasks, ${result.trace.length} trace segments, ${result.contextSwitches} switches`,
);
console.log("  simulate:", ms(() => runSchedule(opts)).toFixed(1), "ms");
for (const by of ["task", "core"] as const) {
  let fig = schedGantt(result, { by });
  const t = ms(() => (fig = schedGantt(result, { by })));
  const bars = fig.data.reduce((a, d) => a + ((d.x as number[]) ?? []).length, 0);
  console.log(
    `  Gantt by ${by}: ${t.toFixed(1)} ms, ${fig.data.length} traces, ${bars} bars, ` +
      `${(JSON.stringify(fig).length / 1e6).toFixed(2)} MB JSON`,
  );
}
