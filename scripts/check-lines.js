#!/usr/bin/env node
// Lines stay ≤ 120 characters in lib/, test/, bench/, scripts/ and the notebooks' code cells. In source files one
// exception: a line that is mostly the text of a string holding a sentence (an error message) may run longer.
// Notebook cells get no exception: a learner reads them at 900 px, so chapter prose is concatenated in pieces.
// The formatter (Biome) already wraps code at 120; this check catches what it cannot: comments and non-prose strings.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");
const { root, chapters } = require("./env");

const LIMIT = 120;

/** Per line: characters inside string or template-literal tokens, and the text of those tokens. */
function stringShare(source) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const lines = source.split("\n");
  const starts = [0];
  for (const l of lines) starts.push(starts[starts.length - 1] + l.length + 1);
  const inString = new Array(lines.length).fill(0);
  const text = new Array(lines.length).fill("");
  const mark = (from, to) => {
    let line = 0;
    while (starts[line + 1] <= from) line++;
    for (let pos = from; pos < to; pos++) {
      while (starts[line + 1] <= pos) line++;
      if (source[pos] !== "\n") {
        inString[line]++;
        text[line] += source[pos];
      }
    }
  };
  let kind = scanner.scan();
  const braces = []; // inside ${ … }: true for a template's brace, false for an ordinary one
  while (kind !== ts.SyntaxKind.EndOfFileToken) {
    if (kind === ts.SyntaxKind.CloseBraceToken && braces.length && braces[braces.length - 1]) {
      braces.pop();
      kind = scanner.reScanTemplateToken(false);
    }
    if (kind === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    else if (kind === ts.SyntaxKind.CloseBraceToken) braces.pop();
    if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle) braces.push(true);
    if (
      kind === ts.SyntaxKind.StringLiteral ||
      kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
      kind === ts.SyntaxKind.TemplateHead ||
      kind === ts.SyntaxKind.TemplateMiddle ||
      kind === ts.SyntaxKind.TemplateTail
    ) {
      mark(scanner.getTokenPos(), scanner.getTextPos());
    }
    if (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) {
      // A regular expression where an expression may start; harmless elsewhere for this purpose.
      const re = scanner.reScanSlashToken();
      if (re === ts.SyntaxKind.RegularExpressionLiteral) kind = re;
    }
    kind = scanner.scan();
  }
  return { lines, inString, text };
}

/** Why a long line is not allowed, or null. */
function longLineProblem(line, inString, text, allowProse) {
  const length = [...line].length;
  if (length <= LIMIT) return null;
  if (!allowProse) return `${length} characters`;
  const body = line.trim().length;
  const words = text.split(/\s+/).filter((w) => /[A-Za-z]{2}/.test(w)).length;
  if (inString >= body / 2 && words >= 8) return null; // a sentence inside a string
  return `${length} characters`;
}

function checkSource(label, source, problems, allowProse = true) {
  const { lines, inString, text } = stringShare(source);
  lines.forEach((line, i) => {
    const why = longLineProblem(line, inString[i], text[i], allowProse);
    if (why) problems.push(`${label}:${i + 1}: ${why} (limit ${LIMIT}; wrap it, or move logic to lib/)`);
  });
}

function files(dir, exts) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : files(p, exts);
    return exts.some((x) => e.name.endsWith(x)) ? [p] : [];
  });
}

const problems = [];
let checked = 0;
for (const dir of ["lib", "test", "bench", "scripts"]) {
  for (const file of files(path.join(root, dir), [".ts", ".js", ".mts"])) {
    checkSource(path.relative(root, file), fs.readFileSync(file, "utf8"), problems);
    checked++;
  }
}
for (const file of chapters()) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    checkSource(`${path.relative(root, file)} cell ${i + 1}`, src, problems, false);
  });
  checked++;
}
if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} line(s) over ${LIMIT} characters.`);
  process.exit(1);
}
console.log(
  `lines: ${checked} files, none over ${LIMIT} characters (in lib/tests/scripts: except sentences in strings)`,
);
