// Figure builders of lib/plot/real: pure data -> plotly JSON, titled, axes labelled, one colour per series.
import { describe, expect, it } from "vitest";
import type { Figure } from "../../lib/plot/figure";
import { seriesColor } from "../../lib/plot/figure";
import {
  formatDurationMs,
  realEfficiencyFigure,
  realIoModesFigure,
  realIoScalingFigure,
  realLockContentionFigure,
  realOverheadFigure,
  realProgressBarFigure,
  realRaceFigure,
  realSleepFigure,
  realSpeedupFigure,
} from "../../lib/plot/real";
import { summarizeRuns } from "../../lib/real/index";

const s = (...v: number[]) => summarizeRuns(v);

function checkFigure(f: Figure): void {
  expect(JSON.parse(JSON.stringify(f))).toEqual(f); // plain JSON
  const title = f.layout.title as { text: string };
  expect(title.text.length).toBeGreaterThan(5);
  expect(f.data.length).toBeGreaterThan(0);
  expect(f.layout.width).toBe(900);
}

describe("real figures", () => {
  it("speedup and efficiency", () => {
    const r = {
      cores: 2,
      tasks: 8,
      iterations: 1000,
      parallelFraction: 0.98,
      sequentialMs: s(400),
      checksum: 1,
      points: [1, 2, 3, 4].map((w) => ({
        workers: w,
        ms: s(400 / Math.min(w, 2)),
        speedup: Math.min(w, 2),
        efficiency: Math.min(w, 2) / w,
        amdahl: 1,
      })),
    };
    const f = realSpeedupFigure(r);
    checkFigure(f);
    expect(f.data[0].y).toEqual([1, 2, 2, 2]);
    expect((f.layout.yaxis as { title: { text: string } }).title.text).toMatch(/×/);
    expect(f.data[0].marker?.color).toBe(seriesColor(0));
    checkFigure(realEfficiencyFigure(r));
  });

  it("overhead, IO, race, lock contention", () => {
    checkFigure(
      realOverheadFigure({
        iterations: 10,
        rows: [
          { method: "call", tasks: 10, perTaskMs: s(0.001) },
          { method: "worker", tasks: 2, perTaskMs: s(20, 25) },
        ],
      }),
    );
    const row = (mode: "sequential" | "promiseAll", c: number) => ({
      mode,
      requests: 10,
      concurrency: c,
      ms: s(100, 120),
      requestsPerSecond: 100,
      peakInFlight: c,
      startupMs: 0,
    });
    checkFigure(
      realIoModesFigure({ delayMs: 10, sequentialIdealMs: 100, rows: [row("sequential", 1), row("promiseAll", 10)] }),
    );
    const sc = (mode: "async" | "workers", c: number) => ({
      mode,
      concurrency: c,
      requests: c,
      startupMs: 0,
      ms: 100,
      totalMs: 100,
      requestsPerSecond: c * 10,
      rssDeltaMB: c / 10,
      peakInFlight: c,
    });
    const io = realIoScalingFigure({
      delayMs: 100,
      rounds: 1,
      rows: [sc("async", 1), sc("async", 100), sc("workers", 1), sc("workers", 4)],
    });
    checkFigure(io);
    expect(io.data).toHaveLength(4);
    // Memory on a second y axis, overlaid on the right; time on the first.
    expect(io.data.map((t) => (t as { yaxis?: string }).yaxis ?? "y")).toEqual(["y", "y2", "y", "y2"]);
    expect(io.layout.yaxis2).toMatchObject({ overlaying: "y", side: "right" });
    const race = realRaceFigure({
      rows: [
        {
          mode: "plain",
          workers: 2,
          increments: 10,
          expected: 20,
          finals: [15, 12],
          lost: s(5, 8),
          lossRate: 0.325,
          ms: s(1),
          overlapMs: [1],
        },
        {
          mode: "atomic",
          workers: 2,
          increments: 10,
          expected: 20,
          finals: [20, 20],
          lost: s(0, 0),
          lossRate: 0,
          ms: s(1),
          overlapMs: [1],
        },
      ],
    });
    checkFigure(race);
    expect(race.data[2].y).toEqual([15, 12, 20, 20]);
    const lc = realLockContentionFigure(
      [0, 100].flatMap((c) =>
        [1, 2].map((w) => ({
          workers: w,
          criticalIterations: c,
          outsideIterations: 0,
          ops: 10,
          ms: 1,
          opsPerSecond: 1000 * w,
          exact: true,
        })),
      ),
    );
    checkFigure(lc);
    expect(lc.data).toHaveLength(2);
  });

  it("progress bar and sleep Gantt use bars with base, never shapes", () => {
    const samples = [0, 20, 40, 440, 460].map((t, i) => ({
      tMs: t,
      progress: i / 4,
      lagMs: t === 440 ? 380 : 0,
      phase: "blocking" as const,
    }));
    const pb = realProgressBarFigure({
      tickMs: 20,
      workMs: 400,
      samples,
      phases: [
        { phase: "blocking", startMs: 40, endMs: 440, ticks: 1, maxGapMs: 400, meanDelayMs: 200, maxDelayMs: 400 },
      ],
    });
    checkFigure(pb);
    expect(pb.layout.shapes).toBeUndefined();
    const g = realSleepFigure({
      tasks: 2,
      sleepMs: 10,
      idealSequentialMs: 20,
      idealConcurrentMs: 10,
      runs: [
        {
          mode: "sequential",
          totalMs: 20,
          cpuPercent: 1,
          maxTimerGapMs: 0,
          spans: [
            { task: 0, startMs: 0, endMs: 10 },
            { task: 1, startMs: 10, endMs: 20 },
          ],
        },
      ],
    });
    checkFigure(g);
    expect(g.data[0].base).toEqual([0, 10]);
    expect(g.data[0].x).toEqual([10, 10]);
    expect(g.layout.shapes).toBeUndefined();
  });

  it("overhead: the task itself is labelled as such, extras beyond it, decade ticks, noise never drawn as a cost", () => {
    const f = realOverheadFigure({
      iterations: 1000,
      emptyCallMs: s(0.000005),
      rows: [
        { method: "call", tasks: 10, perTaskMs: s(0.0026) },
        { method: "promise", tasks: 10, perTaskMs: s(0.0025), extraMs: s(-0.0001, -0.0001, 0.0002) },
        { method: "pool", tasks: 10, perTaskMs: s(0.03), extraMs: s(0.027) },
        { method: "worker", tasks: 2, perTaskMs: s(30), extraMs: s(29.99, 31) },
      ],
    });
    checkFigure(f);
    const y = f.data[0].y as string[];
    expect(y).toEqual([
      "the task itself (≈1000 iterations): 2.60 µs",
      "an empty call (no work): 5.0 ns",
      "+ a job on a worker pool: 27.0 µs",
      "+ a new worker per task: 30.5 ms",
    ]);
    expect(y.some((l) => /plain call|promise/.test(l))).toBe(false);
    const xa = f.layout.xaxis as { type: string; tickvals: number[]; ticktext: string[]; title: { text: string } };
    expect(xa.type).toBe("log");
    for (const v of xa.tickvals) expect(Math.log10(v)).toBeCloseTo(Math.round(Math.log10(v)), 9);
    expect(xa.ticktext).toContain("1 µs");
    expect(xa.ticktext).toContain("10 ms");
    expect(xa.title.text).toMatch(/a promise per task: no extra cost above the noise/);
    expect(formatDurationMs(0.00263)).toBe("2.63 µs");
    expect(formatDurationMs(31.24)).toBe("31.2 ms");
    expect(formatDurationMs(0.00069)).toBe("690 ns");
    expect(formatDurationMs(1234.4)).toBe("1234 ms");
  });
});
