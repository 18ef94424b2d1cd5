#!/usr/bin/env python3
"""The FTS5 database of bench/index/fts5_index.py over the files a folio index
holds (its folio.file: records), for bench/search/run.py on an index that
covers only part of its corpus (an indexing run stopped with Ctrl-C).

Usage: /usr/bin/python3 bench/search/fts5_of_index.py INDEX DB

Needs Debian's python3-xapian (the system python3). Writes DB and DB.complete
(the metadata run.py reads); place DB where run.py looks for the corpus's
FTS5 database ($CACHE/fts5-<corpus>.db) to have it used.
"""
import json
import os
import sqlite3
import sys
import time

import xapian


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fts5_of_index.py INDEX DB")
    index, db = sys.argv[1], sys.argv[2]
    if os.path.exists(db):
        sys.exit(f"fts5_of_index.py: {db} exists; give a new path")
    paths = []
    for line in open(os.path.join(index, "XAPIANDB")):
        kind, _, shard = line.strip().partition(" ")
        if kind != "auto":
            sys.exit("fts5_of_index.py: a local index only")
        d = xapian.Database(shard if shard.startswith("/") else os.path.join(index, shard))
        for key in d.metadata_keys("folio.file:"):
            paths.append(json.loads(d.get_metadata(key))["path"])
    t = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    with con:  # as fts5_index.py: sorted, title = first line, body = the rest
        for path in sorted(paths):
            with open(path, encoding="utf-8", errors="replace") as f:
                title, _, body = f.read().partition("\n")
            con.execute("INSERT INTO t(title, body) VALUES (?, ?)", (title, body))
    con.close()
    meta = {"rows": len(paths), "load_seconds": round(time.perf_counter() - t, 1), "size_bytes": os.path.getsize(db)}
    json.dump(meta, open(db + ".complete", "w"))
    print(f"{len(paths)} rows")


if __name__ == "__main__":
    main()
