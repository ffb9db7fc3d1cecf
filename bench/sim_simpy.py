#!/usr/bin/env python3
"""The SimPy side of bench/sim.bench.ts: the same timeout-loop model, run with SimPy, one JSON line on stdout.

  python3 bench/sim_simpy.py info                      which SimPy this Python imports (or why none)
  python3 bench/sim_simpy.py run PROCESSES TIMEOUTS    one timed run: env.run() of the model, wall and CPU seconds
  python3 bench/sim_simpy.py check PROCESSES TIMEOUTS  one untimed run that counts steps and loop iterations

The model, identical to timeoutLoop in bench/sim.bench.ts: PROCESSES processes, process p (from 0) runs
`for i in range(per): yield env.timeout(1 + p % 7)` with per = ceil(TIMEOUTS / PROCESSES); all are created before
the clock starts, and the timed part is env.run() until no event is left. Events processed = the timeouts
(PROCESSES * per) + 2 per process (its start and its end, as in SimPy and lib/sim alike); `check` counts them with
env.step() and counts the loop iterations, so the TypeScript side can compare both counts and the final time.
SIMPY_PATH (used by the TypeScript side) is put on PYTHONPATH before this script runs.
"""

import json
import math
import platform
import sys
import time


def fail(message):
    print(json.dumps({"error": message}))
    sys.exit(0)


try:
    import simpy
except Exception as e:  # ImportError, or a source checkout without its package metadata
    try:  # SimPy 2 (Debian's python3-simpy) is the module `SimPy`, with another API
        import SimPy as old

        fail(f"only SimPy {getattr(old, '__version__', '2')} (module SimPy, the SimPy 2 API) is importable, not ≥ 3")
    except ImportError:
        pass
    fail(f"cannot import simpy ({type(e).__name__}: {e})")


def info():
    version = getattr(simpy, "__version__", None)
    if not hasattr(simpy, "Environment"):
        fail(f"simpy {version or '?'} at {simpy.__file__} has no Environment: SimPy 2, not the SimPy 3 API")
    if version is not None and int(str(version).split(".")[0]) < 3:
        fail(f"simpy {version} at {simpy.__file__} is older than SimPy 3")
    return {
        "simpy": version or "unknown version (no package metadata)",
        "file": simpy.__file__,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def model(processes, timeouts, count=None):
    env = simpy.Environment()
    per = math.ceil(timeouts / processes)

    def ticker(d):
        for _ in range(per):
            yield env.timeout(d)

    def counted_ticker(d):
        for _ in range(per):
            count[0] += 1
            yield env.timeout(d)

    body = ticker if count is None else counted_ticker
    for p in range(processes):
        env.process(body(1 + p % 7))
    return env, per


def run(processes, timeouts):
    env, per = model(processes, timeouts)
    w0, c0 = time.perf_counter(), time.process_time()
    env.run()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return {"events": processes * (per + 2), "now": env.now, "wall": wall, "cpu": cpu}


def check(processes, timeouts):
    count = [0]
    env, per = model(processes, timeouts, count)
    steps = 0
    while True:
        try:
            env.step()
        except simpy.core.EmptySchedule:
            break
        steps += 1
    return {"events": steps, "iterations": count[0], "now": env.now}


def main(argv):
    if len(argv) == 1 and argv[0] == "info":
        out = info()
    elif len(argv) == 3 and argv[0] in ("run", "check"):
        info()
        out = (run if argv[0] == "run" else check)(int(argv[1]), int(argv[2]))
    else:
        fail("usage: sim_simpy.py info | run PROCESSES TIMEOUTS | check PROCESSES TIMEOUTS")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
