import { describe, expect, it } from "vitest";
import {
  boundedBuffer,
  type ExploreResult,
  explore,
  InterleaveOptionError,
  type InterleaveProgram,
  InterleaveProgramError,
  InterleaveScheduleError,
  type InterleaveStep,
  interleavingTree,
  parseThreadProgram,
  replay,
  replayTableRows,
  runOnce,
  sample,
  scheduleDeadlocks,
  semaphoreBuffer,
  threadProgram,
  violations,
} from "../../lib/interleave/index";
import { interleaveTableHtml } from "../../lib/plot/index";

// An independent reference: every schedule of a program by plain recursion over immutable states kept in Maps (no
// caching, no code shared with lib/interleave's machine). A signal with two or more sleepers branches once per
// sleeper, as the schedule strings "3>1" do. Outcomes are labelled by kind and cells only, to compare with explore.

interface S {
  pcs: number[];
  regs: Map<string, number>[];
  cells: Map<string, number>;
  sems: Map<string, number>;
  owner: Map<string, number>;
  /** Per thread: 0 running, "cv" asleep on cv, "woken". */
  phase: (0 | string)[];
  fault: boolean;
}

function clone(s: S): S {
  return {
    pcs: s.pcs.slice(),
    regs: s.regs.map((r) => new Map(r)),
    cells: new Map(s.cells),
    sems: new Map(s.sems),
    owner: new Map(s.owner),
    phase: s.phase.slice(),
    fault: s.fault,
  };
}

function labelIndex(th: InterleaveProgram["threads"][number], l: string): number {
  const k = Object.keys(th.labels).find((x) => x === l);
  if (k === undefined) throw new Error(`no label ${l}`);
  return Object.getOwnPropertyDescriptor(th.labels, k)?.value as number;
}

function val(s: S, t: number, v: string | number): number {
  return typeof v === "number" ? v : (s.regs[t].get(v) ?? 0);
}

function sleepersOf(p: InterleaveProgram, s: S, t: number): number[] {
  const st = p.threads[t].steps[s.pcs[t]];
  if (st?.op !== "signal") return [];
  return s.phase.flatMap((ph, u) => (ph === st.cv ? [u] : []));
}

function exec(p: InterleaveProgram, s: S, t: number, wake: number): S {
  const th = p.threads[t];
  const st: InterleaveStep = th.steps[s.pcs[t]];
  const n = clone(s);
  let pc = s.pcs[t] + 1;
  const setCell = (c: string, v: number) => {
    n.cells.set(c, v);
    for (const inv of p.invariants ?? []) if (inv.cell === c && (v < inv.min || v > inv.max)) n.fault = true;
  };
  switch (st.op) {
    case "read":
      n.regs[t].set(st.reg, s.cells.get(st.cell) as number);
      break;
    case "write":
      setCell(st.cell, val(s, t, st.value));
      break;
    case "add":
      n.regs[t].set(st.reg, val(s, t, st.reg) + val(s, t, st.value));
      break;
    case "set":
      n.regs[t].set(st.reg, val(s, t, st.value));
      break;
    case "lock":
      n.owner.set(st.mutex, t);
      break;
    case "unlock":
      if (s.owner.get(st.mutex) !== t) n.fault = true;
      else n.owner.delete(st.mutex);
      break;
    case "wait":
      if (s.phase[t] === "woken") {
        n.owner.set(st.mutex, t);
        n.phase[t] = 0;
      } else {
        pc = s.pcs[t];
        if (s.owner.get(st.mutex) !== t) n.fault = true;
        else {
          n.owner.delete(st.mutex);
          n.phase[t] = st.cv;
        }
      }
      break;
    case "signal": {
      const ws = s.phase.flatMap((ph, u) => (ph === st.cv ? [u] : []));
      if (ws.length > 0) n.phase[wake >= 0 ? wake : ws[0]] = "woken";
      break;
    }
    case "broadcast":
      s.phase.forEach((ph, u) => {
        if (ph === st.cv) n.phase[u] = "woken";
      });
      break;
    case "down":
      n.sems.set(st.sem, (s.sems.get(st.sem) as number) - 1);
      break;
    case "up":
      n.sems.set(st.sem, (s.sems.get(st.sem) as number) + 1);
      break;
    case "yield":
      break;
    case "jump": {
      const c = st.cond;
      const go =
        !c || (c.test === "==" ? val(s, t, c.reg) === val(s, t, c.value) : val(s, t, c.reg) !== val(s, t, c.value));
      if (go) pc = labelIndex(th, st.label);
      break;
    }
    default:
      throw new Error(`reference: no ${st.op}`);
  }
  n.pcs[t] = pc;
  return n;
}

