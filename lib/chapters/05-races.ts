/**
 * Chapter 05, "Race conditions": the seed's interleaving table in its own words, the counter race counted exactly for
 * several sizes, a schedule predicate for the exercises, a race condition without a data race (check-then-act on
 * atomic steps), the real race between workers and the store-buffering litmus test: their figures and reports; the
 * chapter's exercises (answers computed here, never printed).
 */

import { ChapterInputError } from "../errors";
import { checkArray, checkResult, checkRows } from "../errors/validate";
import {
  type CellGoal,
  counterRace,
  type ExploreResult,
  explore as exploreFor,
  extremeOutcome,
  type InterleaveProgram,
  type InterleaveReplay,
  parseThreadProgram,
  scheduleReaches,
} from "../interleave/index";
import { defineExercises } from "../notebook/index";
import { baseLayout, type Figure, seriesColor } from "../plot/index";
import type { LitmusRow, SharedRaceResult } from "../real/index";

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
  checkResult(
    ChapterInputError,
    "the r given to seedTableRows",
    r,
    ["threadNames", "cellNames"],
    "pass what replay(...) returned",
  );
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
  checkResult(
    ChapterInputError,
    "the program given to firstMoverReaches",
    program,
    ["cells", "threads"],
    "pass what counterRace(...) returned",
  );
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
  checkArray(
    ChapterInputError,
    "the sizes given to counterRaceSummary",
    sizes,
    { min: 1, max: 20 },
    "e.g. [[2, 1], [2, 2]]",
  );
  sizes.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2)
      throw new ChapterInputError(`Size ${i} of counterRaceSummary must be [threads, increments], e.g. [2, 3].`);
  });
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
 * For a result of `sharedCounterRace({ oneCore: true })`, what the race did on one core (or why it could not run).
 */
