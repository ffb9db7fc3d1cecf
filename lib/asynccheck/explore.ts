/**
 * checkAsync: every schedule of the learner's real async tasks, explored by stateless model checking. A depth-first
 * search over schedule prefixes; the first child of a node continues the live run, every other child re-runs the
 * tasks from scratch along the prefix (closures and ordinary code work, nothing is snapshotted).
 *
 * Exact counts: every complete schedule is counted once. The only reduction is the state cache (option `cache`,
 * default on): a state reached again with the same store, the same locks and every task having been given the same
 * values in the same order has the same future when each task is a deterministic function of what it reads, so its
 * subtree's counts are reused instead of re-explored. Re-runs check that determinism (same state after the same
 * prefix) and stop with a named error when a task is not deterministic.
 */
import { AsyncCheckError } from "./errors";
import { checkOptions, checkProgram, guarded, type Limits, verdict } from "./program";
import { AsyncRun, formatSchedule } from "./run";
import type { AsyncCheckOptions, AsyncCheckResult, AsyncProgram, AsyncWait } from "./types";
import type { LoopGuard } from "./watchdog";

interface Found {
  count: number;
  /** Schedule from the node down to where it was found. */
  suffix: number[];
  store: string;
  waits?: AsyncWait[];
}

/** Everything below one state. */
interface Summary {
  complete: number;
  stuck: number;
  outcomes: Map<string, Found>;
  deadlocks: Map<string, Found>;
  /** "invariant\u0000msg" or "final\u0000msg" → first violations below. */
  violations: Map<string, Found>;
}

const empty = (): Summary => ({
  complete: 0,
  stuck: 0,
  outcomes: new Map(),
  deadlocks: new Map(),
  violations: new Map(),
});

function mergeInto(into: Map<string, Found>, from: Map<string, Found>, first: number): void {
  for (const [k, f] of from) {
    const have = into.get(k);
    if (have) have.count += f.count;
    else into.set(k, { ...f, suffix: [first, ...f.suffix] });
  }
}

class Explorer {
  runs = 0;
  steps = 0;
  cacheHits = 0;
  private readonly memo = new Map<string, Summary>();
  current: AsyncRun | null = null;

  constructor(
    private readonly program: AsyncProgram,
    private readonly limits: Limits,
    private readonly guard: LoopGuard,
  ) {}

  private async fresh(prefix: number[]): Promise<AsyncRun> {
    this.runs++;
    if (this.runs > this.limits.maxRuns) {
      throw new AsyncCheckError(
        "max-runs",
        `More than maxRuns = ${this.limits.maxRuns.toLocaleString("en-US")} runs: shrink the program (fewer ` +
          "tasks, fewer store operations per task, e.g. one s.update instead of s.read + s.write where the race is " +
          "not the point) or raise the `maxRuns` option.",
      );
    }
    if (this.current) this.current.kill();
    const run = new AsyncRun(this.program, this.guard);
    this.current = run;
    await run.start();
    for (const c of prefix) {
      if (!run.enabled(c)) {
        throw new AsyncCheckError(
          "nondeterministic",
          `Re-running the same schedule, task ${c + 1} could not take the step it took before: a task is not a ` +
            "deterministic function of what it reads. Keep all shared state in the store (not in variables outside " +
            "the tasks) and do not use Math.random() or Date.now() in tasks.",
          formatSchedule(run.schedule.concat([c])),
        );
      }
      await run.step(c);
      this.steps++;
    }
    return run;
  }