function runnable(p: InterleaveProgram, s: S, t: number): boolean {
  if (s.fault) return false;
  const st = p.threads[t].steps[s.pcs[t]];
  if (!st) return false;
  if (st.op === "lock") return !s.owner.has(st.mutex);
  if (st.op === "down") return (s.sems.get(st.sem) as number) > 0;
  if (st.op === "wait") return s.phase[t] === 0 || (s.phase[t] === "woken" && !s.owner.has(st.mutex));
  return true;
}

function kindOf(p: InterleaveProgram, s: S): string {
  if (s.fault) return "fault";
  return s.pcs.every((pc, t) => pc >= p.threads[t].steps.length) ? "done" : "deadlock";
}

/** Schedules per "kind|cells" by brute force (every schedule enumerated one by one). */
function bruteForce(p: InterleaveProgram): Map<string, bigint> {
  const cells = Object.keys(p.cells);
  const init: S = {
    pcs: p.threads.map(() => 0),
    regs: p.threads.map(() => new Map()),
    cells: new Map(cells.map((c) => [c, Object.getOwnPropertyDescriptor(p.cells, c)?.value as number])),
    sems: new Map(
      Object.keys(p.semaphores ?? {}).map((k) => [k, Object.getOwnPropertyDescriptor(p.semaphores, k)?.value]),
    ),
    owner: new Map(),
    phase: p.threads.map(() => 0),
    fault: false,
  };
  const out = new Map<string, bigint>();
  const go = (s: S) => {
    let moved = false;
    p.threads.forEach((_, t) => {
      if (!runnable(p, s, t)) return;
      moved = true;
      const ws = sleepersOf(p, s, t);
      if (ws.length >= 2) for (const w of ws) go(exec(p, s, t, w));
      else go(exec(p, s, t, -1));
    });
    if (!moved) {
      const key = `${kindOf(p, s)}|${cells.map((c) => `${c}=${s.cells.get(c)}`).join(", ")}`;
      out.set(key, (out.get(key) ?? 0n) + 1n);
    }
  };
  go(init);
  return out;
}

/** explore's histogram in the reference's terms. */
function byKind(r: ExploreResult): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const o of r.outcomes) {
    const cells = Object.keys(r.program.cells)
      .map((c) => `${c}=${o.cells[c]}`)
      .join(", ");
    const k = `${o.kind}|${cells}`;
    m.set(k, (m.get(k) ?? 0n) + (o.count as bigint));
  }
  return m;
}

const sorted = (m: Map<string, bigint>) => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));

/** Explore with and without symmetry reduction agrees with brute force, and every witness replays to its outcome. */
function checkAll(p: InterleaveProgram): ExploreResult {
  const a = explore(p);
  const b = explore(p, { symmetry: false });
  const ref = bruteForce(p);
  expect(sorted(byKind(a))).toEqual(sorted(ref));
  expect(sorted(byKind(b))).toEqual(sorted(ref));
  expect(a.schedules).toBe(b.schedules);
  expect(a.states).toBe(b.states);
  expect(a.deadlockStates).toBe(b.deadlockStates);
  expect(a.outcomes.map((o) => [o.key, o.count])).toEqual(b.outcomes.map((o) => [o.key, o.count]));
  for (const r of [a, b]) {
    for (const o of r.outcomes) expect(replay(p, o.witness).outcome).toBe(o.key);
    for (const d of r.deadlocks) expect(replay(p, d.witness).outcome).toBe(d.key);
  }
  return a;
}

