#!/usr/bin/env python3
"""Load a folder of rendered article files into an SQLite FTS5 table.

Usage: fts5_index.py DB FOLDER

One row per .txt file (walked recursively, sorted): title = the file's first
line, body = the rest. Table: t(title, body) with the porter stemmer over
unicode61 (Xapian's side stems English too). One transaction; the database
is created fresh (an existing file is an error, so a benchmark never times an
update by accident). Used by bench/index/run.sh and bench/search/run.py.
"""
import os
import sqlite3
import sys


def files(folder):
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for n in sorted(names):
            if n.endswith(".txt"):
                yield os.path.join(root, n)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fts5_index.py DB FOLDER")
    db, folder = sys.argv[1], sys.argv[2]
    if os.path.exists(db):
        sys.exit(f"fts5_index.py: {db} exists; give a new path")
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    n = 0
    with con:
        for path in files(folder):
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            title, _, body = text.partition("\n")
            con.execute("INSERT INTO t(title, body) VALUES (?, ?)", (title, body))
            n += 1
    con.close()
    print(f"{n} rows")


if __name__ == "__main__":
    main()
