// The model's order against real Node: every example is written twice, once with the real
// setTimeout / setImmediate / process.nextTick / queueMicrotask / Promise / async-await, once with the model,
// and the log orders must be equal. Real snippets start inside an IO callback (fs.stat), where Node's
// order is deterministic (setImmediate before setTimeout 0); the model runs with { start: "io" }.
// Real timing matters only where an example says so; delays are spaced ≥ 15 ms apart so a loaded machine
// does not reorder them. (Avoided on purpose: a setTimeout(0) created in the check phase vs one created in the
// next timers phase — Node's whole-millisecond clock makes that order depend on sub-millisecond real timing.)
// Two examples run a real main script in a child process (start: "main"), avoiding the one racy case
// (setTimeout 0 vs setImmediate from the main script).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { type LoopBody, runLoop } from "../../lib/eventloop/index";

type Log = (s: string) => void;

/** Run `snippet` inside a real IO callback; collect its log lines after `waitMs` of real time. */
function runReal(snippet: (log: Log) => void, waitMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const out: string[] = [];
    fs.stat(process.cwd(), () => {
      snippet((s) => out.push(s));
      setTimeout(() => resolve(out), waitMs);
    });
  });
}

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // burn CPU: the loop is blocked
  }
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Example {
  name: string;
  real: (log: Log) => void;
  model: LoopBody;
  waitMs?: number;
}

