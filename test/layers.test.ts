// The floor plan of lib/, checked on every import (see CONTRIBUTING.md):
//
//   errors.ts ← sim ← engines (cpu, sched, interleave, eventloop) ← real ← plot ← notebook ← chapters ← index.ts
//   ← browser (the live site's edge: the front door bundled for the page, its display sink, the cell runner)
//
// - Nothing imports upward; an engine never imports another engine.
// - Chapters reach every other layer only through its `index.ts`, never its internals; a chapter may build on an
//   earlier chapter (03 uses 02's `oneAtATime`), never on a later one.
// - Pure layers (sim, engines, plot) import no Node built-in and take only types from `real`, so they can be bundled
//   for the browser.
// - tslab resolves "./x" only to the file x.ts, never to x/index.ts: every relative import names a file.
// A hand-written check rather than dependency-cruiser: the rules are a dozen lines over the import list that this
// file already parses, and it runs inside vitest with nothing more to install or configure.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const libDir = path.resolve(__dirname, "..", "lib");

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

const RANK: Record<string, number> = {
  errors: 0,
  sim: 1,
  cpu: 2,
  sched: 2,
  interleave: 2,
  eventloop: 2,
  // asynccheck runs the learner's own async code, guarded by a watchdog worker: an engine, but not pure
  asynccheck: 2,
  real: 3,
  plot: 4,
  notebook: 5,
  chapters: 6,
  index: 7,
  // the browser edge wraps the front door for the live site (scripts/build-live.js); nothing in lib imports it
  browser: 8,
};
const ENGINES = new Set(["cpu", "sched", "interleave", "eventloop", "asynccheck"]);
const PURE = new Set(["errors", "sim", "cpu", "sched", "interleave", "eventloop", "plot"]);

interface Edge {
  from: string;
  to: string;
  spec: string;
  typeOnly: boolean;
}

/** The layer of a file in lib/: its top folder, or the file's own name for files at the top. */
function layerOf(rel: string): string {
  const top = rel.split("/")[0];
  return top.replace(/\.ts$/, "");
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of tsFiles(libDir)) {
    const src = fs.readFileSync(file, "utf8");
    const from = path.relative(libDir, file).split(path.sep).join("/");
    for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm)) {
      out.push({ from, to: "", spec: m[3], typeOnly: Boolean(m[2]) });
    }
    for (const m of src.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g))
      out.push({ from, to: "", spec: m[1], typeOnly: false });
  }
  for (const e of out) {
    if (!e.spec.startsWith(".")) continue;
    e.to = path.posix.normalize(path.posix.join(path.posix.dirname(e.from), e.spec));
  }
  return out;
}

/** Why this import breaks the floor plan, or null when it is fine. */
function violation(e: Edge): string | null {
  const from = layerOf(e.from);
  if (!e.spec.startsWith(".")) {
    if (PURE.has(from) && !e.typeOnly && e.spec !== "plotly.js") return `pure layer "${from}" imports "${e.spec}"`;
    return null;
  }
  if (e.to.startsWith("..")) return `imports outside lib/ ("${e.spec}")`;
  const to = layerOf(e.to);
  if (!(from in RANK)) return `"${e.from}" is in no layer: add its folder to RANK in test/layers.test.ts`;
  if (!(to in RANK)) return `"${e.to}" is in no layer`;
  if (from === to) {
    if (from !== "chapters") return null;
    const chapterOf = (p: string) => p.split("/")[1].slice(0, 2);
    return chapterOf(e.to) > chapterOf(e.from) ? `chapter ${chapterOf(e.from)} builds on a later chapter` : null;
  }
  if (RANK[to] > RANK[from]) return `imports upward (${from} → ${to})`;
  if (ENGINES.has(from) && ENGINES.has(to)) return `engine "${from}" imports engine "${to}"`;
  if (from === "chapters" && to !== "errors" && !e.to.endsWith("/index")) {
    return `a chapter imports an internal of ${to} (import "${to}/index" instead)`;
  }
  if (PURE.has(from) && !PURE.has(to) && !e.typeOnly) return `pure layer "${from}" imports "${to}" at run time`;
  return null;
}

describe("the floor plan of lib/", () => {
  const all = edges();

  it("finds the imports it checks", () => {
    expect(all.length).toBeGreaterThan(150);
    expect(all.some((e) => e.from === "index.ts" && e.to.startsWith("chapters/"))).toBe(true);
  });

  it("no relative import in lib/ points at a directory (tslab resolves files only)", () => {
    const bad = all
      // (a file x.ts beside a folder x/ is what "./x" means: lib/errors.ts beside lib/errors/validate.ts)
      .filter((e) => e.spec.startsWith(".") && fs.existsSync(path.join(libDir, e.to)))
      .filter((e) => !fs.existsSync(path.join(libDir, `${e.to}.ts`)))
      .filter((e) => fs.statSync(path.join(libDir, e.to)).isDirectory())
      .map((e) => `${e.from}: "${e.spec}" (write "${e.spec}/index")`);
    expect(bad).toEqual([]);
  });

  it("every import points down the layers, chapters go through index.ts, pure layers stay pure", () => {
    const bad = all.flatMap((e) => {
      const why = violation(e);
      return why ? [`${e.from} → "${e.spec}": ${why}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it("the rules catch what they are meant to catch", () => {
    const e = (from: string, spec: string, typeOnly = false): Edge => ({
      from,
      spec,
      typeOnly,
      to: path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)),
    });
    expect(violation(e("plot/figure.ts", "../notebook/display"))).toMatch(/upward/);
    expect(violation(e("sched/engine.ts", "../interleave/index"))).toMatch(/engine "sched" imports engine/);
    expect(violation(e("chapters/02-waiting.ts", "../sched/engine"))).toMatch(/internal of sched/);
    expect(violation(e("chapters/02-waiting.ts", "./05-races"))).toMatch(/later chapter/);
    expect(violation(e("plot/real.ts", "../real/speedup"))).toMatch(/at run time/);
    expect(violation(e("plot/real.ts", "../real/speedup", true))).toBeNull();
    expect(violation(e("interleave/sample.ts", "node:fs"))).toMatch(/pure layer/);
    expect(violation(e("chapters/03-processes.ts", "./02-waiting"))).toBeNull();
    expect(violation(e("chapters/06-locks/index.ts", "./fairness"))).toBeNull();
    expect(violation(e("real/pool.ts", "node:worker_threads"))).toBeNull();
    expect(violation(e("notebook/display.ts", "../browser/sink"))).toMatch(/upward/);
  });
});
