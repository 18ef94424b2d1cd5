#!/usr/bin/env python3
"""Scores folio's people and places against Reuters-21578's PLACES and PEOPLE labels.

Reads the 22 .sgm files of "Reuters-21578, Distribution 1.0" (never copied into
this repository; --data points at them), writes every article that has a BODY
and at least one PLACES or PEOPLE label to a temporary folder as a plain-text
article (title, blank line, dateline + body paragraphs), runs
`folio extract --json` on them in batches and compares, article by article:

  places  the Reuters codes of the countries of every place folio found
          (a city or subdivision counts for its country; regions without a
          country are ignored), mapped with reuters_places.tsv, against the
          article's PLACES codes. Micro precision, recall, F1.
  people  the surnames (last '-' token) of folio's person ids against the
          surnames of the article's PEOPLE codes ("james-baker" is matched by
          "baker" or "james-baker"; "reagan" by "ronald-reagan"). Recall.

Reuters labels what an article is about, not every place or person it names,
so precision here is a lower bound: many of folio's "false positives" are
real mentions that the indexers did not label.

  bench/entities/reuters.py [--folio PATH] [--data DIR] [--limit N]
                            [--errors N] [--json] [--workdir DIR]

Exit status: 0 (also when the data is absent: the run is skipped with a
message), 2 on an error (folio missing or failing).
"""
import argparse
import collections
import html
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "reuters21578"
DEFAULT_FOLIO = ROOT / "build" / "bin" / "folio"
MAPPING = HERE / "reuters_places.tsv"
COUNTRIES = ROOT / "data" / "lexicon" / "countries.tsv"
BATCH = 500

# ---------------------------------------------------------------- parsing

DOC_RE = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')
D_RE = re.compile(r"<D>(.*?)</D>", re.S)
# Every '&' in the files starts an entity: &lt; &amp; or a numeric one. The
# numeric ones are control characters of the wire format (&#2; &#3; &#5;
# &#22; &#31; &#127; ...): removed. A literal '<' in text is &lt;, so every
# raw '<' is markup and the regular expressions above see only tags.
CTRL_ENTITY_RE = re.compile(r"&#(\d+);")
# The signature: "Reuter" (also REUTER, REUTERS, "REUTER...", "REUTER^M",
# "REUTER11:43/VB") on its own line or after the last sentence.
SIGNATURE_RE = re.compile(r"(?:(?<=\n)|(?<=[.\")\]]))\s*reuters?(?:\d{1,2}:\d{2}/\w+)?"
                          r"\s*(?:\.\.\.)?\s*(?:\^M)?\s*$", re.I)


def element(doc, tag):
    m = re.search(rf"<{tag}(?:\s[^>]*)?>(.*?)</{tag}>", doc, re.S)
    return m.group(1) if m else None


def unescape(text):
    def numeric(m):
        n = int(m.group(1))
        return "" if n < 32 or 127 <= n < 160 else chr(n)
    return html.unescape(CTRL_ENTITY_RE.sub(numeric, text))


def paragraphs(body):
    """Reuters bodies are hard-wrapped; a line indented by spaces (or a line
    after a blank line) starts a paragraph. Tables become one paragraph a row."""
    paras, cur = [], []
    for line in body.split("\n"):
        line = line.rstrip()
        if line.endswith("^M"):  # a carriage return printed as text
            line = line[:-2].rstrip()
        if not line.strip():
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if line[0].isspace() and cur:
            paras.append(" ".join(cur))
            cur = []
        cur.append(" ".join(line.split()))
    if cur:
        paras.append(" ".join(cur))
    return paras


def parse_collection(data):
    """Yields one dict per <REUTERS> element of the 22 .sgm files, in order."""
    for f in sorted(data.glob("reut2-*.sgm")):
        raw = f.read_bytes().decode("latin-1")
        for m in DOC_RE.finditer(raw):
            attrs = dict(ATTR_RE.findall(m.group(1)))
            doc = m.group(2)

            def labels(tag):
                inner = element(doc, tag) or ""
                return [unescape(d).strip() for d in D_RE.findall(inner)]

            text = element(doc, "TEXT") or ""
            body = element(text, "BODY")
            title = element(text, "TITLE")
            dateline = element(text, "DATELINE")
            yield {
                "newid": int(attrs.get("NEWID", "0")),
                "file": f.name,
                "places": labels("PLACES"),
                "people": labels("PEOPLE"),
                "title": " ".join(unescape(title).split()) if title is not None else "",
                "dateline": " ".join(unescape(dateline).split()) if dateline is not None else "",
                "body": unescape(body) if body is not None else None,
            }


