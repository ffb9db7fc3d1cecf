/**
 * Step-through displays in the notebook: the player of lib/plot/stepper, and a live animation driven from the kernel.
 */
import { describeValue } from "../errors/validate";
import { escapeHtml } from "../plot/html";
import { checkFrames, type Frame, stepperHtml } from "../plot/stepper";
import { currentSink } from "./display";
import { NotebookInputError } from "./errors";

/** Show a step-through player in the cell's output. */
export function showSteps(frames: Frame[], title?: string): void {
  currentSink().html(stepperHtml(frames, title));
}

/** Play frames live from the kernel, one every `delayMs` milliseconds (the output keeps the last frame). */
export async function animate(frames: Frame[], delayMs = 400): Promise<void> {
  if (!(typeof delayMs === "number" && delayMs >= 0 && delayMs <= 10_000)) {
    throw new NotebookInputError(
      `Expected \`delayMs\` to be from 0 to 10000 ms, got ${describeValue(delayMs)}: pass e.g. 400.`,
    );
  }
  checkFrames(frames, "animate", NotebookInputError);
  const out = currentSink().live();
  for (let k = 0; k < frames.length; k++) {
    out.html(
      `<div style="font:14px system-ui,sans-serif"><div>${escapeHtml(frames[k].caption)} ` +
        `(${k + 1}/${frames.length})</div>${frames[k].html}</div>`,
    );
    if (k < frames.length - 1) await new Promise((res) => setTimeout(res, delayMs));
  }
}
