import { describe, expect, it } from "vitest";
import {
  makeRng,
  SIM_PRIORITY,
  SimEnvironment,
  type SimGenerator,
  SimInputError,
  SimInterrupt,
  SimProcessError,
} from "../../lib/sim/index";

describe("sim: clock and heap", () => {
  it("runs timeouts in time order and ties in creation order", () => {
    const env = new SimEnvironment();
    const log: string[] = [];
    for (const [name, d] of [
      ["a", 3],
      ["b", 1],
      ["c", 3],
      ["d", 0],
      ["e", 1],
    ] as const)
      env.timeout(d).addCallback(() => log.push(`${env.now}:${name}`));
    env.run();
    expect(log).toEqual(["0:d", "1:b", "1:e", "3:a", "3:c"]);
    expect(env.eventsProcessed).toBe(5);
  });

  it("orders equal times by priority, then sequence", () => {
    const env = new SimEnvironment();
    const log: string[] = [];
    const mk = (name: string, prio: number) => {
      const ev = env.event();
      ev.addCallback(() => log.push(name));
      env.schedule(ev, 2, prio);
    };
    mk("late", SIM_PRIORITY.LATE);
    mk("normal1", SIM_PRIORITY.NORMAL);
    mk("urgent", SIM_PRIORITY.URGENT);
    mk("normal2", SIM_PRIORITY.NORMAL);
    env.run();
    expect(log).toEqual(["urgent", "normal1", "normal2", "late"]);
  });

  it("keeps the heap ordered for many random events", () => {
    const env = new SimEnvironment();
    const rng = makeRng(7);
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) env.timeout(rng.int(0, 500)).addCallback(() => times.push(env.now));
    env.run();
    expect(times.length).toBe(2000);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  });

  it("processes (time, priority, creation) in exact order, also for events scheduled while others are processed", () => {
    // The same random workload twice: through the engine, and through a naive reference queue (linear scan for
    // the smallest (time, priority, creation)). Callbacks schedule 0–2 new events, so the heap's "hole" path is used.
    const workload = (schedule: (delay: number, prio: number, onRun: () => void) => void) => {
      const rng = makeRng(11);
      const seen: number[] = [];
      let made = 0;
      const add = (delay: number, prio: number) => {
        const id = made++;
        schedule(delay, prio, () => {
          seen.push(id);
          const k = rng.int(0, 2);
          for (let j = 0; j < k && made < 5000; j++) add(rng.int(0, 20), rng.int(0, 2));
        });
      };
      for (let i = 0; i < 300; i++) add(rng.int(0, 50), rng.int(0, 2));
      return { seen, made: () => made };
    };
    const env = new SimEnvironment();
    const engine = workload((delay, prio, onRun) => {
      const ev = env.event();
      ev.addCallback(onRun);
      ev.succeed(undefined, delay, prio);
    });
    env.run();
    let now = 0;
    let seq = 0;
    const queue: { time: number; prio: number; seq: number; run: () => void }[] = [];
    const reference = workload((delay, prio, onRun) => queue.push({ time: now + delay, prio, seq: seq++, run: onRun }));
    while (queue.length > 0) {
      const before = (a: (typeof queue)[number], b: (typeof queue)[number]) =>
        (a.time - b.time || a.prio - b.prio || a.seq - b.seq) < 0;
      let best = 0;
      for (let i = 1; i < queue.length; i++) if (before(queue[i], queue[best])) best = i;
      const [next] = queue.splice(best, 1);
      now = next.time;
      next.run();
    }
    expect(engine.made()).toBeGreaterThan(1000);
    expect(engine.seen).toEqual(reference.seen);
  });

  it("keeps that exact order, env.now, env.pending and env.peek() when many events share a (time, priority)", () => {
    // Events of one (time, priority) are chained behind one heap entry through a cache of 256 slots hashed on
    // (time × 16, priority): delays 16 and 32 apart collide in it, 1/16 apart sit side by side, and bursts of events
    // push the heap past the size from which chains are remembered. Replayed against the naive reference queue,
    // probing the clock, the count of waiting events and the next time from inside every callback.
    const delays = [0, 0, 1 / 16, 0.5, 1, 1, 1, 2, 3, 7, 16, 17.25, 32, 48];
    const prios = [0, 1, 1, 1, 1, 2, 5];
    const workload = (seed: number, schedule: (delay: number, prio: number, onRun: () => void) => void) => {
      const rng = makeRng(seed);
      let made = 0;
      const add = () => {
        const id = made++;
        schedule(rng.pick(delays), rng.pick(prios), () => {
          probe(id);
          const k = rng.int(0, 3) + (rng.next() < 0.02 ? 40 : 0);
          for (let j = 0; j < k && made < 6000; j++) add();
        });
      };
      let probe: (id: number) => void = () => {};
      for (let i = 0; i < 20; i++) add();
      return { made: () => made, setProbe: (p: (id: number) => void) => (probe = p) };
    };
    for (const seed of [1, 2, 3]) {
      const env = new SimEnvironment();
      const engineLog: number[][] = [];
      const engine = workload(seed, (delay, prio, onRun) => {
        const ev = env.event();
        ev.addCallback(onRun);
        ev.succeed(undefined, delay, prio);
      });
      engine.setProbe((id) => engineLog.push([id, env.now, env.pending, env.peek()]));
      env.run();
      let now = 0;
      let seq = 0;
      const queue: { time: number; prio: number; seq: number; run: () => void }[] = [];
      const referenceLog: number[][] = [];
      const reference = workload(seed, (delay, prio, onRun) =>
        queue.push({ time: now + delay, prio, seq: seq++, run: onRun }),
      );
      reference.setProbe((id) => {
        let peek = Infinity;
        for (const q of queue) peek = Math.min(peek, q.time);
        referenceLog.push([id, now, queue.length, peek]);
      });
      while (queue.length > 0) {
        let best = 0;
        for (let i = 1; i < queue.length; i++) {
          const a = queue[i],
            b = queue[best];
          if ((a.time - b.time || a.prio - b.prio || a.seq - b.seq) < 0) best = i;
        }
        const [next] = queue.splice(best, 1);
        now = next.time;
        next.run();
      }
      expect(engine.made()).toBeGreaterThan(2000);
      expect(engineLog.length).toBe(engine.made());
      expect(engineLog).toEqual(referenceLog);
      expect(env.eventsProcessed).toBe(engine.made());
    }
  });

  it("run(until) stops before events at that time", () => {
    const env = new SimEnvironment();
    let hits = 0;
    env.timeout(5).addCallback(() => hits++);
    env.timeout(10).addCallback(() => hits++);
    env.run(10);
    expect(hits).toBe(1);
    expect(env.now).toBe(10);
    env.run();
    expect(hits).toBe(2);
  });
});

