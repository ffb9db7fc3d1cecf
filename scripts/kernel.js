#!/usr/bin/env node
// The course's Jupyter kernel: tslab, started after making sure build/lib (lib/ compiled, see scripts/lib-build.js)
// matches lib/. The kernelspecs (jupyter/kernels/tslab, `npm run kernel:install`) run
//   node scripts/kernel.js kernel --config-path {connection_file}
// On top of plain tslab it
//   - rebuilds build/lib when lib/ changed (a second or two after an edit; nothing when it is up to date);
//   - maps stack traces of library code back to lib/*.ts lines (source maps);
//   - reports in the notebook, on a cell that imports "./lib/…", the errors of a lib/ that does not type-check
//     (tslab used to report them when it compiled lib/ itself), and says once when lib/ changed after the kernel
//     started: the kernel runs the library it started with, so restart it (Kernel → Restart) to use an edit.
"use strict";
// V8's code cache for the modules the kernel loads (TypeScript 5.0 for tslab is 9 MB of JavaScript): a kernel
// starts about 0.25 s sooner once the cache is warm. Node 20 has no module.enableCompileCache (22.1+), so the small
// library ts-node itself uses; the cache lives in .cache/ and is rebuilt when a file changes.
try {
  require("v8-compile-cache-lib").install({
    cacheDir: require("node:path").join(__dirname, "..", ".cache", "v8-compile-cache"),
  });
} catch {
  // no cache: the kernel only starts a little slower
}
const { changedInputs, defaultPaths, ensureLibBuild, readStamp, snapshot } = require("./lib-build");

const log = (m) => console.log(`[cbe kernel] ${m}`);
let build;
try {
  build = ensureLibBuild({ log });
} catch (e) {
  build = { errors: [`compiling lib/ failed: ${e?.message}`] };
}
// What this kernel runs: the inputs of the build it started with.
const paths = defaultPaths();
const startedWith = readStamp(paths)?.inputs ?? null;
if (build.errors.length) console.error(["[cbe kernel] lib/ does not type-check:", ...build.errors].join("\n"));

// Stack traces of library code point at lib/*.ts lines instead of the compiled build/lib/*.js.
if (typeof process.setSourceMapsEnabled === "function") process.setSourceMapsEnabled(true);

const IMPORTS_LIB = /from\s+["']\.\/lib\//;
let toldChanged = "";

/** Wrap each cell's execution: report lib's build errors, and a change of lib/ since the kernel started. */
function wrapExecutor(executor, out) {
  const execute = executor.execute;
  executor.execute = async function (src) {
    if (build.errors.length && IMPORTS_LIB.test(src)) {
      out.error(
        ["lib/ does not type-check, so this cell cannot import it. Fix these errors, then restart the kernel:"]
          .concat(build.errors)
          .join("\n"),
      );
      return false;
    }
    let changed = [];
    try {
      if (startedWith) changed = changedInputs(startedWith, snapshot(paths));
    } catch {
      // a file vanished while we looked: check again at the next cell
    }
    if (changed.length && changed.join() !== toldChanged) {
      toldChanged = changed.join();
      out.log(
        `Note: ${changed.slice(0, 3).join(", ")}${changed.length > 3 ? " …" : ""} changed after ` +
          "this kernel started; it still runs the library it started with. Restart the kernel (Kernel → Restart) " +
          "to use the change.",
      );
    }
    return execute.call(this, src);
  };
  return executor;
}

const executorModule = require("tslab/dist/executor");
const createExecutor = executorModule.createExecutor;
executorModule.createExecutor = (rootDir, convs, out) => wrapExecutor(createExecutor(rootDir, convs, out), out);

require("tslab/dist/main").main();
