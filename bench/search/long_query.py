#!/usr/bin/env python3
"""Long queries: how long `folio search` takes on a query of 1,000 words
(the most it searches for) and of 10,000 (refused), in each matching mode.
Whole processes, best of three; prints a Markdown table.

  python3 bench/search/long_query.py [--db INDEX] [--folio build/bin/folio]

Without --db it indexes corpus/ into a temporary folder. The words are the
first distinct lower-case entries of /usr/share/dict/american-english
(wamerican), so many of them are in the index.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def dictionary_words(n):
    out, seen = [], set()
    with open("/usr/share/dict/american-english", encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.strip()
            if w.isalpha() and w.islower() and w not in seen:
                seen.add(w)
                out.append(w)
                if len(out) == n:
                    break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db")
    ap.add_argument("--folio", default=os.path.join(ROOT, "build", "bin", "folio"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="folio-bench-long.")
    try:
        db = args.db
        if not db:
            db = os.path.join(work, "db")
            subprocess.run([args.folio, "--db", db, "index", "--quiet", os.path.join(ROOT, "corpus")], check=True)
        words = dictionary_words(10000)
        print("| words | mode | exit | seconds (best of 3) | stderr |")
        print("|---|---|---|---|---|")
        for n in (1000, 10000):
            for mode in ("--all", None, "--any"):
                cmd = [args.folio, "--db", db, "search", "--json"] + ([mode] if mode else []) + words[:n]
                best, p = None, None
                for _ in range(3):
                    start = time.perf_counter()
                    p = subprocess.run(cmd, capture_output=True, text=True)
                    took = time.perf_counter() - start
                    best = took if best is None else min(best, took)
                err = p.stderr.strip().replace("|", "/")[:60]
                print(f"| {n} | {mode or '(relaxed)'} | {p.returncode} | {best:.3f} | {err} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
