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

// asynccheck (an engine, listed first because exports are sorted by path): the learner's own async functions,
// every interleaving explored exactly, a witness per outcome / violation / deadlock, replay.
export type { AsyncCheckResult, AsyncProgram, AsyncReplay, AsyncStore, AsyncTask } from "./asynccheck/index";
export { AsyncCheckError, checkAsync, replayAsync } from "./asynccheck/index";
// ── 5. Chapters ──────────────────────────────────────────────────────────────────────────────────────────────
// 01 Parallelism vs concurrency: one task a wider core speeds up; the chapter's exercises (registered on load).
export { sumOfSums } from "./chapters/01-parallelism";
// 02 Waiting is waste: the coffee bar, IO- vs CPU-bound batches, two reference frames, the sleep demo.
export {
  batchTimes,
  COFFEE_STYLES,
  coffeeRun,
  coffeeServedAt,
  coffeeSummary,
  coffeeTasks,
  coffeeTimeline,
  coffeeUtilisationFigure,
  cpuShareSweep,
  cpuShareSweepFigure,
  mixedTask,
  oneAtATime,
  oneTaskWithFetches,
  predictSleepDemo,
  referenceFrames,
  segmentsText,
  sleepDemoFigure,
  sleepVerdict,
} from "./chapters/02-waiting/index";
export type { CoroutineBody, CoroutineDemo, CoroutineRun } from "./chapters/03-processes/index";
// 03 Processes, threads, coroutines: execution models, creation costs, a pool's forecast, child processes,
// a coroutine as a generator on the sim engine.
export {
  amdahlFigure,
  amdahlFit,
  amdahlPlan,
  amdahlReport,
  asyncAsGenerator,
  blockingCall,
  breakEvenWorkMs,
  compareModels,
  coroutineDemo,
  coroutineGantt,
  coroutineVerdict,
  coroutineVsLoop,
  creationCostFigure,
  creationCosts,
  EXECUTION_MODELS,
  equalBatch,
  executionNestingSvg,
  holdCpu,
  namesFastestModels,
  overheadReport,
  predictPoolMs,
  processBatchExperiment,
  processForecastFigure,
  processForecastReport,
  runModel,
  speedupVerdict,
  startCostMs,
  startVsWork,
} from "./chapters/03-processes/index";
// 04 Preemption, priorities, starvation: every policy on one workload, round robin's trade-off, aging.
export {
  arbitraryPolicy,
  averagesTable,
  bestPolicies,
  policyWorkload,
  rrSweep,
  rrSweepFigure,
  runOrder,
  runPolicies,
  stallRows,
  starvationSummary,
  starvationWorkload,
} from "./chapters/04-scheduling";
// 05 Race conditions: the seed's table, exact counts for several sizes, the real race's report and figures.
export {
  counterRaceSummary,
  exactOutcomesFigure,
  firstMoverReaches,
  lastSeatProgram,
  litmusReport,
  litmusRows,
  raceTimeFigure,
  realRaceReport,
  seedTableRows,
} from "./chapters/05-races";
// 05 write your own race: the learner's async increment, every schedule explored (checkAsync).
export { checkRacyIncrement, checkRealIncrement, checkSafeIncrement } from "./chapters/05-races-code";
// 06 write your own locks: a locked increment, a lock-order deadlock provoked and fixed (checkAsync).
export { checkDeadlockFixed, checkDeadlockProvoked, checkLockedIncrement } from "./chapters/06-locks/code";
// 06 Locks, deadlock, starvation: the half-locked counter, contention, fairness, the real contention report.
export {
  amdahlRows,
  compareLockPolicies,
  contentionFigure,
  fairnessRows,
  livelockRows,
  lockContentionReport,
  lockedWorkFigure,
  lockedWorkSweep,
  lockFairness,
  lockGantt,
  lockTimelineFigure,
  lockWaitFigure,
  partlyLockedCounter,
  petersonReport,
  politeThreads,
  readsWhileHeld,
  ringOfLocks,
  shortestDeadlockFrom,
  simulateLockedWork,
  smallestFairThink,
} from "./chapters/06-locks/index";
// 07 write your own async code: fetch once, a semaphore, producer–consumer (checkAsync).
export { checkChannel, checkFetchOnce, checkSemaphore } from "./chapters/07-async/code";
// 07 Cooperative async and the event loop: the seed's scenarios, the ordering puzzle, starvation, lost updates; async
// hazards: Promise.all / allSettled / any / race (model and real), timeouts, cancellation, unhandled rejections.
export {
  asyncDeadlockReal,
  asyncDeadlockScenario,
  cancellationReal,
  combinatorFigure,
  combinatorScenario,
  combinatorsReal,
  compareLoopIoModes,
  compareLoopProgressBars,
  cooperativeVsPreemptive,
  largestChunkWithin,
  loopIoScenario,
  loopLostUpdateScenario,
  lostUpdateFinal,
  mixedTaskSet,
  orderingPuzzleAs,
  orderingPuzzleInModule,
  orderingPuzzleReal,
  orderingPuzzleRun,
  puzzleOrder,
  raceTimeoutFigure,
  raceTimeoutReal,
  seedTotalsWithIo,
  sleepCpuFigure,
  sleepStyleRun,
  starvationScenario,
  timeoutVsImmediate,
  timeoutVsImmediateFigure,
  timeoutVsImmediateReal,
  turnaroundOf,
  unhandledRejectionsReal,
} from "./chapters/07-async/index";
// 07 write your own async code on real timers: withTimeout (abort the work, clear the timer).
export { checkWithTimeout } from "./chapters/07-async/timeout-code";
// 08 Choosing a model: the sweep, seed 001's rule against it, real measurements on the map, definitions reviewed.
export {
  bottleneck,
  CHOOSE_LABELS,
  chooseLineFigure,
  choosePhaseFigure,
  chooseRuleFigure,
  chooseSweep,
  classifySchedRun,
  coffeeShop,
  comparePoint,
  costTableRows,
  crossoverConnections,
  crossoverRows,
  DEFAULT_CHOOSE_COSTS,
  loopsRows,
  measuredSwitchCosts,
  oneTaskUnderEveryModel,
  placeRealMeasurements,
  restrictSweep,
  ruleAgreement,
  ruleAgrees,
  simulateChoice,
  sweepCell,
  threadCostRows,
  winCounts,
} from "./chapters/08-choosing/index";
// 09 Coordinating tasks: a semaphore as a limiter (the crawler, your own limit(k)), the queue with backpressure,
// producer–consumer with condition variables and semaphores explored, counting by message passing (the real
// experiments are in section 2 below).
export {
  bufferProgramText,
  bufferVariants,
  bufferVariantsFigure,
  checkBufferFix,
  checkLimit,
  compareLimits,
  counterCostFigure,
  crawlDurations,
  crawlGanttFigure,
  crawlModel,
  exploreBuffer,
  heapFigure,
  inFlightFigure,
  queueLengthFigure,
  queueModel,
} from "./chapters/09-coordinating/index";
export type { CpuOptions, CpuProgram, CpuRun, RunKind } from "./cpu/index";
// cpu: the clock-cycle machine of chapter 01 (a toy: in order, one micro-op per core per cycle unless issueWidth > 1).
export {
  add,
  addi,
  allOrders,
  classifyRun,
  concurrentWithin,
  countOrders,
  cycleTable,
  fewestCycles,
  load,
  mul,
  ordersThatFit,
  program,
  runCpu,
  seedPrograms,
  store,
  sub,
  sumProgram,
  surveyOrders,
} from "./cpu/index";
// ── 0. Errors ───────────────────────────────────────────────────────────────────────────────────────────────────
// Everything lib/ throws on purpose is a CourseError (SimInputError, SchedInputError, RealTimeoutError, ...).
export { CourseError } from "./errors";
export type { LoopApi, LoopOptions, LoopRun } from "./eventloop/index";
// eventloop: a deterministic model of Node's event loop (phases, nextTick, microtasks, timers, IO).
export { loopStep, loopTask, runLoop, runLoopTasks } from "./eventloop/index";
export type {
  CellGoal,
  ExploreOptions,
  ExploreResult,
  InterleaveProgram,
  InterleaveReplay,
  InterleaveScheduler,
  SampleOptions,
  SampleResult,
  SchedulerFunction,
} from "./interleave/index";
// interleave: threads of atomic steps; every schedule counted exactly, a witness per outcome, replay, sampling.
export {
  atomicCounter,
  counterRace,
  deadlockShare,
  describeStep,
  explore,
  extremeOutcome,
  flagLock,
  interleavingTree,
  lockedCounter,
  multinomialSchedules,
  outcomeRows,
  parseThreadProgram,
  pctScheduler,
  petersonLock,
  randomScheduler,
  replay,
  replayScheduler,
  replayTableRows,
  roundRobinScheduler,
  // schedulers behind one seam (shuttle-like): pass one, or your own function, to sample() or runOnce()
  runOnce,
  sample,
  scheduleDeadlocks,
  scheduleReaches,
  testAndSetLock,
  threadProgram,
  twoLockDeadlock,
  twoLockOrdered,
} from "./interleave/index";

