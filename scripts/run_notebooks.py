"""Execute chapters from a fresh tslab kernel each, cell by cell, with a per-cell timeout.

Usage: run_notebooks.py OUT_DIR TIMEOUT_SECONDS NOTEBOOK...
Writes each executed notebook to OUT_DIR. On the first failing cell of a chapter it prints the chapter, the cell's
source and its error (tslab reports errors on stderr, which nbconvert hides), and the exit code is 1.
A cell that writes to stderr counts as failing: a chapter must run clean.
With CBE_CELL_TIMES=N (N seconds, e.g. 0.5) it also prints every code cell that took at least N s, slowest first,
with its first line, and writes them to OUT_DIR/cell-times.json: where a chapter spends its time.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cell_errors(cell):
    msgs = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            msgs.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            msgs.append("%s: %s\n%s" % (out.get("ename", ""), out.get("evalue", ""), "\n".join(out.get("traceback", []))))
    return msgs


def report_cell_times(name, elapsed, cell_times, out_dir):
    threshold = os.environ.get("CBE_CELL_TIMES")
    if not threshold:
        return
    slow = sorted((t for t in cell_times if t[0] >= float(threshold)), reverse=True)
    in_cells = sum(t[0] for t in cell_times)
    print("%s: %.1f s, %.1f s in cells, %.1f s kernel start and the rest" % (name, elapsed, in_cells, elapsed - in_cells))
    for seconds, number, first in slow:
        print("  %6.2f s  cell %3d  %s" % (seconds, number, first))
    os.makedirs(out_dir, exist_ok=True)
    log = os.path.join(out_dir, "cell-times.json")
    data = {}
    if os.path.exists(log):
        with open(log) as f:
            data = json.load(f)
    data[name] = {"total": round(elapsed, 2), "cells": [{"cell": n, "s": s, "first_line": f} for s, n, f in cell_times]}
    with open(log, "w") as f:
        json.dump(data, f, indent=1)


def run(path, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="tslab", allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    name = os.path.basename(path)
    started = time.time()
    failure = None
    cell_times = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            cell_started = time.time()
            try:
                client.execute_cell(cell, index)
            except (CellTimeoutError, TimeoutError):
                failure = (index, cell, ["cell timed out after %s s: make it faster or smaller" % timeout])
                break
            except DeadKernelError as e:
                failure = (index, cell, ["the kernel died: %s" % e])
                break
            except CellExecutionError as e:
                failure = (index, cell, cell_errors(cell) or [str(e)])
                break
            finally:
                cell_times.append((round(time.time() - cell_started, 3), index + 1, cell.source.split("\n")[0][:70]))
            errs = cell_errors(cell)
            if errs:
                failure = (index, cell, errs)
                break
    elapsed = time.time() - started
    report_cell_times(name, elapsed, cell_times, out_dir)
    os.makedirs(out_dir, exist_ok=True)
    nbformat.write(nb, os.path.join(out_dir, name))
    if failure:
        index, cell, errs = failure
        print("\nFAILED %s, cell %d:\n----- source -----\n%s\n----- error -----\n%s\n" % (name, index + 1, cell.source, "\n".join(errs)), file=sys.stderr)
        return False, elapsed
    print("ok  %-45s %5.1f s  %d cells" % (name, elapsed, sum(1 for c in nb.cells if c.cell_type == "code")))
    return True, elapsed


def main():
    out_dir, timeout, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    ok = True
    timings = {}
    for p in paths:
        good, elapsed = run(p, out_dir, timeout)
        timings[os.path.basename(p)] = round(elapsed, 2)
        ok = ok and good
    with open(os.path.join(out_dir, "timings.json"), "w") as f:
        json.dump(timings, f, indent=1)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
