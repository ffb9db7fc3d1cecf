// The step-through player stores each distinct piece of its frames once; a frame's pieces give its HTML back exactly.
import * as vm from "node:vm";
import { describe, expect, it } from "vitest";
import { boundedBuffer, explore, replay } from "../../lib/interleave/index";
import { packFrames, replayFrames, stepperHtml } from "../../lib/plot/index";

function witnessFrames() {
  const program = boundedBuffer({ guard: "if" });
  const fault = Object.values(explore(program).outcomes).find((o) => o.kind === "fault");
  if (!fault) throw new Error("the `if` buffer should fault");
  return replayFrames(program, replay(program, fault.witness));
}

describe("stepper frames, packed", () => {
  it("joining a frame's pieces gives its HTML back exactly, and repeated pieces are stored once", () => {
    const frames = witnessFrames();
    const packed = packFrames(frames);
    expect(packed.frames.map((f) => f.caption)).toEqual(frames.map((f) => f.caption));
    packed.frames.forEach((f, i) => {
      expect(f.parts.map((k) => packed.pieces[k]).join("")).toBe(frames[i].html);
    });
    const full = frames.reduce((n, f) => n + f.html.length, 0);
    const stored = packed.pieces.reduce((n, p) => n + p.length, 0);
    expect(stored).toBeLessThan(full / 3); // a replay changes a line or two per step
    const empty = packFrames([{ caption: "c", html: "" }]);
    expect(empty.frames[0].parts.map((k) => empty.pieces[k]).join("")).toBe("");
  });

  it("the player's script rebuilds every frame from the pieces", () => {
    const frames = witnessFrames();
    const html = stepperHtml(frames, "t");
    const script = html.slice(html.indexOf("<script"));
    const code = script.slice(script.indexOf(">") + 1, script.lastIndexOf("</script>"));
    // run the script against a minimal stand-in DOM and read what the last frame puts in the body
    const el = () => ({ textContent: "", innerHTML: "", value: "", id: "", setAttribute() {}, remove() {} });
    const body = el();
    const parts: Record<string, ReturnType<typeof el>> = {
      input: el(),
      ".cbe-cap": el(),
      ".cbe-body": body,
      ".cbe-pos": el(),
      ".cbe-untrusted": el(),
    };
    const buttons: { a: string; click?: () => void }[] = ["first", "prev", "next", "last"].map((a) => ({ a }));
    const root = {
      id: /id="([^"]+)"/.exec(html)![1],
      setAttribute() {},
      querySelector: (q: string) => parts[q] ?? null,
      querySelectorAll: () =>
        buttons.map((b) => ({
          getAttribute: () => b.a,
          addEventListener: (_: string, f: () => void) => {
            b.click = f;
          },
        })),
    };
    Object.assign(parts.input, { addEventListener() {} });
    const document = { currentScript: { previousElementSibling: root }, getElementById: () => root };
    vm.runInNewContext(code, { document });
    expect(body.innerHTML).toBe(frames[0].html);
    buttons[3].click!();
    expect(body.innerHTML).toBe(frames[frames.length - 1].html);
    buttons[2].click!(); // next, at the end: stays on the last frame
    buttons[1].click!();
    expect(body.innerHTML).toBe(frames[frames.length - 2].html);
  });
});
