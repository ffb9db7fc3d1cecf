// Node's libuv thread pool, on real Node (chapter 03 §5): your JavaScript runs on one thread, Node itself uses a
// few more. File reads, dns.lookup, crypto.pbkdf2 and zlib wait for a pool thread (4 by default,
// UV_THREADPOOL_SIZE); a socket does not. Counts, not timings: each FIFO open blocks one pool thread without CPU,
// so the result holds on any number of cores.
import { describe, expect, it } from "vitest";
import { RealInputError, threadPoolProbe } from "../../lib/real/index";
import { activeResourceCounts, expectNoLeaks } from "./helpers";

const POOL_CALLS = ["crypto.pbkdf2", "dns.lookup", "fs.readFile", "zlib.gzip"];

describe.skipIf(process.platform === "win32")("threadPoolProbe (libuv's pool, real Node)", () => {
  it("the default pool has 4 threads: 8 blocking opens go in 2 waves of 4", async () => {
    const before = activeResourceCounts();
    const r = await threadPoolProbe({ blockers: 8, settleMs: 250 });
    expect(r.poolSize).toBeNull();
    expect(r.waves).toEqual([4, 4]);
    expect(r.threadsSeen).toBe(4);
    await expectNoLeaks(before);
  });
  it("while every pool thread is blocked, fs, dns.lookup, pbkdf2 and gzip wait; a TCP round trip does not", async () => {
    const r = await threadPoolProbe({ blockers: 4, settleMs: 250 });
    expect(r.whilePoolBusy).toEqual(["TCP round trip (socket)"]);
    expect(Object.keys(r.doneMs).sort()).toEqual([...POOL_CALLS, "TCP round trip (socket)"].sort());
    for (const k of POOL_CALLS) expect(r.doneMs[k]).toBeGreaterThan(r.doneMs["TCP round trip (socket)"]);
  });
  it("UV_THREADPOOL_SIZE=8 in the child's environment: one wave of 8; =2: four waves of 2", async () => {
    expect((await threadPoolProbe({ poolSize: 8, blockers: 8, settleMs: 250 })).waves).toEqual([8]);
    expect((await threadPoolProbe({ poolSize: 2, blockers: 8, settleMs: 200 })).waves).toEqual([2, 2, 2, 2]);
  });
  it("bad options throw RealInputError", async () => {
    await expect(threadPoolProbe({ poolSize: 0 })).rejects.toThrow(RealInputError);
    await expect(threadPoolProbe({ blockers: 1.5 })).rejects.toThrow(/blockers/);
  });
});
