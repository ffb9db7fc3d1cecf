/**
 * One run of a program from scratch: a fresh store, every task started, then one step at a time on the scheduler's
 * choice. Each store operation returns a promise that this run resolves only when the task is scheduled; after each
 * step the run drains microtasks until the task has called its next operation, finished, or thrown.
 */
import { describeValue } from "../errors/validate";
import { AsyncCheckError, closestName, notJson } from "./errors";
import type { AsyncProgram, AsyncStore, AsyncWait } from "./types";
import type { LoopGuard } from "./watchdog";

type OpKind = "read" | "write" | "update" | "lock" | "unlock" | "yield" | "waitUntil";

interface PendingOp {
  kind: OpKind;
  key: string;
  value?: unknown;
  fn?: (v: any) => unknown;
  /** update whose result the task ignores: resolves undefined and keeps the old value out of the cache key. */
  quiet?: boolean;
  /** waitUntil's optional change, applied in the same step. */
  change?: (v: any) => unknown;
  resolve: (v: unknown) => void;
}

type Status = "running" | "pending" | "done" | "threw";

interface Slot {
  status: Status;
  op: PendingOp | null;
  /** JSON of every value this task was given back, in order (its whole view of the world). */
  seen: string[];
  error: unknown;
  twoOps: boolean;
}

/** What one step did, for replay tables. */
export interface StepEffect {
  operation: string;
  value: string;
}

/** The store handle's hidden method for harness code that ignores update's result (see `updateIgnoringResult`). */
const QUIET_UPDATE = Symbol("update ignoring its result");

/**
 * `s.update(key, fn)` for a checker's own harness code that never looks at the result: it resolves with undefined,
 * so the state cache need not tell apart runs that differ only in the old values this task was handed (fewer runs,
 * the same exact counts). Learners' tasks use `s.update`, whose old value is part of the cache key.
 */
export function updateIgnoringResult(s: AsyncStore, key: string, fn: (value: any) => unknown): Promise<void> {
  const quiet = (s as unknown as Record<symbol, unknown>)[QUIET_UPDATE];
  if (typeof quiet !== "function") return s.update(key, fn).then(() => undefined);
  return (quiet as (k: string, f: (v: any) => unknown) => Promise<void>)(key, fn);
}

const NEVER = () => new Promise<never>(() => {});
const copy = (v: unknown): any => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

export function formatSchedule(s: readonly number[]): string {
  return s.map((t) => t + 1).join(" ");
}

function describe(op: PendingOp): string {
  const k = JSON.stringify(op.key);
  if (op.kind === "write") return `write(${k}, ${JSON.stringify(op.value)})`;
  if (op.kind === "yield") return "yield()";
  if (op.kind === "waitUntil" && op.change) return `waitUntil(${k}, test, change)`;
  return `${op.kind}(${k})`;
}

export class AsyncRun {
  readonly store: Record<string, unknown>;
  readonly locks = new Map<string, number>();
  readonly slots: Slot[];
  readonly schedule: number[] = [];
  private dead = false;

  constructor(
    private readonly program: AsyncProgram,
    private readonly guard: LoopGuard,
  ) {
    this.store = copy(program.init);
    this.slots = program.tasks.map(() => ({ status: "running", op: null, seen: [], error: null, twoOps: false }));
  }

  /** Stops the run: operations its orphaned tasks call later never resolve. */
  kill(): void {
    this.dead = true;
  }

  private where(): string {
    return formatSchedule(this.schedule);
  }

  private checkKey(key: unknown, task: number, op: string): string {
    if (typeof key !== "string") {
      throw new AsyncCheckError(
        "unknown-key",
        `Task ${task + 1} called s.${op} with ${describeValue(key)}: pass a key name.`,
      );
    }
    // own keys only: "constructor" or "toString" is a key of the store only if init has it
    if (!Object.hasOwn(this.store, key) && op !== "lock" && op !== "unlock") {
      const keys = Object.keys(this.store);
      throw new AsyncCheckError(
        "unknown-key",
        `Task ${task + 1} called s.${op}("${key}") but the store has no key "${key}"` +
          (keys.length ? `: did you mean "${closestName(key, keys)}"? Or add it to init.` : ": add it to init."),
        this.where(),
      );
    }
    return key;
  }

