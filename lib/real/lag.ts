/**
 * Seed 004's progress bar, made real: a timer ticks a progress bar while the main thread awaits a request,
 * blocks on CPU work, does the same work in chunks that yield, and hands it to a worker.
 * Every tick is recorded (time, progress, lag) and can be forwarded to a live display through `onProgress`.
 */

import { monitorEventLoopDelay } from "node:perf_hooks";
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkChoice, checkNumber, checkOptions, RealInputError } from "./errors";
import { WorkerPool } from "./pool";
import { type RealLimits, runBounded } from "./resources";
import { httpGet, startDelayServer, trackedAgent } from "./server";
import { calibrateSpin, spinTask } from "./shared";

/** What the main thread does during a phase: await a request, block on CPU, CPU in chunks, CPU in a worker. */
export type LagPhase = "await" | "blocking" | "chunked" | "worker";

/** What `onProgress` receives with each tick besides the fraction. */
export interface LagTickInfo {
  phase: LagPhase;
  /** Time since the experiment started, in ms. */
  tMs: number;
  /** How late this tick came compared with its schedule, in ms. */
  lagMs: number;
}

/** One tick of the progress bar: time (ms), overall progress (0..1), lag (ms), and the phase it fell in. */
export interface LagSample extends LagTickInfo {
  progress: number;
}

/** Per phase: its interval (ms since start), ticks seen, the longest gap between ticks and the loop delay (ms). */
export interface LagPhaseReport {
  phase: LagPhase;
  startMs: number;
  endMs: number;
  ticks: number;
  /** Longest time between two consecutive ticks inside the phase (or from its start), in ms. */
  maxGapMs: number;
  /** perf_hooks.monitorEventLoopDelay during the phase: mean and max delay, in ms. */
  meanDelayMs: number;
  maxDelayMs: number;
}

/** Options of `progressBarExperiment`; the defaults take about two seconds. */
export interface ProgressBarOptions extends RealLimits {
  /** Phases in order (default ["await", "blocking", "chunked", "worker"]). */
  phases?: LagPhase[];
  /** Duration of each phase's work (the request's delay, or the CPU work), in ms (default 400). */
  workMs?: number;
  /** Progress bar interval, in ms (default 20). */
  tickMs?: number;
  /** Size of one chunk of CPU work in the "chunked" and "worker" phases, in ms (default 10). */
  chunkMs?: number;
  /** Called on every tick with the overall progress (0..1): wire it to a live display. */
  onProgress?: (fraction: number, info: LagTickInfo) => void;
}

/** Result of `progressBarExperiment`: every tick and a summary per phase. */
export interface ProgressBarResult {
  tickMs: number;
  workMs: number;
  samples: LagSample[];
  phases: LagPhaseReport[];
}

const ALL_PHASES: LagPhase[] = ["await", "blocking", "chunked", "worker"];

