import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  cancellationReal,
  combinatorFigure,
  combinatorScenario,
  combinatorsReal,
  raceTimeoutFigure,
  raceTimeoutReal,
  unhandledRejectionsReal,
} from "../../lib/chapters/07-async/index";
import { judgeWithTimeout, WITH_TIMEOUT_SOLUTIONS } from "../../lib/chapters/07-async/timeout-code";
import { EventLoopInputError } from "../../lib/eventloop/index";
import { RealInputError } from "../../lib/real/index";

describe("chapter 07 hazards: Promise combinators on the model (exact)", () => {
  it("A 30 ms ok, B 10 ms fails, C 50 ms fails: all and race reject at 10, any fulfills at 30, allSettled at 50", () => {
    const s = combinatorScenario();
    expect(s.requests.map((r) => [r.name, r.at, r.outcome])).toEqual([
      ["A", 30, "fulfilled"],
      ["B", 10, "rejected"],
      ["C", 50, "rejected"],
    ]);
    expect(s.combinators.map((c) => [c.name, c.at, c.outcome, c.text])).toEqual([
      ["Promise.all", 10, "rejected", "Error: B failed"],
      ["Promise.allSettled", 50, "fulfilled", "[fulfilled A, rejected Error: B failed, rejected Error: C failed]"],
      ["Promise.any", 30, "fulfilled", "A"],
      ["Promise.race", 10, "rejected", "Error: B failed"],
    ]);
    // C keeps running after all has rejected, and its rejection is handled (by all): nothing unhandled
    expect(s.unhandled).toEqual([]);
    expect(combinatorScenario(undefined, { combinators: ["Promise.all"] }).unhandled).toEqual([]);
    // with nobody listening, both rejections are unhandled
    expect(combinatorScenario(undefined, { combinators: [] }).unhandled).toEqual(["B()", "C()"]);
  });
  it("any rejects with an AggregateError only when every request fails", () => {
    const s = combinatorScenario([
      { name: "A", ms: 5, fails: true },
      { name: "B", ms: 8, fails: true },
    ]);
    const any = s.combinators.find((c) => c.name === "Promise.any");
    expect(any).toMatchObject({ at: 8, outcome: "rejected", text: "AggregateError: All promises were rejected" });
  });
  it("bad input is an EventLoopInputError that says what to change", () => {
    expect(() => combinatorScenario([])).toThrow(EventLoopInputError);
    expect(() => combinatorScenario([{ name: "A", ms: -1 }])).toThrow(/ms/);
    expect(() => combinatorScenario(undefined, { combinators: ["Promise.some" as never] })).toThrow(/Promise.all/);
    // a misspelled option is an error naming the right key, not a silent run of the defaults
    expect(() => combinatorScenario(undefined, { combinator: [] } as never)).toThrow(/did you mean `combinators`/);
  });
  it("the figures draw every request and combinator", () => {
    const f = combinatorFigure(combinatorScenario());
    const ys = f.data.flatMap((t) => (Array.isArray(t.y) ? (t.y as unknown[]) : []));
    for (const row of ["request A", "request B", "request C", "Promise.all", "Promise.race"]) expect(ys).toContain(row);
    const fr = raceTimeoutFigure([
      {
        label: "run",
        flags: "",
        exitCode: 0,
        events: [
          { at: 40, text: "timeout timer fires" },
          { at: 120, text: "process exits, code 0" },
        ],
        stderrLines: [],
        stderr: "",
      },
    ]);
    expect(fr.data[0].x).toEqual([120]);
  });
});

