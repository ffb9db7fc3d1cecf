/**
 * The browser stand-in of the tslab edge: a DisplaySink that draws into a cell's output area of the page. `show`,
 * `showTable`, `showMarkdown`, `showSteps`, `progressBar`, `check`, `predict`, the exercises: everything in
 * lib/notebook goes through the sink, so the page runs lib/notebook itself and only this file knows the DOM.
 */
import { marked } from "marked";
import type { DisplaySink } from "../notebook/index";

/** Classes of both nbconvert markups (6: output_*, 7: jp-*), so the site's stylesheet styles live outputs too. */
const AREA = "output_area jp-OutputArea-child cbe-live-out";
const KIND = {
  html: "output_subarea output_html rendered_html jp-OutputArea-output jp-RenderedHTMLCommon",
  markdown: "output_subarea output_markdown rendered_html jp-OutputArea-output jp-RenderedMarkdown",
  text: "output_subarea output_text output_stream jp-OutputArea-output",
  error: "output_subarea output_text output_error jp-OutputArea-output cbe-live-error",
};

/**
 * Put `html` into `el` and run its scripts (HTML parsed by innerHTML never runs them): each <script> is replaced by a
 * fresh one, which runs when it enters the page, in document order, after the elements before it are in place.
 */
export function insertHtml(el: Element, html: string): void {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  for (const old of Array.from(tpl.content.querySelectorAll("script"))) {
    const s = document.createElement("script");
    for (const a of Array.from(old.attributes)) s.setAttribute(a.name, a.value);
    s.text = old.text;
    old.replaceWith(s);
  }
  el.append(tpl.content);
}

/** One output of the cell, like a notebook output: a wrapper and its content. */
function addOutput(area: Element, kind: keyof typeof KIND): HTMLElement {
  const wrap = document.createElement("div");
  wrap.className = AREA;
  const inner = document.createElement("div");
  inner.className = KIND[kind];
  wrap.append(inner);
  area.append(wrap);
  return inner;
}

/** Markdown as the notebook renders it (GitHub flavour; raw HTML kept, as Jupyter does for the course's own text). */
export function markdownHtml(md: string): string {
  return marked.parse(md, { async: false, gfm: true }) as string;
}

/** Plain text in the output, as a notebook shows printed values and console.log. */
export function showText(area: Element, text: string, kind: "text" | "error" = "text"): void {
  const pre = document.createElement("pre");
  pre.textContent = text;
  addOutput(area, kind).append(pre);
}

/** A DisplaySink that appends every output to `area` (the cell's output area). */
export function domSink(area: Element): DisplaySink {
  return {
    html: (html) => insertHtml(addOutput(area, "html"), html),
    markdown: (md) => insertHtml(addOutput(area, "markdown"), markdownHtml(md)),
    text: (text) => showText(area, text),
    live: () => {
      const el = addOutput(area, "html");
      return {
        html: (html: string) => {
          el.textContent = "";
          insertHtml(el, html);
        },
      };
    },
  };
}
