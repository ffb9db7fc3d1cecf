// Runs the sweep (test/sweep/cases.js) in child processes: two at a time, each doing many calls in a row; a call
// that takes longer than `timeoutMs` is a hang and a process that dies is a crash: the child is killed with its whole
// process group (workers and child processes it started) and a fresh one continues with the next call.
//   node test/sweep/run.js [--timeout ms] [--only name,name] [--json out.json] [--show n]
//   (after node scripts/lib-build.js; prints the defects per export and the counts per outcome)
"use strict";
const { fork } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");

/** A private copy of build/lib for this sweep (others may rebuild build/lib meanwhile); removed at the end. */
function snapshotLib() {
  const dir = path.join(root, "build", `.sweep-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  // CBE_SWEEP_FROM: another compiled lib to sweep (e.g. an older commit's, to count its defects); it must sit inside
  // this project so that node_modules resolve
  fs.cpSync(process.env.CBE_SWEEP_FROM || path.join(root, "build", "lib"), path.join(dir, "lib"), { recursive: true });
  return dir;
}

function runSweep({ timeoutMs = 8000, parallel = 2, only = null, onProgress = () => {} } = {}) {
  const snap = snapshotLib();
  const env = { ...process.env, CBE_SWEEP_LIB: path.join(snap, "lib") };
  return new Promise((resolve) => {
    const probe = fork(path.join(__dirname, "child.js"), [], { stdio: ["ignore", "ignore", "ignore", "ipc"], env });
    probe.on("message", (m) => {
      if (m.type !== "count") {
        probe.send({ type: "count" });
        return;
      }
      probe.kill("SIGKILL");
      const labels = m.labels;
      let todo = labels.map((_, i) => i);
      if (only) todo = todo.filter((i) => only.some((n) => labels[i].startsWith(`${n}(`)));
      const results = new Array(labels.length);
      const queue = todo.slice();
      let running = 0;
      const chunk = Math.ceil(queue.length / parallel);
      const lanes = [];
      for (let k = 0; k < parallel; k++) lanes.push(queue.slice(k * chunk, (k + 1) * chunk));
      const finishLane = () => {
        running--;
        if (running === 0) resolve(todo.map((i) => ({ index: i, label: labels[i], ...results[i] })));
      };
      const startLane = (lane) => {
        if (lane.length === 0) return finishLane();
        const child = fork(path.join(__dirname, "child.js"), [], {
          stdio: ["ignore", "ignore", "pipe", "ipc"],
          execArgv: ["--max-old-space-size=1024"],
          detached: true,
          env,
        });
        let stderr = "";
        child.stderr.on("data", (d) => {
          stderr = (stderr + d).slice(-2000);
        });
        let current = -1;
        let timer = null;
        let over = false;
        const killGroup = () => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            child.kill("SIGKILL");
          }
        };
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            if (current >= 0 && !results[current]) results[current] = { outcome: "hang", message: `> ${timeoutMs} ms` };
            over = true;
            killGroup();
          }, timeoutMs);
        };
        child.on("message", (m) => {
          if (m.type === "ready") {
            child.send({ type: "run", calls: lane.map((i) => [i, labels[i]]) });
          } else if (m.type === "start") {
            current = m.index;
            arm();
          } else if (m.type === "done") {
            clearTimeout(timer);
            if (!results[m.index]) results[m.index] = m;
            onProgress(m);
          } else if (m.type === "stray") {
            if (m.index >= 0 && m.outcome === "generic")
              results[m.index] = { ...m, outcome: "generic", message: `(later, from a timer) ${m.message}` };
          } else if (m.type === "finished") {
            clearTimeout(timer);
            over = true;
            killGroup();
          }
        });
        child.on("exit", (code, signal) => {
          clearTimeout(timer);
          const pos = lane.indexOf(current);
          if (!over && current >= 0 && !results[current])
            results[current] = { outcome: "crash", message: `exit ${code} ${signal} ${stderr.slice(-300)}` };
          const rest = current >= 0 ? lane.slice(pos + 1) : lane;
          if (rest.length && rest.some((i) => !results[i])) startLane(rest.filter((i) => !results[i]));
          else finishLane();
        });
      };
      running = lanes.length;
      for (const lane of lanes) startLane(lane);
    });
  });
}

/** Counts per outcome, and the defects (everything but ok / named) grouped by export. */
function summarise(records) {
  const counts = {};
  for (const r of records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  const defects = records.filter((r) => r.outcome !== "ok" && r.outcome !== "named");
  return { total: records.length, counts, defects };
}

/** Defects (anything but a named error or a correct result) per export name. */
function defectsByExport(records) {
  const out = {};
  for (const r of records) {
    if (r.outcome === "ok" || r.outcome === "named") continue;
    const fn = r.label.slice(0, r.label.indexOf("("));
    out[fn] = (out[fn] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => a[0].localeCompare(b[0])));
}

module.exports = { runSweep, summarise, defectsByExport };

if (require.main === module) {
  const arg = (k) => {
    const i = process.argv.indexOf(k);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const t0 = Date.now();
  runSweep({
    timeoutMs: Number(arg("--timeout") ?? 8000),
    only: arg("--only") ? arg("--only").split(",") : null,
  }).then((records) => {
    const s = summarise(records);
    const byFn = {};
    for (const d of s.defects) {
      const fn = d.label.slice(0, d.label.indexOf("("));
      (byFn[fn] ??= []).push(`${d.outcome}: ${d.label} → ${d.error ?? ""} ${d.message ?? ""}`);
    }
    for (const [fn, list] of Object.entries(byFn).sort((a, b) => b[1].length - a[1].length)) {
      console.log(`\n## ${fn} (${list.length})`);
      for (const l of list.slice(0, Number(arg("--show") ?? 3))) console.log(`  ${l.slice(0, 260)}`);
    }
    console.log(`\n${s.total} calls in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, JSON.stringify(s.counts));
    if (arg("--json")) require("node:fs").writeFileSync(arg("--json"), JSON.stringify(records, null, 1));
  });
}
