// Charts for every front end: one output with plotly JSON, HTML and text; and what shows where scripts do not run.
import { afterEach, describe, expect, it } from "vitest";
import {
  type DisplaySink,
  figureText,
  PLOTLY_MIME,
  resetPlotSession,
  setDisplaySink,
  show,
} from "../../lib/notebook/index";
import { figureHtml, stepperHtml, UNTRUSTED_NOTE } from "../../lib/plot/index";

const figure = {
  data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }],
  layout: { title: { text: "Two <b>bars</b>" }, height: 300 },
};

afterEach(() => setDisplaySink(undefined));

describe("show: one output, three MIME types", () => {
  it("sends plotly JSON, HTML (with the bundle the first time) and a text line, where the sink takes bundles", () => {
    const outputs: Record<string, unknown>[] = [];
    const sink: DisplaySink = {
      html: () => outputs.push({ only: "html" }),
      markdown: () => undefined,
      text: () => undefined,
      live: () => ({ html: () => undefined }),
      bundle: (data) => outputs.push(data),
    };
    setDisplaySink(sink);
    resetPlotSession();
    show(figure as never);
    show(figure as never);
    expect(outputs).toHaveLength(2);
    const [first, second] = outputs;
    expect(Object.keys(first).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"].sort());
    expect(first[PLOTLY_MIME]).toEqual({ data: figure.data, layout: figure.layout });
    expect(String(first["text/html"])).toContain('data-cbe-bundle="plotly-cartesian"');
    expect(String(second["text/html"])).not.toContain("data-cbe-bundle");
    expect(first["text/plain"]).toBe("[chart: Two bars — 1 trace(s): bar]");
  });

  it("falls back to HTML for sinks without bundles", () => {
    const html: string[] = [];
    setDisplaySink({
      html: (s) => html.push(s),
      markdown: () => undefined,
      text: () => undefined,
      live: () => ({ html: () => undefined }),
    });
    show(figure as never);
    expect(html).toHaveLength(1);
    expect(html[0]).toContain('class="cbe-plot"');
  });

  it("describes untitled and multi-trace charts", () => {
    expect(figureText({ data: [{ x: [1] }, { type: "heatmap", z: [[1]] }], layout: {} } as never)).toBe(
      "[chart — 2 trace(s): scatter, heatmap]",
    );
  });
});

describe("where scripts do not run (an untrusted notebook)", () => {
  it("a chart's box explains why it is empty and how to trust, and the script clears it before drawing", () => {
    const html = figureHtml(figure as never, "p1");
    expect(html).toContain('class="cbe-untrusted"');
    expect(html).toContain("Trust Notebook");
    expect(UNTRUSTED_NOTE).not.toContain("not drawn"); // the browser checks read "not drawn" as a chart given up
    expect(html.indexOf('el.textContent=""')).toBeLessThan(html.indexOf("Plotly.newPlot"));
  });

  it("a player shows its first frame statically, with the note its script removes", () => {
    const html = stepperHtml([
      { caption: "step 0", html: "<b>zero</b>" },
      { caption: "step 1", html: "<b>one</b>" },
    ]);
    expect(html).toMatch(/<div class="cbe-cap"[^>]*>step 0<\/div><div class="cbe-body"><b>zero<\/b><\/div>/);
    expect(html).toContain("This step-through player is drawn by a script");
    expect(html).toContain('note.remove();root.setAttribute("data-ready","1")');
  });
});
