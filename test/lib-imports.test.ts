// tslab loads lib/ through its own module loader, which resolves "./x" only to the file x.ts, never to x/index.ts.
// So every relative import in lib/ must name a file. This test fails on any import of a directory.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";

const libDir = path.resolve(__dirname, "..", "lib");

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("lib imports work under tslab", () => {
  it("no relative import in lib/ points at a directory", () => {
    const bad: string[] = [];
    for (const file of tsFiles(libDir)) {
      const src = fs.readFileSync(file, "utf8");
      for (const m of src.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']*)["']/g)) {
        const target = path.resolve(path.dirname(file), m[1]);
        if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
          bad.push(`${path.relative(libDir, file)}: "${m[1]}" (write "${m[1]}/index")`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
