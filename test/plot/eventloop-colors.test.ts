// Review M22: a wait is never drawn in a task's colour (the IO wait was task 2's orange).
import { describe, expect, it } from "vitest";
import { compareLoopIoModes } from "../../lib/chapters/07-async/index";
import { eventLoopTimelineFigure, TIMER_WAIT_COLOR } from "../../lib/plot/eventloop";
import { SERIES_COLORS, STATE_COLORS } from "../../lib/plot/figure";

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((x, i) => x - rgb(b)[i]));

describe("state colours never equal task colours", () => {
  it("no state colour equals (or is within 60 RGB units of) any series colour", () => {
    for (const [state, c] of Object.entries(STATE_COLORS)) {
      for (const s of SERIES_COLORS) {
        expect(c.toUpperCase(), `${state} vs ${s}`).not.toBe(s.toUpperCase());
        expect(distance(c, s), `${state} ${c} vs ${s}`).toBeGreaterThan(60);
      }
    }
  });
  it("the timeline draws IO waits, timer waits and sync IO in greys, never in a task's colour", () => {
    for (const run of [compareLoopIoModes().blocking, compareLoopIoModes().cooperative]) {
      const f = eventLoopTimelineFigure(run);
      for (const t of f.data as any[]) {
        const name = String(t.name);
        if (name.startsWith("waiting for") || name.includes("sync IO")) {
          expect([STATE_COLORS.io, TIMER_WAIT_COLOR]).toContain(t.marker.color);
          expect(SERIES_COLORS).not.toContain(t.marker.color);
        }
      }
    }
    const io = eventLoopTimelineFigure(compareLoopIoModes().cooperative).data.find((t) => t.name === "waiting for IO");
    expect((io as any).marker.color).toBe(STATE_COLORS.io);
  });
});
