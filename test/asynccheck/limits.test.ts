// Every bad input and every escape from the scheduler gives AsyncCheckError with its code within about a second
// (measured with a loose bound), never a hang; and the watchdog leaves nothing running.
import { describe, expect, it } from "vitest";
import {
  AsyncCheckError,
  type AsyncProgram,
  type AsyncStore,
  checkAsync,
  replayAsync,
} from "../../lib/asynccheck/index";
import { CourseError } from "../../lib/errors";
import { activeResourceCounts, expectNoLeaks } from "../real/helpers";

const inc = async (s: AsyncStore) => {
  const v = await s.read("n");
  await s.write("n", v + 1);
};

async function failure(p: Promise<unknown>): Promise<{ e: AsyncCheckError; ms: number }> {
  const t0 = performance.now();
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AsyncCheckError);
    expect(e).toBeInstanceOf(CourseError);
    return { e: e as AsyncCheckError, ms: performance.now() - t0 };
  }
  throw new Error("expected an AsyncCheckError");
}

const BAD: [string, () => Promise<unknown>, string, RegExp][] = [
  [
    "a task that throws",
    () =>
      checkAsync({
        init: { n: 0 },
        tasks: [
          inc,
          async (s) => {
            const v = await s.read("n");
            if (v > 0) throw new Error("boom");
          },
        ],
      }),
    "task-threw",
    /Task 2 threw Error: boom/,
  ],
  [
    "an endless loop between two awaits",
    () =>
      checkAsync({
        init: { n: 0 },
        tasks: [
          inc,
          async (s) => {
            await s.read("n");
            for (;;) {
              // never reaches the next operation
            }
          },
        ],
      }),
    "infinite-loop",
    /more than stepTimeoutMs = 500 ms/,
  ],
  [
    "an endless loop before the first await",
    () =>
      checkAsync({
        init: { n: 0 },
        tasks: [
          async () => {
            for (;;) {
              // never reaches an operation
            }
          },
        ],
      }),
    "infinite-loop",
    /without reaching its next store operation/,
  ],
  [
    "an await on a real timer",
    () =>
      checkAsync({
        init: { n: 0 },
        tasks: [
          async (s) => {
            await s.read("n");
            await new Promise((r) => setTimeout(r, 5));
            await s.write("n", 1);
          },
        ],
      }),
    "not-store",
    /awaited something that is not the store/,
  ],
  [
    "an await on a promise made by another task (the in-flight fetch of real JS)",
    () => {
      let inflight: Promise<void> | null = null;
      return checkAsync({
        init: { n: 0 },
        tasks: [
          async (s) => {
            inflight = s.write("n", 1);
            await inflight;
          },
          async (s) => {
            await s.read("n");
            if (inflight) await inflight;
          },
        ],
      });
    },
    "not-store",
    /or a promise made by another task.*mark it in the store \(e\.g\. "loading"\) and s\.waitUntil its result/,
  ],
  [
    "a waitUntil change that is not a function",
    () => checkAsync({ init: { n: 0 }, tasks: [async (s) => s.waitUntil("n", () => true, 5 as never)] }),
    "bad-program",
    /change must be a function/,
  ],
  [
    "too many schedules",
    () => checkAsync({ init: { n: 0 }, tasks: [inc, inc, inc, inc] }, { maxRuns: 50, cache: false }),
    "max-runs",
    /maxRuns = 50 runs: shrink the program/,
  ],
  [
    "a value that is not JSON",
    () => checkAsync({ init: { n: 0 }, tasks: [async (s) => s.write("n", new Map())] }),
    "not-json",
    /the value is a Map/,
  ],
  [
    "undefined written",
    () => checkAsync({ init: { n: 0 }, tasks: [async (s) => s.write("n", undefined)] }),
    "not-json",
    /undefined \(use null\)/,
  ],
  ["an init that is not JSON", () => checkAsync({ init: { n: Number.NaN }, tasks: [inc] }), "not-json", /init\.n/],
  [
    "an unknown option",
    () => checkAsync({ init: { n: 0 }, tasks: [inc] }, { maxRun: 5 } as never),
    "bad-option",
    /did you mean "maxRuns"/,
  ],
  [
    "an unknown program key",
    () => checkAsync({ init: { n: 0 }, tasks: [inc], invariants: () => true } as never),
    "bad-program",
    /did you mean "invariant"/,
  ],
  [
    "a store key missing from init",
    () => checkAsync({ init: { count: 0 }, tasks: [async (s) => s.read("cont")] }),
    "unknown-key",
    /did you mean "count"/,
  ],
  ["a task that is not async", () => checkAsync({ init: {}, tasks: [(() => 1) as never] }), "not-async", /async/],
  [
    "two operations without await",
    () =>
      checkAsync({
        init: { n: 0 },
        tasks: [
          async (s) => {
            s.read("n");
            await s.write("n", 1);
          },
        ],
      }),
    "two-operations",
    /second store operation/,
  ],
  [
    "unlock of a lock not held",
    () => checkAsync({ init: {}, tasks: [async (s) => s.unlock("m")] }),
    "unlock-not-held",
    /which nobody holds/,
  ],
  [
    "state kept outside the store",
    () => {
      let calls = 0;
      const t = async (s: AsyncStore) => {
        calls++;
        await s.write("n", calls);
        await s.yield();
      };
      return checkAsync({ init: { n: 0 }, tasks: [t, inc] }, { cache: false });
    },
    "nondeterministic",
    /not a deterministic function/,
  ],
  [
    "a task spinning on yield",
    () =>
      checkAsync({
        init: { go: false },
        tasks: [
          async (s) => {
            while (!(await s.read("go"))) await s.yield();
          },
        ],
      }),
    "max-steps",
    /maxSteps = 200/,
  ],
  [
    "an invariant that returns nothing",
    () => checkAsync({ init: { n: 0 }, tasks: [inc], invariant: (() => undefined) as never }),
    "bad-predicate",
    /return true when it holds/,
  ],
  [
    "a schedule naming a finished task",
    () => replayAsync({ init: { n: 0 }, tasks: [inc, inc] }, "1 1 1"),
    "bad-schedule",
    /task 1, which has finished: tasks that can move here: 2/,
  ],
  [
    "a schedule with a task that does not exist",
    () => replayAsync({ init: { n: 0 }, tasks: [inc] }, "1 3"),
    "bad-schedule",
    /use task numbers from 1 to 1/,
  ],
];

