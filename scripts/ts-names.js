// Which names a piece of TypeScript uses, for the live site's analyses (scripts/build-live.js over lib/, and
// scripts/live-page.js over chapter cells): TypeScript's own parser, no type checker (fast, a few ms a file).
"use strict";
const ts = require("typescript");

/** Globals that only Node.js has: code that uses one cannot run in a page. */
const NODE_GLOBALS = new Set([
  "require",
  "process",
  "Buffer",
  "__dirname",
  "__filename",
  "module",
  "exports",
  "global",
]);

function bindingNames(name, out = []) {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

/** Is this identifier a name being declared, or a property name, rather than a use of a variable? */
function isNameNotUse(node) {
  const p = node.parent;
  return (
    !!p &&
    p.name === node &&
    (ts.isVariableDeclaration(p) ||
      ts.isBindingElement(p) ||
      ts.isParameter(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isFunctionExpression(p) ||
      ts.isClassDeclaration(p) ||
      ts.isClassExpression(p) ||
      ts.isImportSpecifier(p) ||
      ts.isImportClause(p) ||
      ts.isNamespaceImport(p) ||
      ts.isPropertyAccessExpression(p) ||
      ts.isPropertyAssignment(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodSignature(p) ||
      ts.isEnumMember(p))
  );
}

/** Names a function, block, loop or catch clause binds for the code inside it. */
function scopeNames(node) {
  const names = [];
  const declsOf = (statements) => {
    for (const st of statements) {
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(d.name, names);
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    }
  };
  if (ts.isFunctionLike(node)) {
    for (const p of node.parameters ?? []) bindingNames(p.name, names);
    if (node.name && ts.isIdentifier(node.name) && !ts.isFunctionDeclaration(node)) names.push(node.name.text);
  } else if (ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) declsOf(node.statements);
  else if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer) {
    if (ts.isVariableDeclarationList(node.initializer))
      for (const d of node.initializer.declarations) bindingNames(d.name, names);
  } else if (ts.isCatchClause(node) && node.variableDeclaration) bindingNames(node.variableDeclaration.name, names);
  return names;
}

/**
 * The free names `node` uses at run time: not types, not property names, not names bound inside `node` by its own
 * functions, blocks, loops and catch clauses (so a parameter named `process` is not Node's).
 */
function freeNames(node, out = new Set()) {
  const walk = (n, locals) => {
    if (ts.isImportDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
    if (ts.isHeritageClause(n)) {
      for (const t of n.types) walk(t.expression, locals);
      return;
    }
    if (ts.isTypeNode(n)) return;
    if (ts.isIdentifier(n)) {
      if (!isNameNotUse(n) && !locals.has(n.text)) out.add(n.text);
      return;
    }
    const inner = scopeNames(n);
    const next = inner.length ? new Set([...locals, ...inner]) : locals;
    ts.forEachChild(n, (c) => {
      walk(c, next);
    });
  };
  walk(node, new Set());
  return out;
}

module.exports = { NODE_GLOBALS, bindingNames, freeNames, scopeNames };
