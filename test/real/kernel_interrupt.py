"""Interrupt real experiments in a real tslab kernel the way Jupyter does, and measure what happens.

Usage: kernel_interrupt.py SPEC_JSON   (driven by test/real/kernel-interrupt.test.ts)
SPEC_JSON: {"setup": cell, "next": cell, "scenarios": [{"name", "cell", "afterS"}]}

Starts the project's kernel (jupyter/kernels/tslab, run from notebooks/ like a chapter) through jupyter_client, runs
`setup`, then for each scenario: executes `cell`, waits `afterS`, calls KernelManager.interrupt_kernel() (for our
kernelspec, without `interrupt_mode`, that is SIGINT to the kernel's process group: what the ■ button does), and
measures from /proc: when the cell answered, when the kernel had no child process left and its thread count was
back to what it was before the cell (workers gone), the kernel's CPU use in the second after that, and the output
of `next` run right after. Prints one JSON line per scenario. Linux only (/proc).
Overrides for a private kernel: CBE_INTERRUPT_JUPYTER_PATH, CBE_INTERRUPT_KERNEL, CBE_INTERRUPT_CWD.
"""
import json
import os
import queue
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.environ["JUPYTER_PATH"] = os.environ.get("CBE_INTERRUPT_JUPYTER_PATH") or os.path.join(ROOT, "jupyter")
from jupyter_client import KernelManager  # noqa: E402  (after JUPYTER_PATH: it is read at import)

KERNEL = os.environ.get("CBE_INTERRUPT_KERNEL") or "tslab"
CWD = os.environ.get("CBE_INTERRUPT_CWD") or os.path.join(ROOT, "notebooks")


def stat_fields(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def threads(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, all threads


def descendants(pid):
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                kids.setdefault(int(stat_fields(int(d))[1]), []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def wait_reply(kc, msg_id, timeout):
    """Output of the cell `msg_id` until the kernel is idle again: status, stdout, stderr, time of the reply."""
    deadline = time.time() + timeout
    out = {"stdout": "", "stderr": ""}
    while True:
        left = deadline - time.time()
        if left <= 0:
            return dict(out, status="timeout", t=time.time())
        try:
            m = kc.get_iopub_msg(timeout=left)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            out[m["content"]["name"]] += m["content"]["text"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            t = time.time()
            break
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            return dict(out, status=reply["content"]["status"], t=t)


def run_cell(kc, code, timeout):
    return wait_reply(kc, kc.execute(code), timeout)


def main():
    spec = json.loads(sys.argv[1])
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(cwd=CWD, stdout=sys.stderr.fileno())  # our stdout is the JSON lines only
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=180)
        pid = km.provisioner.process.pid
        setup = run_cell(kc, spec["setup"], 180)
        if setup["status"] != "ok":
            print(json.dumps({"setupFailed": setup}), flush=True)
            return
        for sc in spec["scenarios"]:
            base_threads = threads(pid)
            msg_id = kc.execute(sc["cell"])
            time.sleep(sc["afterS"])
            running = {"threads": threads(pid), "children": len(descendants(pid)), "cpu": cpu_seconds(pid)}
            t0 = time.time()
            km.interrupt_kernel()
            reply = wait_reply(kc, msg_id, 60)
            stopped = None
            while time.time() < t0 + 30 and km.is_alive():
                if not descendants(pid) and threads(pid) <= base_threads:
                    stopped = time.time() - t0
                    break
                time.sleep(0.01)
            alive = km.is_alive()
            c0 = cpu_seconds(pid) if alive else 0
            time.sleep(1.0)
            c1 = cpu_seconds(pid) if alive else 0
            nxt = run_cell(kc, spec["next"], 120) if alive else {"status": "kernel died"}
            print(json.dumps({
                "name": sc["name"],
                "baseThreads": base_threads,
                "whileRunning": running,
                "answeredS": round(reply["t"] - t0, 3),
                "replyStatus": reply["status"],
                "cellStderr": reply["stderr"][:400],
                "stoppedS": None if stopped is None else round(stopped, 3),
                "kernelAlive": alive,
                "cpuSecondsInTheSecondAfter": round(c1 - c0, 3),
                "next": {k: nxt.get(k) for k in ("status", "stdout", "stderr")},
            }), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


main()
