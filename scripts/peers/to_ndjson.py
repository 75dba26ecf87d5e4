#!/usr/bin/env python3
"""Convert a PubTator file into NDJSON for the peer engines of scripts/bench-peers.

One JSON object per document, with the fields every peer indexes:

  id            the document ID (string)
  title         the title text
  abstract      the abstract (passages after the first record's title joined by newlines)
  mentions      array of the annotated mention texts, in file order (repeats kept)
  entity_ids    array of distinct "Type:ID" strings (canonical type, canonical ID, as ptsearch
                normalizes them: GeneOrGeneProduct -> Gene, D009369 -> MESH:D009369, multi-ID
                fields split on , ; | +, unnormalized -/-1/empty IDs dropped)
  entity_types  array of distinct canonical entity types (also for mentions without an ID)

Relation lines are not carried over (no peer has an equivalent).  Besides the NDJSON the
script writes a statistics JSON (--stats) from which scripts/bench-peers picks its query set
deterministically: document frequencies of every Type:ID, and of lower-case alphabetic words
and title bigrams over the first --sample documents.

Python 3.11 standard library only.
"""

import argparse
import json
import re
import sys
import time
from collections import Counter

CANON = {
    "gene": "Gene", "geneorgeneproduct": "Gene", "familyname": "Gene", "domainmotif": "Gene",
    "disease": "Disease", "diseaseorphenotypicfeature": "Disease", "specificdisease": "Disease",
    "diseaseclass": "Disease", "modifier": "Disease", "compositemention": "Disease",
    "chemical": "Chemical", "chemicalentity": "Chemical",
    "species": "Species", "organismtaxon": "Species",
    "variant": "Variant", "sequencevariant": "Variant", "mutation": "Variant",
    "dnamutation": "Variant", "proteinmutation": "Variant", "snp": "Variant",
    "dnaallele": "Variant", "proteinallele": "Variant", "acidchange": "Variant",
    "othermutation": "Variant",
    "cellline": "CellLine", "cell_line": "CellLine",
}
VARIANT_MARKERS = ("|sub|", "|del|", "|ins|", "|dup|", "|indel|", "|fs|", "|allele|",
                   "correspondinggene:")
MESH_BARE = re.compile(r"[DC][0-9]{6,}\Z")
SPLIT = re.compile(r"[,;|+]")
# Whole alphabetic words only (not parts of "TELCeB6" or "zinc-finger"), so every tokenizer agrees.
WORD = re.compile(r"(?<![\w-])[a-z]{5,}(?![\w-])")


def canonical_type(raw):
    raw = raw.strip()
    return CANON.get(raw.lower(), raw)


def canonical_id(i):
    i = i.strip()
    if MESH_BARE.match(i):
        return "MESH:" + i
    low = i.lower()
    if low.startswith("mesh:"):
        return "MESH:" + i[5:]
    if low.startswith("cvcl_") or low.startswith("cvcl:"):
        return "CVCL:" + i[5:]
    if low.startswith("rs#:"):
        return "rs" + i[4:]
    if low.startswith("rsid:"):
        return "rs" + i[5:]
    if low.startswith("rs") and i[2:].isdigit():
        return "rs" + i[2:]
    return i


def split_ids(raw):
    raw = raw.strip()
    if raw in ("", "-", "-1"):
        return []
    low = raw.lower()
    if low.startswith("tmvar:") or low.startswith("hgvs:") or any(m in low for m in VARIANT_MARKERS):
        return [raw]
    out = []
    for part in SPLIT.split(raw):
        part = part.strip()
        if part in ("", "-", "-1"):
            continue
        c = canonical_id(part)
        if c not in out:
            out.append(c)
    return out


class Doc:
    __slots__ = ("id", "title", "passages", "mentions", "ids", "types")

    def __init__(self, doc_id):
        self.id = doc_id
        self.title = None
        self.passages = []
        self.mentions = []
        self.ids = {}
        self.types = {}

    def to_json(self):
        return json.dumps({
            "id": self.id,
            "title": self.title or "",
            "abstract": "\n".join(self.passages),
            "mentions": self.mentions,
            "entity_ids": list(self.ids),
            "entity_types": list(self.types),
        }, ensure_ascii=False)


def docs(lines):
    cur = None
    for line in lines:
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        bar = line.find("|")
        tab = line.find("\t")
        if bar > 0 and (tab < 0 or bar < tab) and line[bar + 2: bar + 3] == "|" and line[bar + 1] in "ta":
            doc_id = line[:bar]
            text = line[bar + 3:]
            if cur is None or cur.id != doc_id:
                if cur is not None:
                    yield cur
                cur = Doc(doc_id)
            if line[bar + 1] == "t" and cur.title is None:
                cur.title = text
            else:
                cur.passages.append(text)
            continue
        cols = line.split("\t")
        if cur is None or cols[0] != cur.id:
            continue
        if len(cols) >= 5 and cols[1].isdigit() and cols[2].isdigit():
            cur.mentions.append(cols[3])
            t = canonical_type(cols[4])
            cur.types[t] = None
            if len(cols) >= 6:
                for i in split_ids(cols[5]):
                    cur.ids[f"{t}:{i}"] = None
        # relation lines and anything else: not carried over
    if cur is not None:
        yield cur


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--stats", help="write document-frequency statistics here")
    ap.add_argument("--sample", type=int, default=20000,
                    help="documents whose words and title bigrams are counted (default 20000)")
    a = ap.parse_args()
    t0 = time.perf_counter()
    id_df = Counter()
    word_df = Counter()
    bigram_df = Counter()
    n = 0
    with open(a.input, encoding="utf-8", errors="replace") as f, \
            open(a.output, "w", encoding="utf-8") as out:
        for d in docs(f):
            out.write(d.to_json())
            out.write("\n")
            id_df.update(d.ids.keys())
            if n < a.sample:
                title = (d.title or "").lower()
                word_df.update(set(WORD.findall(title + " " + " ".join(d.passages).lower())))
                tw = re.findall(r"[a-z]+", title)
                bigram_df.update({(x, y) for x, y in zip(tw, tw[1:]) if len(x) >= 4 and len(y) >= 4})
            n += 1
    el = time.perf_counter() - t0
    if a.stats:
        with open(a.stats, "w") as s:
            json.dump({
                "documents": n,
                "sample": min(n, a.sample),
                "seconds": el,
                "entity_df": dict(id_df.most_common()),
                "word_df": dict(word_df.most_common()),
                "bigram_df": {f"{x} {y}": c for (x, y), c in bigram_df.most_common(2000)},
            }, s)
    print(f"converted {n} documents in {el:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