def article_text(doc):
    """folio's plain-text layout: the title, a blank line, then paragraphs
    separated by blank lines; the dateline opens the first paragraph."""
    body, prev = doc["body"].rstrip(), None
    while body != prev:  # some end "REUTER" then " Reuter"
        prev, body = body, SIGNATURE_RE.sub("", body)
    paras = paragraphs(body)
    if doc["dateline"]:
        if paras:
            paras[0] = f"{doc['dateline']} {paras[0]}"
        else:
            paras = [doc["dateline"]]
    title = doc["title"] or f"Reuters article {doc['newid']}"
    return title + "\n\n" + "\n\n".join(paras) + "\n"


# ---------------------------------------------------------------- mapping

def load_mapping(path, known_codes, folio_ids):
    """folio id -> [Reuters codes] (file order), and the set of mapped codes."""
    f2r = collections.defaultdict(list)
    problems = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            problems.append(f"{path.name}:{n}: expected 2 columns")
            continue
        fid, code = cols[0].strip(), cols[1].strip()
        if folio_ids and fid not in folio_ids:
            problems.append(f"{path.name}:{n}: {fid} is not a folio country id")
        if known_codes and code not in known_codes:
            problems.append(f"{path.name}:{n}: {code} is not a Reuters PLACES code")
        if code not in f2r[fid]:
            f2r[fid].append(code)
    mapped = {c for codes in f2r.values() for c in codes}
    return dict(f2r), mapped, problems


def load_countries(path):
    """folio id -> names (display, aliases, demonyms), for finding example sentences."""
    names = {}
    if not path.exists():
        return names
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        words = [cols[2]]
        for extra in cols[3:5]:
            words += [w for w in extra.split("|") if w]
        names[cols[1]] = words
    return names


def predicted_codes(countries, gold, f2r):
    """Reuters codes predicted for one article. A folio country with several
    codes (germany: west-germany, east-germany) matches whichever is gold; if
    none is, it is one false positive under its first code."""
    pred = set()
    for c in countries:
        codes = f2r.get(c)
        if not codes:
            continue
        hit = [x for x in codes if x in gold]
        pred.update(hit if hit else codes[:1])
    return pred


def surname(slug):
    s = unicodedata.normalize("NFKD", slug)
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    return s.rsplit("-", 1)[-1]


# ---------------------------------------------------------------- running folio

def run_folio(folio, paths):
    """Runs folio extract --json over paths in batches; returns
    ({file name: document}, seconds spent in folio, [stderr lines])."""
    out, spent, errors = {}, 0.0, []
    for i in range(0, len(paths), BATCH):
        batch = [str(p) for p in paths[i:i + BATCH]]
        t0 = time.perf_counter()
        proc = subprocess.run([folio, "extract", "--json", *batch],
                              capture_output=True, text=True, encoding="utf-8", errors="replace")
        spent += time.perf_counter() - t0
        errors += [l for l in proc.stderr.splitlines() if l.strip()]
        if proc.returncode not in (0, 1, 2) or (proc.returncode == 2 and not proc.stdout):
            raise RuntimeError(f"folio extract exited {proc.returncode}: {proc.stderr.strip()[:500]}")
        for line in proc.stdout.splitlines():
            if line.strip():
                d = json.loads(line)
                out[pathlib.Path(d["path"]).name] = d
    return out, spent, errors


# ---------------------------------------------------------------- scoring

def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z(])")


def example_sentence(text, patterns):
    """The first sentence of text that contains one of patterns (whole words,
    case-insensitive for names longer than 3 letters), shortened; else None."""
    for para in text.split("\n"):
        for sent in SENT_RE.split(para):
            for p in patterns:
                if p.search(sent):
                    s = sent.strip()
                    return s if len(s) <= 240 else s[:237] + "..."
    return None


