#!/usr/bin/env python3
"""Two folio binaries on one index give the same answers: every query of
bench/search/queries.txt (and a few more) under each option set below, run
with --json --time-limit 0 by both, must print the same bytes and exit with
the same status (hits, order, scores, totals, facets, histograms). For a
change that should only make a search cheaper. See bench/README.md.

Usage: python3 bench/search/same_answers.py --db INDEX --before FOLIO --after FOLIO
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXTRA_QUERIES = ["minister", "government", "bank", "gold", "vcopy3", "opec", "tokyo", "reagan",
                 "zzzznothing", "tra*", "minister OR president", "sugar cocoa coffee prices"]
FACETS = "person,place,country,date"
VARIANTS = [
    [],
    ["--no-dedupe"],
    ["--facet", FACETS],
    ["--facet", FACETS, "--no-dedupe"],
    ["--facet", "person:20,author,org,date:year"],
    ["--facet", FACETS, "--facet-by", "article"],
    ["--since", "1987-03", "--until", "1987-04"],
    ["--since", "1987-03", "--until", "1987-04", "--facet", FACETS],
    ["--place", "japan", "--facet", "place,country", "--disjunctive"],
    ["--place", "japan"],
    ["--by-article"],
    ["--by-article", "--facet", FACETS],
    ["--sort", "date", "--limit", "5"],
    ["--sort", "-date", "--offset", "7", "--limit", "3"],
    ["--limit", "100"],
    ["--offset", "25", "--limit", "20"],
    ["--histogram"],
    ["--histogram", "--by-article"],
    ["--any"],
    ["--all", "--facet", "country"],
]


def queries(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line.split(None, 1)[1].partition("=>")[0].strip())
    return out + EXTRA_QUERIES


def run(folio, db, q, extra):
    r = subprocess.run([folio, "--db", db, "search", q, "--json", "--time-limit", "0"] + extra,
                       capture_output=True, timeout=600)
    return r.returncode, r.stdout, r.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.txt"))
    args = ap.parse_args()
    checked = differ = 0
    for q in queries(args.queries):
        for extra in VARIANTS:
            a, b = run(args.before, args.db, q, extra), run(args.after, args.db, q, extra)
            checked += 1
            if a != b:
                differ += 1
                print(f"DIFFERENT: search {q!r} {' '.join(extra)}: exit {a[0]} / {b[0]}", file=sys.stderr)
    print(f"{checked} searches, {differ} different")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
