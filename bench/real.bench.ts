// npm run bench real — the real-machine experiments at bench sizes: speedup (goal ≥ 1.85× with 2 workers on 2 cores),
// start-up overhead per call / promise / pool job / worker / process, requests per second at several concurrency
// levels, and race loss rates. Numbers vary with machine load: read them as medians with min–max.
import {
  coreCount,
  creationOverhead,
  deadlockExperiment,
  ioModesExperiment,
  ioScalingExperiment,
  liveRealResources,
  lockContention,
  progressBarExperiment,
  sharedCounterRace,
  speedupExperiment,
} from "../lib/real/index";

const f = (x: number, d = 2) => x.toFixed(d);

async function main(): Promise<void> {
  const cores = coreCount();
  console.log(`cores (os.availableParallelism): ${cores}, node ${process.version}`);

  const sp = await speedupExperiment({
    tasks: 16,
    taskMs: 25,
    repeats: 5,
    workerCounts: [1, 2, 3, 4].filter((w) => w <= Math.max(4, 2 * cores)),
  });
  console.log(
    `\n# speedup: ${sp.tasks} tasks × ${sp.iterations} iterations; sequential ` +
      `${f(sp.sequentialMs.median, 1)} ms (min ${f(sp.sequentialMs.min, 1)}, max ` +
      `${f(sp.sequentialMs.max, 1)})`,
  );
  for (const p of sp.points) {
    console.log(
      `  ${p.workers} worker(s): ${f(p.ms.median, 1)} ms [${f(p.ms.min, 1)}–${f(p.ms.max, 1)}]  ` +
        `speedup ${f(p.speedup)}×  efficiency ${f(p.efficiency)}  Amdahl(p=${sp.parallelFraction}) ` +
        `${f(p.amdahl)}×`,
    );
  }
  const two = sp.points.find((p) => p.workers === 2);
  if (two && cores >= 2) {
    const best = sp.sequentialMs.median / two.ms.min;
    console.log(
      `  goal ≥ 1.85× with 2 workers: median ${f(two.speedup)}×, best run ${f(best)}× -> ${two.speedup >= 1.85 ? "MET" : "NOT MET (machine busy?)"}`,
    );
  }

  const ov = await creationOverhead({ repeats: 5 });
  console.log(`\n# start-up cost per task (task = ${ov.iterations} iterations)`);
  for (const r of ov.rows)
    console.log(
      `  ${r.method.padEnd(8)} ${f(r.perTaskMs.median * 1000, 1).padStart(9)} µs  ` +
        `[${f(r.perTaskMs.min * 1000, 1)}–${f(r.perTaskMs.max * 1000, 1)}]  (${r.tasks} tasks)`,
    );

  const io = await ioModesExperiment({ requests: 40, delayMs: 25, limit: 8, workers: 4, repeats: 3 });
  console.log(
    `\n# one batch of 40 requests, server delay ${io.delayMs} ms (ideal sequential ${io.sequentialIdealMs} ms)`,
  );
  for (const r of io.rows)
    console.log(
      `  ${r.mode.padEnd(10)} concurrency ${String(r.concurrency).padStart(3)}: ${f(r.ms.median, 0)} ` +
        `ms, ${f(r.requestsPerSecond, 0)} req/s, peak in flight ` +
        `${r.peakInFlight}${r.startupMs ? `, worker start-up ${f(r.startupMs, 0)} ms` : ""}`,
    );

  const sc = await ioScalingExperiment({
    asyncLevels: [1, 10, 100, 1000, 2000],
    workerLevels: [1, 4, 16, 32],
    delayMs: 100,
    rounds: 2,
  });
  console.log(`\n# requests in flight (each lane: ${sc.rounds} requests × ${sc.delayMs} ms)`);
  for (const r of sc.rows)
    console.log(
      `  ${r.mode.padEnd(7)} ${String(r.concurrency).padStart(5)} in flight: ${f(r.totalMs, 0)} ms ` +
        `total (start-up ${f(r.startupMs, 0)}), ${f(r.requestsPerSecond, 0)} req/s, ` +
        `+${f(r.rssDeltaMB, 1)} MB RSS`,
    );

  const race = await sharedCounterRace({ workers: 2, repeats: 5 });
  console.log(`\n# shared counter, 2 workers × ${race.rows[0].increments} increments`);
  for (const r of race.rows)
    console.log(
      `  ${r.mode.padEnd(6)} lost ${f(r.lossRate * 100, 1)} % (median; runs lost ` +
        `${r.lost.runs.join(", ")}), ${f(r.ms.median, 1)} ms, overlap ` +
        `${r.overlapMs.map((o) => f(o, 1)).join("/")} ms`,
    );
  const race4 = await sharedCounterRace({ workers: 4, increments: 1_000_000, repeats: 3, modes: ["plain"] });
  console.log(`  plain, 4 workers × 1,000,000: lost ${f(race4.rows[0].lossRate * 100, 1)} %`);

  const lc = await lockContention();
  console.log(
    `\n# one lock, throughput (ops/s) by workers × critical-section iterations (outside: ${lc.rows[0].outsideIterations})`,
  );
  for (const r of lc.rows)
    console.log(
      `  ${r.workers} workers, critical ${String(r.criticalIterations).padStart(5)}: ` +
        `${f(r.opsPerSecond, 0)} ops/s${r.exact ? "" : "  COUNT WRONG"}`,
    );

  const dl = await deadlockExperiment();
  console.log(
    `\n# deadlock (opposite order): detected ${dl.deadlocked}, worker(s) ${dl.gaveUp.join(", ")} gave up after ${f(dl.workers[dl.gaveUp[0] ?? 0].waitedMs, 0)} ms`,
  );

  const pb = await progressBarExperiment();
  console.log(`\n# progress bar ticking every ${pb.tickMs} ms, ${pb.workMs} ms of work per phase`);
  for (const p of pb.phases)
    console.log(
      `  ${p.phase.padEnd(8)} ${String(p.ticks).padStart(3)} ticks, longest gap ${f(p.maxGapMs, 0)} ms,` +
        ` loop delay max ${f(p.maxDelayMs, 0)} ms`,
    );

  console.log(`\nleft alive: ${JSON.stringify(liveRealResources())}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
