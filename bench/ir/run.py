#!/usr/bin/env python3
"""Ranking quality: folio against SQLite FTS5 and plain Xapian BM25.

Reads a classic IR test collection (documents, queries, relevance
judgements) from the shared data, writes each document as one article file,
indexes the same text with the three engines, runs every query through each
of them in the same run and prints MAP, P@10, nDCG@10 and recall@100 as a
Markdown table (per engine; --per-query adds one row a query).

  folio            `folio search --json --limit DEPTH` over `folio index` of
                   the rendered files; the query's words with --any when
                   folio has it, else joined with OR (today's ranked mode)
  fts5             Python's sqlite3, an FTS5 table (tokenize='porter'),
                   the words OR-ed, ORDER BY bm25()
  xapian           bench/ir/xapian_bm25.cpp: Xapian's defaults, OR, BM25

Collections: a folder with doc-text, query-text and rlv-ass (the Glasgow
layout of ir_npl: records end with a line holding only "/", a record's
first line is its number), or the SMART layout (*.ALL, *.QRY, *.REL with
.I/.W fields, as CRAN, CISI, MED and CACM are distributed).

  python3 bench/ir/run.py                          # ../shared/data/ir_npl
  python3 bench/ir/run.py --data DIR --per-query
"""

import argparse
import glob
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def die(msg):
    print(f"ir: {msg}", file=sys.stderr)
    sys.exit(2)


# --- collections -----------------------------------------------------------

def read_glasgow_records(path):
    """Records of a Glasgow-layout file: {number: text}."""
    records, number, lines = {}, None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.strip()
            if line == "/":
                if number is not None:
                    records[number] = " ".join(lines).strip()
                number, lines = None, []
            elif number is None:
                if line:
                    number = line.split()[0]
            else:
                lines.append(line)
    if number is not None and lines:
        records[number] = " ".join(lines).strip()
    return records


def read_glasgow(folder):
    docs = read_glasgow_records(os.path.join(folder, "doc-text"))
    queries = read_glasgow_records(os.path.join(folder, "query-text"))
    qrels = {q: set(text.split()) for q, text in read_glasgow_records(os.path.join(folder, "rlv-ass")).items()}
    return docs, queries, qrels


def read_smart_records(path):
    records, number, field, parts = {}, None, None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            if raw.startswith(".I"):
                if number is not None:
                    records[number] = " ".join(parts).strip()
                number, field, parts = raw.split()[1], None, []
            elif raw.startswith(".") and len(raw.strip()) == 2:
                field = raw.strip()[1]
            elif field in ("T", "W"):
                parts.append(raw.strip())
    if number is not None:
        records[number] = " ".join(parts).strip()
    return records


