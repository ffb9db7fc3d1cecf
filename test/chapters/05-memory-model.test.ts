// Chapter 05 §6 claims about the JavaScript memory model on real workers (ECMAScript spec, "Memory Model"):
// Atomics accesses are sequentially consistent, so the store-buffering outcome r0 = r1 = 0 never appears with them;
// plain Int32Array accesses are "unordered", and on x86 / ARM hardware a load may overtake an earlier store.
import * as os from "node:os";
import { describe, expect, it } from "vitest";
import { RealInputError, storeBufferLitmus } from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "../real/helpers";

describe("store-buffering litmus test on two real workers", () => {
  it("Atomics never show r0 = r1 = 0; plain accesses do on a multi-core x86 / ARM machine", async () => {
    const before = activeResourceCounts();
    const t0 = performance.now();
    const r = await storeBufferLitmus({ trials: 50_000 });
    expect(performance.now() - t0).toBeLessThan(20_000); // bounded
    const [plain, atomic] = r.rows;
    expect([plain.mode, atomic.mode]).toEqual(["plain", "atomic"]);
    for (const row of r.rows) {
      expect(row.trials).toBe(50_000);
      expect(Object.values(row.outcomes).reduce((a, b) => a + b, 0)).toBe(row.trials);
    }
    // The guarantee: sequentially consistent Atomics forbid the outcome on every machine.
    expect(atomic.outcomes["0 0"]).toBe(0);
    // The hardware effect needs the two workers on two cores at once; measured here: thousands per 50,000 trials.
    if (os.availableParallelism() >= 2 && ["x64", "arm64"].includes(process.arch)) {
      expect(plain.outcomes["0 0"]).toBeGreaterThan(0);
    }
    await expectNoLeaks(before);
  }, 30_000);

  it("bad options throw RealInputError", async () => {
    await expect(storeBufferLitmus({ trials: 0 })).rejects.toBeInstanceOf(RealInputError);
    await expect(storeBufferLitmus({ modes: ["relaxed" as any] })).rejects.toThrow(/modes\[0\]/);
  });
});
