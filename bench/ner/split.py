#!/usr/bin/env python3
"""Fixed train/dev/test split of the NER training data (GMB + wikigold).

Reads the data at run time from ../shared/data (never copied into the
repository) and writes three files to OUT (default build/ner/):

    train.txt  dev.txt  test.txt

one token per line, "WORD<TAB>TAG", a blank line after each sentence and a
line "#doc <name>" before each document. Tags are IOB2 over four types:
PERSON, LOCATION, ORGANISATION, MISC.

The split is deterministic: a sentence goes to test if the first byte of the
SHA-1 of its text (tokens joined by single spaces) is below 26 (about 10 %),
to dev if below 52, else to train. Repeated sentences are kept once (their
first occurrence), and a sentence of the test part never appears in train or
dev, since equal texts hash alike.

Traps handled (see ../shared/data/ner_gmb/SOURCE.txt):
- GMB is Windows-1252, and 0x85 is NEL in Latin-1: bytes are decoded as
  cp1252 and split on b"\\n" only.
- GMB's last sentence is cut off: it is dropped.
- GMB person spans start with titles ("Mr.", "President", "Prime Minister"):
  leading title tokens are taken out of the span (tag O), as in CoNLL.
- GMB gpe is mostly nationality adjectives ("Iraqi"): MISC, but gpe on a
  proper noun (POS NNP: "Ethiopia deployed ...") is LOCATION; tim is O;
  art, eve, nat are MISC; geo is LOCATION, org ORGANISATION, per PERSON.
- GMB's tags are partly machine-made: a name tagged one way in at least 90 %
  of its 10 or more occurrences gets that type everywhere (vote(); off with
  --no-vote).
- wikigold is IO (CoNLL-2003 IOB1 without B-): converted to IOB2.

GMB has no document boundaries; its sentences are in document order, so a
pseudo-document is a run of up to 12 consecutive sentences that fall in the
same part. wikigold's articles are its documents.
"""

import argparse
import csv
import hashlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DATA = os.path.join(os.path.dirname(REPO), "shared", "data")
if not os.path.isdir(DEFAULT_DATA):
    DEFAULT_DATA = "/work/shared/data"

GMB_TYPES = {"per": "PERSON", "geo": "LOCATION", "org": "ORGANISATION",
             "gpe": "MISC", "art": "MISC", "eve": "MISC", "nat": "MISC", "tim": None}
WIKI_TYPES = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANISATION", "MISC": "MISC"}

# Words that open a GMB person span without being part of the name. Titles
# are taken off the front of a span while its first word is one of these
# (or an abbreviation of one); a span left empty is dropped.
TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "madam",
    "president", "vice", "prime", "minister", "deputy", "secretary", "general",
    "gen", "lt", "col", "colonel", "maj", "major", "capt", "captain", "sgt",
    "sergeant", "adm", "admiral", "commander", "cmdr", "gov", "governor",
    "sen", "senator", "rep", "representative", "congressman", "congresswoman",
    "chancellor", "premier", "chairman", "chairwoman", "chief", "judge",
    "justice", "ambassador", "envoy", "pope", "cardinal", "archbishop",
    "bishop", "rev", "reverend", "father", "sister", "brother", "rabbi",
    "imam", "ayatollah", "grand", "sheikh", "sheik", "emir", "sultan",
    "crown", "prince", "princess", "king", "queen", "foreign", "defense",
    "defence", "interior", "finance", "state", "attorney", "mayor",
    "spokesman", "spokeswoman", "professor", "prof", "former", "acting",
    "elect", "-elect", "first", "senior", "opposition", "leader",
    "field", "marshal", "private", "officer", "secretary-general",
    "president-elect", "vice-president", "u.s.", "un", "u.n.", "deputy",
    "ousted", "late", "exiled", "supreme", "speaker", "mufti", "lieutenant",
    "prophet", "saint", "st", "president-elect", "of", "the", "new", "top", "chief",
}
# Title words that are names too, kept when they end a span ("Martin Luther King").
NAMES = {"king", "major", "general", "prince", "grand", "sister", "brother", "father", "new",
         "first", "the", "of"}