/** Runs the phases under a ticking progress bar; returns the ticks (ms, 0..1, ms) and per-phase lag (ms). */
export async function progressBarExperiment(options: ProgressBarOptions = {}): Promise<ProgressBarResult> {
  checkKnownOptions(RealInputError, "progressBarExperiment's options", options, [
    "phases",
    "workMs",
    "tickMs",
    "chunkMs",
    "onProgress",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("progressBarExperiment", options);
  const phases = (options.phases ?? ALL_PHASES).map((p, i) => checkChoice(`phases[${i}]`, p, ALL_PHASES));
  if (phases.length === 0)
    throw new RealInputError('Expected `phases` to list at least one phase, got []: pass e.g. ["await", "blocking"]');
  const workMs = checkNumber("workMs", options.workMs ?? 400, 1, 10_000, "pass the work per phase in ms, e.g. 400");
  const tickMs = checkNumber("tickMs", options.tickMs ?? 20, 1, 1000);
  const chunkMs = checkNumber("chunkMs", options.chunkMs ?? 10, 0.1, workMs);
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new RealInputError(
      `Expected \`onProgress\` to be a function (fraction, info) => void, got ${typeof onProgress}: pass a callback or leave it out`,
    );
  }
  return runBounded("progressBarExperiment", options, 10_000 + phases.length * workMs * 4, async (res) => {
    // set-up outside the timeline: server, worker, calibration
    const server = phases.includes("await") ? await startDelayServer(res, workMs) : null;
    const agent = trackedAgent(res, 1);
    const pool = phases.includes("worker") ? await WorkerPool.start(res, 1) : null;
    const chunkIterations = calibrateSpin(chunkMs);
    const chunks = Math.max(1, Math.round(workMs / chunkMs));

    const samples: LagSample[] = [];
    const reports: LagPhaseReport[] = [];
    let phaseIndex = 0;
    let phaseProgress = 0;
    let phaseStart = 0;
    let running = false;
    const t0 = performance.now();
    let last = t0;
    const progress = () => Math.min(1, (phaseIndex + Math.min(1, phaseProgress)) / phases.length);
    const ticker = res.setInterval(() => {
      const now = performance.now();
      const phase = phases[Math.min(phaseIndex, phases.length - 1)];
      // a request has no progress of its own: estimate from time
      if (phase === "await" && running) phaseProgress = Math.min(1, (now - phaseStart) / workMs);
      const s: LagSample = { tMs: now - t0, progress: progress(), lagMs: Math.max(0, now - last - tickMs), phase };
      last = now;
      samples.push(s);
      if (onProgress) {
        try {
          onProgress(s.progress, { phase: s.phase, tMs: s.tMs, lagMs: s.lagMs });
        } catch {
          // a failing display must not break the measurement
        }
      }
    }, tickMs);

    for (phaseIndex = 0; phaseIndex < phases.length; phaseIndex++) {
      const phase = phases[phaseIndex];
      phaseProgress = 0;
      running = false;
      const h = monitorEventLoopDelay({ resolution: 5 });
      res.onClose(() => {
        h.disable();
      });
      h.enable();
      await res.sleep(12); // the monitor needs a couple of its own ticks before it records anything
      phaseStart = performance.now();
      running = true;
      if (phase === "await") {
        await httpGet(agent, server!.url, workMs * 4 + 2000);
      } else if (phase === "blocking") {
        const end = phaseStart + workMs;
        // through runSync: the ticker cannot run, but the time limit and Kernel → Interrupt can stop the loop
        res.runSync(() => {
          while (performance.now() < end) {
            spinTask(chunkIterations / 10);
            phaseProgress = (performance.now() - phaseStart) / workMs; // nobody can draw this until the loop ends
          }
        });
      } else if (phase === "chunked") {
        const end = phaseStart + workMs;
        while (performance.now() < end) {
          res.check();
          const chunkEnd = Math.min(end, performance.now() + chunkMs);
          while (performance.now() < chunkEnd) spinTask(chunkIterations / 10);
          phaseProgress = (performance.now() - phaseStart) / workMs;
          await new Promise((r) => setImmediate(r)); // yield: timers and IO run between chunks
        }
      } else {
        await pool!.run({ kind: "spin", iterations: chunkIterations * chunks, chunks }, (f) => (phaseProgress = f));
      }
      phaseProgress = 1;
      running = false;
      const phaseEnd = performance.now();
      await res.sleep(1); // let an overdue tick (and the delay monitor's timer) land inside the phase it measured
      h.disable();
      const inPhase = samples.filter((s) => s.tMs >= phaseStart - t0 && s.tMs <= phaseEnd - t0 + tickMs);
      let prev = phaseStart - t0;
      let maxGap = 0;
      for (const s of inPhase) {
        maxGap = Math.max(maxGap, s.tMs - prev);
        prev = s.tMs;
      }
      maxGap = Math.max(maxGap, Math.min(phaseEnd - t0, performance.now() - t0) - prev);
      reports.push({
        phase,
        startMs: phaseStart - t0,
        endMs: phaseEnd - t0,
        ticks: inPhase.length,
        maxGapMs: maxGap,
        meanDelayMs: finiteOr0(h.mean / 1e6),
        maxDelayMs: finiteOr0(h.max / 1e6),
      });
      await res.sleep(Math.max(0, 2 * tickMs - 12)); // a short idle gap so the phases are apart on the chart
    }
    res.clearTimer(ticker);
    return { tickMs, workMs, samples, phases: reports };
  });
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** How a chunked computation gives the loop back between chunks. */
export type ChunkYield = "microtask" | "immediate";

/** Options of `chunkYieldExperiment` (ms). */
export interface ChunkYieldOptions extends RealLimits {
  /** CPU work in all, per run (default 200). */
  workMs?: number;
  /** One chunk (default 10). */
  chunkMs?: number;
  /** A timer that should tick every `tickMs` meanwhile (default 5). */
  tickMs?: number;
}

/** One run: how the chunks yielded, how long the work took, and how the timer fared meanwhile (ms). */
export interface ChunkYieldRun {
  yieldWith: ChunkYield;
  totalMs: number;
  chunks: number;
  /** Ticks of the interval timer while the work ran. */
  ticks: number;
  /** Longest time without a tick while the work ran (from its start to its end). */
  maxGapMs: number;
}

/**
 * The same CPU work in chunks, once with `await Promise.resolve()` between chunks ("microtask": only other
 * microtasks may run) and once with `await new Promise(r => setImmediate(r))` ("immediate": timers and IO run),
 * while an interval timer tries to tick every `tickMs`. Times in ms.
 */
export async function chunkYieldExperiment(
  options: ChunkYieldOptions = {},
): Promise<{ workMs: number; chunkMs: number; tickMs: number; runs: ChunkYieldRun[] }> {
  checkKnownOptions(RealInputError, "chunkYieldExperiment's options", options, [
    "workMs",
    "chunkMs",
    "tickMs",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("chunkYieldExperiment", options);
  const workMs = checkNumber("workMs", options.workMs ?? 200, 1, 5000, "pass the CPU work in ms, e.g. 200");
  const chunkMs = checkNumber("chunkMs", options.chunkMs ?? 10, 0.1, workMs, "pass a chunk in ms, e.g. 10");
  const tickMs = checkNumber("tickMs", options.tickMs ?? 5, 1, 1000, "pass a tick in ms, e.g. 5");
  return runBounded("chunkYieldExperiment", options, 10_000 + 4 * workMs, async (res) => {
    const runs: ChunkYieldRun[] = [];
    for (const yieldWith of ["microtask", "immediate"] as const) {
      await res.sleep(2 * tickMs);
      const ticks: number[] = [];
      const ticker = res.setInterval(() => ticks.push(performance.now()), tickMs);
      await res.sleep(tickMs + 1); // the timer is running before the work starts
      const t0 = performance.now();
      const end = t0 + workMs;
      let chunks = 0;
      while (performance.now() < end) {
        res.check();
        const chunk = () => {
          const chunkEnd = Math.min(end, performance.now() + chunkMs);
          while (performance.now() < chunkEnd) {
            // a chunk of CPU work
          }
        };
        // Between "microtask" chunks no signal listener can run: there each chunk goes through res.runSync, which
        // Kernel → Interrupt can stop (res.check() above handles the time limit).
        if (yieldWith === "microtask") res.runSync(chunk);
        else chunk();
        chunks++;
        if (yieldWith === "microtask") await Promise.resolve();
        else await new Promise((r) => setImmediate(r));
      }
      const t1 = performance.now();
      res.clearTimer(ticker);
      const inside = ticks.filter((t) => t >= t0 && t <= t1);
      let prev = t0;
      let maxGap = 0;
      for (const t of [...inside, t1]) {
        maxGap = Math.max(maxGap, t - prev);
        prev = t;
      }
      runs.push({ yieldWith, totalMs: t1 - t0, chunks, ticks: inside.length, maxGapMs: maxGap });
    }
    return { workMs, chunkMs, tickMs, runs };
  });
}
