"use strict";
// Store-buffering litmus test (chapter 05): two workers, shared x and y (both 0), per trial
//   worker 0: x = 1; r0 = y        worker 1: y = 1; r1 = x
// With sequentially consistent memory at least one of r0, r1 is 1. With plain Int32Array accesses the JavaScript
// memory model calls them "unordered", and x86 (TSO) may let each load overtake the store before it (the store sits
// in the core's store buffer): r0 = r1 = 0. With Atomics.store / Atomics.load that outcome is forbidden.
// Every wait is a bounded spin: past the deadline both workers stop and report how many trials they completed.
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const { id, sab, trials, mode, timeoutMs } = workerData;
const s = new Int32Array(sab, 0, 64); // x, y and the barrier words on separate 64-byte cache lines
const out = new Int32Array(sab, 256); // out[2 * i + id] = what this worker read in trial i
const X = 0,
  Y = 16,
  STOP = 8,
  MINE = id === 0 ? 32 : 48,
  OTHER = id === 0 ? 48 : 32;
const deadline = performance.now() + timeoutMs;
let phase = 0;

function barrier() {
  phase++;
  Atomics.store(s, MINE, phase);
  let n = 0;
  while (Atomics.load(s, OTHER) < phase) {
    if (Atomics.load(s, STOP) !== 0) return false;
    if ((++n & 4095) === 0 && performance.now() > deadline) {
      Atomics.store(s, STOP, 1);
      return false;
    }
  }
  return true;
}

function plain0(i) {
  s[X] = 1;
  out[2 * i] = s[Y];
}
function plain1(i) {
  s[Y] = 1;
  out[2 * i + 1] = s[X];
}
function atomic0(i) {
  Atomics.store(s, X, 1);
  out[2 * i] = Atomics.load(s, Y);
}
function atomic1(i) {
  Atomics.store(s, Y, 1);
  out[2 * i + 1] = Atomics.load(s, X);
}

const trial = mode === "plain" ? (id === 0 ? plain0 : plain1) : id === 0 ? atomic0 : atomic1;
const t0 = performance.now();
let done = 0;
for (let i = 0; i < trials; i++) {
  if (!barrier()) break;
  trial(i);
  if (!barrier()) break;
  if (id === 0) s[X] = 0;
  else s[Y] = 0;
  done = i + 1;
}
barrier(); // the last resets are visible before the main thread reads (Atomics operations synchronise)
parentPort.postMessage({ done, ms: performance.now() - t0 });