describe("sim: processes", () => {
  it("resumes generators with event values and returns a value", () => {
    const env = new SimEnvironment();
    const log: string[] = [];
    function* clock(name: string, tick: number): SimGenerator<string> {
      for (let i = 0; i < 3; i++) {
        const v = yield env.timeout(tick, i);
        log.push(`${env.now} ${name} ${v}`);
      }
      return name + " done";
    }
    const fast = env.process(clock("fast", 1), "fast");
    env.process(clock("slow", 2), "slow");
    env.run();
    expect(log).toEqual(["1 fast 0", "2 slow 0", "2 fast 1", "3 fast 2", "4 slow 1", "6 slow 2"]);
    expect(fast.value).toBe("fast done");
  });

  it("a process can wait for another process, and for allOf / anyOf", () => {
    const env = new SimEnvironment();
    function* child(d: number): SimGenerator<number> {
      yield env.timeout(d);
      return d * 10;
    }
    const out: unknown[] = [];
    function* parent(): SimGenerator<void> {
      const v = yield env.process(child(2));
      out.push([env.now, v]);
      const all = yield env.allOf([env.timeout(3, "x"), env.process(child(1))]);
      out.push([env.now, all]);
      const any = yield env.anyOf([env.timeout(5, "slow"), env.timeout(1, "quick")]);
      out.push([env.now, any]);
      const none = yield env.allOf([]);
      out.push([env.now, none]);
    }
    env.process(parent());
    env.run();
    expect(out).toEqual([
      [2, 20],
      [5, ["x", 10]],
      [6, { index: 1, value: "quick" }],
      [6, []],
    ]);
  });

  it("run(event) returns the process value", () => {
    const env = new SimEnvironment();
    const p = env.process(
      (function* () {
        yield env.timeout(4);
        return 42;
      })(),
    );
    expect(env.run(p)).toBe(42);
    expect(env.now).toBe(4);
  });

  it("a failed process is never silently ignored", () => {
    const env = new SimEnvironment();
    env.process(
      (function* () {
        yield env.timeout(2);
        throw new Error("boom");
      })(),
      "crasher",
    );
    expect(() => env.run()).toThrow(SimProcessError);
    const env2 = new SimEnvironment();
    env2.process(
      (function* () {
        yield env2.timeout(2);
        throw new Error("boom");
      })(),
      "crasher",
    );
    let error: unknown = null;
    try {
      env2.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimProcessError); // else the checks below would never run
    expect((error as SimProcessError).process).toBe("crasher");
    expect((error as SimProcessError).time).toBe(2);
    expect((error as Error).message).toMatch(/crasher.*t=2.*boom/);
  });

  it("a failure is handled when a waiting process catches it", () => {
    const env = new SimEnvironment();
    let caught = "";
    const bad = env.process(
      (function* () {
        yield env.timeout(1);
        throw new Error("inner");
      })(),
    );
    env.process(
      (function* () {
        try {
          yield bad;
        } catch (e) {
          caught = (e as Error).message;
        }
      })(),
    );
    env.run();
    expect(caught).toBe("inner");
  });

  it("yielding something that is not an event fails with a clear message", () => {
    const env = new SimEnvironment();
    env.process(
      (function* (): SimGenerator<void> {
        yield 5 as any;
      })(),
      "p",
    );
    expect(() => env.run()).toThrow(/yielded 5: yield an event/);
  });

  it("interrupt throws SimInterrupt at the current yield", () => {
    const env = new SimEnvironment();
    const log: string[] = [];
    const sleeper = env.process(
      (function* () {
        try {
          yield env.timeout(10);
          log.push("woke");
        } catch (e) {
          if (e instanceof SimInterrupt) log.push(`interrupted at ${env.now} by ${e.cause}`);
        }
        yield env.timeout(1);
        log.push(`end ${env.now}`);
      })(),
    );
    env.process(
      (function* () {
        yield env.timeout(3);
        sleeper.interrupt("alarm");
      })(),
    );
    env.run();
    expect(log).toEqual(["interrupted at 3 by alarm", "end 4"]);
  });

  it("rejects bad input with named errors", () => {
    const env = new SimEnvironment();
    expect(() => env.timeout(-1)).toThrow(SimInputError);
    expect(() => env.timeout(NaN)).toThrow(/non-negative, finite/);
    expect(() => env.timeout(Infinity)).toThrow(SimInputError);
    expect(() => env.resource(0)).toThrow(/at least one slot/);
    expect(() => env.process(undefined as any)).toThrow(/Expected a generator/);
    expect(() => makeRng(NaN)).toThrow(SimInputError);
  });
});

