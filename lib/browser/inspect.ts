/**
 * A cell's last value as the notebook prints it (tslab uses Node's util.inspect): strings quoted, bigints with n,
 * nested objects to depth 2, one line when it fits in 72 characters, else one entry a line. Close to util.inspect,
 * not identical (no column grouping of long arrays).
 */

const WIDTH = 72;

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").split(q).join(`\\${q}`);
  return `${q}${body}${q}`;
}

function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function wrap(open: string, items: string[], close: string, indent: string): string {
  if (items.length === 0) return `${open}${close}`;
  const one = `${open} ${items.join(", ")} ${close}`;
  if (one.length <= WIDTH && !one.includes("\n")) return one;
  const inner = `${indent}  `;
  return `${open}\n${items.map((s) => inner + s.replace(/\n/g, `\n${inner}`)).join(",\n")}\n${indent}${close}`;
}

function inspectValue(v: unknown, depth: number, seen: Set<object>, top: boolean): string {
  if (typeof v === "string") return top ? quote(v) : quote(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v === undefined || v === null || typeof v === "boolean") return String(v);
  if (typeof v === "symbol") return v.toString();
  if (typeof v === "function") {
    const cls = /^class\b/.test(Function.prototype.toString.call(v));
    return `[${cls ? "class" : "Function"}${v.name ? `: ${v.name}` : " (anonymous)"}]`;
  }
  const o = v as object;
  if (seen.has(o)) return "[Circular *1]";
  if (o instanceof Error) return o.stack?.startsWith(o.name) ? o.stack : `${o.name}: ${o.message}`;
  if (o instanceof Date) return o.toISOString();
  if (o instanceof RegExp) return String(o);
  if (o instanceof Promise) return "Promise { <pending> }";
  const name = (o.constructor && (o.constructor as { name?: string }).name) || "";
  if (depth > 2) {
    if (Array.isArray(o)) return "[Array]";
    return `[${name && name !== "Object" ? name : "Object"}]`;
  }
  seen.add(o);
  try {
    const sub = (x: unknown) => inspectValue(x, depth + 1, seen, false);
    if (Array.isArray(o)) {
      const items = o.slice(0, 100).map(sub);
      if (o.length > 100) items.push(`... ${o.length - 100} more items`);
      return wrap("[", items, "]", "");
    }
    if (o instanceof Map) {
      const items = [...o].slice(0, 100).map(([k, x]) => `${sub(k)} => ${sub(x)}`);
      return wrap(`Map(${o.size}) {`, items, "}", "");
    }
    if (o instanceof Set) return wrap(`Set(${o.size}) {`, [...o].slice(0, 100).map(sub), "}", "");
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const arr = Array.from(o as unknown as ArrayLike<number>).slice(0, 100);
      return wrap(`${name}(${(o as unknown as ArrayLike<number>).length}) [`, arr.map(sub), "]", "");
    }
    const items = Object.keys(o).map((k) => `${key(k)}: ${sub((o as Record<string, unknown>)[k])}`);
    const prefix = name && name !== "Object" ? `${name} ` : "";
    return prefix + wrap("{", items, "}", "");
  } finally {
    seen.delete(o);
  }
}

/** The text of a value as the notebook's Out would show it. */
export function inspect(v: unknown): string {
  return inspectValue(v, 0, new Set(), true);
}
