/**
 * Producer–consumer with condition variables in the thread language (lib/interleave), every schedule explored.
 * The program in text form — a one-place buffer, one producer P putting 2 items, two consumers C1, C2 taking one
 * each — so that a learner can read and edit it; with `guard: "if"` a consumer woken from `wait` takes an item without
 * checking again (the classic bug), with `"while"` it checks again. It is the same program as lib/interleave's
 * `boundedBuffer({ guard })` (the tests compare their counts). Then the variants of the bounded buffer side by side,
 * and the check of the learner's fix.
 */

import { checkRows, describeValue } from "../../errors/validate";
import {
  type BoundedBufferOptions,
  boundedBuffer,
  type ExploreResult,
  explore,
  type InterleaveOutcome,
  type InterleaveProgram,
  parseThreadProgram,
  semaphoreBuffer,
} from "../../interleave/index";
import { reportCheck } from "../../notebook/index";
import { baseLayout, type Figure, STATE_COLORS, seriesColor } from "../../plot/index";
import { CoordInputError } from "./errors";

const AFTER_WAIT = {
  if: "  read c, count                # woken: read count again and take, without checking it (if)",
  while: "  goto empty                    # woken: go back and check again (while)",
};

/**
 * The bounded buffer in the thread language's text form; `guard` says what a woken consumer does. `afterWait`, if
 * given, replaces the consumers' line right after `wait notEmpty, m` (one statement of the thread language).
 */
export function bufferProgramText(guard: "if" | "while" = "if", afterWait?: string): string {
  if (guard !== "if" && guard !== "while")
    throw new CoordInputError(`Expected \`guard\` to be "if" or "while", got ${describeValue(guard)}.`);
  if (afterWait !== undefined && (typeof afterWait !== "string" || /[\r\n]/.test(afterWait)))
    throw new CoordInputError('Expected `afterWait` to be one line of the thread language, e.g. "goto empty".');
  const woken = afterWait === undefined ? AFTER_WAIT[guard] : `  ${afterWait.trim()}`;
  return `shared count = 0                # items in the buffer
cond notFull, notEmpty
invariant 0 <= count <= 1       # the buffer has 1 place: count must stay in 0..1
thread P:                       # the producer puts 2 items
  lock m
full1:
  read c, count
  jne c, 1, put1                # room? then put
  wait notFull, m               # full: release m, sleep until signalled, then lock m again
  goto full1                    # woken: check again
put1:
  add c, 1
  write count, c
  signal notEmpty
  unlock m
  lock m
full2:
  read c, count
  jne c, 1, put2
  wait notFull, m
  goto full2
put2:
  add c, 1
  write count, c
  signal notEmpty
  unlock m
thread C1, C2:                  # two consumers take 1 item each
  lock m
empty:
  read c, count
  jne c, 0, take                # an item? then take it
  wait notEmpty, m              # empty: release m, sleep until signalled, then lock m again
${woken}
take:
  add c, -1
  write count, c
  signal notFull
  unlock m
`;
}

/** How the schedules of one variant end. */
export interface BufferVariantRow {
  variant: string;
  schedules: bigint;
  /** Every thread finished and the buffer is consistent. */
  right: bigint;
  /** The invariant broke (count out of range) or an item was lost. */
  broken: bigint;
  /** Threads asleep or blocked that nobody can wake. */
  deadlocked: bigint;
  /** A schedule of the first problem found ("" if none). */
  witness: string;
  /** What that schedule does. */
  problem: string;
}

/** Sorts a result's outcomes into right / broken / deadlocked, with a witness of the first problem. */
export function bufferRow(variant: string, r: ExploreResult, isRight: (o: InterleaveOutcome) => boolean) {
  const sum = (f: (o: InterleaveOutcome) => boolean) => r.outcomes.filter(f).reduce((a, o) => a + (o.count ?? 0n), 0n);
  const bad = r.outcomes.find((o) => o.kind !== "done" || !isRight(o));
  return {
    variant,
    schedules: r.schedules ?? 0n,
    right: sum((o) => o.kind === "done" && isRight(o)),
    broken: sum((o) => o.kind === "fault" || (o.kind === "done" && !isRight(o))),
    deadlocked: sum((o) => o.kind === "deadlock"),
    witness: bad?.witness ?? "",
    problem: bad ? bad.key : "",
  } satisfies BufferVariantRow;
}

/** The bounded buffer's variants, each explored exhaustively (about a second in all). */
export function bufferVariants(): BufferVariantRow[] {
  const emptied = (o: InterleaveOutcome) => o.cells.count === 0;
  const allIn = (o: InterleaveOutcome) => o.cells.in === 2 && o.cells.out === 2;
  const cv: [string, InterleaveProgram][] = [
    ["condition variables: if, signal", boundedBuffer({ guard: "if" })],
    ["condition variables: while, signal", boundedBuffer({ guard: "while" })],
    ["one condition variable: while, signal", boundedBuffer({ conditions: 1 })],
    ["one condition variable: while, broadcast", boundedBuffer({ conditions: 1, wake: "broadcast" })],
  ];
  const sem: [string, InterleaveProgram][] = [
    ["semaphores slots/items + mutex", semaphoreBuffer()],
    ["semaphores slots/items, no mutex", semaphoreBuffer({ mutex: false })],
  ];
  return [
    ...cv.map(([name, p]) => bufferRow(name, explore(p), emptied)),
    ...sem.map(([name, p]) => bufferRow(name, explore(p), allIn)),
  ];
}

