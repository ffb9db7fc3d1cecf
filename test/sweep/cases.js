// The sweep's calls (issue 18): every runtime export of lib/index with a battery of bad values per positional
// parameter and per option field. Plain JavaScript so that a child process loads it next to the compiled library
// (build/lib) in a few milliseconds. buildCalls(lib) returns the same list, in the same order, in every process.
"use strict";

/** The battery: what a learner (or a typo) can pass. Values are made fresh for every call (callers may mutate). */
const BATTERY = [
  ["undefined", () => undefined],
  ["null", () => null],
  ["NaN", () => Number.NaN],
  ["-1", () => -1],
  ["0", () => 0],
  ["1e9", () => 1e9],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ['""', () => ""],
  ["wrongObject", () => ({ foo: 1, bar: "x" })],
  ["[]", () => []],
  ["hugeArray", () => new Array(1e6).fill(1)],
  ["payload", () => "<img src=x onerror=alert(1)>"],
  ['"constructor"', () => "constructor"],
  [
    "cyclic",
    () => {
      const o = { a: 1 };
      o.self = o;
      return o;
    },
  ],
];

/**
 * Exports that run real experiments on this machine: only values that must be refused at validation are sent
 * (never a call that could start the experiment), and their options fields get the same treatment.
 */
const REAL = new Set([
  "asyncLostUpdate",
  "chunkYieldExperiment",
  "creationOverhead",
  "deadlockExperiment",
  "ioModesExperiment",
  "ioScalingExperiment",
  "lockContention",
  "loopsExperiment",
  "petersonRace",
  "pingPongExperiment",
  "progressBarExperiment",
  "pythonSwitchExperiment",
  "sharedCounterRace",
  "sleepSequentialVsConcurrent",
  "speedupExperiment",
  "storeBufferLitmus",
  "threadLimits",
  "threadPoolProbe",
  "processBatchExperiment",
  "asyncDeadlockReal",
  "orderingPuzzleReal",
  "timeoutVsImmediateReal",
  // (checkRealIncrement is an exercise check: it answers with feedback, and refuses a non-function before any work)
  "orderingPuzzleInModule",
  "cancellationReal",
  "combinatorsReal",
  "raceTimeoutReal",
  "unhandledRejectionsReal",
  "backpressureExperiment",
  "crawlExperiment",
  "messageCounter",
  "streamBackpressure",
]);
/** Battery values a real experiment may legitimately accept for an option (they would start it): never sent. */
const REAL_SKIP = new Set(["undefined", "0", "1e9"]);