# Heads of titles: a capitalised word before one of these is part of the
# title ("Information Minister", "Army Chief").
TITLE_HEADS = {"minister", "secretary", "president", "spokesman", "spokeswoman", "ambassador",
               "chief", "governor", "general", "commander", "envoy", "leader", "chairman",
               "mayor", "judge", "official", "representative", "senator", "director",
               "coordinator", "commissioner", "adviser", "advisor", "negotiator", "head"}

def norm(word):
    return word.lower().rstrip(".")


def strip_titles(tokens, tags):
    """Takes leading title tokens out of each PERSON span (in place)."""
    i = 0
    n = len(tags)
    while i < n:
        if tags[i] != "B-PERSON":
            i += 1
            continue
        j = i + 1
        while j < n and tags[j] == "I-PERSON":
            j += 1
        k = i
        while k < j - 1 and (norm(tokens[k]) in TITLE_WORDS or norm(tokens[k + 1]) in TITLE_HEADS):
            k += 1
        # "King Abdullah": King is a title; "Martin Luther King": the last
        # word is never stripped, so a name is left.
        if k == j - 1 and norm(tokens[k]) in TITLE_WORDS and norm(tokens[k]) not in NAMES:
            k = j  # a title alone ("President/B-per Bush/O"): no name in the span
        for m in range(i, k):
            tags[m] = "O"
        if k < j:
            tags[k] = "B-PERSON"
        i = j


def read_gmb(path):
    """Yields (doc_name, tokens, tags) for each GMB sentence, in order."""
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.split(b"\n")
    text = "\n".join(line.decode("cp1252") for line in lines)
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)  # header
    sentences = []
    tokens, tags = [], []
    for row in reader:
        if not row:
            continue
        sent, word, pos, tag = row
        if sent.startswith("Sentence:") and tokens:
            sentences.append((tokens, tags))
            tokens, tags = [], []
        if tag == "O":
            tags.append("O")
        else:
            bio, typ = tag.split("-", 1)
            mapped = GMB_TYPES[typ]
            # gpe on a proper noun is a country acting ("Ethiopia deployed
            # soldiers"): a place; on an adjective or plural, a nationality.
            if typ == "gpe" and pos == "NNP":
                mapped = "LOCATION"
            tags.append("O" if mapped is None else f"{bio}-{mapped}")
        tokens.append(word)
    # The last sentence is cut off (the Excel row limit): dropped.
    for tokens, tags in sentences:
        # A mapped span may now start with I- (an I-tim after B-tim is O,
        # but never I-LOCATION after O: checked in SOURCE.txt). Repair anyway.
        for k, t in enumerate(tags):
            if t.startswith("I-") and (k == 0 or tags[k - 1][2:] != t[2:]):
                tags[k] = "B-" + t[2:]
        strip_titles(tokens, tags)
        yield "gmb", tokens, tags


def read_wikigold(path):
    with open(path, encoding="utf-8") as f:
        data = f.read()
    doc = 0
    tokens, tags = [], []
    for line in data.split("\n") + [""]:
        if line.startswith("-DOCSTART-"):
            doc += 1
            continue
        if not line.strip():
            if tokens:
                yield f"wikigold-{doc}", tokens, tags
                tokens, tags = [], []
            continue
        word, tag = line.rsplit(" ", 1)
        if tag == "O":
            tags.append("O")
        else:
            typ = WIKI_TYPES[tag[2:]]
            prev = tags[-1] if tags else "O"
            tags.append(("I-" if prev[2:] == typ else "B-") + typ)
        tokens.append(word)


def spans(tags):
    """(begin, end, type) of each IOB2 span."""
    out = []
    i = 0
    while i < len(tags):
        if tags[i] == "O":
            i += 1
            continue
        typ = tags[i][2:]
        j = i + 1
        while j < len(tags) and tags[j] == "I-" + typ:
            j += 1
        out.append((i, j, typ))
        i = j
    return out


