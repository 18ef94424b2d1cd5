#!/usr/bin/env bash
# Start-up cost: whole processes of `folio --version`, `folio stats`, and
# `folio extract` of a 200-byte article, against `quest --version` and an
# empty C++ program, interleaved in the same run. See bench/README.md.
#
# Usage (from the repository root):
#   bench/startup/run.sh [--folio PATH] [--runs N] [--rounds N] [--work DIR] [--keep]
#
#   --folio PATH   folio binary (default build/bin/folio); its data files are
#                  <exe>/../share/folio, or $FOLIO_DATA_DIR
#   --runs N       processes per measurement, `perf stat -r N` (default 50)
#   --rounds N     interleaved rounds of every row; the median round is reported (default 5)
#   --work DIR     where to put the copies and the small index (default: a new /tmp folder)
#   --keep         keep the work folder
#
# Prints a Markdown table on stdout: per process, the median over rounds of
# the mean wall time and of the mean CPU time (perf's task-clock), and each
# as a ratio to `quest --version` of the same run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FOLIO=build/bin/folio
RUNS=50
ROUNDS=5
WORK=""
KEEP=0
die() { echo "bench/startup/run.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --folio) FOLIO=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
for tool in perf quest g++ python3; do
    command -v $tool >/dev/null || die "missing $tool (apt-get install linux-perf xapian-tools g++ python3)"
done
case "$FOLIO" in /*) ;; *) FOLIO="$ROOT/$FOLIO" ;; esac
[ -x "$FOLIO" ] || die "no folio binary at $FOLIO: build it first (cmake --build build -j2)"
DATA=${FOLIO_DATA_DIR:-$(dirname "$(dirname "$FOLIO")")/share/folio}
[ -f "$DATA/lexicon.bin" ] || die "no lexicon at $DATA/lexicon.bin: build folio, or set FOLIO_DATA_DIR"

if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/folio-bench-startup.XXXXXX); else mkdir -p "$WORK"; fi
cleanup() { [ $KEEP = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"; }
trap cleanup EXIT

# Private copies: a rebuild during the run cannot mix binaries. A second data
# folder without the tagger's model gives the model's share of `extract`.
mkdir -p "$WORK/bin" "$WORK/share" "$WORK/notagger/bin" "$WORK/notagger/share"
cp "$FOLIO" "$WORK/bin/folio"; cp -r "$DATA" "$WORK/share/folio"
cp "$FOLIO" "$WORK/notagger/bin/folio"; cp -r "$DATA" "$WORK/notagger/share/folio"
rm -f "$WORK/notagger/share/folio/ner/model.bin"
unset FOLIO_DATA_DIR
F="$WORK/bin/folio"
printf 'int main() { return 0; }\n' >"$WORK/empty.cpp"
g++ -O2 -o "$WORK/empty" "$WORK/empty.cpp"
# A 200-byte article with a person and three places.
printf '%s\n' "Ministers meet in Geneva today" "" \
    "Foreign ministers met in Geneva on Monday. Antony Blinken said talks with China" \
    "would go on in Paris next week, officials said after the meeting ended on Monday night." >"$WORK/small.txt"
export FOLIO_DB="$WORK/db"
"$F" index "$ROOT/corpus" >/dev/null 2>&1 || die "folio index of corpus/ failed"

ROWS=(
    "empty C++ program|$WORK/empty"
    "quest --version|quest --version"
    "folio --version|$F --version"
    "folio stats|$F stats"
    "folio extract small.txt|$F extract $WORK/small.txt"
    "folio extract small.txt, no tagger model|$WORK/notagger/bin/folio extract $WORK/small.txt"
)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/runs.tsv"
for round in $(seq "$ROUNDS"); do
    for row in "${ROWS[@]}"; do
        name=${row%%|*}; cmd=${row#*|}
        # perf's summary: "N msec task-clock ..." and "S +- E seconds time elapsed".
        out=$(perf stat -r "$RUNS" -e task-clock $cmd 2>&1 >/dev/null) || die "$name failed: $out"
        cpu=$(awk '/task-clock/ {print $1}' <<<"$out" | tr -d ,)
        wall=$(awk '/seconds time elapsed/ {print $1 * 1000}' <<<"$out")
        printf '%s\t%s\t%s\t%s\n' "$name" "$round" "$wall" "$cpu" >>"$WORK/runs.tsv"
    done
    echo "round $round of $ROUNDS done" >&2
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$WORK/runs.tsv" "$RUNS" "$ROUNDS" "$LOAD_START" "$LOAD_END" "$(ldd "$F" | wc -l)" <<'PY'
import statistics, sys
path, runs, rounds, load0, load1, libs = sys.argv[1:]
rows = {}
for line in open(path):
    name, _, wall, cpu = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(cpu)))
med = {n: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for n, v in rows.items()}
qw, qc = med["quest --version"]
print(f"{rounds} interleaved rounds of `perf stat -r {runs}` per row; load average {load0} at the start, {load1} at the end; "
      f"folio links {libs} shared objects (`ldd | wc -l`).\n")
print("| process | wall ms | × quest | CPU ms | × quest |")
print("|---|---:|---:|---:|---:|")
for n, (w, c) in med.items():
    print(f"| `{n}` | {w:.2f} | {w / qw:.2f} | {c:.2f} | {c / qc:.2f} |")
PY
