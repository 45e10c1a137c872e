#!/usr/bin/env bash
# Figure 7 at toy scale, end to end: train a softmax and a sigmoid induction model (short runs), read the
# attention.npy each writes with `attention stats`, and check what the paper reports: softmax's heads are
# sparser (mean max/sum of the rows). Also checks attention.npy's shape and that softmax rows sum to one.
# Usage: toy_softmax_vs_sigmoid.sh BUILD_DIR [STEPS]
set -euo pipefail
cli="$1/polarlab-cli"
steps="${2:-100}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for a in softmax sigmoid_norm; do
  "$cli" train --attention "$a" --steps "$steps" --threads 1 --quiet --out "$work/$a" >/dev/null
done
"$cli" attention stats "$work/softmax/attention.npy" "$work/sigmoid_norm/attention.npy" \
  --label softmax --label sigmoid --out "$work/stats" >/dev/null 2>&1
/usr/bin/python3 - "$work" <<'PY'
import csv, struct, sys
work = sys.argv[1]
# attention.npy: '<f4', shape (layer, head, sample, q, k) = (2, 4, 1000, 12, 12) for the default induction model
# (every eval sequence: the ones train's scores average over).
raw = open(f"{work}/softmax/attention.npy", "rb").read()
hlen = struct.unpack("<H", raw[8:10])[0]
header = raw[10:10 + hlen].decode()
assert "'descr': '<f4'" in header and "(2, 4, 1000, 12, 12)" in header, header
assert (10 + hlen) % 64 == 0
w = struct.unpack(f"<{(len(raw) - 10 - hlen) // 4}f", raw[10 + hlen:])
assert len(w) == 2 * 4 * 1000 * 12 * 12
for row in range(0, len(w), 12 * 97):  # a sample of rows: softmax rows sum to one
    assert abs(sum(w[row:row + 12]) - 1) < 1e-4, (row, sum(w[row:row + 12]))
rows = list(csv.DictReader(open(f"{work}/stats/heads.csv")))
mean = {m: sum(float(r["sparsity"]) for r in rows if r["model"] == m) / 8 for m in ("softmax", "sigmoid")}
print(f"mean head sparsity: softmax {mean['softmax']:.3f}, sigmoid {mean['sigmoid']:.3f}")
assert len(rows) == 16 and all(r["rows"] == str(1000 * 12) for r in rows), rows[:2]
assert mean["softmax"] > mean["sigmoid"] + 0.05, mean
PY