const examples: Example[] = [
  {
    name: "classic puzzle with nested callbacks",
    real: (log) => {
      log("sync 1");
      setTimeout(() => {
        log("timeout");
        process.nextTick(() => log("tick in timeout"));
        setImmediate(() => log("immediate in timeout"));
        setTimeout(() => log("timeout in timeout"), 0);
      }, 0);
      setImmediate(() => {
        log("immediate");
        Promise.resolve().then(() => log("promise in immediate"));
        process.nextTick(() => log("tick in immediate"));
      });
      Promise.resolve().then(() => {
        log("promise 1");
        process.nextTick(() => log("tick in promise"));
        Promise.resolve().then(() => log("promise in promise"));
      });
      queueMicrotask(() => log("microtask"));
      process.nextTick(() => {
        log("tick 1");
        process.nextTick(() => log("tick in tick"));
        Promise.resolve().then(() => log("promise in tick"));
      });
      log("sync 2");
    },
    model: ({ log, setTimeout, setImmediate, resolved, queueMicrotask, nextTick }) => {
      log("sync 1");
      setTimeout(() => {
        log("timeout");
        nextTick(() => log("tick in timeout"));
        setImmediate(() => log("immediate in timeout"));
        setTimeout(() => log("timeout in timeout"), 0);
      }, 0);
      setImmediate(() => {
        log("immediate");
        resolved().then(() => log("promise in immediate"));
        nextTick(() => log("tick in immediate"));
      });
      resolved().then(() => {
        log("promise 1");
        nextTick(() => log("tick in promise"));
        resolved().then(() => log("promise in promise"));
      });
      queueMicrotask(() => log("microtask"));
      nextTick(() => {
        log("tick 1");
        nextTick(() => log("tick in tick"));
        resolved().then(() => log("promise in tick"));
      });
      log("sync 2");
    },
  },
  {
    name: "async/await chain interleaved with a then-chain",
    real: (log) => {
      async function b() {
        log("b1");
        await null;
        log("b2");
      }
      async function a() {
        log("a1");
        await b();
        log("a2");
        await b();
        log("a3");
      }
      a().then(() => log("a done"));
      Promise.resolve()
        .then(() => log("t1"))
        .then(() => log("t2"))
        .then(() => log("t3"))
        .then(() => log("t4"))
        .then(() => log("t5"));
      log("sync end");
    },
    model: ({ log, asyncFn, resolved }) => {
      const b = () =>
        asyncFn(function* () {
          log("b1");
          yield null;
          log("b2");
        });
      asyncFn("a", function* () {
        log("a1");
        yield b();
        log("a2");
        yield b();
        log("a3");
      }).then(() => log("a done"));
      resolved()
        .then(() => log("t1"))
        .then(() => log("t2"))
        .then(() => log("t3"))
        .then(() => log("t4"))
        .then(() => log("t5"));
      log("sync end");
    },
  },
  {
    name: "returning a promise from an async function costs two extra ticks",
    real: (log) => {
      async function plain() {
        return 1;
      }
      async function wrapped() {
        return Promise.resolve(2);
      }
      wrapped().then(() => log("wrapped"));
      plain().then(() => log("plain"));
      new Promise((res) => res(Promise.resolve(3))).then(() => log("resolve(promise)"));
      Promise.resolve()
        .then(() => log("t1"))
        .then(() => log("t2"))
        .then(() => log("t3"))
        .then(() => log("t4"));
    },
    model: ({ log, asyncFn, resolved, newPromise }) => {
      asyncFn(function* () {
        return resolved(2);
      }).then(() => log("wrapped"));
      asyncFn(function* () {
        return 1;
      }).then(() => log("plain"));
      newPromise((res) => res(resolved(3))).then(() => log("resolve(promise)"));
      resolved()
        .then(() => log("t1"))
        .then(() => log("t2"))
        .then(() => log("t3"))
        .then(() => log("t4"));
    },
  },
  {
    name: "await of a resolved value vs a resolved promise vs a pending timer",
    real: (log) => {
      (async () => {
        log("A start");
        await sleepReal(5);
        log("A after sleep");
      })();
      (async () => {
        log("B start");
        await 42;
        log("B after value");
      })();
      (async () => {
        log("C start");
        await Promise.resolve(1);
        log("C after resolved promise");
        await new Promise((r) => setImmediate(r));
        log("C after immediate");
      })();
      process.nextTick(() => log("tick"));
    },
    model: ({ log, asyncFn, sleep, resolved, yieldToLoop, nextTick }) => {
      asyncFn("A", function* () {
        log("A start");
        yield sleep(5);
        log("A after sleep");
      });
      asyncFn("B", function* () {
        log("B start");
        yield 42;
        log("B after value");
      });
      asyncFn("C", function* () {
        log("C start");
        yield resolved(1);
        log("C after resolved promise");
        yield yieldToLoop();
        log("C after immediate");
      });
      nextTick(() => log("tick"));
    },
  },
  {
    name: "timers: due time, then creation order; setInterval; clearTimeout",
    real: (log) => {
      setTimeout(() => log("100"), 100);
      setTimeout(() => log("50a"), 50);
      setTimeout(() => {
        log("50b");
        setTimeout(() => log("50b+0"), 0);
      }, 50);
      const gone = setTimeout(() => log("never"), 5);
      setTimeout(() => log("0"), 0);
      let n = 0;
      const iv = setInterval(() => {
        log(`interval ${++n}`);
        if (n === 2) clearInterval(iv);
      }, 35);
      clearTimeout(gone);
    },
    model: ({ log, setTimeout, clearTimeout, setInterval, clearInterval }) => {
      setTimeout(() => log("100"), 100);
      setTimeout(() => log("50a"), 50);
      setTimeout(() => {
        log("50b");
        setTimeout(() => log("50b+0"), 0);
      }, 50);
      const gone = setTimeout(() => log("never"), 5);
      setTimeout(() => log("0"), 0);
      let n = 0;
      const iv = setInterval(() => {
        log(`interval ${++n}`);
        if (n === 2) clearInterval(iv);
      }, 35);
      clearTimeout(gone);
    },
    waitMs: 150,
  },
  {
    name: "a busy loop makes timers late; immediates still come first after IO",
    real: (log) => {
      setTimeout(() => log("timer 10"), 10);
      busy(30);
      setTimeout(() => log("timer 0 after busy"), 0);
      setImmediate(() => log("immediate"));
      log("busy done");
    },
    model: ({ log, setTimeout, setImmediate, cpu }) => {
      setTimeout(() => log("timer 10"), 10);
      cpu(30);
      setTimeout(() => log("timer 0 after busy"), 0);
      setImmediate(() => log("immediate"));
      log("busy done");
    },
  },
  {
    name: "busy-wait sleep blocks the other task; await sleep does not",
    real: (log) => {
      (async () => {
        log("sleeper start");
        await sleepReal(10);
        log("sleeper woke");
      })();
      (async () => {
        log("busy start");
        busy(40);
        log("busy end");
        await sleepReal(30);
        log("polite woke");
      })();
    },
    model: ({ log, asyncFn, sleep, cpu }) => {
      asyncFn("sleeper", function* () {
        log("sleeper start");
        yield sleep(10);
        log("sleeper woke");
      });
      asyncFn("busy", function* () {
        log("busy start");
        cpu(40);
        log("busy end");
        yield sleep(30);
        log("polite woke");
      });
    },
    waitMs: 100,
  },
  {
    name: "IO callbacks: nextTick, promise, immediate, timeout inside a second IO callback",
    real: (log) => {
      fs.stat(process.cwd(), () => {
        log("io cb");
        setTimeout(() => log("timeout"), 0);
        setImmediate(() => log("immediate"));
        Promise.resolve().then(() => log("promise"));
        process.nextTick(() => log("tick"));
      });
      log("sync");
    },
    model: ({ log, ioCallback, setTimeout, setImmediate, resolved, nextTick }) => {
      ioCallback(3, () => {
        log("io cb");
        setTimeout(() => log("timeout"), 0);
        setImmediate(() => log("immediate"));
        resolved().then(() => log("promise"));
        nextTick(() => log("tick"));
      });
      log("sync");
    },
  },
  {
    name: "after an awaited IO, a nextTick queued by the continuation waits for the microtasks",
    real: (log) => {
      (async () => {
        await fs.promises.stat(process.cwd());
        log("after await io");
        process.nextTick(() => log("tick"));
        Promise.resolve().then(() => log("promise"));
        setImmediate(() => log("immediate"));
        setTimeout(() => log("timeout"), 0);
      })();
    },
    model: ({ log, asyncFn, io, nextTick, resolved, setImmediate, setTimeout }) => {
      asyncFn("reader", function* () {
        yield io(3);
        log("after await io");
        nextTick(() => log("tick"));
        resolved().then(() => log("promise"));
        setImmediate(() => log("immediate"));
        setTimeout(() => log("timeout"), 0);
      });
    },
  },
  {
    name: "chunked CPU work yielding with setImmediate lets a timer in",
    real: (log) => {
      setTimeout(() => log("tick 30"), 30);
      (async () => {
        for (let i = 0; i < 4; i++) {
          busy(20);
          log(`chunk ${i}`);
          await new Promise((r) => setImmediate(r));
        }
      })();
    },
    model: ({ log, asyncFn, setTimeout, cpu, yieldToLoop }) => {
      setTimeout(() => log("tick 30"), 30);
      asyncFn("chunks", function* () {
        for (let i = 0; i < 4; i++) {
          cpu(20);
          log(`chunk ${i}`);
          yield yieldToLoop();
        }
      });
    },
    waitMs: 120,
  },
  {
    name: "read-await-write loses an update; an async mutex prevents it",
    real: (log) => {
      let counter = 0;
      let held = false;
      const waiters: (() => void)[] = [];
      const lock = (): Promise<void> => {
        if (held) return new Promise<void>((r) => waiters.push(r));
        held = true;
        return Promise.resolve();
      };
      const unlock = () => {
        const next = waiters.shift();
        if (next) next();
        else held = false;
      };
      const task = async (name: string, useLock: boolean) => {
        if (useLock) await lock();
        const v = counter;
        log(`${name} reads ${v}`);
        await sleepReal(5);
        counter = v + 1;
        log(`${name} writes ${counter}`);
        if (useLock) unlock();
      };
      Promise.all([task("A", false), task("B", false)])
        .then(() => {
          log(`racy counter ${counter}`);
          counter = 0;
          return Promise.all([task("C", true), task("D", true)]);
        })
        .then(() => log(`locked counter ${counter}`));
    },
    model: ({ log, asyncFn, sleep, all, mutex }) => {
      let counter = 0;
      const m = mutex("m");
      const task = (name: string, useLock: boolean) =>
        asyncFn(name, function* () {
          if (useLock) yield m.lock();
          const v = counter;
          log(`${name} reads ${v}`);
          yield sleep(5);
          counter = v + 1;
          log(`${name} writes ${counter}`);
          if (useLock) m.unlock();
        });
      all([task("A", false), task("B", false)])
        .then(() => {
          log(`racy counter ${counter}`);
          counter = 0;
          return all([task("C", true), task("D", true)]);
        })
        .then(() => log(`locked counter ${counter}`));
    },
    waitMs: 80,
  },
];

