#!/usr/bin/env python3
"""Two folio binaries on one index, interleaved: plain search, a date filter,
four facets, `folio stats` and a 1000-hit JSON page, median ms of whole
processes. See bench/README.md.

Usage: python3 bench/search/before_after.py --db INDEX --before FOLIO --after FOLIO [--rounds 10]
"""
import argparse
import statistics
import subprocess
import time

QUERIES = ["minister", "oil prices", "bank", "government", '"interest rates"']
VARIANTS = {"plain": [], "filter": ["--since", "1987-03", "--until", "1987-04"],
            "facets": ["--facet", "person,place,country,date"]}


def timed(argv):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    bins = {"before": args.before, "after": args.after}
    samples = {}
    for r in range(args.rounds + 1):  # round 0 is a warm-up
        for q in QUERIES:
            for v, extra in VARIANTS.items():
                for b, path in bins.items():
                    x = timed([path, "--db", args.db, "search", q] + extra)
                    if r:
                        samples.setdefault((b, v), []).append(x)
        for b, path in bins.items():
            for v, argv in (("stats", ["stats"]), ("limit1000", ["search", "government", "--limit", "1000", "--json"])):
                x = timed([path, "--db", args.db] + argv)
                if r:
                    samples.setdefault((b, v), []).append(x)
    print("| class | before median ms | after median ms | after / before |")
    print("|---|---:|---:|---:|")
    for v in list(VARIANTS) + ["stats", "limit1000"]:
        a = statistics.median(samples[("before", v)]) * 1000
        b = statistics.median(samples[("after", v)]) * 1000
        print(f"| {v} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
