/** Figures for the clock-cycle machine (chapter 01). Pure: CpuRun → plotly JSON. */

import type { CpuRun } from "../cpu/machine";
import { checkInt, checkOptions, checkResult, checkRows, checkString } from "../errors/validate";
import { FigureInputError } from "./errors";
import { baseLayout, type Figure, seriesColor } from "./figure";

/**
 * Gantt of cores × clock cycles: one box per executed micro-op, coloured by program, labelled with the op.
 * `cycles` fixes the width of the time axis (in cycles), so charts of runs of different lengths compare by eye.
 * When the run's issueWidth is above 1, each core gets one row per issue slot ("core 1 · slot 2").
 */
export function cpuGantt(
  run: CpuRun,
  title = "Which core does what, cycle by cycle",
  options: { cycles?: number } = {},
): Figure {
  checkResult(
    FigureInputError,
    "the run given to cpuGantt",
    run,
    ["cores", "cycles"],
    "pass what runCpu(...) returned",
  );
  options = checkOptions<{ cycles: number }>(FigureInputError, "cpuGantt's options", options, ["cycles"]);
  if (options.cycles !== undefined) checkInt(FigureInputError, "`cycles`", options.cycles, 1, 100_000);
  checkString(FigureInputError, "the title of cpuGantt", title, { allowEmpty: true, maxLength: 500 });
  const span = Math.max(options.cycles ?? run.cycles, run.cycles, 1);
  const width = run.issueWidth ?? 1;
  const coreLabel = (k: number, slot = 0) => (width > 1 ? `core ${k + 1} · slot ${slot + 1}` : `core ${k + 1}`);
  const data = run.programs.map((name, i) => {
    const steps = run.trace.filter((s) => s.program === name);
    return {
      type: "bar" as const,
      orientation: "h" as const,
      name: `program ${name}`,
      y: steps.map((s) => coreLabel(s.core, s.slot ?? 0)),
      base: steps.map((s) => s.cycle - 1),
      x: steps.map(() => 1),
      text: steps.map((s) => s.text),
      textposition: "inside" as const,
      insidetextanchor: "middle" as const,
      textfont: { color: "white", size: 13 },
      marker: { color: seriesColor(i), line: { color: "white", width: 2 } },
      customdata: steps.map((s) => [s.cycle, s.step, s.value]),
      hovertemplate:
        `program ${name}, step %{customdata[1]}: %{text}<br>cycle %{customdata[0]}, value ` +
        `%{customdata[2]}<extra></extra>`,
    };
  });
  const cores = Array.from({ length: run.cores }, (_, k) =>
    Array.from({ length: width }, (_, slot) => coreLabel(k, slot)),
  ).flat();
  return {
    data,
    layout: baseLayout(title, "clock cycle", "", {
      barmode: "overlay",
      height: 140 + 60 * cores.length,
      margin: { l: width > 1 ? 110 : 70, r: 20, t: 60, b: 96 },
      xaxis: {
        title: { text: "clock cycle" },
        range: [0, span],
        showgrid: false,
        tickvals: Array.from({ length: span }, (_, c) => c + 0.5),
        ticktext: Array.from({ length: span }, (_, c) => String(c + 1)),
      },
      yaxis: { categoryorder: "array", categoryarray: [...cores].reverse(), title: { text: "" } },
      bargap: 0.25,
    }),
  };
}

/**
 * Each program's lifetime (from its first to its last step) with the cycles it actually ran marked:
 * overlapping lifetimes are concurrency; two marks in the same cycle are parallelism.
 */
export function lifetimeChart(run: CpuRun, title = "When each program is in progress"): Figure {
  checkResult(
    FigureInputError,
    "the run given to lifetimeChart",
    run,
    ["cycles", "trace"],
    "pass what runCpu(...) returned",
  );
  const data: Figure["data"] = [];
  run.programs.forEach((name, i) => {
    const span = run.span[name];
    data.push({
      type: "bar",
      orientation: "h",
      name: `${name} in progress`,
      y: [name],
      base: [span.start - 1],
      x: [span.finish - span.start + 1],
      marker: { color: seriesColor(i), opacity: 0.25 },
      hovertemplate: `${name} in progress: cycles ${span.start}–${span.finish}<extra></extra>`,
      showlegend: false,
    });
    const steps = run.trace.filter((s) => s.program === name);
    data.push({
      type: "bar",
      orientation: "h",
      name: `${name} runs a step`,
      y: steps.map(() => name),
      base: steps.map((s) => s.cycle - 1),
      x: steps.map(() => 1),
      width: 0.45,
      marker: { color: seriesColor(i), line: { color: "white", width: 2 } },
      text: steps.map((s) => s.text),
      hovertemplate: `${name}: %{text}<extra></extra>`,
      textposition: "none",
    });
  });
  return {
    data,
    layout: baseLayout(title, "clock cycle", "program", {
      barmode: "overlay",
      height: 150 + 55 * run.programs.length,
      xaxis: {
        title: { text: "clock cycle" },
        range: [0, run.cycles],
        tickvals: Array.from({ length: run.cycles }, (_, c) => c + 0.5),
        ticktext: Array.from({ length: run.cycles }, (_, c) => String(c + 1)),
        showgrid: false,
      },
      yaxis: { categoryorder: "array", categoryarray: [...run.programs].reverse(), title: { text: "program" } },
    }),
  };
}

/** Registers in use at the end of each cycle, one line per core (and the total when there are several cores). */
export function registerChart(run: CpuRun, title = "Registers holding a value, cycle by cycle"): Figure {
  checkResult(
    FigureInputError,
    "the run given to registerChart",
    run,
    ["cores", "live"],
    "pass what runCpu(...) returned",
  );
  const cycles = run.live.map((_, t) => t + 1);
  const data: Figure["data"] = Array.from({ length: run.cores }, (_, k) => ({
    type: "scatter" as const,
    mode: "lines+markers" as const,
    line: { shape: "hv" as const, width: 3, color: ["#444", "#999", "#bbb", "#ddd"][k % 4] },
    name: `core ${k + 1}`,
    x: cycles,
    y: run.live.map((l) => l[k]),
    hovertemplate: `core ${k + 1}, cycle %{x}: %{y} registers<extra></extra>`,
  }));
  return {
    data,
    layout: baseLayout(title, "clock cycle", "registers in use", {
      yaxis: { title: { text: "registers in use" }, rangemode: "tozero", dtick: 1 },
      xaxis: { title: { text: "clock cycle" }, dtick: 1 },
      height: 320,
    }),
  };
}

/** Side-by-side bars comparing one number across labelled cases (e.g. cycles per schedule). */
export function compareBars(
  items: { label: string; value: number; color?: string }[],
  title: string,
  yTitle: string,
): Figure {
  checkRows(FigureInputError, "the items given to compareBars", items, [], "pass a list of objects with label, value");
  return {
    data: [
      {
        type: "bar",
        x: items.map((d) => d.label),
        y: items.map((d) => d.value),
        text: items.map((d) => String(d.value)),
        textposition: "outside",
        marker: { color: items.map((d, i) => d.color ?? seriesColor(i)) },
        hovertemplate: "%{x}: %{y}<extra></extra>",
        showlegend: false,
      },
    ],
    layout: baseLayout(title, "", yTitle, { yaxis: { title: { text: yTitle }, rangemode: "tozero" }, height: 340 }),
  };
}
