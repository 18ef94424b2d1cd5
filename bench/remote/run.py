#!/usr/bin/env python3
"""Cluster search latency: whole `folio search` processes on a cluster of
NODES loopback nodes (`folio serve`, `folio join`) against a local index of
the same files, the two interleaved in the same run. See bench/README.md.

Run from the repository root:  python3 bench/remote/run.py [options]

The corpus: the shared corpora rendered by render-corpora (or --corpus DIR),
split file by file into NODES folders (hard links); node k indexes folder k.
"The same index local" is either one local index of all the folders (the
default) or, with --local-stub, a local stub over the node indexes
themselves (`folio join --local NODE_INDEX...`: exactly the same documents,
nothing indexed twice). The split and the indexes are kept under --work and
reused by later runs made with the same --corpus and --nodes (a stamp file
records each finished step; --fresh starts again). Every number is a whole
process (fork + exec + open + search + print), as a user waits for it, and
its CPU time: the search process's own, and the nodes' (`folio serve` and
xapian-tcpsrv with the connections it forked). Prints Markdown.
"""
import argparse
import json
import os
import resource
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
CLK = os.sysconf("SC_CLK_TCK")


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


def stamp_ok(path, want):
    try:
        with open(path) as f:
            return json.load(f) == want
    except (OSError, ValueError):
        return False


def write_stamp(path, what):
    with open(path, "w") as f:
        json.dump(what, f)


