"""Execute chapters from a fresh tslab kernel each, cell by cell, with a per-cell timeout.

Usage: run_notebooks.py OUT_DIR TIMEOUT_SECONDS NOTEBOOK...
Writes each executed notebook to OUT_DIR. On the first failing cell of a chapter it prints the chapter, the cell's
source and its error (tslab reports errors on stderr, which nbconvert hides), and the exit code is 1.
A cell that writes to stderr counts as failing: a chapter must run clean.
With CBE_CELL_TIMES=N (N seconds, e.g. 0.5) it also prints every code cell that took at least N s, slowest first,
with its first line, and writes them to OUT_DIR/cell-times.json: where a chapter spends its time.

Starting a tslab kernel takes 1.5-2 s of one core. So the next chapter's kernel is started while this chapter runs
its last cells, once none of the cells left awaits anything (the real experiments on this machine are async and come
before; the tail is exercises, reveals and the prediction score, on one core): the new kernel boots on the other
core meanwhile. A chapter's time then leaves out the part of its kernel's start that overlapped; the total at the end
is the wall time of the whole run. CBE_PRESTART=0 starts every kernel only when its chapter begins.
"""
import json
import os
import sys
import time

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import run_sync


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


def prestart(path):
    """Launch the kernel for the chapter at `path` now, without waiting for it: it boots while other work runs."""
    km = AsyncKernelManager(kernel_name="tslab")  # the class nbclient itself uses
    run_sync(km.start_kernel)(cwd=os.path.dirname(os.path.abspath(path)))
    return km


def quiet_tail(cells):
    """Index of the first code cell after which no code cell awaits anything (len(cells) if the last one does)."""
    tail = len(cells)
    for index in range(len(cells) - 1, -1, -1):
        cell = cells[index]
        if cell.cell_type != "code":
            continue
        if "await" in cell.source:
            break
        tail = index
    return tail


def run(path, out_dir, timeout, km=None, next_path=None):
    """Execute one chapter (in the kernel `km` if one was started for it); returns (ok, seconds, next kernel)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="tslab", allow_errors=True, km=km,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    name = os.path.basename(path)
    started = time.time()
    failure = None
    cell_times = []
    next_km = None
    tail = quiet_tail(nb.cells) if next_path and os.environ.get("CBE_PRESTART", "1") != "0" else None
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if index == tail and next_km is None:
                next_km = prestart(next_path)
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
    if km is not None:
        # a kernel we started ourselves: nbclient leaves it running
        client.kc.stop_channels()
        run_sync(km.shutdown_kernel)()
    elapsed = time.time() - started
    report_cell_times(name, elapsed, cell_times, out_dir)
    os.makedirs(out_dir, exist_ok=True)
    nbformat.write(nb, os.path.join(out_dir, name))
    if failure:
        index, cell, errs = failure
        print("\nFAILED %s, cell %d:\n----- source -----\n%s\n----- error -----\n%s\n" % (name, index + 1, cell.source, "\n".join(errs)), file=sys.stderr)
        return False, elapsed, next_km
    print("ok  %-45s %5.1f s  %d cells" % (name, elapsed, sum(1 for c in nb.cells if c.cell_type == "code")))
    return True, elapsed, next_km


def main():
    out_dir, timeout, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    ok = True
    timings = {}
    began = time.time()
    km = None
    for i, p in enumerate(paths):
        good, elapsed, km = run(p, out_dir, timeout, km=km, next_path=paths[i + 1] if i + 1 < len(paths) else None)
        timings[os.path.basename(p)] = round(elapsed, 2)
        ok = ok and good
    if len(paths) > 1:
        print("all %d chapters: %.1f s" % (len(paths), time.time() - began))
    with open(os.path.join(out_dir, "timings.json"), "w") as f:
        json.dump(timings, f, indent=1)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
