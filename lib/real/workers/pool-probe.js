"use strict";
// Child process of lib/real/libuv.ts (threadPoolProbe): how many of Node's libuv pool threads are there, and which
// calls need one? argv: <dir with FIFOs f0..f(n-1) and a small file "small"> <n> <settleMs>.
// Each fs.open(fifo, "r") blocks one pool thread, without using CPU, until a writer opens the FIFO. Then, while the
// pool may be full, it starts a file read, a pbkdf2, a gzip, a dns.lookup and a loopback TCP round trip, and records
// which of them finish before any pool thread is freed. Then it frees the blocked threads wave by wave: a
// non-blocking open for writing succeeds only on a FIFO whose reader is blocked in open() right now.
const fs = require("node:fs");
const path = require("node:path");
const net = require("node:net");
const crypto = require("node:crypto");
const zlib = require("node:zlib");
const dns = require("node:dns");

const dir = process.argv[2];
const n = Number(process.argv[3]);
const settleMs = Number(process.argv[4]);
const fifos = Array.from({ length: n }, (_, i) => path.join(dir, `f${i}`));
const readers = [];
for (const f of fifos) fs.open(f, "r", (e, fd) => (e ? (process.exitCode = 3) : readers.push(fd)));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const writers = new Map();
// Newest first: a freed pool thread takes the next queued open (queued in order f0, f1, …), which this loop has then
// already passed, so one wave counts only the readers that were blocked when it began.
function freeWave() {
  let freed = 0;
  for (const f of fifos.slice().reverse()) {
    if (writers.has(f)) continue;
    try {
      writers.set(f, fs.openSync(f, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      freed++;
    } catch (e) {
      if (e.code !== "ENXIO") throw e; // ENXIO: nobody is blocked reading this FIFO yet
    }
  }
  return freed;
}

(async () => {
  await sleep(settleMs);
  const t0 = performance.now();
  const doneMs = {};
  const done = (k) => () => (doneMs[k] = performance.now() - t0);
  fs.readFile(path.join(dir, "small"), done("fs.readFile"));
  crypto.pbkdf2("pw", "salt", 1, 16, "sha256", done("crypto.pbkdf2"));
  zlib.gzip("x", done("zlib.gzip"));
  dns.lookup("localhost", done("dns.lookup"));
  const server = net.createServer((s) => s.on("data", (d) => s.end(d)));
  server.listen(0, "127.0.0.1", () => {
    const c = net.connect(server.address().port, "127.0.0.1", () => c.write("ping"));
    c.on("data", () => {
      done("TCP round trip (socket)")();
      c.destroy();
      server.close();
    });
  });
  await sleep(settleMs);
  const whilePoolBusy = Object.keys(doneMs);
  const waves = [];
  for (let i = 0; i < n && writers.size < n; i++) {
    waves.push(freeWave());
    await sleep(settleMs);
  }
  for (const fd of writers.values()) fs.closeSync(fd);
  for (const fd of readers) fs.closeSync(fd);
  process.stdout.write(JSON.stringify({ waves, whilePoolBusy, doneMs }));
  process.exit(0);
})().catch((e) => {
  process.stderr.write(String(e?.stack));
  process.exit(2);
});