/** Every schedule of `boundedBuffer(options)` (lib/interleave's preset; options: capacity, producers, consumers,
 * items, guard "if" | "while", wake "signal" | "broadcast", conditions 1 | 2). */
export function exploreBuffer(options: BoundedBufferOptions = {}): ExploreResult {
  return explore(boundedBuffer(options));
}

/** Share of schedules (%) that end right, broken or deadlocked, one bar per variant. */
export function bufferVariantsFigure(rows: BufferVariantRow[]): Figure {
  checkRows(
    CoordInputError,
    "the rows given to bufferVariantsFigure",
    rows,
    ["variant", "schedules"],
    "pass the chapter's buffer variant rows",
    { min: 1, max: 100 },
  );
  const pct = (x: bigint, of: bigint) => (of > 0n ? Number((x * 100000n) / of) / 1000 : 0);
  const part = (name: string, color: string, get: (r: BufferVariantRow) => bigint) => ({
    type: "bar" as const,
    orientation: "h" as const,
    name,
    y: rows.map((r) => r.variant),
    x: rows.map((r) => pct(get(r), r.schedules)),
    customdata: rows.map((r) => `${get(r).toLocaleString("en-US")} of ${r.schedules.toLocaleString("en-US")}`),
    marker: { color },
    hovertemplate: `%{y}: %{customdata} schedules ${name}<extra></extra>`,
  });
  return {
    data: [
      part("end right", STATE_COLORS.done, (r) => r.right),
      part("break the buffer (count out of range, an item lost)", seriesColor(5), (r) => r.broken),
      part("deadlock (everyone asleep or blocked)", STATE_COLORS.blocked, (r) => r.deadlocked),
    ],
    layout: baseLayout("Every schedule of each bounded buffer, by how it ends", "share of all schedules (%)", "", {
      barmode: "stack",
      height: 150 + 46 * rows.length,
      xaxis: { title: { text: "share of all schedules (%)" }, range: [0, 100] },
      yaxis: { autorange: "reversed", automargin: true },
      margin: { l: 290, r: 20, t: 60, b: 110 },
    }),
  };
}

/** The verdict on a learner's fixed buffer program: ok, and a sentence. */
export interface BufferFixVerdict {
  ok: boolean;
  message: string;
  result?: ExploreResult;
}

/**
 * Judges the learner's edit of `bufferProgramText("if")`: it must still be the buffer (threads P, C1, C2, the
 * invariant 0 ≤ count ≤ 1, consumers that `wait`), and every schedule must end with both consumers served.
 */
export function judgeBufferFix(text: unknown): BufferFixVerdict {
  if (typeof text !== "string") return { ok: false, message: "Pass the program's text (a string)." };
  let p: InterleaveProgram;
  try {
    p = parseThreadProgram(text);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const names = p.threads.map((t) => t.name).join(", ");
  if (names !== "P, C1, C2")
    return { ok: false, message: `Keep the threads P, C1 and C2 (your program has ${names || "none"}).` };
  const inv = (p.invariants ?? []).find((i) => i.cell === "count");
  if (inv?.min !== 0 || inv.max !== 1)
    return { ok: false, message: "Keep the line `invariant 0 <= count <= 1`: it is what the check watches." };
  const waits = p.threads.slice(1).every((t) => t.steps.some((s) => s.op === "wait"));
  if (!waits)
    return { ok: false, message: "The consumers must still sleep with `wait notEmpty, m` while the buffer is empty." };
  const r = explore(p, { maxStates: 200_000 });
  const wrong = r.outcomes.filter((o) => o.kind !== "done" || o.cells.count !== 0);
  if (wrong.length > 0) {
    const bad = wrong[0];
    const total = wrong.reduce((a, o) => a + (o.count ?? 0n), 0n);
    const n =
      r.schedules === null ? "Some" : `${total.toLocaleString("en-US")} of ${r.schedules.toLocaleString("en-US")}`;
    return {
      ok: false,
      message: `${n} schedules go wrong, e.g. "${bad.witness}", which ends in: ${bad.key}. Replay it to see the steps.`,
      result: r,
    };
  }
  const n = r.schedules === null ? "all" : `all ${r.schedules.toLocaleString("en-US")}`;
  return {
    ok: true,
    message: `In ${n} schedules both consumers get an item, count stays in 0..1, and nobody is left asleep.`,
    result: r,
  };
}

/** Checks the learner's fixed buffer and shows ✓ or ✗ with a witness schedule. Never throws. */
export function checkBufferFix(text: unknown): void {
  let v: BufferFixVerdict;
  try {
    v = judgeBufferFix(text);
  } catch (e) {
    v = { ok: false, message: `The check failed: ${e instanceof Error ? e.message : String(e)}.` };
  }
  reportCheck("Exercise: fix the consumers", { ok: v.ok, message: v.message });
}