describe("condition variables: Mesa semantics, counted by hand", () => {
  const lostWakeup = `
    cond cv
    thread A:
      lock m
      wait cv, m
      unlock m
    thread B:
      lock m
      signal cv
      unlock m
  `;

  it("a signal before the wait is lost: the waiter sleeps forever (2 schedules, one deadlock)", () => {
    // A first: lock, wait (asleep); B must then run: lock, signal (A woken, m still held), unlock; A locks again and
    // unlocks: "1 1 2 2 2 1 1". B first: lock, signal (nobody sleeps: no-op), unlock; A: lock, wait — asleep, and
    // nobody is left to wake it: "2 2 2 1 1". Between a lock and its unlock only the holder can move.
    const p = parseThreadProgram(lostWakeup);
    const r = checkAll(p);
    expect(r.schedules).toBe(2n);
    expect(r.outcomes.map((o) => [o.key, o.count, o.witness])).toEqual([
      ["(no cells)", 1n, "1 1 2 2 2 1 1"],
      ["deadlock (A sleeps on cv); (no cells)", 1n, "2 2 2 1 1"],
    ]);
    expect(r.deadlocks[0]).toMatchObject({ asleep: { A: "cv" }, waiting: {}, holders: {}, finished: ["B"] });
  });

  it("replay shows the wait's two steps: release + sleep, then lock again once woken", () => {
    const r = replay(parseThreadProgram(lostWakeup), "1 1 2 2 2 1 1");
    expect(r.steps.map((s) => s.text)).toEqual([
      "lock(m)",
      "wait(cv, m)",
      "lock(m)",
      "signal(cv)",
      "unlock(m)",
      "lock(m) again (woken from cv)",
      "unlock(m)",
    ]);
    expect(r.steps[1].after.locks).toEqual({ m: null });
    expect(r.steps[1].after.asleep).toEqual({ cv: ["A"] });
    expect(r.steps[1].after.next[0]).toEqual({ text: "wait(cv, m): asleep", status: "blocked" });
    expect(r.steps[3].woke).toEqual(["A"]);
    expect(r.steps[3].after.next[0]).toEqual({ text: "lock(m) again (woken from cv)", status: "blocked" });
    expect(r.steps[4].after.next[0].status).toBe("ready");
    expect(r.status).toBe("done");
  });

  it("a signal with two sleepers is a choice: one schedule per sleeper, written 3>1 and 3>2", () => {
    // W1, W2 go to sleep first (in either order: 2 ways), then S signals: wakes W1 or W2 (2 ways). The woken one
    // locks again (S holds m until its unlock) and finishes; the other sleeps forever. Any other order: S's signal
    // finds one sleeper or none. Brute force counts the same, branching on the sleeper.
    const p = threadProgram()
      .cond("cv")
      .thread("W1", (t) => t.lock("m").wait("cv", "m").unlock("m"))
      .thread("W2", (t) => t.lock("m").wait("cv", "m").unlock("m"))
      .thread("S", (t) => t.lock("m").signal("cv").unlock("m"))
      .build();
    const r = checkAll(p);
    expect(r.symmetry.applied).toBe(true);
    const w = r.outcomes.map((o) => o.witness).filter((x) => x.includes(">"));
    expect(w.length).toBeGreaterThan(0);
    const rp = replay(p, "1 1 2 2 3 3>2 3 2 2");
    expect(rp.steps[5].woke).toEqual(["W2"]);
    expect(rp.outcome).toBe("deadlock (W1 sleeps on cv); (no cells)");
    expect(() => replay(p, "1 1 2 2 3 3")).toThrow('may wake any of W1, W2: say which one it wakes: "3>1" or "3>2".');
    expect(() => replay(p, "1>2 1")).toThrow("W2 cannot be woken there: its step `lock(m)` is no signal");
  });

  it("broadcast wakes every sleeper; they then compete for the mutex", () => {
    const p = threadProgram()
      .cond("cv")
      .thread("W1", (t) => t.lock("m").wait("cv", "m").unlock("m"))
      .thread("W2", (t) => t.lock("m").wait("cv", "m").unlock("m"))
      .thread("S", (t) => t.lock("m").broadcast("cv").unlock("m"))
      .build();
    checkAll(p);
    const rp = replay(p, "1 1 2 2 3 3 3 2 2 1 1");
    expect(rp.steps[5].woke).toEqual(["W1", "W2"]);
    expect(rp.status).toBe("done");
  });

  it("a wait without holding the mutex is a fault with a witness", () => {
    const p = parseThreadProgram(`
      cond cv
      thread A:
        lock m
        unlock m
        wait cv, m
      thread B:
        lock m
        unlock m
    `);
    const r = checkAll(p);
    const f = r.outcomes.filter((o) => o.kind === "fault");
    // A unlocked m: the wait then faults whether m is free or B holds it.
    expect(f.map((o) => o.fault)).toEqual([
      "A waited on cv without holding m (B holds it)",
      "A waited on cv without holding m (nobody holds it)",
    ]);
    expect(f[0].faultKind).toBe("wait");
  });
});

