import { describe, expect, it } from "vitest";
import type { InterleaveStep } from "../../lib/interleave/index";
import {
  atomicCounter,
  counterRace,
  type ExploreResult,
  explore,
  flagLock,
  InterleaveOptionError,
  type InterleaveProgram,
  InterleaveStateLimitError,
  lockedCounter,
  parseThreadProgram,
  petersonLock,
  replay,
  testAndSetLock,
  threadProgram,
  twoLockDeadlock,
  twoLockOrdered,
} from "../../lib/interleave/index";

// An independent reference for the tests: enumerates every schedule of a program by plain recursion over
// immutable state objects (no caching, no shared code with lib/interleave's machine). Small programs only.

interface S {
  pcs: number[];
  regs: Record<string, number>[];
  cells: Record<string, number>;
  owner: Record<string, number>;
  fault: string | null;
}

function val(s: S, t: number, v: string | number): number {
  return typeof v === "number" ? v : (s.regs[t][v] ?? 0);
}

function exec(p: InterleaveProgram, s: S, t: number): S {
  const th = p.threads[t];
  const st: InterleaveStep = th.steps[s.pcs[t]];
  const n: S = {
    pcs: s.pcs.slice(),
    regs: s.regs.map((r) => ({ ...r })),
    cells: { ...s.cells },
    owner: { ...s.owner },
    fault: s.fault,
  };
  let pc = s.pcs[t] + 1;
  const r = n.regs[t];
  switch (st.op) {
    case "read":
      r[st.reg] = s.cells[st.cell];
      break;
    case "write":
      n.cells[st.cell] = val(s, t, st.value);
      break;
    case "add":
      r[st.reg] = (r[st.reg] ?? 0) + val(s, t, st.value);
      break;
    case "set":
      r[st.reg] = val(s, t, st.value);
      break;
    case "inc":
      if (st.reg) r[st.reg] = s.cells[st.cell];
      n.cells[st.cell] = s.cells[st.cell] + st.value;
      break;
    case "cas":
      if (s.cells[st.cell] === val(s, t, st.expected)) {
        n.cells[st.cell] = val(s, t, st.value);
        r[st.reg] = 1;
      } else r[st.reg] = 0;
      break;
    case "tas":
      r[st.reg] = s.cells[st.cell];
      n.cells[st.cell] = 1;
      break;
    case "lock":
      n.owner[st.mutex] = t;
      break;
    case "unlock":
      if (s.owner[st.mutex] !== t) n.fault = `${th.name} unlock ${st.mutex}`;
      else delete n.owner[st.mutex];
      break;
    case "yield":
      break;
    case "jump": {
      const c = st.cond;
      const go =
        !c || (c.test === "==" ? val(s, t, c.reg) === val(s, t, c.value) : val(s, t, c.reg) !== val(s, t, c.value));
      if (go) pc = th.labels[st.label];
    }
  }
  n.pcs[t] = pc;
  return n;
}

function runnable(p: InterleaveProgram, s: S, t: number): boolean {
  if (s.fault) return false;
  const st = p.threads[t].steps[s.pcs[t]];
  if (!st) return false;
  return !(st.op === "lock" && s.owner[st.mutex] !== undefined);
}

/**
 * Outcome label: "done|counter=2", "deadlock|x=0" or "fault|...". Only the kind and the cells, to compare with explore.
 */
function label(p: InterleaveProgram, s: S): string {
  const cells = Object.keys(p.cells)
    .map((c) => `${c}=${s.cells[c]}`)
    .join(", ");
  if (s.fault) return `fault|${cells}`;
  const done = p.threads.every((th, t) => s.pcs[t] >= th.steps.length);
  return `${done ? "done" : "deadlock"}|${cells}`;
}