  private handle(i: number): AsyncStore {
    const call = (
      kind: OpKind,
      key: unknown,
      value?: unknown,
      fn?: (v: any) => unknown,
      change?: (v: any) => unknown,
    ): Promise<any> => {
      if (this.dead) return NEVER();
      const slot = this.slots[i];
      if (slot.op !== null) {
        slot.twoOps = true;
        return NEVER();
      }
      const k = kind === "yield" ? "" : this.checkKey(key, i, kind);
      if ((kind === "update" || kind === "waitUntil") && typeof fn !== "function") {
        throw new AsyncCheckError("bad-program", `s.${kind}("${k}", fn) needs a function as its second argument.`);
      }
      if (kind === "waitUntil" && change !== undefined && typeof change !== "function") {
        throw new AsyncCheckError(
          "bad-program",
          `s.waitUntil("${k}", test, change): change must be a function (value) => new value, or left out.`,
        );
      }
      return new Promise((resolve) => {
        slot.op = { kind, key: k, value, fn, change, quiet: value === QUIET_UPDATE, resolve };
        slot.status = "pending";
      });
    };
    const handle: AsyncStore = {
      read: (key) => call("read", key),
      write: (key, value) => call("write", key, value),
      update: (key, fn) => call("update", key, undefined, fn),
      lock: (name) => call("lock", name),
      unlock: (name) => call("unlock", name),
      yield: () => call("yield", ""),
      waitUntil: (key, test, change) => call("waitUntil", key, undefined, test, change),
    };
    Object.defineProperty(handle, QUIET_UPDATE, {
      value: (key: string, fn: (v: any) => unknown) => call("update", key, QUIET_UPDATE, fn),
    });
    return handle;
  }

