"""The native conversion of library views to Python objects (python/src/topy.rs) gives what
`json.loads` gives for `serde_json`'s text of the same value, type for type."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, assert_same, cli_search, run_cli
from ptsearch import _ptsearch


def test_sample_equals_json_loads():
    text, obj = _ptsearch._conversion_sample()
    assert_same(obj, json.loads(text))


def test_sample_values():
    _, obj = _ptsearch._conversion_sample()
    assert obj["texts"][2] == "Ünïcödé — β-catenin ≥ 5 µM, 日本語, emoji 🧬"
    assert obj["texts"][3].endswith("nul\x00 bell\x07")
    assert obj["chars"] == ["a", "é", "🧬", '"']
    assert obj["big"] == [2**64 - 1, -(2**63), -(2**100), 2**128 - 1, 2**64 - 1]
    # f32 scores are the floats of their shortest decimal spelling, as in the CLI's JSON.
    assert obj["scores"][:3] == [0.1, 12.345678, 1e-07]
    assert obj["scores"][-2:] == [None, None]  # NaN and infinity are JSON's null
    assert obj["floats"][-2:] == [None, None]
    assert obj["pairs"] == [["melanoma", 42], ["ß", 2**64 - 1]]  # tuples are lists
    assert obj["by_number"] == {"7": [-1, None], "12": []}  # keys are strings
    assert obj["by_bool"] == {"false": None, "true": None}
    assert obj["shapes"] == ["Unit", {"Newtype": 255}, {"Pair": [-3, "drei"]},
                             {"Named": {"x": 0.3, "y": None}}]
    assert obj["bytes"] == [0, 255, 97, 98]
    assert obj["empty"] == [[], {}, None]
    assert "year" not in obj and obj["journal"] == "J Ünï"  # flattened, skipped when None
    span = obj["spans"][0][1]
    assert span == {"field": "abstract", "start": 10, "end": 15, "text": "tümör",
                    "kind": "term", "entity_type": None, "entity_id": None}


def test_dict_keys_are_shared():
    """Keys are made once per call: every hit dict uses the same key objects."""
    _, obj = _ptsearch._conversion_sample()
    a, b = obj["spans"][0]
    assert all(x is y for x, y in zip(a, b))


@pytest.fixture(scope="module")
def unicode_index(tmp_path_factory):
    import ptsearch

    path = tmp_path_factory.mktemp("uni") / "index"
    ptsearch.index([DATA / "utf8_offsets.pubtator"], path, threads=1, quiet=True)
    return path


@pytest.mark.parametrize("q", ["sjögren", "gene:6622", "α-synuclein OR syndrome", "*"])
def test_unicode_hits_equal_cli_json(cli, unicode_index, q):
    import ptsearch

    hits, summary = cli_search(cli, unicode_index, q, "--facets")
    res = ptsearch.Index(unicode_index).search(q, facets=True)
    assert hits, q
    assert_same(res.hits, hits)
    assert_same(res.facets, summary["facets"])
    if q == "sjögren":  # a term span: entity type and ID are None
        assert any(s["entity_type"] is None for h in hits for s in h["spans"])


def test_unicode_document_and_entity(cli, unicode_index):
    import ptsearch

    ix = ptsearch.Index(unicode_index)
    out = run_cli(cli, unicode_index, "export", "*", "--format", "jsonl")
    assert_same(list(ix.iter_documents("*")), [json.loads(l) for l in out.stdout.splitlines()])
    e = ix.entity("6622")
    assert e["mentions"] == [["α-synuclein", 1]]
    assert type(e["mentions"][0]) is list
