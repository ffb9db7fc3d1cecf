// Figures of a replay: the timeline (one lane per task, a box per step, waits grey, never in a task's colour), the
// step table and the step-through frames.
import { describe, expect, it } from "vitest";
import { replayAsync } from "../../lib/asynccheck/index";
import { asyncReplayFrames, asyncStepTableHtml, asyncTimelineFigure } from "../../lib/plot/asynccheck";
import { SERIES_COLORS, STATE_COLORS } from "../../lib/plot/figure";
import { CASES } from "./programs";

describe("figures of a replay", () => {
  it("the timeline has a box per step in the task's colour, and grey waits for a held lock", async () => {
    const r = await replayAsync(CASES[3].program, "1 1 1 1 2 2 2 2 3 3 3 3");
    expect(r.status).toBe("complete");
    const fig = asyncTimelineFigure(r);
    const boxes = fig.data.filter((t) => String(t.name).startsWith("task"));
    expect(boxes.map((t) => (t.y as string[]).length)).toEqual([4, 4, 4]);
    expect(boxes.map((t) => (t.marker as { color: string }).color)).toEqual(SERIES_COLORS.slice(0, 3));
    const waits = fig.data.find((t) => String(t.name).startsWith("waits"));
    if (!waits) throw new Error("no waits drawn");
    expect((waits.marker as { color: string }).color).toBe(STATE_COLORS.io);
    expect(SERIES_COLORS).not.toContain(STATE_COLORS.io);
    // tasks 2 and 3 wait while task 1 holds the lock (steps 2-4); task 3 also while task 2 holds it (6-8)
    const waitAt = (waits.base as number[]).map((b, k) => `${(waits.y as string[])[k]}@${Math.round(b + 0.45)}`);
    expect(waitAt).toEqual(
      ["task 2@2", "task 3@2", "task 2@3", "task 3@3", "task 2@4", "task 3@4"].concat([
        "task 3@6",
        "task 3@7",
        "task 3@8",
      ]),
    );
    expect(fig.layout.title).toMatchObject({ text: expect.stringContaining("1 1 1 1 2 2 2 2 3 3 3 3") });
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).toMatch(/step/);
  });

  it("a violation is marked on the timeline and named in the table and the frames", async () => {
    const r = await replayAsync(CASES[5].program, "1 2 1 1 2 2");
    expect(r.firstViolation).toEqual({ step: 6, message: "fetched 2 times" });
    const fig = asyncTimelineFigure(r);
    expect(fig.layout.shapes?.[0]).toMatchObject({ x0: 6.5 });
    const html = asyncStepTableHtml(r);
    expect(html).toContain("✗ fetched 2 times");
    expect(html).toContain("write(&quot;fetches&quot;, 2)");
    const frames = asyncReplayFrames(r);
    expect(frames).toHaveLength(r.steps.length + 1);
    expect(frames[6].caption).toMatch(/Step 6 of 6: task 2 does write\("fetches", 2\).*The invariant fails: fetched 2/);
  });

  it("a deadlock gets one more column: what each stuck task waits for, and who holds it", async () => {
    const r = await replayAsync(CASES[4].program, "1 2");
    expect(r.status).toBe("deadlock");
    const waits = asyncTimelineFigure(r).data.find((t) => String(t.name).startsWith("waits"));
    expect(waits?.text).toEqual(['lock("b") ← task 2', 'lock("a") ← task 1']);
  });
});
