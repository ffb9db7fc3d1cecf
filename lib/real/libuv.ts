/**
 * Node's own threads, measured: "your JavaScript runs on one thread; Node itself uses a few more". libuv runs file
 * system calls, dns.lookup, crypto.pbkdf2/scrypt and zlib as blocking calls on a pool of threads (4 by default,
 * UV_THREADPOOL_SIZE); sockets use the OS's readiness API (epoll, kqueue, IOCP) instead (Node docs, "Don't Block the
 * Event Loop (or the Worker Pool)"). A child process blocks pool threads without using CPU, by opening FIFOs for
 * reading (each open waits for a writer), and counts how many block at once; meanwhile it checks which other calls
 * still finish. Needs `mkfifo` (Linux, macOS).
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkOptions, RealInputError, RealRunError } from "./errors";
import { type RealLimits, runBounded } from "./resources";

/** Options of `threadPoolProbe`. */
export interface ThreadPoolProbeOptions extends RealLimits {
  /** UV_THREADPOOL_SIZE for the child process, 1..64 (default: unset, Node's default of 4). */
  poolSize?: number;
  /** FIFO opens to issue, each of which holds one pool thread until freed (default 8). */
  blockers?: number;
  /** Time given to the pool threads to pick up and block, before each look (ms, default 150). */
  settleMs?: number;
}

/** Result of `threadPoolProbe`. */
export interface ThreadPoolProbeResult {
  /** The UV_THREADPOOL_SIZE given to the child, or null when it ran with Node's default. */
  poolSize: number | null;
  blockers: number;
  /** How many opens were blocked in a pool thread at each look (freed after each look): [4, 4] means 4 threads. */
  waves: number[];
  /** The most pool threads seen blocked at once: the pool's size when `blockers` ≥ the size. */
  threadsSeen: number;
  /** The calls that finished while every pool thread was blocked (e.g. only the socket round trip). */
  whilePoolBusy: string[];
  /** When each call finished, ms after it was started (the pool calls only after a thread was freed). */
  doneMs: Record<string, number>;
}

/** Counts Node's libuv pool threads in a child process, and which calls wait for one (fs, dns, crypto, zlib). */
export async function threadPoolProbe(options: ThreadPoolProbeOptions = {}): Promise<ThreadPoolProbeResult> {
  checkKnownOptions(RealInputError, "threadPoolProbe's options", options, [
    "poolSize",
    "blockers",
    "settleMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("threadPoolProbe", options);
  const poolSize =
    options.poolSize === undefined ? null : checkInt("poolSize", options.poolSize, 1, 64, "pass e.g. 4 or 8");
  const blockers = checkInt("blockers", options.blockers ?? 8, 1, 64, "pass e.g. 8");
  const settleMs = checkInt("settleMs", options.settleMs ?? 150, 20, 2_000, "pass e.g. 150");
  if (process.platform === "win32") {
    throw new RealInputError("threadPoolProbe needs FIFOs (mkfifo), which Windows lacks: run it on Linux or macOS");
  }
  const limit = 10_000 + settleMs * (blockers + 4);
  return runBounded("threadPoolProbe", options, limit, async (res) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-pool-"));
    try {
      const fifos = Array.from({ length: blockers }, (_, i) => path.join(dir, `f${i}`));
      fs.writeFileSync(path.join(dir, "small"), "x");
      await runToEnd(res.child("mkfifo", fifos, { stdio: "ignore" }), "mkfifo");
      const env = { ...process.env };
      delete env.UV_THREADPOOL_SIZE;
      if (poolSize !== null) env.UV_THREADPOOL_SIZE = String(poolSize);
      const probe = path.join(__dirname, "workers", "pool-probe.js");
      const c = res.child(process.execPath, [probe, dir, String(blockers), String(settleMs)], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      c.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      c.stderr!.on("data", (d: Buffer) => (err += d.toString()));
      await runToEnd(c, "the probe's child process", () => err);
      const r = JSON.parse(out) as Pick<ThreadPoolProbeResult, "waves" | "whilePoolBusy" | "doneMs">;
      return { poolSize, blockers, threadsSeen: Math.max(0, ...r.waves), ...r };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

function runToEnd(c: import("node:child_process").ChildProcess, what: string, stderr = () => ""): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    c.once("error", (e: Error) => reject(new RealRunError(`${what} could not start (${e.message})`)));
    c.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new RealRunError(`${what} exited with code ${code} ${stderr().slice(0, 300)}: run it again`)),
    );
  });
}
