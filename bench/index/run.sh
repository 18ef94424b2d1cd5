#!/usr/bin/env bash
# Indexing throughput: folio against omindex, a bare Xapian indexer, Xapian's
# simpleindex example and SQLite FTS5, all indexing the same rendered corpora
# in the same run. See bench/README.md.
#
# Usage (from the repository root):
#   bench/index/run.sh [--folio PATH] [--reps N] [--quick] [--engines LIST]
#                      [--shared DIR] [--work DIR] [--keep] [--no-drop-caches]
#                      [--budget SECONDS] [--run-timeout SECONDS]
#
#   --folio PATH        folio binary (default build/bin/folio)
#   --reps N            runs per engine, the median is reported (default 3; --quick: 1)
#   --quick             index a quarter of the corpus once (about 1 minute in all)
#   --engines LIST      comma-separated subset of folio,folio-j1,folio-s2,omindex,bare,simpleindex,fts5
#                       (folio-j1: folio index --jobs 1, one parsing thread;
#                       folio-s2: folio index --shards 2, two writer threads)
#   --shared DIR        the shared folder with data/ and tools/render-corpora (default ../shared)
#   --work DIR          where to render and index (default: a new /tmp/folio-bench-index.XXXXXX)
#   --keep              keep the work folder (default: removed on exit)
#   --no-drop-caches    do not drop the page cache before each run (it needs root)
#   --budget SECONDS    stop starting runs after this long (default 840); what ran is reported
#   --run-timeout SECONDS  kill a single run after this long (default 300)
#   NOOP_REPS=N (environment)  no-op reruns after folio's and omindex's first run (default 5)
#
# Prints progress on stderr and a Markdown table on stdout; the raw runs are
# left in WORK/runs.tsv when --keep is given.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FOLIO=build/bin/folio
REPS=""
QUICK=0
ENGINES=folio,folio-j1,omindex,bare,simpleindex,fts5
SHARED="$ROOT/../shared"
WORK=""
KEEP=0
DROP=1
BUDGET=840
RUN_TIMEOUT=300

die() { echo "bench/index/run.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --folio) FOLIO=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --engines) ENGINES=$2; shift 2 ;;
        --shared) SHARED=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --no-drop-caches) DROP=0; shift ;;
        --budget) BUDGET=$2; shift 2 ;;
        --run-timeout) RUN_TIMEOUT=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[ -n "$REPS" ] || { [ $QUICK = 1 ] && REPS=1 || REPS=3; }

# ---- tools -------------------------------------------------------------------
SIMPLEINDEX=/usr/lib/xapian-examples/examples/simpleindex
missing=()
need() { # need COMMAND-OR-PATH PACKAGE
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then missing+=("$2 (for $1)"); fi
}
need python3 python3
need /usr/bin/time time
need timeout coreutils
need xapian-delve xapian-tools
need xapian-compact xapian-tools
case ",$ENGINES," in *,omindex,*) need omindex xapian-omega ;; esac
case ",$ENGINES," in *,simpleindex,*) need "$SIMPLEINDEX" xapian-examples ;; esac
case ",$ENGINES," in *,bare,*)
    need g++ g++
    [ -f /usr/include/xapian.h ] || missing+=("libxapian-dev (for xapian.h)") ;;
esac
case ",$ENGINES," in *,fts5,*)
    python3 -c "import sqlite3; sqlite3.connect(':memory:').execute('CREATE VIRTUAL TABLE t USING fts5(x)')" 2>/dev/null \
        || missing+=("a python3 whose sqlite3 module has FTS5 (Debian's python3 does)") ;;
