import { describe, expect, it } from "vitest";
import {
  counterRace,
  explore,
  InterleaveFigureError,
  interleavingTree,
  parseThreadProgram,
  replay,
  sample,
  twoLockDeadlock,
} from "../../lib/interleave/index";
import { escapeHtml } from "../../lib/plot/html";
import {
  interleaveTableHtml,
  interleavingTreeFigure,
  outcomeHistogramFigure,
  waitForGraphFigure,
} from "../../lib/plot/interleave";

describe("interleave figures", () => {
  it("tree of counterRace(2,1): 20 leaves, 18 with counter=1", () => {
    const tree = interleavingTree(counterRace(2, 1));
    expect(tree.leaves).toBe(20);
    expect(tree.nodes.filter((n) => n.outcome === "counter=1").length).toBe(18);
    expect(tree.nodes.length).toBe(1 + 2 + 4 + 8 + 14 + 20 + 20); // prefixes of each length
    const fig = interleavingTreeFigure(tree);
    expect(fig.data.length).toBe(2 + 1 + 2); // edges per thread, inner nodes, one trace per outcome
    expect(JSON.stringify(fig.layout.title)).toMatch(/20 complete schedules/);
    expect(() => interleavingTree(counterRace(3, 2))).toThrow(InterleaveFigureError);
  });

  it("histogram: exact shares beside sampled shares", () => {
    const p = counterRace(2, 1);
    const fig = outcomeHistogramFigure(explore(p), sample(p, { runs: 500, seed: 1 }));
    expect(fig.data.length).toBe(2);
    expect(fig.data[0].x).toEqual(["counter=1", "counter=2"]);
    expect(fig.data[0].y).toEqual([90, 10]);
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).toBe("share (%)");
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig); // plain JSON: no bigint, NaN or Infinity inside
    const lowest = (runnable: readonly number[]) => runnable[0];
    const named = outcomeHistogramFigure(null, [
      sample(p, { runs: 5, scheduler: "pct" }),
      sample(p, { runs: 5, scheduler: lowest }),
    ]);
    expect(named.data.map((d) => String(d.name).split(" (")[0])).toEqual(["PCT", 'scheduler "lowest"']);
  });

  it("table is escaped HTML with the seed's columns", () => {
    const html = interleaveTableHtml(replay(counterRace(2, 1), "1 2 1 1 2 2"));
    expect(html).toMatch(/<th>Order<\/th><th>Thread<\/th><th>Step<\/th><th>Registers<\/th><th>value of counter<\/th>/);
    expect((html.match(/<tr>/g) ?? []).length).toBe(7);
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    const p = parseThreadProgram("shared x = 0\nthread A:\n  write x, 1");
    expect(interleaveTableHtml(replay(p, "1"))).toContain("done: x=1");
  });

  it("wait-for graph of the two-lock deadlock: two threads, two mutexes, four arrows", () => {
    const r = explore(twoLockDeadlock());
    const fig = waitForGraphFigure(r.deadlocks[0], r.threadNames);
    expect(fig.data.length).toBe(3);
    const arrows = (fig.layout.annotations ?? []).filter((a) => a.showarrow);
    expect(arrows.length).toBe(4);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });
});