describe("chapter 07 hazards on real Node", () => {
  it("the combinators on real timers settle in the model's order, and leave no rejection unhandled", async () => {
    const r = await combinatorsReal();
    const model = combinatorScenario().combinators;
    const real = (name: string) => r.events.find((e) => e.text.startsWith(`${name} `));
    for (const c of model) {
      const e = real(c.name);
      expect(e?.text.startsWith(`${c.name} ${c.outcome}`)).toBe(true);
    }
    // timers of 10, 30 and 50 ms fire in that order whatever the load
    expect(real("Promise.all")!.at).toBeLessThanOrEqual(real("Promise.any")!.at);
    expect(real("Promise.any")!.at).toBeLessThanOrEqual(real("Promise.allSettled")!.at);
    expect(r.events.map((e) => e.text).indexOf("C rejects")).toBeGreaterThan(
      r.events.map((e) => e.text).indexOf("Promise.all rejected: B failed"),
    );
    expect(r.unhandled).toEqual([]);
    expect(r.lateMs).toBeGreaterThanOrEqual(0);
  });
  it("Promise.race with a timeout does not stop the work; a timer left running keeps the process alive", async () => {
    const [slow, left, cleared] = await raceTimeoutReal();
    const at = (run: typeof slow, prefix: string) => run.events.find((e) => e.text.startsWith(prefix))?.at ?? NaN;
    expect(slow.events.map((e) => e.text)).toEqual([
      "timeout timer fires",
      "race rejected: timed out",
      "work: order saved",
      "process exits, code 0",
    ]);
    expect(at(slow, "work:")).toBeGreaterThanOrEqual(110);
    expect(left.events.map((e) => e.text)).toEqual([
      "work: order saved",
      "race fulfilled: saved",
      "timeout timer fires",
      "process exits, code 0",
    ]);
    expect(at(left, "process exits")).toBeGreaterThanOrEqual(190);
    expect(cleared.events.map((e) => e.text)).toEqual([
      "work: order saved",
      "race fulfilled: saved",
      "process exits, code 0",
    ]);
    expect(at(cleared, "process exits")).toBeLessThan(at(left, "process exits"));
    for (const r of [slow, left, cleared]) expect(r.exitCode).toBe(0);
    // the race settles in the microtasks right after the deciding timer's callback: a few ms, not the tens of ms
    // a fresh process spends creating process.stdout on its first console.log (the scripts create it beforehand)
    const gaps = [slow, left, cleared].map((r) => r.events[1].at - r.events[0].at);
    expect(Math.min(...gaps)).toBeLessThan(15);
  }, 30_000);
  it("an AbortSignal stops only code that looks at it", async () => {
    const [ignores, checks, passes] = await cancellationReal();
    expect(ignores).toMatchObject({ use: "ignores", ended: "finished" });
    expect(ignores.steps).toHaveLength(4);
    expect(checks.ended).toBe("TimeoutError"); // throwIfAborted throws the signal's reason
    expect(checks.steps.length).toBeGreaterThanOrEqual(1);
    expect(checks.steps.length).toBeLessThan(4);
    expect(passes.ended).toBe("AbortError (cause: TimeoutError)");
    expect(passes.steps.length).toBeLessThanOrEqual(checks.steps.length);
    expect(passes.endedAt).toBeLessThan(ignores.endedAt);
    // each signal aborted once, at 30 ms or later; the ones that stopped stopped after their signal had aborted
    for (const w of [ignores, checks, passes]) {
      expect(w.abortedAt).not.toBeNull();
      expect(w.abortedAt!).toBeGreaterThanOrEqual(29);
    }
    expect(checks.endedAt).toBeGreaterThanOrEqual(checks.abortedAt!);
    expect(passes.endedAt).toBeGreaterThanOrEqual(passes.abortedAt!);
    expect(ignores.endedAt).toBeGreaterThan(ignores.abortedAt!);
  }, 30_000);
  it("Promise.all alone handles the rejection that arrives after its verdict: nothing unhandled", async () => {
    const r = await combinatorsReal({ combinators: ["Promise.all"] });
    const texts = r.events.map((e) => e.text);
    expect(texts).toContain("Promise.all rejected: B failed");
    expect(texts.indexOf("C rejects")).toBeGreaterThan(texts.indexOf("Promise.all rejected: B failed"));
    expect(r.unhandled).toEqual([]);
  }, 30_000);
  it("fs.promises.readFile takes a signal and rejects with an AbortError whose cause is the signal's reason", async () => {
    const reason = new Error("stop");
    const err = await readFile(process.execPath, { signal: AbortSignal.abort(reason) }).then(
      () => null,
      (e: Error & { cause?: unknown }) => e,
    );
    expect(err?.name).toBe("AbortError");
    expect(err?.cause).toBe(reason);
    const timeout = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    const late = await readFile(process.execPath, { signal: timeout }).then(
      () => null,
      (e: Error & { cause?: { name?: string } }) => e,
    );
    expect(late?.name).toBe("AbortError");
    expect(late?.cause?.name).toBe("TimeoutError");
  });
  it("the real experiments refuse a misspelled option, naming the right key", async () => {
    await expect(raceTimeoutReal({ timeout: 200 } as never)).rejects.toThrow(RealInputError);
    await expect(raceTimeoutReal({ timeout: 200 } as never)).rejects.toThrow(/did you mean `timeoutMs`/);
    await expect(cancellationReal({ abortAfter: 50 } as never)).rejects.toThrow(/did you mean `abortAfterMs`/);
    await expect(combinatorsReal({ combinator: [] } as never)).rejects.toThrow(/did you mean `combinators`/);
    await expect(unhandledRejectionsReal({ late: 5 } as never)).rejects.toThrow(/did you mean `lateMs`/);
    await expect(combinatorsReal(null as never)).rejects.toThrow(RealInputError);
  });
  it("unhandled rejections: throw by default (exit 1), warn keeps running, late handlers fire rejectionHandled", async () => {
    const [dflt, warn, listeners, sequential, all] = await unhandledRejectionsReal();
    const texts = (r: typeof dflt) => r.events.map((e) => e.text);
    expect(dflt.exitCode).toBe(1);
    expect(dflt.stderrLines[0]).toBe("Error: nobody caught me yet");
    expect(texts(dflt)).not.toContain("catch attached");
    expect(warn.flags).toBe("--unhandled-rejections=warn");
    expect(warn.exitCode).toBe(0);
    expect(texts(warn)).toEqual(["catch attached", "caught: nobody caught me yet", "process exits, code 0"]);
    expect(warn.stderr).toMatch(/UnhandledPromiseRejectionWarning: Error: nobody caught me yet/);
    expect(warn.stderr).toMatch(/PromiseRejectionHandledWarning: Promise rejection was handled asynchronously/);
    expect(listeners.exitCode).toBe(0);
    expect(texts(listeners)).toEqual([
      "unhandledRejection event: nobody caught me yet",
      "catch attached",
      "caught: nobody caught me yet",
      "rejectionHandled event",
      "process exits, code 0",
    ]);
    // try/catch around `await a; await b` does not help when b rejects while a is awaited
    expect(sequential.exitCode).toBe(1);
    expect(sequential.stderrLines[0]).toBe("Error: b failed");
    expect(texts(sequential)).not.toContain("caught: b failed");
    expect(all.exitCode).toBe(0);
    expect(texts(all)).toContain("caught: b failed");
  }, 30_000);
  it("AbortSignal.timeout's timer does not keep a process alive; timers/promises' setTimeout does", () => {
    const run = (src: string) => {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, ["-e", src], { timeout: 10_000 });
      return { code: r.status, ms: Date.now() - t0 };
    };
    const signal = run("AbortSignal.timeout(3000);");
    const timer = run('require("node:timers/promises").setTimeout(600);');
    expect(signal.code).toBe(0);
    expect(timer.code).toBe(0);
    expect(signal.ms).toBeLessThan(timer.ms);
    expect(timer.ms).toBeGreaterThanOrEqual(600);
  }, 30_000);
  it("fetch takes a signal: AbortSignal.timeout rejects it with a TimeoutError (loopback server, offline)", async () => {
    const server = http.createServer((_, res) => {
      const t = setTimeout(() => res.end("late"), 2000);
      res.on("close", () => clearTimeout(t));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const t0 = performance.now();
      const err = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(50) }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.name).toBe("TimeoutError");
      expect(performance.now() - t0).toBeLessThan(1500);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 30_000);
});

