#!/usr/bin/env python3
"""How related are `ptsearch similar`'s articles? Entity overlap against random documents.

    scripts/similar-overlap.py [--bin target/release/ptsearch] [--every 5] [--examples 3]

For BioRED (Train, Dev, Test) and BC5CDR (Training, Development, Test) in ../shared/corpora,
each corpus is indexed into a temporary directory; then for every `--every`-th document, the
Jaccard overlap of its entity set (the (type, ID) pairs annotated in the input files, read
here, not by ptsearch) with each of its top 10 `similar` articles is averaged and compared
with the overlap with 10 random documents of the same corpus (a fixed seed). Prints one line
per corpus:

    corpus<TAB>documents<TAB>queried<TAB>top10_jaccard<TAB>random_jaccard<TAB>ratio<TAB>share_an_entity_top10<TAB>share_an_entity_random

and, with --examples N, N documents with the titles of their top 3 to read by hand.
Installs nothing; needs only the ptsearch binary (built with `cargo build --release`).
"""

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SETS = {
    "biored": ["biored/Train.PubTator", "biored/Dev.PubTator", "biored/Test.PubTator"],
    "bc5cdr": [
        "bc5cdr/CDR_TrainingSet.PubTator.txt",
        "bc5cdr/CDR_DevelopmentSet.PubTator.txt",
        "bc5cdr/CDR_TestSet.PubTator.txt",
    ],
}


def read(paths):
    """ID -> (title, set of (type, ID part)) from PubTator files."""
    docs = {}
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.rstrip("\r")
            if "|t|" in line[:40]:
                pmid, title = line.split("|t|", 1)
                docs.setdefault(pmid, [title, set()])[0] = title
                continue
            cols = line.split("\t")
            if len(cols) >= 6 and cols[1].isdigit() and cols[2].isdigit():
                ents = docs.setdefault(cols[0], ["", set()])[1]
                for part in cols[5].replace(";", ",").replace("|", ",").split(","):
                    part = part.strip()
                    if part.startswith("MESH:"):
                        part = part[5:]
                    if part and part != "-":
                        ents.add((cols[4], part))
    return docs


def jaccard(a, b):
    u = len(a | b)
    return len(a & b) / u if u else 0.0


def similar(binary, index, pmid, n=10):
    out = subprocess.run(
        [binary, "--index", index, "similar", pmid, "-n", str(n), "--format", "tsv"],
        capture_output=True, text=True, check=False,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"similar {pmid} failed: {out.stderr}")
    return [l.split("\t")[1] for l in out.stdout.splitlines()[1:] if "\t" in l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "ptsearch"))
    ap.add_argument("--every", type=int, default=5)
    ap.add_argument("--examples", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(20261207)
    for name, files in SETS.items():
        paths = [CORPORA / f for f in files]
        docs = read(paths)
        ids = sorted(docs)
        with tempfile.TemporaryDirectory() as tmp:
            index = str(Path(tmp) / "idx")
            subprocess.run([args.bin, "--index", index, "index", "--quiet", *map(str, paths)],
                           check=True, capture_output=True)
            top, rnd, top_any, rnd_any, queried = [], [], [], [], 0
            examples = []
            for pmid in ids[:: args.every]:
                got = similar(args.bin, index, pmid)
                assert pmid not in got, f"{pmid} lists itself"
                queried += 1
                mine = docs[pmid][1]
                for g in got:
                    top.append(jaccard(mine, docs[g][1]))
                    top_any.append(bool(mine & docs[g][1]))
                for other in rng.sample([i for i in ids if i != pmid], 10):
                    rnd.append(jaccard(mine, docs[other][1]))
                    rnd_any.append(bool(mine & docs[other][1]))
                if len(examples) < args.examples and queried % 37 == 1:
                    examples.append((pmid, got[:3]))
            t, r = sum(top) / len(top), sum(rnd) / len(rnd)
            print(f"{name}\t{len(ids)}\t{queried}\t{t:.3f}\t{r:.3f}\t{t / r:.1f}\t"
                  f"{sum(top_any) / len(top_any):.2f}\t{sum(rnd_any) / len(rnd_any):.2f}")
            for pmid, got in examples:
                print(f"  {pmid}: {docs[pmid][0]}")
                for g in got:
                    shared = sorted(docs[pmid][1] & docs[g][1])
                    print(f"    -> {g}: {docs[g][0]}  [shared: {', '.join(i for _, i in shared[:5])}]")


if __name__ == "__main__":
    main()
