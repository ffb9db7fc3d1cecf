"use strict";
// Worker of lib/real/increment.ts: builds the learner's increment from its source text, waits at a start barrier,
// calls it `increments` times on slot COUNTER of the shared Int32Array, and reports how long it took.
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const GO = 0,
  READY = 1,
  COUNTER = 2;

try {
  const i32 = new Int32Array(workerData.sab);
  const deadline = performance.now() + workerData.timeoutMs;
  const increment = new Function(`"use strict"; return (${workerData.source});`)();
  if (typeof increment !== "function") throw new Error("the increment is not a function");
  Atomics.add(i32, READY, 1);
  while (Atomics.load(i32, GO) === 0) {
    const left = deadline - performance.now();
    if (left <= 0) throw new Error("start barrier timed out");
    Atomics.wait(i32, GO, 0, Math.min(left, 50));
  }
  const t0 = performance.now();
  const n = workerData.increments;
  const stopAt = typeof workerData.stopAt === "number" ? workerData.stopAt - performance.timeOrigin : Infinity;
  for (let done = 0; done < n; ) {
    const m = Math.min(n - done, 4096);
    for (let k = 0; k < m; k++) increment(i32, COUNTER);
    done += m;
    if (performance.now() > stopAt) throw new Error("the experiment's time limit passed");
  }
  parentPort.postMessage({ ok: true, ms: performance.now() - t0 });
} catch (e) {
  parentPort.postMessage({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}
