// The live site's decisions, without a browser (scripts/check-live-site.js runs the cells in Chromium):
// which cells of a chapter run in the page (scripts/live-page.js), which front-door names reach Node
// (scripts/build-live.js), and how a cell becomes code that shares one scope with the others (lib/browser/transform).
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileCell } from "../../lib/browser/transform";

const root = path.resolve(__dirname, "..", "..");
// CommonJS scripts of the project, loaded as they run in `npm run build`.
const { liveCells } = require(path.join(root, "scripts", "live-page.js"));
const { findNodeOnly, taintOf } = require(path.join(root, "scripts", "build-live.js"));

describe("which cells run in the page", () => {
  const nodeOnly = { sharedCounterRace: "sharedCounterRace in real/race.ts" };
  const cells = (sources: string[]) => liveCells(sources, nodeOnly, "notebooks/05-x.ipynb");

  it("a cell that calls a Node-only function, and the cells that use its results, do not; others do", () => {
    const out = cells([
      'import { counterRace, explore, sharedCounterRace, show } from "./lib/index";',
      "const race = counterRace(2, 1);",
      "const real = await sharedCounterRace({ workers: 2 });",
      "show(real.rows);",
      "explore(race);",
      // a parameter that shares the real result's name is not that result
      "[1, 2].map((real) => real + 1);",
      // declared again by a cell that runs here: later uses are fine again
      "const real = explore(race);",
      "real.schedules;",
    ]);
    expect(out.map((c: { live: boolean }) => c.live)).toEqual([true, true, false, false, true, true, true, true]);
    expect(out[2].why).toMatch(/sharedCounterRace.*notebooks\/05-x\.ipynb in Jupyter/);
    expect(out[3].why).toMatch(/Uses real from cell 3/);
    expect(out[1].source).toBe("const race = counterRace(2, 1);");
  });

  it("imports of anything but the course library and Node globals keep a cell in Jupyter", () => {
    const out = cells([
      'import { Readable } from "node:stream";',
      "const t = process.hrtime();",
      "const process = 1; process + 1;",
    ]);
    expect(out.map((c: { live: boolean }) => c.live)).toEqual([false, false, true]);
    expect(out[0].why).toMatch(/"node:stream"/);
    expect(out[1].why).toMatch(/process/);
  });
});

describe("what reaches Node in lib/", () => {
  const { infos, nodeOnly, partly } = findNodeOnly();
  const reaching = taintOf(infos, nodeOnly)(path.join(root, "lib", "index.ts"));

  it("finds lib/real's experiments and what calls them, and leaves the simulations alone", () => {
    expect([...nodeOnly.keys()].map((f: string) => path.relative(root, f))).toContain("lib/real/race.ts");
    expect([...partly.keys()].map((f: string) => path.relative(root, f))).toContain("lib/real/speedup.ts");
    for (const name of ["sharedCounterRace", "storeBufferLitmus", "checkRealIncrement", "orderingPuzzleReal"])
      expect(reaching[name], name).toBeTruthy();
    for (const name of ["counterRace", "explore", "runCpu", "runLoop", "checkAsync", "show", "amdahlFigure"])
      expect(reaching[name], name).toBeUndefined();
  });
});

describe("a cell compiled for the page", () => {
  const importer = (spec: string) => {
    if (spec !== "./lib/index") throw new Error(`unexpected import ${spec}`);
    return { double: (x: number) => 2 * x };
  };

  it("keeps its top-level names in the shared scope, runs again, and returns its last expression", async () => {
    const scope: Record<string, unknown> = Object.create(null);
    const run = async (src: string) => {
      const cell = compileCell(src);
      for (const n of cell.declared) if (!(n in scope)) scope[n] = undefined;
      const out = { value: undefined as unknown };
      await cell.run(scope, importer, out);
      return out.value;
    };
    await run('import { double } from "./lib/index";\nconst { a, b: [c] } = { a: 1, b: [2] };');
    expect(await run("const n: number = double(a) + c;\nn")).toBe(4);
    expect(await run("const n = twice(10); function twice(x: number) { return 2 * x }\nn;")).toBe(20);
    expect(await run("class P { v = n }\nnew P().v + (await Promise.resolve(1))")).toBe(21);
    expect(Object.keys(scope).sort()).toEqual(["P", "a", "c", "double", "n", "twice"]);
  });

  it("reports a syntax error with its line, as the notebook does", () => {
    expect(() => compileCell("const x = 1;\nconst y = ;")).toThrow(/line 2/);
  });
});
