/** Summary charts of scheduling runs: utilisation of cores and devices, per-task metrics, policy comparison. */
import type { SchedResult } from "../sched/types";
import { Figure, STATE_COLORS, baseLayout, seriesColor } from "./figure";

const pct = (x: number) => Math.round(x * 1000) / 10;

/** Stacked bars per core (running / switching / idle) and per IO device (busy / idle), in % of the makespan. */
export function schedUtilisationChart(result: SchedResult, title?: string): Figure {
  const span = result.makespan || 1;
  const labels = [...result.cores.map((c) => `core ${c.core + 1}`), ...result.devices.map((d) => `${d.device} (IO)`)];
  const running = [...result.cores.map((c) => pct(c.running / span)), ...result.devices.map(() => 0)];
  const switching = [...result.cores.map((c) => pct(c.switching / span)), ...result.devices.map(() => 0)];
  const io = [...result.cores.map(() => 0), ...result.devices.map((d) => pct(d.utilisation))];
  const idle = labels.map((_, i) => Math.max(0, Math.round((100 - running[i] - switching[i] - io[i]) * 10) / 10));
  const bar = (name: string, y: number[], color: string) => ({
    type: "bar" as const,
    name,
    x: labels,
    y,
    marker: { color, line: { color: "#BDBDBD", width: 1 } },
    hovertemplate: `%{x}: ${name} %{y}%<extra></extra>`,
  });
  return {
    data: [bar("running", running, STATE_COLORS.running), bar("switching", switching, STATE_COLORS.switching), bar("IO busy", io, STATE_COLORS.io), bar("idle", idle, STATE_COLORS.idle)],
    layout: baseLayout(title ?? `Utilisation over ${result.makespan} ticks — ${result.policy}`, "resource", "share of the makespan (%)", {
      barmode: "stack",
      yaxis: { title: { text: "share of the makespan (%)" }, range: [0, 100] },
    }),
  };
}

/** Grouped bars per task: response, turnaround and wait (ticks). */
export function schedTaskMetricsChart(result: SchedResult, title?: string): Figure {
  const names = result.tasks.map((t) => t.name);
  const metric = (key: "response" | "turnaround" | "wait", i: number) => ({
    type: "bar" as const,
    name: key,
    x: names,
    y: result.tasks.map((t) => t[key]),
    marker: { color: seriesColor(i) },
    hovertemplate: `%{x}: ${key} %{y} ticks<extra></extra>`,
  });
  return {
    data: [metric("response", 0), metric("turnaround", 1), metric("wait", 2)],
    layout: baseLayout(title ?? `Per task — ${result.policy}`, "task", "time (ticks)", { barmode: "group" }),
  };
}

/** Same workload, several policies: grouped bars of average response, turnaround and wait (ticks). */
export function policyComparisonChart(results: SchedResult[], opts: { labels?: string[]; title?: string } = {}): Figure {
  const labels = opts.labels ?? results.map((r) => r.policy);
  const metric = (key: "response" | "turnaround" | "wait", i: number) => ({
    type: "bar" as const,
    name: `average ${key}`,
    x: labels,
    y: results.map((r) => Math.round(r.averages[key] * 1000) / 1000),
    marker: { color: seriesColor(i) },
    hovertemplate: `%{x}: average ${key} %{y} ticks<extra></extra>`,
  });
  return {
    data: [metric("response", 0), metric("turnaround", 1), metric("wait", 2)],
    layout: baseLayout(opts.title ?? "Same tasks, different policies", "policy", "average time (ticks)", { barmode: "group" }),
  };
}
