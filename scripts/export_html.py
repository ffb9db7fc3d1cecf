"""Convert executed chapters to HTML fragments (nbconvert's "basic" template: body only, no CDN, no require.js).

Usage: export_html.py OUT_JSON NOTEBOOK...
Writes {"pygments_css": ..., "chapters": [{"file", "title", "summary", "body"}]} for scripts/build.js to wrap in pages.
"""
import json
import os
import re
import sys

import nbformat
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter


def title_and_summary(nb):
    meta = nb.metadata.get("cbe", {})
    title, summary = meta.get("title"), meta.get("summary")
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        m = re.search(r"^#\s+(.+)$", cell.source, re.M)
        if m and not title:
            title = m.group(1).strip()
        break
    return title or "Untitled chapter", summary or ""


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_anchor_links = True
    # CBE_NO_INPUT=1: outputs and text only, no code (npm run export -- … --no-input).
    exporter.exclude_input = os.environ.get("CBE_NO_INPUT") == "1"
    exporter.exclude_input_prompt = exporter.exclude_input
    chapters = []
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        title, summary = title_and_summary(nb)
        chapters.append({"file": p, "title": title, "summary": summary, "body": body})
    css = HtmlFormatter(style="default").get_style_defs(".highlight")
    with open(out, "w") as f:
        json.dump({"pygments_css": css, "chapters": chapters}, f)


if __name__ == "__main__":
    main()
