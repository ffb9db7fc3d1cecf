/**
 * A notebook cell of TypeScript → a function the page can run, with the cell's top-level names kept in one scope
 * object shared by the page's cells, as a notebook kernel keeps them between cells (and a cell can run again: its
 * `const` becomes an assignment, not a second declaration).
 *
 *   sucrase strips the types (no type check: the page shows what the code does, Jupyter also says what the types
 *   say); acorn parses the result; then each top-level statement is rewritten:
 *     import { a as b } from "./lib/index"   →  b = __import("./lib/index").a;
 *     const { x, y } = f(), z = 1;           →  ({ x, y } = f()); (z = 1);
 *     function g() {}                        →  g = function g() {};   (moved to the top, as hoisting does)
 *     class C {}                             →  C = class C {};
 *     the last statement, if an expression   →  __cell.value = (expression);   (shown like the notebook's Out)
 *   and the whole runs as `with (__scope) { … }` in an async function (top-level await works).
 */
import { parse } from "acorn";
import { transform } from "sucrase";

/** A cell ready to run: `run(scope, importer, cell)`; `declared` are its top-level names. */
export interface CompiledCell {
  declared: string[];
  run: (scope: object, importer: (spec: string) => unknown, cell: { value: unknown }) => Promise<void>;
  /** The JavaScript the cell became (for debugging: `cbeLive` does not expose it). */
  js: string;
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: any;
}

/** The names a binding pattern declares. */
function patternNames(p: Node, out: string[] = []): string[] {
  if (!p) return out;
  if (p.type === "Identifier") out.push(p.name);
  else if (p.type === "ObjectPattern")
    for (const prop of p.properties) patternNames(prop.type === "RestElement" ? prop.argument : prop.value, out);
  else if (p.type === "ArrayPattern") for (const el of p.elements) patternNames(el, out);
  else if (p.type === "RestElement") patternNames(p.argument, out);
  else if (p.type === "AssignmentPattern") patternNames(p.left, out);
  return out;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => CompiledCell["run"];

/** Compile a cell; a syntax error is thrown as SyntaxError with its line and column in the cell. */
export function compileCell(source: string): CompiledCell {
  let js: string;
  try {
    js = transform(source, {
      transforms: ["typescript"],
      keepUnusedImports: true, // an import-only cell binds names for the cells below it
      disableESTransforms: true,
    }).code;
  } catch (e) {
    throw toSyntaxError(e, source);
  }
  let program: Node;
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
    }) as unknown as Node;
  } catch (e) {
    throw toSyntaxError(e, js);
  }
  const declared: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const hoisted: string[] = [];
  const src = (n: Node) => js.slice(n.start, n.end);
  const body: Node[] = program.body;
  body.forEach((raw, k) => {
    // `export` in a cell only declares, as in a notebook
    const st = raw.type.startsWith("Export") && raw.declaration ? raw.declaration : raw;
    const replace = (text: string) => edits.push({ start: raw.start, end: raw.end, text });
    if (raw.type === "ImportDeclaration") {
      const from = `__import(${JSON.stringify(raw.source.value)})`;
      const parts = raw.specifiers.map((s: Node) => {
        declared.push(s.local.name);
        if (s.type === "ImportNamespaceSpecifier") return `${s.local.name} = ${from};`;
        const name = s.type === "ImportDefaultSpecifier" ? "default" : (s.imported.name ?? s.imported.value);
        return `${s.local.name} = ${from}[${JSON.stringify(name)}];`;
      });
      replace(parts.length ? parts.join(" ") : `${from};`);
    } else if (st.type === "VariableDeclaration") {
      const parts = st.declarations.map((d: Node) => {
        const names = patternNames(d.id);
        declared.push(...names);
        if (!d.init) return names.map((n) => `${n} = undefined;`).join(" ");
        return `(${src(d.id)} = ${src(d.init)});`;
      });
      replace(parts.join(" "));
    } else if (st.type === "FunctionDeclaration") {
      declared.push(st.id.name);
      hoisted.push(`${st.id.name} = ${src(st)};`);
      replace(src(raw).replace(/[^\n]/g, "")); // keep the line count
    } else if (st.type === "ClassDeclaration") {
      declared.push(st.id.name);
      replace(`${st.id.name} = ${src(st)};`);
    } else if (raw.type === "ExpressionStatement" && k === body.length - 1) {
      replace(`__cell.value = (${src(raw.expression)}\n);`);
    }
  });
  let out = js;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const wrapped = `with (__scope) {${hoisted.join(" ")}\n${out}\n}`;
  const run = new AsyncFunction("__scope", "__import", "__cell", wrapped);
  return { declared: [...new Set(declared)], run, js: wrapped };
}

/** A parser's error as the SyntaxError a notebook shows: message, line and column, and the line itself. */
function toSyntaxError(e: unknown, text: string): SyntaxError {
  const err = e as { message?: string; loc?: { line: number; column: number }; pos?: number };
  let message = String(err.message ?? e).replace(/\s*\(\d+:\d+\)$/, "");
  // Both parsers give `pos` (an offset); their `loc` columns differ (sucrase counts from 1, acorn from 0).
  let line = err.loc?.line;
  let column = err.loc?.column;
  if (typeof err.pos === "number") {
    const before = text.slice(0, err.pos).split("\n");
    line = before.length;
    column = before[before.length - 1].length;
  }
  if (line !== undefined) {
    const shown = text.split("\n")[line - 1] ?? "";
    message += ` (line ${line}, column ${(column ?? 0) + 1})\n  ${shown}\n  ${" ".repeat(column ?? 0)}^`;
  }
  return new SyntaxError(message);
}
