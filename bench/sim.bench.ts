// Benchmark of the discrete-event engine and the scheduling simulator: `npm run bench sim`.
// Prints events per second (real time) — a speed goal, never asserted in tests.
import { SimEnvironment, type SimGenerator } from "../lib/sim";

function timeoutLoop(processes: number, totalEvents: number): number {
  const env = new SimEnvironment();
  const per = Math.ceil(totalEvents / processes);
  function* ticker(d: number): SimGenerator<void> {
    for (let i = 0; i < per; i++) yield env.timeout(d);
  }
  for (let p = 0; p < processes; p++) env.process(ticker(1 + (p % 7)));
  const t0 = process.hrtime.bigint();
  env.run();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return env.eventsProcessed / s;
}

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
console.log("timeout loop,    1 process:   ", fmt(best(() => timeoutLoop(1, 2_000_000))));
console.log("timeout loop,  100 processes: ", fmt(best(() => timeoutLoop(100, 2_000_000))));
console.log("timeout loop, 1000 processes: ", fmt(best(() => timeoutLoop(1000, 2_000_000))));
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
