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

module.exports = { spin };