describe("semaphores", () => {
  it("down blocks at 0, up never blocks: a semaphore at 0 orders two threads (1 schedule)", () => {
    const p = parseThreadProgram(`
      shared x = 0
      sem ready = 0
      thread A:
        down ready
        read r, x
      thread B:
        write x, 1
        up ready
    `);
    const r = checkAll(p);
    expect(r.outcomes.map((o) => [o.key, o.count, o.witness])).toEqual([["x=1", 1n, "2 2 1 1"]]);
    expect(replay(p, "2").final.next[0]).toEqual({ text: "down(ready)", status: "blocked" });
    expect(() => replay(p, "1")).toThrow("A is blocked at `down(ready)` (semaphore ready is 0)");
  });

  it("a semaphore at 2 lets two threads in, the third waits: deadlock when nobody ups", () => {
    const p = threadProgram({ x: 0 })
      .sem({ s: 2 })
      .thread((t) => t.down("s").write("x", 1))
      .thread((t) => t.down("s").write("x", 1))
      .thread((t) => t.down("s").write("x", 1))
      .build();
    const r = checkAll(p);
    // Two downs succeed, the third blocks for good: 3 choices of the thread left out, each with the 4!/(2!·2!) = 6
    // orders of the other two threads' 2 steps, and the left-out thread's blocked down can come at no point (it
    // cannot run once s = 0, and before that it would have got in): 18 schedules, all deadlocked.
    expect(r.schedules).toBe(18n);
    expect(r.outcomes.map((o) => [o.key, o.count])).toEqual([
      ["deadlock (T1 waits in down(s)); x=1", 6n],
      ["deadlock (T2 waits in down(s)); x=1", 6n],
      ["deadlock (T3 waits in down(s)); x=1", 6n],
    ]);
    const d = r.deadlocks.find((x) => x.key.startsWith("deadlock (T3"));
    expect(d?.downs).toEqual({ T3: "s" });
    expect(d?.semaphores).toEqual({ s: 0 });
  });
});

describe("bounded buffer (boundedBuffer preset)", () => {
  it('guard "while" (default: 1 producer, 2 consumers, capacity 1, 2 items): no violation, 32 schedules', () => {
    const r = checkAll(boundedBuffer());
    expect(violations(r)).toEqual([]);
    expect(r.schedules).toBe(32n);
    expect(r.outcomes.map((o) => o.key)).toEqual(["count=0"]);
  });

  it('guard "if": a consumer woken after the other one emptied the buffer takes count below 0 (4 of 32)', () => {
    const p = boundedBuffer({ guard: "if" });
    const r = checkAll(p);
    const v = violations(r);
    expect(v.map((x) => [x.outcome, x.schedules])).toEqual([
      ["fault: C1 took count below 0 (invariant 0 ≤ count ≤ 1); count=-1", 2n],
      ["fault: C2 took count below 0 (invariant 0 ≤ count ≤ 1); count=-1", 2n],
    ]);
    // The witness: C1 finds the buffer empty and sleeps, P1 puts an item and wakes C1, C2 takes it first; C1 goes on
    // without checking again.
    const w = replay(p, v[0].witness);
    expect(w.status).toBe("fault");
    expect(w.steps.map((s) => `${s.threadName}: ${s.text}`).slice(0, 4)).toEqual([
      "C1: lock(m)",
      "C1: c = count",
      "C1: if c != 0 goto go1",
      "C1: wait(notEmpty, m)",
    ]);
    expect(r.schedules).toBe(32n);
  });

  it("one condition variable with signal gets stuck with everyone asleep; broadcast or two cvs do not", () => {
    const stuck = checkAll(boundedBuffer({ conditions: 1 }));
    expect(violations(stuck).map((x) => [x.outcome, x.schedules])).toEqual([
      ["deadlock (P1 sleeps on cv, C1 sleeps on cv); count=0", 2n],
      ["deadlock (P1 sleeps on cv, C2 sleeps on cv); count=0", 2n],
    ]);
    expect(stuck.schedules).toBe(40n);
    expect(stuck.deadlocks.map((d) => d.asleep)).toContainEqual({ P1: "cv", C1: "cv" });
    const wit = violations(stuck)[0].witness;
    expect(wit).toMatch(/>/); // the consumer's signal woke the other consumer, not the producer
    const fixed = checkAll(boundedBuffer({ conditions: 1, wake: "broadcast" }));
    expect(violations(fixed)).toEqual([]);
    expect(fixed.schedules).toBe(40n);
  });

  it("bigger buffers: exact counts with and without symmetry reduction", () => {
    const a = explore(boundedBuffer({ guard: "if", items: 4 }));
    expect(a.schedules).toBe(3496n);
    expect(violations(a).map((x) => x.schedules)).toEqual([284n, 284n]);
    const b = explore(boundedBuffer({ conditions: 1, producers: 2, consumers: 2, items: 4 }));
    const c = explore(boundedBuffer({ conditions: 1, producers: 2, consumers: 2, items: 4 }), { symmetry: false });
    expect(b.schedules).toBe(183544n);
    expect(c.schedules).toBe(183544n);
    expect(b.outcomes.map((o) => [o.key, o.count])).toEqual(c.outcomes.map((o) => [o.key, o.count]));
    expect(b.symmetry.explored).toBeLessThan(c.symmetry.explored);
    expect(violations(b).reduce((s, x) => s + (x.schedules as bigint), 0n)).toBe(183544n - 156624n);
    expect(explore(boundedBuffer({ items: 4, capacity: 2 })).schedules).toBe(3516n);
  });

  it("bad options are named errors that say what to change", () => {
    expect(() => boundedBuffer({ gaurd: "if" } as never)).toThrow(
      "The options object of boundedBuffer has no key `gaurd`: did you mean `guard`? Valid keys: capacity, producers, consumers, " +
        "items, guard, wake, conditions.",
    );
    expect(() => boundedBuffer({ guard: "until" as never })).toThrow('Expected `guard` to be "while" or "if"');
    expect(() => boundedBuffer({ items: 3 })).toThrow("split evenly over the 2 consumers");
    expect(() => boundedBuffer({ capacity: 0 })).toThrow("Expected `capacity` to be an integer from 1 to 8, got 0");
    expect(() => semaphoreBuffer({ mutex: "no" as never })).toThrow("Expected `mutex` to be true or false");
  });
});

