// npm run bench kernel — issue 15, part 1: chapters open in a second. Goals: the import cell of every chapter
// (`import { … } from "./lib/index"`, its first code cell) takes < 1.5 s in a fresh kernel, and the whole course
// executes headless (`node scripts/execute.js`, every chapter) in < 60 s. Before, tslab type-checked lib/ from
// source in every new kernel: 7–8 s per import cell, 100–127 s for the course. Now the notebooks import build/lib
// (lib/ compiled to .js + .d.ts by scripts/lib-build.js), and the figures below also show what keeping it fresh costs.
// Timings are medians of CBE_BENCH_REPS fresh kernels per chapter (default 3) and CBE_BENCH_COURSE_REPS executions
// of the course (default 1). CBE_BENCH_FROM_SOURCE=1 also times the import cell and the course the old way (tslab
// compiling lib/*.ts in every kernel), on copies of the chapters in .cache/bench-kernel/from-source.
// Nothing in lib/ or build/ is touched: rebuild timings use a scratch copy in .cache/bench-kernel.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

interface Paths {
  root: string;
  src: string;
  out: string;
  tsconfig: string;
  buildInfo: string;
  extraInputs: string[];
  tsc: string;
}
interface LibBuild {
  defaultPaths(): Paths;
  ensureLibBuild(o?: { force?: boolean; paths?: Paths }): { built: boolean; ms: number; errors: string[] };
  staleness(p?: Paths): { reason: string } | null;
}
interface Env {
  root: string;
  cacheDir: string;
  chapters(): string[];
  findPython(): string | null;
  jupyterEnv(): NodeJS.ProcessEnv;
}
type ImportRun = { start: number; import: number; errors: string[] };

const libBuild = require("../scripts/lib-build") as LibBuild;
const env = require("../scripts/env") as Env;

const IMPORT_GOAL_S = 1.5;
const COURSE_GOAL_S = 60;
const reps = Math.max(1, Number(process.env.CBE_BENCH_REPS ?? 3));
const courseReps = Math.max(1, Number(process.env.CBE_BENCH_COURSE_REPS ?? 1));
const scratch = path.join(env.cacheDir, "bench-kernel");

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (x: number) => `${x.toFixed(2)} s`;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

/** Rebuild costs on a scratch copy of lib/: from scratch, nothing changed, a comment edit, an exported-API edit. */
function rebuildCosts(): void {
  console.log("\n# keeping build/lib fresh (scratch copy of lib/ in .cache/bench-kernel/project)");
  const proj = path.join(scratch, "project");
  fs.rmSync(proj, { recursive: true, force: true });
  fs.mkdirSync(proj, { recursive: true });
  fs.cpSync(path.join(env.root, "lib"), path.join(proj, "lib"), { recursive: true });
  const tsconfig = path.join(proj, "tsconfig.lib.json");
  const rootConfig = path.relative(proj, path.join(env.root, "tsconfig.lib.json")).split(path.sep).join("/");
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: rootConfig,
      compilerOptions: { rootDir: "lib", outDir: "build/lib", tsBuildInfoFile: "build/lib.tsbuildinfo" },
      include: ["lib/**/*.ts"],
    }),
  );
  const p: Paths = {
    ...libBuild.defaultPaths(),
    root: proj,
    src: path.join(proj, "lib"),
    out: path.join(proj, "build", "lib"),
    tsconfig,
    buildInfo: path.join(proj, "build", "lib.tsbuildinfo"),
    extraInputs: [tsconfig],
  };
  const full = libBuild.ensureLibBuild({ force: true, paths: p });
  const noop: number[] = [];
  for (let i = 0; i < 5; i++) noop.push(libBuild.ensureLibBuild({ paths: p }).ms);
  const edit = (what: string, text: string): number => {
    const f = path.join(p.src, "errors.ts");
    fs.appendFileSync(f, text);
    const later = new Date(Date.now() + 2000); // a distinct mtime even on coarse file systems
    fs.utimesSync(f, later, later);
    const r = libBuild.ensureLibBuild({ paths: p });
    if (!r.built || r.errors.length) console.log(`  (${what}: built ${r.built}, errors ${r.errors.join("; ")})`);
    return r.ms;
  };
  const comment = edit("comment", "\n// bench: a comment\n");
  const api = edit("export", "\nexport const benchEdit = 1;\n");
  console.log(
    `  full build (tsc -b from scratch)            ${secs(full.ms / 1000)}${full.errors.length ? " (errors)" : ""}`,
  );
  console.log(`  up-to-date check (every kernel start)       ${median(noop).toFixed(0)} ms (median of 5)`);
  console.log(`  rebuild after a comment edit of errors.ts   ${secs(comment / 1000)}`);
  console.log(`  rebuild after a new export in errors.ts     ${secs(api / 1000)}  (every file depends on it)`);
}

