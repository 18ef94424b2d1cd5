#!/usr/bin/env python3
"""A big result page: `folio search QUERY --limit 1000 --json` against
`quest -d INDEX -m 1000 QUERY` (xapian-tools; it prints each hit's document
data, which holds the section text) on the same index and the same hits,
interleaved rounds, whole processes. Also `folio stats` against
`folio --version`. See bench/README.md.

Usage: python3 bench/search/big_page.py --db INDEX [--folio build/bin/folio ...] [--rounds 15] [QUERY ...]

With --folio given more than once, every binary is timed in the same rounds
(a column each: before and after a change).
"""
import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# One word each: quest ORs the words of a query where folio ANDs them, so one
# word is the same match (and, past 1000 matches, the same count of hits).
QUERIES = ["government", "oil", "bank", "minister", "president"]


def timed(argv):
    t = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-500:]}")
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a folio index")
    ap.add_argument("--folio", action="append", help="a folio binary (repeat to compare several)")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("queries", nargs="*", default=QUERIES)
    args = ap.parse_args()
    folios = args.folio or [os.path.join(ROOT, "build", "bin", "folio")]
    names = ["folio"] if len(folios) == 1 else [f"folio {k + 1}" for k in range(len(folios))]
    cmds = {}
    for q in args.queries:
        for name, folio in zip(names, folios):
            cmds[(name, q)] = [folio, "--db", args.db, "search", q, "--limit", str(args.limit), "--json"]
        # quest stems a lower-case word as folio does (English stemmer, "Z" prefix).
        cmds[("quest", q)] = ["quest", "-d", args.db, "-m", str(args.limit), q]
    cmds[("folio stats", "")] = [folios[-1], "--db", args.db, "stats"]
    cmds[("folio --version", "")] = [folios[-1], "--version"]
    samples = {k: [] for k in cmds}
    for k, argv in cmds.items():  # warm-up
        timed(argv)
    load = open("/proc/loadavg").read().split()[:3]
    for _ in range(args.rounds):
        for k, argv in cmds.items():
            samples[k].append(timed(argv))
    hits = {}
    for q in args.queries:
        out = subprocess.run(cmds[("quest", q)], capture_output=True, text=True).stdout
        hits[q] = sum(1 for line in out.splitlines() if line[:1].isdigit() and ": [" in line)
    ms = lambda xs: statistics.median(xs) * 1000
    print(f"Load average at the start: {' '.join(load)}; {args.rounds} interleaved rounds; median ms.\n")
    for k, folio in enumerate(folios):
        if len(folios) > 1:
            print(f"{names[k]}: `{folio}`  ")
    print()
    head = "".join(f" {n} --limit {args.limit} --json |" for n in names)
    ratios = "".join(f" {n} / quest |" for n in names)
    print(f"| query | hits (quest) |{head} quest -m {args.limit} |{ratios}")
    print("|---|---:|" + "---:|" * (2 * len(names) + 1))
    for q in args.queries:
        x = ms(samples[("quest", q)])
        fs = [ms(samples[(n, q)]) for n in names]
        print(f"| `{q}` | {hits[q]} |" + "".join(f" {f:.1f} |" for f in fs) + f" {x:.1f} |" +
              "".join(f" {f / x:.2f} |" for f in fs))
    print()
    print("| command | median ms | max ms |")
    print("|---|---:|---:|")
    for name in ("folio stats", "folio --version"):
        xs = samples[(name, "")]
        print(f"| `{name}` | {ms(xs):.1f} | {max(xs) * 1000:.1f} |")


if __name__ == "__main__":
    main()
