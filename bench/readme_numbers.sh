#!/usr/bin/env bash
# The README's performance numbers (its "Measured performance" table), measured on this machine.
#   bash bench/readme_numbers.sh [--runs N] [--train-runs N] [--skip LIST] [--only LIST] [--docs]
# Each quantity is measured N times (default 5; --train-runs for the training step, default N) in separate
# processes, and printed as a Markdown table: the median, the spread (min–max), the number of runs and the
# command, under a line naming the machine (CPU model, cores) and the other load on it (load average and
# compilers running, at the start and at the end): the numbers of a busy machine are not those of an idle one.
# Groups (for --skip/--only, comma-separated): startup, dynamics, python, ensemble, animate, attention, train,
# docs.
# docs (the docs_readme_commands test, several minutes a run) runs only with --docs. A group whose program is not
# built is left out with a note saying why. Uses BUILD_DIR (default build/release); the GUI runs on $DISPLAY,
# else under a private Xvfb; numpy/scipy (python3-numpy, python3-scipy) for the reference ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build/release}"
runs=5 train_runs="" skip="" only="" docs=0
while (($#)); do
  case "$1" in
    --runs) runs="${2:-}"; shift 2 ;;
    --train-runs) train_runs="${2:-}"; shift 2 ;;
    --skip) skip="${2:-}"; shift 2 ;;
    --only) only="${2:-}"; shift 2 ;;
    --docs) docs=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "readme_numbers: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
train_runs="${train_runs:-$runs}"
for v in "$runs" "$train_runs"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "readme_numbers: --runs and --train-runs take a positive integer, got '$v'" >&2; exit 2; }
done
groups="startup dynamics python ensemble animate attention train docs"
for g in ${skip//,/ } ${only//,/ }; do
  [[ " $groups " == *" $g "* ]] || { echo "readme_numbers: unknown group '$g' (groups: ${groups// /, })" >&2; exit 2; }
done
wanted() {  # group
  [[ -n "$only" && ",$only," != *",$1,"* ]] && return 1
  [[ ",$skip," == *",$1,"* ]] && return 1
  [[ "$1" == docs && $docs == 0 && ",$only," != *",docs,"* ]] && return 1
  return 0
}
[[ -x "$build/polarlab-cli" ]] || { echo "readme_numbers: $build/polarlab-cli is missing: build first" >&2; exit 2; }
build="$(cd "$build" && pwd)"
export POLARLAB_ASSETS="${POLARLAB_ASSETS:-$PWD/assets}"
work="$(mktemp -d)"
xvfb_pid=""
trap 'rm -rf "$work"; [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null; true' EXIT

load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(pgrep -c -x 'cc1plus|cc1|ld|collect2' || true) compiler processes"; }
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
load_start="$(load)"

now_us() { echo "${EPOCHREALTIME/./}"; }
fail() { echo "readme_numbers: $*" >&2; exit 1; }
# Wall milliseconds of one run of "$@" (output discarded; a failure stops the script: no number from a failed run).
wall_ms() {
  local t0 t1
  t0=$(now_us)
  "$@" >/dev/null 2>&1 || fail "'$*' failed"
  t1=$(now_us)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }'
}