describe("bounded buffer with semaphores (semaphoreBuffer preset)", () => {
  it("with the mutex: every item gets its own slot (in = out = 2)", () => {
    const r = checkAll(semaphoreBuffer());
    expect(violations(r, { in: 2, out: 2 })).toEqual([]);
    expect(r.schedules).toBe(2552n);
  });

  it("without the mutex, two producers can fill the same slot: an item is lost (in = 1)", () => {
    const r = checkAll(semaphoreBuffer({ mutex: false }));
    expect(violations(r, { in: 2, out: 2 }).map((x) => [x.outcome, x.schedules])).toEqual([["in=1, out=2", 3100n]]);
    expect(r.schedules).toBe(5754n);
  });

  it("without the mutex but room for one (capacity 1), or one producer and one consumer: nothing is lost", () => {
    expect(violations(checkAll(semaphoreBuffer({ mutex: false, capacity: 1 })), { in: 2, out: 2 })).toEqual([]);
    const spsc = checkAll(semaphoreBuffer({ mutex: false, producers: 1, consumers: 1, items: 3 }));
    expect(violations(spsc, { in: 3, out: 3 })).toEqual([]);
  });
});

describe("errors a learner can cause", () => {
  const err = (f: () => unknown): [string, string] => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InterleaveProgramError);
      return [(e as InterleaveProgramError).code, (e as Error).message];
    }
    throw new Error("did not throw");
  };

  it("unknown condition variable or semaphore, with the declaration to add", () => {
    expect(err(() => parseThreadProgram("thread A:\n lock m\n wait cv, m"))).toEqual([
      "unknown-condition",
      "Unknown condition variable `cv` in thread A, step 2 (`wait(cv, m)`): declare it (`cond cv`, or " +
        '.cond("cv")) — known condition variables: none.',
    ]);
    expect(err(() => parseThreadProgram("cond cv\nthread A:\n signal full"))[0]).toBe("unknown-condition");
    expect(err(() => parseThreadProgram("cond cv\nthread A:\n broadcast cv2"))[0]).toBe("unknown-condition");
    expect(err(() => parseThreadProgram("sem s = 1\nthread A:\n down t"))).toEqual([
      "unknown-semaphore",
      "Unknown semaphore `t` in thread A, step 1 (`down(t)`): declare it with its initial value (`sem t = 1`, " +
        "or .sem({ t: 1 })) — known semaphores: `s`.",
    ]);
    expect(err(() => parseThreadProgram("cond s\nthread A:\n up s"))[1]).toContain("(`s` is a condition variable)");
  });

  it("negative or fractional semaphore, clashing names, a wait on a mutex nobody locks", () => {
    expect(err(() => parseThreadProgram("sem s = -1\nthread A:\n up s"))).toEqual([
      "bad-operand",
      "Expected semaphore `s` to start at an integer ≥ 0, got -1: a semaphore counts free units, so give it 0 or more " +
        "(e.g. `sem s = 1`).",
    ]);
    expect(
      err(() =>
        threadProgram()
          .sem({ s: 0.5 })
          .thread((t) => t.up("s"))
          .build(),
      )[0],
    ).toBe("bad-operand");
    expect(err(() => parseThreadProgram("shared x = 0\ncond x\nthread A:\n signal x"))).toEqual([
      "duplicate-name",
      "The name `x` is both a shared cell and a condition variable: give each its own name.",
    ]);
    expect(err(() => parseThreadProgram("cond c, c\nthread A:\n signal c"))[1]).toBe(
      "`c` is declared twice as a condition variable: declare it once.",
    );
    expect(err(() => parseThreadProgram("sem s = 1, s = 2\nthread A:\n up s"))[1]).toContain("declared twice");
    expect(err(() => parseThreadProgram("cond m\nthread A:\n lock m\n unlock m"))[0]).toBe("duplicate-name");
    expect(err(() => parseThreadProgram("cond c\nthread A:\n wait c, m"))[1]).toContain(
      "Unknown mutex `m` in thread A, step 1 (`wait(c, m)`): wait releases a mutex the thread holds",
    );
  });

  it("syntax of the new statements", () => {
    expect(err(() => parseThreadProgram("cond c\nthread A:\n wait c"))[1]).toBe(
      "Cannot read line 3 (`wait c`): `wait` takes 2 argument(s): `wait cv, m`.",
    );
    expect(err(() => parseThreadProgram("sem s\nthread A:\n up s"))[1]).toContain("expected `sem name = integer`");
    expect(err(() => parseThreadProgram("shared x\ninvariant x < 3\nthread A:\n read r, x"))[1]).toContain(
      "expected `invariant min <= cell <= max`",
    );
    expect(err(() => parseThreadProgram("shared x = 5\ninvariant 0 <= x <= 3\nthread A:\n read r, x"))[1]).toBe(
      "Cell `x` starts at 5, which already breaks the invariant 0 ≤ x ≤ 3: change its initial value or the bounds.",
    );
    expect(err(() => parseThreadProgram("invariant 0 <= y <= 3\nthread A:\n yield"))[0]).toBe("unknown-cell");
  });
});

