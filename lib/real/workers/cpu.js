"use strict";
// The CPU-bound task of the real experiments, shared by the main thread and the workers
// (plain JavaScript so that tslab, vitest and ts-node can all load it in a worker).

/** Runs `iterations` rounds of an xorshift mixer; returns a 32-bit checksum so the work cannot be optimised away. */
function spin(iterations, seed) {
  let x = seed | 0 || 0x9e3779b9 | 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}

// 2^20 rounds: about a millisecond between two looks at the clock.
const CHUNK = 1 << 20;

/** Thrown (as its message) when a task passes the experiment's time limit. */
const TIME_LIMIT = "the experiment's time limit passed";

/**
 * spin(iterations, seed), with the same checksum, in chunks of 2^20 rounds; throws Error(TIME_LIMIT) as soon as
 * performance.now() passes `until` (this thread's clock; Infinity: no limit). The chunks continue one another: the
 * state after a chunk is the seed of the next (xorshift never reaches 0 from a non-zero state).
 */
function spinUntil(iterations, seed, until) {
  let x = seed;
  let left = iterations;
  while (left > CHUNK) {
    x = spin(CHUNK, x);
    left -= CHUNK;
    if (performance.now() > until) throw new Error(TIME_LIMIT);
  }
  return spin(left, x);
}

/** This thread's performance.now() at `stopAt` (ms since the epoch, as sent by the main thread); else Infinity. */
function untilOf(stopAt) {
  return typeof stopAt === "number" && !Number.isNaN(stopAt) ? stopAt - performance.timeOrigin : Infinity;
}

module.exports = { spin, spinUntil, untilOf, TIME_LIMIT };