/** Exports that take nothing (or only ignore extra arguments): called once with no argument, and once per value. */
/** Good arguments per export: a function of lib returning fresh arguments. `opts` lists option-object positions. */
function fixtures(L) {
  const race = () => L.counterRace(2, 1);
  const schedRun = () => L.runSchedule({ tasks: [L.sched.task("A", [L.sched.cpu(2), L.sched.io(3), L.sched.cpu(1)])] });
  const cpuRun = () => L.runCpu(L.seedPrograms(), "sequential");
  const explored = () => L.explore(race());
  const loopRun = () => L.runLoop((api) => api.setTimeout(() => api.log("t"), 1));
  const asyncProgram = () => ({
    init: { x: 0 },
    tasks: [
      async (s) => {
        const v = await s.get("x");
        await s.set("x", v + 1);
      },
    ],
  });
  return {
    checkAsync: { args: () => [asyncProgram(), {}], opts: [1] },
    replayAsync: { args: () => [asyncProgram(), "1 1"] },
    batchTimes: { args: () => [{ tasks: 1, length: 10, cpuShare: 0.3 }], opts: [0] },
    coffeeRun: { args: () => ["stand and wait"] },
    cpuShareSweep: { args: () => [{ tasks: 4, length: 10 }], opts: [0] },
    mixedTask: { args: () => ["T", 10, 0.2] },
    oneTaskWithFetches: { args: () => [{ fetches: 3, length: 20, cpuShare: 0.1 }], opts: [0] },
    predictSleepDemo: { args: () => [5, 100] },
    segmentsText: { args: () => [[L.sched.cpu(2), L.sched.io(3)], { cpu: "hands", io: "machine" }, "min"] },
    equalBatch: { args: () => [4, 10] },
    compareModels: { args: () => [L.equalBatch(4, 10), { cores: 2 }], opts: [1] },
    starvationWorkload: { args: () => [{ requests: 8, every: 3, highLength: 3, lowLength: 4 }], opts: [0] },
    rrSweep: { args: () => [[{ length: 6 }, { length: 3 }], [1, 2], [0]] },
    simulateLockedWork: { args: () => [{ threads: 6, cores: 4, critical: 4, outside: 8, rounds: 6 }], opts: [0] },
    lockedWorkSweep: { args: () => [{ threads: [1, 2], critical: [1, 4], outside: 8, cores: 4 }], opts: [0] },
    compareLockPolicies: { args: () => [{ users: 3, wakeLatency: 2, duration: 120 }], opts: [0] },
    politeThreads: { args: () => [{ backoff: "fixed", maxBackoff: 3, horizon: 60 }], opts: [0] },
    partlyLockedCounter: { args: () => [[true, false]] },
    asyncDeadlockScenario: { args: () => [{ sameOrder: true }], opts: [0] },
    loopLostUpdateScenario: { args: () => [{ tasks: 2 }], opts: [0] },
    cooperativeVsPreemptive: { args: () => [L.mixedTaskSet(), { quantum: 5 }], opts: [1] },
    starvationScenario: { args: () => ["chunked", { heavyMs: 600, chunkMs: 50 }], opts: [1] },
    sleepStyleRun: { args: () => ["busy"] },
    timeoutVsImmediate: { args: () => ["main"] },
    coffeeShop: { args: () => [3, true] },
    oneTaskUnderEveryModel: { args: () => [0.3, 20] },
    threadCostRows: { args: () => [[4, 64]] },
    load: { args: () => ["x"] },
    store: { args: () => ["x", "x"] },
    add: { args: () => ["x", "x", "y"] },
    sub: { args: () => ["x", "x", "y"] },
    mul: { args: () => ["x", "x", "y"] },
    addi: { args: () => ["x", "x", 1] },
    program: { args: () => ["A", [L.load("x"), L.addi("x", "x", 1), L.store("x", "x")]] },
    runCpu: { args: () => [L.seedPrograms(), "parallel", { cores: 2 }], opts: [2] },
    sumProgram: { args: () => ["C", "e", "f"] },
    surveyOrders: { args: () => [L.seedPrograms()] },
    allOrders: { args: () => [L.seedPrograms()] },
    countOrders: { args: () => [[3, 3]] },
    classifyRun: { args: () => [cpuRun()] },
    cycleTable: { args: () => [cpuRun()] },
    cpuGantt: { args: () => [cpuRun(), "One core", { cycles: 10 }], opts: [2] },
    registerChart: { args: () => [cpuRun(), "registers"] },
    lifetimeChart: { args: () => [cpuRun(), "lifetimes"] },
    loopTask: { args: () => ["A", [L.loopStep.cpu(2), L.loopStep.awaitIO(20), L.loopStep.cpu(2)]] },
    runLoop: { args: () => [(api) => api.setTimeout(() => api.log("t"), 1), {}], opts: [1] },
    runLoopTasks: {
      args: () => [[L.loopTask("A", [L.loopStep.cpu(2), L.loopStep.awaitIO(20)])], { ioMode: "await" }],
      opts: [1],
    },
    eventLoopTimelineFigure: { args: () => [loopRun(), "Loop"] },
    eventLoopStepFrames: { args: () => [loopRun()] },
    counterRace: { args: () => [2, 1] },
    lockedCounter: { args: () => [2, 1] },
    atomicCounter: { args: () => [2, 1] },
    flagLock: { args: () => [2] },
    testAndSetLock: { args: () => [2] },
    explore: { args: () => [race(), {}], opts: [1] },
    sample: { args: () => [race(), { runs: 10, seed: 1 }], opts: [1] },
    replay: { args: () => [race(), "1 1 1 2 2 2"] },
    interleavingTree: { args: () => [race(), {}], opts: [1] },
    interleavingTreeFigure: { args: () => [L.interleavingTree(race()), "tree"] },
    outcomeRows: { args: () => [explored()] },
    deadlockShare: { args: () => [explored()] },
    extremeOutcome: { args: () => [explored(), "counter", "min"] },
    multinomialSchedules: { args: () => [[3, 3]] },
    replayFrames: { args: () => [race(), L.replay(race(), "1 2 1 1 2 2")] },
    replayTableRows: { args: () => [L.replay(race(), "1 2 1 1 2 2")] },
    seedTableRows: { args: () => [L.replay(race(), "1 2 1 1 2 2")] },
    scheduleReaches: { args: () => [race(), "1 2 1 1 2 2", { counter: 1 }] },
    parseThreadProgram: { args: () => ["shared x = 0\nthread T1:\n  inc x\n"] },
    outcomeHistogramFigure: { args: () => [explored(), []] },
    runOnce: { args: () => [race(), L.roundRobinScheduler()] },
    randomScheduler: { args: () => [1] },
    pctScheduler: { args: () => [{ seed: 1 }], opts: [0] },
    replayScheduler: { args: () => ["1 2 1 1 2 2"] },
    runSchedule: {
      args: () => [{ tasks: [L.sched.task("A", [L.sched.cpu(2), L.sched.io(3)])], policy: "RR", quantum: 1 }],
      opts: [0],
    },
    runJobs: { args: () => [{ policy: "RR", quantum: 2, jobs: [{ length: 5 }, { length: 1 }] }], opts: [0] },
    randomTasks: { args: () => [{ count: 3, seed: 1 }], opts: [0] },
    comparePolicies: { args: () => [[L.sched.task("A", [L.sched.cpu(2)])], ["FIFO", "RR"]] },
    schedGantt: { args: () => [schedRun(), { title: "t" }], opts: [1] },
    policyTimeline: { args: () => [schedRun(), "t"] },
    schedUtilisationChart: { args: () => [schedRun(), "t"] },
    policyComparisonChart: { args: () => [[schedRun()]] },
    runOrder: { args: () => [schedRun()] },
    makeRng: { args: () => [1] },
    compareBars: { args: () => [[{ label: "a", value: 1 }], "Title", "y (ms)"] },
    lineFigure: { args: () => [[{ name: "s", x: [1, 2], y: [1, 2] }], "Title", "x (ms)", "y (ms)"] },
    baseLayout: { args: () => ["Title", "x (ms)", "y (ms)"] },
    seriesColor: { args: () => [0] },
    showTable: { args: () => [[{ a: 1 }], { caption: "c" }], opts: [1] },
    showNote: { args: () => ["note", "info"] },
    showMarkdown: { args: () => ["**x**"] },
    showHtml: { args: () => ["<b>x</b>"] },
    show: { args: () => [L.compareBars([{ label: "a", value: 1 }], "T", "y (ms)")] },
    showSteps: { args: () => [[{ html: "<p>1</p>", caption: "one" }], "Steps"] },
    animate: { args: () => [[{ html: "<p>1</p>", caption: "one" }], {}] },
    progressBar: { args: () => [{ label: "p", total: 1 }], opts: [0] },
    // `echo`: positions of the learner's answer, which the feedback shows back as given (NaN, undefined, ...)
    check: { args: () => ["label", 1, 1], echo: [1] },
    checkWith: { args: () => ["label", 1, (x) => x === 1, "hint"], echo: [1] },
    checkExercise: { args: () => ["01-1", 1], echo: [1] },
    predict: { args: () => ["guess", 3] },
    reveal: { args: () => ["guess", 3, { tolerance: 0 }], opts: [2] },
    roundTo: { args: () => [1.234, 1] },
    amdahlSpeedup: { args: () => [0.1, 4] },
    fitSerialFraction: {
      args: () => [
        [
          { workers: 1, speedup: 1 },
          { workers: 2, speedup: 1.8 },
        ],
      ],
    },
    coroutineDemo: {
      args: () => [
        function* () {
          yield 1;
        },
        { requests: 3, cpus: 1 },
      ],
      opts: [1],
    },
    predictPoolMs: { args: () => [8, 10, 2, 2] },
    chooseSweep: { args: () => [{ connections: [4], requestMs: [20], cpuShares: [0], models: ["async"] }], opts: [0] },
    // real experiments: the options are checked before anything starts (the base here is never run as such)
    sharedCounterRace: { args: () => [{ workers: 2, increments: 1000, modes: ["plain"], repeats: 1 }], opts: [0] },
    speedupExperiment: { args: () => [{ tasks: 2, taskMs: 1, workerCounts: [1], repeats: 1 }], opts: [0] },
    asyncLostUpdate: { args: () => [{ tasks: 2, increments: 10 }], opts: [0] },
    ioModesExperiment: { args: () => [{ requests: 2, delayMs: 1, workers: 1, repeats: 1 }], opts: [0] },
    loopsExperiment: { args: () => [{ requests: 2, delayMs: 1, loops: 1 }], opts: [0] },
    processBatchExperiment: { args: () => [{ tasks: 2, taskMs: 1, concurrency: [1] }], opts: [0] },
    storeBufferLitmus: { args: () => [{ trials: 100 }], opts: [0] },
    petersonRace: { args: () => [{ rounds: 100, repeats: 1 }], opts: [0] },
    deadlockExperiment: { args: () => [{ order: "same" }], opts: [0] },
    threadPoolProbe: { args: () => [{ blockers: 2 }], opts: [0] },
    chunkYieldExperiment: { args: () => [{ workMs: 10, chunkMs: 5, tickMs: 5 }], opts: [0] },
    timeoutVsImmediateReal: { args: () => ["main", { runs: 2 }], opts: [1] },
    asyncDeadlockReal: { args: () => ["esm"] },
  };
}

