/**
 * Chapter 03 section 6, told: the Gantt of `coroutineDemo`'s two runs, the sentences that compare them, the
 * comparison with section 5's event-loop model run on the same steps, and an async function as TypeScript
 * downlevels it: a generator plus a runner that resumes it when each promise settles.
 */

import { ChapterInputError } from "../../errors";
import { checkResult } from "../../errors/validate";
import type { LoopRun } from "../../eventloop/index";
import { type Figure, STATE_COLORS, schedGantt } from "../../plot/index";
import { SimInputError } from "../../sim/index";
import type { CoroutineDemo, CoroutineRun } from "./coroutines";

/** Legend names of the Gantt, by lib/sched's state label. */
const LEGEND: Record<string, string> = {
  running: "computing on the CPU",
  "blocked (lock / device / GIL)": "blocked in IO, holding the CPU",
  "ready (waiting for a core)": "queued for the CPU",
  IO: "waiting for IO (CPU free)",
};

/**
 * Both runs of `coroutineDemo` in one Gantt (simulated ms): per request, computing on the CPU (solid), blocked in
 * IO while holding it (hatched "x"), queued for it (light grey), waiting for IO with the CPU free (grey, hatched "/"
 * as section 5's figure draws its IO waits).
 */
export function coroutineGantt(d: CoroutineDemo): Figure {
  checkResult(
    ChapterInputError,
    "the d given to coroutineGantt",
    d,
    ["cpus", "concurrent"],
    "pass what coroutineDemo(...) returned",
  );
  const runs = [d.concurrent, d.sequential];
  const short = (r: CoroutineRun) => (r === d.sequential ? "one after another" : "coroutines");
  const tasks = runs.flatMap((r) => r.requests.map((q) => ({ name: `${short(r)} · ${q.name}` })));
  const trace = runs.flatMap((r, k) =>
    r.trace.map((s) => ({
      ...s,
      task: s.task + k * d.concurrent.requests.length,
      name: `${short(r)} · ${s.name}`,
    })),
  );
  const title =
    `${d.concurrent.requests.length} requests on ${d.cpus} CPU${d.cpus > 1 ? "s" : ""}: ` +
    `${d.concurrent.total} ms as coroutines, ${d.sequential.total} ms one after another (simulated)`;
  const fig = schedGantt(
    { trace, tasks, machine: { cores: d.cpus }, policy: "coroutines" },
    { by: "task", color: "state", title, unit: "simulated ms" },
  );
  const hatched = { color: STATE_COLORS.running, pattern: { shape: "x", fgcolor: "white", fillmode: "overlay" } };
  // waits for IO with the CPU free: grey, hatched "/" as section 5's figure draws its IO waits
  const ioWait = {
    color: STATE_COLORS.io,
    line: { color: "#555555", width: 1 },
    pattern: { shape: "/", fgcolor: "white", fillmode: "overlay", size: 6 },
  };
  return {
    data: fig.data.map((t) => {
      const name = LEGEND[String(t.name)] ?? t.name;
      const blocked = String(t.name).startsWith("blocked");
      const style = blocked ? hatched : String(t.name) === "IO" ? ioWait : undefined;
      return { ...t, name, ...(style ? { marker: { ...(t as { marker?: object }).marker, ...style } } : {}) };
    }) as Figure["data"],
    layout: { ...fig.layout, yaxis: { ...fig.layout.yaxis, title: { text: "request" } } },
  };
}

/** True when some request waits for IO while another request is on a CPU or waiting for IO too (positive overlap). */
function waitsOverlap(r: CoroutineRun): boolean {
  const io = r.trace.filter((x) => x.state === "io");
  const busy = r.trace.filter((x) => x.state === "io" || x.state === "running" || x.state === "blocked");
  return io.some((w) => busy.some((b) => b.task !== w.task && Math.min(w.end, b.end) > Math.max(w.start, b.start)));
}

/** Sentences comparing the two runs of `coroutineDemo` for the chapter; every number and claim comes from the runs. */
export function coroutineVerdict(d: CoroutineDemo): string {
  checkResult(
    ChapterInputError,
    "the d given to coroutineVerdict",
    d,
    ["cpus", "concurrent"],
    "pass what coroutineDemo(...) returned",
  );
  const c = d.concurrent.total,
    s = d.sequential.total;
  const [conc, seq] = d.rows;
  const n = d.concurrent.requests.length;
  const cpuWord = d.cpus === 1 ? "one CPU" : `${d.cpus} CPUs`;
  const subject =
    n > 1 ? `As coroutines sharing ${cpuWord}, the ${n} requests are` : `As a coroutine on ${cpuWord}, the request is`;
  const parts = [
    `${subject} done at **${c} ms** of simulated time; one after another ` +
      `${n > 1 ? "they take" : "it takes"} **${s} ms**.`,
  ];
  const blocked = conc["blocked in IO, CPU held (ms)"];
  if (c < s) {
    const busy = conc["computing (ms)"];
    const work =
      busy === seq["computing (ms)"]
        ? `for the same **${busy} ms** of CPU work`
        : `with ${busy} ms of CPU work against ${seq["computing (ms)"]} ms`;
    parts.push(`One after another is ${(s / c).toFixed(2)}× as long, ${work}.`);
    const overlap = waitsOverlap(d.concurrent);
    const parallel = d.concurrent.trace.some((x) => x.state === "running" && x.core > 0);
    if (overlap)
      parts.push(
        "The coroutines gain by waiting at the same time: while one waits for IO, another computes or waits too.",
      );
    if (parallel)
      parts.push(
        `${overlap ? "And with" : "With"} ${d.cpus} CPU slots — ${d.cpus} threads, each with its own loop ` +
          `(e.g. ${d.cpus} workers) — CPU steps also run at the same instant: that part is parallelism, which one ` +
          "asyncio loop or one Node isolate cannot give.",
      );
  } else if (c === s) {
    parts.push(
      `Nothing is gained: ` +
        (n === 1
          ? `a request alone has nobody to fill its waits.`
          : conc["waiting for IO, CPU free (ms)"] > 0
            ? `the waits never overlap.`
            : blocked > 0
              ? `no request ever waits with the CPU free — each wait for IO blocks, holding the CPU — so there is ` +
                `no wait for another to fill.`
              : `no request ever waits without holding the CPU, so there is no wait for another to fill.`),
    );
  } else parts.push(`Here one after another is faster.`);
  if (blocked > 0) parts.push(`Blocking calls held the CPU for **${blocked} ms** in all, computing nothing.`);
  const q = conc["queued for the CPU (ms)"];
  const who = d.concurrent.requests.filter((r) => r.queued > 0).map((r) => `${r.name} ${r.queued} ms`);
  parts.push(
    q > 0
      ? `CPU steps that found ${d.cpus === 1 ? "the CPU" : "every CPU"} taken queued for **${q} ms** in all ` +
          `(${who.join(", ")}).`
      : `No request ever queued for the CPU.`,
  );
  return parts.join(" ");
}

