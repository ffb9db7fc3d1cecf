#!/usr/bin/env node
// lib/ compiled to JavaScript + declaration files in build/lib (tsconfig.lib.json), so that a new tslab kernel reads
// .d.ts files instead of type-checking the whole library from source (7–8 s per chapter before; well under 1 s now).
// The notebooks see it through the committed symlink notebooks/lib -> ../build/lib; build/ is never committed.
//
// ensureLibBuild() is cheap when nothing changed (it compares the size and mtime of every file in lib/ with the
// stamp of the last build, a few milliseconds) and otherwise rebuilds with `tsc -b` (incremental: a second or two
// after an edit, about 8 s from scratch). Set-up, execute and every kernel start (scripts/kernel.js) call it.
//   node scripts/lib-build.js           build if stale, print what happened
//   node scripts/lib-build.js --force   rebuild from scratch
//   node scripts/lib-build.js --check   exit 1 if stale (no build)
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

/** Where everything is; tests pass their own paths to build a small fixture. */
function defaultPaths() {
  return {
    root,
    src: path.join(root, "lib"),
    out: path.join(root, "build", "lib"),
    tsconfig: path.join(root, "tsconfig.lib.json"),
    // the buildinfo named by the tsconfig (deleted to force a full build)
    buildInfo: path.join(root, "build", "lib.tsbuildinfo"),
    // the files besides lib/ whose change means a rebuild
    extraInputs: [path.join(root, "tsconfig.json"), path.join(root, "tsconfig.lib.json")],
    // the project's TypeScript (5.9): its declaration files are read by tslab's 5.0 (checked by test/build)
    tsc: path.join(root, "node_modules", "typescript", "bin", "tsc"),
  };
}

const STAMP = ".stamp.json";
const LOCK = ".lock";

/** Every file under dir, as paths relative to dir with "/" separators, sorted. */
function walk(dir, rel = "") {
  let entries;
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const files = [];
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) files.push(...walk(dir, r));
    else if (e.isFile()) files.push(r);
  }
  return files.sort();
}

/** Size and mtime of every input: the state a build is made from. */
function snapshot(p) {
  const inputs = {};
  for (const rel of walk(p.src)) {
    const st = fs.statSync(path.join(p.src, rel));
    inputs[`lib/${rel}`] = [st.size, st.mtimeMs];
  }
  for (const f of p.extraInputs) {
    const st = fs.statSync(f, { throwIfNoEntry: false });
    inputs[path.relative(p.root, f).split(path.sep).join("/")] = st ? [st.size, st.mtimeMs] : null;
  }
  return inputs;
}

/** `.ts` files are compiled by tsc; every other file in lib/ (the worker scripts) is copied as it is. */
const compiled = (rel) => rel.endsWith(".ts") && !rel.endsWith(".d.ts");

/** The files build/lib must hold for a source file of lib/. */
function outputsOf(rel) {
  if (!compiled(rel)) return [rel];
  const base = rel.slice(0, -3);
  return [`${base}.js`, `${base}.d.ts`, `${base}.js.map`];
}

function readStamp(p) {
  try {
    return JSON.parse(fs.readFileSync(path.join(p.out, STAMP), "utf8"));
  } catch {
    return null;
  }
}

/** The inputs that differ between two snapshots (added, removed or changed), sorted. */
function changedInputs(a, b) {
  const names = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...names].filter((n) => JSON.stringify(a?.[n]) !== JSON.stringify(b?.[n])).sort();
}

/**
 * Why build/lib is not up to date, or null when it is: a changed input, or a missing output.
 * `outputs: false` skips the output check (the kernel's per-cell check only asks whether lib/ changed).
 */
function staleness(p = defaultPaths(), { outputs = true } = {}) {
  const stamp = readStamp(p);
  if (!stamp) return { reason: "no build yet", changed: [] };
  const changed = changedInputs(stamp.inputs, snapshot(p));
  const missing = outputs ? missingOutputs(p)[0] : undefined;
  if (changed.length) return { reason: `changed: ${changed.slice(0, 3).join(", ")}`, changed, missing };
  if (missing) return { reason: `missing build/lib/${missing}`, changed, missing };
  return null;
}

/** The outputs of lib's current files that build/lib lacks. */
function missingOutputs(p) {
  return walk(p.src)
    .flatMap(outputsOf)
    .filter((o) => !fs.existsSync(path.join(p.out, o)));
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Run fn holding a lock directory next to the output, so that kernels started together build once. */
function withLock(p, fn) {
  const lock = path.join(path.dirname(p.out), LOCK);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let holder = Number.NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        // the holder has not written its pid yet, or is gone
      }
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if ((Number.isFinite(holder) && !alive(holder)) || (!Number.isFinite(holder) && age > 10_000)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) break; // build anyway rather than hang a kernel
      sleepMs(100);
    }
  }
  fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Remove outputs whose source is gone (a deleted or renamed lib file), and empty folders. */