def word_pattern(name):
    flags = re.I if len(name) > 3 else 0  # "US", "UK", "UAE": case matters
    # "North America" does not name America, "West Germany" names Germany
    return re.compile(r"(?<![\w.])(?<!North )(?<!South )(?<!Latin )(?<!Central )"
                      + re.escape(name) + r"(?![\w])", flags)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folio", default=str(DEFAULT_FOLIO), help="folio binary (default: %(default)s)")
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="Reuters-21578 folder (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N selected articles")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="print N example misses and false positives, and the N most frequent ones "
                         "with an example sentence (to stderr with --json)")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON document")
    ap.add_argument("--workdir", help="write the articles here and keep them (default: a temporary folder)")
    args = ap.parse_args()

    data = pathlib.Path(args.data)
    if not data.is_dir() or not list(data.glob("reut2-*.sgm")):
        print(f"reuters.py: Reuters-21578 not found in {data}; skipped", file=sys.stderr)
        return 0
    if not os.access(args.folio, os.X_OK):
        print(f"reuters.py: folio binary not found: {args.folio} (build it first)", file=sys.stderr)
        return 2

    places_file = data / "all-places-strings.lc.txt"
    known_codes = set()
    if places_file.exists():
        known_codes = {l.strip() for l in places_file.read_text(encoding="latin-1").splitlines() if l.strip()}
    country_names = load_countries(COUNTRIES)
    f2r, mapped_codes, problems = load_mapping(MAPPING, known_codes, set(country_names))
    for p in problems:
        print(f"reuters.py: warning: {p}", file=sys.stderr)
    r2f = collections.defaultdict(list)
    for fid, codes in f2r.items():
        for c in codes:
            r2f[c].append(fid)

    docs = list(parse_collection(data))
    selected = [d for d in docs if d["body"] is not None and (d["places"] or d["people"])]
    if args.limit:
        selected = selected[:args.limit]

    tmp = None
    if args.workdir:
        workdir = pathlib.Path(args.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="folio-reuters-")
        workdir = pathlib.Path(tmp.name)
    try:
        texts, paths, nbytes = {}, [], 0
        for d in selected:
            name = f"reuters-{d['newid']:05d}.txt"
            text = article_text(d)
            data_bytes = text.encode("utf-8")
            (workdir / name).write_bytes(data_bytes)
            nbytes += len(data_bytes)
            texts[name] = text
            paths.append(workdir / name)
        try:
            extracted, seconds, folio_errors = run_folio(args.folio, paths)
            # start-up cost of one call (loading folio's lists), to tell it
            # from the time spent on the articles: best of three on a tiny file
            tiny = workdir / "startup-probe.txt"
            tiny.write_text("Probe\n\nOne sentence.\n", encoding="utf-8")
            startup = min(run_folio(args.folio, [tiny])[1] for _ in range(3))
            tiny.unlink()
        except (OSError, RuntimeError) as e:
            print(f"reuters.py: {e}", file=sys.stderr)
            return 2
    finally:
        if tmp:
            tmp.cleanup()

    # ---- per-article comparison
    pl = {"articles": 0, "tp": 0, "fp": 0, "fn": 0, "gold_ignored": collections.Counter(),
          "pred_unmapped": collections.Counter()}
    pe = {"articles": 0, "gold": 0, "matched": 0, "pred": 0, "pred_matched": 0}
    per_code = collections.defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    place_misses, place_fps, people_misses = [], [], []
    missing_output = 0
    for d in selected:
        name = f"reuters-{d['newid']:05d}.txt"
        doc = extracted.get(name)
        if doc is None:
            missing_output += 1
            doc = {"sections": []}
        people_ids, countries = set(), set()
        via = collections.defaultdict(set)  # folio country -> places that gave it
        for s in doc["sections"]:
            people_ids.update(p["id"] for p in s.get("people", []))
            for p in s.get("places", []):
                if p.get("country"):
                    countries.add(p["country"])
                    via[p["country"]].add((p["name"], p["id"], p["kind"]))

        if d["places"]:
            gold = {c for c in d["places"] if c in mapped_codes}
            pl["gold_ignored"].update(c for c in d["places"] if c not in mapped_codes)
            pl["pred_unmapped"].update(c for c in countries if c not in f2r)
            pred = predicted_codes(countries, gold, f2r)
            pl["articles"] += 1
            pl["tp"] += len(pred & gold)
            pl["fp"] += len(pred - gold)
            pl["fn"] += len(gold - pred)
            for c in pred & gold:
                per_code[c][0] += 1
            for c in pred - gold:
                per_code[c][1] += 1
                why = sorted(t for fid in countries if f2r.get(fid, [None])[0] == c for t in via[fid])
                place_fps.append((name, c, sorted(gold), sorted(pred), why))
            for c in gold - pred:
                per_code[c][2] += 1
                place_misses.append((name, c, sorted(gold), sorted(pred)))

        if d["people"]:
            gold_people = sorted(set(d["people"]))
            found = {surname(p) for p in people_ids}
            pe["articles"] += 1
            pe["gold"] += len(gold_people)
            for g in gold_people:
                if surname(g) in found:
                    pe["matched"] += 1
                else:
                    people_misses.append((name, g, sorted(people_ids)))
            gold_surnames = {surname(g) for g in gold_people}
            pe["pred"] += len(found)
            pe["pred_matched"] += len(found & gold_surnames)

    calls = -(-len(paths) // BATCH)
    net = seconds - calls * startup
    p, r, f = prf(pl["tp"], pl["fp"], pl["fn"])
    pp = pe["pred_matched"] / pe["pred"] if pe["pred"] else 0.0
    pr = pe["matched"] / pe["gold"] if pe["gold"] else 0.0
    result = {
        "data": str(data),
        "folio": args.folio,
        "documents": len(docs),
        "selected_articles": len(selected),
        "limit": args.limit or None,
        "places": {
            "articles": pl["articles"],
            "gold_labels": pl["tp"] + pl["fn"],
            "predicted": pl["tp"] + pl["fp"],
            "tp": pl["tp"], "fp": pl["fp"], "fn": pl["fn"],
            "precision_lower_bound": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold_labels_ignored": dict(pl["gold_ignored"]),
            "predicted_countries_without_code": dict(pl["pred_unmapped"].most_common()),
            "per_code": {c: {"tp": v[0], "fp": v[1], "fn": v[2]}
                         for c, v in sorted(per_code.items(), key=lambda kv: -(kv[1][0] + kv[1][2]))},
        },
        "people": {
            "articles": pe["articles"],
            "gold_labels": pe["gold"],
            "matched": pe["matched"],
            "recall": round(pr, 4),
            "predicted_surnames": pe["pred"],
            "precision_labelled_people_only_lower_bound": round(pp, 4),
        },
        "throughput": {
            "articles": len(paths), "bytes": nbytes, "folio_seconds": round(seconds, 3),
            "calls": calls, "batch": BATCH,
            "mb_per_s": round(nbytes / 1e6 / seconds, 3) if seconds else None,
            "startup_seconds_per_call": round(startup, 3),
            "mb_per_s_excluding_startup": round(nbytes / 1e6 / net, 3) if net > 0 else None,
        },
        "folio_stderr_lines": len(folio_errors),
        "articles_without_output": missing_output,
    }

    if args.json:
        print(json.dumps(result, indent=2))
    else:
        P = result["places"]
        E = result["people"]
        T = result["throughput"]
        print(f"Reuters-21578: {len(docs)} documents, {len(selected)} selected "
              f"(BODY and a PLACES or PEOPLE label{', --limit' if args.limit else ''})")
        print()
        print(f"{'score':8} {'articles':>8} {'gold':>6} {'found':>6} {'precision*':>10} {'recall':>7} {'F1':>6}")
        print(f"{'places':8} {P['articles']:8} {P['gold_labels']:6} {P['predicted']:6} "
              f"{p:10.3f} {r:7.3f} {f:6.3f}")
        print(f"{'people':8} {E['articles']:8} {E['gold_labels']:6} {E['predicted_surnames']:6} "
              f"{pp:10.3f} {pr:7.3f} {'-':>6}")
        print()
        print("* precision is a lower bound: Reuters labels the places and people an article")
        print("  is about, not every one it mentions. For people it is over the labelled")
        print("  people only (precision (labelled people only, lower bound)); F1 is not given.")
        print("  Places: country level, micro-averaged; people: surname match, recall = matched")
        print("  gold labels / gold labels.")
        if P["gold_labels_ignored"]:
            print(f"  gold place codes without a country, ignored: {P['gold_labels_ignored']}")
        print()
        print(f"throughput (informative): {T['bytes'] / 1e6:.1f} MB in {T['articles']} articles, "
              f"{T['folio_seconds']:.1f} s in {calls} calls of folio extract ({BATCH} files a call): "
              f"{T['mb_per_s']} MB/s;")
        print(f"  one call starts in {startup:.2f} s; without that: "
              f"{T['mb_per_s_excluding_startup']} MB/s")
        if folio_errors or missing_output:
            print(f"folio: {len(folio_errors)} stderr lines, {missing_output} articles without output")
            for l in folio_errors[:5]:
                print("  " + l)

    if args.errors:
        report_errors(args.errors, place_misses, place_fps, people_misses, texts, r2f, country_names,
                      out=sys.stderr if args.json else sys.stdout)
    return 0


def place_patterns(code, r2f, country_names):
    """Names of the country behind a Reuters code: its display name, aliases
    and demonyms in countries.tsv, and the code itself."""
    names = {code.replace("-", " ")}
    for fid in r2f.get(code, []):
        names.update(country_names.get(fid, []))
    return [word_pattern(n) for n in sorted(names, key=len, reverse=True) if len(n) > 1]


def body_first(text):
    """The article's paragraphs, body first and the title last, so examples
    come from the body when they can."""
    title, _, rest = text.partition("\n")
    return rest + "\n" + title


def report_errors(n, place_misses, place_fps, people_misses, texts, r2f, country_names, out):
    def line(label, k, extra, where, ex):
        print(f"  {k:5}  {label:22} {extra}", file=out)
        print(f"         {where}: {ex}", file=out)

    def by_label(title, items, patterns_for, named_note):
        """The n most frequent labels with how often the text names them and an example."""
        counts = collections.Counter(it[1] for it in items)
        groups = collections.defaultdict(list)
        for it in items:
            groups[it[1]].append(it)
        print(f"\n{title}: {sum(counts.values())} in all; the {n} most frequent "
              f"(named = {named_note}):", file=out)
        for label, k in counts.most_common(n):
            pats = patterns_for(label)
            named, ex, where, in_title = 0, None, groups[label][0][0], None
            for it in groups[label]:
                title, _, body = texts[it[0]].partition("\n")
                e = example_sentence(body, pats)
                if e:
                    named += 1
                    if ex is None:
                        ex, where = e, it[0]
                else:
                    e = example_sentence(title, pats)
                    if e:
                        named += 1
                        if in_title is None:
                            in_title = (e + "  [title]", it[0])
            if ex is None and in_title:
                ex, where = in_title
            line(label, k, f"named in {named}", where, ex or "(not named in the text)")

    def fp_by_code(items):
        """The n most frequent false-positive codes with the folio places behind them."""
        counts = collections.Counter(it[1] for it in items)
        print(f"\nplace false positives by code: {sum(counts.values())} in all; the {n} most "
              f"frequent, with the folio places (name id kind) that gave them:", file=out)
        for code, k in counts.most_common(n):
            whys = collections.Counter()
            example = {}
            for it in items:
                if it[1] == code:
                    for t in it[4]:
                        whys[t] += 1
                        example.setdefault(t, it[0])
            top = whys.most_common(3)
            desc = "; ".join(f"{t[0]} ({t[1]} {t[2]}) x{c}" for t, c in top)
            t = top[0][0] if top else None
            ex = None
            if t:
                text = body_first(texts[example[t]])
                exact = re.compile(r"(?<![\w.])" + re.escape(t[0]) + r"(?!\w)")
                ex = (example_sentence(text, [exact])
                      or example_sentence(text, place_patterns(code, r2f, country_names)))
            line(code, k, desc, example.get(t, "-"), ex or "(the name is not written so in the text)")

    def listing(title, items, fmt):
        print(f"\n{title} ({len(items)} in all; first {n}):", file=out)
        for it in items[:n]:
            print("  " + fmt(it), file=out)

    listing("place misses", place_misses,
            lambda it: f"{it[0]}  missed {it[1]:16} gold={','.join(it[2])}  found={','.join(it[3]) or '-'}")
    listing("place false positives", place_fps,
            lambda it: f"{it[0]}  extra {it[1]:16} gold={','.join(it[2])}  found={','.join(it[3])}  "
                       f"via {', '.join(t[0] for t in it[4])}")
    listing("people misses", people_misses,
            lambda it: f"{it[0]}  missed {it[1]:16} found={','.join(it[2]) or '-'}")
    by_label("place misses by gold code", place_misses,
             lambda c: place_patterns(c, r2f, country_names),
             "articles whose text has the country's name, an alias or a demonym")
    fp_by_code(place_fps)
    by_label("people misses by gold code", people_misses,
             lambda g: [re.compile(r"(?<![\w.])" + re.escape(surname(g)) + r"(?!\w)", re.I)],
             "articles whose text has the surname")


if __name__ == "__main__":
    sys.exit(main())
