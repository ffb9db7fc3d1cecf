/**
 * Real measurements placed on the sweep: each lib/real experiment sits at one point (CPU share, connections,
 * request time). At that point the model — told this machine's cores and the measured worker start-up — predicts
 * which of "async on one thread" and "workers" (the process model) finishes first; the measurement says which did.
 */
import { checkNumber, checkOptions, checkResult } from "../../errors/validate";
import type {
  IoModesResult,
  IoScalingResult,
  LoopsResult,
  PingPongResult,
  PythonSwitchResult,
  SpeedupResult,
} from "../../real/index";
import { type ChooseCosts, ChooseInputError, type ChooseModel, type ChoosePoint, comparePoint } from "./sweep";

/**
 * The switch costs of the model from measured round trips: a hand-off is half a round trip (there and back is two
 * hand-offs); µs → ms. From pingPongExperiment (Node): threadSwitchMs from the Atomics.wait/notify ping-pong between
 * two workers (OS threads blocking in the kernel), asyncSwitchMs from the event-loop-turn ping-pong (`loopTurn`: a
 * task woken by its IO goes through the loop; the bare `await` hop is the cost of CPU-side hand-offs only). From
 * pythonSwitchExperiment (CPython): threadSwitchMs from the GIL-thread ping-pong, asyncSwitchMs from asyncio's.
 * With a postMessage row (Node), also messageMs: half the echo between the main thread and a worker.
 */
export function measuredSwitchCosts(
  p: PingPongResult | PythonSwitchResult,
): Pick<ChooseCosts, "threadSwitchMs" | "asyncSwitchMs"> & Partial<Pick<ChooseCosts, "messageMs">> {
  const rows: { mode: string; roundTripUs: { median: number } }[] = p?.rows ?? [];
  const python = rows.some((r) => r.mode === "asyncio");
  const [thread, async] = python ? ["threads", "asyncio"] : ["atomics", "loopTurn"];
  const us = (mode: string) => {
    const row = rows.find((r) => r.mode === mode);
    if (!row || !(row.roundTripUs.median > 0))
      throw new ChooseInputError(
        python
          ? `The Python result has no "${mode}" row: pass the result of pythonSwitchExperiment().`
          : `The ping-pong result has no "${mode}" row: run pingPongExperiment() with modes ["loopTurn", "atomics"].`,
      );
    return row.roundTripUs.median;
  };
  const costs = { threadSwitchMs: us(thread) / 2 / 1000, asyncSwitchMs: us(async) / 2 / 1000 };
  // Node's postMessage echo, where it was measured: one message is half of it (the "messages" model).
  const echo = python ? undefined : rows.find((r) => r.mode === "postMessage");
  return echo && echo.roundTripUs.median > 0 ? { ...costs, messageMs: echo.roundTripUs.median / 2 / 1000 } : costs;
}

/** What a comparison shows: one side faster by more than the tie, or a tie. */
export type RealVerdict = "async faster" | "tie" | "workers faster";

/** One real experiment at one point: measured and predicted times (ms) of async vs workers. */
export interface RealChoice {
  label: string;
  point: ChoosePoint;
  measured: { async: number; processes: number };
  predicted: { async: number; processes: number };
  measuredWinner: ChooseModel;
  predictedWinner: ChooseModel;
  /** async time ÷ workers time (> 1: workers faster), measured and predicted. */
  measuredSpeedup: number;
  predictedSpeedup: number;
  measuredVerdict: RealVerdict;
  predictedVerdict: RealVerdict;
  /** The measurement shows the effect the model predicts: the same verdict (a measured tie agrees only with a
   * predicted tie; a predicted 2× that measures 1.0× does not). */
  agree: boolean;
}

/** "tie" when the two times are within `tie` (relative) of each other, else which side is faster. */
function verdict(async: number, workers: number, tie: number): RealVerdict {
  if (Math.max(async, workers) <= Math.min(async, workers) * (1 + tie)) return "tie";
  return workers < async ? "workers faster" : "async faster";
}

function place(
  label: string,
  point: ChoosePoint,
  measured: { async: number; processes: number },
  costs: Partial<ChooseCosts>,
  tie: number,
): RealChoice {
  const cell = comparePoint(point, { models: ["processes", "async"], costs, tie });
  const get = (m: ChooseModel) => cell.outcomes.find((o) => o.model === m)!.makespan;
  const predicted = { async: get("async"), processes: get("processes") };
  const measuredWinner: ChooseModel = measured.processes < measured.async ? "processes" : "async";
  const measuredVerdict = verdict(measured.async, measured.processes, tie);
  const predictedVerdict = verdict(predicted.async, predicted.processes, tie);
  return {
    label,
    point,
    measured,
    predicted,
    measuredWinner,
    predictedWinner: cell.winner,
    measuredSpeedup: measured.async / measured.processes,
    predictedSpeedup: predicted.async / predicted.processes,
    measuredVerdict,
    predictedVerdict,
    agree: measuredVerdict === predictedVerdict,
  };
}