describe("model order equals real Node order (inside an IO callback)", () => {
  for (const ex of examples) {
    it(ex.name, async () => {
      const real = await runReal(ex.real, ex.waitMs ?? 60);
      const model = runLoop(ex.model, { start: "io" });
      expect(model.order).toEqual(real);
      expect(model.stuck).toEqual([]);
    });
  }
});

// Review 07 R2 (Exercise 1's hint): a nextTick queued by a promise job does NOT run once "the promise jobs queued so
// far" are done; it waits until the microtask queue is completely empty, including jobs queued after it.
describe("a nextTick queued in a promise job waits for the whole microtask queue", () => {
  it("then → nextTick T, then a promise job B that queues C: real Node and the model print A B C T", async () => {
    const real = await runReal((log) => {
      Promise.resolve().then(() => {
        log("A");
        process.nextTick(() => log("T"));
        Promise.resolve().then(() => {
          log("B");
          Promise.resolve().then(() => log("C"));
        });
      });
    }, 30);
    const model = runLoop(
      ({ log, resolved, nextTick }) => {
        resolved().then(() => {
          log("A");
          nextTick(() => log("T"));
          resolved().then(() => {
            log("B");
            resolved().then(() => log("C"));
          });
        });
      },
      { start: "io" },
    );
    expect(real).toEqual(["A", "B", "C", "T"]);
    expect(model.order).toEqual(real);
  });
});

