/** Seed 003's picture as SVG: concurrency contains parallelism, with labelled items placed in their region. Pure. */
import { checkRows } from "../errors/validate";
import { FigureInputError } from "./errors";
import { escapeHtml } from "./html";

/** Where an item sits: outside concurrency (sequential), concurrent but not parallel, or parallel. */
export type ConceptRegion = "sequential" | "concurrent" | "parallel";

/** An item to place in the diagram, e.g. a run from the chapter or a JavaScript mechanism. */
export interface ConceptItem {
  label: string;
  region: ConceptRegion;
  color?: string;
}

/** Nested boxes: "sequential" outside, "concurrency" around "parallelism"; items listed inside their box. 900×h px. */
export function conceptMapSvg(items: ConceptItem[], title = "Concurrency contains parallelism"): string {
  checkRows(
    FigureInputError,
    "the items given to conceptMapSvg",
    items,
    [],
    "pass a list of ConceptItem rows, as in the chapter",
  );
  const by = (r: ConceptRegion) => items.filter((i) => i.region === r);
  const rowH = 22;
  const seq = by("sequential");
  const con = by("concurrent");
  const par = by("parallel");
  const inner = Math.max(2, par.length) * rowH + 50;
  const outer = Math.max(2, con.length) * rowH + inner + 80;
  const height = 70 + outer + 30;
  const list = (xs: ConceptItem[], x: number, y: number) =>
    xs
      .map(
        (it, k) =>
          `<circle cx="${x}" cy="${y + k * rowH - 4}" r="6" fill="${escapeHtml(it.color ?? "#333")}"/>` +
          `<text x="${x + 14}" y="${y + k * rowH}" font-size="14">${escapeHtml(it.label)}</text>`,
      )
      .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 ${height}" width="900" height="${height}" role="img" aria-label="${escapeHtml(title)}" style="max-width:100%;height:auto;font-family:system-ui,sans-serif">` +
    `<rect width="900" height="${height}" fill="white"/>` +
    `<text x="20" y="30" font-size="18" font-weight="600">${escapeHtml(title)}</text>` +
    `<rect x="20" y="50" width="520" height="${outer}" rx="14" fill="#eaf3fb" stroke="#0072B2" stroke-width="2"/>` +
    `<text x="38" y="78" font-size="16" font-weight="600" fill="#0072B2">Concurrency: several tasks in progress at once</text>` +
    list(con, 48, 106) +
    `<rect x="40" y="${50 + outer - inner - 20}" width="480" height="${inner}" rx="12" ` +
    `fill="#e6f5ef" stroke="#009E73" stroke-width="2"/>` +
    `<text x="58" y="${50 + outer - inner + 6}" font-size="16" font-weight="600" fill="#00785a">Parallelism: steps at the same instant</text>` +
    list(par, 68, 50 + outer - inner + 34) +
    `<rect x="570" y="50" width="310" height="${Math.max(110, seq.length * rowH + 60)}" rx="14" fill="#f6f6f6" stroke="#888" stroke-width="2" stroke-dasharray="6 4"/>` +
    `<text x="588" y="78" font-size="16" font-weight="600" fill="#555">Sequential: one after another</text>` +
    list(seq, 596, 106) +
    `</svg>`
  );
}
