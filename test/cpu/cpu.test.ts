import { describe, expect, it } from "vitest";
import {
  add,
  addi,
  allOrders,
  CpuProgramError,
  CpuScheduleError,
  classifyRun,
  concurrentWithin,
  countOrders,
  cycleTable,
  fewestCycles,
  load,
  ordersThatFit,
  program,
  runCpu,
  seedPrograms,
  store,
  sumProgram,
  surveyOrders,
} from "../../lib/cpu/index";

const memory = { a: 1, b: 2, c: 3, d: 4 };
const [A, B] = seedPrograms();

describe("the seed's clock-cycle tables", () => {
  it("a + b alone takes 3 cycles on one core and on two", () => {
    expect(runCpu([A], "sequential", { memory }).cycles).toBe(3);
    expect(runCpu([A], "parallel", { memory, cores: 2 }).cycles).toBe(3);
  });

  it("(a+b) and (c+d): 6 cycles on one core, 3 on two, same results", () => {
    const one = runCpu([A, B], "sequential", { memory });
    const two = runCpu([A, B], "parallel", { memory, cores: 2 });
    expect(one.cycles).toBe(6);
    expect(two.cycles).toBe(3);
    expect(one.scheduleText).toBe("A A A B B B");
    expect(two.scheduleText).toBe("A|B A|B A|B");
    expect(one.registerValues).toEqual({ A: { a: 1, b: 2, ab: 3 }, B: { c: 3, d: 4, cd: 7 } });
    expect(two.registerValues).toEqual(one.registerValues);
    expect(
      cycleTable([
        { label: "1", run: one },
        { label: "2", run: two },
      ])[3],
    ).toEqual({ cycle: 4, "1": "load c", "2": "— finished" });
  });

  it("the interleaved order of the seed: same 6 cycles, 4 registers instead of 3; 6 without reuse", () => {
    const seq = runCpu([A, B], "sequential");
    const inter = runCpu([A, B], "A B B A A B");
    expect(inter.cycles).toBe(6);
    expect(inter.trace.map((s) => s.text)).toEqual(["load a", "load c", "load d", "load b", "a + b", "c + d"]);
    expect(seq.registersPeak).toEqual([3]);
    expect(inter.registersPeak).toEqual([4]);
    expect(inter.live.map((l) => l[0])).toEqual([1, 2, 3, 4, 3, 2]);
    expect(runCpu([A, B], "A B B A A B", { registers: "no-reuse" }).registersPeak).toEqual([6]);
    expect(runCpu([A, B], "parallel").registersPeak).toEqual([2, 2]);
  });

  it("classifies sequential, concurrent and parallel runs", () => {
    expect(classifyRun(runCpu([A, B], "sequential")).kind).toBe("sequential");
    expect(classifyRun(runCpu([A, B], "A B B A A B")).kind).toBe("concurrent");
    expect(classifyRun(runCpu([A, B], "round-robin")).kind).toBe("concurrent");
    const par = classifyRun(runCpu([A, B], "parallel"));
    expect(par).toMatchObject({ kind: "parallel", overlapping: true, simultaneous: true });
    // Two cores but never at the same instant: concurrent, not parallel.
    expect(classifyRun(runCpu([A, B], "A|- -|B A|- -|B A|- -|B")).kind).toBe("concurrent");
  });
});