describe("chapter 07 exercise: withTimeout", () => {
  it("the written solutions pass, the wrong ones fail with the case that shows why", async () => {
    for (const right of [WITH_TIMEOUT_SOLUTIONS.clearsTimer, WITH_TIMEOUT_SOLUTIONS.signalTimeout]) {
      const c = await judgeWithTimeout(right);
      expect(c.cases.map((x) => x.ok)).toEqual([true, true, true, true]);
      expect(c.ok).toBe(true);
    }
    const race = await judgeWithTimeout(WITH_TIMEOUT_SOLUTIONS.raceOnly);
    expect(race.cases.map((x) => x.ok)).toEqual([false, false, false, true]);
    expect(race.message).toMatch(/timer is still running/);
    expect(race.cases[2].detail).toMatch(/never aborted/);
    const keeps = await judgeWithTimeout(WITH_TIMEOUT_SOLUTIONS.keepsTimer);
    expect(keeps.cases.map((x) => x.ok)).toEqual([false, false, true, true]);
    const none = await judgeWithTimeout(WITH_TIMEOUT_SOLUTIONS.noTimeout);
    expect(none.cases.map((x) => x.ok)).toEqual([true, true, false, false]);
    expect(none.cases[3].detail).toMatch(/fulfilled with "late"/);
  }, 30_000);
  it("a non-function or a throwing function is feedback, never a throw", async () => {
    expect((await judgeWithTimeout(42 as never)).message).toMatch(/must be a function/);
    const throws = await judgeWithTimeout(() => {
      throw new Error("oops");
    });
    expect(throws.ok).toBe(false);
    expect(throws.message).toMatch(/never called work\(signal\): it rejected with Error: oops/);
  });
});
