"""Bench (issue 17): a 10^6-step fig2 run through Python (polarlab.simulate) against the same run through
polarlab-cli simulate, start-up excluded on both sides (the CLI's own "in X s", Python's summary wall_seconds).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_vs_cli.py build/release/polarlab-cli [repeats]
"""
import re
import statistics
import subprocess
import sys
import tempfile
import time

import polarlab

cli = sys.argv[1] if len(sys.argv) > 1 else "build/release/polarlab-cli"
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
args = dict(preset="fig2", steps=1_000_000)
py, py_call, cl = [], [], []
with tempfile.TemporaryDirectory() as tmp:
    polarlab.simulate(**args)  # warm caches
    for _ in range(repeats):
        out = subprocess.run([cli, "simulate", "--preset", "fig2", "--steps", "1000000", "--quiet", "--out", tmp],
                             capture_output=True, text=True, check=True).stdout
        cl.append(float(re.search(r" in ([0-9.]+) s;", out).group(1)))
        t0 = time.perf_counter()
        run = polarlab.simulate(**args)
        py_call.append(time.perf_counter() - t0)
        py.append(run.summary["wall_seconds"])
med = statistics.median
print(f"fig2, 10^6 GD steps, median of {repeats}: CLI {med(cl):.4f} s, Python {med(py):.4f} s "
      f"(whole call with the arrays: {med(py_call):.4f} s); Python/CLI = {med(py) / med(cl):.3f}")
