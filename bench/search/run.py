#!/usr/bin/env python3
"""Search latency: folio against bare_search (Xapian alone, on folio's own
index, bench/search/bare_search.cpp) and the sqlite3 CLI with FTS5, on an index of at least 200,000 sections. See
bench/README.md.

Run from the repository root:  python3 bench/search/run.py [options]

Every number is a whole process (fork + exec + open + search + print), which is
what a user of a CLI waits for. Runs are interleaved: each round runs every
query under every engine once, so a noisy neighbour slows all engines alike.

The corpus: the shared corpora rendered by render-corpora, copied COPIES
times into copy-1/ ... copy-N/ with a deterministic variation per copy (the
byline year shifted by N-1, the word vcopyN appended to the title), so no two
documents are identical. It, folio's index (keyed by the folio binary's size
and mtime) and the FTS5 database are cached under --cache and reused.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MONTHS = "January February March April May June July August September October November December".split()
BYLINE = re.compile(r"^(By .*\| (?:%s) )(\d{1,2}), (\d{4})$" % "|".join(MONTHS))


def log(msg):
    print(f"[{time.time() - T0:6.0f}s] {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"bench/search/run.py: {msg}", file=sys.stderr)
    sys.exit(2)


def check_tools(args):
    missing = []
    if not os.access(args.folio, os.X_OK):
        die(f"no folio binary at {args.folio}: build it with 'cmake -S . -B build && cmake --build build -j2', or pass --folio PATH")
    if "xapian" in args.engines and not shutil.which("g++"):
        missing.append("g++ (to build bench/search/bare_search.cpp)")
    if "fts5" in args.engines:
        if not shutil.which("sqlite3"):
            missing.append("sqlite3 (the CLI)")
        else:
            r = subprocess.run(["sqlite3", ":memory:", "CREATE VIRTUAL TABLE t USING fts5(x);"], capture_output=True)
            if r.returncode != 0:
                missing.append("an sqlite3 CLI built with FTS5 (Debian's sqlite3 is)")
        try:
            import sqlite3
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except Exception:
            missing.append("a python3 whose sqlite3 module has FTS5 (Debian's python3 does)")
    if missing:
        die("missing tools; install them with apt-get install:\n  " + "\n  ".join(missing))
    if not os.access(os.path.join(args.shared, "tools", "render-corpora"), os.X_OK):
        die(f"no {args.shared}/tools/render-corpora: pass --shared DIR")


def read_queries(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cls, rest = line.split(None, 1)
        q, _, fq = rest.partition("=>")
        out.append({"class": cls, "q": q.strip(), "fts5": (fq.strip() or q.strip())})
    return out


def vary(text, n):
    """Copy n of an article: the title gets the word vcopyN, the byline year +N-1."""
    lines = text.split("\n")
    if lines:
        lines[0] = lines[0].rstrip() + f" vcopy{n}"
    for i in range(1, min(len(lines), 6)):
        m = BYLINE.match(lines[i])
        if m:
            month = MONTHS.index(m.group(1).rsplit("| ", 1)[1].strip()) + 1
            day, year = int(m.group(2)), int(m.group(3)) + n - 1
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            if month == 2 and day == 29 and not leap:
                day = 28
            lines[i] = f"{m.group(1)}{day}, {year}"
            break
    return "\n".join(lines)


def build_corpus(args, cache):
    """The rendered corpora in COPIES varied copies; cached, returns (dir, files, bytes)."""
    h = hashlib.sha256(open(os.path.join(args.shared, "tools", "render-corpora"), "rb").read())
    h.update(open(__file__, "rb").read().split(b"def build_corpus")[0])  # vary() and friends
    key = f"corpus-c{args.copies}-{h.hexdigest()[:10]}"
    d = os.path.join(cache, key)
    if os.path.exists(os.path.join(d, ".complete")):
        meta = json.load(open(os.path.join(d, ".complete")))
        log(f"reusing corpus {d}: {meta['files']} files, {meta['bytes']} bytes")
        return d, meta["files"], meta["bytes"]
    for old in os.listdir(cache):
        if old.startswith(f"corpus-c{args.copies}-"):
            shutil.rmtree(os.path.join(cache, old))
    render = os.path.join(cache, "render.tmp")
    shutil.rmtree(render, ignore_errors=True)
    log("rendering corpora")
    subprocess.run([os.path.join(args.shared, "tools", "render-corpora"), os.path.join(args.shared, "data"), render],
                   check=True, stdout=subprocess.DEVNULL, timeout=300)
    log(f"writing {args.copies} varied copies into {d}")
    files = nbytes = 0
    for root, dirs, names in os.walk(render):
        dirs.sort()
        rel = os.path.relpath(root, render)
        for name in sorted(names):
            if not name.endswith(".txt"):
                continue
            # BBC files are copied by render-corpora as they are (not all UTF-8): keep their bytes.
            text = open(os.path.join(root, name), "rb").read().decode("utf-8", "surrogateescape")
            for n in range(1, args.copies + 1):
                out = os.path.join(d, f"copy-{n}", rel)
                os.makedirs(out, exist_ok=True)
                data = vary(text, n).encode("utf-8", "surrogateescape")
                with open(os.path.join(out, name), "wb") as f:
                    f.write(data)
                files += 1
                nbytes += len(data)
    shutil.rmtree(render)
    json.dump({"files": files, "bytes": nbytes}, open(os.path.join(d, ".complete"), "w"))
    return d, files, nbytes


def build_folio_index(args, cache, corpus):
    binkey = os.path.basename(os.path.dirname(os.path.dirname(args.folio)))[4:]
    key = f"folio-{binkey}-{os.path.basename(corpus)}"
    d = os.path.join(cache, key)
    if os.path.exists(os.path.join(cache, key + ".complete")):
        log(f"reusing folio index {d}")
        return d, json.load(open(os.path.join(cache, key + ".complete")))
    mine = f"folio-{binkey}-"
    for old in os.listdir(cache):  # an index by another binary (2+ GB each), or a partial one: drop it
        if old.startswith("folio-") and (not old.startswith(mine) or old.startswith(key)):
            p = os.path.join(cache, old)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    log(f"indexing {corpus} with folio into {d} (a few minutes; cached for reruns)")
    t = time.perf_counter()
    r = subprocess.run([args.folio, "--db", d, "index", corpus], capture_output=True, text=True,
                       timeout=args.index_timeout)
    took = time.perf_counter() - t
    if r.returncode != 0:
        die(f"folio index failed ({r.returncode}): {r.stderr[-2000:]}")
    stats = json.loads(subprocess.run([args.folio, "--db", d, "stats", "--json"], capture_output=True,
                                      text=True, check=True).stdout)
    stats["index_seconds"] = round(took, 1)
    stats["index_summary"] = r.stdout.strip()
    json.dump(stats, open(os.path.join(cache, key + ".complete"), "w"))
    log(f"indexed in {took:.0f}s: {r.stdout.strip()}")
    return d, stats


def build_fts5(args, cache, corpus):
    path = os.path.join(cache, f"fts5-{os.path.basename(corpus)}.db")
    if os.path.exists(path + ".complete"):
        log(f"reusing FTS5 database {path}")
        return path, json.load(open(path + ".complete"))
    for old in os.listdir(cache):  # of an older version of the same corpus, or partial
        if old.startswith(f"fts5-corpus-c{os.path.basename(corpus).split('-')[1][1:]}-"):
            os.remove(os.path.join(cache, old))
    log(f"loading {corpus} into FTS5 {path}")
    t = time.perf_counter()
    r = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "index", "fts5_index.py"), path, corpus],
                       capture_output=True, text=True, timeout=args.index_timeout)
    if r.returncode != 0:
        die(f"fts5_index.py failed: {r.stderr[-2000:]}")
    meta = {"rows": int(r.stdout.split()[0]), "load_seconds": round(time.perf_counter() - t, 1),
            "size_bytes": os.path.getsize(path)}
    json.dump(meta, open(path + ".complete", "w"))
    log(f"loaded in {meta['load_seconds']}s: {meta['rows']} rows")
    return path, meta


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


def commands(args, idx, fts):
    """name -> (function of a query -> argv, applies to which classes)."""
    f = [args.folio, "--db", idx, "search"]
    filt = args.filter.split()
    facets = ["--facet", "person,place,country,date"]
    c = {}
    if "folio" in args.engines:
        c["folio"] = lambda q: f + [q["q"]]
        c["folio+filter"] = lambda q: f + [q["q"]] + filt
        c["folio+facets"] = lambda q: f + [q["q"]] + facets
        c["folio+filter+facets"] = lambda q: f + [q["q"]] + filt + facets
        if args.place:
            c["folio+place"] = lambda q: f + [q["q"], "--place", args.place]
    if "xapian" in args.engines:
        c["xapian"] = lambda q: [args.bare_search, idx, q["q"]]
    if "fts5" in args.engines:
        c["sqlite3 fts5"] = lambda q: ["sqlite3", "-readonly", fts,
                                        f"SELECT rowid FROM t WHERE t MATCH {sql_quote(q['fts5'])} ORDER BY bm25(t) LIMIT 10;"]
    return c


def startup_commands(args, idx, fts):
    c = {"folio --version": [args.folio, "--version"],
         "folio stats": [args.folio, "--db", idx, "stats"]}
    if "xapian" in args.engines:
        c["bare_search (no query)"] = [args.bare_search, idx, ""]
    if "fts5" in args.engines:
        c["sqlite3 SELECT 1"] = ["sqlite3", "-readonly", fts, "SELECT 1;"]
    return c


def run_once(argv):
    t = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    dt = time.perf_counter() - t
    if r.returncode not in (0, 1):
        die(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-500:]}")
    return dt


def match_counts(args, idx, fts, queries):
    """How many sections (folio) / rows (FTS5) each query matches: context for the latencies."""
    import sqlite3
    con = sqlite3.connect(f"file:{fts}?mode=ro", uri=True) if fts else None
    out = []
    for q in queries:
        row = {}
        for name, extra in (("folio", []), ("folio+filter", args.filter.split())):
            r = subprocess.run([args.folio, "--db", idx, "search", q["q"], "--json", "--limit", "1"] + extra,
                               capture_output=True, text=True, timeout=120)
            row[name] = json.loads(r.stdout)["total"] if r.stdout.strip() else 0
        if con:
            row["fts5"] = con.execute("SELECT count(*) FROM t WHERE t MATCH ?", (q["fts5"],)).fetchone()[0]
        out.append(row)
    return out


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(-(-p * len(xs) // 100)) - 1))  # nearest rank
    return xs[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default="build/bin/folio", help="folio binary (default build/bin/folio)")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"), help="shared folder with data/ and tools/ (default ../shared)")
    ap.add_argument("--cache", default="/tmp/folio-bench-search", help="where the corpus and indexes are kept between runs")
    ap.add_argument("--copies", type=int, default=10, help="varied copies of the corpora (default 10: ~233k sections)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs of each query under each engine (default 20)")
    ap.add_argument("--queries", default=os.path.join(ROOT, "bench", "search", "queries.txt"))
    ap.add_argument("--filter", default="--since 1987-03 --until 1987-04", help="folio's filter arguments, given with '=': --filter='--place japan' (default: --since 1987-03 --until 1987-04)")
    ap.add_argument("--place", default="japan", help="also time folio with --place PLACE ('' to skip)")
    ap.add_argument("--engines", default="folio,xapian,fts5", help="comma-separated subset of folio,xapian,fts5 (xapian: bench/search/bare_search.cpp)")
    ap.add_argument("--quick", action="store_true", help="2 copies (~47k sections), 5 runs: ~1.5 minutes the first time")
    ap.add_argument("--budget", type=float, default=480, help="stop timing rounds after this many seconds of timing (default 480)")
    ap.add_argument("--index", help="search this folio index (built by `folio index` of the corpus in --cache) instead of "
                    "the cached one keyed by the binary: a rebuilt binary with the same schema need not re-index")
    ap.add_argument("--index-timeout", type=float, default=1500, help="give up building an index after this long")
    ap.add_argument("--json-out", help="write every sample here (default CACHE/last-results.json)")
    args = ap.parse_args()
    if args.quick:
        args.copies = min(args.copies, 2)
        args.runs = min(args.runs, 5)
    args.engines = set(args.engines.split(","))
    args.folio = os.path.abspath(os.path.join(ROOT, args.folio) if not os.path.isabs(args.folio) else args.folio)
    check_tools(args)
    os.makedirs(args.cache, exist_ok=True)
    # A private copy of the binary and its data files (<exe>/../share/folio, the lexicons), keyed
    # by their sizes and mtimes: a rebuild of build/bin/folio during the run cannot mix binaries,
    # and the cached index belongs to this copy.
    args.folio_orig = args.folio
    data = os.environ.get("FOLIO_DATA_DIR") or os.path.join(os.path.dirname(os.path.dirname(args.folio)), "share", "folio")
    if not os.path.isdir(data):
        die(f"no folio data files at {data}: set FOLIO_DATA_DIR")
    h = hashlib.sha256()
    st = os.stat(args.folio)
    h.update(f"{st.st_size} {st.st_mtime_ns}".encode())
    for root, dirs, names in sorted(os.walk(data)):
        for n in sorted(names):
            st = os.stat(os.path.join(root, n))
            h.update(f"{os.path.relpath(os.path.join(root, n), data)} {st.st_size} {st.st_mtime_ns}".encode())
    bindir = os.path.join(args.cache, f"bin-{h.hexdigest()[:12]}")
    if not os.path.exists(os.path.join(bindir, ".complete")):
        for old in os.listdir(args.cache):
            if old.startswith("bin-"):
                shutil.rmtree(os.path.join(args.cache, old))
        os.makedirs(os.path.join(bindir, "bin"))
        shutil.copy2(args.folio, os.path.join(bindir, "bin", "folio"))
        shutil.copytree(data, os.path.join(bindir, "share", "folio"))
        open(os.path.join(bindir, ".complete"), "w").close()
    args.folio = os.path.join(bindir, "bin", "folio")
    if "xapian" in args.engines:
        args.bare_search = os.path.join(args.cache, "bare_search")
        src = os.path.join(ROOT, "bench", "search", "bare_search.cpp")
        if not os.path.exists(args.bare_search) or os.path.getmtime(args.bare_search) < os.path.getmtime(src):
            log("compiling bench/search/bare_search.cpp")
            subprocess.run(["g++", "-O2", "-std=c++17", src, "-o", args.bare_search, "-lxapian"], check=True)
    os.environ.pop("FOLIO_DATA_DIR", None)
    version = subprocess.run([args.folio, "--version"], capture_output=True, text=True).stdout.strip()
    log(f"folio: {args.folio_orig} ({version}), copied to {args.folio}")
    load_start = open("/proc/loadavg").read().split()[:3]

    corpus, nfiles, nbytes = build_corpus(args, args.cache)
    if args.index:
        idx = os.path.abspath(args.index)
        stats = json.loads(subprocess.run([args.folio, "--db", idx, "stats", "--json"], capture_output=True,
                                          text=True, check=True).stdout)
        log(f"using folio index {idx}: {stats['sections']} sections")
    else:
        idx, stats = build_folio_index(args, args.cache, corpus)
    fts, fmeta = build_fts5(args, args.cache, corpus) if "fts5" in args.engines else (None, {})
    if stats["sections"] < 200000:
        log(f"note: {stats['sections']} sections, fewer than the 200,000 the full benchmark asks for")
    queries = read_queries(args.queries)
    cmds = commands(args, idx, fts)
    starts = startup_commands(args, idx, fts)

    log("counting matches")
    counts = match_counts(args, idx, fts, queries)
    log("warm-up round (untimed)")
    for q in queries:
        for mk in cmds.values():
            run_once(mk(q))
    samples = {name: [[] for _ in queries] for name in cmds}
    ssamples = {name: [] for name in starts}
    rounds = 0
    t_start = time.perf_counter()
    for r in range(args.runs):
        if time.perf_counter() - t_start > args.budget:
            log(f"time budget of {args.budget:.0f}s used up after {rounds} rounds")
            break
        for i, q in enumerate(queries):
            for name, mk in cmds.items():
                samples[name][i].append(run_once(mk(q)))
        for name, argv in starts.items():
            ssamples[name].append(run_once(argv))
        rounds += 1
        if r == 0:
            per = time.perf_counter() - t_start
            log(f"round 1 took {per:.1f}s; {args.runs} rounds take about {per * args.runs:.0f}s")
    log(f"{rounds} rounds done")

    # ---- report ----------------------------------------------------------------
    classes = []
    for q in queries:
        if q["class"] not in classes:
            classes.append(q["class"])
    ms = lambda x: f"{x * 1000:.1f}"
    out = []
    p = out.append
    p(f"folio: {args.folio_orig} ({version}). Load average (1, 5, 15 min) at the start: {' '.join(load_start)}; "
      f"at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}. Run took {time.time() - T0:.0f}s.\n")
    p(f"Index: {stats['sections']} sections of {stats['articles']} articles ({nfiles} files, {nbytes / 1e6:.0f} MB of text, "
      f"{args.copies} varied copies); folio index {stats['size_bytes'] / 1e9:.2f} GB"
      + (f", FTS5 database {fmeta['size_bytes'] / 1e9:.2f} GB ({fmeta['rows']} rows, one per file)" if fmeta else "") + ".")
    p(f"{rounds} timed runs of each (query, engine), interleaved, after one untimed warm-up round; "
      f"times are whole processes in ms; p99 is the nearest-rank 99th percentile over all runs of all queries of the class.\n")
    p("| engine | " + " | ".join(f"{c} median | {c} p99" for c in classes) + " | all median | all p99 |")
    p("|---|" + "---:|" * (2 * len(classes) + 2))
    for name in cmds:
        cells = []
        for c in classes + [None]:
            xs = [x for i, q in enumerate(queries) if c is None or q["class"] == c for x in samples[name][i]]
            cells += [ms(statistics.median(xs)), ms(pct(xs, 99))] if xs else ["", ""]
        p(f"| {name} | " + " | ".join(cells) + " |")
    if "folio" in args.engines:
        p("\nfolio: facets / no facets (ratio of medians; goal ≤ 2.0):\n")
        p("| pair | " + " | ".join(classes) + " | all | worst single query |")
        p("|---|" + "---:|" * (len(classes) + 2))
        for a, b in (("folio+facets", "folio"), ("folio+filter+facets", "folio+filter")):
            cells = []
            for c in classes + [None]:
                xa = [x for i, q in enumerate(queries) if c is None or q["class"] == c for x in samples[a][i]]
                xb = [x for i, q in enumerate(queries) if c is None or q["class"] == c for x in samples[b][i]]
                cells.append(f"{statistics.median(xa) / statistics.median(xb):.2f}")
            per = [(statistics.median(samples[a][i]) / statistics.median(samples[b][i]), q["q"]) for i, q in enumerate(queries)]
            w = max(per)
            p(f"| {a} / {b} | " + " | ".join(cells) + f" | {w[0]:.2f} (`{w[1]}`) |")
    p("\nProcess start-up floors (median / p99 ms over the same rounds):\n")
    p("| command | median | p99 |")
    p("|---|---:|---:|")
    for name, xs in ssamples.items():
        if xs:
            p(f"| `{name}` | {ms(statistics.median(xs))} | {ms(pct(xs, 99))} |")
    p("\nPer query (median ms; matches = sections for folio, rows for FTS5):\n")
    p("| class | query | matches folio | matches filtered | matches fts5 | " + " | ".join(cmds) + " |")
    p("|---|---|---:|---:|---:|" + "---:|" * len(cmds))
    for i, q in enumerate(queries):
        qtxt = q["q"] + (f" (FTS5: {q['fts5']})" if q["fts5"] != q["q"] else "")
        p(f"| {q['class']} | `{qtxt}` | {counts[i].get('folio', '')} | {counts[i].get('folio+filter', '')} | {counts[i].get('fts5', '')} | "
          + " | ".join(ms(statistics.median(samples[n][i])) if samples[n][i] else "" for n in cmds) + " |")
    rel = lambda s: s.replace(args.cache, "$CACHE").replace(ROOT + "/", "")
    p("\nCommands ($CACHE = " + args.cache + ", $CACHE/bin-*/bin/folio a copy of the --folio binary and its data files; QUERY from bench/search/queries.txt, one argument):\n")
    example = {"q": "QUERY", "fts5": "FTS5QUERY"}
    for name, mk in cmds.items():
        p(f"- {name}: `" + rel(" ".join(a if " " not in a and a else repr(a) for a in mk(example))) + "`")
    print("\n".join(out))

    jpath = args.json_out or os.path.join(args.cache, "last-results.json")
    json.dump({"stats": stats, "fts5": fmeta, "files": nfiles, "bytes": nbytes, "copies": args.copies, "rounds": rounds,
               "filter": args.filter, "queries": queries, "counts": counts, "samples": samples, "startup": ssamples},
              open(jpath, "w"), indent=1)
    log(f"raw samples in {jpath}")


T0 = time.time()
if __name__ == "__main__":
    main()
