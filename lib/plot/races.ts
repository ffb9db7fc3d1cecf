/** Figures of chapter 05: exact outcome counts of several programs (log scale) and the real race's cost in time. */
import type { ExploreResult } from "../interleave/explore";
import type { SharedRaceResult } from "../real/race";
import { Figure, baseLayout, seriesColor } from "./figure";

/** Exact number of schedules (log axis) per final value of `cell`, one bar series per program. */
export function exactOutcomesFigure(items: { label: string; result: ExploreResult }[], cell = "counter", title = "How many schedules end at each final value"): Figure {
  const data = items.map((it, i) => {
    const done = it.result.outcomes.filter((o) => o.kind === "done" && o.count !== null).sort((a, b) => a.cells[cell] - b.cells[cell]);
    return {
      type: "bar" as const, name: `${it.label}: ${(it.result.schedules ?? 0n).toLocaleString("en-US")} schedules`,
      x: done.map((o) => o.cells[cell]), y: done.map((o) => Number(o.count)),
      text: done.map((o) => `${o.count!.toLocaleString("en-US")} schedules; witness ${o.witness.length > 60 ? o.witness.slice(0, 57) + "…" : o.witness}`),
      textposition: "none" as const, hovertemplate: `${it.label}<br>${cell} = %{x}<br>%{text}<extra></extra>`,
      marker: { color: seriesColor(i + 2) },
    };
  });
  return {
    data,
    layout: baseLayout(title, `final value of ${cell}`, "schedules (log scale)", {
      barmode: "group", xaxis: { title: { text: `final value of ${cell}` }, dtick: 1 },
      yaxis: { title: { text: "schedules (log scale)" }, type: "log" }, height: 420,
    }),
  };
}

/** Wall time (ms, median with min–max) of each increment mode of the real race, with updates lost as labels. */
export function raceTimeFigure(r: SharedRaceResult): Figure {
  const names = { plain: "plain read-add-write", atomic: "Atomics.add", mutex: "mutex (Atomics lock)" };
  const pct = (x: number, row: SharedRaceResult["rows"][number]) => ((100 * x) / row.expected).toFixed(1);
  const labels = r.rows.map((row) => `${names[row.mode]}<br>(${row.lost.min === row.lost.max ? pct(row.lost.min, row) : `${pct(row.lost.min, row)}–${pct(row.lost.max, row)}`} % of updates lost)`);
  const med = r.rows.map((row) => row.ms.median);
  return {
    data: [{
      type: "bar", x: labels, y: med, marker: { color: r.rows.map((_, i) => seriesColor(i)) }, width: 0.5,
      error_y: { type: "data", symmetric: false, array: r.rows.map((row) => row.ms.max - row.ms.median), arrayminus: r.rows.map((row) => row.ms.median - row.ms.min), visible: true },
      hovertemplate: "%{x}: %{y:.1f} ms<extra></extra>",
    }],
    layout: baseLayout(`Time for ${r.rows[0]?.workers ?? 0} workers × ${(r.rows[0]?.increments ?? 0).toLocaleString("en-US")} increments (median, min–max)`, "how each increment is done", "wall time (ms)", { showlegend: false }),
  };
}