  /** Starts every task: each runs up to its first operation. */
  async start(): Promise<void> {
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      this.guard.arm();
      let p: unknown;
      try {
        p = this.program.tasks[i](this.handle(i));
      } catch (e) {
        if (e instanceof AsyncCheckError) throw e;
        slot.status = "threw";
        slot.error = e;
      }
      if (slot.status !== "threw") {
        if (!p || typeof (p as Promise<unknown>).then !== "function") {
          throw new AsyncCheckError(
            "not-async",
            `Task ${i + 1} returned ${String(p)}, not a promise: write it as \`async (s) => { ... }\`.`,
          );
        }
        (p as Promise<unknown>).then(
          () => {
            slot.status = "done";
          },
          (e) => {
            slot.status = "threw";
            slot.error = e;
          },
        );
      }
      await this.settle(i, "starts");
    }
  }

  /** Drains microtasks until task i has a pending operation, finished or threw; otherwise names what happened. */
  private async settle(i: number, doing: string): Promise<void> {
    const slot = this.slots[i];
    for (let k = 0; k < 8 && slot.status === "running"; k++) await undefined;
    if (slot.status === "running") await new Promise((r) => setImmediate(r));
    if (!this.guard.disarm()) this.guard.sacrifice();
    if (slot.twoOps) {
      throw new AsyncCheckError(
        "two-operations",
        `Task ${i + 1} called a second store operation before the first one finished: \`await\` every s.read, ` +
          "s.write, s.lock, ... before the next.",
        this.where(),
      );
    }
    if (slot.status === "threw") {
      const e = slot.error;
      if (e instanceof AsyncCheckError) throw e;
      const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new AsyncCheckError(
        "task-threw",
        `Task ${i + 1} threw ${msg} when it ${doing}: fix the task (the schedule below replays it with replayAsync).`,
        this.where(),
      );
    }
    if (slot.status === "running") {
      throw new AsyncCheckError(
        "not-store",
        `Task ${i + 1} awaited something that is not the store when it ${doing} (a timer, fetch, file..., or a ` +
          "promise made by another task): the checker controls only s.read, s.write, s.update, s.lock, s.unlock, " +
          "s.yield and s.waitUntil, and tasks share only the store. Model the wait with s.yield() or " +
          `s.waitUntil(...); to share another task's work, mark it in the store (e.g. "loading") and ` +
          "s.waitUntil its result.",
        this.where(),
      );
    }
  }

  /** Calls a learner's function that must not throw or loop (update / waitUntil tests). */
  private callFn(i: number, what: string, fn: () => unknown): unknown {
    try {
      return fn();
    } catch (e) {
      const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new AsyncCheckError(
        "task-threw",
        `The function task ${i + 1} passed to ${what} threw ${msg}.`,
        this.where(),
      );
    }
  }

  /** Can task i take a step now? */
  enabled(i: number): boolean {
    const slot = this.slots[i];
    if (slot.status !== "pending" || slot.op === null) return false;
    const op = slot.op;
    if (op.kind === "lock") return !this.locks.has(op.key);
    if (op.kind === "waitUntil") {
      const ok = this.callFn(i, `s.waitUntil("${op.key}", ...)`, () => op.fn?.(copy(this.store[op.key])));
      if (typeof ok !== "boolean") {
        throw new AsyncCheckError(
          "bad-predicate",
          `The test task ${i + 1} passed to s.waitUntil("${op.key}", ...) returned ${String(ok)}: return true or false.`,
          this.where(),
        );
      }
      return ok;
    }
    return true;
  }

  enabledTasks(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.slots.length; i++) if (this.enabled(i)) out.push(i);
    return out;
  }

  allDone(): boolean {
    return this.slots.every((s) => s.status === "done");
  }

  private checkValue(i: number, key: string, v: unknown, op: string): void {
    const why = notJson(v, `the value`);
    if (why) {
      throw new AsyncCheckError(
        "not-json",
        `Task ${i + 1} called s.${op}("${key}", ...) but ${why}: the store holds plain JSON data only.`,
        this.where(),
      );
    }
  }

  /** Task i takes one step: its operation takes effect, then its code runs up to the next operation. */
  async step(i: number): Promise<StepEffect> {
    const slot = this.slots[i];
    const op = slot.op as PendingOp;
    this.schedule.push(i);
    let result: unknown;
    let shown = "";
    if (op.kind === "read" || op.kind === "waitUntil") {
      result = copy(this.store[op.key]);
      shown = JSON.stringify(result);
      if (op.kind === "waitUntil" && op.change) {
        const change = op.change;
        const v = this.callFn(i, `s.waitUntil("${op.key}", test, change)`, () => change(copy(result)));
        this.checkValue(i, op.key, v, "waitUntil");
        this.store[op.key] = copy(v);
        shown = `${JSON.stringify(v)} (was ${shown})`;
      }
    } else if (op.kind === "write") {
      this.checkValue(i, op.key, op.value, "write");
      this.store[op.key] = copy(op.value);
      shown = JSON.stringify(op.value);
    } else if (op.kind === "update") {
      result = copy(this.store[op.key]);
      const v = this.callFn(i, `s.update("${op.key}", ...)`, () => op.fn?.(copy(result)));
      this.checkValue(i, op.key, v, "update");
      this.store[op.key] = copy(v);
      shown = op.quiet ? JSON.stringify(v) : `${JSON.stringify(v)} (was ${JSON.stringify(result)})`;
    } else if (op.kind === "lock") {
      this.locks.set(op.key, i);
    } else if (op.kind === "unlock") {
      const holder = this.locks.get(op.key);
      if (holder !== i) {
        throw new AsyncCheckError(
          "unlock-not-held",
          `Task ${i + 1} unlocked "${op.key}", which ${holder === undefined ? "nobody" : `task ${holder + 1}`} ` +
            `holds: unlock only a lock this task took with s.lock("${op.key}").`,
          this.where(),
        );
      }
      this.locks.delete(op.key);
    }
    if (op.quiet) result = undefined;
    slot.seen.push(result === undefined ? "" : JSON.stringify(result));
    slot.op = null;
    slot.status = "running";
    this.guard.arm();
    op.resolve(result);
    await this.settle(i, `continued after ${describe(op)}`);
    return { operation: describe(op), value: shown };
  }

  /** Everything that decides the future: store, locks, and every task's status and view of the world. */
  key(): string {
    const locks = [...this.locks.entries()].sort().map(([k, v]) => `${k}:${v}`);
    const tasks = this.slots.map((s) => `${s.status}:${s.op ? describe(s.op) : ""}:${s.seen.join(",")}`);
    return `${JSON.stringify(this.store)}|${locks.join(",")}|${tasks.join("|")}`;
  }

  storeJson(): string {
    return JSON.stringify(this.store);
  }

  locksHeld(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.locks) out[k] = v + 1;
    return out;
  }

  /** Who waits for what, for every task not finished. */
  waits(): AsyncWait[] {
    const out: AsyncWait[] = [];
    this.slots.forEach((s, i) => {
      if (s.status === "done" || !s.op) return;
      const holder = s.op.kind === "lock" ? this.locks.get(s.op.key) : undefined;
      out.push({
        task: i + 1,
        waitsFor: describe(s.op),
        heldBy: holder === undefined ? null : holder + 1,
        holds: [...this.locks.entries()].filter(([, t]) => t === i).map(([k]) => k),
      });
    });
    return out;
  }
}