describe("orders", () => {
  it("counts and lists every one-core order", () => {
    expect(countOrders([3, 3])).toBe(20n);
    expect(countOrders([3, 3, 3])).toBe(1680n);
    const orders = allOrders([A, B]);
    expect(orders).toHaveLength(20);
    expect(new Set(orders).size).toBe(20);
    expect(() => allOrders([A, B, sumProgram("C", "e", "f")], 100)).toThrow(CpuScheduleError);
  });

  it("survey: every order takes 6 cycles; 8 need 3 registers, 12 need 4", () => {
    const s = surveyOrders([A, B]);
    expect(s.orders).toBe(20);
    expect(s.cycleCounts).toEqual([6]);
    expect(s.byPeak.map((g) => [g.registers, g.schedules.length])).toEqual([
      [3, 8],
      [4, 12],
    ]);
    expect(s.byPeak[0].schedules).toContain("A A B A B B");
    // The same answer through the register limit.
    const fit = allOrders([A, B]).filter((o) => {
      try {
        runCpu([A, B], o, { registersPerCore: 3 });
        return true;
      } catch {
        return false;
      }
    });
    expect(fit).toHaveLength(8);
  });

  it("fewest cycles with whole programs on cores", () => {
    const C = sumProgram("C", "e", "f");
    expect(fewestCycles([A, B, C], 1)).toBe(9);
    expect(fewestCycles([A, B, C], 2)).toBe(6);
    expect(fewestCycles([A, B, C], 3)).toBe(3);
    const long = program("L", [load("x"), load("y"), add("s", "x", "y"), addi("s", "s", 1), store("z", "s")]);
    expect(fewestCycles([A, B, long], 2)).toBe(6);
  });
});

describe("memory: parallel increments lose an update", () => {
  it("two increments in the same cycles store 1, one after the other 2", () => {
    const inc = (n: string) => program(n, [load("x"), addi("x", "x", 1), store("x", "x")]);
    expect(runCpu([inc("T1"), inc("T2")], "parallel", { memory: { x: 0 } }).memory.x).toBe(1);
    expect(runCpu([inc("T1"), inc("T2")], "sequential", { memory: { x: 0 } }).memory.x).toBe(2);
    expect(runCpu([inc("T1"), inc("T2")], "T1 T2 T1 T2 T1 T2", { memory: { x: 0 } }).memory.x).toBe(1);
  });
});

describe("bad programs and schedules say what to fix", () => {
  it("programs", () => {
    expect(() => program("A", [add("s", "a", "b")])).toThrow(/reads register "a" before anything was loaded/);
    expect(() => program("A", [])).toThrow(CpuProgramError);
    expect(() => program("1x", [load("a")])).toThrow(/program name/);
    expect(() => program("A", [load("a"), addi("a", "a", NaN)])).toThrow(/finite/);
  });
  it("schedules", () => {
    expect(() => runCpu([A, B], "A B A B A")).toThrow(
      /Program B did not finish: step 3 \(c \+ d\) never ran. Give B 1 more cycle/,
    );
    expect(() => runCpu([A, B], "A A A A B B B")).toThrow(/only 3 steps/);
    expect(() => runCpu([A, B], "A C")).toThrow(/no program "C"/);
    expect(() => runCpu([A, B], "A|A A B B B")).toThrow(/two cores at once/);
    expect(() => runCpu([A, B], "A|B B|A A|B")).toThrow(
      /Cycle 2: program B started on core 2 but is scheduled on core 1.*keep B on one core/,
    );
    expect(() => runCpu([A, B], "A|B A|B A|B", { cores: 1 })).toThrow(/machine has 1/);
    expect(() => runCpu([A, B], "A B B A A B", { registersPerCore: 3 })).toThrow(
      /needs 4 registers \(first at cycle 4\) but has only 3/,
    );
    expect(() => runCpu([], "sequential")).toThrow(CpuScheduleError);
    expect(() => runCpu([A, A], "sequential")).toThrow(/Two programs are named "A"/);
    expect(() => runCpu([A], "", {})).toThrow(/empty/);
    expect(() => runCpu([A], "sequential", { cores: 0 })).toThrow(/cores/);
    expect(() => runCpu([A], "sequential", { memory: { a: Infinity } })).toThrow(/finite/);
  });
});