rows=() notes=()
# row QUANTITY UNIT DECIMALS COMMAND VALUES...: one table row, median and min–max of the values.
row() {
  local q="$1" unit="$2" dec="$3" cmd="$4"; shift 4
  local stats
  stats=$(printf "%s\n" "$@" | sort -g | awk -v d="$dec" -v u="$unit" '
    { v[NR] = $1 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          f = "%." d "f"
          printf(f " %s|" f "–" f " %s|%d", m, u, v[1], v[NR], u, NR) }')
  rows+=("| $q | ${stats//|/ | } | \`$cmd\` |")
  echo "  $q: ${stats%%|*}" >&2
}
note() { notes+=("$1"); echo "  note: $1" >&2; }

# ------------------------------------------------------------------------------------------------ start-up
if wanted startup; then
  echo "start-up ($runs runs each) ..." >&2
  a=() b=() c=()
  if [[ -x "$build/polarlab" && -z "${DISPLAY:-}" ]] && command -v Xvfb >/dev/null; then
    for d in $(seq 90 120); do [[ -e /tmp/.X11-unix/X$d ]] || break; done
    Xvfb ":$d" -screen 0 1600x1000x24 >/dev/null 2>&1 &
    xvfb_pid=$!
    export DISPLAY=":$d"
    for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X$d ]] && break; sleep 0.1; done
  fi
  for _ in $(seq "$runs"); do
    a+=("$(wall_ms "$build/polarlab-cli" presets)")
    [[ -x "$build/polarlab" ]] && b+=("$(wall_ms "$build/polarlab" --help)")
    [[ -x "$build/polarlab" && -n "${DISPLAY:-}" ]] &&
      c+=("$(cd "$work" && wall_ms "$build/polarlab" --preset fig2 --run-for 0 --size 1280x720)")
  done
  row "start-up: \`polarlab-cli presets\` (goal ≤ 50 ms)" ms 0 "polarlab-cli presets" "${a[@]}"
  if ((${#b[@]})); then row "start-up: \`polarlab --help\` (goal ≤ 100 ms)" ms 0 "polarlab --help" "${b[@]}"
  else note "polarlab (the GUI) is not built: its start-up rows are left out"; fi
  if ((${#c[@]})); then
    row "GUI to its third frame and exit, Xvfb/llvmpipe (an upper bound on the first frame; goal ≤ 500 ms)" ms 0 \
      "polarlab --preset fig2 --run-for 0 --size 1280x720" "${c[@]}"
  elif [[ -x "$build/polarlab" ]]; then note "no display and no Xvfb: the first-frame row is left out"; fi
fi

# ------------------------------------------------------------------------------------------------ dynamics
if wanted dynamics; then
  echo "dynamics ($runs runs) ..." >&2
  gd=() gdpy=() cli=() flow=() npr=() spr=()
  have_ref=0
  /usr/bin/python3 -c 'import numpy, scipy' 2>/dev/null && have_ref=1
  for _ in $(seq "$runs"); do
    out=$("$build/polarlab-cli" simulate --preset fig2 --steps 1000000 --quiet --out "$work/gd" 2>&1) ||
      fail "polarlab-cli simulate failed: $out"
    [[ "$out" =~ \ in\ ([0-9.]+)\ s\; ]] || fail "no time in simulate's output: $out"
    cli+=("${BASH_REMATCH[1]}")
    if [[ -x "$build/dynamics_bench" ]]; then
      db=$("$build/dynamics_bench" --quick) || fail "dynamics_bench failed"
      val() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
      gd+=("$(val gd_fig2_1e6_steps "$db")")
      flow+=("$(awk -v x="$(val flow_fig2_t1e6_solver "$db")" 'BEGIN { print x * 1000 }')")
      if ((have_ref)); then
        ref=$(/usr/bin/python3 bench/reference_numpy.py 1e-8 1e-10 100000) || fail "bench/reference_numpy.py failed"
        npr+=("$(awk -v n="$(val numpy_gd_fig2_1e6_steps "$ref")" -v p="${gd[-1]}" 'BEGIN { print n / p }')")
        spr+=("$(awk -v s="$(val scipy_dop853_t1e6_solver "$ref")" -v p="$(val flow_fig2_t1e6_solver "$db")" \
                 'BEGIN { print s / p }')")
      fi
    fi
  done
  row "GD, fig2, 10⁶ steps with the CLI's 1,428 records (the run's own time, start-up excluded)" s 3 \
    "polarlab-cli simulate --preset fig2 --steps 1000000 --quiet" "${cli[@]}"
  if ((${#gd[@]})); then
    row "GD, fig2, 10⁶ steps, decade records only (each run: the best of 5 repeats in one process)" s 3 \
      "dynamics_bench --quick" "${gd[@]}"
    row "gradient flow, fig2, to t = 10⁶, solver only (p = 8, rtol 1e-8, atol 1e-10; best of 5 in one process)" \
      ms 3 "dynamics_bench --quick" "${flow[@]}"
    if ((${#npr[@]})); then
      row "GD speed-up over the same loop in numpy (goal ≥ 100×)" × 0 \
        "dynamics_bench --quick; python3 bench/reference_numpy.py" "${npr[@]}"
      row "flow speed-up over scipy's DOP853, solver only (goal ≥ 50×)" × 0 \
        "dynamics_bench --quick; python3 bench/reference_numpy.py" "${spr[@]}"
    else note "numpy/scipy missing (apt install python3-numpy python3-scipy): the reference ratios are left out"; fi
  else note "dynamics_bench is not built: its rows are left out"; fi
fi

# ------------------------------------------------------------------------------------------------ python
if wanted python; then
  if [[ -d "$build/python" ]] && PYTHONPATH="$build/python" /usr/bin/python3 -c 'import polarlab' 2>/dev/null; then
    echo "python ($runs runs) ..." >&2
    py=()
    for _ in $(seq "$runs"); do
      py+=("$(PYTHONPATH="$build/python" /usr/bin/python3 -c \
        'import polarlab; print(polarlab.simulate("fig2", steps=10**6).summary["wall_seconds"])')") ||
        fail "polarlab.simulate failed"
    done
    row "GD, fig2, 10⁶ steps through Python (the run's own time, start-up excluded)" s 3 \
      "polarlab.simulate(\"fig2\", steps=10**6)" "${py[@]}"
  else note "the Python module is not built (target _polarlab): the Python row is left out"; fi
fi

# ------------------------------------------------------------------------------------------------ ensemble
if wanted ensemble; then
  echo "ensemble ($runs runs) ..." >&2
  en=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/ens"
    en+=("$(wall_ms "$build/polarlab-cli" ensemble --preset fig2 --count 10000 --t-end 1e5 --quiet --out "$work/ens")")
  done
  row "ensemble: 10⁴ fig2 initializations to t = 10⁵, all cores (wall, start-up included)" s 2 \
    "polarlab-cli ensemble --preset fig2 --count 10000 --t-end 1e5" \
    $(printf "%s\n" "${en[@]}" | awk '{ print $1 / 1000 }')
fi

# ------------------------------------------------------------------------------------------------ animate
if wanted animate; then
  if "$build/polarlab-cli" animate --help >/dev/null 2>&1; then
    echo "animate ($runs runs each) ..." >&2
    for fmt in mp4 gif webm; do
      an=()
      for _ in $(seq "$runs"); do
        an+=("$(wall_ms "$build/polarlab-cli" animate --preset fig2 --out "$work/fig2.$fmt")")
        rm -f "$work/fig2.$fmt"
      done
      row "animate: fig2, 4 s at 30 fps, 1280×720 $fmt, the run included (wall)" s 2 \
        "polarlab-cli animate --preset fig2 --out fig2.$fmt" $(printf "%s\n" "${an[@]}" | awk '{ print $1 / 1000 }')
    done
  else note "polarlab-cli has no animate (FFmpeg/Cairo missing): the animate rows are left out"; fi
fi

# ------------------------------------------------------------------------------------------------ attention
if wanted attention; then
  if [[ -x "$build/attention_bench" ]]; then
    echo "attention statistics ($runs runs) ..." >&2
    at=() sum=() rss=()
    for _ in $(seq "$runs"); do
      o=$("$build/attention_bench" --gb 1 --dtype f16 --reps 1 --dir "$work") || fail "attention_bench failed"
      at+=("$(awk '/^attention stats/ { print $3 }' <<<"$o")")
      sum+=("$(awk '/^read \(sum\) baseline/ { print $4 }' <<<"$o")")
      rss+=("$(awk '/^peak resident memory/ { print $4 }' <<<"$o")")
    done
    row "attention statistics of a 1 GB fp16 file from the page cache, one core (wall)" GB/s 2 \
      "attention_bench --gb 1 --dtype f16 --reps 1" "${at[@]}"
    row "the same bytes only summed (the reading speed it is compared with)" GB/s 1 \
      "attention_bench --gb 1 --dtype f16 --reps 1" "${sum[@]}"
    row "peak resident memory of the attention statistics (bound 512 MB)" MB 1 \
      "attention_bench --gb 1 --dtype f16 --reps 1" "${rss[@]}"
  else note "attention_bench is not built: the attention rows are left out"; fi
fi

# ------------------------------------------------------------------------------------------------ train
if wanted train; then
  if [[ -x "$build/transformer_step_bench" ]]; then
    echo "training step ($train_runs runs) ..." >&2
    ts=()
    for _ in $(seq "$train_runs"); do
      j=$("$build/transformer_step_bench" --threads 1 --steps 10 --warmup 2 --json | tail -1) ||
        fail "transformer_step_bench failed"
      [[ "$j" =~ \"seconds_per_step\":\ ([0-9.e+-]+) ]] || fail "no seconds_per_step in: $j"
      ts+=("${BASH_REMATCH[1]}")
    done
    row "training: one induction step of the spec's model on the CPU, 1 torch thread (each run: 10 steps after 2)" \
      s/step 3 "transformer_step_bench --threads 1 --steps 10 --warmup 2" "${ts[@]}"
  else note "transformer_step_bench is not built (libtorch): the training row is left out"; fi
fi

# ------------------------------------------------------------------------------------------------ docs
if wanted docs; then
  echo "docs_readme_commands ($runs runs) ..." >&2
  dc=()
  for _ in $(seq "$runs"); do
    dc+=("$(wall_ms ctest --test-dir "$build" -R '^docs_readme_commands$' --output-on-failure)")
  done
  row "the \`docs_readme_commands\` test (every command of this README, long runs shortened)" s 0 \
    "ctest --test-dir $build -R docs_readme_commands" $(printf "%s\n" "${dc[@]}" | awk '{ print $1 / 1000 }')
fi

echo
echo "Machine: $cpu, $(nproc) cores; at the start $load_start; at the end $(load)."
echo "$(date -u +%Y-%m-%d), $(git rev-parse --short HEAD 2>/dev/null || echo unknown) (with local changes: $(git status --porcelain 2>/dev/null | grep -c . || true) files), build $build."
echo
echo "| quantity | median | spread (min–max) | runs | command |"
echo "| --- | --- | --- | --- | --- |"
printf "%s\n" "${rows[@]}"
for n in "${notes[@]}"; do echo; echo "Not measured: $n."; done
