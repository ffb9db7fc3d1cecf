"use strict";
// One task in a child process: node child.js <iterations> [<stopAt>]; prints the checksum and exits.
// <stopAt> is the experiment's time limit in ms since the epoch: past it the child exits with code 124 by itself,
// and also as soon as its parent is gone (no orphan keeps a core busy after a kernel died).
const { spin, untilOf } = require("./cpu.js");

const iterations = Number(process.argv[2]);
if (!Number.isSafeInteger(iterations) || iterations < 0) {
  process.stderr.write(`child.js: iterations must be a whole number >= 0, got ${process.argv[2]}\n`);
  process.exit(2);
}
const until = process.argv[3] === undefined ? Infinity : untilOf(Number(process.argv[3]));
const parent = process.ppid;
const CHUNK = 1 << 20;
let x = 0;
let left = iterations;
while (left > CHUNK) {
  x = spin(CHUNK, x);
  left -= CHUNK;
  if (performance.now() > until || process.ppid !== parent) {
    process.stderr.write("child.js: stopped (time limit passed or parent gone)\n");
    process.exit(124);
  }
}
process.stdout.write(String(spin(left, x)) + "\n");
