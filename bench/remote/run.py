#!/usr/bin/env python3
"""Cluster search latency: whole `folio search` processes on a cluster of
NODES loopback nodes (`folio serve`, `folio join`) against one local index of
the same files, the two interleaved in the same run. See bench/README.md.

Run from the repository root:  python3 bench/remote/run.py [options]

The corpus: the shared corpora rendered by render-corpora (or --corpus DIR),
split file by file into NODES folders (hard links); the local index indexes
all of them, node k indexes folder k. Every number is a whole process (fork +
exec + open + search + print), as a user waits for it. Prints Markdown.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
QUERIES = [
    ("one word", ["china"]),
    ("two words", ["oil", "prices"]),
    ("phrase", ['"interest rates"']),
    ("facets", ["election", "--facet", "person,place,date:year"]),
    ("facets by article", ["market", "--facet", "person,place", "--facet-by", "article"]),
    ("filter + facets", ["--place", "japan", "--facet", "person"]),
    ("--by-article", ["government", "--by-article"]),
    ("--sort -date", ["bank", "--sort", "-date"]),
]


def log(msg):
    print(f"[{time.time() - T0:6.0f}s] {msg}", file=sys.stderr, flush=True)


def free_port_pair():
    for _ in range(100):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", p + 1))
            return p
        except OSError:
            continue
        finally:
            t.close()
    raise SystemExit("no free port pair")


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode not in (0, 1):
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default=os.path.join(ROOT, "build", "bin", "folio"))
    ap.add_argument("--corpus", help="a folder of articles (default: render the shared corpora)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "folio-bench-remote"))
    ap.add_argument("--nodes", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    # A copy of the binary and its data: a rebuild during the run cannot mix two.
    bindir = os.path.join(args.work, "bin")
    shutil.rmtree(os.path.join(args.work, "bin"), ignore_errors=True)
    os.makedirs(bindir)
    folio = os.path.join(bindir, "folio")
    shutil.copy2(args.folio, folio)
    share = os.path.join(os.path.dirname(os.path.dirname(args.folio)), "share")
    if os.path.isdir(share):
        shutil.copytree(share, os.path.join(args.work, "share"), dirs_exist_ok=True)

    corpus = args.corpus
    if corpus is None:
        corpus = os.path.join(args.work, "corpus")
        if not os.path.isdir(corpus):
            log("rendering the shared corpora")
            subprocess.run([os.path.join(ROOT, "..", "shared", "tools", "render-corpora"),
                            os.path.join(ROOT, "..", "shared", "data"), corpus], check=True,
                           stdout=subprocess.DEVNULL)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
    parts = [os.path.join(args.work, f"part{k}") for k in range(args.nodes)]
    if not all(os.path.isdir(p) for p in parts):
        for p in parts:
            shutil.rmtree(p, ignore_errors=True)
            os.makedirs(p)
        for i, f in enumerate(files):
            rel = os.path.relpath(f, corpus).replace(os.sep, "_")
            os.link(f, os.path.join(parts[i % args.nodes], rel))
    local = os.path.join(args.work, "local")
    nodes = [os.path.join(args.work, f"node{k}") for k in range(args.nodes)]
    if not os.path.isdir(local):
        log(f"indexing {len(files)} files into one local index")
        run([folio, "--db", local, "index", "--shards", str(args.nodes)] + parts)
    for k, n in enumerate(nodes):
        if not os.path.isdir(n):
            log(f"indexing node {k}")
            run([folio, "--db", n, "index", "--shards", "1", parts[k]])

    servers = []
    try:
        ports = []
        for n in nodes:
            p = free_port_pair()
            err = open(os.path.join(args.work, f"serve-{p}.log"), "w")
            servers.append(subprocess.Popen([folio, "--db", n, "serve", "--listen", f"127.0.0.1:{p}"],
                                            stderr=err, stdout=subprocess.DEVNULL))
            ports.append(p)
        for p in ports:
            log_path = os.path.join(args.work, f"serve-{p}.log")
            for _ in range(1000):
                if "serving" in open(log_path).read():
                    break
                time.sleep(0.01)
        cluster = os.path.join(args.work, "cluster")
        shutil.rmtree(cluster, ignore_errors=True)
        run([folio, "--db", cluster, "join"] + [f"127.0.0.1:{p}" for p in ports])
        stats = run([folio, "--db", local, "stats", "--json"]).stdout
        load0 = os.getloadavg()[0]

        times = {(name, db): [] for name, _ in QUERIES for db in ("local", "cluster")}
        for name, q in QUERIES:  # warm up, and check the answers agree
            a = run([folio, "--db", local, "search", "--json"] + q).stdout
            b = run([folio, "--db", cluster, "search", "--json"] + q).stdout
            ja, jb = json.loads(a), json.loads(b)
            if ja["total"] != jb["total"] or ja["facets"] != jb["facets"]:
                print(f"warning: {name}: the cluster answers otherwise", file=sys.stderr)
            snips = lambda j: [(h["id"], h["snippet"], h["highlights"]) for h in j["hits"]]
            if snips(ja) != snips(jb):
                print(f"warning: {name}: the cluster's snippets differ", file=sys.stderr)
        for r in range(args.rounds):
            for name, q in QUERIES:
                for db, path in (("local", local), ("cluster", cluster)) if r % 2 == 0 else \
                        (("cluster", cluster), ("local", local)):
                    t = time.perf_counter()
                    subprocess.run([folio, "--db", path, "search"] + q, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
                    times[(name, db)].append((time.perf_counter() - t) * 1000)
        load1 = os.getloadavg()[0]
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
        for s in servers:
            s.wait()

    st = json.loads(stats)
    print(f"{st['sections']} sections, {st['articles']} articles; {args.nodes} loopback nodes against one local "
          f"index of {args.nodes} shards; {args.rounds} rounds, interleaved; load {load0:.1f} -> {load1:.1f}\n")
    print("| query | local p50 ms | cluster p50 ms | overhead p50 ms | local p99 | cluster p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    overheads = []
    for name, q in QUERIES:
        lo, cl = times[(name, "local")], times[(name, "cluster")]
        p50l, p50c = statistics.median(lo), statistics.median(cl)
        q99 = lambda xs: sorted(xs)[round(0.99 * (len(xs) - 1))]
        overheads.append(p50c - p50l)
        print(f"| {name} (`{' '.join(q)}`) | {p50l:.1f} | {p50c:.1f} | {p50c - p50l:+.1f} | {q99(lo):.1f} | "
              f"{q99(cl):.1f} |")
    print(f"\nmedian overhead over the queries: {statistics.median(overheads):+.1f} ms")


T0 = time.time()
if __name__ == "__main__":
    main()