describe("bad input and escapes give a named error within a second", () => {
  for (const [what, run, code, message] of BAD) {
    it(what, async () => {
      const { e, ms } = await failure(run());
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(ms).toBeLessThan(code === "infinite-loop" ? 2500 : 1500);
    });
  }

  it("the endless loop is stopped near stepTimeoutMs, and checking goes on normally afterwards", async () => {
    const loop: AsyncProgram = {
      init: { n: 0 },
      tasks: [
        async (s) => {
          await s.yield();
          while (true) {
            // spin
          }
        },
      ],
    };
    const { e, ms } = await failure(checkAsync(loop, { stepTimeoutMs: 100 }));
    expect(e.code).toBe("infinite-loop");
    expect(e.schedule).toBe("1");
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(ms).toBeLessThan(1500);
    const ok = await checkAsync({ init: { n: 0 }, tasks: [inc, inc] });
    expect(ok.schedules).toBe(6);
    await new Promise((r) => setTimeout(r, 5));
    expect(await new Promise((r) => setImmediate(() => r("immediate ran")))).toBe("immediate ran");
  });

  it("leaves no worker thread, timer or handle behind", async () => {
    const before = activeResourceCounts();
    await checkAsync({ init: { n: 0 }, tasks: [inc, inc] });
    await failure(checkAsync({ init: { n: 0 }, tasks: [async (s) => s.unlock("m")] }));
    await failure(
      checkAsync(
        {
          init: {},
          tasks: [
            async () => {
              for (;;) {}
            },
          ],
        },
        { stepTimeoutMs: 50 },
      ),
    );
    await expectNoLeaks(before);
  });
});
