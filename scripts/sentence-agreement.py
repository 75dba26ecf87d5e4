#!/usr/bin/env python3
"""Agreement of ptsearch's sentence splitter with two independent splitters (pysbd, syntok).

Reads the JSON lines of `examples/split_sentences` (one passage per line: id, text, starts) and
splits every passage again with pysbd and syntok. A boundary is the char offset where a sentence
starts (after the first). Reports, over every passage:
  - agreed: the share of ptsearch's boundaries that at least one of the two also has;
  - consensus recall: the share of the boundaries both others have that ptsearch has too;
and prints examples of each kind of disagreement.
"""
import json
import sys

import pysbd
import syntok.segmenter as syntok


def pysbd_starts(seg, text):
    return {s.start + (len(s.sent) - len(s.sent.lstrip())) for s in seg.segment(text)} - {0}


def syntok_starts(text):
    out = set()
    for para in syntok.analyze(text):
        for sent in para:
            if sent:
                out.add(sent[0].offset)
    return out - {0}


def context(text, at, width=40):
    return (text[max(0, at - width):at] + " ‖ " + text[at:at + width]).replace("\n", " ")


def main():
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    ours_total = agreed = consensus = consensus_found = passages = 0
    only_ours, missed = [], []
    for line in sys.stdin:
        p = json.loads(line)
        text = p["text"]
        if not text.strip():
            continue
        passages += 1
        # Boundaries are compared at the first non-space char of the next sentence.
        ours = set(p["starts"])
        a, b = pysbd_starts(seg, text), syntok_starts(text)
        ours_total += len(ours)
        agreed += len(ours & (a | b))
        both = a & b
        consensus += len(both)
        consensus_found += len(both & ours)
        for at in sorted(ours - (a | b)):
            only_ours.append((p["id"], context(text, at)))
        for at in sorted(both - ours):
            missed.append((p["id"], context(text, at)))
    pct = lambda n, d: 100.0 * n / d if d else 100.0
    print(f"passages: {passages}")
    print(f"ptsearch boundaries: {ours_total}; agreed with pysbd or syntok: {agreed} "
          f"({pct(agreed, ours_total):.2f}%)")
    print(f"boundaries pysbd and syntok both have: {consensus}; ptsearch has {consensus_found} "
          f"({pct(consensus_found, consensus):.2f}%)")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    print(f"\nexamples only ptsearch splits ({len(only_ours)}):")
    for pid, c in only_ours[:n]:
        print(f"  {pid}: {c}")
    print(f"\nexamples both others split and ptsearch does not ({len(missed)}):")
    for pid, c in missed[:n]:
        print(f"  {pid}: {c}")


if __name__ == "__main__":
    main()
