// Figures and the step-through display of the event-loop model: pure JSON / escaped HTML.
import { describe, expect, it } from "vitest";
import { compareLoopIoModes, loopProgressBarScenario } from "../../lib/chapters/07-async/index";
import { runLoop } from "../../lib/eventloop/index";
import {
  eventLoopLagFigure,
  eventLoopQueueFigure,
  eventLoopSnapshotHtml,
  eventLoopStepFrames,
  eventLoopTimelineFigure,
} from "../../lib/plot/eventloop";
import { seriesColor } from "../../lib/plot/figure";

describe("event-loop figures", () => {
  const run = compareLoopIoModes().cooperative;

  it("timeline: one bar trace per task on the thread row, idle, IO waits on the task's own row", () => {
    const fig = eventLoopTimelineFigure(run);
    const names = fig.data.map((d) => d.name);
    expect(names).toEqual(["task 1 runs", "task 2 runs", "idle (waiting for timers / IO)", "waiting for IO"]);
    const t1 = fig.data[0] as { base: number[]; x: number[]; y: string[]; marker: { color: string } };
    expect(t1.base).toEqual([0, 21, 44]);
    expect(t1.x).toEqual([16, 11, 6]);
    expect(new Set(t1.y)).toEqual(new Set(["event loop thread"]));
    expect(t1.marker.color).toBe(seriesColor(1)); // "main" is task 0
    const io = fig.data[3] as { y: string[]; base: number[]; x: number[] };
    expect(io).toMatchObject({ y: ["task 1 waits"], base: [32], x: [12] });
    expect(fig.data.every((d) => d.type === "bar" && d.orientation === "h")).toBe(true);
    expect((fig.layout.title as { text: string }).text).toMatch(/thread/);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });

  it("blocking IO is drawn hatched on the thread row", () => {
    const fig = eventLoopTimelineFigure(compareLoopIoModes().blocking);
    const blocked = fig.data.find((d) => d.name === "task 1 blocked in sync IO") as { base: number[]; x: number[] };
    expect(blocked).toMatchObject({ base: [32], x: [12] });
  });

  it("queue lengths and lag figures", () => {
    const q = eventLoopQueueFigure(run);
    expect(q.data).toHaveLength(5);
    expect((q.data[0].x as number[]).length).toBe(run.snapshots.length);
    const bar = loopProgressBarScenario("sync");
    const lag = eventLoopLagFigure(bar.run);
    expect(lag.data.map((d) => d.name)).toEqual(["bar"]);
    expect(lag.data[0].y).toEqual([900]);
  });

  it("step-through frames and escaped HTML", () => {
    const r = runLoop(({ setTimeout, resolved, log }) => {
      setTimeout(() => log("<b>late</b>"), 5, "<script>");
      resolved().then(() => log("p"));
    });
    const frames = eventLoopStepFrames(r);
    expect(frames).toHaveLength(r.snapshots.length);
    expect(frames[0].title).toBe("step 0 · t = 0 ms · main phase · runs main script");
    expect(frames[1].columns.map((c) => c.title)).toEqual([
      "call stack",
      "nextTick queue",
      "microtasks",
      "timers",
      "setImmediate",
      "IO pending",
    ]);
    expect(frames[1].columns[3].items).toEqual(["<script> [main] due 5 ms"]);
    const html = eventLoopSnapshotHtml(frames[frames.length - 1]);
    expect(html).not.toMatch(/<script>|<b>/);
    expect(html).toContain("&lt;b&gt;late&lt;/b&gt;");
    expect(eventLoopSnapshotHtml(frames[1])).toContain("&lt;script&gt; [main] due 5 ms");
    // review L21: the stepper prints the title as its caption; the frame can leave it out
    const t = frames[1].title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    expect(eventLoopSnapshotHtml(frames[1])).toContain(t);
    expect(eventLoopSnapshotHtml(frames[1], { title: false })).not.toContain(t);
  });
});
