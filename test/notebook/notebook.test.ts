import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCpu, seedPrograms } from "../../lib/cpu/index";
import {
  animate,
  check,
  checkWith,
  type DisplaySink,
  lastCheck,
  plotlyBundleHtml,
  progressBar,
  progressHtml,
  resetPlotSession,
  setDisplaySink,
  show,
  showSteps,
  showTable,
} from "../../lib/notebook/index";
import { cpuGantt } from "../../lib/plot/cpu";
import { escapeHtml, figureHtml, htmlTable, scriptJson, stepperHtml } from "../../lib/plot/index";

interface Out {
  kind: string;
  id?: number;
  body: string;
}
let outputs: Out[] = [];
let lives = 0;
const recorder: DisplaySink = {
  html: (s) => outputs.push({ kind: "html", body: s }),
  markdown: (s) => outputs.push({ kind: "md", body: s }),
  text: (s) => outputs.push({ kind: "text", body: s }),
  live: () => {
    const id = ++lives;
    return { html: (s: string) => outputs.push({ kind: "live", id, body: s }) };
  },
};

beforeEach(() => {
  outputs = [];
  setDisplaySink(recorder);
  resetPlotSession();
});
afterEach(() => setDisplaySink(undefined));

describe("escaping", () => {
  it("escapes HTML and makes JSON safe inside <script>", () => {
    expect(escapeHtml(`<b a="1">'&'</b>`)).toBe("&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
    const j = scriptJson({ t: "</script><!-- \u2028", n: 10n });
    expect(j).not.toMatch(/</);
    expect(j).not.toMatch(/\u2028/);
    expect(JSON.parse(j)).toEqual({ t: "</script><!-- \u2028", n: "10" });
  });
  it("tables escape cells and headers", () => {
    const html = htmlTable([{ "<k>": "<script>x</script>", n: 1234567, b: 5n }], { caption: "a < b" });
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).toContain("&lt;k&gt;");
    expect(html).toContain("1,234,567");
    expect(html).toContain("a &lt; b");
    expect(html).not.toContain("<script>");
  });
});

describe("show", () => {
  const fig = cpuGantt(runCpu(seedPrograms(), "parallel"), "t </script> <b>");

  it("inlines the plotly bundle once per session, then only figures", () => {
    show(fig);
    show(fig);
    expect(outputs).toHaveLength(2);
    expect(outputs[0].body).toContain('data-cbe-bundle="plotly-cartesian"');
    // The cartesian bundle (1.5 MB), not the full one (4.8 MB): see test/notebook/bundles.test.ts.
    expect(outputs[0].body.length).toBeGreaterThan(1_400_000);
    expect(outputs[0].body.length).toBeLessThan(1_600_000);
    expect(outputs[1].body).not.toContain("data-cbe-bundle");
    expect(outputs[1].body.length).toBeLessThan(20_000);
    const ids = outputs.map((o) => /id="(cbe-plot-[^"]+)"/.exec(o.body)![1]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("the inlined bundles cannot end their <script> early", () => {
    for (const kind of ["cartesian", "full"] as const) {
      const bundle = plotlyBundleHtml(kind);
      const inner = bundle.slice(bundle.indexOf(">") + 1, bundle.lastIndexOf("</script>"));
      expect(inner).not.toMatch(/<\/script/i);
      expect(inner).not.toMatch(/<!--/);
    }
  });

  it("figure markup carries the figure as escaped JSON and a fallback message", () => {
    const html = figureHtml(fig, "x1");
    const script = html.slice(html.indexOf("<script"));
    expect(script.slice(8, -9)).not.toContain("</script");
    expect(html).toContain('id="x1"');
    expect(html).toContain("resetPlotSession()");
    expect(() => show({} as never)).toThrow(/expects a figure/);
  });
});

describe("check never throws", () => {
  it("✓ for a right answer, ✗ with hint for a wrong one, a nudge for undefined", () => {
    const ok = (f: () => void) => {
      f();
      return lastCheck()!;
    };
    expect(ok(() => check("E1", [6, 3], [6, 3])).ok).toBe(true);
    expect(ok(() => check("E1", 5, 6, "count the cycles")).ok).toBe(false);
    expect(ok(() => check("E1", undefined, 6)).message).toMatch(/Not answered yet/);
    expect(ok(() => check("E1", 0.333, 1 / 3, { tolerance: 0.001 })).ok).toBe(true);
    expect(ok(() => check("E1", 20n, 20)).ok).toBe(true);
    expect(ok(() => check("E1", "A  B", "A B")).ok).toBe(true);
    expect(outputs.map((o) => o.body.includes("✓"))).toEqual([true, false, false, true, true, true]);
    expect(outputs[1].body).toContain("count the cycles");
  });
  it("checkWith turns exceptions into feedback", () => {
    checkWith("E2", "A C", (s: string) => {
      runCpu(seedPrograms(), s);
      return true;
    });
    expect(lastCheck()!.ok).toBe(false);
    expect(lastCheck()!.message).toMatch(/CpuScheduleError: Cycle 2: there is no program "C"/);
    checkWith("E2", 3, (x) => (x === 3 ? true : "no"));
    expect(lastCheck()!.ok).toBe(true);
    checkWith("E2", 4, (x) => (x === 3 ? true : "not three"));
    expect(lastCheck()!.message).toContain("not three");
  });
});

describe("live displays", () => {
  it("a progress bar updates one display", () => {
    const bar = progressBar({ label: "download", total: 10, minIntervalMs: 0 });
    bar.update(5, "half");
    bar.finish("done");
    const live = outputs.filter((o) => o.kind === "live");
    expect(new Set(live.map((o) => o.id)).size).toBe(1);
    expect(live.map((o) => /(\d+) %/.exec(o.body)![1])).toEqual(["0", "50", "100"]);
    expect(progressHtml("x<", 2)).toContain("100 %");
    expect(() => progressBar({ total: 0 })).toThrow(/total/);
  });
  it("stepper embeds all frames; animate shows each frame in one display", async () => {
    const html = stepperHtml([
      { caption: "one", html: "<b>1</b>" },
      { caption: "two </script>", html: "2" },
    ]);
    expect(html).toContain('max="1"');
    expect(html.slice(html.indexOf("<script")).slice(8, -9)).not.toContain("</script");
    expect(() => stepperHtml([])).toThrow(/at least one frame/);
    showSteps([{ caption: "c", html: "h" }]);
    await animate(
      [
        { caption: "a", html: "1" },
        { caption: "b", html: "2" },
      ],
      0,
    );
    expect(outputs.filter((o) => o.kind === "live")).toHaveLength(2);
    showTable([{ a: 1 }]);
    expect(outputs[outputs.length - 1].body).toContain("<table");
  });
});