/** One entry per call: { label, name, kind: "value" | "typo", real, make: () => args }. */
function buildCalls(L) {
  const F = fixtures(L);
  const calls = [];
  const names = Object.keys(L)
    .filter((n) => typeof L[n] === "function")
    .sort();
  // the builders behind `sched` and `loopStep` are exports too (through their objects)
  const members = [];
  for (const obj of ["sched", "loopStep"])
    for (const m of Object.keys(L[obj] ?? {}).sort())
      if (typeof L[obj][m] === "function") members.push([`${obj}.${m}`, L[obj][m]]);
  const all = [...names.map((n) => [n, L[n]]), ...members];
  for (const [name, fn] of all) {
    const src = Function.prototype.toString.call(fn);
    const isClass = /^class\b/.test(src);
    // a function declared with no parameter at all ignores whatever it is given: call it once, plainly (not a real
    // experiment: those are never started by the sweep)
    if (!isClass && /^(async\s+)?function\s*\*?\s*[\w$]*\s*\(\s*\)/.test(src)) {
      if (!REAL.has(name)) calls.push({ label: `${name}()`, name, real: false, run: () => fn() });
      continue;
    }
    const real = REAL.has(name);
    const fx = F[name];
    const good = fx ? fx.args : () => [];
    const arity = Math.min(Math.max(fn.length + 1, fx ? fx.args().length : 0, 1), 4);
    const invoke = isClass ? (args) => new fn(...args) : (args) => fn(...args);
    for (let pos = 0; pos < arity; pos++) {
      for (const [vname, make] of BATTERY) {
        if (real && REAL_SKIP.has(vname)) continue;
        calls.push({
          label: `${name}(arg ${pos} = ${vname})`,
          name,
          real,
          echo: Boolean(fx?.echo?.includes(pos)),
          run: () => {
            const args = good();
            while (args.length <= pos) args.push(undefined);
            args[pos] = make();
            return invoke(args);
          },
        });
      }
    }
    for (const pos of fx?.opts ?? []) {
      const keys = Object.keys(fx.args()[pos] ?? {});
      for (const key of keys) {
        for (const [vname, make] of BATTERY) {
          if (vname === "undefined" || (real && REAL_SKIP.has(vname))) continue;
          calls.push({
            label: `${name}(arg ${pos}.${key} = ${vname})`,
            name,
            real,
            run: () => {
              const args = good();
              args[pos] = { ...args[pos], [key]: make() };
              return invoke(args);
            },
          });
        }
      }
      // a misspelled option must be refused, naming the closest valid key
      const typo = keys.length ? `${keys[0].slice(0, -1)}` : "colour";
      calls.push({
        label: `${name}(arg ${pos} with unknown key "${typo}")`,
        name,
        real,
        typo: true,
        run: () => {
          const args = good();
          args[pos] = { ...args[pos], [typo]: 1 };
          return invoke(args);
        },
      });
    }
  }
  return calls;
}

module.exports = { buildCalls, BATTERY, REAL };
