/**
 * Figures of a replayed schedule of the async checker (lib/asynccheck): a timeline (one lane per task, one box per
 * step, waits in grey), the step table as HTML, and frames for the step-through player (`showSteps`).
 * Pure: replay → plotly JSON / HTML strings (every text escaped).
 */

import type { AsyncReplay } from "../asynccheck/index";
import { checkResult } from "../errors/validate";
import { FigureInputError } from "./errors";
import { baseLayout, type Figure, STATE_COLORS, seriesColor, type Trace } from "./figure";
import { escapeHtml, htmlTable } from "./html";
import type { Frame } from "./stepper";

const lane = (t: number) => `task ${t}`;

/** Timeline of a replay: x = step (one store operation each), one lane per task; grey marks a task that waits. */
export function asyncTimelineFigure(r: AsyncReplay, title?: string): Figure {
  checkResult(
    FigureInputError,
    "the r given to asyncTimelineFigure",
    r,
    ["schedule", "steps"],
    "pass what replayAsync(...) returned",
  );
  const lanes = Array.from({ length: r.tasks }, (_, i) => lane(i + 1));
  const data: Trace[] = [];
  for (let t = 1; t <= r.tasks; t++) {
    const mine = r.steps.filter((s) => s.task === t);
    data.push({
      type: "bar",
      orientation: "h",
      name: lane(t),
      y: mine.map(() => lane(t)),
      x: mine.map(() => 0.9),
      base: mine.map((s) => s.step - 0.45),
      marker: { color: seriesColor(t - 1) },
      text: mine.map((s) => s.operation),
      textposition: "inside",
      insidetextanchor: "middle",
      textfont: { color: "white", size: 11 },
      hovertext: mine.map((s) => `step ${s.step}: ${s.operation}${s.value ? ` → ${s.value}` : ""}; store ${s.store}`),
      hoverinfo: "text",
    });
  }
  const waits: { step: number; task: number; text: string }[] = [];
  r.steps.forEach((s, k) => {
    const before = k === 0 ? r.blockedAtStart : r.steps[k - 1].blocked;
    for (const t of before) if (t !== s.task) waits.push({ step: s.step, task: t, text: "" });
  });
  // a deadlock: one more column shows what each stuck task waits for, and who holds it
  const end = r.steps.length + 1;
  if (r.status === "deadlock") {
    for (const w of r.waits) {
      waits.push({ step: end, task: w.task, text: `${w.waitsFor}${w.heldBy ? ` ← task ${w.heldBy}` : ""}` });
    }
  }
  if (waits.length) {
    data.push({
      type: "bar",
      orientation: "h",
      name: "waits (lock held / test false)",
      y: waits.map((w) => lane(w.task)),
      x: waits.map(() => 0.9),
      base: waits.map((w) => w.step - 0.45),
      marker: { color: STATE_COLORS.io },
      text: waits.map((w) => w.text),
      textposition: "inside",
      insidetextanchor: "middle",
      textfont: { color: "black", size: 11 },
      hovertext: waits.map((w) => `step ${w.step}: task ${w.task} cannot move${w.text ? `: waits for ${w.text}` : ""}`),
      hoverinfo: "text",
    });
  }
  const bad = r.firstViolation;
  const layout = baseLayout(
    title ??
      `Schedule ${r.schedule}: ${r.status === "deadlock" ? "deadlock (grey: waits for ← held by)" : r.status}${bad ? `, invariant broken at step ${bad.step}` : ""}` +
        `${r.finalViolation ? `, final check fails` : ""}`,
    "step (one store operation each)",
    "",
    { barmode: "overlay", height: 120 + 50 * r.tasks },
  );
  layout.yaxis = { ...layout.yaxis, categoryorder: "array", categoryarray: [...lanes].reverse() };
  const last = r.status === "deadlock" ? end : Math.max(1, r.steps.length);
  layout.xaxis = { ...layout.xaxis, range: [0.4, last + 0.6], dtick: 1 };
  if (bad && bad.step > 0) {
    layout.shapes = [
      {
        type: "line",
        x0: bad.step + 0.5,
        x1: bad.step + 0.5,
        yref: "paper",
        y0: 0,
        y1: 1,
        line: { color: "#D55E00", dash: "dot", width: 2 },
      },
    ];
  }
  return { data, layout };
}

