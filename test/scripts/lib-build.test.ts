// build/lib (lib/ compiled by scripts/lib-build.js) is what the notebooks import: it must follow every change of lib/,
// be where notebooks/lib points, and be readable by tslab's TypeScript 5.0. Speed is shown by bench/kernel.bench.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

interface Paths {
  root: string;
  src: string;
  out: string;
  tsconfig: string;
  buildInfo: string;
  extraInputs: string[];
  tsc: string;
}
interface Result {
  built: boolean;
  reason: string;
  errors: string[];
}
interface LibBuild {
  defaultPaths(): Paths;
  ensureLibBuild(o?: { force?: boolean; paths?: Paths }): Result;
  staleness(p?: Paths, o?: { outputs?: boolean }): { reason: string; changed: string[] } | null;
  outputsOf(rel: string): string[];
}

const root = path.resolve(__dirname, "..", "..");
const libBuild = require(path.join(root, "scripts", "lib-build.js")) as LibBuild;

/** All files under dir, relative, "/"-separated. */
function files(dir: string, rel = ""): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? files(dir, r) : [r];
  });
}

describe("scripts/lib-build.js on a small project", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbe-lib-build-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const p: Paths = {
    ...libBuild.defaultPaths(),
    root: dir,
    src: path.join(dir, "lib"),
    out: path.join(dir, "build", "lib"),
    tsconfig: path.join(dir, "tsconfig.lib.json"),
    buildInfo: path.join(dir, "build", "lib.tsbuildinfo"),
    extraInputs: [path.join(dir, "tsconfig.lib.json")],
  };
  const write = (rel: string, text: string, secondsLater = 0) => {
    const f = path.join(p.src, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    if (secondsLater) {
      const t = new Date(Date.now() + secondsLater * 1000);
      fs.utimesSync(f, t, t);
    }
  };
  const out = (rel: string) => fs.readFileSync(path.join(p.out, rel), "utf8");
  fs.writeFileSync(
    p.tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES5"],
        types: [],
        module: "commonjs",
        strict: true,
        skipLibCheck: true,
        declaration: true,
        sourceMap: true,
        rootDir: "lib",
        outDir: "build/lib",
        incremental: true,
        tsBuildInfoFile: "build/lib.tsbuildinfo",
      },
      include: ["lib/**/*.ts"],
    }),
  );
  write("a.ts", "export const a = 1;\n");
  write("b.ts", 'import { a } from "./a";\nexport const b = a + 1;\n');
  write("workers/w.js", "module.exports = 1;\n");

  it("builds .js, .d.ts and source maps, and copies the plain JavaScript files", () => {
    const r = libBuild.ensureLibBuild({ paths: p });
    expect(r).toMatchObject({ built: true, errors: [] });
    expect(files(p.out).sort()).toEqual(
      [".stamp.json", "a.d.ts", "a.js", "a.js.map", "b.d.ts", "b.js", "b.js.map", "workers/w.js"].sort(),
    );
    expect(out("b.d.ts")).toContain("export declare const b: number;");
    expect(JSON.parse(out("b.js.map")).sources).toEqual(["../../lib/b.ts"]);
  });

  it("does nothing when lib is unchanged", () => {
    expect(libBuild.staleness(p)).toBeNull();
    expect(libBuild.ensureLibBuild({ paths: p })).toMatchObject({ built: false, reason: "up to date" });
  });

  it("rebuilds when a lib file is newer, and only then", () => {
    write("a.ts", "export const a = 41;\n", 2);
    expect(libBuild.staleness(p)?.changed).toEqual(["lib/a.ts"]);
    expect(libBuild.ensureLibBuild({ paths: p }).built).toBe(true);
    expect(out("a.js")).toContain("41");
    expect(libBuild.ensureLibBuild({ paths: p }).built).toBe(false);
  });

  it("copies a changed worker file and rebuilds a deleted output", () => {
    write("workers/w.js", "module.exports = 2;\n", 3);
    fs.rmSync(path.join(p.out, "b.d.ts"));
    expect(libBuild.staleness(p)).not.toBeNull();
    libBuild.ensureLibBuild({ paths: p });
    expect(out("workers/w.js")).toBe("module.exports = 2;\n");
    expect(out("b.d.ts")).toContain("export declare const b: number;");
  });

  it("removes the outputs of a deleted file", () => {
    fs.rmSync(path.join(p.src, "workers"), { recursive: true });
    libBuild.ensureLibBuild({ paths: p });
    expect(files(p.out).filter((f) => f.startsWith("workers"))).toEqual([]);
  });

  it("reports type errors with their lib file and line, still writes the JavaScript, and keeps reporting them", () => {
    write("b.ts", 'import { a } from "./a";\nexport const b: string = a;\n', 4);
    const r = libBuild.ensureLibBuild({ paths: p });
    expect(r.built).toBe(true);
    expect(r.errors.join("\n")).toMatch(/lib\/b\.ts\(2,14\): error TS2322/);
    expect(out("b.js")).toContain("exports.b = a_1.a");
    expect(libBuild.ensureLibBuild({ paths: p })).toMatchObject({ built: false, errors: r.errors });
  });
});

