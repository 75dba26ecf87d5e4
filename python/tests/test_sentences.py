"""Sentences from Python: evidence on every hit (and as a DataFrame), Index.sentences equal to
`ptsearch sentences --format json`, on a fixture whose documents differ only in where BRAF and
melanoma meet."""

from __future__ import annotations

import json

import pytest

import ptsearch

from conftest import DATA, assert_same, run_cli


@pytest.fixture(scope="module")
def sent_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("sent") / "index"
    ptsearch.index([DATA / "sentences.pubtator"], path, threads=1, quiet=True)
    return path


def test_sentence_group_and_evidence(sent_index):
    ix = ptsearch.Index(sent_index)
    res = ix.search("sentence:(gene:673 disease:D008545)")
    assert sorted(h["id"] for h in res.hits) == ["9000001", "9000004"]
    for h in res.hits:
        best = h["evidence"][0]
        # The evidence text is its passage cut at start..end (the abstract is one passage).
        assert h["abstract"][best["start"]:best["end"]] == best["text"]
        assert best["id"] == f'{h["id"]}:{best["passage"]}:{best["sentence"]}'
        assert "BRAF" in best["text"] and "melanoma" in best["text"]
    frame = res.evidence()
    assert list(frame.columns) == [
        "id", "sentence_id", "passage", "sentence", "start", "end", "score", "text"]
    assert len(frame) == sum(len(h["evidence"]) for h in res.hits)
    assert str(frame["start"].dtype) == "int64"


def test_sentences_equal_the_cli(sent_index, cli):
    ix = ptsearch.Index(sent_index)
    rows = ix.sentences("gene:673 disease:D008545", limit=4)
    out = run_cli(cli, sent_index, "sentences", "--format", "json", "-n", "4",
                  "gene:673 disease:D008545")
    assert out.returncode == 0, out.stderr
    theirs = [json.loads(l)["data"] for l in out.stdout.splitlines()
              if json.loads(l)["type"] == "sentence"]
    assert_same(rows, theirs)
    assert len(rows) == 4
    frame = ix.sentences_frame("gene:673 disease:D008545", limit=4)
    assert list(frame["pmid"]) == [r["pmid"] for r in rows]
    assert ix.sentences("nosuchword") == []


def test_relations_of_with_evidence(sent_index):
    ix = ptsearch.Index(sent_index)
    frame = ix.relations_of("gene:673", evidence=True)
    # The one relation line (9000003) has BRAF and melanoma in different sentences.
    assert list(frame["target_id"]) == ["MESH:D008545"]
    assert frame["evidence"].isna().all()
    assert "evidence" not in ix.relations_of("gene:673").columns