/**
 * Compares `coroutineDemo` with section 5's event-loop model rerun on the same steps: `awaited` and `blocking` are
 * `runLoopTasks` runs with one handler per request (named A, B, C, …), with `ioMode` "await" and "blocking". Says
 * whether the coroutines finish when the awaited handlers do (or the blocking ones), and sets "one after another"
 * beside "blocking": two different setups (a second paragraph). Every time in it is read from the runs.
 */
export function coroutineVsLoop(d: CoroutineDemo, awaited: LoopRun, blocking: LoopRun): string {
  checkResult(
    ChapterInputError,
    "the d given to coroutineVsLoop",
    d,
    ["cpus", "concurrent"],
    "pass what coroutineDemo(...) returned",
  );
  const names = d.concurrent.requests.map((q) => q.name);
  const at = (run: LoopRun) => names.map((n) => run?.tasks?.find((t) => t.name === n)?.completed ?? null);
  const aw = at(awaited),
    bl = at(blocking);
  if ([...aw, ...bl].some((t) => t === null))
    throw new SimInputError(
      `coroutineVsLoop expects two runLoopTasks runs with one finished handler per request, named ` +
        `${names.join(", ")}: rerun runLoopTasks with loopTask("A", steps), loopTask("B", steps), …`,
    );
  const conc = d.concurrent.requests.map((q) => q.finish),
    seq = d.sequential.requests.map((q) => q.finish);
  const same = (xs: (number | null)[], ys: (number | null)[]) => xs.every((x, i) => x === ys[i]);
  const list = (xs: (number | null)[]) => `${names.map((n, i) => `${n} ${xs[i]}`).join(", ")} ms`;
  const parts: string[] = [];
  if (same(conc, aw))
    parts.push(
      `Section 5's event-loop model, rerun on the same steps, finishes its handlers with \`await\` at the same ` +
        `times as the coroutines: ${list(conc)}. Two models of the same idea, built differently, agree.`,
    );
  else if (same(conc, bl))
    parts.push(
      `The coroutines finish (${list(conc)}) as section 5's handlers do only when their IO is **blocking**; ` +
        `with \`await\`, those finish at ${list(aw)}.`,
    );
  else
    parts.push(
      `Here the two models differ: the coroutines finish at ${list(conc)}; section 5's handlers with \`await\` at ` +
        `${list(aw)}, blocking at ${list(bl)}.` +
        (d.cpus > 1 ? ` The loop has one thread; this run has ${d.cpus} CPU slots.` : ""),
    );
  parts.push(
    `One after another (${d.sequential.total} ms) and section 5's blocking handlers (${blocking.endTime} ms) are ` +
      `two different setups: here each request starts only when the previous one has returned; there all start ` +
      `at once, and each holds the thread through its IO. ` +
      (same(seq, bl)
        ? `They end at the same times (${list(seq)}): either way, no two requests overlap.`
        : `They end at different times: ${list(seq)} here, ${list(bl)} there.`),
  );
  return parts.join("\n\n");
}

/** The part of the `typescript` package that `asyncAsGenerator` calls. */
interface TypeScriptLike {
  ScriptTarget: { ES2015: number };
  transpileModule(
    input: string,
    options: { compilerOptions: { target: number }; reportDiagnostics: boolean },
  ): { outputText: string; diagnostics?: { messageText: unknown }[] };
  flattenDiagnosticMessageText(message: unknown, newLine: string): string;
}

/**
 * TypeScript source compiled for ES2015 (which has generators but not `async`/`await`) by the `typescript`
 * package's `transpileModule`: each async function becomes a generator (`await` → `yield`) run by the `__awaiter`
 * helper, which resumes it when the yielded promise settles. That is how TypeScript downlevels async functions for
 * old targets (and how the `co` library ran generators), not how V8 runs them: V8 implements `await` natively.
 */
export function asyncAsGenerator(source: string): string {
  if (typeof source !== "string")
    throw new SimInputError(`asyncAsGenerator expects TypeScript source as a string, got ${typeof source}.`);
  const ts = require("typescript") as TypeScriptLike; // loaded on first use: it is large
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2015 },
    reportDiagnostics: true,
  });
  const errors = (out.diagnostics ?? []).map((x) => ts.flattenDiagnosticMessageText(x.messageText, " "));
  if (errors.length > 0)
    throw new SimInputError(`asyncAsGenerator could not parse the source: ${errors.join("; ")}. Fix it and rerun.`);
  return out.outputText.trimEnd();
}