describe("the project's build/lib", () => {
  const p = libBuild.defaultPaths();

  it("is where notebooks/lib points, and where tsconfig.lib.json writes", () => {
    const link = path.join(root, "notebooks", "lib");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(path.resolve(path.dirname(link), fs.readlinkSync(link))).toBe(p.out);
    const config = fs.readFileSync(p.tsconfig, "utf8");
    expect(config).toMatch(/"outDir":\s*"build\/lib"/);
    expect(config).toMatch(/"rootDir":\s*"lib"/);
    expect(fs.readFileSync(path.join(root, ".gitignore"), "utf8")).toMatch(/^build\/$/m);
  });

  it("is what the project's kernel keeps fresh", () => {
    const spec = JSON.parse(fs.readFileSync(path.join(root, "jupyter", "kernels", "tslab", "kernel.json"), "utf8"));
    expect(spec.argv[1]).toBe("{resource_dir}/../../../scripts/kernel.js");
    expect(fs.readFileSync(path.join(root, "scripts", "kernel-install.js"), "utf8")).toContain('"kernel.js"');
  });

  it("matches lib/ after the set-up step (rebuilt here when lib changed), with the worker files beside real/", () => {
    // lib/ may change while this runs (an editor saving): then the next round rebuilds again.
    let r = libBuild.ensureLibBuild();
    for (let round = 0; round < 3 && libBuild.staleness(p) !== null; round++) r = libBuild.ensureLibBuild();
    expect(libBuild.staleness(p)).toBeNull();
    expect(r.errors).toEqual([]);
    const sources = files(p.src);
    const expected = new Set([".stamp.json", ...sources.flatMap(libBuild.outputsOf)]);
    expect(files(p.out).filter((f) => !expected.has(f))).toEqual([]);
    expect(files(p.out).filter((f) => f.startsWith("real/workers/"))).toEqual(
      sources.filter((f) => f.startsWith("real/workers/")),
    );
  }, 120_000);

  it("has declaration files that tslab's TypeScript 5.0 parses", () => {
    const ts50 = require("@tslab/typescript-for-tslab") as {
      version: string;
      ScriptTarget: { ES2022: number };
      createSourceFile(name: string, text: string, target: number, setParents: boolean): unknown;
      flattenDiagnosticMessageText(message: unknown, newLine: string): string;
    };
    expect(ts50.version).toMatch(/^5\.0\./);
    const bad = files(p.out)
      .filter((f) => f.endsWith(".d.ts"))
      .flatMap((f) => {
        const text = fs.readFileSync(path.join(p.out, f), "utf8");
        const sf = ts50.createSourceFile(f, text, ts50.ScriptTarget.ES2022, false);
        const diags = (sf as { parseDiagnostics: { messageText: unknown }[] }).parseDiagnostics;
        return diags.map((d) => `${f}: ${ts50.flattenDiagnosticMessageText(d.messageText, " ")}`);
      });
    expect(bad).toEqual([]);
  });
});
