// Chapter 09: exact results of the models (crawler, producer–consumer queue, bounded buffers in the thread language),
// the exercise answers, and the checks of the learner's code (limit(k), the fixed consumers) on right and wrong ones.
import { describe, expect, it } from "vitest";
import {
  bufferProgramText,
  bufferVariants,
  bufferVariantsFigure,
  CoordInputError,
  compareLimits,
  counterCostFigure,
  crawlDurations,
  crawlGanttFigure,
  crawlModel,
  EXERCISE_PAGES,
  exploreBuffer,
  heapFigure,
  inFlightFigure,
  inFlightSteps,
  judgeBufferFix,
  judgeLimit,
  LIMIT_SOLUTIONS,
  peakOverlap,
  producerOverflows,
  queueLengthFigure,
  queueModel,
} from "../../lib/chapters/09-coordinating/index";
import { boundedBuffer, explore, parseThreadProgram } from "../../lib/interleave/index";
import { exerciseExpected, judgeExercise, resetExerciseTries } from "../../lib/notebook/exercises";
import type { BackpressureResult, MessageCounterResult } from "../../lib/real/index";

describe("the crawler model (a semaphore with k permits on lib/sim)", () => {
  it("takes the sum of the pages with k = 1, the slowest page with no limit, and never more than k at once", () => {
    const pages = crawlDurations();
    expect(pages).toEqual([32, 71, 28, 70, 64, 62, 36, 76, 27, 58, 62, 55]);
    const runs = compareLimits([1, 2, 4, Infinity]);
    expect(runs.map((r) => r.total)).toEqual([641, 332, 174, 76]);
    expect(runs[0].total).toBe(pages.reduce((a, b) => a + b, 0));
    expect(runs[3].total).toBe(Math.max(...pages));
    expect(runs.map((r) => r.peakInFlight)).toEqual([1, 2, 4, 12]);
    expect(runs.map((r) => r.peakServerQueue)).toEqual([0, 0, 0, 0]);
  });

  it("hands each freed permit to the next fetch in line (exercise 1's pages, by hand)", () => {
    const r = crawlModel({ limit: 2, durations: EXERCISE_PAGES });
    expect(r.fetches.map((f) => [f.start, f.end])).toEqual([
      [0, 40],
      [0, 10],
      [10, 40],
      [40, 60],
      [40, 90],
      [60, 70],
    ]);
    expect(r.total).toBe(90);
  });

  it("a server with 4 workers: no limit is no faster than k = 4 and queues 8 requests at the server", () => {
    const runs = compareLimits([1, 2, 4, Infinity], { serverSlots: 4 });
    expect(runs.map((r) => r.total)).toEqual([641, 332, 174, 174]);
    expect(runs.map((r) => r.peakServerQueue)).toEqual([0, 0, 0, 8]);
    const flat = crawlModel({ limit: Infinity, durations: Array(12).fill(30), serverSlots: 3 });
    expect([flat.total, flat.peakServerQueue]).toEqual([120, 9]);
  });

  it("refuses bad options with CoordInputError saying what to pass", () => {
    expect(() => crawlModel({ limit: 0 })).toThrow(CoordInputError);
    expect(() => crawlModel({ limit: 1.5 })).toThrow(/whole number from 1/);
    expect(() => crawlModel({ limit: 2, durations: [] })).toThrow(/durations/);
    expect(() => crawlModel({ limit: 2, durations: [10, -1] })).toThrow(/positive/);
    expect(() => crawlModel(undefined as never)).toThrow(/limit: 2/);
    expect(() => compareLimits([])).toThrow(CoordInputError);
  });

  it("names the right key when an option is misspelled, instead of running the default", () => {
    expect(() => compareLimits([1, 2], { serverslots: 2 } as never)).toThrow(/did you mean `serverSlots`/);
    expect(() => crawlModel({ limit: 2, sede: 3 } as never)).toThrow(CoordInputError);
    expect(() => compareLimits([1], { limit: 3 } as never)).toThrow(/has no key `limit`/);
    expect(() => queueModel({ capacity: 16, duration: 500 } as never)).toThrow(/did you mean `durationMs`/);
  });

  it("counts overlaps with an end before a start at the same time", () => {
    expect(
      peakOverlap([
        { a: 0, b: 10 },
        { a: 10, b: 20 },
      ]),
    ).toBe(1);
    expect(
      peakOverlap([
        { a: 0, b: 10 },
        { a: 5, b: 20 },
        { a: 9, b: 11 },
      ]),
    ).toBe(3);
    expect(
      inFlightSteps([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
        { start: 5, end: 12 },
      ]),
    ).toEqual({
      t: [0, 5, 10, 12, 20],
      n: [1, 2, 2, 1, 0],
    });
  });
});