def read_smart(folder):
    def one(pattern):
        found = sorted(glob.glob(os.path.join(folder, pattern)))
        if not found:
            die(f"{folder}: no {pattern}")
        return found[0]
    docs = read_smart_records(one("*.ALL"))
    raw_queries = read_smart_records(one("*.QRY"))
    # SMART query numbers in .QRY are often not the ones .REL uses: .REL
    # numbers queries 1..N in file order.
    queries = {str(i + 1): text for i, (_, text) in enumerate(raw_queries.items())}
    qrels = {}
    with open(one("*.REL"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                qrels.setdefault(str(int(parts[0])), set()).add(str(int(parts[1])))
    return docs, queries, qrels


def read_collection(folder):
    if os.path.exists(os.path.join(folder, "doc-text")):
        return read_glasgow(folder)
    if glob.glob(os.path.join(folder, "*.ALL")):
        return read_smart(folder)
    die(f"{folder}: not a collection (no doc-text, no *.ALL)")


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


# --- engines ---------------------------------------------------------------

def run_folio(folio, docs, queries, depth, work):
    articles = os.path.join(work, "articles")
    os.makedirs(articles)
    for number, text in docs.items():
        # A title line the queries never contain ("doc 17"), then the text
        # as one paragraph: the document is the article's one section.
        with open(os.path.join(articles, f"doc-{number}.txt"), "w", encoding="utf-8") as f:
            f.write(f"doc {number}\n\n{text}\n")
    db = os.path.join(work, "folio-index")
    subprocess.run([folio, "--db", db, "index", "--quiet", "--shards", "1", articles], check=True)
    help_text = subprocess.run([folio, "search", "--help"], capture_output=True, text=True).stdout
    has_any = "--any" in help_text
    run = {}
    for qid, text in queries.items():
        ws = words(text)
        if has_any:
            args = ["--any", " ".join(ws)]
        else:
            args = [" OR ".join(ws)]
        p = subprocess.run([folio, "--db", db, "search", "--json", "--limit", str(depth), "--color", "never"] + args,
                           capture_output=True, text=True)
        if p.returncode not in (0, 1):
            die(f"folio search failed on query {qid}: {p.stderr.strip()}")
        hits = json.loads(p.stdout)["hits"] if p.stdout.strip() else []
        run[qid] = [re.search(r"doc-([^/]+)\.txt$", h["path"]).group(1) for h in hits]
    return run, ("--any" if has_any else "words joined with OR")


def run_fts5(docs, queries, depth):
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE d USING fts5(docid UNINDEXED, body, tokenize='porter')")
    con.executemany("INSERT INTO d VALUES (?, ?)", list(docs.items()))
    run = {}
    for qid, text in queries.items():
        ws = words(text)
        match = " OR ".join(f'"{w}"' for w in ws)
        rows = con.execute("SELECT docid FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT ?", (match, depth)).fetchall()
        run[qid] = [r[0] for r in rows]
    return run


def run_xapian(tool, docs, queries, depth, work):
    dpath, qpath = os.path.join(work, "docs.tsv"), os.path.join(work, "queries.tsv")
    with open(dpath, "w", encoding="utf-8") as f:
        for number, text in docs.items():
            f.write(f"{number}\t{text}\n")
    with open(qpath, "w", encoding="utf-8") as f:
        for qid, text in queries.items():
            f.write(f"{qid}\t{' '.join(words(text))}\n")
    out = subprocess.run([tool, dpath, qpath, str(depth)], check=True, capture_output=True, text=True).stdout
    run = {qid: [] for qid in queries}
    for line in out.splitlines():
        qid, _, docid, *_ = line.split()
        run[qid].append(docid)
    return run


# --- measures --------------------------------------------------------------

def measures(ranked, relevant):
    hits, ap = 0, 0.0
    for i, d in enumerate(ranked):
        if d in relevant:
            hits += 1
            ap += hits / (i + 1)
    ap /= len(relevant)
    p10 = sum(1 for d in ranked[:10] if d in relevant) / 10
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    idcg = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    r100 = sum(1 for d in ranked[:100] if d in relevant) / len(relevant)
    return {"MAP": ap, "P@10": p10, "nDCG@10": dcg / idcg, "R@100": r100}


def summarise(run, qrels):
    per_query = {q: measures(run.get(q, []), rel) for q, rel in qrels.items() if rel}
    names = ["MAP", "P@10", "nDCG@10", "R@100"]
    mean = {n: sum(m[n] for m in per_query.values()) / len(per_query) for n in names}
    return mean, per_query


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ir_npl"))
    ap.add_argument("--folio", default=os.path.join(ROOT, "build", "bin", "folio"))
    ap.add_argument("--xapian", default=os.path.join(ROOT, "build", "bench", "folio_ir_xapian_bm25"))
    ap.add_argument("--depth", type=int, default=1000, help="hits per query (default 1000)")
    ap.add_argument("--per-query", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        print(f"ir: no collection at {args.data}; nothing measured", file=sys.stderr)
        return 0
    for tool in (args.folio, args.xapian):
        if not os.access(tool, os.X_OK):
            die(f"no {tool}: build first (cmake --build build)")
    docs, queries, qrels = read_collection(args.data)
    queries = {q: t for q, t in queries.items() if qrels.get(q)}
    work = tempfile.mkdtemp(prefix="folio-bench-ir.")
    try:
        start = time.time()
        runs = {}
        runs["folio"], folio_mode = run_folio(args.folio, docs, queries, args.depth, work)
        runs["fts5"] = run_fts5(docs, queries, args.depth)
        runs["xapian"] = run_xapian(args.xapian, docs, queries, args.depth, work)
        results = {name: summarise(run, qrels) for name, run in runs.items()}
        print(f"Collection {os.path.basename(os.path.normpath(args.data))}: {len(docs)} documents, "
              f"{len(queries)} judged queries; folio queried with {folio_mode}; depth {args.depth}; "
              f"{time.time() - start:.0f} s\n")
        print("| engine | MAP | P@10 | nDCG@10 | R@100 |")
        print("|---|---|---|---|---|")
        for name, (mean, _) in results.items():
            print(f"| {name} | {mean['MAP']:.4f} | {mean['P@10']:.4f} | {mean['nDCG@10']:.4f} | {mean['R@100']:.4f} |")
        best_peer = max(results["fts5"][0]["MAP"], results["xapian"][0]["MAP"])
        print(f"\nfolio MAP / best peer: {results['folio'][0]['MAP'] / best_peer:.3f}")
        if args.per_query:
            print("\n| query | " + " | ".join(f"{n} AP" for n in results) + " |")
            print("|---|" + "---|" * len(results))
            for q in sorted(qrels, key=lambda x: int(x) if x.isdigit() else x):
                if q in results["folio"][1]:
                    print(f"| {q} | " + " | ".join(f"{results[n][1][q]['MAP']:.3f}" for n in results) + " |")
    finally:
        if args.keep:
            print(f"\nwork folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
