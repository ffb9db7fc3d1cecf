/**
 * Concurrency by Experiment — the one import for notebooks: `import { ... } from "./lib/index"`.
 * (tslab resolves only file paths, so "./lib/index", not "./lib"; likewise every import inside lib/ names a file.)
 *
 * A table of contents, in the order of the layers (each imports only the ones above it; see CONTRIBUTING.md):
 *   0. errors — CourseError, the base of every named error the course throws
 *   1. engines — simulations with no notebook code: sim, cpu, sched, interleave, eventloop
 *   2. real experiments on this machine (bounded in time, leave nothing running)
 *   3. figures — pure builders: results in, plotly JSON / HTML out
 *   4. notebook helpers — the only code that touches tslab: show, tables, checks, live displays
 *   5. chapters — each chapter's workloads, readings, exercise checks and own figures
 * Only what a chapter or a learner calls is listed here. Everything else stays reachable from its own module
 * (e.g. `./lib/real/index` for the worker pool, `./lib/plot/html` for `escapeHtml`).
 */

// ── 0. Errors ───────────────────────────────────────────────────────────────────────────────────────────────────
// Everything lib/ throws on purpose is a CourseError (SimInputError, SchedInputError, RealTimeoutError, ...).
export { CourseError } from "./errors";

// ── 1. Engines ──────────────────────────────────────────────────────────────────────────────────────────────────
// sim: a discrete-event engine shaped like SimPy (processes are generators that yield what they wait for).
export { SimEnvironment, SimResource, makeRng } from "./sim/index";
export type { SimGenerator, SimRng } from "./sim/index";

// cpu: the clock-cycle machine of chapter 01 (a toy: scalar, in order, one micro-op per core per cycle).
export {
  load, store, add, addi, sub, mul, program, sumProgram, seedPrograms, runCpu, classifyRun,
  allOrders, countOrders, surveyOrders, cycleTable, fewestCycles, ordersThatFit, concurrentWithin,
} from "./cpu/index";
export type { CpuProgram, CpuRun, CpuOptions, RunKind } from "./cpu/index";

// sched: tasks of CPU / IO / lock segments under a scheduling policy on N cores (OSTEP's policies).
export { sched, runSchedule, runJobs, comparePolicies, randomTasks } from "./sched/index";
export type { SchedTask, SchedSegment, SchedResult, SchedMachine, SchedPolicy, PolicyName } from "./sched/index";

// interleave: threads of atomic steps; every schedule counted exactly, a witness per outcome, replay, sampling.
export {
  threadProgram, parseThreadProgram, describeStep, explore, replay, sample, interleavingTree,
  counterRace, lockedCounter, atomicCounter, twoLockDeadlock, twoLockOrdered, flagLock, testAndSetLock, petersonLock,
  scheduleReaches, scheduleDeadlocks, extremeOutcome, outcomeRows, multinomialSchedules, deadlockShare,
  replayTableRows,
  // schedulers behind one seam (shuttle-like): pass one, or your own function, to sample() or runOnce()
  runOnce, randomScheduler, pctScheduler, roundRobinScheduler, replayScheduler,
} from "./interleave/index";
export type {
  InterleaveProgram, ExploreOptions, ExploreResult, InterleaveReplay, SampleOptions, SampleResult, CellGoal,
  InterleaveScheduler, SchedulerFunction,
} from "./interleave/index";

// eventloop: a deterministic model of Node's event loop (phases, nextTick, microtasks, timers, IO).
export { runLoop, runLoopTasks, loopTask, loopStep } from "./eventloop/index";
export type { LoopRun, LoopOptions } from "./eventloop/index";
export type { LoopApi } from "./eventloop/index";

// ── 2. Real experiments on this machine ───────────────────────────────────────────────────────────────────────
export {
  coreCount, roundTo, amdahlSpeedup, speedupExperiment, creationOverhead, ioModesExperiment, ioScalingExperiment,
  sharedCounterRace, lockContention, deadlockExperiment, progressBarExperiment, sleepSequentialVsConcurrent,
  asyncLostUpdate, AsyncMutex,
} from "./real/index";
export type { RealLimits, SpeedupResult, OverheadResult, SharedRaceResult, SleepDemoResult } from "./real/index";