/** Every maximal schedule (of at most maxSteps steps; longer ones are counted as "cut"): outcome label → count. */
function bruteForce(p: InterleaveProgram, maxSteps = Infinity): Map<string, number> {
  const out = new Map<string, number>();
  const init: S = {
    pcs: p.threads.map(() => 0),
    regs: p.threads.map(() => ({})),
    cells: { ...p.cells },
    owner: {},
    fault: null,
  };
  const go = (s: S, depth: number) => {
    const ts = p.threads.map((_, t) => t).filter((t) => runnable(p, s, t));
    if (ts.length === 0) {
      const k = label(p, s);
      out.set(k, (out.get(k) ?? 0) + 1);
      return;
    }
    if (depth >= maxSteps) {
      out.set("cut", (out.get("cut") ?? 0) + 1);
      return;
    }
    for (const t of ts) go(exec(p, s, t), depth + 1);
  };
  go(init, 0);
  return out;
}

/** explore's histogram in the brute force's labels. */
function asLabels(r: ExploreResult): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of r.outcomes) {
    const cells = Object.entries(o.cells)
      .map(([c, v]) => `${c}=${v}`)
      .join(", ");
    const k = `${o.kind}|${cells}`;
    m.set(k, (m.get(k) ?? 0) + Number(o.count));
  }
  if (r.truncated > 0n) m.set("cut", Number(r.truncated));
  return m;
}
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe("explore: the counter race of seed 000", () => {
  it("counterRace(2,1): 20 schedules, 18 lose an update (final counter 1 < 2), 2 give 2", () => {
    const r = explore(counterRace(2, 1));
    expect(r.schedules).toBe(20n);
    expect(r.finite).toBe(true);
    expect([...r.histogram!]).toEqual([
      ["counter=1", 18n],
      ["counter=2", 2n],
    ]);
    // Brute force agrees, and only the two serial schedules avoid the lost update.
    expect(sorted(bruteForce(counterRace(2, 1)))).toEqual([
      ["done|counter=1", 18],
      ["done|counter=2", 2],
    ]);
    const two = r.outcomes.find((o) => o.key === "counter=2")!;
    expect(["1 1 1 2 2 2", "2 2 2 1 1 1"]).toContain(two.witness);
  });

  it("counterRace(3,2): 17,153,136 schedules; counterRace(3,3): 227,873,431,500", () => {
    expect(explore(counterRace(3, 2)).schedules).toBe(17_153_136n);
    const r = explore(counterRace(3, 3));
    expect(r.schedules).toBe(227_873_431_500n);
    expect(r.histogram!.get("counter=9")).toBe(1680n); // 9!/(3!3!3!): whole increments never interleave
    expect(r.histogram!.get("counter=2")).toBe(3_776_608_476n);
    expect([...r.histogram!.values()].reduce((a, b) => a + b, 0n)).toBe(r.schedules);
  });

  it("every witness replays to its own outcome", () => {
    const p = counterRace(3, 2);
    for (const o of explore(p).outcomes) {
      const rp = replay(p, o.witness);
      expect(rp.status).toBe("done");
      expect(rp.outcome).toBe(o.key);
    }
  });

  it("agrees with brute force, outcome by outcome, on small programs", () => {
    const progs: [InterleaveProgram, number?][] = [
      [counterRace(2, 2)],
      [counterRace(3, 1)],
      [lockedCounter(2, 2)],
      [atomicCounter(3, 2)],
      [twoLockDeadlock()],
      [twoLockOrdered()],
      [flagLock(), 16],
      [testAndSetLock(), 14],
      [petersonLock(), 18],
      [parseThreadProgram("shared x = 0\nthread A:\n  lock m\n  write x, 1\nthread B:\n  unlock m\n  write x, 2")],
    ];
    for (const [p, maxSteps] of progs) {
      const r = explore(p, maxSteps === undefined ? {} : { maxSteps });
      expect(sorted(asLabels(r))).toEqual(sorted(bruteForce(p, maxSteps)));
    }
  });

  it("preemption bound: 0 preemptions = the serial orders, and bounds grow to the full count", () => {
    const p = counterRace(3, 1);
    const r0 = explore(p, { preemptionBound: 0 });
    expect(r0.schedules).toBe(6n); // 3! serial orders
    expect([...r0.histogram!]).toEqual([["counter=3", 6n]]);
    const full = explore(p).schedules!;
    let prev = 0n;
    for (let k = 0; k <= 6; k++) {
      const n = explore(p, { preemptionBound: k }).schedules!;
      expect(n >= prev).toBe(true);
      prev = n;
    }
    expect(prev).toBe(full);
    expect(explore(counterRace(2, 1), { preemptionBound: 1 }).histogram!.get("counter=1")).toBeGreaterThan(0n);
  });
});

