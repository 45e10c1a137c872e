#!/usr/bin/env bash
# libtorch is loaded only by what trains (core/transformer/torch_plugin.hpp): the CLI's other commands and the
# GUI's --help never map it, `train` does, and a missing plugin is a clear exit 2, not a crash.
# Usage: plugin_boundary.sh BUILD_DIR
set -uo pipefail
build="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail=0
loads_torch() {  # the dynamic loader's log of the whole run (not piped: an early grep exit would kill it)
  LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ld" "$@" >/dev/null 2>&1
  local found=1
  grep -q 'libtorch_cpu' "$work"/ld.* && found=0
  rm -f "$work"/ld.*
  return $found
}

for cmd in "$build/polarlab-cli presets" "$build/polarlab-cli simulate --preset fig2 --steps 100 --out $work/sim" \
           "$build/polarlab --help"; do
  [[ "$cmd" == *"/polarlab --help" && ! -x "$build/polarlab" ]] && continue
  if loads_torch $cmd; then echo "FAIL: '$cmd' loads libtorch"; fail=1; else echo "ok: '$cmd' does not load libtorch"; fi
done

train=("$build/polarlab-cli" train --steps 2 --log-every 1 --threads 1 --quiet)
if loads_torch "${train[@]}" --out "$work/train"; then echo "ok: train loads libtorch"
else echo "FAIL: train did not load libtorch (did it train?)"; fail=1; fi
[[ -f "$work/train/summary.json" ]] || { echo "FAIL: train wrote no summary.json"; fail=1; }

out="$(POLARLAB_TORCH_PLUGIN="$work/missing.so" "${train[@]}" --out "$work/train2" 2>&1)"; rc=$?
if [[ $rc -eq 2 && "$out" == *"libtorch"* && "$out" == *"$work/missing.so: not found"* ]]; then
  echo "ok: a missing plugin exits 2 and names where it looked"
else
  echo "FAIL: missing plugin: exit $rc, output: $out"; fail=1
fi
echo "not a plugin" > "$work/bad.so"
out="$(POLARLAB_TORCH_PLUGIN="$work/bad.so" "${train[@]}" --out "$work/train3" 2>&1)"; rc=$?
if [[ $rc -eq 2 && "$out" == *"$work/bad.so"* ]]; then echo "ok: a corrupt plugin exits 2 and names it"
else echo "FAIL: corrupt plugin: exit $rc, output: $out"; fail=1; fi
exit $fail
