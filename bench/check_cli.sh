#!/usr/bin/env bash
# A benchmark program's command line, without running the benchmark: --help prints the usage (exit 0), an unknown
# flag and a bad value are refused with exit 2 and a message naming them.
#   usage: check_cli.sh BENCH_PROGRAM
set -uo pipefail
bin=$1
name=$(basename "$bin")
fail() { echo "FAIL: $name: $*" >&2; exit 1; }

out=$("$bin" --help 2>&1); rc=$?
[[ $rc == 0 ]] || fail "--help exited $rc (want 0): $out"
grep -q "Usage:" <<< "$out" || fail "--help printed no usage: $out"
grep -q -- "--help" <<< "$out" || fail "--help does not list the flags: $out"

out=$("$bin" --no-such-flag 2>&1); rc=$?
[[ $rc == 2 ]] || fail "--no-such-flag exited $rc (want 2): $out"
grep -q -- "--no-such-flag" <<< "$out" || fail "the message does not name the bad flag: $out"
grep -q "error" <<< "$out" || fail "no error message: $out"

# A value out of range, for a flag each program has.
case $name in
  dynamics_bench) bad=(0 1e-10) what=RTOL ;;
  polarlab_figure_bench) bad=(--reps 0) what=reps ;;
  transformer_step_bench) bad=(--device tpu) what=device ;;
  animate_bench) bad=(--fps 0) what=fps ;;
  *) bad=() ;;
esac
if ((${#bad[@]})); then
  out=$("$bin" "${bad[@]}" 2>&1); rc=$?
  [[ $rc == 2 ]] || fail "${bad[*]} exited $rc (want 2): $out"
  grep -qi -- "$what" <<< "$out" || fail "the message for ${bad[*]} does not name $what: $out"
fi
# Every numeric flag (from --help: INT, UINT or FLOAT) refuses what none of them may silently take: NaN, the
# infinities, an overflowing exponent, a 20-digit integer, a word, and -1 (no benchmark flag is negative). A value
# wrongly accepted would start the benchmark: `timeout` stops it, and the check fails.
probes=(nan inf -inf 1e400 99999999999999999999 abc -1)
help=$("$bin" --help 2>&1)
mapfile -t numeric < <(awk '/^POSITIONALS:/{p=1;next} /^OPTIONS:/{p=0;next}
  { for (i = 1; i <= NF; i++) if ($i ~ /^(INT|UINT|FLOAT)(:|$)/) { name = $1; sub(/,$/, "", name);
    print (p ? "POS:" : "") name; break } }' <<< "$help")
for flag in "${numeric[@]}"; do
  for v in "${probes[@]}"; do
    case $flag in
      POS:RTOL) args=("$v") shown=RTOL ;;
      POS:ATOL) args=(1e-8 "$v") shown=ATOL ;;
      POS:*) continue ;;
      *) args=("$flag=$v") shown=$flag ;;
    esac
    out=$(timeout 20 "$bin" "${args[@]}" 2>&1); rc=$?
    [[ $rc == 2 ]] || fail "${args[*]} exited $rc (want 2): $out"
    grep -q -- "$shown" <<< "$out" || fail "the message for ${args[*]} does not name $shown: $out"
  done
done
echo "PASS: $name --help, an unknown flag and a bad value, ${#numeric[@]} numeric flags x ${#probes[@]} probes"
