"use strict";
// The start barrier of the worker experiments that share an Int32Array laid out as in lib/real/shared.ts (SLOT):
// a worker announces it is ready (READY += 1), then waits until the main thread raises GO, so that all of them start
// counting at the same moment. Bounded: past `deadline` (a performance.now() value) it gives up with an error.
const { performance } = require("node:perf_hooks");

const GO = 0,
  READY = 1;

function barrier(i32, deadline) {
  Atomics.add(i32, READY, 1);
  while (Atomics.load(i32, GO) === 0) {
    const left = deadline - performance.now();
    if (left <= 0) throw new Error("start barrier timed out");
    Atomics.wait(i32, GO, 0, Math.min(left, 50));
  }
}

module.exports = { barrier };
