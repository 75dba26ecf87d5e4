#!/usr/bin/env python3
"""Python overhead of ptsearch searches, against the Rust library in process.

For each query, the per-call time of ``Index.search(q, limit=10)`` (results as Python dicts
wrapped in a SearchResult) is compared with ``examples/query_profile.rs`` stage ``full``
(``ptsearch::search::search`` with 10 hits, highlights, spans read; same index, same process
kind: one warm handle, many repetitions). Rounds alternate Rust and Python and the best round
counts, which filters out noise from other work on the machine. Then ``Index.annotations(q)``
throughput on the query with the most hits (>= 10,000 wanted), against ``ptsearch export q
--format jsonl`` (the CLI loading and serializing the same documents) as a reference.

Usage (from the repository root, after ``maturin develop --release -m python/Cargo.toml``):
    python python/bench/bench_search.py [--index target/bench-index-100000] [--reps 2000]
The index is built from ``scripts/gen-corpus --docs 100000 --seed 1`` when absent.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import ptsearch

REPO = Path(__file__).resolve().parents[2]


def ensure_index(path: Path, docs: int) -> None:
    if (path / "meta.json").exists():
        return
    corpus = REPO / "target" / f"bench-corpus-{docs}.pubtator"
    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "gen-corpus"), "--docs", str(docs),
             "--seed", "1", "--quiet", "--out", str(corpus)],
            check=True,
        )
    ptsearch.index([corpus], path, threads=2, quiet=True)


def rust_profile(binary: Path, index: Path, reps: int, queries: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [str(binary), str(index), "full", str(reps), *queries],
        check=True, capture_output=True, text=True,
    ).stdout
    times = {}
    for line, q in zip(out.splitlines(), queries):
        m = re.match(r"full\s+([\d.]+) us", line)
        assert m, line
        times[q] = float(m.group(1))
    return times


def python_us(ix: ptsearch.Index, q: str, reps: int) -> float:
    ix.search(q, limit=10)
    t = time.perf_counter()
    for _ in range(reps):
        ix.search(q, limit=10)
    return (time.perf_counter() - t) * 1e6 / reps


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=REPO / "target" / "bench-index-100000")
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rust-bin", type=Path,
                    default=REPO / "target" / "release" / "examples" / "query_profile")
    args = ap.parse_args()
    ensure_index(args.index, args.docs)
    if not args.rust_bin.exists():
        subprocess.run(["cargo", "build", "--release", "--example", "query_profile"],
                       cwd=REPO, check=True)
    ix = ptsearch.Index(args.index)
    top = ix.search("*", limit=0, facet_types=["Gene", "Disease"], facet_top=1).facets
    gene = next(f["top"][0]["id"] for f in top if f["type"] == "Gene")
    disease = next(f["top"][0]["id"] for f in top if f["type"] == "Disease")
    queries = [
        f"gene:{gene}",
        f"disease:{disease}",
        "cancer",
        "cancer therapy patients",
        f"gene:{gene} disease:{disease}",
        '"tumor growth"',
    ]
    print(f"index {args.index}: {ix.stats()['documents']} documents; {args.reps} reps x "
          f"{args.rounds} rounds, best round; load {os.getloadavg()[0]:.1f}")
    rust = {q: float("inf") for q in queries}
    py = {q: float("inf") for q in queries}
    for _ in range(args.rounds):
        for q, us in rust_profile(args.rust_bin, args.index, args.reps, queries).items():
            rust[q] = min(rust[q], us)
        for q in queries:
            py[q] = min(py[q], python_us(ix, q, args.reps))
    print(f"{'query':34} {'hits':>7} {'Rust us':>9} {'Python us':>10} {'ratio':>6}")
    for q in queries:
        hits = ix.search(q, limit=0).total_hits
        print(f"{q:34} {hits:7} {rust[q]:9.1f} {py[q]:10.1f} {py[q] / rust[q]:5.2f}x")

    big = max(queries, key=lambda q: ix.search(q, limit=0).total_hits)
    hits = ix.search(big, limit=0).total_hits
    best_ann, best_export, rows = float("inf"), float("inf"), 0
    cli = REPO / "target" / "release" / "ptsearch"
    for _ in range(3):
        t = time.perf_counter()
        rows = len(ix.annotations(big))
        best_ann = min(best_ann, time.perf_counter() - t)
        if cli.exists():
            t = time.perf_counter()
            subprocess.run([str(cli), "--index", str(args.index), "export", big, "--format",
                            "jsonl"], check=True, stdout=subprocess.DEVNULL)
            best_export = min(best_export, time.perf_counter() - t)
    print(f"annotations({big!r}): {hits} hits, {rows} rows in {best_ann:.3f} s = "
          f"{hits / best_ann:,.0f} docs/s, {rows / best_ann:,.0f} rows/s")
    if cli.exists():
        print(f"reference: ptsearch export {big!r} --format jsonl > /dev/null: "
              f"{best_export:.3f} s = {hits / best_export:,.0f} docs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
