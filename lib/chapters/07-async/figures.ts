/**
 * Chapter 07's own figures: the real sleep experiment as wall time beside CPU use (a blocked loop vs a busy loop),
 * and how often real Node printed each order of setTimeout(0) vs setImmediate. Pure: data → plotly JSON.
 */
import { baseLayout, type Figure, seriesColor } from "../../plot/index";
import type { SleepDemoResult, SleepMode } from "../../real/index";
import type { TimeoutVsImmediateReal } from "./real-node";

const MODE_LABEL: Record<SleepMode, string> = {
  sequential: "one after another, await sleep",
  concurrent: "Promise.all + await sleep",
  blockingConcurrent: "Promise.all + busy wait",
  atomicsWaitConcurrent: "Promise.all + Atomics.wait",
};

/** Two panels per way of sleeping: total wall time (ms) and the process's CPU use (% of one core). */
export function sleepCpuFigure(r: SleepDemoResult): Figure {
  const labels = r.runs.map((run) => MODE_LABEL[run.mode]);
  const colors = r.runs.map((_, i) => seriesColor(i));
  const layout = baseLayout(
    `${r.tasks} tasks that each sleep ${r.sleepMs} ms: wall time and CPU`,
    "total time (ms)",
    "",
    {
      height: 170 + 46 * r.runs.length,
      showlegend: false,
      xaxis: { title: { text: "total time (ms)" }, domain: [0, 0.47], rangemode: "tozero", zeroline: false },
      xaxis2: { title: { text: "CPU use (% of one core)" }, domain: [0.53, 1], range: [0, 110], anchor: "y" },
      yaxis: { autorange: "reversed", automargin: true },
      margin: { l: 230, r: 30, t: 60, b: 70 },
    },
  );
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        name: "total time",
        y: labels,
        x: r.runs.map((run) => run.totalMs),
        text: r.runs.map((run) => `${Math.round(run.totalMs)} ms`),
        textposition: "auto",
        marker: { color: colors },
        hovertemplate: "%{y}: %{x:.0f} ms<extra></extra>",
      },
      {
        type: "bar",
        orientation: "h",
        name: "CPU use",
        y: labels,
        x: r.runs.map((run) => run.cpuPercent),
        xaxis: "x2",
        text: r.runs.map((run) => `${Math.round(run.cpuPercent)} %`),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: colors },
        hovertemplate: "%{y}: %{x:.0f} % of one core<extra></extra>",
      },
    ],
    layout,
  };
}

/** Runs of a fresh node process per printed order (bars), for setTimeout(0) vs setImmediate. */
export function timeoutVsImmediateFigure(results: TimeoutVsImmediateReal[]): Figure {
  const orders = ["immediate → timeout", "timeout → immediate"];
  const where = (s: string) => (s === "main" ? "from the main script" : "inside an IO callback");
  return {
    data: orders.map((o, i) => ({
      type: "bar" as const,
      orientation: "h" as const,
      name: `printed ${o}`,
      y: results.map((r) => `${where(r.start)} (${r.runs} runs)`),
      x: results.map((r) => r.counts.find((c) => c.order.join(" → ") === o)?.runs ?? 0),
      marker: { color: seriesColor(i + 4) },
      hovertemplate: `%{y}: %{x} runs printed ${o}<extra></extra>`,
    })),
    layout: baseLayout("setTimeout(f, 0) vs setImmediate(g), fresh node processes", "runs", "", {
      barmode: "stack",
      height: 300,
      yaxis: { automargin: true },
    }),
  };
}
