/**
 * Chapter 05, "Race conditions": the seed's interleaving table in its own words, the counter race counted exactly for
 * several sizes, a schedule predicate for the exercises, and the real race between workers: its figure and report.
 */
import {
  type CellGoal,
  counterRace,
  type ExploreResult,
  explore as exploreFor,
  extremeOutcome,
  type InterleaveProgram,
  type InterleaveReplay,
  scheduleReaches,
} from "../interleave/index";
import { baseLayout, type Figure, seriesColor } from "../plot/index";
import type { SharedRaceResult } from "../real/index";

const n = (x: number) => x.toLocaleString("en-US");

/** Seed 000's words for the three steps of an increment. */
export function seedWords(text: string): string {
  if (/^r = counter$/.test(text)) return "get current counter";
  if (/^r = r \+ 1$/.test(text)) return "increase counter";
  if (/^counter = r$/.test(text)) return "store counter";
  return text;
}

/**
 * The seed's table for a replayed counter schedule: order, "Thread 1 get current counter", each register, value of
 * counter.
 */
export function seedTableRows(r: InterleaveReplay): Record<string, unknown>[] {
  return r.steps.map((s) => {
    const row: Record<string, unknown> = { Order: s.order, Steps: `Thread ${s.thread + 1} ${seedWords(s.text)}` };
    r.final.registers.forEach((_, t) => {
      const regs = t === s.thread ? s.registers : s.after.registers[t];
      row[`${r.threadNames[t]}'s r`] = regs.r;
    });
    for (const c of r.cellNames) row[`value of ${c}`] = s.cells[c];
    return row;
  });
}

/** checkWith predicate: the schedule starts with thread `first` (1-based) and finishes with the goal's cell values. */
export function firstMoverReaches(
  program: InterleaveProgram,
  schedule: string,
  first: number,
  goal: CellGoal,
): true | string {
  const firstEntry = String(schedule)
    .trim()
    .split(/[\s,]+/)[0];
  if (firstEntry !== String(first))
    return `Let thread ${first} take the first step (your schedule starts with ${firstEntry || "nothing"}).`;
  return scheduleReaches(program, schedule, goal);
}

/** One size of `counterRaceSummary`: exact counts only, the same on every machine (a type, so it fits showTable). */
export type CounterRaceRow = {
  threads: number;
  increments: number;
  "right answer": number;
  schedules: bigint | null;
  "distinct states": number;
  smallest: number;
  largest: number;
};

/**
 * Explores counterRace(n, k) for each size: one row of exact counts each (schedules, states, smallest and largest
 * final value). How long each exploration took on this machine is returned apart, in `timesMs` (one per size,
 * wall-clock ms), so that the table holds only numbers that are the same everywhere.
 */
export function counterRaceSummary(sizes: readonly [number, number][]): {
  rows: CounterRaceRow[];
  results: { label: string; result: ExploreResult }[];
  timesMs: number[];
} {
  const rows: CounterRaceRow[] = [];
  const results: { label: string; result: ExploreResult }[] = [];
  const timesMs: number[] = [];
  for (const [n, k] of sizes) {
    const t0 = Date.now();
    const result = exploreFor(counterRace(n, k));
    timesMs.push(Date.now() - t0);
    results.push({ label: `${n} threads × ${k}`, result });
    rows.push({
      threads: n,
      increments: k,
      "right answer": n * k,
      schedules: result.schedules,
      "distinct states": result.states,
      smallest: extremeOutcome(result, "counter", "min").value,
      largest: extremeOutcome(result, "counter", "max").value,
    });
  }
  return { rows, results, timesMs };
}

/**
 * What the real counter race did: finals, updates lost, Atomics' time cost, and the overlap that makes loss possible.
 */
