#!/usr/bin/env bash
# The local back end survives a kill: run the tiny grid with 2 jobs, SIGKILL the sweep and all its children
# while runs are in flight, run it again, and check every run finished exactly once (finished runs were not
# redone) and the results database holds the right rows.
#   usage: local_kill_resume.sh POLARLAB_CLI SPEC
set -euo pipefail
cli=$1 spec=$2
work=$(mktemp -d /tmp/polarlab-sweep-resume.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Longer runs than the CI spec (30 steps, a few seconds each) so the kill lands while runs are in flight.
sed 's/steps: {value: 5}/steps: {value: 30}/' "$spec" > "$work/spec.yaml"
"$cli" sweep plan "$work/spec.yaml" --out "$work/sweep"
n=$(($(wc -l < "$work/sweep/runs.tsv") - 1))

setsid "$cli" sweep run "$work/sweep" --local --jobs 2 > "$work/first.log" 2>&1 &
leader=$!
# Wait until at least one run is done and another is in flight, then kill the whole process group.
for _ in $(seq 1 600); do
  done_now=$(grep -l '"state": "done"' "$work"/sweep/runs/*/status.json 2>/dev/null | wc -l || true)
  started=$(grep -l '"state": "started"' "$work"/sweep/runs/*/status.json 2>/dev/null | wc -l || true)
  ((done_now >= 1 && started >= 1)) && break
  kill -0 $leader 2>/dev/null || break
  sleep 0.1
done
((done_now >= 1 && started >= 1)) || fail "never saw a finished and an in-flight run at once (done=$done_now started=$started)"
kill -KILL -- -$leader
wait $leader 2>/dev/null || true
sleep 0.5
# (zombies do not count: in a container nobody may reap them)
alive=$(ps -eo pid=,pgid=,stat= | awk -v g=$leader '$2 == g && $3 !~ /^Z/')
[[ -z $alive ]] || fail "processes of the killed sweep survive: $alive"
killed_done=$(grep -l '"state": "done"' "$work"/sweep/runs/*/status.json | xargs -n1 dirname | sort)
echo "killed with $(echo "$killed_done" | wc -l) of $n runs done"

"$cli" sweep run "$work/sweep" --local --jobs 2 | tee "$work/second.log"
"$cli" sweep status "$work/sweep" | tee "$work/status.log"
grep -Eq "^ +done +$n\$" "$work/status.log" || fail "status does not count $n done runs"

for d in "$work"/sweep/runs/*/; do
  ends=$(grep -c 'state=done' "$d/attempts.log" || true)
  [[ $ends == 1 ]] || fail "$d finished $ends times (want exactly once)"
  if echo "$killed_done" | grep -qx "${d%/}"; then
    starts=$(grep -c '^start' "$d/attempts.log")
    [[ $starts == 1 ]] || fail "$d was done before the kill but was started $starts times"
  fi
  [[ -s "$d/summary.json" ]] || fail "$d has no summary.json"
done
redone=$(grep -cE '^\[[0-9]+/[0-9]+\] [0-9a-f]+ already done' "$work/second.log" || true)
[[ $redone == 0 ]] || fail "the rerun launched runs that were already done"

if command -v sqlite3 > /dev/null; then
  rows=$(sqlite3 "$work/sweep/results.sqlite" "SELECT COUNT(*) FROM runs WHERE status='done' AND eval_accuracy IS NOT NULL AND sink_layer2 IS NOT NULL AND trained_steps=30")
  [[ $rows == "$n" ]] || fail "results.sqlite has $rows complete done rows, want $n"
  ids=$(sqlite3 "$work/sweep/results.sqlite" "SELECT id FROM runs ORDER BY id" | tr '\n' ' ')
  want=$(tail -n +2 "$work/sweep/runs.tsv" | cut -f2 | sort | tr '\n' ' ')
  [[ $ids == "$want" ]] || fail "database ids [$ids] differ from the plan [$want]"
fi
echo "PASS: $n runs, each finished exactly once after a SIGKILL mid-sweep"
