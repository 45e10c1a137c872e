#!/usr/bin/env python3
"""core/'s folders as layers: each folder may include only folders below it (README, Architecture).

  python3 scripts/core_layers.py            # the layers, lowest first, with what each folder includes
  python3 scripts/core_layers.py --check    # exit 1 naming every include that reaches up or sideways, or a folder
                                            # missing from LAYERS (CTest: core_layers)
"""
import os
import re
import sys

# Lowest first. A folder includes only folders of earlier rows; folders in one row do not include each other.
LAYERS = [
    ["util"],
    ["plotkit", "job", "map"],
    ["loss"],
    ["config"],
    ["model"],
    ["init", "observe", "dynamics"],
    ["experiment"],
    ["io", "lecture", "ensemble"],
    ["figure", "transformer"],
    ["animate", "attention", "sweep"],
]

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core")


def includes():
    edges = {}
    for d, _, files in os.walk(ROOT):
        for f in sorted(files):
            if not f.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, ROOT)
            if os.sep not in rel:
                continue  # core/types.hpp: below everything
            src = rel.split(os.sep)[0]
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    m = re.match(r'\s*#include "core/([a-z_]+)/', line)
                    if m and m.group(1) != src:
                        edges.setdefault(src, []).append((m.group(1), "core/" + rel, n))
    return edges


def main():
    rank = {f: i for i, row in enumerate(LAYERS) for f in row}
    folders = sorted(e for e in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, e)))
    edges = includes()
    problems = [f"core/{f}/: not in scripts/core_layers.py's LAYERS (add it to the row above what it includes)"
                for f in folders if f not in rank]
    for src, targets in sorted(edges.items()):
        for dst, where, line in targets:
            if src in rank and dst in rank and rank[dst] >= rank[src]:
                problems.append(f"{where}:{line}: core/{src}/ includes core/{dst}/, which is not below it")
    if "--check" in sys.argv:
        for p in problems:
            print(p)
        print(f"core layers: {len(folders)} folders, {sum(len(t) for t in edges.values())} includes across folders, "
              f"{len(problems)} problems")
        return 1 if problems else 0
    for i in reversed(range(len(LAYERS))):
        parts = []
        for f in LAYERS[i]:
            below = sorted({d for d, _, _ in edges.get(f, [])})
            parts.append(f + ("/ → " + ", ".join(below) if below else "/"))
        print(f"{i:2d}  " + "   ".join(parts))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
