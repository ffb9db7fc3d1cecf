// Speed goals of the interleaving explorer (issue 4): counterRace(3,3) exact histogram under 0.3 s,
// counterRace(4,3) under 10 s; reports distinct states per second. Run: npm run bench interleave
import { counterRace, explore, lockedCounter, sample } from "../lib/interleave/index";

function time<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

function row(name: string, goal: number | null, runs: number, f: () => ReturnType<typeof explore>): void {
  let best = Infinity;
  let r!: ReturnType<typeof explore>;
  for (let i = 0; i < runs; i++) {
    const [x, s] = time(f);
    r = x;
    best = Math.min(best, s);
  }
  const verdict = goal === null ? "" : best <= goal ? `  goal < ${goal} s: met` : `  goal < ${goal} s: MISSED`;
  console.log(
    `${name.padEnd(26)} ${best.toFixed(3).padStart(7)} s  ${r.states.toLocaleString("en-US").padStart(10)} states  ` +
      `${Math.round(r.states / best)
        .toLocaleString("en-US")
        .padStart(10)} states/s  schedules ${r.schedules?.toLocaleString("en-US")}${verdict}`,
  );
}

explore(counterRace(3, 2)); // warm-up
row("counterRace(3,3)", 0.3, 5, () => explore(counterRace(3, 3)));
row("lockedCounter(3,3)", null, 3, () => explore(lockedCounter(3, 3)));
row("counterRace(3,3) bound 2", null, 3, () => explore(counterRace(3, 3), { preemptionBound: 2 }));
row("counterRace(4,3)", 10, 1, () => explore(counterRace(4, 3)));
const [s, secs] = time(() => sample(counterRace(3, 3), { runs: 100_000, seed: 1 }));
console.log(
  `sample counterRace(3,3)     ${secs.toFixed(3).padStart(7)} s  ${s.runs.toLocaleString("en-US")} ` +
    `random runs (${Math.round(s.runs / secs).toLocaleString("en-US")} runs/s)`,
);
console.log(`heap used after the runs: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