esac
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench/index/run.sh: missing tools; install them with apt-get install:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 2
fi
/usr/bin/time --version 2>&1 | grep -q GNU || die "/usr/bin/time is not GNU time: apt-get install time"
case "$FOLIO" in /*) ;; *) FOLIO="$ROOT/$FOLIO" ;; esac
case ",$ENGINES," in *,folio,*|*,folio-j1,*|*,folio-s2,*)
    [ -x "$FOLIO" ] || die "no folio binary at $FOLIO: build it with 'cmake -S . -B build && cmake --build build -j2', or pass --folio PATH" ;;
esac
[ -x "$SHARED/tools/render-corpora" ] || die "no $SHARED/tools/render-corpora: pass --shared DIR"
if [ $DROP = 1 ] && ! { [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
    echo "bench/index/run.sh: cannot drop the page cache (not root?); runs start warm" >&2
    DROP=0
fi

# ---- work folder -------------------------------------------------------------
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/folio-bench-index.XXXXXX); else mkdir -p "$WORK"; fi
cleanup() { [ $KEEP = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"; }
trap cleanup EXIT
START=$(date +%s)
log() { echo "[$(( $(date +%s) - START ))s] $*" >&2; }

# A private copy of the binary and its data files (<exe>/../share/folio): a rebuild of build/bin/folio during the run cannot mix binaries.
case ",$ENGINES," in *,folio,*|*,folio-j1,*|*,folio-s2,*)
    FOLIO_ORIG=$FOLIO
    DATA=${FOLIO_DATA_DIR:-$(dirname "$(dirname "$FOLIO")")/share/folio}
    [ -d "$DATA" ] || die "no folio data files at $DATA: set FOLIO_DATA_DIR"
    mkdir -p "$WORK/bin" "$WORK/share"
    cp "$FOLIO" "$WORK/bin/folio"; cp -r "$DATA" "$WORK/share/folio"; FOLIO="$WORK/bin/folio"
    unset FOLIO_DATA_DIR
    log "folio: $FOLIO_ORIG ($("$FOLIO" --version 2>&1 | head -1), built $(date -r "$FOLIO_ORIG" '+%F %T'))" ;;
esac
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "rendering corpora into $WORK/corpus"
rm -rf "$WORK/corpus" "$WORK/quick"
"$SHARED/tools/render-corpora" "$SHARED/data" "$WORK/corpus" >/dev/null
CORPUS="$WORK/corpus"
if [ $QUICK = 1 ]; then
    # A quarter: five Reuters files, Wikinews, one BBC category (hard links, no copy).
    mkdir -p "$WORK/quick/reuters" "$WORK/quick/bbc"
    for d in reut2-000 reut2-001 reut2-002 reut2-003 reut2-004; do cp -al "$CORPUS/reuters/$d" "$WORK/quick/reuters/"; done
    cp -al "$CORPUS/wikinews" "$WORK/quick/"
    cp -al "$CORPUS/bbc/business" "$WORK/quick/bbc/"
    CORPUS="$WORK/quick"
fi
NFILES=$(find "$CORPUS" -type f -name '*.txt' | wc -l)
BYTES=$(find "$CORPUS" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
log "corpus: $NFILES files, $BYTES bytes of article text"

case ",$ENGINES," in *,bare,*)
    log "compiling bench/index/bare_index.cpp"
    g++ -O2 -std=c++17 "$ROOT/bench/index/bare_index.cpp" -o "$WORK/bare_index" -lxapian ;;
esac

# ---- the runs ----------------------------------------------------------------
DBS="$WORK/dbs"
cmd_for() { # the command line of ENGINE, as a string run by bash -c
    case "$1" in
        folio) echo "'$FOLIO' --db '$DBS/folio' index '$CORPUS'" ;;
        folio-j1) echo "'$FOLIO' --db '$DBS/folio-j1' index --jobs 1 '$CORPUS'" ;;
        folio-s2) echo "'$FOLIO' --db '$DBS/folio-s2' index --shards 2 '$CORPUS'" ;;
        omindex) echo "omindex --db '$DBS/omindex' --url / '$CORPUS'" ;;
        bare) echo "'$WORK/bare_index' '$DBS/bare' '$CORPUS'" ;;
        simpleindex) echo "find '$CORPUS' -name '*.txt' -print0 | sort -z | xargs -0 cat | $SIMPLEINDEX '$DBS/simpleindex'" ;;
        fts5) echo "python3 '$ROOT/bench/index/fts5_index.py' '$DBS/fts5.db' '$CORPUS'" ;;
        *) die "unknown engine $1" ;;
    esac
}
docs_in() { # number of documents (rows) ENGINE's index holds
    case "$1" in
        fts5) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM t').fetchone()[0])" "$DBS/fts5.db" ;;
        *) xapian-delve "$DBS/$1" 2>/dev/null | sed -n 's/^number of documents = //p' ;;
    esac
}

# ---- no-op reruns (issue 13) ----------------------------------------------------
# Right after an engine's first timed run, the same command again over the
# unchanged corpus, NOOP_REPS times with a warm cache: the work is a walk and
# a stat per file, so find(1) over the same files is the floor.
NOOP_REPS=${NOOP_REPS:-5}
NOOP="$WORK/noop.tsv"
printf 'engine\twall_ms\tcpu_s\n' >"$NOOP"
noop_reruns() { # noop_reruns ENGINE COMMAND
    case "$1" in folio|omindex) ;; *) return 0 ;; esac
    for _ in $(seq 1 "$NOOP_REPS"); do
        local t0 t1
        t0=$(date +%s%N)
        /usr/bin/time -f '%U %S' -o "$WORK/noop-time.txt" bash -c "$2" >/dev/null 2>&1 || { log "$1 no-op rerun failed"; return 0; }
        t1=$(date +%s%N)
        printf '%s\t%s\t%s\n' "$1" "$(( (t1 - t0) / 1000000 ))" "$(awk '{print $1 + $2}' "$WORK/noop-time.txt")" >>"$NOOP"
    done
    if [ "$1" = folio ]; then
        for _ in $(seq 1 "$NOOP_REPS"); do
            local t0 t1
            t0=$(date +%s%N)
            find "$CORPUS" -type f -printf '%s %T@\n' >/dev/null
            t1=$(date +%s%N)
            printf 'find -printf %%s %%T@\t%s\t\n' "$(( (t1 - t0) / 1000000 ))" >>"$NOOP"
        done
    fi
}

RUNS="$WORK/runs.tsv"
printf 'engine\trep\twall_s\tuser_s\tsys_s\tmaxrss_kb\tsize_bytes\tdocs\tstatus\tcompact_bytes\n' >"$RUNS"
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"
stopped=0
for rep in $(seq 1 "$REPS"); do
    for e in "${ENGINE_LIST[@]}"; do
        if [ $(( $(date +%s) - START )) -ge "$BUDGET" ]; then
            log "budget of ${BUDGET}s used up: no more runs"; stopped=1; break 2
        fi
        rm -rf "$DBS"; mkdir -p "$DBS"
        sync
        [ $DROP = 1 ] && echo 3 >/proc/sys/vm/drop_caches
        cmd=$(cmd_for "$e")
        t0=$(date +%s.%N)
        status=ok
        timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$WORK/time.txt" bash -c "$cmd" >"$WORK/out.txt" 2>"$WORK/err.txt" || status=failed
        t1=$(date +%s.%N)
        wall=$(python3 -c "print(f'{$t1 - $t0:.3f}')")
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt" 2>/dev/null || true)
        usr=$(sed -n 's/.*User time (seconds): //p' "$WORK/time.txt" 2>/dev/null || true)
        sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/time.txt" 2>/dev/null || true)
        size=$(du -sb "$DBS" | cut -f1)
        docs=$(docs_in "$e" || true)
        compact=""
        if [ "$rep" = 1 ] && [ "$status" = ok ] && [ "$e" != fts5 ]; then
            # Untimed: how much of the index is B-tree slack (xapian-compact rewrites it full).
            xapian-compact "$DBS/$e" "$DBS/$e.compact" >/dev/null 2>&1 && compact=$(du -sb "$DBS/$e.compact" | cut -f1)
        fi
        [ "$status" = ok ] || { log "$e failed:"; tail -3 "$WORK/err.txt" >&2; }
        [ "$rep" = 1 ] && [ "$status" = ok ] && noop_reruns "$e" "$cmd"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$e" "$rep" "$wall" "${usr:-}" "${sys:-}" "${rss:-}" "$size" "${docs:-}" "$status" "$compact" >>"$RUNS"
        log "rep $rep $e: ${wall}s, ${rss:-?} KB peak RSS, $size bytes, ${docs:-?} docs ($status)"
    done
done
rm -rf "$DBS"

# ---- the table ---------------------------------------------------------------
{
    for e in "${ENGINE_LIST[@]}"; do printf '%s\t%s\n' "$e" "$(cmd_for "$e" | sed "s#$WORK#\$WORK#g; s#$ROOT/##g")"; done
} >"$WORK/cmds.tsv"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $LOAD_END. Run took $(( $(date +%s) - START ))s."
echo
python3 - "$RUNS" "$WORK/cmds.tsv" "$BYTES" "$NFILES" "$REPS" "$stopped" "$DROP" <<'EOF'
import csv, statistics, sys
runs_path, cmds_path, nbytes, nfiles, reps, stopped, drop = sys.argv[1:]
nbytes, nfiles = int(nbytes), int(nfiles)
cmds = dict(l.rstrip("\n").split("\t", 1) for l in open(cmds_path))
rows = [r for r in csv.DictReader(open(runs_path), delimiter="\t") if r["status"] == "ok"]
order = list(cmds)
med = {}
for e in order:
    rs = [r for r in rows if r["engine"] == e]
    if not rs:
        continue
    m = lambda k: statistics.median(float(r[k]) for r in rs if r[k])
    med[e] = dict(n=len(rs), wall=m("wall_s"), cpu=m("user_s") + m("sys_s"), rss=m("maxrss_kb"),
                  size=m("size_bytes"), compact=next((float(r["compact_bytes"]) for r in rs if r.get("compact_bytes")), None), docs=rs[-1]["docs"], walls=[float(r["wall_s"]) for r in rs])
what = {"folio": "sections + metadata + entities", "folio-j1": "same, --jobs 1", "folio-s2": "same, --shards 2", "omindex": "one doc per file",
        "bare": "one doc per file, TermGenerator only", "simpleindex": "one doc per paragraph",
        "fts5": "one row per file (title, body)"}
print(f"Corpus: {nfiles} files, {nbytes/1e6:.1f} MB of article text; median of {reps} run(s) per engine"
      f"{' (page cache dropped before each run)' if drop == '1' else ' (page cache NOT dropped)'}"
      f"{'; STOPPED EARLY by the time budget' if stopped == '1' else ''}.\n")
print("| engine | what a document is | docs | wall s (median) | runs (s) | MB/s | CPU s | peak RSS MB | index MB | compacted MB | index / text | wall vs folio | CPU vs folio |")
print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
fw = med.get("folio", {}).get("wall")
fc = med.get("folio", {}).get("cpu")
for e in order:
    if e not in med:
        print(f"| {e} | {what.get(e,'')} | | failed | | | | | | | | | |")
        continue
    d = med[e]
    ratio = f"{d['wall']/fw:.2f}x" if fw else ""
    cratio = f"{d['cpu']/fc:.2f}x" if fc else ""
    print(f"| {e} | {what.get(e,'')} | {d['docs']} | {d['wall']:.1f} | {', '.join(f'{w:.1f}' for w in d['walls'])} | "
          f"{nbytes/1e6/d['wall']:.2f} | {d['cpu']:.1f} | {d['rss']/1024:.0f} | {d['size']/1e6:.0f} | "
          f"{(format(d['compact']/1e6, '.0f') if d['compact'] else '–')} | {d['size']/nbytes:.1f} | {ratio} | {cratio} |")
print("\nwall (CPU) vs folio < 1 means faster than (less CPU than) folio. CPU s = user + sys, over all threads: "
      "folio parses on --jobs threads (default one per core) while it writes, so its wall time can be below its CPU time. compacted MB: the index after "
      "`xapian-compact` (first run only, untimed; not for FTS5). Index size is `du -sb` of the fresh index.")
print("\nCommands ($WORK is the work folder, $WORK/corpus the rendered corpora, $WORK/bin/folio a copy of the --folio binary):\n")
for e in order:
    print(f"- {e}: `{cmds[e]}`")
EOF

# ---- no-op rerun table -----------------------------------------------------------
if [ "$(wc -l <"$NOOP")" -gt 1 ]; then
    echo
    python3 - "$NOOP" "$NFILES" <<'EOF2'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print(f"No-op rerun: the same command again over the unchanged {sys.argv[2]} files, warm cache, "
      f"right after the engine's first run (median of the reruns, ms; same run as the table above).\n")
print("| engine | wall ms (median) | runs (ms) | CPU ms | wall vs omindex |")
print("|---|---:|---|---:|---:|")
order = list(dict.fromkeys(r["engine"] for r in rows))
med = {e: statistics.median(int(r["wall_ms"]) for r in rows if r["engine"] == e) for e in order}
for e in order:
    cpu = [float(r["cpu_s"]) * 1000 for r in rows if r["engine"] == e and r["cpu_s"]]
    ratio = f"{med[e] / med['omindex']:.2f}x" if med.get("omindex") else ""
    runs = ", ".join(r["wall_ms"] for r in rows if r["engine"] == e)
    print(f"| {e} | {med[e]:.0f} | {runs} | "
          f"{(format(statistics.median(cpu), '.0f') if cpu else '–')} | {ratio} |")
EOF2
fi
