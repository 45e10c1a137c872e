#!/usr/bin/env bash
# Start-up time of the programs, against a baseline in the same run (issue: instant start-up).
#   bash bench/startup_bench.sh [--baseline-dir DIR | --baseline-rev REV] [--runs N]
# DIR holds a baseline's polarlab-cli and polarlab; REV (e.g. HEAD~1) is built into build/startup-baseline first
# (release preset, ccache). Without a baseline only this build (BUILD_DIR, default build/release) is timed.
# Each command runs N times (default 15), the two builds alternating; the median wall time of each is printed
# with the ratio baseline / this. The GUI runs on $DISPLAY, else under a private Xvfb.
# Goals: polarlab-cli presets <= 50 ms, polarlab --help <= 100 ms, GUI to its third frame and exit <= 0.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build/release}"
baseline="" rev="" runs=15
while (($#)); do
  case "$1" in
    --baseline-dir) baseline="$2"; shift 2 ;;
    --baseline-rev) rev="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup_bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "startup_bench: --runs must be a positive integer, got '$runs'" >&2; exit 2; }
for p in polarlab-cli polarlab; do
  [[ -x "$build/$p" ]] || { echo "startup_bench: $build/$p is missing: build first (cmake --build --preset release)" >&2; exit 2; }
done

if [[ -n "$rev" ]]; then
  baseline="build/startup-baseline"
  src="$(mktemp -d)"
  trap 'git worktree remove --force "$src" >/dev/null 2>&1 || true' EXIT
  git worktree add --detach "$src" "$rev" >/dev/null
  echo "building $rev ($(git rev-parse --short "$rev")) in $baseline ..." >&2
  CCACHE_BASEDIR="$src" cmake -S "$src" -B "$baseline" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPOLARLAB_TESTS=OFF -DPOLARLAB_BENCH=OFF >/dev/null
  CCACHE_BASEDIR="$src" cmake --build "$baseline" -j "$(nproc)" --target polarlab-cli polarlab >/dev/null
fi

if [[ -z "${DISPLAY:-}" ]]; then
  for d in $(seq 90 120); do [[ -e /tmp/.X11-unix/X$d ]] || break; done
  Xvfb ":$d" -screen 0 1600x1000x24 >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true; git worktree remove --force "${src:-/nonexistent}" >/dev/null 2>&1 || true' EXIT
  export DISPLAY=":$d"
  for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$d ]] && break; sleep 0.1; done
fi

work="$(mktemp -d)"
# Both builds read this checkout's presets (a baseline built from a removed worktree has its assets path baked in).
export POLARLAB_ASSETS="${POLARLAB_ASSETS:-$PWD/assets}"
ms() {  # wall milliseconds of one run of "$@" (output discarded; a failure aborts the bench)
  local t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || { echo "startup_bench: '$*' failed" >&2; exit 1; }
  local t1=$EPOCHREALTIME
  echo $(( (${t1/./} - ${t0/./}) / 1000 ))
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2)}'; }

names=("polarlab-cli presets" "polarlab --help" "polarlab first frames (--run-for 0)")
goals=(50 100 500)
run_case() {  # dir case
  case "$2" in
    0) ms "$1/polarlab-cli" presets ;;
    1) ms "$1/polarlab" --help ;;
    2) (cd "$work" && ms "$1/polarlab" --preset fig2 --run-for 0 --size 1280x720) ;;
  esac
}
abs() { [[ "$1" = /* ]] && echo "$1" || echo "$PWD/$1"; }
build="$(abs "$build")"; [[ -n "$baseline" ]] && baseline="$(abs "$baseline")"

echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each, median wall ms"
printf "%-40s %10s %10s %8s %8s\n" "command" "this" "baseline" "ratio" "goal"
for c in 0 1 2; do
  this=() base=()
  for _ in $(seq "$runs"); do
    [[ -n "$baseline" ]] && base+=("$(run_case "$baseline" $c)")
    this+=("$(run_case "$build" $c)")
  done
  t=$(printf "%s\n" "${this[@]}" | median)
  if [[ -n "$baseline" ]]; then
    b=$(printf "%s\n" "${base[@]}" | median)
    printf "%-40s %8d ms %8d ms %7.1fx %5d ms\n" "${names[$c]}" "$t" "$b" "$(awk -v b="$b" -v t="$t" 'BEGIN{print (t>0)?b/t:0}')" "${goals[$c]}"
  else
    printf "%-40s %8d ms %10s %8s %5d ms\n" "${names[$c]}" "$t" "-" "-" "${goals[$c]}"
  fi
done
rm -rf "$work"