describe("sim: resources", () => {
  it("grants slots in FIFO order up to capacity", () => {
    const env = new SimEnvironment();
    const cpu = env.resource(2, "cores");
    const log: string[] = [];
    function* job(name: string, d: number): SimGenerator<void> {
      const req = cpu.request();
      yield req;
      log.push(`${env.now} start ${name}`);
      yield env.timeout(d);
      cpu.release(req);
    }
    env.process(job("A", 4));
    env.process(job("B", 2));
    env.process(job("C", 3));
    env.process(job("D", 1));
    env.run();
    expect(log).toEqual(["0 start A", "0 start B", "2 start C", "4 start D"]);
    expect(env.now).toBe(5);
    expect(cpu.granted).toBe(4);
    expect(cpu.totalWait).toBe(6);
    expect(cpu.utilisation()).toBeCloseTo(10 / 10);
  });

  it("use() holds a slot for a duration", () => {
    const env = new SimEnvironment();
    const m = env.resource(1, "coffee");
    const done: number[] = [];
    for (let i = 0; i < 3; i++)
      env.process(
        (function* () {
          yield* m.use(5);
          done.push(env.now);
        })(),
      );
    env.run();
    expect(done).toEqual([5, 10, 15]);
    expect(m.utilisation()).toBe(1);
  });

  it("release of a request that holds nothing is an error", () => {
    const env = new SimEnvironment();
    const r = env.resource(1, "disk");
    const other = env.resource(1, "net").request();
    expect(() => r.release(other)).toThrow(/does not hold resource "disk"/);
  });
});

describe("sim: seeded random numbers", () => {
  it("same seed, same sequence; different seed, different", () => {
    const a = makeRng(123),
      b = makeRng(123),
      c = makeRng(124);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
  });
  it("int is inclusive and in range; exponential has the right mean", () => {
    const r = makeRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += r.exponential(4);
    expect(s / 20000).toBeGreaterThan(3.8);
    expect(s / 20000).toBeLessThan(4.2);
    expect(r.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(["x"]).toContain(r.pick(["x"]));
  });
});