def process_cpu(pid, children=False):
    """utime + stime (and, with children, of the waited-for children) in ms."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks * 1000.0 / CLK


def child_pids(pid):
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return out


def nodes_cpu(servers):
    """CPU ms of the nodes so far: each folio serve, and its xapian-tcpsrv
    with the connections it forked and reaped."""
    total = 0.0
    for s in servers:
        total += process_cpu(s.pid)
        for c in child_pids(s.pid):
            total += process_cpu(c, children=True)
    return total


def prepare(args, folio):
    """The split and the node indexes (and the local index), reused when a
    stamp says they were made from the same corpus and number of nodes."""
    corpus = args.corpus
    if corpus is None:
        corpus = os.path.join(args.work, "corpus")
        if not os.path.isdir(corpus):
            log("rendering the shared corpora")
            subprocess.run([os.path.join(ROOT, "..", "shared", "tools", "render-corpora"),
                            os.path.join(ROOT, "..", "shared", "data"), corpus], check=True,
                           stdout=subprocess.DEVNULL)
    corpus = os.path.abspath(corpus)
    what = {"corpus": corpus, "nodes": args.nodes}
    parts = [os.path.join(args.work, f"part{k}") for k in range(args.nodes)]
    nodes = [os.path.join(args.work, f"node{k}") for k in range(args.nodes)]
    split_stamp = os.path.join(args.work, "split.done")
    if args.fresh or not stamp_ok(split_stamp, what):
        log("splitting the corpus")
        for p in parts + nodes + [os.path.join(args.work, "local")]:
            shutil.rmtree(p, ignore_errors=True)
        for name in os.listdir(args.work):
            if name.endswith(".done"):
                os.remove(os.path.join(args.work, name))
        for p in parts:
            os.makedirs(p)
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
        for i, f in enumerate(files):
            rel = os.path.relpath(f, corpus).replace(os.sep, "_")
            os.link(f, os.path.join(parts[i % args.nodes], rel))
        write_stamp(split_stamp, what)
    else:
        log("reusing the split")
    for k, n in enumerate(nodes):
        stamp = os.path.join(args.work, f"node{k}.done")
        if not stamp_ok(stamp, what):
            shutil.rmtree(n, ignore_errors=True)
            log(f"indexing node {k}")
            run([folio, "--db", n, "index", "--shards", str(args.node_shards), parts[k]])
            write_stamp(stamp, what)
    if args.local_stub:
        local = os.path.join(args.work, "localstub")
        shutil.rmtree(local, ignore_errors=True)
        run([folio, "--db", local, "join"] + [x for n in nodes for x in ("--local", n)])
    else:
        local = os.path.join(args.work, "local")
        stamp = os.path.join(args.work, "local.done")
        if not stamp_ok(stamp, what):
            shutil.rmtree(local, ignore_errors=True)
            log("indexing every part into one local index")
            run([folio, "--db", local, "index", "--shards", str(args.nodes * args.node_shards)] + parts)
            write_stamp(stamp, what)
    return local, nodes


def check_answers(folio, local, cluster):
    """Warm up, and say where the cluster answers otherwise than the local
    index (copies of an article are not merged on a cluster: the check is
    made with --no-dedupe too)."""
    for name, q in QUERIES:
        for extra in ([], ["--no-dedupe"]):
            ja = json.loads(run([folio, "--db", local, "search", "--json"] + extra + q).stdout)
            jb = json.loads(run([folio, "--db", cluster, "search", "--json"] + extra + q).stdout)
            how = " ".join(extra) or "default"
            if ja["total"] != jb["total"] or ja["facets"] != jb["facets"]:
                print(f"warning: {name} ({how}): the cluster's total or facets differ", file=sys.stderr)
            snips = lambda j: [(h["id"], h["snippet"], h["highlights"]) for h in j["hits"]]
            if snips(ja) != snips(jb):
                print(f"warning: {name} ({how}): the cluster's hits or snippets differ", file=sys.stderr)


def timed(folio, path, q):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([folio, "--db", path, "search"] + q, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default=os.path.join(ROOT, "build", "bin", "folio"))
    ap.add_argument("--corpus", help="a folder of articles (default: render the shared corpora)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "folio-bench-remote"),
                    help="where the split, the indexes and the logs are kept between runs")
    ap.add_argument("--nodes", type=int, default=4)
    ap.add_argument("--node-shards", type=int, default=1, help="shards of each node's index")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--local-stub", action="store_true",
                    help="compare with a local stub over the node indexes (`folio join --local`), not with "
                         "a separate local index of the same files (nothing is indexed twice)")
    ap.add_argument("--fresh", action="store_true", help="split and index again even if the work folder has it")
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    # A copy of the binary and its data: a rebuild during the run cannot mix two.
    bindir = os.path.join(args.work, "bin")
    shutil.rmtree(bindir, ignore_errors=True)
    os.makedirs(bindir)
    folio = os.path.join(bindir, "folio")
    shutil.copy2(args.folio, folio)
    share = os.path.join(os.path.dirname(os.path.dirname(args.folio)), "share")
    if os.path.isdir(share):
        shutil.copytree(share, os.path.join(args.work, "share"), dirs_exist_ok=True)
    local, nodes = prepare(args, folio)

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
            for _ in range(3000):
                if "serving" in open(log_path).read():
                    break
                time.sleep(0.01)
        cluster = os.path.join(args.work, "cluster")
        shutil.rmtree(cluster, ignore_errors=True)
        run([folio, "--db", cluster, "join"] + [f"127.0.0.1:{p}" for p in ports])
        # Of the cluster: `folio stats` of a stub of other indexes' shards fails (it looks for
        # shard folders of its own).
        stats = run([folio, "--db", cluster, "stats", "--json"]).stdout
        check_answers(folio, local, cluster)
        load0 = os.getloadavg()[0]
        times = {(name, db): [] for name, _ in QUERIES for db in ("local", "cluster")}
        cpu = {(name, db): [] for name, _ in QUERIES for db in ("local", "cluster", "nodes")}
        for r in range(args.rounds):
            for name, q in QUERIES:
                for db, path in (("local", local), ("cluster", cluster)) if r % 2 == 0 else \
                        (("cluster", cluster), ("local", local)):
                    served = nodes_cpu(servers) if db == "cluster" else 0
                    wall, own = timed(folio, path, q)
                    times[(name, db)].append(wall)
                    cpu[(name, db)].append(own)
                    if db == "cluster":
                        # The nodes' connections end with the search process.
                        time.sleep(0.002)
                        cpu[(name, "nodes")].append(nodes_cpu(servers) - served)
        load1 = os.getloadavg()[0]
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
        for s in servers:
            s.wait()

    st = json.loads(stats)
    what = "a local stub over the node indexes" if args.local_stub else "one local index"
    print(f"{st['sections']} sections, {st['articles']} articles; {args.nodes} loopback nodes against {what} "
          f"of {args.nodes * args.node_shards} shards; {args.rounds} rounds, interleaved; "
          f"load {load0:.1f} -> {load1:.1f}\n")
    print("| query | local p50 ms | cluster p50 ms | overhead p50 ms | cluster / local | local p99 | cluster p99 "
          "| local CPU ms | cluster CPU ms (search + nodes) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    overheads, ratios = [], []
    q99 = lambda xs: sorted(xs)[round(0.99 * (len(xs) - 1))]
    for name, q in QUERIES:
        lo, cl = times[(name, "local")], times[(name, "cluster")]
        p50l, p50c = statistics.median(lo), statistics.median(cl)
        overheads.append(p50c - p50l)
        ratios.append(p50c / p50l)
        # The nodes' CPU is read in clock ticks from /proc: a mean, not a median.
        cl_cpu, nodes_ms = statistics.median(cpu[(name, "cluster")]), statistics.mean(cpu[(name, "nodes")])
        print(f"| {name} (`{' '.join(q)}`) | {p50l:.1f} | {p50c:.1f} | {p50c - p50l:+.1f} | {p50c / p50l:.2f} | "
              f"{q99(lo):.1f} | {q99(cl):.1f} | {statistics.median(cpu[(name, 'local')]):.0f} | "
              f"{cl_cpu:.0f} + {nodes_ms:.0f} |")
    print(f"\nmedian overhead over the queries: {statistics.median(overheads):+.1f} ms; "
          f"median ratio {statistics.median(ratios):.2f}")


T0 = time.time()
if __name__ == "__main__":
    main()