export function realRaceReport(r: SharedRaceResult): string {
  checkResult(
    ChapterInputError,
    "the r given to realRaceReport",
    r,
    ["rows"],
    "pass what sharedCounterRace(...) returned",
  );
  if (r.skipped !== undefined) return `The one-core run was skipped on this machine: ${r.skipped}.`;
  const plain = r.rows.find((row) => row.mode === "plain");
  const atomic = r.rows.find((row) => row.mode === "atomic");
  const parts: string[] = [];
  if (plain) {
    const where = r.pinned
      ? `Pinned to one core (core ${r.pinned.cpu}; the process could use ${r.pinned.cpusAvailable} core` +
        `${r.pinned.cpusAvailable === 1 ? "" : "s"}), plain increments`
      : "On this machine, plain increments";
    parts.push(
      `${where} ended at **${plain.finals.map(n).join("**, **")}** instead of ${n(plain.expected)}: ` +
        `between **${n(plain.lost.min)}** and **${n(plain.lost.max)}** updates lost (median ` +
        `${(100 * plain.lossRate).toFixed(1)} %).`,
    );
    if (r.pinned) {
      parts.push(
        "The workers could only take turns on that core, never run at the same moment: every update lost here " +
          "was wiped out by a switch that landed between a load and its store.",
      );
    } else {
      const overlap = Math.min(...plain.overlapMs);
      parts.push(
        `The two workers' loops overlapped in time for at least **${overlap.toFixed(1)} ms** of a plain run ` +
          "(from the later start to the earlier end; on a busy machine they may still have taken turns).",
      );
    }
    if (plain.lost.min === 0)
      parts.push(
        "At least one plain run lost **nothing**: no store overwrote another worker's work in that run. That is " +
          "luck, and the count alone cannot tell you whether the workers ran at once, took turns or ran one after " +
          "the other.",
      );
    const whole = plain.finals.filter((f) => plain.workers > 1 && f === plain.increments).length;
    if (whole > 0)
      parts.push(
        `${whole === 1 ? "One run" : `${whole} runs`} ended at exactly **${n(plain.increments)}**, one worker's count: ` +
          "the other worker's whole run fell between one load and its store in this worker (for example, the OS " +
          "paused it there), and that one store wiped it out. The memory model would also allow a JIT to keep the " +
          "value in a register and store it once at the end, but V8 does not do that here (a test watches the " +
          "counter rise while a worker runs).",
      );
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
  checkRows(
    ChapterInputError,
    "the items given to exactOutcomesFigure",
    items,
    [],
    "pass a list of objects with label, result",
  );
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
  checkResult(
    ChapterInputError,
    "the r given to raceTimeFigure",
    r,
    ["rows"],
    "pass what sharedCounterRace(...) returned",
  );
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

/**
 * One seat left, two threads that each check "is a seat left?" and then take it. Every access is one atomic step
 * (like Atomics.load and Atomics.add): no data race anywhere, and still both threads can sell the last seat.
 */
export function lastSeatProgram(): InterleaveProgram {
  return parseThreadProgram(`
shared seats = 1, sold = 0
thread T1, T2:
  read s, seats        # check: is a seat left? (one atomic load)
  jz s, full
  inc seats, -1        # act: take it (one atomic add)
  inc sold
full:
  yield
`);
}

/** The store-buffering litmus test as table rows: trials and how often each pair (r0, r1) was read. */
export function litmusRows(rows: readonly LitmusRow[]): Record<string, unknown>[] {
  checkRows(
    ChapterInputError,
    "the rows given to litmusRows",
    rows,
    [],
    "pass a list of LitmusRow rows, as in the chapter",
  );
  const how = { plain: "plain Int32Array store and load", atomic: "Atomics.store and Atomics.load" };
  return rows.map((r) => ({
    accesses: how[r.mode],
    trials: r.trials,
    "r0 = 0, r1 = 1": r.outcomes["0 1"],
    "r0 = 1, r1 = 0": r.outcomes["1 0"],
    "r0 = 1, r1 = 1": r.outcomes["1 1"],
    "r0 = 0, r1 = 0 (impossible under SC)": r.outcomes["0 0"],
  }));
}

/** What the litmus test showed on this machine, in one paragraph (numbers computed from `rows`). */
export function litmusReport(rows: readonly LitmusRow[]): string {
  checkRows(
    ChapterInputError,
    "the rows given to litmusReport",
    rows,
    [],
    "pass a list of LitmusRow rows, as in the chapter",
  );
  const plain = rows.find((r) => r.mode === "plain");
  const atomic = rows.find((r) => r.mode === "atomic");
  const parts: string[] = [];
  if (plain) {
    const k = plain.outcomes["0 0"];
    parts.push(
      k > 0
        ? `With plain accesses, **${n(k)}** of ${n(plain.trials)} trials ` +
            `(${((100 * k) / plain.trials).toFixed(2)} %) read **r0 = r1 = 0**: in those trials each worker's load ` +
            "read memory before its own store had reached the other core. No interleaving of the four accesses gives " +
            "that; a sequentially consistent memory never would."
        : `With plain accesses, **none** of ${n(plain.trials)} trials read r0 = r1 = 0 on this run. That does not ` +
            "make plain accesses safe: the outcome needs both workers on two cores at the same moment (a busy or " +
            "single-core machine hides it), and the memory model allows it anyway.",
    );
  }
  if (atomic)
    parts.push(
      `With Atomics, **${n(atomic.outcomes["0 0"])}** of ${n(atomic.trials)} trials read r0 = r1 = 0` +
        (atomic.outcomes["0 0"] === 0 ? ": the memory model forbids it, and the hardware obeys." : "."),
    );
  return parts.join(" ");
}

defineExercises("05", {
  "1": {
    accept: (s: unknown) =>
      typeof s === "string"
        ? firstMoverReaches(counterRace(2, 1), s, 2, { counter: 1 })
        : 'Answer with a schedule string like "1 1 1 2 2 2".',
    hints: [
      "An update is lost when a thread reads the counter and another thread stores before it stores.",
      "Thread 2 takes the first step: that step is its read. Who must store before thread 2 stores?",
      "After thread 2's read, let thread 1 do all three of its steps, then let thread 2 finish.",
    ],
  },
  "2": {
    expected: () => Number(exploreFor(counterRace(3, 1)).schedules),
    hints: [
      "A schedule is fully described by which thread owns each position: each thread keeps its own order.",
      "There are 9 steps, 3 per thread. Choose the 3 positions of thread 1, then the 3 of thread 2 among the rest.",
      "9! / (3!·3!·3!).",
    ],
  },
  "3": {
    expected: () => Number(exploreFor(counterRace(2, 4)).histogram!.get("counter=2")),
    hints: [
      "The explorer does not only find the minimum: it counts the schedules that reach each outcome.",
      "Run explore(counterRace(2, 4)) in a new cell and look at its outcomes (outcomeRows shows them as a table).",
      'The count you want belongs to the outcome with key "counter=2".',
    ],
  },
  "4": {
    accept: (s: unknown) => {
      if (typeof s !== "string") return "Answer with a schedule string of 18 steps.";
      const race = counterRace(2, 3);
      const witness = extremeOutcome(exploreFor(race), "counter", "min").witness;
      if (
        s
          .trim()
          .split(/[\s,]+/)
          .join(" ") === witness
      )
        return "That is the explorer's witness from section 4: build your own from the four moments.";
      return scheduleReaches(race, s, { counter: 2 });
    },
    hints: [
      "The last store decides the final value: which value must the last storing thread have read?",
      "Follow the four moments of section 4: a thread reads 0 and waits; much later it stores 1; the other thread " +
        "reads that 1 and waits; it stores 2 as the very last step.",
      "Thread 1 reads 0 first; thread 2 then does whole increments; thread 1 stores 1; thread 2 reads it; thread 1 " +
        "finishes all its remaining increments; thread 2 stores last.",
    ],
  },
});
