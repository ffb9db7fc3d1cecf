// lib/index.ts is the course's front door: short enough to read as a table of contents, complete for the chapters.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as lib from "../lib/index";

const root = path.resolve(__dirname, "..");

/** Every name a chapter imports from "./lib/index". */
function namesImportedByChapters(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const dir = path.join(root, "notebooks");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb"))) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    const src = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string | string[] }) => [].concat(c.source as never).join(""))
      .join("\n");
    for (const m of src.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"\.\/lib\/index"/g)) {
      if (m[1]) continue;
      for (const part of m[2].split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0];
        if (!name || name.startsWith("type ")) continue;
        used.set(name, [...(used.get(name) ?? []), file.slice(0, 2)]);
      }
    }
  }
  return used;
}

describe("lib/index, the front door", () => {
  const exported = Object.keys(lib);

  // The cap keeps the door curated; raise it deliberately when chapters grow (220 for chapters 01-08 at first;
  // 280 after issues 12-13; 340 for chapter 09 and the async hazards).
  it("exports at most 340 runtime names", () => {
    expect(exported.length).toBeGreaterThan(150);
    expect(exported.length).toBeLessThanOrEqual(340);
  });

  it("exports every name the chapters import", () => {
    const used = namesImportedByChapters();
    expect(used.size).toBeGreaterThan(150);
    const missing = [...used]
      .filter(([name]) => !(name in lib))
      .map(([name, chs]) => `${name} (chapter ${chs.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("keeps internals and dead aliases behind their modules", () => {
    for (const name of [
      "checkInt",
      "runBounded",
      "WorkerPool",
      "setDisplaySink",
      "currentSink",
      "liveHtml",
      "escapeInterleaveHtml",
      "interleaveRandom",
      "InterleaveMachine",
    ]) {
      expect(exported, name).not.toContain(name);
    }
  });
});