/** The replay's step table as HTML rows coloured by task. */
export function asyncStepTableHtml(r: AsyncReplay, caption?: string): string {
  checkResult(
    FigureInputError,
    "the r given to asyncStepTableHtml",
    r,
    ["schedule", "initial"],
    "pass what replayAsync(...) returned",
  );
  const rows = r.steps.map((s) => ({
    step: s.step,
    task: s.task,
    operation: s.operation,
    value: s.value,
    store: s.store,
    locks: Object.entries(s.locks)
      .map(([k, t]) => `${k}: task ${t}`)
      .join(", "),
    note: [s.violation ? `✗ ${s.violation}` : "", s.blocked.length ? `waiting: ${s.blocked.join(", ")}` : ""]
      .filter(Boolean)
      .join("; "),
  }));
  return htmlTable(rows, {
    caption: caption ?? `Schedule ${r.schedule}: start ${r.initial}, end ${r.final} (${r.status})`,
    headers: { value: "value read / written", store: "store after", locks: "locks held after" },
    rowColors: r.steps.map((s) => seriesColor(s.task - 1)),
  });
}

function frameHtml(r: AsyncReplay, upto: number): string {
  const cards = Array.from({ length: r.tasks }, (_, i) => {
    const t = i + 1;
    const color = seriesColor(i);
    const mine = r.steps.slice(0, upto).filter((s) => s.task === t);
    const last = upto > 0 ? r.steps[upto - 1] : null;
    const finished = last ? last.finished.includes(t) : false;
    const waiting = (last ? last.blocked : r.blockedAtStart).includes(t);
    const lines = mine.map((s) => {
      const now = last !== null && s.step === last.step;
      return (
        `<div style="background:${now ? "#FFF3B0" : "transparent"};padding:1px 4px;white-space:nowrap">` +
        `<code>${escapeHtml(`${s.step}. ${s.operation}${s.value ? ` → ${s.value}` : ""}`)}</code></div>`
      );
    });
    const state = finished ? "finished" : waiting ? "waiting" : "ready";
    return (
      `<div style="border:2px solid ${color};border-radius:6px;padding:4px 6px;min-width:170px">` +
      `<div style="font-weight:600;color:${color}">task ${t} <span style="font-weight:400;color:#555">` +
      `(${state})</span></div>${lines.join("") || "<div><i>no step yet</i></div>"}</div>`
    );
  });
  const store = upto > 0 ? r.steps[upto - 1].store : r.initial;
  const locks = upto > 0 ? Object.entries(r.steps[upto - 1].locks) : [];
  const held = locks.map(([k, t]) => `${k} held by task ${t}`).join(", ");
  return (
    `<div style="display:flex;gap:10px;flex-wrap:wrap;font:14px system-ui,sans-serif">${cards.join("")}</div>` +
    `<div style="margin-top:8px;font:14px system-ui,sans-serif">store: <code>${escapeHtml(store)}</code>` +
    `${locks.length ? ` &nbsp; locks: ${escapeHtml(held)}` : ""}</div>`
  );
}

/** One frame for the start and one per step, for `showSteps`. */
export function asyncReplayFrames(r: AsyncReplay): Frame[] {
  checkResult(
    FigureInputError,
    "the r given to asyncReplayFrames",
    r,
    ["schedule", "initial"],
    "pass what replayAsync(...) returned",
  );
  const frames: Frame[] = [{ caption: `Start: schedule ${r.schedule}, store ${r.initial}.`, html: frameHtml(r, 0) }];
  r.steps.forEach((s, k) => {
    const v = s.violation ? ` The invariant fails: ${s.violation}.` : "";
    const end = k === r.steps.length - 1 ? ` Run ends: ${r.status}.` : "";
    frames.push({
      caption:
        `Step ${s.step} of ${r.steps.length}: task ${s.task} does ${s.operation}` +
        `${s.value ? ` (${s.value})` : ""}; store ${s.store}.${v}${end}`,
      html: frameHtml(r, k + 1),
    });
  });
  return frames;
}