function removeOrphans(p) {
  const keep = new Set([STAMP]);
  for (const rel of walk(p.src)) for (const o of outputsOf(rel)) keep.add(o);
  for (const rel of walk(p.out)) if (!keep.has(rel)) fs.rmSync(path.join(p.out, rel), { force: true });
  const prune = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const d = path.join(dir, e.name);
      prune(d);
      if (fs.readdirSync(d).length === 0) fs.rmdirSync(d);
    }
  };
  if (fs.existsSync(p.out)) prune(p.out);
}

/** Copy the files tsc does not compile (lib/real/workers/*.js), keeping their mtimes. */
function copyPlainFiles(p) {
  for (const rel of walk(p.src)) {
    if (compiled(rel)) continue;
    const from = path.join(p.src, rel);
    const to = path.join(p.out, rel);
    const a = fs.statSync(from);
    const b = fs.statSync(to, { throwIfNoEntry: false });
    if (b && b.size === a.size && b.mtimeMs === a.mtimeMs) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    fs.utimesSync(to, a.atime, a.mtime);
  }
}

/**
 * Make build/lib match lib/. Returns { built, ms, reason, errors }: `errors` holds tsc's messages (file(line,col):
 * error TS…) when lib does not type-check; the JavaScript is still written, and the errors are kept in the stamp so
 * that every kernel reports them until lib is fixed.
 */
function ensureLibBuild({ force = false, log = () => {}, paths } = {}) {
  const p = paths ?? defaultPaths();
  const t0 = Date.now();
  const quick = force ? { reason: "forced", changed: [] } : staleness(p);
  if (!quick) return { built: false, ms: Date.now() - t0, reason: "up to date", errors: readStamp(p)?.errors ?? [] };
  return withLock(p, () => {
    const why = force ? quick : staleness(p); // another process may have built it while we waited
    if (!why)
      return {
        built: false,
        ms: Date.now() - t0,
        reason: "built by another process",
        errors: readStamp(p)?.errors ?? [],
      };
    log(`compiling lib/ to build/lib (${why.reason}) …`);
    // tsc -b trusts its buildinfo: without it (no build yet, a deleted output) it compiles everything again.
    const fromScratch = force || why.reason === "no build yet" || why.missing;
    if (fromScratch) {
      fs.rmSync(p.buildInfo, { force: true });
      fs.rmSync(path.join(p.out, STAMP), { force: true });
    }
    const inputs = snapshot(p); // before compiling: an edit made during the build shows as stale next time
    const r = spawnSync(process.execPath, [p.tsc, "-b", p.tsconfig, "--pretty", "false"], {
      cwd: p.root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    const text = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
    const errors = r.status === 0 ? [] : text.split("\n").filter((l) => l.trim() !== "");
    copyPlainFiles(p);
    removeOrphans(p);
    const missing = missingOutputs(p);
    if (missing.length) {
      // tsc wrote nothing usable (a crash, or a syntax error it cannot emit): no stamp, so the next start retries.
      errors.push(`build/lib is incomplete (missing ${missing.slice(0, 3).join(", ")}): tsc said ${text || "nothing"}`);
    } else {
      fs.writeFileSync(path.join(p.out, STAMP), JSON.stringify({ inputs, errors, builtAt: new Date().toISOString() }));
    }
    const ms = Date.now() - t0;
    log(`compiled lib/ in ${(ms / 1000).toFixed(1)} s${errors.length ? `, with ${errors.length} error line(s)` : ""}`);
    return { built: true, ms, reason: why.reason, errors };
  });
}

module.exports = { defaultPaths, ensureLibBuild, staleness, snapshot, changedInputs, outputsOf, readStamp };

if (require.main === module) {
  const args = new Set(process.argv.slice(2));
  if (args.has("--check")) {
    const s = staleness();
    console.log(s ? `build/lib is stale: ${s.reason}` : "build/lib is up to date");
    process.exit(s ? 1 : 0);
  }
  const r = ensureLibBuild({ force: args.has("--force"), log: (m) => console.log(`[lib-build] ${m}`) });
  if (!r.built) console.log(`[lib-build] build/lib is up to date (checked in ${r.ms} ms)`);
  if (r.errors.length) {
    console.error(["[lib-build] lib/ does not type-check:", ...r.errors].join("\n"));
    process.exit(1);
  }
}
