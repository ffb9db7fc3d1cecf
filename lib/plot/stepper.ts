/**
 * The step-through player as pure HTML: a self-contained player (works in Jupyter, nbconvert and the static site, no
 * kernel needed). lib/notebook shows it (`showSteps`) or animates frames live from the kernel (`animate`).
 */
import { checkString, describeValue, isPlainObject } from "../errors/validate";
import { FigureInputError } from "./errors";
import { escapeHtml, scriptJson, untrustedNote } from "./html";

/** One frame of a step-through: a caption and its HTML body (already escaped). */
export interface Frame {
  caption: string;
  html: string;
}

let players = 0;

/** Checks a list of frames (1 to 10,000 of { caption, html }, both strings); `fn` names the caller. */
export function checkFrames(
  frames: unknown,
  fn: string,
  E: new (message: string) => Error = FigureInputError,
): asserts frames is Frame[] {
  if (!Array.isArray(frames) || frames.length === 0 || frames.length > 10_000)
    throw new E(
      `${fn} needs at least one frame: pass a non-empty array of { caption, html } (at most 10,000), got ` +
        `${describeValue(frames)}.`,
    );
  frames.forEach((f, i) => {
    if (!isPlainObject(f) || typeof f.caption !== "string" || typeof f.html !== "string")
      throw new E(
        `Frame ${i} of ${fn} is ${describeValue(f)}: every frame is { caption: "…", html: "…" } (both text).`,
      );
  });
}

/**
 * Frames packed for the player's script: every frame's HTML cut before each `<div` and each distinct piece stored
 * once (`pieces`), a frame being the list of its pieces' numbers. Consecutive frames of a replay differ in a line or
 * two, so a 27-frame witness of three threads shrinks from ~250 KB to a small fraction, in the notebook saved after
 * running and in the site. Joining a frame's pieces gives its HTML back exactly (tested).
 */
export function packFrames(frames: Frame[]): { pieces: string[]; frames: { caption: string; parts: number[] }[] } {
  const index = new Map<string, number>();
  const pieces: string[] = [];
  const packed = frames.map((f) => ({
    caption: f.caption,
    parts: f.html.split(/(?=<div[\s>])/).map((piece) => {
      let k = index.get(piece);
      if (k === undefined) {
        k = pieces.length;
        pieces.push(piece);
        index.set(piece, k);
      }
      return k;
    }),
  }));
  return { pieces, frames: packed };
}

/** A player with ◀ ▶ buttons and a slider over `frames` (pure: returns HTML). */
export function stepperHtml(frames: Frame[], title = "Step through"): string {
  checkFrames(frames, "stepperHtml");
  checkString(FigureInputError, "the title of the step-through", title, { allowEmpty: true, maxLength: 500 });
  // A per-session counter (identical outputs between runs); the script finds its own player first (see figureHtml).
  const id = `cbe-step-${++players}`;
  const data = scriptJson(packFrames(frames));
  return (
    `<div id="${id}" class="cbe-stepper" style="font:14px system-ui,sans-serif;border:1px solid #ddd;` +
    `border-radius:6px;padding:8px;max-width:900px">` +
    `<div style="font-weight:600;margin-bottom:6px">${escapeHtml(title)}</div>` +
    `<div style="display:flex;gap:8px;align-items:center"><button data-a="first">« first</button><button data-a="prev">◀ back</button><button data-a="next">next ▶</button><button data-a="last">last »</button>` +
    `<input type="range" min="0" max="${frames.length - 1}" value="0" style="flex:1"><span ` +
    `class="cbe-pos"></span></div>` +
    // The first frame is in the HTML itself, so a front end that does not run the script still shows it.
    untrustedNote("step-through player") +
    `<div class="cbe-cap" style="margin:6px 0;color:#333">${escapeHtml(frames[0].caption)}</div>` +
    `<div class="cbe-body">${frames[0].html}</div></div>` +
    `<script type="text/javascript">(function(){var P=${data},F=P.frames.map(function(f){return{caption:f.caption,` +
    `html:f.parts.map(function(k){return P.pieces[k];}).join("")};});var ` +
    `me=document.currentScript,root=me&&me.previousElementSibling;` +
    `if(!root||root.id!==${scriptJson(id)})root=document.getElementById(${scriptJson(id)});if(!root)return;var i=0;` +
    `var r=root.querySelector("input"),cap=root.querySelector(".cbe-cap"),` +
    `body=root.querySelector(".cbe-body"),pos=root.querySelector(".cbe-pos");` +
    `var note=root.querySelector(".cbe-untrusted");if(note)note.remove();root.setAttribute("data-ready","1");` +
    `function go(k){i=Math.max(0,Math.min(F.length-1,k));r.value=String(i);` +
    `cap.textContent=F[i].caption;body.innerHTML=F[i].html;pos.textContent=(i+1)+" / "+F.length;}` +
    `root.querySelectorAll("button").forEach(function(b){b.addEventListener("click",function(){var ` +
    `a=b.getAttribute("data-a");go(a==="first"?0:a==="last"?F.length-1:a==="prev"?i-1:i+1);});});` +
    `r.addEventListener("input",function(){go(Number(r.value));});go(0);})();</script>`
  );
}
