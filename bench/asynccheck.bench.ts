// Speed of the async checker (issue 14): schedules explored per second on a 3-task program, with the state cache
// (default) and without it (one run from scratch per schedule), and the time to check the check-then-act cache with
// 3 tasks (the full exploration that finds its violation). Medians of 3 runs (min–max beside them); the machine is
// shared, read them loosely. Each checkAsync call includes starting and stopping its watchdog worker.
// Run: npm run bench asynccheck
import { type AsyncProgram, type AsyncStore, checkAsync } from "../lib/asynccheck/index";

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const incTwice = async (s: AsyncStore) => {
  for (let k = 0; k < 2; k++) {
    const v = await s.read("n");
    await s.write("n", v + 1);
  }
};
const inc = async (s: AsyncStore) => {
  const v = await s.read("n");
  await s.write("n", v + 1);
};
const cache = async (s: AsyncStore) => {
  const c = await s.read("cache");
  if (c === null) {
    await s.update("fetches", (f) => f + 1);
    await s.write("cache", "config");
  }
};

async function measure(label: string, program: AsyncProgram, cacheOn: boolean) {
  const secs: number[] = [];
  let last = await checkAsync(program, { cache: cacheOn, maxRuns: 1_000_000 });
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    last = await checkAsync(program, { cache: cacheOn, maxRuns: 1_000_000 });
    secs.push((performance.now() - t0) / 1000);
  }
  const s = median(secs);
  console.log(
    `${label.padEnd(46)} cache ${cacheOn ? "on " : "off"}  ${n(last.schedules).padStart(7)} schedules  ` +
      `${n(last.runs).padStart(6)} runs  ${s.toFixed(3)} s (${Math.min(...secs).toFixed(3)}–` +
      `${Math.max(...secs).toFixed(3)})  ${n(last.schedules / s).padStart(9)} schedules/s  ` +
      `${n(last.runs / s).padStart(6)} runs/s`,
  );
  return last;
}

async function main() {
  const three = { init: { n: 0 }, tasks: [inc, inc, inc] };
  const threeTwice = { init: { n: 0 }, tasks: [incTwice, incTwice, incTwice] };
  await measure("3 tasks × (read, write)", three, true);
  await measure("3 tasks × (read, write)", three, false);
  await measure("3 tasks × 2 × (read, write)", threeTwice, true);
  await measure("3 tasks × 2 × (read, write)", threeTwice, false);
  const cached: AsyncProgram = {
    init: { cache: null, fetches: 0 },
    tasks: [cache, cache, cache],
    invariant: (s) => s.fetches <= 1 || `fetched ${s.fetches} times`,
  };
  const r = await measure("check-then-act cache, 3 tasks (finds violation)", cached, true);
  console.log(
    `  violation: "${r.violations[0]?.message}" on ${n(r.violations[0]?.count ?? 0)} schedules, ` +
      `witness ${r.violations[0]?.witness}`,
  );
  await measure("check-then-act cache, 3 tasks (finds violation)", cached, false);
  const t0 = performance.now();
  await checkAsync({ init: { n: 0 }, tasks: [inc] });
  console.log(`one tiny checkAsync call (watchdog start and stop included): ${(performance.now() - t0).toFixed(1)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
