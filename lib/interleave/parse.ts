/**
 * The short text form a learner types in a cell. One statement per line; `#` starts a comment.
 *
 *   shared counter = 0          # a shared cell and its initial value (also: `shared a = 0, b = 1`)
 *   cond notFull, notEmpty      # condition variables
 *   sem slots = 2, items = 0    # counting semaphores and their initial values (integers ≥ 0)
 *   invariant 0 <= counter <= 2 # a step that writes counter outside 0..2 ends the run with a fault
 *   thread T1, T2:              # one or more threads with the same body (indented lines below)
 *     read r, counter           # r = counter
 *     add r, 1                  # r = r + 1          (also: set r, 5)
 *     write counter, r          # counter = r
 *   thread T3:
 *     lock m                    # unlock m, yield
 *     inc counter               # atomic counter += 1 (inc counter, 2, old  → old = previous value)
 *     cas ok, flag, 0, 1        # ok = 1 if flag was 0 and is now 1, else 0
 *     tas t, flag               # t = flag; flag = 1
 *   spin:                       # a label (per thread); jumps: goto L, jz r, L, jnz r, L, jeq r, 3, L, jne r, 3, L
 *   thread P:
 *     lock m
 *     wait notFull, m           # releases m and sleeps on notFull (m must be held); once woken, locks m again
 *     signal notEmpty           # wakes one sleeper; broadcast notEmpty wakes all. Which one: part of the schedule,
 *                               # "4>2" = T4 takes its step, a signal, and wakes T2 (written when there is a choice)
 *     down slots                # P: waits while slots is 0, then slots -= 1; up slots: slots += 1
 *                               # (no queue: after an up, which waiting down gets the permit is left to the
 *                               # schedule, and the explorer tries every order — a "weak" semaphore)
 *
 * Declarations (`shared`, `cond`, `sem`, `invariant`) may come anywhere. Any name may be used, `toString` and
 * `__proto__` included: names live in Maps and own properties, never in an object's prototype.
 */
