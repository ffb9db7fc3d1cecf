// Chapter 05's claims about the real counter race, run on real Node:
// - on ONE core (a child process under Linux `taskset -c`), two workers still lose updates, and one switch between a
//   load and its store can wipe out a whole time slice of the other worker (far more than "one update per switch");
// - V8 does not keep the shared counter in a register for the plain loop: another thread sees it rise mid-run.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { RealInputError, sharedCounterRace } from "../../lib/real/index";
import { WorkerPool } from "../../lib/real/pool";
import { runWithBarrier } from "../../lib/real/race";
import { runBounded } from "../../lib/real/resources";
import { SLOT } from "../../lib/real/shared";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

const hasTaskset = (() => {
  if (process.platform !== "linux") return false;
  try {
    execFileSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("the plain counter race pinned to one core", () => {
  it.skipIf(!hasTaskset)(
    "loses updates in bulk with no parallelism at all (taskset -c)",
    async () => {
      const before = activeResourceCounts();
      const r = await sharedCounterRace({ workers: 2, increments: 5_000_000, repeats: 6, oneCore: true });
      expect(r.skipped).toBeUndefined();
      expect(r.pinned?.cpusAvailable).toBe(1);
      const row = r.rows[0];
      expect(row.finals).toHaveLength(6);
      expect(row.finals.every((f) => f >= row.increments && f <= row.expected)).toBe(true);
      // a handful of switches in ~50 ms per run: "at most one lost update per switch" would lose a few dozen at most
      expect(row.lost.max).toBeGreaterThan(100_000);
      await expectNoLeaks(before);
    },
    60_000,
  );

  it.skipIf(hasTaskset)("says why it skipped where taskset is missing", async () => {
    const r = await sharedCounterRace({ increments: 1000, repeats: 1, oneCore: true });
    expect(r.rows).toEqual([]);
    expect(r.skipped).toMatch(/taskset/);
  });

  it("refuses the other modes and a non-boolean oneCore", async () => {
    await expect(sharedCounterRace({ oneCore: true, modes: ["atomic"] })).rejects.toThrow(/plain race only/);
    await expect(sharedCounterRace({ oneCore: "yes" as never })).rejects.toThrow(RealInputError);
  });
});

describe("V8 and the plain shared counter", () => {
  it("stores every increment to memory: the main thread sees the counter rise while a worker runs", async () => {
    const before = activeResourceCounts();
    const seen = await runBounded("test", {}, 30_000, async (res) => {
      const pool = await WorkerPool.start(res, 1);
      const i32 = new Int32Array(new SharedArrayBuffer(16 * 4));
      const values: number[] = [];
      const timer = res.setInterval(() => values.push(Atomics.load(i32, SLOT.COUNTER)), 2);
      await runWithBarrier(res, pool, i32, () => ({
        kind: "race",
        mode: "plain",
        increments: 400_000_000,
        timeoutMs: 20_000,
      }));
      res.clearTimer(timer);
      await pool.close();
      return { values, final: Atomics.load(i32, SLOT.COUNTER) };
    });
    expect(seen.final).toBe(400_000_000);
    const between = new Set(seen.values.filter((v) => v > 0 && v < seen.final));
    // a loop that kept the counter in a register would show only 0, then the final value
    expect(between.size).toBeGreaterThanOrEqual(3);
    await expectNoLeaks(before);
  }, 60_000);
});