  async visit(run: AsyncRun, depth: number): Promise<Summary> {
    const key = run.key();
    const prefix = run.schedule.slice();
    const at = formatSchedule(prefix);
    const storeHere = run.storeJson();
    if (this.limits.cache) {
      const hit = this.memo.get(key);
      if (hit) {
        this.cacheHits++;
        run.kill();
        return hit;
      }
    }
    if (depth > this.limits.maxSteps) {
      throw new AsyncCheckError(
        "max-steps",
        `A run took more than maxSteps = ${this.limits.maxSteps} steps: a task loops around an await without end ` +
          "(e.g. spins on s.yield() waiting for a value; use s.waitUntil(key, test) instead) or raise `maxSteps`.",
        at,
      );
    }
    const out = empty();
    const bad = this.program.invariant ? verdict("invariant", this.program.invariant, run.store, at) : null;
    const enabled = run.enabledTasks();
    if (enabled.length === 0) {
      const store = run.storeJson();
      if (run.allDone()) {
        out.complete = 1;
        out.outcomes.set(store, { count: 1, suffix: [], store });
        const fin = this.program.final ? verdict("final", this.program.final, run.store, at) : null;
        if (fin !== null) out.violations.set(`final\u0000${fin}`, { count: 1, suffix: [], store });
      } else {
        out.stuck = 1;
        const waits = run.waits();
        out.deadlocks.set(`${store}|${JSON.stringify(waits)}`, { count: 1, suffix: [], store, waits });
      }
      run.kill();
    } else {
      for (let n = 0; n < enabled.length; n++) {
        const c = enabled[n];
        const r = n === 0 ? run : await this.fresh(prefix);
        if (n > 0 && r.key() !== key) {
          throw new AsyncCheckError(
            "nondeterministic",
            "Re-running the same schedule reached a different state: a task is not a deterministic function of " +
              "what it reads. Keep all shared state in the store (not in variables outside the tasks) and do not " +
              "use Math.random() or Date.now() in tasks.",
            at,
          );
        }
        await r.step(c);
        this.steps++;
        const child = await this.visit(r, depth + 1);
        out.complete += child.complete;
        out.stuck += child.stuck;
        mergeInto(out.outcomes, child.outcomes, c);
        mergeInto(out.deadlocks, child.deadlocks, c);
        mergeInto(out.violations, child.violations, c);
      }
    }
    if (bad !== null) {
      // the first violation on every schedule through here is this one: it replaces those found below
      const finals = [...out.violations].filter(([k]) => k.startsWith("final\u0000"));
      const first: Found = { count: out.complete + out.stuck, suffix: [], store: storeHere };
      out.violations = new Map([[`invariant\u0000${bad}`, first]]);
      for (const [k, f] of finals) out.violations.set(k, f);
    }
    if (this.limits.cache) this.memo.set(key, out);
    return out;
  }
}

/**
 * Explores every schedule of `program`'s tasks (see the module comment for the exact semantics) and returns exact
 * counts, the final stores with a witness each, invariant / final violations and deadlocks with witnesses.
 *
 * @example
 * const inc = async (s) => { const v = await s.read("n"); await s.write("n", v + 1); };
 * const r = await checkAsync({ init: { n: 0 }, tasks: [inc, inc], final: (s) => s.n === 2 || `n is ${s.n}` });
 * // r.schedules === 6; r.outcomes['{"n":1}'].count === 4; r.violations[0].witness === "1 2 1 2"
 */
export async function checkAsync(program: AsyncProgram, options?: AsyncCheckOptions): Promise<AsyncCheckResult> {
  const prog = checkProgram(program);
  const limits = checkOptions(options);
  let ex: Explorer | null = null;
  const where = () => (ex?.current ? formatSchedule(ex.current.schedule) : "");
  return guarded(limits, where, async (guard) => {
    ex = new Explorer(prog, limits, guard);
    const e = ex;
    const root = await (async () => {
      e.runs++;
      const run = new AsyncRun(prog, guard);
      e.current = run;
      await run.start();
      return run;
    })();
    let s: Summary;
    try {
      s = await e.visit(root, 0);
    } finally {
      e.current?.kill();
    }
    const w = (f: Found) => formatSchedule(f.suffix);
    const outcomes: AsyncCheckResult["outcomes"] = {};
    for (const [k, f] of s.outcomes) outcomes[k] = { count: f.count, witness: w(f) };
    const violations = [...s.violations].map(([k, f]) => {
      const [kind, message] = k.split("\u0000") as ["invariant" | "final", string];
      return { kind, message, count: f.count, witness: w(f), store: f.store };
    });
    const deadlocks = [...s.deadlocks.values()].map((f) => ({
      count: f.count,
      witness: w(f),
      waits: f.waits ?? [],
      store: f.store,
    }));
    return {
      schedules: s.complete,
      deadlockSchedules: s.stuck,
      outcomes,
      violations,
      deadlocks,
      runs: e.runs,
      steps: e.steps,
      cacheHits: e.cacheHits,
      ok: violations.length === 0 && deadlocks.length === 0,
    };
  });
}
