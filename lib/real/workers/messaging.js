"use strict";
// Worker of lib/real/messaging.ts. workerData: { role, sab, increments, timeoutMs, port?, ports?, mode? }
// - "owner": owns the count; receives numbers and "done" on its MessagePorts, answers { ok, total } when every
//   sender said done;
// - "sender": after the start barrier posts `increments` messages of 1 to its port (mode "messages"), or counts
//   locally and posts the count once (mode "batched"), then "done";
// - "shared": after the start barrier increments slot COUNTER of the shared Int32Array, plainly or with Atomics.add.
// Every wait is bounded by the deadline; errors come back as { ok: false, error }.
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const GO = 0,
  READY = 1,
  COUNTER = 2;

function barrier(i32, deadline) {
  Atomics.add(i32, READY, 1);
  while (Atomics.load(i32, GO) === 0) {
    const left = deadline - performance.now();
    if (left <= 0) throw new Error("start barrier timed out");
    Atomics.wait(i32, GO, 0, Math.min(left, 50));
  }
}

function fail(e) {
  parentPort.postMessage({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}

try {
  const d = workerData;
  const i32 = new Int32Array(d.sab);
  const deadline = performance.now() + d.timeoutMs;
  const n = d.increments;
  if (d.role === "owner") {
    let total = 0;
    let done = 0;
    for (const port of d.ports) {
      port.on("message", (m) => {
        if (m === "done") {
          if (++done === d.ports.length) parentPort.postMessage({ ok: true, total });
        } else total += m; // only this thread ever touches `total`: nothing to lock
      });
    }
  } else if (d.role === "sender") {
    barrier(i32, deadline);
    if (d.mode === "batched") {
      let mine = 0;
      for (let k = 0; k < n; k++) mine++;
      d.port.postMessage(mine);
    } else {
      for (let k = 0; k < n; k++) d.port.postMessage(1);
    }
    d.port.postMessage("done");
    parentPort.postMessage({ ok: true });
  } else if (d.role === "shared") {
    barrier(i32, deadline);
    if (d.mode === "atomics") for (let k = 0; k < n; k++) Atomics.add(i32, COUNTER, 1);
    else for (let k = 0; k < n; k++) i32[COUNTER] = i32[COUNTER] + 1;
    parentPort.postMessage({ ok: true });
  } else throw new Error(`unknown role ${d.role}`);
} catch (e) {
  fail(e);
}