import { InterleaveProgramError } from "./errors";
import {
  checkInterleaveProgram,
  type InterleaveInvariant,
  type InterleaveOperand,
  type InterleaveProgram,
  InterleaveThreadBuilder,
} from "./program";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses the text form into a checked program; errors name the line and what to write instead. */
export function parseThreadProgram(text: string): InterleaveProgram {
  if (typeof text !== "string")
    throw new InterleaveProgramError("syntax", `Expected the program as a string, got ${typeof text}.`);
  const cells: Record<string, number> = Object.create(null);
  const conditions: string[] = [];
  const semaphores: Record<string, number> = Object.create(null);
  const invariants: InterleaveInvariant[] = [];
  const threads: { names: string[]; b: InterleaveThreadBuilder }[] = [];
  let current: InterleaveThreadBuilder | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, li) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const at = `line ${li + 1} (\`${line}\`)`;
    const fail = (what: string): never => {
      throw new InterleaveProgramError("syntax", `Cannot read ${at}: ${what}`);
    };
    const ident = (s: string | undefined, what: string): string => {
      if (s === undefined || !IDENT.test(s))
        fail(`expected ${what} (a name like \`r\` or \`counter\`), got \`${s ?? ""}\`.`);
      return s as string;
    };
    const int = (s: string | undefined, what: string): number => {
      if (s === undefined || !/^-?\d+$/.test(s)) fail(`expected ${what} (an integer), got \`${s ?? ""}\`.`);
      return Number(s);
    };
    const operand = (s: string | undefined, what: string): InterleaveOperand =>
      s !== undefined && /^-?\d+$/.test(s) ? Number(s) : ident(s, what);

    let m = /^shared\s+(.*)$/.exec(line);
    if (m) {
      for (const decl of m[1].split(",")) {
        const d = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(-?\d+))?\s*$/.exec(decl);
        if (!d) fail("expected `shared name = integer` (several separated by commas).");
        cells[d![1]] = d![2] === undefined ? 0 : Number(d![2]);
      }
      return;
    }
    m = /^cond\s+(.*)$/.exec(line);
    if (m) {
      for (const decl of m[1].split(",")) conditions.push(ident(decl.trim(), "a condition variable name"));
      return;
    }
    m = /^sem\s+(.*)$/.exec(line);
    if (m) {
      for (const decl of m[1].split(",")) {
        const d = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(-?\d+)\s*$/.exec(decl);
        if (!d) fail("expected `sem name = integer` (several separated by commas), e.g. `sem slots = 2, items = 0`.");
        if (Object.hasOwn(semaphores, d![1])) fail(`semaphore \`${d![1]}\` is declared twice: declare it once.`);
        semaphores[d![1]] = Number(d![2]);
      }
      return;
    }
    m = /^invariant\s+(-?\d+)\s*<=\s*([A-Za-z_][A-Za-z0-9_]*)\s*<=\s*(-?\d+)$/.exec(line);
    if (m) {
      invariants.push({ cell: m[2], min: Number(m[1]), max: Number(m[3]) });
      return;
    }
    if (/^invariant\b/.test(line)) fail("expected `invariant min <= cell <= max`, e.g. `invariant 0 <= count <= 2`.");
    m = /^thread\s+(.*?):?$/.exec(line);
    if (m && /:$/.test(line)) {
      const names = m[1].split(/[\s,]+/).filter((x) => x !== "");
      if (names.length === 0) fail("expected `thread T1:` or `thread T1, T2:`.");
      for (const n of names) ident(n, "a thread name");
      current = new InterleaveThreadBuilder(names[0]);
      threads.push({ names, b: current });
      return;
    }
    if (!current) fail("a step must come after a `thread T1:` line.");
    const t = current as InterleaveThreadBuilder;
    m = /^([A-Za-z_][A-Za-z0-9_]*):$/.exec(line);
    if (m) {
      t.label(m[1]);
      return;
    }
    const sp = line.indexOf(" ");
    const word = (sp < 0 ? line : line.slice(0, sp)).toLowerCase();
    const args =
      sp < 0
        ? []
        : line
            .slice(sp + 1)
            .split(",")
            .map((a) => a.trim());
    const need = (n: number, form: string) => {
      if (args.length !== n) fail(`\`${word}\` takes ${n} argument(s): \`${form}\`.`);
    };
    switch (word) {
      case "read":
        need(2, "read r, cell");
        t.read(ident(args[0], "a register"), ident(args[1], "a cell"));
        break;
      case "write":
        need(2, "write cell, r-or-number");
        t.write(ident(args[0], "a cell"), operand(args[1], "a register or number"));
        break;
      case "add":
        need(2, "add r, r-or-number");
        t.add(ident(args[0], "a register"), operand(args[1], "a register or number"));
        break;
      case "set":
        need(2, "set r, r-or-number");
        t.set(ident(args[0], "a register"), operand(args[1], "a register or number"));
        break;
      case "inc":
        if (args.length < 1 || args.length > 3)
          fail("`inc` is `inc cell`, `inc cell, amount` or `inc cell, amount, r`.");
        t.inc(
          ident(args[0], "a cell"),
          args.length > 1 ? int(args[1], "an amount") : 1,
          args.length > 2 ? ident(args[2], "a register") : undefined,
        );
        break;
      case "cas":
        need(4, "cas r, cell, expected, new");
        t.cas(
          ident(args[0], "a register"),
          ident(args[1], "a cell"),
          operand(args[2], "the expected value"),
          operand(args[3], "the new value"),
        );
        break;
      case "tas":
        need(2, "tas r, cell");
        t.tas(ident(args[0], "a register"), ident(args[1], "a cell"));
        break;
      case "lock":
        need(1, "lock m");
        t.lock(ident(args[0], "a mutex"));
        break;
      case "unlock":
        need(1, "unlock m");
        t.unlock(ident(args[0], "a mutex"));
        break;
      case "yield":
        need(0, "yield");
        t.yield();
        break;
      case "wait":
        need(2, "wait cv, m");
        t.wait(ident(args[0], "a condition variable"), ident(args[1], "a mutex"));
        break;
      case "signal":
        need(1, "signal cv");
        t.signal(ident(args[0], "a condition variable"));
        break;
      case "broadcast":
        need(1, "broadcast cv");
        t.broadcast(ident(args[0], "a condition variable"));
        break;
      case "down":
        need(1, "down s");
        t.down(ident(args[0], "a semaphore"));
        break;
      case "up":
        need(1, "up s");
        t.up(ident(args[0], "a semaphore"));
        break;
      case "goto":
      case "jmp":
        need(1, "goto label");
        t.jump(ident(args[0], "a label"));
        break;
      case "jz":
        need(2, "jz r, label");
        t.jumpIfEq(ident(args[0], "a register"), 0, ident(args[1], "a label"));
        break;
      case "jnz":
        need(2, "jnz r, label");
        t.jumpIfNe(ident(args[0], "a register"), 0, ident(args[1], "a label"));
        break;
      case "jeq":
        need(3, "jeq r, value, label");
        t.jumpIfEq(ident(args[0], "a register"), operand(args[1], "a value"), ident(args[2], "a label"));
        break;
      case "jne":
        need(3, "jne r, value, label");
        t.jumpIfNe(ident(args[0], "a register"), operand(args[1], "a value"), ident(args[2], "a label"));
        break;
      default:
        fail(
          `unknown step \`${word}\`: use read, write, add, set, inc, cas, tas, lock, unlock, yield, wait, signal, ` +
            `broadcast, down, up, goto, jz, jnz, jeq, jne, or \`label:\`.`,
        );
    }
  });
  const p: InterleaveProgram = { cells: { ...cells }, threads: [] };
  if (conditions.length > 0) p.conditions = conditions;
  if (Object.keys(semaphores).length > 0) p.semaphores = { ...semaphores };
  if (invariants.length > 0) p.invariants = invariants;
  for (const { names, b } of threads)
    for (const name of names) p.threads.push({ name, steps: b.steps.slice(), labels: { ...b.labels } });
  checkInterleaveProgram(p);
  return p;
}
