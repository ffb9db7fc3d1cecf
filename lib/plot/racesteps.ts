/**
 * Frames of a replayed schedule for the step-through player (`showSteps`): one card per thread with its code, the
 * step just taken and the next one marked, its registers; then the shared cells and who holds each mutex.
 * Pure: replay → HTML strings (every text escaped).
 */
import { checkResult } from "../errors/validate";
import { describeStep, type InterleaveProgram } from "../interleave/program";
import type { InterleaveReplay, InterleaveSnapshot } from "../interleave/replay";
import { FigureInputError } from "./errors";
import { seriesColor } from "./figure";
import { escapeHtml } from "./html";
import type { Frame } from "./stepper";

function snapshotHtml(
  p: InterleaveProgram,
  s: InterleaveSnapshot,
  moved: { thread: number; pc: number } | null,
  changed: string[],
): string {
  const cards = p.threads.map((t, ti) => {
    const color = seriesColor(ti);
    const lines = t.steps.map((step, i) => {
      const isNext = s.pcs[ti] === i && s.next[ti].status !== "finished";
      const justDone = moved !== null && moved.thread === ti && moved.pc === i;
      const bg = justDone ? "#FFF3B0" : isNext ? "#EAF2FB" : "transparent";
      const mark = isNext ? (s.next[ti].status === "blocked" ? "‖" : "▶") : justDone ? "✓" : "&nbsp;";
      return (
        `<div style="background:${bg};padding:1px 4px;white-space:nowrap"><span ` +
        `style="display:inline-block;width:1.2em">${mark}</span><code>${escapeHtml(describeStep(step))}` +
        `</code></div>`
      );
    });
    const status = s.next[ti].status;
    const regs =
      Object.entries(s.registers[ti])
        .map(([k, v]) => `${escapeHtml(k)} = ${v}`)
        .join(", ") || "—";
    const note =
      status === "finished"
        ? "finished"
        : status === "blocked"
          ? "blocked: waits for a mutex"
          : status === "fault"
            ? "fault"
            : "ready";
    return (
      `<div style="border:2px solid ${color};border-radius:6px;padding:4px 6px;min-width:170px">` +
      `<div style="font-weight:600;color:${color}">${escapeHtml(t.name)} <span style="font-weight:400;` +
      `color:#555">(${note})</span></div>` +
      `${lines.join("")}<div style="margin-top:4px;font-size:13px">registers: <code>${regs}</code></div></div>`
    );
  });
  const cells = Object.entries(s.cells).map(([k, v]) => {
    const hot = changed.includes(k);
    return (
      `<span style="display:inline-block;margin-right:12px;padding:2px 8px;border-radius:4px;` +
      `background:${hot ? "#FFF3B0" : "#F2F2F2"}"><code>${escapeHtml(k)} = ${v}</code></span>`
    );
  });
  const locks = Object.entries(s.locks).map(
    ([m, h]) => `<code>${escapeHtml(m)}</code>: ${h === null ? "free" : "held by " + escapeHtml(h)}`,
  );
  return (
    `<div style="display:flex;gap:10px;flex-wrap:wrap;font:14px system-ui,sans-serif">${cards.join("")}</div>` +
    `<div style="margin-top:8px;font:14px system-ui,sans-serif">shared memory: ` +
    `${cells.join("")}${locks.length ? " &nbsp; mutexes: " + locks.join(", ") : ""}</div>`
  );
}

/** One frame for the start and one per step of the replay; the caption says who did what and what changed. */
export function replayFrames(program: InterleaveProgram, r: InterleaveReplay): Frame[] {
  checkResult(
    FigureInputError,
    "the program given to replayFrames",
    program,
    ["cells", "threads"],
    "pass what counterRace(...) returned",
  );
  checkResult(
    FigureInputError,
    "the replay given to replayFrames",
    r,
    ["schedule", "steps"],
    "pass what replay(...) returned",
  );
  const frames: Frame[] = [
    {
      caption: `Start: schedule ${r.schedule}. Every thread is about to take its first step.`,
      html: snapshotHtml(program, r.initial, null, []),
    },
  ];
  let before = r.initial;
  r.steps.forEach((s) => {
    const changed = Object.keys(s.cells).filter((c) => s.cells[c] !== before.cells[c]);
    const written = s.text.split(" = ")[0];
    const effect = changed.length
      ? ` → ${changed.map((c) => `${c} becomes ${s.cells[c]}`).join(", ")}`
      : written in s.cells && written !== s.text
        ? ` → ${written} stays ${s.cells[written]}: it already held that value`
        : Object.keys(s.registers).length
          ? ` → ${Object.entries(s.registers)
              .map(([k, v]) => `${k} = ${v}`)
              .join(", ")} in ${s.threadName}`
          : "";
    const end = s.order === r.steps.length && r.status !== "running" ? ` Run ends: ${r.status}, ${r.outcome}.` : "";
    frames.push({
      caption: `Step ${s.order} of ${r.steps.length}: ${s.threadName} does “${s.text}”${effect}.${end}`,
      html: snapshotHtml(program, s.after, { thread: s.thread, pc: before.pcs[s.thread] }, changed),
    });
    before = s.after;
  });
  return frames;
}