export function realRaceReport(r: SharedRaceResult): string {
  const plain = r.rows.find((row) => row.mode === "plain");
  const atomic = r.rows.find((row) => row.mode === "atomic");
  const parts: string[] = [];
  if (plain) {
    parts.push(
      `On this machine, plain increments ended at **${plain.finals.map(n).join("**, **")}** instead of ${n(plain.expected)}: ` +
        `between **${n(plain.lost.min)}** and **${n(plain.lost.max)}** updates lost (median ` +
        `${(100 * plain.lossRate).toFixed(1)} %).`,
    );
    const overlap = Math.min(...plain.overlapMs);
    parts.push(
      `The two workers were incrementing at the same time for at least **${overlap.toFixed(1)} ms** of a plain run.`,
    );
    if (plain.lost.min === 0) parts.push("At least one plain run lost **nothing**: see below why that happens.");
  }
  if (atomic) {
    const exact = atomic.finals.every((f) => f === atomic.expected);
    parts.push(
      `Atomics.add ended at **${atomic.finals.map(n).join("**, **")}**${exact ? " — exact every time" : ""}` +
        (plain
          ? `, and took **${atomic.ms.median.toFixed(1)} ms** against **${plain.ms.median.toFixed(1)} ms** ` +
            `for plain increments (×${(atomic.ms.median / plain.ms.median).toFixed(1)}).`
          : "."),
    );
  }
  return parts.join(" ");
}

/** Exact number of schedules (log axis) per final value of `cell`, one bar series per program. */
export function exactOutcomesFigure(
  items: { label: string; result: ExploreResult }[],
  cell = "counter",
  title = "How many schedules end at each final value",
): Figure {
  const data = items.map((it, i) => {
    const done = it.result.outcomes
      .filter((o) => o.kind === "done" && o.count !== null)
      .sort((a, b) => a.cells[cell] - b.cells[cell]);
    return {
      type: "bar" as const,
      name: `${it.label}: ${(it.result.schedules ?? 0n).toLocaleString("en-US")} schedules`,
      x: done.map((o) => o.cells[cell]),
      y: done.map((o) => Number(o.count)),
      text: done.map(
        (o) =>
          `${o.count!.toLocaleString("en-US")} schedules; witness ` +
          `${o.witness.length > 60 ? o.witness.slice(0, 57) + "…" : o.witness}`,
      ),
      textposition: "none" as const,
      hovertemplate: `${it.label}<br>${cell} = %{x}<br>%{text}<extra></extra>`,
      marker: { color: seriesColor(i + 2) },
    };
  });
  return {
    data,
    layout: baseLayout(title, `final value of ${cell}`, "schedules (log scale)", {
      barmode: "group",
      xaxis: { title: { text: `final value of ${cell}` }, dtick: 1 },
      yaxis: { title: { text: "schedules (log scale)" }, type: "log" },
      height: 420,
    }),
  };
}

/** Wall time (ms, median with min–max) of each increment mode of the real race, with updates lost as labels. */
export function raceTimeFigure(r: SharedRaceResult): Figure {
  const names = { plain: "plain read-add-write", atomic: "Atomics.add", mutex: "mutex (Atomics lock)" };
  const pct = (x: number, row: SharedRaceResult["rows"][number]) => ((100 * x) / row.expected).toFixed(1);
  const labels = r.rows.map((row) => {
    const lost =
      row.lost.min === row.lost.max ? pct(row.lost.min, row) : `${pct(row.lost.min, row)}–${pct(row.lost.max, row)}`;
    return `${names[row.mode]}<br>(${lost} % of updates lost)`;
  });
  const med = r.rows.map((row) => row.ms.median);
  return {
    data: [
      {
        type: "bar",
        x: labels,
        y: med,
        marker: { color: r.rows.map((_, i) => seriesColor(i)) },
        width: 0.5,
        error_y: {
          type: "data",
          symmetric: false,
          array: r.rows.map((row) => row.ms.max - row.ms.median),
          arrayminus: r.rows.map((row) => row.ms.median - row.ms.min),
          visible: true,
        },
        hovertemplate: "%{x}: %{y:.1f} ms<extra></extra>",
      },
    ],
    layout: baseLayout(
      `Time for ${r.rows[0]?.workers ?? 0} workers × ` +
        `${(r.rows[0]?.increments ?? 0).toLocaleString("en-US")} increments (median, min–max)`,
      "how each increment is done",
      "wall time (ms)",
      { showlegend: false },
    ),
  };
}
