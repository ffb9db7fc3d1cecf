// The model's timer races (setTimeout 0 vs setImmediate), ES-module start, and mutex bookkeeping: exact results.
import { describe, expect, it } from "vitest";
import { EventLoopInputError, type LoopApi, runLoop, runLoopOrders } from "../../lib/eventloop/index";

const body = ({ log, setTimeout, setImmediate }: LoopApi) => {
  setTimeout(() => log("timeout"), 0, "timeout");
  setImmediate(() => log("immediate"), "immediate");
};

describe("setTimeout(0) vs setImmediate", () => {
  it("from the main script: a race, both orders possible, the race listed", () => {
    const r = runLoopOrders(body);
    expect(r.deterministic).toBe(false);
    expect(r.orders).toEqual([
      ["immediate", "timeout"],
      ["timeout", "immediate"],
    ]);
    expect(r.runs[0].races).toEqual([{ time: 0, timers: ["timeout"], others: ["immediate"], resolvedAs: "wait" }]);
    expect(r.runs[1].races[0].resolvedAs).toBe("fire");
  });
  it("inside an IO callback: immediate first, no race", () => {
    const r = runLoopOrders(body, { start: "io" });
    expect(r.deterministic).toBe(true);
    expect(r.orders).toEqual([["immediate", "timeout"]]);
    expect(r.runs[0].races).toEqual([]);
  });
  it("after 1 ms of main-script work the timer is due: timeout first, no race", () => {
    const r = runLoopOrders((api) => {
      body(api);
      api.cpu(1);
    });
    expect(r).toMatchObject({ deterministic: true, orders: [["timeout", "immediate"]] });
  });
  it("a lone timer is no race (nothing else could run first)", () => {
    expect(runLoop(({ setTimeout, log }) => setTimeout(() => log("t"), 0)).races).toEqual([]);
  });
  it("bad options are named errors", () => {
    expect(() => runLoop(body, { timerRace: "maybe" as never })).toThrow(EventLoopInputError);
    expect(() => runLoop(body, { module: "amd" as never })).toThrow(/commonjs/);
  });
});

describe("module type at top level", () => {
  const top = ({ log, nextTick, resolved }: LoopApi) => {
    resolved()
      .then(() => log("then 1"))
      .then(() => log("then 2"));
    nextTick(() => log("tick"));
  };
  it("CommonJS: nextTick before promise jobs; ES module: promise jobs first", () => {
    expect(runLoop(top).order).toEqual(["tick", "then 1", "then 2"]);
    expect(runLoop(top, { module: "esm" }).order).toEqual(["then 1", "then 2", "tick"]);
  });
});

describe("async mutex bookkeeping", () => {
  it("holder and waiting follow lock, hand-off and unlock", () => {
    const seen: unknown[] = [];
    runLoop(({ asyncFn, mutex, sleep }) => {
      const m = mutex("m");
      asyncFn("A", function* () {
        yield m.lock();
        yield sleep(5);
        seen.push([m.holder, [...m.waiting]]);
        m.unlock();
        seen.push([m.holder, [...m.waiting]]);
      });
      asyncFn("B", function* () {
        yield m.lock();
        m.unlock();
        seen.push([m.holder, m.locked]);
      });
    });
    expect(seen).toEqual([
      ["A", ["B"]],
      ["B", []],
      [null, false],
    ]);
  });
});
