// Speed goals of the interleaving explorer. Issue 4: counterRace(3,3) exact histogram under 0.3 s. Issue 15 (symmetry
// reduction): counterRace(4,3) under 1 s and counterRace(4,4) under 10 s, counts exact; each is shown before
// (`symmetry: false`) and after, with distinct states, states per second and peak memory. Timings are medians of
// several runs (min–max beside them): the machine is shared, read them loosely. Run: npm run bench interleave
import { spawnSync } from "node:child_process";
import {
  counterRace,
  explore,
  InterleaveStateLimitError,
  lockedCounter,
  multinomialSchedules,
  sample,
} from "../lib/interleave/index";

const n = (x: number) => x.toLocaleString("en-US");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

/** One measured run in this process: what a child prints as JSON (see the bottom of the file). */
interface Run {
  seconds: number;
  /** CPU time of the process during the run (all its threads, so the garbage collector's helpers too). */
  cpuSeconds: number;
  error: string | null;
  states: number;
  explored: number;
  schedules: string | null;
  exact: boolean;
  /** Resident set size before the run and its peak (MB). */
  rssBefore: number;
  rssPeak: number;
  /** V8 heap used and array buffers (the state tables) when the exploration returned, not yet collected (MB). */
  heapAfter: number;
  buffersAfter: number;
}

function measure(threads: number, increments: number, symmetry: boolean): Run {
  const rssBefore = process.memoryUsage().rss / 1e6;
  let r: ReturnType<typeof explore> | null = null;
  let error: string | null = null;
  const options = { symmetry, maxStates: 5_000_000 };
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  try {
    r = explore(counterRace(threads, increments), options);
  } catch (e) {
    if (!(e instanceof InterleaveStateLimitError)) throw e;
    error = `stopped at maxStates = ${n(e.maxStates)}`;
  }
  const reached = r ? r.states : options.maxStates;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const mem = process.memoryUsage();
  const steps = 3 * increments;
  const exact =
    r !== null &&
    r.schedules === multinomialSchedules(new Array(threads).fill(steps)) &&
    [...r.histogram!.values()].reduce((a, b) => a + b, 0n) === r.schedules;
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    error,
    states: reached,
    explored: r ? r.symmetry.explored : reached,
    schedules: r && r.schedules !== null ? r.schedules.toString() : null,
    exact,
    rssBefore,
    rssPeak: process.resourceUsage().maxRSS / 1024,
    heapAfter: mem.heapUsed / 1e6,
    buffersAfter: mem.arrayBuffers / 1e6,
  };
}

/** Runs `measure` in a fresh process each time, so that memory figures are this run's alone. */
function inChild(threads: number, increments: number, symmetry: boolean): Run {
  const args = ["-r", "ts-node/register/transpile-only", __filename, "--child", `${threads},${increments},${symmetry}`];
  const r = spawnSync(process.execPath, args, {
    encoding: "utf8",
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
}

function row(name: string, goal: number | null, runs: number, f: () => ReturnType<typeof explore>): void {
  const secs: number[] = [];
  let r!: ReturnType<typeof explore>;
  for (let i = 0; i < runs; i++) {
    const [x, s] = time(f);
    r = x;
    secs.push(s);
  }
  const med = median(secs);
  const verdict = goal === null ? "" : med <= goal ? `  goal < ${goal} s: met` : `  goal < ${goal} s: MISSED`;
  console.log(
    `${name.padEnd(26)} ${med.toFixed(3).padStart(7)} s (median of ${runs}) ${n(r.states).padStart(10)} states ` +
      `(${n(r.symmetry.explored)} stored)  schedules ${r.schedules?.toLocaleString("en-US")}${verdict}`,
  );
}

function scaleRow(threads: number, increments: number, symmetry: boolean, runs: number, goal: number): void {
  const rs: Run[] = [];
  for (let i = 0; i < runs; i++) rs.push(inChild(threads, increments, symmetry));
  const secs = rs.map((r) => r.seconds);
  const med = median(secs);
  const r = rs[0];
  const label = `counterRace(${threads},${increments}) ${symmetry ? "after " : "before"}`;
  const spread =
    runs > 1 ? ` (median of ${runs}, ${Math.min(...secs).toFixed(2)}–${Math.max(...secs).toFixed(2)})` : "";
  const verdict = r.error === null && r.exact && med < goal ? "met" : "MISSED";
  const cpu = median(rs.map((x) => x.cpuSeconds));
  console.log(`${label}  ${med.toFixed(2)} s${spread}, cpu ${cpu.toFixed(2)} s  goal < ${goal} s: ${verdict}`);
  const exact = r.exact ? "exact (= multinomial, Σ histogram)" : "WRONG";
  const counts =
    r.error !== null ? `${r.error}: no counts` : `schedules ${BigInt(r.schedules!).toLocaleString("en-US")} ${exact}`;
  console.log(
    `    ${n(r.states)} distinct states (${n(r.explored)} stored), ` +
      `${n(Math.round(r.states / med))} states/s (${n(Math.round(r.explored / med))} stored/s), ${counts}`,
  );
  const peak = median(rs.map((x) => x.rssPeak));
  console.log(
    `    memory: peak RSS ${peak.toFixed(0)} MB (${(peak - r.rssBefore).toFixed(0)} MB above the idle process); ` +
      `at return, heap ${r.heapAfter.toFixed(0)} MB + array buffers ${r.buffersAfter.toFixed(0)} MB (garbage included)`,
  );
}

function main(): void {
  explore(counterRace(3, 2)); // warm-up
  row("counterRace(3,3)", 0.3, 5, () => explore(counterRace(3, 3)));
  row("counterRace(3,3) unreduced", null, 5, () => explore(counterRace(3, 3), { symmetry: false }));
  row("lockedCounter(3,3)", null, 3, () => explore(lockedCounter(3, 3)));
  row("counterRace(3,3) bound 2", null, 3, () => explore(counterRace(3, 3), { preemptionBound: 2 }));
  const [s, secs] = time(() => sample(counterRace(3, 3), { runs: 100_000, seed: 1 }));
  console.log(
    `sample counterRace(3,3)     ${secs.toFixed(3).padStart(7)} s  ${n(s.runs)} ` +
      `random runs (${n(Math.round(s.runs / secs))} runs/s)`,
  );
  console.log("\n# issue 15: symmetry reduction (each run in a fresh process)");
  scaleRow(4, 3, false, 3, 1);
  scaleRow(4, 3, true, 5, 1);
  scaleRow(4, 4, false, 1, 10); // stops at the default bound of 5,000,000 states after half a minute or more
  scaleRow(4, 4, true, 3, 10);
}

const child = process.argv.indexOf("--child");
if (child >= 0) {
  const [t, k, sym] = process.argv[child + 1].split(",");
  console.log(JSON.stringify(measure(Number(t), Number(k), sym === "true")));
} else main();