describe("chapter 01's exercises: the written solutions pass the library's checks", () => {
  it("exercise 1: [9, 6]", () => {
    const three = [A, B, sumProgram("C", "e", "f")];
    expect([runCpu(three, "sequential").cycles, fewestCycles(three, 2)]).toEqual([9, 6]);
  });
  it("exercise 2: the two solutions pass, wrong answers get a reason", () => {
    expect(concurrentWithin([A, B], "A A B A B B", 3)).toBe(true);
    expect(concurrentWithin([A, B], "B B A B A A", 3)).toBe(true);
    expect(concurrentWithin([A, B], "A A A B B B", 3)).toMatch(/sequential/);
    expect(concurrentWithin([A, B], "A B B A A B", 3)).toMatch(/needs 4 registers/);
    expect(concurrentWithin([A, B], "A|B A|B A|B", 3)).toMatch(/one core/);
  });
  it("exercise 3: sequential, concurrent, parallel", () => {
    expect(
      ["A A A B B B", "B A A A B B", "A|B A|- A|- -|B -|B"].map((s) => classifyRun(runCpu([A, B], s)).kind),
    ).toEqual(["sequential", "concurrent", "parallel"]);
  });
  it("exercise 4: 8 orders fit 3 registers", () => {
    expect(ordersThatFit([A, B], 3)).toHaveLength(8);
    expect(ordersThatFit([A, B], 4)).toHaveLength(20);
  });
});

