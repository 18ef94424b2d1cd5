#!/usr/bin/env python3
"""Snippets of two folio binaries side by side: the first hits of each query
of bench/search/queries.txt (or QUERY ...) on one index, with the highlighted
words in **bold**, and a few counts over every hit shown (how many start a
sentence, how many highlight nothing, the mean number of distinct words
highlighted). For judging a change to the snippets by eye. See bench/README.md.

Usage: python3 bench/search/snippets.py --db INDEX --a OLD_FOLIO --b NEW_FOLIO [--hits 3] [QUERY ...]
"""
import argparse
import json
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def queries_txt():
    out = []
    for line in open(os.path.join(ROOT, "bench", "search", "queries.txt"), encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.append(line.split(None, 1)[1].split("=>")[0].strip())
    return out


def hits(folio, db, query, n):
    r = subprocess.run([folio, "--db", db, "search", query, "--limit", str(n), "--json"],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{folio} failed on {query!r}: {r.stderr}")
    return json.loads(r.stdout)["hits"] if r.stdout else []


def bold(hit):
    text, out, at = hit["snippet"], "", 0
    for start, length in hit["highlights"]:
        b = text.encode()
        out += b[at:start].decode(errors="replace") + "**" + b[start:start + length].decode(errors="replace") + "**"
        at = start + length
    return out + text.encode()[at:].decode(errors="replace")


def stats(all_hits):
    n = len(all_hits)
    if n == 0:
        return "no hits"
    sentence = sum(1 for h in all_hits if not h["snippet"].startswith("…"))
    none = sum(1 for h in all_hits if not h["highlights"])
    distinct = sum(len({h["snippet"].encode()[s:s + l].lower() for s, l in h["highlights"]}) for h in all_hits)
    return f"{n} hits: {sentence} start at a sentence, {none} highlight nothing, {distinct / n:.2f} distinct words highlighted"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--a", required=True, help="the folio binary before")
    ap.add_argument("--b", required=True, help="the folio binary after")
    ap.add_argument("--hits", type=int, default=3)
    ap.add_argument("queries", nargs="*")
    args = ap.parse_args()
    queries = args.queries or queries_txt()
    seen = {"a": [], "b": []}
    for q in queries:
        a, b = hits(args.a, args.db, q, args.hits), hits(args.b, args.db, q, args.hits)
        seen["a"] += a
        seen["b"] += b
        print(f"### `{q}`\n")
        for ha, hb in zip(a, b):
            same = " (same section)" if ha["id"] == hb["id"] else f" (b: {hb['id']})"
            print(f"- {ha['id']}{same}")
            print(f"  - a: {bold(ha)}")
            print(f"  - b: {bold(hb)}")
        print()
    print(f"a: {stats(seen['a'])}  ")
    print(f"b: {stats(seen['b'])}")


if __name__ == "__main__":
    main()