describe("the producer–consumer queue model", () => {
  it("without a bound: 1,000 items/s in, 250 out, 600 waiting at 800 ms", () => {
    const m = queueModel();
    expect([m.produced, m.consumed, m.finalQueue, m.peakQueue]).toEqual([800, 200, 600, 600]);
    expect(m.producerWaitMs).toBe(0);
    expect(m.firstWaitAt).toBeNull();
    expect(m.queue[m.queue.length - 1]).toEqual([800, 600]);
  });

  it("with a bound of 16: the producer waits from 23 ms on, the consumer does exactly as much", () => {
    const m = queueModel({ capacity: 16 });
    expect([m.produced, m.consumed, m.peakQueue, m.finalQueue]).toEqual([216, 200, 16, 16]);
    expect(m.firstWaitAt).toBe(23);
    expect(m.producerWaitMs).toBe(581);
    expect(Math.max(...m.queue.map((q) => q[1]))).toBe(16);
  });

  it("exercise 3 by hand: 2 ms per item in, 5 ms out, 4 places: the first wait is at 16 ms", () => {
    const m = queueModel({ produceMs: 2, consumeMs: 5, capacity: 4 });
    expect(m.puts.slice(0, 8)).toEqual([2, 4, 6, 8, 10, 12, 14, 17]);
    expect(m.takes.slice(0, 4)).toEqual([2, 7, 12, 17]);
    expect(m.firstWaitAt).toBe(16);
  });

  it("a consumer faster than the producer leaves nothing waiting", () => {
    expect(queueModel({ consumeMs: 0.5 }).peakQueue).toBe(0);
  });

  it("refuses bad options", () => {
    expect(() => queueModel({ produceMs: 0 })).toThrow(CoordInputError);
    expect(() => queueModel({ capacity: 0 })).toThrow(/capacity/);
    expect(() => queueModel({ produceMs: 0.0001, durationMs: 1e6 })).toThrow(/2,000,000/);
  });
});

describe("the bounded buffer in the thread language", () => {
  it("the text form is lib/interleave's boundedBuffer: the same counts, states and faults", () => {
    for (const guard of ["if", "while"] as const) {
      const text = explore(parseThreadProgram(bufferProgramText(guard)));
      const preset = explore(boundedBuffer({ guard }));
      expect(text.schedules).toBe(preset.schedules);
      expect(text.states).toBe(preset.states);
      expect(text.outcomes.map((o) => [o.kind, o.count])).toEqual(preset.outcomes.map((o) => [o.kind, o.count]));
    }
    const r = explore(parseThreadProgram(bufferProgramText("if")));
    expect(r.schedules).toBe(32n);
    expect(r.outcomes.filter((o) => o.kind === "fault").reduce((a, o) => a + (o.count ?? 0n), 0n)).toBe(4n);
    expect(explore(parseThreadProgram(bufferProgramText("while"))).outcomes.map((o) => o.key)).toEqual(["count=0"]);
  });

  it("the variants: if breaks, while holds, one cv + signal deadlocks, broadcast cures it, semaphores need the mutex", () => {
    const rows = bufferVariants();
    expect(rows.map((r) => [r.schedules, r.right, r.broken, r.deadlocked])).toEqual([
      [32n, 28n, 4n, 0n],
      [32n, 32n, 0n, 0n],
      [40n, 36n, 0n, 4n],
      [40n, 40n, 0n, 0n],
      [2552n, 2552n, 0n, 0n],
      [5754n, 2654n, 3100n, 0n],
    ]);
    expect(rows[0].problem).toMatch(/below 0/);
    expect(rows[2].problem).toMatch(/^deadlock/);
    expect(rows[1].witness).toBe("");
    const fig = bufferVariantsFigure(rows);
    expect(fig.data).toHaveLength(3);
    expect((fig.data[0].x as number[])[0]).toBe(87.5);
    expect((fig.data[2].x as number[])[2]).toBe(10);
    expect(fig.layout.title).toBeTruthy();
  });

  it("checks the learner's fix: the if version fails with a witness, goto empty passes", () => {
    const bad = judgeBufferFix(bufferProgramText("if"));
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/^4 of 32 schedules go wrong, e\.g\. "[\d >]+"/);
    expect(judgeBufferFix(bufferProgramText("if", "goto empty")).ok).toBe(true);
    expect(judgeBufferFix(bufferProgramText("while")).ok).toBe(true);
  });

  it("refuses fixes that stop being the buffer or hide the bug", () => {
    const good = bufferProgramText("while");
    expect(judgeBufferFix(good.replace("invariant 0 <= count <= 1", "")).message).toMatch(/invariant/);
    expect(judgeBufferFix(good.replace(/ {2}wait notEmpty, m.*\n/, "")).message).toMatch(/wait notEmpty/);
    expect(judgeBufferFix(good.replace("thread C1, C2:", "thread C1:")).message).toMatch(/P, C1 and C2/);
    expect(judgeBufferFix("thread P:\n  frobnicate x").ok).toBe(false);
    expect(judgeBufferFix(42).message).toMatch(/text/);
    // a consumer that never takes leaves the producer asleep: a deadlock, not a pass
    expect(judgeBufferFix(bufferProgramText("if", "goto empty").replace("add c, -1", "add c, 0")).ok).toBe(false);
    expect(() => bufferProgramText("if", "goto a\ngoto b")).toThrow(CoordInputError);
  });

  it("exploreBuffer is the preset's exhaustive run", () => {
    const r = exploreBuffer({ capacity: 1, consumers: 3, items: 3, guard: "if" });
    expect(r.schedules).toBe(1248n);
    expect(producerOverflows()).toBe(56n);
  });
});

