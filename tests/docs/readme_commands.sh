#!/usr/bin/env bash
# Runs every command of the README's ```sh / ```bash blocks, as a new user would, and checks that each exits as
# the README says: 0, or the code its trailing comment documents ("# exit 2: ...", "exits 3").
#
#   bash tests/docs/readme_commands.sh README.md BUILD_DIR ASSETS_DIR      (CTest: docs_readme_commands)
#   bash tests/docs/readme_commands.sh README.md BUILD_DIR ASSETS_DIR --list   (what would run, nothing run)
#
# Where: a fresh temporary folder holding `build/release` (a link to BUILD_DIR) and `assets` (a link to
# ASSETS_DIR), so the README's relative paths work unchanged and everything the commands write stays there.
# Order: the README's, except the GUI's commands (build/release/polarlab ...), which run last: they open the
# folders that later sections create (runs/fig2/config.json, runs/sweep). The GUI needs a display: $DISPLAY, or
# xvfb-run when there is none; with neither they are skipped (and say so).
#
# Environment:
#   POLARLAB_DOC_SHORT=1 (the default) shortens the long runs below (SHORTEN); 0 runs them as written (about
#                        40 minutes on 2 cores, most of it the two `train` runs and the reduced sweep).
#   POLARLAB_DOC_KEEP=1  keeps the temporary folder (its path is printed).
# Runtime with POLARLAB_DOC_SHORT=1: about 30 s on 2 cores (measured 27 s).
#
# A new README command runs as written. When it cannot (it installs packages, needs Slurm, is interactive) or
# takes long, add a line to SKIP, ADAPT or SHORTEN below, with the reason. An entry that matches no README
# command fails the test, so the lists cannot go stale.
set -uo pipefail

readme=${1:?README.md}
build=${2:?build dir}
assets=${3:?assets dir}
list_only=${4:-}
short=${POLARLAB_DOC_SHORT:-1}

# ---- markers: "regex on the command @@ reason" (SKIP) or "regex @@ sed -E expression @@ reason" (ADAPT, SHORTEN) --
SKIP=(
  'scripts/polarlab\.sh (run|test) @@ installs Debian packages and builds (run: then opens the window; test: runs the whole suite, this test included)'
  'polarlab_monkey @@ the CTest test "monkey" runs it (5,000 events); the 100,000-event run takes a minute and the seeded replay is a recipe'
  '^ctest  @@ runs the test suite, this test included'
  '--target update-cli-reference @@ writes into the source tree (docs/)'
)
# Always applied: what this machine lacks, or what would wait for a person.
ADAPT=(
  'sweep submit .*--slurm @@ s/$/ --dry-run/ @@ no Slurm here: --dry-run writes the array script without sbatch (tests/sweep/slurm_localhost.sh submits for real)'
  '^build/release/polarlab( |$) @@ /--run-for|--screenshot|--export-figure|--bench|--size 10x10|--record /!s/$/ --run-for 1/ @@ the window would stay open until closed: --run-for 1 closes it (--record closes it when the video is written)'
)
# Applied when POLARLAB_DOC_SHORT=1: the long runs, shortened, with what they cost as written.
SHORTEN=(
  'train --task induction @@ s/--epochs 10/--steps 3 --train-size 256 --eval-size 32 --batch-size 32 --log-every 1/ @@ 10 epochs are 3,910 steps, about 25 min on 2 cores'
  'train --task classification @@ s/--epochs 10/--steps 3 --train-size 256 --eval-size 32 --batch-size 32 --log-every 1 --flip-pairs 20/ @@ 10 epochs of 10,000 sequences, minutes on 2 cores'
  'sweep plan assets/sweeps/induction-reduced\.yaml @@ s#induction-reduced\.yaml#ci-tiny.yaml# @@ 16 runs of 100 steps, about 8 min on 2 cores; ci-tiny: 4 runs of 5 steps'
  'ensemble --preset fig2 --count 10000 @@ s/--count 10000/--count 1000/ @@ 10,000 members, 4 s on 2 cores'
  'ensemble --preset fig3 --count 1000 @@ s/--count 1000/--count 50/ @@ 10 x 1,000 members, 17 s on 2 cores'
  'figure --all @@ s/$/ --steps 20000 --format png/ @@ 13 s on 2 cores, most of it the 10^7 steps of fig10'
  '^build/release/polarlab .*--run-for [0-9] @@ s/--run-for [0-9.]+/--run-for 1/ @@ the given seconds of watching'
)

