// Issue 18 item 2 for the thread language: every name a learner gives (cells, registers, labels, mutexes, condition
// variables, semaphores, threads) behaves like any other name, also when it is a key of Object.prototype.
import { describe, expect, it } from "vitest";
import {
  explore,
  extremeOutcome,
  InterleaveProgramError,
  parseThreadProgram,
  replay,
  replayTableRows,
  scheduleReaches,
  threadProgram,
  violations,
} from "../../lib/interleave/index";

const NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];

/** { [name]: value } as an own property, also for `__proto__` (JSON.parse defines own keys). */
const rec = (name: string, value: unknown) => JSON.parse(JSON.stringify({ k: value }).replace('"k"', `"${name}"`));
const own = (o: object, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InterleaveProgramError);
    return (e as InterleaveProgramError).code;
  }
  return "no error";
};

describe.each(NAMES)("the name %s", (n) => {
  it("as a shared cell: counted, replayed, read by the goals", () => {
    const p = parseThreadProgram(`shared ${n} = 0\nthread A, B:\n  read r, ${n}\n  add r, 1\n  write ${n}, r`);
    expect(Object.keys(p.cells)).toEqual([n]);
    const r = explore(p);
    expect(r.outcomes.map((o) => [o.key, o.count])).toEqual([
      [`${n}=1`, 18n],
      [`${n}=2`, 2n],
    ]);
    expect(own(r.outcomes[1].cells, n)).toBe(2);
    expect(extremeOutcome(r, n, "max").value).toBe(2);
    expect(scheduleReaches(p, "111222", rec(n, 2))).toBe(true);
    expect(scheduleReaches(p, "121212", rec(n, 2))).toContain(`${n} = 1`);
    const rp = replay(p, "111222");
    expect(own(rp.final.cells, n)).toBe(2);
    expect(own(replayTableRows(rp)[5], n)).toBe(2);
    expect(violations(r, rec(n, 2)).map((v) => v.outcome)).toEqual([`${n}=1`]);
    const b = threadProgram(rec(n, 5))
      .thread((t) => t.inc(n))
      .build();
    expect(explore(b).outcomes[0].key).toBe(`${n}=6`);
  });

  it("as a register and as a label (a jump to it works; a jump to it undefined is a named error)", () => {
    const p = parseThreadProgram(
      `shared x = 0\nthread A:\n  set ${n}, 2\n${n}:\n  add ${n}, -1\n  jnz ${n}, ${n}\n  write x, ${n}`,
    );
    const rp = replay(p, "1 1 1 1 1 1");
    expect(rp.status).toBe("done");
    expect(own(rp.steps[0].registers, n)).toBe(2);
    expect(explore(p).outcomes.map((o) => o.key)).toEqual(["x=0"]);
    expect(code(() => parseThreadProgram(`shared x = 0\nthread A:\n  goto ${n}`))).toBe("missing-label");
    expect(
      code(() =>
        threadProgram()
          .thread((t) => t.jump(n))
          .build(),
      ),
    ).toBe("missing-label");
    expect(
      code(() =>
        threadProgram()
          .thread((t) => t.label(n).yield())
          .build(),
      ),
    ).toBe("no error");
    expect(code(() => threadProgram().thread((t) => t.label(n).label(n)))).toBe("duplicate-label");
  });

  it("as a mutex, a condition variable, a semaphore and a thread", () => {
    // A condition variable and a mutex may not share a name (any name):
    expect(code(() => parseThreadProgram(`cond ${n}\nthread A:\n  lock ${n}\n  unlock ${n}`))).toBe("duplicate-name");
    const q = parseThreadProgram(
      `shared x = 0\ncond c\nthread ${n}:\n  lock ${n}\n  wait c, ${n}\n  unlock ${n}\nthread B:\n  lock ${n}\n  signal c\n  unlock ${n}`,
    );
    const r = explore(q);
    expect(r.outcomes.map((o) => o.key)).toEqual(["x=0", `deadlock (${n} sleeps on c); x=0`]);
    expect(own(r.deadlocks[0].asleep ?? {}, n)).toBe("c");
    expect(own(replay(q, "1 1 2").final.locks, n)).toBe("B");
    const cv = parseThreadProgram(
      `shared x = 0\ncond ${n}\nthread A:\n  lock m\n  wait ${n}, m\n  unlock m\nthread B:\n  lock m\n  signal ${n}\n  unlock m`,
    );
    expect(explore(cv).outcomes.map((o) => o.key)).toEqual(["x=0", `deadlock (A sleeps on ${n}); x=0`]);
    expect(own(replay(cv, "1 1").final.asleep, n)).toEqual(["A"]);
    const s = parseThreadProgram(`shared x = 0\nsem ${n} = 1\nthread A, B:\n  down ${n}\n  write x, 1`);
    const rs = explore(s);
    expect(rs.outcomes.map((o) => o.key)).toEqual(
      [`deadlock (B waits in down(${n})); x=1`, `deadlock (A waits in down(${n})); x=1`].sort(),
    );
    expect(own(replay(s, "1").final.semaphores, n)).toBe(0);
    const b = threadProgram({ x: 0 })
      .sem(rec(n, 1))
      .thread(n, (t) => t.down(n).up(n))
      .build();
    expect(explore(b).outcomes.map((o) => o.key)).toEqual(["x=0"]);
  });

  it("unknown under that name: named errors, never a crash", () => {
    expect(code(() => parseThreadProgram(`thread A:\n  read r, ${n}`))).toBe("unknown-cell");
    expect(code(() => parseThreadProgram(`thread A:\n  down ${n}`))).toBe("unknown-semaphore");
    expect(code(() => parseThreadProgram(`thread A:\n  signal ${n}`))).toBe("unknown-condition");
    expect(code(() => parseThreadProgram(`thread A:\n  unlock ${n}`))).toBe("unknown-mutex");
    expect(code(() => parseThreadProgram(`shared x = 0\nthread A:\n  write x, ${n}`))).toBe("unknown-register");
    expect(code(() => parseThreadProgram(`invariant 0 <= ${n} <= 1\nthread A:\n  yield`))).toBe("unknown-cell");
    const r = explore(parseThreadProgram("shared x = 0\nthread A:\n  write x, 1"));
    expect(() => violations(r, rec(n, 1))).toThrow(`Unknown cell \`${n}\` in \`expected\``);
    expect(() => extremeOutcome(r, n)).toThrow("No finished outcome has a shared cell");
  });
});