describe("chapter 09 exercises", () => {
  it("computes the answers and judges right and wrong ones", () => {
    resetExerciseTries();
    expect(exerciseExpected("09-1")).toBe(90);
    expect(exerciseExpected("09-2")).toEqual([120, 9]);
    expect(exerciseExpected("09-3")).toBe(16);
    expect(exerciseExpected("09-4")).toBe(56);
    expect(judgeExercise("09-1", 90).ok).toBe(true);
    expect(judgeExercise("09-1", 230).ok).toBe(false);
    expect(judgeExercise("09-2", [120, 9]).ok).toBe(true);
    expect(judgeExercise("09-2", [120, 8]).ok).toBe(false);
    expect(judgeExercise("09-3", 16).ok).toBe(true);
    expect(judgeExercise("09-3", 14).message).toMatch(/Hint 1/);
    expect(judgeExercise("09-4", 56).ok).toBe(true);
    expect(judgeExercise("09-4", 28).ok).toBe(false);
  });
});

describe("the learner's limit(k), run as real async code", () => {
  it("accepts the semaphore solution", async () => {
    const v = await judgeLimit(LIMIT_SOLUTIONS.semaphore);
    expect(v.ok).toBe(true);
    expect(v.scenarios).toBe(15);
  });

  it("rejects no limit, a permit leaked by a failed task, and batches — each with the scenario that shows it", async () => {
    expect((await judgeLimit(LIMIT_SOLUTIONS.unlimited)).message).toBe(
      "2 tasks were running at once when task 2 started (k = 1, 7 tasks, ended first started first).",
    );
    const leak = await judgeLimit(LIMIT_SOLUTIONS.leaksOnFailure);
    expect(leak.ok).toBe(false);
    expect(leak.message).toMatch(/task 2 fails\)\.$/);
    const batches = await judgeLimit(LIMIT_SOLUTIONS.batches);
    expect(batches.message).toMatch(/^only 1 task was running while \d+ waited for a place \(k = 2/);
  });

  it("rejects limiters that start out of order, lose results, swallow errors, or are not limiters", async () => {
    const lifo = (k: number) => {
      let active = 0;
      const waiting: (() => void)[] = [];
      return async <T>(task: () => Promise<T>): Promise<T> => {
        if (active >= k) await new Promise<void>((r) => waiting.push(r));
        else active++;
        try {
          return await task();
        } finally {
          const next = waiting.pop(); // last come, first served
          if (next) next();
          else active--;
        }
      };
    };
    expect((await judgeLimit(lifo)).message).toBe(
      "tasks started in the order 1, 7, 6, 5, 4, 3, 2: start them in the order queued (k = 1, 7 tasks, ended first started first).",
    );
    const swallow = (k: number) => {
      const run = LIMIT_SOLUTIONS.semaphore(k);
      return <T>(task: () => Promise<T>) => run(() => task().catch(() => "oops" as T));
    };
    expect((await judgeLimit(swallow)).message).toMatch(/resolved with oops, but its task failed/);
    const wrongValue = (k: number) => {
      const run = LIMIT_SOLUTIONS.semaphore(k);
      return <T>(task: () => Promise<T>) => run(task).then(() => undefined as T);
    };
    expect((await judgeLimit(wrongValue)).message).toMatch(/resolved with undefined, not its task's result "page 1"/);
    expect((await judgeLimit((() => 3) as never)).message).toMatch(/must return a function run\(task\)/);
    expect((await judgeLimit("x" as never)).ok).toBe(false);
  });
});

describe("chapter 09 figures", () => {
  it("in flight over time: one step line per limit, labelled axes", () => {
    const fig = inFlightFigure(
      compareLimits([1, Infinity]).map((r) => ({ limit: r.limit, intervals: r.fetches })),
      "Fetches in flight",
    );
    expect(fig.data.map((t) => t.name)).toEqual(["k = 1: done at 641 ms", "no limit: done at 76 ms"]);
    expect(fig.data[1].y as number[]).toContain(12);
    expect(JSON.stringify(fig.layout)).toMatch(/time \(ms\)/);
    expect(fig.data[0].line).toMatchObject({ shape: "hv" });
  });

  it("the Gantt draws waits in greys, never a task colour", () => {
    const fig = crawlGanttFigure(crawlModel({ limit: 2, durations: EXERCISE_PAGES, serverSlots: 1 }).fetches, "t");
    expect(fig.data.map((t) => t.name)).toEqual([
      "waiting for a permit",
      "waiting in the server's queue",
      "being served (holds a permit)",
    ]);
    expect(fig.data.map((t) => (t.marker as { color: string }).color)).toEqual(["#E0E0E0", "#B0B0B0", "#003F5C"]);
  });

  it("queue and heap figures put the model dashed beside the measured runs", () => {
    const models = [queueModel(), queueModel({ capacity: 16 })];
    const measured: BackpressureResult = {
      produceMs: 1,
      consumeMs: 4,
      durationMs: 800,
      itemBytes: 65536,
      runs: [
        {
          capacity: 16,
          samples: [
            { t: 0, queue: 0, heapBytes: 0 },
            { t: 20, queue: 16, heapBytes: 2 ** 20 },
          ],
          produced: 20,
          consumed: 4,
          peakQueue: 16,
          producerWaitMs: 5,
          peakHeapBytes: 2 ** 20,
          finalQueue: 16,
          retainedBytes: 2 ** 20,
        },
      ],
    };
    const q = queueLengthFigure(models, measured);
    expect(q.data.map((t) => t.name)).toEqual(["model, no bound", "model, bound 16", "measured, bound 16"]);
    expect(q.data[0].line).toMatchObject({ dash: "dash" });
    const h = heapFigure(measured, models);
    expect(h.data[0].y).toEqual([0, 1]);
    expect(h.data[1]).toMatchObject({ x: [20], y: [1], name: "held after a full collection, bound 16: 1.0 MiB" });
    expect((h.data[2].y as number[]).at(-1)).toBe(37.5);
  });

  it("the counter's cost chart says which ways were exact", () => {
    const r: MessageCounterResult = {
      rows: [
        { mode: "plain", workers: 2, increments: 10, expected: 20, finals: [20, 15], lost: [0, 5] },
        { mode: "messages", workers: 2, increments: 10, expected: 20, finals: [20, 20], lost: [0, 0] },
      ].map((x, i) => ({ ...x, ms: { median: 1, min: 1, max: 1, runs: [1] }, nsPerIncrement: i ? 2000 : 3 })) as never,
    };
    const fig = counterCostFigure(r);
    expect(fig.data[0].text).toEqual(["3.0 ns · wrong in 1 of 2 runs", "2000 ns · exact in all 2 runs"]);
  });
});
