#!/usr/bin/env bash
# Issue 25: `attention stats` on a `polarlab-cli train` run folder gives train's sink scores (spec §7: query rows
# 1..T−3, per sequence, averaged over the eval sequences) to 1e-9 and the same sink count, with the default
# --rows (auto) on the folder and with --rows paper on its attention.npy; --rows all is a different score.
# Usage: train_folder_sink_scores.sh BUILD_DIR [STEPS]
set -euo pipefail
cli="$1/polarlab-cli"
steps="${2:-40}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$cli" train --attention softmax --steps "$steps" --threads 1 --quiet --out "$work/run" >/dev/null
"$cli" attention stats "$work/run" --out "$work/auto" >/dev/null
"$cli" attention stats "$work/run/attention.npy" --rows paper --out "$work/paper" >/dev/null
"$cli" attention stats "$work/run/attention.npy" --rows all --out "$work/all" >/dev/null
/usr/bin/python3 - "$work" <<'PY'
import csv, json, sys
work = sys.argv[1]
train = json.load(open(f"{work}/run/summary.json"))
scores = train["sink_scores"]
count = sum(v for layer in train["sink_heads"] for v in layer)
assert len(scores) == 2 and len(scores[0]) == 4, scores
# metrics.csv's last row is the same evaluation.
metrics = list(csv.DictReader(open(f"{work}/run/metrics.csv")))
for l, layer in enumerate(scores):
    for h, v in enumerate(layer):
        assert abs(float(metrics[-1][f"sink_l{l}_h{h}"]) - v) < 1e-9, (l, h)
for name in ("auto", "paper"):
    s = json.load(open(f"{work}/{name}/summary.json"))
    m = s["models"][0]
    assert m["sink_rows"] == {"rows": "paper", "first": 1, "last": 9}, m["sink_rows"]
    assert m["sink_samples"] == 1000 * 8, m["sink_samples"]  # every eval sequence, every head
    for l, layer in enumerate(scores):
        for h, v in enumerate(layer):
            got = m["sink_scores"][l][h]
            assert abs(got - v) < 1e-9, (name, l, h, got, v)
    assert m["sink_heads"] == count, (name, m["sink_heads"], count)
    rows = list(csv.DictReader(open(f"{work}/{name}/heads.csv")))
    assert all(r["sink_rows"] == "1:9" for r in rows), rows[0]
    print(f"{name}: {len(rows)} heads equal train's sink scores to 1e-9; {count} sink head(s) in both")
alls = json.load(open(f"{work}/all/summary.json"))["models"][0]
assert alls["sink_rows"] == {"rows": "all", "first": 0, "last": 11}, alls["sink_rows"]
diff = max(abs(alls["sink_scores"][l][h] - scores[l][h]) for l in range(2) for h in range(4))
assert diff > 1e-3, diff  # all rows (the BOS row scores 1) is not the paper's score
PY
