"""Time the first code cell of chapters (the `import { ... } from "./lib/index"` cell) in a fresh tslab kernel each.

Usage: kernel_import.py REPS CWD NOTEBOOK...
For each notebook and repetition: start a new kernel in CWD, run only the notebook's first code cell, stop the kernel.
Progress goes to stderr; the last line of stdout is JSON: {notebook: [{"start": s, "import": s, "errors": [...]}]}.
Used by bench/kernel.bench.ts (npm run bench kernel).
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def errors_of(cell):
    msgs = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            msgs.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            msgs.append("%s: %s" % (out.get("ename", ""), out.get("evalue", "")))
    return msgs


def main():
    reps, cwd, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    result = {}
    for path in paths:
        first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        runs = []
        for _ in range(reps):
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_code_cell(first.source)]
            client = NotebookClient(nb, timeout=300, kernel_name="tslab", allow_errors=True,
                                    resources={"metadata": {"path": cwd}})
            t0 = time.time()
            with client.setup_kernel():
                t1 = time.time()
                client.execute_cell(nb.cells[0], 0)
                t2 = time.time()
            runs.append({"start": round(t1 - t0, 3), "import": round(t2 - t1, 3), "errors": errors_of(nb.cells[0])})
            print("  %-45s kernel start %5.2f s, import cell %5.2f s%s" % (
                os.path.basename(path), t1 - t0, t2 - t1, "  (errors!)" if runs[-1]["errors"] else ""),
                file=sys.stderr, flush=True)
        result[os.path.basename(path)] = runs
    print(json.dumps(result))


if __name__ == "__main__":
    main()