# ---- the commands: README line, text (continuation lines joined) ----------------------------------------------
mapfile -t records < <(awk '
  /^```/ {
    if (in_block) { in_block = 0; next }
    lang = substr($0, 4); gsub(/[ \t]/, "", lang)
    in_block = (lang == "sh" || lang == "bash"); next
  }
  !in_block { next }
  {
    line = $0
    if (cont != "") { text = text " " line } else { start = NR; text = line }
    if (line ~ /\\$/) { sub(/[ \t]*\\$/, "", text); cont = 1; next }
    cont = ""
    t = text; gsub(/^[ \t]+|[ \t]+$/, "", t)
    if (t == "" || t ~ /^#/) next
    print start "\t" t
  }' "$readme")
((${#records[@]})) || { echo "no command blocks found in $readme" >&2; exit 1; }

first_of() { printf '%s' "${1%% @@ *}"; }
rest_of() { printf '%s' "${1#* @@ }"; }
declare -A used=()

work=$(mktemp -d "${TMPDIR:-/tmp}/polarlab-readme.XXXXXX")
if [[ "${POLARLAB_DOC_KEEP:-0}" == 1 ]]; then echo "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/build" "$work/logs" "$work/home"
ln -s "$(cd "$build" && pwd)" "$work/build/release"
ln -s "$(cd "$assets" && pwd)" "$work/assets"

gui_prefix=()
gui_note=""
if [[ -z "${DISPLAY:-}" ]]; then
  if command -v xvfb-run >/dev/null; then gui_prefix=(xvfb-run -a -s "-screen 0 1600x1000x24")
  else gui_note="no display and no xvfb-run"; fi
fi

# Plan: decide for each command what runs, in which pass.
plan_cli=() plan_gui=()
skipped=0
for rec in "${records[@]}"; do
  line=${rec%%$'\t'*}
  cmd=${rec#*$'\t'}
  expected=0
  # The trailing comment documents the exit code ("# exit 2: ...") and is not part of the command.
  if [[ "$cmd" =~ [[:space:]]#(.*)$ ]]; then
    comment=${BASH_REMATCH[1]}
    cmd=${cmd%%[[:space:]]#*}
    [[ "$comment" =~ (^|[^a-z])exits?[[:space:]]+([0-9]+) ]] && expected=${BASH_REMATCH[2]}
  fi
  cmd=${cmd%"${cmd##*[![:space:]]}"}  # trailing blanks
  reason=""
  for m in "${SKIP[@]}"; do
    re=$(first_of "$m")
    if [[ "$cmd" =~ $re ]]; then reason=$(rest_of "$m"); used[$re]=1; break; fi
  done
  if [[ -n "$reason" ]]; then
    echo "SKIP README:$line  $cmd"
    echo "     ($reason)"
    skipped=$((skipped + 1))
    continue
  fi
  notes=()
  lists=(ADAPT)
  [[ "$short" != 0 ]] && lists+=(SHORTEN)
  for l in "${lists[@]}"; do
    declare -n arr=$l
    for m in "${arr[@]}"; do
      re=$(first_of "$m")
      r=$(rest_of "$m")
      sed_expr=${r%% @@ *}
      why=${r#* @@ }
      if [[ "$cmd" =~ $re ]]; then
        used[$re]=1
        new=$(printf '%s\n' "$cmd" | sed -E "$sed_expr")
        if [[ "$new" != "$cmd" ]]; then
          if [[ $l == SHORTEN ]]; then notes+=("shortened; as written: $why"); else notes+=("adapted: $why"); fi
          cmd=$new
        fi
      fi
    done
    unset -n arr
  done
  entry="$line"$'\t'"$expected"$'\t'"$cmd"
  for n in "${notes[@]}"; do entry+=$'\t'"$n"; done
  if [[ "$cmd" =~ ^build/release/polarlab( |$) ]]; then plan_gui+=("$entry"); else plan_cli+=("$entry"); fi
done
# With shortening off, the SHORTEN entries are not consulted: do not call them stale.
if [[ "$short" != 0 ]]; then all_markers=("${SKIP[@]}" "${ADAPT[@]}" "${SHORTEN[@]}"); else all_markers=("${SKIP[@]}" "${ADAPT[@]}"); fi
stale=0
for m in "${all_markers[@]}"; do
  re=$(first_of "$m")
  if [[ -z "${used[$re]:-}" ]]; then echo "STALE marker (matches no README command; update tests/docs/readme_commands.sh): $re"; stale=1; fi
done

# ---- run ------------------------------------------------------------------------------------------------------
script="$work/run.sh"
{
  echo 'cd "$WORK" || exit 1'
  echo 'export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config"'
  echo 'failures=0; n=0'
  echo '__check() {  # n line expected rc seconds'
  echo '  if [[ "$4" == "$3" ]]; then printf "ok   README:%s  exit %s  %5.1f s\n" "$2" "$4" "$5"'
  echo '  else printf "FAIL README:%s  exit %s, the README says %s  (%.1f s); output:\n" "$2" "$4" "$3" "$5"; tail -n 25 "$WORK/logs/$1.log" | sed "s/^/     | /"; failures=$((failures + 1)); fi'
  echo '}'
  n=0
  for entry in "${plan_cli[@]}" "${plan_gui[@]}"; do
    IFS=$'\t' read -r -a f <<<"$entry"
    line=${f[0]} expected=${f[1]} cmd=${f[2]}
    n=$((n + 1))
    gui=0
    [[ "$cmd" =~ ^build/release/polarlab( |$) ]] && gui=1
    printf 'echo %q\n' "---- README:$line  $cmd"
    for ((i = 3; i < ${#f[@]}; ++i)); do printf 'echo %q\n' "     (${f[i]})"; done
    if ((gui)) && [[ -n "$gui_note" ]]; then
      printf 'echo %q\n' "SKIP README:$line ($gui_note)"
      continue
    fi
    ((gui)) && ((${#gui_prefix[@]})) && cmd="$(printf '%q ' "${gui_prefix[@]}")$cmd"
    echo '__t0=$EPOCHREALTIME'
    echo '{'
    echo "$cmd"
    echo "} >\"\$WORK/logs/$n.log\" 2>&1 </dev/null"
    echo '__rc=$?'
    echo "__check $n $line $expected \$__rc \$(awk -v a=\$__t0 -v b=\$EPOCHREALTIME 'BEGIN { print b - a }')"
  done
  echo 'exit $(( failures > 0 ))'
} >"$script"

if [[ "$list_only" == --list ]]; then
  for entry in "${plan_cli[@]}" "${plan_gui[@]}"; do
    IFS=$'\t' read -r -a f <<<"$entry"
    echo "RUN  README:${f[0]}  (exit ${f[1]})  ${f[2]}"
  done
  exit $stale
fi

start=$(date +%s)
WORK="$work" bash "$script"
status=$?
echo "README commands: $((${#plan_cli[@]} + ${#plan_gui[@]})) run, $skipped skipped, $(($(date +%s) - start)) s" \
     "(POLARLAB_DOC_SHORT=$short)"
((stale)) && status=1
exit $status