describe("the other entry points know the new steps", () => {
  it("sample: random runs pick the sleeper at random too; every witness replays to its outcome", () => {
    const p = boundedBuffer({ conditions: 1 });
    const s = sample(p, { runs: 400, seed: 7 });
    expect(s.runs).toBe(400);
    expect(s.outcomes.map((o) => o.key)).toEqual(explore(p).outcomes.map((o) => o.key));
    for (const o of s.outcomes) expect(replay(p, o.witness).outcome).toBe(o.key);
    const again = sample(p, { runs: 400, seed: 7 });
    expect([...again.histogram]).toEqual([...s.histogram]);
    const pct = sample(p, { runs: 200, scheduler: "pct", seed: 3 });
    for (const o of pct.outcomes) expect(replay(p, o.witness).outcome).toBe(o.key);
  });

  it("runOnce: a scheduler without wake() wakes the lowest-numbered sleeper; a bad wake() is a named error", () => {
    const p = threadProgram()
      .cond("cv")
      .thread("W1", (t) => t.lock("m").wait("cv", "m").unlock("m"))
      .thread("W2", (t) => t.lock("m").wait("cv", "m").unlock("m"))
      .thread("S", (t) => t.lock("m").signal("cv").unlock("m"))
      .build();
    const lowest = (runnable: readonly number[]) => runnable[0];
    expect(runOnce(p, lowest)).toEqual({
      schedule: "1 1 2 2 3 3>1 3 1 1",
      status: "deadlock",
      outcome: "deadlock (W2 sleeps on cv); (no cells)",
    });
    const bad = { name: "bad", next: lowest, wake: () => 3 };
    expect(() => runOnce(p, bad)).toThrow(InterleaveScheduleError);
    expect(() => runOnce(p, bad)).toThrow(
      'Scheduler "bad" picked thread 3 at step 6, whose `signal(cv)` may wake any of W1, W2, not 3: say which one it ' +
        'wakes: "3>1" or "3>2".',
    );
  });

  it("the interleaving tree branches on the sleeper too: as many leaves as explore counts schedules", () => {
    for (const p of [
      boundedBuffer({ conditions: 1 }),
      threadProgram()
        .cond("cv")
        .thread("W1", (t) => t.lock("m").wait("cv", "m").unlock("m"))
        .thread("W2", (t) => t.lock("m").wait("cv", "m").unlock("m"))
        .thread("S", (t) => t.lock("m").signal("cv").unlock("m"))
        .build(),
    ]) {
      const tree = interleavingTree(p, { maxLeaves: 1000, maxDepth: 200 });
      expect(BigInt(tree.leaves)).toBe(explore(p).schedules);
      expect(tree.nodes.some((n) => n.wake >= 0 && n.schedule.endsWith(`>${n.wake + 1}`))).toBe(true);
    }
  });

  it("preemption bounds and maxSteps count the same with and without symmetry reduction", () => {
    for (const p of [boundedBuffer({ guard: "if" }), boundedBuffer({ conditions: 1 }), semaphoreBuffer()]) {
      for (const options of [{ preemptionBound: 0 }, { preemptionBound: 1 }, { maxSteps: 20 }]) {
        const a = explore(p, options);
        const b = explore(p, { ...options, symmetry: false });
        expect([a.schedules, a.truncated, a.states, a.deadlockStates]).toEqual([
          b.schedules,
          b.truncated,
          b.states,
          b.deadlockStates,
        ]);
        expect(a.outcomes.map((o) => [o.key, o.count])).toEqual(b.outcomes.map((o) => [o.key, o.count]));
      }
    }
    // The "if" bug needs no preemption at all: every switch in its witness comes when a thread sleeps or finishes.
    // C1 finds the buffer empty and sleeps; P1 puts item 1 (waking C1), finds the buffer full for item 2 and sleeps;
    // C2 takes item 1 (waking P1) and finishes; C1 locks again and takes from the empty buffer.
    const none = explore(boundedBuffer({ guard: "if" }), { preemptionBound: 0 });
    expect(none.schedules).toBe(16n);
    expect(violations(none).map((v) => [v.schedules, v.witness])).toEqual([
      [1n, "2 2 2 2 1 1 1 1 1 1 1 1 1 1 1 3 3 3 3 3 3 3 2 2 2 2"],
      [1n, "3 3 3 3 1 1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 3 3 3 3"],
    ]);
  });
});

