"use strict";
// Worker of lib/real/pingpong.ts: answers { id, ok, value } or { id, ok: false, error }.
// - "echo": answers at once (a postMessage round trip is one echo);
// - "atomics": one side of a blocking ping-pong on slot TURN of a shared Int32Array (0: ping's turn, 1: pong's turn),
//   after a start barrier (slot READY counts arrivals, slot GO opens it). Every wait is bounded by the deadline.
const { parentPort } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const GO = 0,
  READY = 1,
  TURN = 2;

function waitWhile(i32, idx, value, deadline) {
  while (Atomics.load(i32, idx) === value) {
    const left = deadline - performance.now();
    if (left <= 0) throw new Error("ping-pong wait timed out");
    Atomics.wait(i32, idx, value, Math.min(left, 100));
  }
}

function atomics(msg) {
  const i32 = new Int32Array(msg.sab);
  // the earlier of its own bound and the experiment's time limit (stopAt: ms since the epoch)
  const stopAt = typeof msg.stopAt === "number" ? msg.stopAt - performance.timeOrigin : Infinity;
  const deadline = Math.min(performance.now() + msg.timeoutMs, stopAt);
  Atomics.add(i32, READY, 1);
  waitWhile(i32, GO, 0, deadline);
  const ping = msg.role === "ping";
  const t0 = performance.now();
  for (let i = 0; i < msg.roundTrips; i++) {
    if (ping) {
      Atomics.store(i32, TURN, 1); // hand over to pong
      Atomics.notify(i32, TURN, 1);
      waitWhile(i32, TURN, 1, deadline); // blocked (no spinning) until pong hands back
    } else {
      waitWhile(i32, TURN, 0, deadline);
      Atomics.store(i32, TURN, 0);
      Atomics.notify(i32, TURN, 1);
    }
  }
  return { ms: performance.now() - t0 };
}

parentPort.on("message", (msg) => {
  try {
    if (msg.kind === "echo") return parentPort.postMessage({ id: msg.id, ok: true, value: msg.i });
    if (msg.kind === "atomics") return parentPort.postMessage({ id: msg.id, ok: true, value: atomics(msg) });
    throw new Error("unknown job kind " + msg.kind);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(e?.message || e) });
  }
});