/** Inputs: any of the three real results (run with small options). */
export interface RealChoiceInputs {
  speedup?: SpeedupResult;
  ioModes?: IoModesResult;
  ioScaling?: IoScalingResult;
  /** Relative difference counted as a tie (default 0.1: real timings are noisy). */
  tie?: number;
  /** Costs of the model for this machine (e.g. measuredSwitchCosts); each point adds its cores and start-up. */
  costs?: Partial<ChooseCosts>;
}

/** Turn real results into points on the sweep, each with the model's prediction for this machine. */
export function placeRealMeasurements(inputs: RealChoiceInputs): RealChoice[] {
  inputs = checkOptions<RealChoiceInputs>(ChooseInputError, "placeRealMeasurements' inputs", inputs ?? null, [
    "speedup",
    "ioModes",
    "ioScaling",
    "tie",
    "costs",
  ]) as RealChoiceInputs;
  if (inputs.tie !== undefined) checkNumber(ChooseInputError, "`tie`", inputs.tie, { min: 0, max: 1 }, "e.g. 0.1");
  const tie = inputs.tie ?? 0.1;
  const base = inputs.costs ?? {};
  const out: RealChoice[] = [];
  const s = inputs.speedup;
  if (s && s.points.length > 0) {
    const best = s.points.reduce((a, b) => (b.ms.median < a.ms.median ? b : a));
    const taskMs = s.sequentialMs.median / s.tasks;
    // the pool was started before the clock ran: no spawn cost in this comparison
    out.push(
      place(
        `${s.tasks} CPU tasks: one thread vs ${best.workers} workers`,
        { cpuShare: 1, connections: s.tasks, requestMs: taskMs },
        { async: s.sequentialMs.median, processes: best.ms.median },
        { ...base, cores: Math.min(s.cores, best.workers), processSpawnMs: 0 },
        tie,
      ),
    );
  }
  const m = inputs.ioModes;
  if (m) {
    const a = m.rows.find((r) => r.mode === "promiseAll");
    const w = m.rows.find((r) => r.mode === "workers");
    if (a && w) {
      out.push(
        place(
          `${a.requests} requests: Promise.all vs ${w.concurrency} workers`,
          { cpuShare: 0, connections: a.requests, requestMs: m.delayMs },
          { async: a.ms.median, processes: w.ms.median },
          { ...base, cores: w.concurrency, processSpawnMs: 0 },
          tie,
        ),
      );
    }
  }
  const sc = inputs.ioScaling;
  if (sc) {
    for (const a of sc.rows.filter((r) => r.mode === "async")) {
      const w = sc.rows.find((r) => r.mode === "workers" && r.concurrency === a.concurrency);
      if (!w) continue;
      out.push(
        place(
          `${a.concurrency} in flight: async vs a worker each (start-up included)`,
          { cpuShare: 0, connections: a.requests, requestMs: sc.delayMs * sc.rounds },
          { async: a.totalMs, processes: w.totalMs },
          { ...base, cores: w.concurrency, processSpawnMs: w.startupMs }, // started together, as one start-up
          tie,
        ),
      );
    }
  }
  return out;
}

/** One loop against worker loops (loopsExperiment) beside the model's async vs processes × async at that point (ms). */
export function loopsRows(
  loops: LoopsResult,
  costs: Partial<ChooseCosts> = {},
): { way: string; "measured, median (ms)": number; "runs (ms)": string; "model (ms)": number }[] {
  checkResult(
    ChooseInputError,
    "the loops given to loopsRows",
    loops,
    ["requests"],
    "pass what loopsExperiment(...) returned",
  );
  const cell = comparePoint(
    { cpuShare: 0, connections: loops.requests, requestMs: loops.delayMs },
    { models: ["async", "processesAsync"], costs: { ...costs, cores: loops.loops } },
  );
  const model = (m: ChooseModel) => cell.outcomes.find((o) => o.model === m)!.makespan;
  const round = (x: number) => Math.round(x * 10) / 10;
  const row = (way: string, ms: LoopsResult["oneLoopMs"], m: ChooseModel) => ({
    way,
    "measured, median (ms)": round(ms.median),
    "runs (ms)": ms.runs.map(round).join(", "),
    "model (ms)": round(model(m)),
  });
  return [
    row("one loop: Promise.all on the main thread", loops.oneLoopMs, "async"),
    row(`${loops.loops} worker loops, each Promise.all`, loops.manyLoopsMs, "processesAsync"),
  ];
}