describe("symmetry reduction with sleepers of the same code", () => {
  // A barrier for 3 interchangeable threads: the last to arrive wakes the others. The two sleepers have the same pc,
  // wait phase and (dead, zeroed) registers, so under symmetry they form one run: one transition of multiplicity 2.
  const barrier = (last: string, afterWake: string) =>
    parseThreadProgram(`
      shared n = 0
      cond cv
      thread A, B, C:
        lock m
        read r, n
        add r, 1
        write n, r
        jeq r, 3, last
        wait cv, m
        ${afterWake}
        goto out
      last:
        ${last}
      out:
        unlock m
    `);

  it("signal wakes one of the two sleepers: the other sleeps forever (a lost wake-up), counted exactly", () => {
    // By hand: the three critical sections run one at a time (a sleeper has released m), in 3! = 6 orders; the last
    // thread's signal then wakes one of 2 sleepers: 12 schedules. Thread X is left asleep when it is not last (4
    // orders) and not chosen (1 of 2): 4 schedules each.
    const r = checkAll(barrier("signal cv", "yield"));
    expect(r.symmetry.applied).toBe(true);
    expect(r.outcomes.map((o) => [o.key, o.count])).toEqual([
      ["deadlock (A sleeps on cv); n=3", 4n],
      ["deadlock (B sleeps on cv); n=3", 4n],
      ["deadlock (C sleeps on cv); n=3", 4n],
    ]);
    expect(r.outcomes.some((o) => o.witness.includes(">"))).toBe(true);
    expect(scheduleDeadlocks(r.program, r.outcomes[0].witness)).toBe(true);
  });

  it("broadcast, or each woken thread passing the signal on, lets everyone through", () => {
    // 6 orders of arrival × 2 (which woken thread locks m first; or which one the first signal wakes) = 12.
    for (const p of [barrier("broadcast cv", "yield"), barrier("signal cv", "signal cv")]) {
      const r = checkAll(p);
      expect(r.outcomes.map((o) => [o.key, o.count])).toEqual([["n=3", 12n]]);
      expect(r.symmetry.explored).toBeLessThan(r.states);
    }
  });
});

