#!/usr/bin/env bash
# Runs polarlab's dynamics benchmark beside the numpy/scipy references on this machine and prints
# every ratio; the raw numbers are kept in bench/results/ for later comparison.
# Needs: a release build (BUILD_DIR, default build/release), python3-numpy, python3-scipy (apt; Debian's
# /usr/bin/python3). QUICK=quick shortens the scaling curve; NUMPY_STEPS sets the numpy GD sample.
set -euo pipefail
cd "$(dirname "$0")/.."
rtol="${RTOL:-1e-8}"; atol="${ATOL:-1e-10}"
build="${BUILD_DIR:-build/release}"
bin=$build/dynamics_bench
[[ -x $bin ]] || cmake --build "$build" --target dynamics_bench
out="bench/results/dynamics-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# rtol $rtol atol $atol; binary $bin"
  $bin "$rtol" "$atol" "${QUICK:-}"
  /usr/bin/python3 bench/reference_numpy.py "$rtol" "$atol" "${NUMPY_STEPS:-100000}"
} | tee "$out"
/usr/bin/python3 - "$out" "$rtol" "$atol" <<'PY'
import sys
vals, scaling = {}, []
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    if line.startswith("scaling"):
        scaling.append(line.split())
        continue
    k, v = line.split()
    vals[k] = float(v)
v = vals
print()
print("Each ratio compares the same work on both sides (same model, tolerances, t range and outputs).")
print(f"GD 1e6 steps (fig2, decade records; numpy keeps none): polarlab {v['gd_fig2_1e6_steps']:.4f} s   "
      f"numpy {v['numpy_gd_fig2_1e6_steps']:.2f} s   ratio {v['numpy_gd_fig2_1e6_steps'] / v['gd_fig2_1e6_steps']:.0f}x (goal >= 100x)")
print(f"   (polarlab with the CLI's 1428 records and their observables: {v['gd_fig2_1e6_steps_records1428']:.4f} s)")
print(f"Flow to t = 1e6 (p=8, rtol {sys.argv[2]}, atol {sys.argv[3]} on both sides; polarlab DOPRI5(4), scipy DOP853; both integrate [V, a, ∫γ]):")
print(f"   solver only (natural steps, no records):   polarlab {v['flow_fig2_t1e6_solver']*1e3:.3f} ms "
      f"({v['flow_fig2_t1e6_solver_steps']:.0f} DOPRI5 steps)   scipy DOP853 {v['scipy_dop853_t1e6_solver']*1e3:.2f} ms "
      f"({v['scipy_dop853_t1e6_steps']:.0f} steps)   ratio {v['scipy_dop853_t1e6_solver'] / v['flow_fig2_t1e6_solver']:.0f}x (goal >= 50x)")
print(f"   decade records + observables ({v['scipy_dop853_t1e6_decades_count']:.0f}):      polarlab {v['flow_fig2_t1e6_decades']*1e3:.3f} ms   "
      f"scipy {v['scipy_dop853_t1e6_decades']*1e3:.2f} ms   ratio {v['scipy_dop853_t1e6_decades'] / v['flow_fig2_t1e6_decades']:.0f}x")
print(f"   2000 records + observables ({v['scipy_dop853_t1e6_records2000_count']:.0f}):      polarlab {v['flow_fig2_t1e6_records2000']*1e3:.2f} ms   "
      f"scipy {v['scipy_dop853_t1e6_records2000']*1e3:.1f} ms   ratio {v['scipy_dop853_t1e6_records2000'] / v['flow_fig2_t1e6_records2000']:.0f}x")
print(f"Machine limit (measured in-process): SSE2 mul+add {v['peak_sse2_muladd_gflops']:.1f} GFLOP/s (what the portable "
      f"build can issue), AVX2 FMA {v['peak_avx2_fma_gflops']:.1f}, AVX-512 FMA {v['peak_avx512_fma_gflops']:.1f}")
print(f"GD step:   {v['gd_flops_per_step']:.0f} flops in {v['gd_ns_per_step']:.1f} ns = {v['gd_gflops']:.2f} GFLOP/s = "
      f"{100*v['gd_fraction_of_sse2_peak']:.0f}% of SSE2 peak, {100*v['gd_fraction_of_machine_peak']:.0f}% of machine peak")
print(f"Flow step: {v['flow_flops_per_step']:.0f} flops in {v['flow_ns_per_step']:.0f} ns = {v['flow_gflops']:.2f} GFLOP/s = "
      f"{100*v['flow_fraction_of_sse2_peak']:.0f}% of SSE2 peak, {100*v['flow_fraction_of_machine_peak']:.0f}% of machine peak")
print("Scaling (d = p, no records):   p    GD step     flow step   GD GFLOP/s  flow GFLOP/s  bytes/record")
for s in scaling:
    f = dict(zip(s[1::2], s[2::2]))
    print(f"                            {int(f['p']):5d}  {float(f['gd_step']):.3e}  {float(f['flow_step']):.3e}  "
          f"{float(f['gd_gflops']):9.2f}  {float(f['flow_gflops']):11.2f}  {int(float(f['record_bytes'])):11d}")
for k, x in v.items():
    if k.startswith("ensemble"):
        print(f"Ensemble {k}: {x:.2f} s (goal <= 10 s for 1e4)")
PY
echo "raw numbers: $out"