// ── 4. Notebook helpers (the tslab edge) ─────────────────────────────────────────────────────────────────────
export {
  animate,
  check,
  checkExercise,
  checkWith,
  defineExercises,
  lastCheck,
  predict,
  predictionScore,
  progressBar,
  resetPlotSession,
  reveal,
  show,
  showHtml,
  showMarkdown,
  showNote,
  showSteps,
  showTable,
} from "./notebook/index";
export type { Figure, Frame, LineSeries, Trace } from "./plot/index";
// ── 3. Figures (pure: data → plotly JSON, SVG or HTML) ───────────────────────────────────────────────────────
export {
  asyncReplayFrames,
  asyncTimelineFigure,
  baseLayout,
  compareBars,
  conceptMapSvg,
  cpuGantt,
  eventLoopLagFigure,
  eventLoopSnapshotHtml,
  eventLoopStepFrames,
  eventLoopTimelineFigure,
  interleaveTableHtml,
  interleavingTreeFigure,
  lifetimeChart,
  lineFigure,
  outcomeHistogramFigure,
  policyComparisonChart,
  policyTimeline,
  predictedVsMeasuredFigure,
  realIoModesFigure,
  realIoScalingFigure,
  realLockContentionFigure,
  realOverheadFigure,
  realProgressBarFigure,
  realRaceFigure,
  realSleepFigure,
  realSpeedupFigure,
  registerChart,
  replayFrames,
  STATE_COLORS,
  schedGantt,
  schedUtilisationChart,
  seriesColor,
  waitForGraphFigure,
  withLayout,
} from "./plot/index";
export type { OverheadResult, RealLimits, SharedRaceResult, SleepDemoResult, SpeedupResult } from "./real/index";
// ── 2. Real experiments on this machine ───────────────────────────────────────────────────────────────────────
export {
  AsyncMutex,
  AsyncQueue,
  amdahlSpeedup,
  asyncLostUpdate,
  backpressureExperiment,
  chunkYieldExperiment,
  coreCount,
  crawlExperiment,
  creationOverhead,
  deadlockExperiment,
  fitSerialFraction,
  ioModesExperiment,
  ioScalingExperiment,
  lockContention,
  loopsExperiment,
  messageCounter,
  petersonRace,
  pingPongExperiment,
  progressBarExperiment,
  pythonSwitchExperiment,
  roundTo,
  sharedCounterRace,
  sleepSequentialVsConcurrent,
  speedupExperiment,
  storeBufferLitmus,
  streamBackpressure,
  threadLimits,
  threadPoolProbe,
} from "./real/index";
export type { PolicyName, SchedMachine, SchedPolicy, SchedResult, SchedSegment, SchedTask } from "./sched/index";
// sched: tasks of CPU / IO / lock segments under a scheduling policy on N cores (OSTEP's policies).
export { comparePolicies, randomTasks, runJobs, runSchedule, sched } from "./sched/index";
export type { SimGenerator, SimRng } from "./sim/index";
// ── 1. Engines ──────────────────────────────────────────────────────────────────────────────────────────────────
// sim: a discrete-event engine shaped like SimPy (processes are generators that yield what they wait for).
export { makeRng, SimEnvironment, SimResource } from "./sim/index";