describe("schedules that name a sleeper", () => {
  const p = boundedBuffer({ conditions: 1 });
  const stuck = explore(p).outcomes.find((o) => o.kind === "deadlock");

  it("a witness with a choice replays; a choice out of range or on the wrong step is a named error", () => {
    expect(stuck?.witness).toMatch(/ \d>\d /);
    expect(replay(p, stuck?.witness ?? "").status).toBe("deadlock");
    expect(() => replay(p, "1>9")).toThrow(InterleaveScheduleError);
    expect(() => replay(p, "1>9")).toThrow('Position 1 of the schedule is "1>9"');
    expect(() => replay(p, "1>0")).toThrow(InterleaveScheduleError);
    expect(() => replay(p, "2 2 2 2 1>2")).toThrow(
      'Position 5 of the schedule is "1>2", but C1 cannot be woken there: its step `lock(m)` is no signal.',
    );
  });

  it("a signal with one sleeper needs no choice but accepts the right one; nobody asleep: a no-op", () => {
    const q = parseThreadProgram(`
      cond cv
      thread A:
        lock m
        wait cv, m
        unlock m
      thread B:
        signal cv
    `);
    expect(replay(q, "1 1 2 1 1").status).toBe("done");
    expect(replay(q, "1 1 2>1 1 1").steps[2].woke).toEqual(["A"]);
    expect(() => replay(q, "2>1")).toThrow("its `signal(cv)` has nobody to wake");
    expect(replay(q, "2 1 1").outcome).toBe("deadlock (A sleeps on cv); (no cells)");
    const noWaits = threadProgram()
      .cond("cv")
      .thread((t) => t.signal("cv").broadcast("cv"))
      .build();
    expect(explore(noWaits).outcomes.map((o) => [o.key, o.count])).toEqual([["(no cells)", 1n]]);
  });

  it("the figures of lib/plot draw runs with waits and signals", () => {
    const r = replay(p, stuck?.witness ?? "");
    expect(interleaveTableHtml(r)).toContain("wait(cv, m)");
    expect(replayTableRows(r)[0]).toHaveProperty("asleep on cv");
  });
});

describe("options of the explorer's entry points (issue 18)", () => {
  it("null or a misspelled key is a named error naming the closest key", () => {
    const p = boundedBuffer();
    expect(() => explore(p, null as never)).toThrow(InterleaveOptionError);
    expect(() => explore(p, { maxState: 10 } as never)).toThrow("has no key `maxState`: did you mean `maxStates`?");
    expect(() => sample(p, { run: 10 } as never)).toThrow("did you mean `runs`?");
    expect(() => runOnce(p, (r) => r[0], { maxStep: 3 } as never)).toThrow("did you mean `maxSteps`?");
    expect(() => interleavingTree(p, { maxLeaf: 3 } as never)).toThrow("did you mean `maxLeaves`?");
    expect(() => semaphoreBuffer(null as never)).toThrow(InterleaveOptionError);
    expect(() => semaphoreBuffer({ mutx: false } as never)).toThrow("did you mean `mutex`?");
  });
});

describe("programs written by hand as objects (issue 18)", () => {
  const code = (p: unknown): [string, string] => {
    try {
      explore(p as InterleaveProgram);
    } catch (e) {
      expect(e).toBeInstanceOf(InterleaveProgramError);
      return [(e as InterleaveProgramError).code, (e as Error).message];
    }
    return ["no error", ""];
  };
  it("a wrong shape is a named error that says what is wrong, never a TypeError from inside", () => {
    expect(code(null)[0]).toBe("no-threads");
    expect(code({ cells: {}, threads: [{}] })).toEqual([
      "bad-step",
      "Expected thread 1 to be an object { name, steps: [...], labels: {...} }, got an empty object {} — build " +
        "programs with threadProgram(...) or parseThreadProgram.",
    ]);
    expect(code({ cells: {}, threads: [{ name: "", steps: [], labels: {} }] })[1]).toContain(
      'Expected thread 1 to have a name like "T1", got the empty string ""',
    );
    expect(code({ cells: {}, threads: [{ name: "A", steps: [{ op: "jmp" }], labels: {} }] })[1]).toContain(
      "Expected step 1 of thread A to be an object with a known op (read, write",
    );
    expect(code({ cells: { x: 0 }, threads: [{ name: "A", steps: [{ op: "read", cell: "x" }], labels: {} }] })[1]).toBe(
      "Expected `reg` of step 1 of thread A (`read`) to be a name, got undefined (nothing) — build programs with " +
        "threadProgram(...) or parseThreadProgram.",
    );
    expect(code({ cells: [], threads: [{ name: "A", steps: [], labels: {} }] })[0]).toBe("bad-step");
    expect(code({ cells: {}, threads: [{ name: "A", steps: [{ op: "wait", cv: "c" }], labels: {} }] })[0]).toBe(
      "bad-step",
    );
    expect(code({ cells: {}, conditions: "c", threads: [{ name: "A", steps: [], labels: {} }] })[0]).toBe(
      "bad-operand",
    );
    expect(code({ cells: {}, semaphores: { s: "1" }, threads: [{ name: "A", steps: [], labels: {} }] })[0]).toBe(
      "bad-operand",
    );
    expect(code({ cells: {}, threads: [{ name: "A", steps: [{ op: "yield" }] }] })[0]).toBe("no error");
  });
});