describe("explore: locks and deadlock", () => {
  it("the locked counter always ends at threads × increments", () => {
    for (const [n, k] of [
      [2, 2],
      [3, 2],
      [2, 3],
    ]) {
      const r = explore(lockedCounter(n, k));
      expect([...r.histogram!.keys()]).toEqual([`counter=${n * k}`]);
      expect(r.deadlocks).toEqual([]);
    }
  });

  it("the atomic counter always ends at threads × increments", () => {
    expect([...explore(atomicCounter(3, 2)).histogram!.keys()]).toEqual(["counter=6"]);
  });

  it("two locks taken in opposite orders deadlock; the lock-ordering fix does not", () => {
    const r = explore(twoLockDeadlock());
    expect(r.deadlockStates).toBeGreaterThan(0);
    const d = r.deadlocks[0];
    expect(d.holders).toEqual({ RA: "T1", RB: "T2" });
    expect(d.waiting).toEqual({ T1: "RB", T2: "RA" });
    expect(replay(twoLockDeadlock(), d.witness).status).toBe("deadlock");
    expect(r.outcomes.some((o) => o.kind === "deadlock")).toBe(true);
    const fixed = explore(twoLockOrdered());
    expect(fixed.deadlockStates).toBe(0);
    expect([...fixed.histogram!]).toEqual([["x=2", 2n]]);
  });

  it("unlock of a mutex not held is a fault outcome with a witness", () => {
    const p = parseThreadProgram("shared x = 0\nthread A:\n  lock m\n  write x, 1\n  unlock m\nthread B:\n  unlock m");
    const r = explore(p);
    const f = r.outcomes.filter((o) => o.kind === "fault");
    expect(f.length).toBeGreaterThan(0);
    expect(f[0].fault).toMatch(/B unlocked m without holding it/);
    expect(replay(p, f[0].witness).status).toBe("fault");
  });
});

describe("explore: spin loops make cycles", () => {
  it("a flag lock is cyclic: outcomes reachable with witnesses, counts not finite; maxSteps makes them countable", () => {
    const r = explore(flagLock());
    expect(r.cyclic).toBe(true);
    expect(r.finite).toBe(false);
    expect(r.schedules).toBeNull();
    expect(r.outcomes.map((o) => o.key)).toEqual(["flag=0, counter=1", "flag=0, counter=2"]); // the flag lock is broken
    for (const o of r.outcomes) expect(replay(flagLock(), o.witness).outcome).toBe(o.key);
    const b = explore(flagLock(), { maxSteps: 16 });
    expect(b.finite).toBe(true);
    expect(b.truncated).toBeGreaterThan(0n);
  });

  it("test-and-set and Peterson never lose the update", () => {
    expect(explore(testAndSetLock()).outcomes.map((o) => o.cells.counter)).toEqual([2]);
    expect(explore(testAndSetLock(3)).outcomes.map((o) => o.cells.counter)).toEqual([3]);
    expect(new Set(explore(petersonLock()).outcomes.map((o) => o.cells.counter))).toEqual(new Set([2]));
  });

  it("a loop that grows a register forever stops at maxStates with a named error", () => {
    const p = threadProgram({ x: 0 })
      .thread((t) => t.label("top").add("r", 1).write("x", "r").jump("top"))
      .build();
    expect(() => explore(p, { maxStates: 1000 })).toThrow(InterleaveStateLimitError);
    expect(() => explore(p, { maxStates: 1000 })).toThrow(/maxStates = 1,000.*raise the `maxStates` option/);
  });

  it("bad options are named errors", () => {
    expect(() => explore(counterRace(2, 1), { maxStates: 0 })).toThrow(InterleaveOptionError);
    expect(() => explore(counterRace(2, 1), { preemptionBound: -1 })).toThrow(/preemptionBound/);
  });
});
