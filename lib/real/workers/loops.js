"use strict";
// Worker of lib/real/loops.ts: an event loop of its own that fetches `count` URLs at once (Promise.all) and answers
// { id, ok, value: { ms, ok } } or { id, ok: false, error }. Every request has a time limit.
const { parentPort } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");
const http = require("node:http");

const agent = new http.Agent({ keepAlive: true });

function get(url, timeoutMs) {
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

parentPort.on("message", async (msg) => {
  try {
    const t0 = performance.now();
    const codes = await Promise.all(Array.from({ length: msg.count }, () => get(msg.url, msg.timeoutMs)));
    const value = { ms: performance.now() - t0, ok: codes.filter((c) => c === 200).length };
    parentPort.postMessage({ id: msg.id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(e?.message || e) });
  }
});
