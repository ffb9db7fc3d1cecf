// One sweep worker process: loads the compiled library, runs the calls it is told to (by index, in order), and
// reports each outcome over IPC. The parent kills it when a call hangs or the process dies, and starts another.
"use strict";
const path = require("node:path");
const root = path.resolve(__dirname, "..", "..");
// the parent passes a private copy of build/lib, so a rebuild by someone else mid-sweep changes nothing here
const libDir = process.env.CBE_SWEEP_LIB || path.join(root, "build", "lib");
const L = require(path.join(libDir, "index.js"));
const { setDisplaySink } = require(path.join(libDir, "notebook", "display.js"));
const { buildCalls } = require("./cases.js");

const NONSENSE = /\bNaN\b|\bundefined\b|\[object Object\]/;
// Text that names `undefined` on purpose: the checks' "replace `undefined` with your answer", and a learner's own
// JavaScript error quoted back as feedback ("Cannot read properties of undefined").
// An error message quoted back as feedback that describes the bad value ("…, got NaN: pass …") is right too.
const MEANT = /`undefined`|properties of undefined|of undefined \(reading|got (NaN|undefined)\b/g;
let shown = [];
setDisplaySink({
  html: (h) => shown.push(h),
  markdown: (m) => shown.push(m),
  text: (t) => shown.push(t),
  live: () => ({ html: (h) => shown.push(h) }),
  bundle: (d) => shown.push(d),
});

/** Where a returned value (or its display) holds NaN, "undefined", "NaN" or "[object Object]"; null if nowhere. */
function nonsense(v) {
  const seen = new Set();
  const stack = [[v, "result", 0]];
  let visited = 0;
  while (stack.length && visited < 50_000) {
    const [x, where, depth] = stack.pop();
    visited++;
    if (typeof x === "number" && Number.isNaN(x)) return `${where} is NaN`;
    // (strings over 500 kB are inlined libraries such as plotly.js, not the course's text)
    if (typeof x === "string" && x.length < 500_000) {
      const m = NONSENSE.exec(x.replace(MEANT, ""));
      if (m) return `${where} contains "${m[0]}": …${x.slice(Math.max(0, m.index - 60), m.index + 40)}…`;
    }
    if (x && typeof x === "object" && !seen.has(x) && depth < 8) {
      seen.add(x);
      if (x instanceof Map) {
        for (const [k, y] of x) stack.push([y, `${where}.get(${String(k).slice(0, 20)})`, depth + 1]);
        continue;
      }
      if (ArrayBuffer.isView(x)) continue;
      let keys;
      try {
        keys = Object.keys(x);
      } catch {
        continue;
      }
      for (const k of keys.slice(0, 5000)) {
        let y;
        try {
          y = x[k];
        } catch {
          continue;
        }
        stack.push([y, `${where}.${k}`, depth + 1]);
      }
    }
  }
  return null;
}

function describe(e) {
  if (e instanceof L.CourseError) return { outcome: "named", error: e.name, message: String(e.message).slice(0, 300) };
  const name = e && typeof e === "object" && "name" in e ? String(e.name) : typeof e;
  const message = e && typeof e === "object" && "message" in e ? String(e.message) : String(e);
  return { outcome: "generic", error: name, message: message.slice(0, 300) };
}

const calls = buildCalls(L);
const byLabel = new Map(calls.map((c, i) => [c.label, i]));
let current = -1;
process.on("uncaughtException", (e) => {
  // an error thrown later from a timer the call left behind: blame the call that is running now
  process.send?.({ type: "stray", index: current, ...describe(e) });
});
process.on("unhandledRejection", () => {});

async function runOne(i) {
  const c = calls[i];
  shown = [];
  let outcome;
  try {
    let r = c.run();
    if (r && typeof r.then === "function") r = await r;
    // an echoed answer (check's "You answered NaN") is the learner's value shown back, not the library's nonsense
    const why = c.echo ? null : (nonsense(r) ?? nonsense(shown));
    if (c.typo) outcome = { outcome: "typo-ignored", message: "a misspelled option was silently ignored" };
    else if (why) outcome = { outcome: "nonsense", message: why.slice(0, 300) };
    else if (c.real) outcome = { outcome: "real-started", message: "a real experiment accepted a bad value and ran" };
    else outcome = { outcome: "ok" };
  } catch (e) {
    outcome = describe(e);
  }
  return outcome;
}

process.on("message", async (msg) => {
  if (msg.type === "count") {
    process.send({ type: "count", count: calls.length, labels: calls.map((c) => c.label) });
    return;
  }
  if (msg.type === "run") {
    // calls are named by label (the parent's list and this process's are built from the same library copy)
    for (const [i, label] of msg.calls) {
      current = i;
      process.send({ type: "start", index: i });
      const t = Date.now();
      const k = byLabel.get(label);
      const r = k === undefined ? { outcome: "missing", message: "no such call here" } : await runOne(k);
      process.send({ type: "done", index: i, ms: Date.now() - t, ...r });
    }
    process.send({ type: "finished" });
  }
});
process.send({ type: "ready" });
