import { describe, expect, it } from "vitest";
import {
  counterRace,
  explore,
  formatSchedule,
  InterleaveOptionError,
  InterleaveProgramError,
  InterleaveScheduleError,
  lockedCounter,
  parseSchedule,
  parseThreadProgram,
  replay,
  sample,
  threadProgram,
  twoLockDeadlock,
} from "../../lib/interleave/index";

describe("replay: the seed's two tables", () => {
  it("serial schedule: final counter 2", () => {
    const r = replay(counterRace(2, 1), "1 1 1 2 2 2");
    expect(r.steps.map((s) => [s.order, s.threadName, s.text, s.cells.counter])).toEqual([
      [1, "T1", "r = counter", 0],
      [2, "T1", "r = r + 1", 0],
      [3, "T1", "counter = r", 1],
      [4, "T2", "r = counter", 1],
      [5, "T2", "r = r + 1", 1],
      [6, "T2", "counter = r", 2],
    ]);
    expect(r.status).toBe("done");
    expect(r.outcome).toBe("counter=2");
  });

  it("interleaved schedule 1 2 1 1 2 2 loses an update (seed 000, second table)", () => {
    const r = replay(counterRace(2, 1), "1 2 1 1 2 2");
    expect(r.steps.map((s) => s.registers.r)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(r.final.cells).toEqual({ counter: 1 });
    expect(r.steps[1].after.registers).toEqual([{ r: 0 }, { r: 0 }]);
    expect(r.steps[0].after.next[0]).toEqual({ text: "r = r + 1", status: "ready" });
  });

  it("accepts compact and comma forms, and a prefix is 'running'", () => {
    expect(replay(counterRace(2, 1), "121122").outcome).toBe("counter=1");
    expect(replay(counterRace(2, 1), [1, 2, 1, 1, 2, 2]).outcome).toBe("counter=1");
    expect(replay(counterRace(2, 1), "1,2").status).toBe("running");
    expect(formatSchedule([0, 1, 1])).toBe("1 2 2");
    expect(parseSchedule("3 1", 3)).toEqual([2, 0]);
  });

  it("bad schedules name the position", () => {
    const p = counterRace(2, 1);
    expect(() => replay(p, "1 3")).toThrow(InterleaveScheduleError);
    expect(() => replay(p, "1 3")).toThrow(/Position 2 .*"3".*threads 1\.\.2/);
    try {
      replay(p, "1 1 1 1");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InterleaveScheduleError);
      expect((e as InterleaveScheduleError).position).toBe(4);
      expect((e as Error).message).toMatch(/T1 has already finished: pick a thread that can run: 2 \(T2\)/);
    }
    expect(() => replay(lockedCounter(2, 1), "1 2")).toThrow(/Position 2 .*T2 is blocked at `lock\(m\)`/);
    expect(() => replay(twoLockDeadlock(), "1 2 1")).toThrow(/no thread can run any more/);
  });
});

describe("text form and builder", () => {
  const text = `
    # the seed's counter
    shared counter = 0
    thread T1, T2:
      read r, counter
      add r, 1
      write counter, r
  `;
  it("parses to the same program as counterRace(2,1)", () => {
    expect(parseThreadProgram(text)).toEqual(counterRace(2, 1));
    expect(explore(parseThreadProgram(text)).schedules).toBe(20n);
  });

  it("spin lock with labels, cas and jumps", () => {
    const p = parseThreadProgram(`
      shared lock = 0, counter = 0
      thread A, B:
      spin:
        cas ok, lock, 0, 1
        jz ok, spin
        inc counter
        write lock, 0
    `);
    const r = explore(p);
    expect(r.cyclic).toBe(true);
    expect(r.outcomes.map((o) => o.key)).toEqual(["lock=0, counter=2"]);
  });

  it("bad programs are named errors that say what to change", () => {
    const err = (src: string, code: string, re: RegExp) => {
      try {
        parseThreadProgram(src);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InterleaveProgramError);
        expect((e as InterleaveProgramError).code).toBe(code);
        expect((e as Error).message).toMatch(re);
      }
    };
    err("shared x = 0", "no-threads", /at least one thread/);
    err("thread A:\n  read r, y", "unknown-cell", /Unknown shared cell `y`.*shared y = 0/);
    err("shared x = 0\nthread A:\n  write x, q", "unknown-register", /Unknown register `q`/);
    err("shared x = 0\nthread A:\n  write x, x", "unknown-register", /shared cell: read it into a register first/);
    err("shared x = 0\nthread A:\n  goto nowhere", "missing-label", /missing label `nowhere`/);
    err("shared x = 0\nthread A:\n  lock m\n  unlock n", "unknown-mutex", /Unknown mutex `n`/);
    err("shared x = 0\nthread A:\n  frobnicate x", "syntax", /line 3 .*unknown step `frobnicate`/);
    err("read r, x", "syntax", /after a `thread T1:` line/);
    expect(() => threadProgram({}).build()).toThrow(InterleaveProgramError);
  });
});

describe("sample: how many is not how likely", () => {
  it("is deterministic for a seed, and uniform-per-step favours the serial orders", () => {
    const p = counterRace(2, 1);
    const a = sample(p, { runs: 4000, seed: 7 });
    const b = sample(p, { runs: 4000, seed: 7 });
    expect([...a.histogram]).toEqual([...b.histogram]);
    expect(a.runs).toBe(4000);
    // Exact share of counter=2 is 2/20 = 10 %; picking a thread uniformly at each step gives 2 · (1/2)^3 = 25 %.
    const share2 = a.outcomes.find((o) => o.key === "counter=2")!.share;
    expect(share2).toBeGreaterThan(0.22);
    expect(share2).toBeLessThan(0.28);
    for (const o of a.outcomes) expect(replay(p, o.witness).outcome).toBe(o.key);
  });

  it("PCT runs, spin loops are cut, options are checked", () => {
    const r = sample(counterRace(3, 2), { runs: 200, seed: 3, scheduler: "pct" });
    expect([...r.histogram.values()].reduce((x, y) => x + y, 0)).toBe(200);
    const spin = threadProgram({ f: 1 })
      .thread((t) => t.label("s").read("r", "f").jumpIfNe("r", 0, "s"))
      .build();
    expect(sample(spin, { runs: 3, maxSteps: 50 }).cut).toBe(3);
    expect(() => sample(counterRace(2, 1), { runs: 0 })).toThrow(InterleaveOptionError);
    expect(() => sample(counterRace(2, 1), { scheduler: "fair" as never })).toThrow(/"random" or "pct"/);
  });
});
