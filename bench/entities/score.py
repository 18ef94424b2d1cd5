#!/usr/bin/env python3
"""Scores folio's people and places against the hand annotations.

Runs `folio extract --json` on every article in corpus/ and compares, section
by section, the sets of person and place ids with corpus/gold/entities.json.
Reports micro-averaged precision, recall and F1 for people and for places.

  bench/entities/score.py [--folio build/bin/folio] [--errors]

--errors lists every false positive (+) and false negative (-) by section.
Exit status: 0, or 1 when a score is below --min (default 0: report only).
"""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default=str(ROOT / "build" / "bin" / "folio"))
    ap.add_argument("--gold", default=str(ROOT / "corpus" / "gold" / "entities.json"))
    ap.add_argument("--errors", action="store_true", help="list false positives and negatives")
    ap.add_argument("--min", type=float, default=0.0, help="fail when any F1 is below this")
    args = ap.parse_args()

    gold = json.loads(pathlib.Path(args.gold).read_text(encoding="utf-8"))
    files = [str(ROOT / "corpus" / name) for name in sorted(gold)]
    out = subprocess.run([args.folio, "extract", "--json", *files], check=True,
                         capture_output=True, text=True).stdout
    extracted = {pathlib.Path(d["path"]).name: d for d in map(json.loads, out.splitlines())}

    counts = {"people": [0, 0, 0], "places": [0, 0, 0]}
    for name, sections in sorted(gold.items()):
        got = {s["index"]: s for s in extracted[name]["sections"]}
        for g in sections:
            s = got.get(g["section"], {"people": [], "places": []})
            for field in ("people", "places"):
                want = set(g[field])
                have = {e["id"] for e in s[field]}
                c = counts[field]
                c[0] += len(want & have)
                c[1] += len(have - want)
                c[2] += len(want - have)
                if args.errors and want != have:
                    for e in sorted(have - want):
                        print(f"{name} §{g['section']} {field}: + {e}")
                    for e in sorted(want - have):
                        print(f"{name} §{g['section']} {field}: - {e}")

    worst = 1.0
    print(f"{'field':8} {'gold':>5} {'found':>6} {'precision':>9} {'recall':>7} {'F1':>6}")
    for field, (tp, fp, fn) in counts.items():
        p, r, f = prf(tp, fp, fn)
        worst = min(worst, f)
        print(f"{field:8} {tp + fn:5} {tp + fp:6} {p:9.3f} {r:7.3f} {f:6.3f}")
    return 1 if worst < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