/** Fresh-kernel import-cell timings of every chapter, with `cwd` as the notebooks' folder. */
function importCells(python: string, cwd: string): Map<string, ImportRun[]> {
  const r = spawnSync(python, [path.join(__dirname, "kernel_import.py"), String(reps), cwd, ...env.chapters()], {
    env: env.jupyterEnv(),
    cwd: env.root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`kernel_import.py failed (exit ${r.status}): ${r.stdout}`);
  const lines = r.stdout.trim().split("\n");
  return new Map(Object.entries(JSON.parse(lines[lines.length - 1]) as Record<string, ImportRun[]>));
}

function reportImports(title: string, runs: Map<string, ImportRun[]>, goal: boolean): boolean {
  console.log(`\n# ${title}: median of ${reps} fresh kernel(s) per chapter`);
  let all = true;
  for (const [name, rs] of runs) {
    const imp = median(rs.map((r) => r.import));
    const start = median(rs.map((r) => r.start));
    const errors = rs.flatMap((r) => r.errors);
    const ok = imp < IMPORT_GOAL_S && errors.length === 0;
    all &&= ok;
    const tail = goal ? `  goal < ${IMPORT_GOAL_S} s: ${verdict(ok)}` : "";
    console.log(`  ${name.padEnd(45)} import cell ${secs(imp)}  (kernel start ${secs(start)})${tail}`);
    if (errors.length) console.log(`    the cell wrote errors: ${errors[0].split("\n").slice(0, 3).join(" | ")}`);
  }
  return all;
}

/** Wall time of `cmd`, run courseReps times; reports the median, with the goal when `goal`. */
function course(title: string, cmd: string[], goal: boolean): void {
  console.log(`\n# ${title} (${courseReps} run(s))`);
  const times: number[] = [];
  let failed = false;
  for (let i = 0; i < courseReps; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: env.root, stdio: "inherit", env: env.jupyterEnv() });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    failed ||= r.status !== 0;
  }
  const med = median(times);
  const runs = courseReps > 1 ? ` (runs: ${times.map((t) => t.toFixed(1)).join(", ")} s)` : "";
  const tail = goal ? `  goal < ${COURSE_GOAL_S} s: ${verdict(!failed && med < COURSE_GOAL_S)}` : "";
  console.log(`  whole course ${secs(med)}${runs}${failed ? " — a chapter FAILED" : ""}${tail}`);
}

function main(): void {
  const python = env.findPython();
  if (!python) {
    console.error("Jupyter (nbclient) not found: run `npm run setup` first.");
    process.exit(1);
  }
  const b = libBuild.ensureLibBuild();
  console.log(`build/lib ${b.built ? `rebuilt in ${secs(b.ms / 1000)}` : `up to date (checked in ${b.ms} ms)`}`);
  if (b.errors.length) console.log(`lib/ does not type-check: ${b.errors[0]}`);

  rebuildCosts();
  const after = importCells(python, path.join(env.root, "notebooks"));
  const allMet = reportImports("import cell, lib compiled (notebooks/lib -> build/lib)", after, true);
  console.log(`  every chapter's import cell < ${IMPORT_GOAL_S} s: ${verdict(allMet)}`);
  course("the whole course headless: node scripts/execute.js", [process.execPath, "scripts/execute.js"], true);
  if (process.env.CBE_BENCH_FROM_SOURCE === "1") {
    // The old way, for comparison: copies of the chapters in a folder whose lib links to the TypeScript sources,
    // which tslab then type-checks and compiles in every kernel.
    const dir = path.join(scratch, "from-source");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.relative(dir, path.join(env.root, "lib")), path.join(dir, "lib"));
    const copies = env.chapters().map((c) => {
      fs.copyFileSync(c, path.join(dir, path.basename(c)));
      return path.join(dir, path.basename(c));
    });
    reportImports("import cell, lib from TypeScript source (before)", importCells(python, dir), false);
    const runner = [python, path.join(env.root, "scripts", "run_notebooks.py"), path.join(dir, "executed"), "300"];
    course("the whole course, lib from TypeScript source (before)", [...runner, ...copies], false);
  }
}

main();
