"use strict";
// Peterson's lock on two real workers (chapter 06 §6). Each worker, `rounds` times:
//   flag[me] = 1; turn = other; while (flag[other] === 1 && turn === other) spin; counter = counter + 1; flag[me] = 0
// "plain": flags and turn are plain Int32Array accesses (unordered in the JavaScript memory model; on x86 the store
// to flag[me] can wait in the store buffer while the load of flag[other] already reads 0, so both enter).
// "atomic": flags and turn use Atomics.store / Atomics.load (sequentially consistent): the lock is correct.
// The counter itself is a plain read-add-write in both modes: only the lock protects it.
// Every spin is bounded: past the deadline the worker stops and reports how many rounds it completed.
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const { id, sab, rounds, mode, timeoutMs } = workerData;
const s = new Int32Array(sab, 0, 128);
const FLAG0 = 0,
  FLAG1 = 16,
  TURN = 32,
  COUNTER = 64,
  GO = 96,
  STOP = 112;
const me = id === 0 ? FLAG0 : FLAG1;
const other = id === 0 ? FLAG1 : FLAG0;
const deadline = performance.now() + timeoutMs;

function late() {
  if (Atomics.load(s, STOP) !== 0) return true;
  if (performance.now() > deadline) {
    Atomics.store(s, STOP, 1);
    return true;
  }
  return false;
}

function plain() {
  for (let i = 0; i < rounds; i++) {
    s[me] = 1;
    s[TURN] = 1 - id;
    let n = 0;
    while (s[other] === 1 && s[TURN] === 1 - id) if ((++n & 0xfffff) === 0 && late()) return i;
    s[COUNTER] = s[COUNTER] + 1;
    s[me] = 0;
  }
  return rounds;
}

function atomic() {
  for (let i = 0; i < rounds; i++) {
    Atomics.store(s, me, 1);
    Atomics.store(s, TURN, 1 - id);
    let n = 0;
    while (Atomics.load(s, other) === 1 && Atomics.load(s, TURN) === 1 - id)
      if ((++n & 0xfffff) === 0 && late()) return i;
    s[COUNTER] = s[COUNTER] + 1;
    Atomics.store(s, me, 0);
  }
  return rounds;
}

// start together (bounded)
Atomics.add(s, GO, 1);
let ok = true;
for (let n = 0; Atomics.load(s, GO) < 2; n++) if ((n & 0xfff) === 0 && late()) ok = false;
const t0 = performance.now();
const done = ok ? (mode === "plain" ? plain() : atomic()) : 0;
parentPort.postMessage({ done, ms: performance.now() - t0 });