/** Run a main script in a fresh node process and return its stdout lines. */
function runMainScript(code: string): string[] {
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", timeout: 10000 });
  expect(r.status).toBe(0);
  return r.stdout.trim().split("\n");
}

describe("model order equals a real main script (start: main)", () => {
  it("sync, nextTick, promises, then timers; immediate scheduled from a timer beats a nested timeout", () => {
    const real = runMainScript(`
      const log = (s) => console.log(s);
      log("sync");
      setTimeout(() => {
        log("timeout 0");
        setTimeout(() => log("nested timeout"), 0);
        setImmediate(() => log("immediate from timer"));
      }, 0);
      setTimeout(() => log("timeout 20"), 20);
      Promise.resolve().then(() => log("promise"));
      queueMicrotask(() => log("microtask"));
      process.nextTick(() => log("tick"));
      (async () => { log("async start"); await null; log("async resumed"); })();
    `);
    const model = runLoop(({ log, setTimeout, setImmediate, resolved, queueMicrotask, nextTick, asyncFn }) => {
      log("sync");
      setTimeout(() => {
        log("timeout 0");
        setTimeout(() => log("nested timeout"), 0);
        setImmediate(() => log("immediate from timer"));
      }, 0);
      setTimeout(() => log("timeout 20"), 20);
      resolved().then(() => log("promise"));
      queueMicrotask(() => log("microtask"));
      nextTick(() => log("tick"));
      asyncFn(function* () {
        log("async start");
        yield null;
        log("async resumed");
      });
    });
    expect(model.order).toEqual(real);
  });

  it("a main-script busy loop: the overdue timer runs before a later one, then the immediate it scheduled", () => {
    const real = runMainScript(`
      const log = (s) => console.log(s);
      const end = Date.now() + 30; while (Date.now() < end) {}
      setTimeout(() => { log("timer 5"); setImmediate(() => log("immediate")); }, 5);
      setTimeout(() => log("timer 40"), 40);
      log("main done");
    `);
    const model = runLoop(({ log, cpu, setTimeout, setImmediate }) => {
      cpu(30);
      setTimeout(() => {
        log("timer 5");
        setImmediate(() => log("immediate"));
      }, 5);
      setTimeout(() => log("timer 40"), 40);
      log("main done");
    });
    expect(model.order).toEqual(real);
  });
});