def vote(sentences, share=0.9, least=10):
    """Relabels the rare type of a name that GMB tags one way nearly always.

    GMB's tags are partly machine-made: "Iran" is geo 1,240 times and org 27
    times, "China" sometimes org. A span whose exact text has one type in at
    least `share` of its `least` or more occurrences gets that type
    everywhere. Real ambiguity ("Jordan" the country and the person) stays,
    as neither type then reaches the share.
    """
    counts = {}
    for _doc, tokens, tags in sentences:
        for b, e, typ in spans(tags):
            key = " ".join(tokens[b:e])
            counts.setdefault(key, {}).setdefault(typ, 0)
            counts[key][typ] += 1
    majority = {}
    for key, c in counts.items():
        total = sum(c.values())
        typ, top = max(c.items(), key=lambda x: x[1])
        if total >= least and top >= share * total and top < total:
            majority[key] = typ
    changed = 0
    for _doc, tokens, tags in sentences:
        for b, e, typ in spans(tags):
            want = majority.get(" ".join(tokens[b:e]))
            if want and want != typ:
                tags[b] = "B-" + want
                for k in range(b + 1, e):
                    tags[k] = "I-" + want
                changed += 1
    return changed


def part_of(text):
    h = hashlib.sha1(text.encode("utf-8")).digest()[0]
    return "test" if h < 26 else ("dev" if h < 52 else "train")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--out", default=os.path.join(REPO, "build", "ner"))
    ap.add_argument("--doc-sentences", type=int, default=12,
                    help="sentences per GMB pseudo-document")
    ap.add_argument("--no-vote", dest="vote", action="store_false",
                    help="keep GMB's tags as they are (see vote())")
    args = ap.parse_args()

    gmb = os.path.join(args.data, "ner_gmb", "ner_dataset.csv")
    wiki = os.path.join(args.data, "ner_wikigold", "wikigold.conll.txt")
    for p in (gmb, wiki):
        if not os.path.exists(p):
            print(f"split.py: {p} not found", file=sys.stderr)
            return 2
    os.makedirs(args.out, exist_ok=True)
    seen = set()
    parts = {name: [] for name in ("train", "dev", "test")}
    counts = {}
    gmb_sentences = list(read_gmb(gmb))
    relabelled = vote(gmb_sentences) if args.vote else 0
    for source in (gmb_sentences, read_wikigold(wiki)):
        for doc, tokens, tags in source:
            text = " ".join(tokens)
            corpus = doc.split("-")[0]
            if text in seen:
                counts[(corpus, "duplicate")] = counts.get((corpus, "duplicate"), 0) + 1
                continue
            seen.add(text)
            part = part_of(text)
            counts[(corpus, part)] = counts.get((corpus, part), 0) + 1
            parts[part].append((doc, tokens, tags))
    for part, sentences in parts.items():
        with open(os.path.join(args.out, part + ".txt"), "w", encoding="utf-8") as f:
            last_doc, in_doc, n_doc = None, 0, 0
            for doc, tokens, tags in sentences:
                if doc != last_doc or (doc == "gmb" and in_doc >= args.doc_sentences):
                    n_doc += 1
                    f.write(f"#doc {doc}-{n_doc}\n")
                    last_doc, in_doc = doc, 0
                in_doc += 1
                for w, t in zip(tokens, tags):
                    f.write(f"{w}\t{t}\n")
                f.write("\n")
    print("| corpus | train | dev | test | duplicates dropped |")
    print("|---|---|---|---|---|")
    for corpus in ("gmb", "wikigold"):
        row = [str(counts.get((corpus, p), 0)) for p in ("train", "dev", "test", "duplicate")]
        print(f"| {corpus} | " + " | ".join(row) + " |")
    print(f"\nGMB spans relabelled by vote(): {relabelled}")
    print(f"written to {args.out}/{{train,dev,test}}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
