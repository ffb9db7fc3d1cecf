// Speed of the event-loop model (simulated work; wall-clock only here, never in tests).

import { compareLoopIoModes, compareLoopProgressBars } from "../lib/chapters/07-async/index";
import { runLoop } from "../lib/eventloop/index";

function time(label: string, reps: number, f: () => unknown): void {
  f();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label.padEnd(52)} ${(ms / reps).toFixed(3).padStart(9)} ms/run`);
}

time("seed scenario 1 vs 2 (both runs)", 500, () => compareLoopIoModes());
time("progress bar, three variants", 100, () => compareLoopProgressBars());
for (const n of [100, 1000]) {
  let steps = 0;
  time(`${n} async tasks × 10 awaited IO each`, 5, () => {
    const r = runLoop(
      ({ asyncFn, io, cpu }) => {
        for (let i = 0; i < n; i++) {
          asyncFn(`t${i}`, function* () {
            for (let k = 0; k < 10; k++) {
              cpu(0.1);
              yield io(5 + ((i * 7 + k * 3) % 11));
            }
          });
        }
      },
      { maxSteps: 10_000_000, maxSnapshots: 0 },
    );
    steps = r.steps;
  });
  console.log(`${"".padEnd(52)} (${steps} steps per run)`);
}
