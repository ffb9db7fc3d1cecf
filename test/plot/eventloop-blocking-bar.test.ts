import { describe, expect, it } from "vitest";
import { compareLoopIoModes } from "../../lib/chapters/07-async/index";
import { eventLoopTimelineFigure } from "../../lib/plot/eventloop";

describe("chapter 07: the blocking-IO bar of the timeline is drawn", () => {
  it("keeps the task colour under the hatch (plotly's default fillmode 'replace' left it transparent)", () => {
    const f = eventLoopTimelineFigure(compareLoopIoModes().blocking);
    const t = f.data.find((d) => String(d.name).includes("blocked in sync IO")) as any;
    expect(t.marker.pattern.fillmode).toBe("overlay");
    expect(t.marker.color).toMatch(/^#/);
    expect(t.marker.pattern.fgcolor).toBe(t.marker.line.color); // the task it belongs to
  });
});
