// The sweep (issue 18): every runtime export of lib/index called with a battery of bad values per parameter and per
// option field (test/sweep/cases.js), in child processes with a time limit per call (test/sweep/run.js). Every call
// must end in a named error (a CourseError) or a correct result: no generic error from inside, no NaN / "undefined" /
// "[object Object]" in what it returns or displays, no misspelled option silently ignored, no real experiment started
// by a bad value, no hang, no crash.
//
// Exports that still have defects are listed in test/sweep/known-defects.json with their count: the test fails when
// an export gets a defect it did not have (or more of them), and when a listed export improved (lower the count, so
// the list only shrinks). Rewrite the list after fixing: node test/sweep/run.js --write-known.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const here = path.join(__dirname, "sweep");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureLibBuild } = require("../scripts/lib-build.js") as { ensureLibBuild: () => unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runSweep, defectsByExport } = require("./sweep/run.js") as {
  runSweep: (o: { timeoutMs: number }) => Promise<{ label: string; outcome: string; message?: string }[]>;
  defectsByExport: (r: { label: string; outcome: string }[]) => Record<string, number>;
};

describe("the sweep: every export, bad values, a named error or a right answer", () => {
  it("no export has more defects than test/sweep/known-defects.json allows", { timeout: 300_000 }, async () => {
    ensureLibBuild();
    const records = await runSweep({ timeoutMs: 8000 });
    expect(records.length).toBeGreaterThan(5000);
    const known: Record<string, number> = JSON.parse(fs.readFileSync(path.join(here, "known-defects.json"), "utf8"));
    const now = defectsByExport(records);
    const worse = Object.entries(now)
      .filter(([fn, n]) => n > (known[fn] ?? 0))
      .map(([fn, n]) => {
        const first = records.find((r) => r.label.startsWith(`${fn}(`) && !["ok", "named"].includes(r.outcome));
        return `${fn}: ${n} (allowed ${known[fn] ?? 0}), e.g. ${first?.outcome} ${first?.label} ${first?.message ?? ""}`;
      });
    expect(worse).toEqual([]);
    const better = Object.entries(known)
      .filter(([fn, n]) => (now[fn] ?? 0) < n)
      .map(([fn, n]) => `${fn}: ${now[fn] ?? 0} < ${n}`);
    expect(better, "lower these counts in test/sweep/known-defects.json").toEqual([]);
  });
});
