/**
 * CPython's two hand-offs, measured in a child `python3` process (chapter 08): the round trip of
 *   - `asyncio`: two coroutines on one event loop take turns through two asyncio.Event objects (each wake-up is a
 *     callback the loop runs on its next turn: asyncio has no microtask queue);
 *   - `threads`: two OS threads take turns through two threading.Lock objects used as binary semaphores (each side
 *     blocks in the kernel until the other releases, then takes the GIL back: a GIL-thread hand-off).
 * Per round trip in µs, median of several runs after a warm-up. Where python3 cannot be started, the result says so
 * (`measured: false`) and carries RECORDED_PYTHON_SWITCH, the values recorded on the course's build machine.
 */
import { checkExperimentOptions as checkKnownOptions } from "../errors/validate";
import { checkInt, checkOptions, RealInputError, RealRunError } from "./errors";
import { type RealLimits, runBounded } from "./resources";
import { childResult } from "./shared";
import { type RunSummary, summarizeRuns } from "./stats";

/** The two CPython hand-offs. */
export type PythonSwitchMode = "asyncio" | "threads";

/** Options of `pythonSwitchExperiment`; the defaults take about two seconds. */
export interface PythonSwitchOptions extends RealLimits {
  /** Round trips per run (defaults: asyncio 10000, threads 4000). */
  roundTrips?: Partial<Record<PythonSwitchMode, number>>;
  /** Timed runs per mode, after one untimed warm-up run (default 5). */
  repeats?: number;
  /** The Python command (default "python3"). */
  python?: string;
}

/** One mode: round trips per run and the time of one round trip in µs (median/min/max over runs). */
export interface PythonSwitchRow {
  mode: PythonSwitchMode;
  roundTrips: number;
  roundTripUs: RunSummary;
}

/** Result of `pythonSwitchExperiment`. */
export interface PythonSwitchResult {
  /** True: measured now in a child process; false: python3 could not be started, rows are the recorded values. */
  measured: boolean;
  /** Where the numbers come from, in words (for the chapter's text). */
  source: string;
  /** The Python that ran (e.g. "CPython 3.11.7"). */
  python: string;
  rows: PythonSwitchRow[];
}

/**
 * Recorded on the course's build machine (2 shared cores, Linux x86-64, CPython 3.11.7, Node 20) with
 * `pythonSwitchExperiment()` (defaults): the script below, 5 runs after a warm-up. Used only where python3 is missing.
 */
export const RECORDED_PYTHON_SWITCH: PythonSwitchResult = {
  measured: false,
  source: "recorded on the course's build machine (2 cores, Linux x86-64), not measured here",
  python: "CPython 3.11.7",
  rows: [
    { mode: "asyncio", roundTrips: 10000, roundTripUs: summarizeRuns([7.93, 7.32, 6.49, 7.06, 7.44]) },
    { mode: "threads", roundTrips: 4000, roundTripUs: summarizeRuns([13.03, 13.12, 12.84, 12.81, 12.94]) },
  ],
};

/** The measurement, run as `python3 -c SCRIPT asyncioTrips threadTrips repeats deadlineSeconds`. */
const SCRIPT = `
import asyncio, json, platform, sys, threading, time
na, nt, reps, budget = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
deadline = time.perf_counter() + budget
def check():
    if time.perf_counter() > deadline:
        sys.exit("time limit")
def asyncio_rt(n):
    async def main():
        a, b = asyncio.Event(), asyncio.Event()
        async def pong():
            for _ in range(n):
                await a.wait(); a.clear(); b.set()
        task = asyncio.ensure_future(pong())
        await asyncio.sleep(0)
        t0 = time.perf_counter()
        for _ in range(n):
            a.set(); await b.wait(); b.clear()
        dt = time.perf_counter() - t0
        await task
        return dt
    return asyncio.run(main())
def threads_rt(n):
    a, b = threading.Lock(), threading.Lock()
    a.acquire(); b.acquire()
    def pong():
        for _ in range(n):
            if not a.acquire(timeout=budget): return
            b.release()
    t = threading.Thread(target=pong, daemon=True); t.start()
    t0 = time.perf_counter()
    for _ in range(n):
        a.release()
        if not b.acquire(timeout=budget): sys.exit("thread hand-off timed out")
    dt = time.perf_counter() - t0
    t.join()
    return dt
out = {"python": platform.python_implementation() + " " + platform.python_version()}
for name, f, n in (("asyncio", asyncio_rt, na), ("threads", threads_rt, nt)):
    runs = []
    for r in range(reps + 1):
        check()
        dt = f(n)
        if r > 0: runs.append(dt * 1e6 / n)
    out[name] = runs
print(json.dumps(out))
`;

const DEFAULT_TRIPS: Record<PythonSwitchMode, number> = { asyncio: 10000, threads: 4000 };

/** Measures CPython's asyncio and GIL-thread hand-off round trips (µs) in a child python3 process. */
export async function pythonSwitchExperiment(options: PythonSwitchOptions = {}): Promise<PythonSwitchResult> {
  checkKnownOptions(RealInputError, "pythonSwitchExperiment's options", options, [
    "roundTrips",
    "repeats",
    "python",
    "timeLimitMs",
    "signal",
  ]);
  checkOptions("pythonSwitchExperiment", options);
  const repeats = checkInt("repeats", options.repeats ?? 5, 1, 50);
  const trips = { ...DEFAULT_TRIPS };
  for (const m of ["asyncio", "threads"] as const) {
    const v = options.roundTrips?.[m];
    if (v !== undefined) trips[m] = checkInt(`roundTrips.${m}`, v, 1, 1_000_000);
  }
  const python = options.python ?? "python3";
  if (typeof python !== "string" || python.trim() === "")
    throw new RealInputError(`Expected \`python\` to be a command such as "python3", got ${String(python)}.`);
  return runBounded("pythonSwitchExperiment", options, 30_000, async (res) => {
    // the script's own budget ends at the experiment's time limit
    const budgetS = String(res.remainingMs() / 1000);
    const args = ["-c", SCRIPT, String(trips.asyncio), String(trips.threads), String(repeats), budgetS];
    const child = res.child(python, args, { stdio: ["ignore", "pipe", "pipe"] });
    const { code, out, err } = await childResult(child);
    if (code === "ENOENT")
      return { ...RECORDED_PYTHON_SWITCH, source: `${python} not found: ${RECORDED_PYTHON_SWITCH.source}` };
    if (code !== 0)
      throw new RealRunError(
        `${python} failed (exit ${code}: ${err.trim().split("\n").pop()}): ` +
          "run it again with fewer round trips, and close other busy programs.",
      );
    let parsed: { python: string; asyncio: number[]; threads: number[] };
    try {
      parsed = JSON.parse(out);
    } catch {
      throw new RealRunError(`${python} printed no result: check that \`${python} --version\` is Python 3.`);
    }
    return {
      measured: true,
      source: `measured here (${parsed.python}, child process)`,
      python: parsed.python,
      rows: (["asyncio", "threads"] as const).map((mode) => ({
        mode,
        roundTrips: trips[mode],
        roundTripUs: summarizeRuns(parsed[mode]),
      })),
    };
  });
}
