"use strict";
// Generic worker of lib/real: receives { id, kind, stopAt, ... } jobs, answers { id, ok, value } or
// { id, ok: false, error }. `stopAt` is the experiment's time limit (ms since the epoch): every loop and every wait
// below looks at it and stops by itself once it passed, even when the main thread is too busy to terminate us.
// Slot layout of the shared Int32Array (must match lib/real/shared.ts).
const { parentPort } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");
const http = require("node:http");
const { spinUntil, untilOf, TIME_LIMIT } = require("./cpu.js");
const { barrier } = require("./barrier.js");

// Increments between two looks at the clock in the race loops (the inner loop itself stays as it was).
const BLOCK = 1 << 16;

/** The earlier of the job's own bound (`timeoutMs` from now) and the experiment's time limit, as performance.now(). */
function deadlineOf(msg, timeoutMs = msg.timeoutMs) {
  return Math.min(performance.now() + (timeoutMs ?? Infinity), untilOf(msg.stopAt));
}

function checkLimit(msg) {
  if (performance.now() > untilOf(msg.stopAt)) throw new Error(TIME_LIMIT);
}

const COUNTER = 2, // slots 0 and 1 are the start barrier's (barrier.js)
  LOCK0 = 3;

// Mutex on one Int32 slot: 0 unlocked, 1 locked, 2 locked with waiters (futex style).
// Returns false when the deadline passes first: every wait is bounded.
function lock(i32, idx, deadline) {
  let c = Atomics.compareExchange(i32, idx, 0, 1);
  if (c === 0) return true;
  do {
    if (c === 2 || Atomics.compareExchange(i32, idx, 1, 2) !== 0) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(i32, idx, 2, left);
    }
    c = Atomics.compareExchange(i32, idx, 0, 2);
  } while (c !== 0);
  return true;
}

function unlock(i32, idx) {
  if (Atomics.sub(i32, idx, 1) !== 1) {
    Atomics.store(i32, idx, 0);
    Atomics.notify(i32, idx, 1);
  }
}

/** `why`, or the time-limit message when the experiment's limit has passed (a lock wait cut short by it). */
function lateOr(msg, why) {
  return performance.now() > untilOf(msg.stopAt) ? TIME_LIMIT : why;
}

function sleepBlocking(ms) {
  if (!(ms > 0)) return;
  const dummy = new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(dummy, 0, 0, ms);
}

function race(msg) {
  const i32 = new Int32Array(msg.sab);
  const deadline = deadlineOf(msg);
  barrier(i32, deadline);
  const t0 = performance.now();
  const n = msg.increments;
  for (let done = 0; done < n; ) {
    const m = Math.min(BLOCK, n - done);
    if (msg.mode === "plain") {
      for (let i = 0; i < m; i++) i32[COUNTER] = i32[COUNTER] + 1; // read, add, write: not atomic
    } else if (msg.mode === "atomic") {
      for (let i = 0; i < m; i++) Atomics.add(i32, COUNTER, 1);
    } else {
      for (let i = 0; i < m; i++) {
        if (!lock(i32, LOCK0, deadline)) throw new Error(lateOr(msg, "lock wait timed out"));
        i32[COUNTER] = i32[COUNTER] + 1;
        unlock(i32, LOCK0);
      }
    }
    done += m;
    checkLimit(msg);
  }
  const t1 = performance.now();
  return { ms: t1 - t0, startedAt: performance.timeOrigin + t0, endedAt: performance.timeOrigin + t1 };
}

function critical(msg) {
  const i32 = new Int32Array(msg.sab);
  const deadline = deadlineOf(msg);
  const until = untilOf(msg.stopAt);
  barrier(i32, deadline);
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < msg.ops; i++) {
    if (!lock(i32, LOCK0, deadline)) throw new Error(lateOr(msg, "lock wait timed out"));
    i32[COUNTER] = i32[COUNTER] + 1;
    try {
      sink ^= spinUntil(msg.criticalIterations, i + 1, until);
    } finally {
      unlock(i32, LOCK0); // never leave the others waiting on a lock nobody will release
    }
    sink ^= spinUntil(msg.outsideIterations, i + 7, until);
    checkLimit(msg);
  }
  return { ms: performance.now() - t0, sink };
}

function deadlock(msg) {
  const i32 = new Int32Array(msg.sab);
  barrier(i32, deadlineOf(msg, msg.timeoutMs + msg.holdMs + 1000));
  const t0 = performance.now();
  const first = LOCK0 + msg.first,
    second = LOCK0 + msg.second;
  const gotFirst = lock(i32, first, deadlineOf(msg));
  let gotSecond = false;
  let waitedMs = 0;
  if (gotFirst) {
    // hold the first lock a while (not past the time limit): the other worker takes its own first lock meanwhile
    sleepBlocking(deadlineOf(msg, msg.holdMs) - performance.now());
    if (performance.now() > untilOf(msg.stopAt)) {
      unlock(i32, first);
      throw new Error(TIME_LIMIT);
    }
    const t1 = performance.now();
    gotSecond = lock(i32, second, deadlineOf(msg));
    waitedMs = performance.now() - t1;
    if (gotSecond) unlock(i32, second);
    unlock(i32, first); // clean-up: a detected deadlock releases what it holds
  }
  return { gotFirst, gotSecond, waitedMs, ms: performance.now() - t0 };
}

function spinJob(msg) {
  const t0 = performance.now();
  const until = untilOf(msg.stopAt);
  const chunks = Math.max(1, msg.chunks | 0);
  const per = Math.floor(msg.iterations / chunks);
  let sum = 0;
  for (let c = 0; c < chunks; c++) {
    const n = c === chunks - 1 ? msg.iterations - per * (chunks - 1) : per;
    sum = (sum ^ spinUntil(n, msg.seed || 0, until)) >>> 0;
    if (chunks > 1) parentPort.postMessage({ id: msg.id, progress: (c + 1) / chunks });
  }
  return { checksum: sum, ms: performance.now() - t0 };
}

function get(agent, url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
  });
}

async function httpJob(msg) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const t0 = performance.now();
  let ok = 0;
  try {
    for (let i = 0; i < msg.count; i++) {
      checkLimit(msg);
      const left = Math.max(1, Math.min(msg.timeoutMs, untilOf(msg.stopAt) - performance.now()));
      if ((await get(agent, msg.url, left)) === 200) ok++;
    }
  } finally {
    agent.destroy();
  }
  return { ok, ms: performance.now() - t0 };
}

const jobs = { race, critical, deadlock, spin: spinJob, http: httpJob, noop: () => ({ ms: 0 }) };

parentPort.on("message", async (msg) => {
  try {
    const fn = jobs[msg.kind];
    if (!fn) throw new Error("unknown job kind " + msg.kind);
    const value = await fn(msg);
    parentPort.postMessage({ id: msg.id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(e?.message || e) });
  }
});
