#!/usr/bin/env bash
# Runs polarlab's dynamics benchmark beside the numpy/scipy references on this machine and prints
# every ratio; the raw numbers are kept in bench/results/ for later comparison.
# Needs: the release build, python3-numpy, python3-scipy (apt; Debian's /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
rtol="${RTOL:-1e-8}"; atol="${ATOL:-1e-10}"
bin=build/release/dynamics_bench
[[ -x $bin ]] || cmake --build build/release --target dynamics_bench
out="bench/results/dynamics-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  echo "# rtol $rtol atol $atol"
  $bin "$rtol" "$atol" "${QUICK:-}"
  /usr/bin/python3 bench/reference_numpy.py "$rtol" "$atol" "${NUMPY_STEPS:-100000}"
} | tee "$out"
/usr/bin/python3 - "$out" <<'PY'
import sys
vals = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or line.startswith("scaling"):
        continue
    k, v = line.split()
    vals[k] = float(v)
print()
print(f"GD 1e6 steps (fig2):   polarlab {vals['gd_fig2_1e6_steps']:.3f} s   numpy {vals['numpy_gd_fig2_1e6_steps']:.2f} s   "
      f"ratio {vals['numpy_gd_fig2_1e6_steps'] / vals['gd_fig2_1e6_steps']:.0f}x (goal >= 100x)")
print(f"Flow to t = 1e6 (p=8): polarlab {vals['flow_fig2_t1e6']*1e3:.2f} ms ({vals['flow_fig2_t1e6_steps']:.0f} steps)   "
      f"scipy DOP853 {vals['scipy_dop853_t1e6']*1e3:.1f} ms ({vals['scipy_dop853_t1e6_steps']:.0f} steps)   "
      f"ratio {vals['scipy_dop853_t1e6'] / vals['flow_fig2_t1e6']:.0f}x (goal >= 50x); "
      f"with decade records only {vals['flow_fig2_t1e6_few_records']*1e3:.2f} ms, ratio {vals['scipy_dop853_t1e6'] / vals['flow_fig2_t1e6_few_records']:.0f}x")
print(f"Flow arithmetic rate: {vals['flow_gflops']:.2f} GFLOP/s of useful RHS work")
for k, v in vals.items():
    if k.startswith("ensemble"):
        print(f"Ensemble {k}: {v:.2f} s (goal <= 10 s for 1e4)")
PY
echo "raw numbers: $out"
