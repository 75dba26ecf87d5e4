"""Watches, news and related articles from Python: the same answers as the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import ptsearch

from conftest import DATA


def cli_json_lines(cli: Path, index: Path, *args: str) -> list:
    out = subprocess.run(
        [str(cli), "--index", str(index), *args], capture_output=True, text=True
    )
    assert out.returncode in (0, 1), out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_news_report_new_documents_once(tmp_path: Path, cli: Path) -> None:
    path = tmp_path / "idx"
    ptsearch.index([DATA / "ranking.pubtator"], path, quiet=True)
    ix = ptsearch.Index(path)
    before = {h["id"] for h in ix.search("*", limit=None)}
    w = ix.watch_add("all", "*")
    assert w["name"] == "all" and w["query"] == "*"
    with pytest.raises(ValueError, match="exists already"):
        ix.watch_add("all", "x")
    with pytest.raises(ptsearch.QueryError):
        ix.watch_add("bad", '"unclosed')
    assert [n["new"] for n in ix.news()] == [[]]
    ptsearch.index([DATA / "seed-31554797.pubtator"], path, quiet=True)
    ix = ptsearch.Index(path)
    after = {h["id"] for h in ix.search("*", limit=None)}
    peeked = ix.news(peek=True)
    assert peeked == cli_json_lines(cli, path, "news", "--peek", "--format", "json")
    assert {d["id"] for d in peeked[0]["new"]} == after - before
    assert {d["id"] for d in ix.news("all")[0]["new"]} == after - before
    assert ix.news()[0]["new"] == []
    assert [w["name"] for w in ix.watches()] == ["all"]
    ix.watch_rm("all")
    assert ix.watches() == []
    with pytest.raises(ValueError, match="unknown watch"):
        ix.watch_rm("all")


def test_similar_matches_the_cli_and_never_the_document(tmp_path: Path, cli: Path) -> None:
    path = tmp_path / "idx"
    ptsearch.index([DATA / "ranking.pubtator", DATA / "seed-31554797.pubtator"], path, quiet=True)
    ix = ptsearch.Index(path)
    first = next(iter(ix.search("*", limit=1)))["id"]
    found = ix.similar(first, limit=5)
    ids = [h["id"] for h in found]
    assert ids and first not in ids
    lines = cli_json_lines(cli, path, "similar", first, "-n", "5", "--format", "json")
    assert ids == [l["data"]["id"] for l in lines if l["type"] == "hit"]
    assert ix.similar("no-such-id") is None