// ── 3. Figures (pure: data → plotly JSON, SVG or HTML) ───────────────────────────────────────────────────────
export {
  seriesColor, STATE_COLORS, baseLayout, lineFigure, withLayout, predictedVsMeasuredFigure, compareBars,
  conceptMapSvg,
  cpuGantt, lifetimeChart, registerChart,
  schedGantt, schedUtilisationChart, policyTimeline, policyComparisonChart,
  outcomeHistogramFigure, interleavingTreeFigure, interleaveTableHtml, waitForGraphFigure, replayFrames,
  eventLoopTimelineFigure, eventLoopLagFigure, eventLoopStepFrames, eventLoopSnapshotHtml,
  realSpeedupFigure, realOverheadFigure, realIoModesFigure, realIoScalingFigure, realRaceFigure,
  realLockContentionFigure, realProgressBarFigure, realSleepFigure,
} from "./plot/index";
export type { Figure, Trace, LineSeries, Frame } from "./plot/index";

// ── 4. Notebook helpers (the tslab edge) ─────────────────────────────────────────────────────────────────────
export {
  show, showTable, showMarkdown, showHtml, showNote, showSteps, animate, progressBar, check, checkWith, lastCheck,
  resetPlotSession,
} from "./notebook/index";

// ── 5. Chapters ──────────────────────────────────────────────────────────────────────────────────────────────
// 02 Waiting is waste: the coffee bar, IO- vs CPU-bound batches, two reference frames, the sleep demo.
export {
  COFFEE_STYLES, coffeeTasks, coffeeRun, coffeeSummary, coffeeTimeline, coffeeUtilisationFigure, referenceFrames,
  oneAtATime, mixedTask, segmentsText, batchTimes, cpuShareSweep, cpuShareSweepFigure, predictSleepDemo,
  sleepVerdict,
} from "./chapters/02-waiting";

// 03 Processes, threads, coroutines: execution models, creation costs, a pool's forecast, child processes,
// a coroutine as a generator on the sim engine.
export {
  EXECUTION_MODELS, equalBatch, runModel, compareModels, predictPoolMs, creationCosts, breakEvenWorkMs,
  speedupVerdict, startVsWork, namesFastestModels, processBatchExperiment, processForecastRows,
  executionNestingSvg, speedupForecastFigure, creationCostFigure, coroutineDemo, coroutineGantt, coroutineVerdict,
} from "./chapters/03-processes";
export type { CoroutineBody, CoroutineDemo, CoroutineRun } from "./chapters/03-processes";

// 04 Preemption, priorities, starvation: every policy on one workload, round robin's trade-off, aging.
export {
  STANDARD_POLICIES, policyWorkload, runPolicies, averagesTable, rrSweep, rrSweepFigure, starvationWorkload,
  starvationSummary, arbitraryPolicy, runOrder,
} from "./chapters/04-scheduling";

// 05 Race conditions: the seed's table, exact counts for several sizes, the real race's report and figures.
export {
  seedTableRows, firstMoverReaches, counterRaceSummary, exactOutcomesFigure, realRaceReport, raceTimeFigure,
} from "./chapters/05-races";

// 06 Locks, deadlock, starvation: the half-locked counter, contention, fairness, the real contention report.
export {
  partlyLockedCounter, readsWhileHeld, shortestDeadlockFrom, simulateLockedWork, lockedWorkSweep, lockedWorkFigure,
  lockFairness, compareLockPolicies, smallestFairThink, fairnessRows, lockTimelineFigure, lockWaitFigure,
  lockContentionReport,
} from "./chapters/06-locks/index";

// 07 Cooperative async and the event loop: the seed's scenarios, the ordering puzzle, starvation, lost updates.
export {
  loopIoScenario, compareLoopIoModes, compareLoopProgressBars, loopLostUpdateScenario, orderingPuzzleRun,
  orderingPuzzleReal, puzzleOrder, sleepStyleRun, starvationScenario, largestChunkWithin, mixedTaskSet,
  cooperativeVsPreemptive, turnaroundOf, seedTotalsWithIo, lostUpdateFinal,
} from "./chapters/07-async/index";

// 08 Choosing a model: the sweep, seed 001's rule against it, real measurements on the map, definitions reviewed.
export {
  DEFAULT_CHOOSE_COSTS, CHOOSE_LABELS, chooseSweep, comparePoint, simulateChoice, sweepCell, seedRule, ruleAgreement,
  ruleAgrees, choosePhaseFigure, chooseRuleFigure, chooseLineFigure, placeRealMeasurements, coffeeShop,
  classifySchedRun, bottleneck, oneTaskUnderEveryModel,
} from "./chapters/08-choosing/index";
