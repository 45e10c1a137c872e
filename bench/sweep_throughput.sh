#!/usr/bin/env bash
# Sweep throughput on this machine and the projected cost of the paper's full grids.
#   bash bench/sweep_throughput.sh [POLARLAB_CLI] [JOBS]
# Runs assets/sweeps/induction-reduced.yaml and classification-reduced.yaml through `sweep run --local --jobs JOBS`
# (default: all cores, 1 torch thread per run), then reads results.sqlite (sqlite3 CLI) for the measured seconds per
# step (batch 256, as in the full runs) and the per-run overhead (process start, data, evaluation, probes).
# Projection per full run = overhead + seconds_per_step x 3,910 steps (induction) or x 400 (classification);
# cluster time = total / workers for a few worker counts. Results go to bench/results/sweep-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/release/polarlab-cli}
jobs=${2:-$(nproc)}
calc() { awk "BEGIN { printf \"%.10g\", $* }"; }
command -v sqlite3 > /dev/null || { echo "needs the sqlite3 CLI (apt install sqlite3)" >&2; exit 2; }
work=$(mktemp -d /tmp/polarlab-sweep-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=bench/results/sweep-$(date -u +%Y%m%d-%H%M%S).txt
mkdir -p bench/results
{
  echo "# polarlab sweep throughput, $(date -u +%FT%TZ), $(uname -n), $(nproc) cores, jobs=$jobs"
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  for grid in induction classification; do
    "$cli" sweep plan "assets/sweeps/$grid-reduced.yaml" --out "$work/$grid" > /dev/null
    n=$(($(wc -l < "$work/$grid/runs.tsv") - 1))
    t0=$(date +%s.%N)
    "$cli" sweep run "$work/$grid" --local --jobs "$jobs" > "$work/$grid.log" 2>&1 || { tail "$work/$grid.log"; exit 1; }
    t1=$(date +%s.%N)
    wall=$(calc "$t1 - $t0")
    db="$work/$grid/results.sqlite"
    done_runs=$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE status='done'")
    read -r sps overhead steps acc < <(sqlite3 -separator ' ' "$db" \
      "SELECT AVG(seconds_per_step), AVG(wall_seconds - seconds_per_step * trained_steps), AVG(trained_steps), AVG(eval_accuracy) FROM runs WHERE status='done'")
    if [[ $grid == induction ]]; then full_steps=3910; full_runs=8640; else full_steps=400; full_runs=12960; fi
    per_run=$(calc "$overhead + $sps * $full_steps")
    cpu_h=$(calc "$full_runs * $per_run / 3600")
    printf '\n## %s-reduced: %d runs (%d done) of %.0f steps, %d at once\n' "$grid" "$n" "$done_runs" "$steps" "$jobs"
    printf 'wall %.1f s -> %.1f runs/hour on this machine (mean eval accuracy %.3f)\n' "$wall" "$(calc "$n * 3600 / $wall")" "$acc"
    printf 'seconds/step (batch 256, 1 thread/run, %d runs at once): %.4f; per-run overhead %.2f s\n' "$jobs" "$sps" "$overhead"
    printf 'full run (%d steps): %.0f s = %.2f h; full grid (%d runs): %.0f CPU-hours (1 thread/run)\n' \
      "$full_steps" "$per_run" "$(calc "$per_run / 3600")" "$full_runs" "$cpu_h"
    printf '  on this machine (%d at once): %.1f days\n' "$jobs" "$(calc "$cpu_h / $jobs / 24")"
    for w in 100 500 1000; do
      printf '  on a cluster, %4d array tasks at once: %.1f h\n' "$w" "$(calc "$cpu_h / $w")"
    done
    sqlite3 -separator ' ' "$db" "SELECT '  ' || attention || ' heads=' || heads, printf('%.4f s/step', AVG(seconds_per_step)) FROM runs WHERE status='done' GROUP BY attention, heads ORDER BY attention, heads"
  done
} | tee "$out"
echo "written: $out"