describe("issueWidth: a superscalar core that still issues in program order", () => {
  const both = (text: string) => program("S", [load("a"), load("b"), load("c"), load("d"), ...sumOfSums(text)]);
  function sumOfSums(dst: string) {
    return [add("ab", "a", "b"), add("cd", "c", "d"), add(dst, "ab", "cd")];
  }
  /** Every register a step reads was written by an earlier step of its program in an EARLIER cycle. */
  function dependenciesRespected(progs: ReturnType<typeof program>[], run: ReturnType<typeof runCpu>): boolean {
    return progs.every((p) => {
      const steps = run.trace.filter((s) => s.program === p.name).sort((x, y) => x.step - y.step);
      return p.ops.every((op, k) => {
        const me = steps[k];
        const earlier = p.ops.slice(0, k);
        const readsOk = ["a", "b", "src"]
          .map((f) => (op as any)[f])
          .filter((r) => typeof r === "string" && op.op !== "load")
          .every((r) => {
            const w = earlier.map((o) => (o.op === "store" ? undefined : o.dst)).lastIndexOf(r);
            return w >= 0 && steps[w].cycle < me.cycle;
          });
        const memOk =
          op.op !== "load" ||
          earlier.every((o, j) => o.op !== "store" || o.to !== op.from || steps[j].cycle < me.cycle);
        const inOrder = k === 0 || steps[k - 1].cycle <= me.cycle;
        return readsOk && memOk && inOrder;
      });
    });
  }

  it("width 1 is the scalar toy: one step per core per cycle, the seed's numbers unchanged", () => {
    for (const sched of ["sequential", "round-robin", "A B B A A B", "A A B A B B"]) {
      const run = runCpu([A, B], sched, { memory, issueWidth: 1 });
      expect(run.issueWidth).toBe(1);
      expect(run.cycles).toBe(6);
      expect(run.issued.every((row) => row.every((st) => st.length <= 1))).toBe(true);
      expect(run.trace.every((s) => s.slot === 0)).toBe(true);
    }
    expect(runCpu([A, B], "A B B A A B").registersPeak).toEqual([4]);
    expect(runCpu([A, B], "parallel", { issueWidth: 1 }).cycles).toBe(3);
    // The presets are decided cycle by cycle now; at width 1 they give the same schedules as before.
    const L = program("L", [load("x"), load("y"), add("s", "x", "y"), addi("s", "s", 1), store("z", "s")]);
    expect(runCpu([A, L, B], "round-robin").scheduleText).toBe("A L B A L B A L B L L");
    expect(runCpu([A, B, L], "parallel", { cores: 2 }).scheduleText).toBe("A|B A|B A|B L|- L|- L|- L|- L|-");
    expect(runCpu([A, B, L], "sequential").scheduleText).toBe("A A A B B B L L L L L");
    expect(runCpu([A, B], "parallel", { cores: 3 }).scheduleText).toBe("A|B|- A|B|- A|B|-");
  });

  it("width 2: load a and load b of the same sum issue in cycle 1; the add waits for them", () => {
    const run = runCpu([A], "sequential", { memory, issueWidth: 2 });
    expect(run.cycles).toBe(2);
    expect(run.issued[0][0].map((s) => s.text)).toEqual(["load a", "load b"]);
    expect(run.issued[1][0].map((s) => s.text)).toEqual(["a + b"]);
    expect(run.trace.map((s) => [s.cycle, s.slot])).toEqual([
      [1, 0],
      [1, 1],
      [2, 0],
    ]);
    expect(run.registerValues.A).toEqual({ a: 1, b: 2, ab: 3 });
    expect(cycleTable([{ label: "w2", run }])[0]).toEqual({ cycle: 1, w2: "load a and load b" });
    const c = classifyRun(run);
    expect(c).toMatchObject({ kind: "sequential", instructionLevel: true });
    expect(c.why).toMatch(/load a and load b in cycle 1: instruction-level parallelism/);
    expect(classifyRun(runCpu([A], "sequential")).instructionLevel).toBe(false);
  });

  it("two sums: 4 cycles on one 2-wide core, 2 on two; registers counted per cycle", () => {
    const one = runCpu([A, B], "sequential", { memory, issueWidth: 2 });
    expect(one.cycles).toBe(4);
    expect(one.scheduleText).toBe("A A B B");
    expect(one.live.map((l) => l[0])).toEqual([2, 1, 3, 2]);
    expect(one.registersPeak).toEqual([3]);
    expect(one.registerValues).toEqual({ A: { a: 1, b: 2, ab: 3 }, B: { c: 3, d: 4, cd: 7 } });
    const two = runCpu([A, B], "parallel", { memory, issueWidth: 2 });
    expect(two.cycles).toBe(2);
    expect(two.registersPeak).toEqual([2, 2]);
    // Interleaved on one 2-wide core: a, b, c, d all held at the end of cycle 2.
    const inter = runCpu([A, B], "A B A B", { memory, issueWidth: 2 });
    expect(inter.live.map((l) => l[0])).toEqual([2, 4, 3, 2]);
    expect(inter.registersPeak).toEqual([4]);
    expect(classifyRun(inter).kind).toBe("concurrent");
    expect(() => runCpu([A, B], "A B A B A", { issueWidth: 2 })).toThrow(/only 3 steps/);
    expect(() => runCpu([A, B], "A B A", { issueWidth: 2 })).toThrow(/Program B did not finish/);
  });

  it("one task (a+b)+(c+d): 7 cycles scalar, 4 two-wide, 3 four-wide; same result", () => {
    const S = both("s");
    const m = { memory };
    expect([1, 2, 4, 8].map((w) => runCpu([S], "sequential", { ...m, issueWidth: w }).cycles)).toEqual([7, 4, 3, 3]);
    const w4 = runCpu([S], "sequential", { ...m, issueWidth: 4 });
    expect(w4.issued[0][0].map((s) => s.text)).toEqual(["load a", "load b", "load c", "load d"]);
    expect(w4.issued[1][0].map((s) => s.text)).toEqual(["a + b", "c + d"]);
    expect(w4.registerValues.S.s).toBe(10);
    expect(w4.live.map((l) => l[0])).toEqual([4, 2, 1]);
    // In order: a step that waits also holds back every step after it (an out-of-order core would not).
    const mixed = program("M", [load("a"), load("b"), add("ab", "a", "b"), load("c"), load("d"), add("cd", "c", "d")]);
    const r = runCpu([mixed], "sequential", { memory, issueWidth: 2 });
    expect(r.issued.map((row) => row[0].map((s) => s.text))).toEqual([
      ["load a", "load b"],
      ["a + b", "load c"],
      ["load d"],
      ["c + d"],
    ]);
  });

  it("a step never issues in the same cycle as a step it depends on (registers and memory)", () => {
    const inc = program("I", [load("x"), addi("x", "x", 1), store("x", "x"), load("x", "z"), addi("y", "z", 1)]);
    const progs = [A, B, both("s"), inc, program("W", [load("a", "r"), load("b", "r"), addi("r", "r", 5)])];
    for (const w of [1, 2, 3, 4, 8]) {
      for (const sched of ["sequential", "parallel", "round-robin"]) {
        const run = runCpu(progs, sched, { memory: { ...memory, x: 7 }, issueWidth: w });
        expect(dependenciesRespected(progs, run)).toBe(true);
        expect(run.issued.every((row) => row.every((st) => st.length <= w))).toBe(true);
        // Same values as the scalar machine: overlapping steps never changes what a program computes.
        const scalar = runCpu(progs, sched, { memory: { ...memory, x: 7 } });
        expect(run.registerValues).toEqual(scalar.registerValues);
        expect(run.memory).toEqual(scalar.memory);
      }
    }
    const r = runCpu([inc], "sequential", { memory: { x: 7 }, issueWidth: 4 });
    expect(r.issued.map((row) => row[0].map((s) => s.text))).toEqual([
      ["load x"],
      ["x + 1"],
      ["store x → x"],
      ["load x → z"],
      ["y = z + 1"],
    ]);
    expect(r.registerValues.I.z).toBe(8);
    // Two writes of one register in one cycle: the first value is never read, never held at a cycle's end.
    const waw = runCpu([progs[4]], "sequential", { memory, issueWidth: 2 });
    expect(waw.issued[0][0].map((s) => s.text)).toEqual(["load a → r", "load b → r"]);
    expect(waw.live.map((l) => l[0])).toEqual([1, 1]);
    expect(waw.registerValues.W.r).toBe(7);
  });

  it('SMT ("A+B"): one 2-wide core issues steps of A and B in the same cycle: 3 cycles, parallel on one core', () => {
    const smt = runCpu([A, B], "A+B A+B A+B", { memory, issueWidth: 2 });
    expect(smt.cycles).toBe(3);
    expect(smt.cores).toBe(1);
    expect(smt.issued.map((row) => row[0].map((s) => `${s.program}:${s.text}`))).toEqual([
      ["A:load a", "B:load c"],
      ["A:load b", "B:load d"],
      ["A:a + b", "B:c + d"],
    ]);
    expect(smt.scheduleText).toBe("A+B A+B A+B");
    expect(smt.registerValues).toEqual({ A: { a: 1, b: 2, ab: 3 }, B: { c: 3, d: 4, cd: 7 } });
    const c = classifyRun(smt);
    expect(c).toMatchObject({ kind: "parallel", simultaneous: true, instructionLevel: false });
    expect(c.why).toMatch(/same instant on one core \(SMT/);
    // The same core running one program per cycle: A then B, or taking turns, takes 4.
    expect(runCpu([A, B], "sequential", { memory, issueWidth: 2 }).cycles).toBe(4);
    expect(runCpu([A, B], "round-robin", { memory, issueWidth: 2 }).cycles).toBe(4);
    // Interleaving the two sums into ONE instruction stream (what a compiler's scheduler does) also takes 3.
    const stream = program("AB", [
      load("a"),
      load("c"),
      load("b"),
      load("d"),
      add("ab", "a", "b"),
      add("cd", "c", "d"),
    ]);
    expect(runCpu([stream], "sequential", { memory, issueWidth: 2 }).cycles).toBe(3);
    const byBlocks = program("AB", [
      load("a"),
      load("b"),
      add("ab", "a", "b"),
      load("c"),
      load("d"),
      add("cd", "c", "d"),
    ]);
    expect(runCpu([byBlocks], "sequential", { memory, issueWidth: 2 }).cycles).toBe(4);
    // SMT needs issue slots for both programs; a scalar core cannot.
    expect(() => runCpu([A, B], "A+B A+B A+B", { memory })).toThrow(/SMT.*pass \{ issueWidth: 2 \}/);
    // 4 slots: all four loads in cycle 1, both adds in cycle 2.
    expect(runCpu([A, B], "A+B A+B", { memory, issueWidth: 4 }).cycles).toBe(2);
  });

  it("a bad issue width says what to change", () => {
    for (const bad of [0, 1.5, 9, Number.NaN, "2" as unknown as number]) {
      expect(() => runCpu([A], "sequential", { issueWidth: bad })).toThrow(CpuScheduleError);
      expect(() => runCpu([A], "sequential", { issueWidth: bad })).toThrow(
        /`issueWidth` .* whole number from 1 to 8, got .*1 is the scalar toy/,
      );
    }
  });
});
