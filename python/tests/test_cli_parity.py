"""The package answers exactly what the CLI prints for the same index and query."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, assert_same, cli_search, run_cli

QUERIES = [
    "melanoma",
    "gene:673",
    "gene:PD1",
    "colorectal cancer",
    '"skin cancer"',
    "title:cancer",
    "BRAF OR aspirin",
    "rel:Association|gene:673|Disease",
    "disease:MESH:D015179 -aspirin",
    "*",
    "nosuchwordanywhere",
]


def without_time(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "elapsed_ms"}


@pytest.mark.parametrize("q", QUERIES)
def test_search_equals_cli(ix, cli, index_path, q):
    hits, summary = cli_search(cli, index_path, q)
    res = ix.search(q)
    assert_same(res.hits, hits)
    assert_same(without_time(res.summary()), without_time(summary))
    assert res.total_hits == summary["total_hits"]


@pytest.mark.parametrize("q", ["cancer", "gene:PD1 OR melanoma", "*"])
def test_search_with_facets_equals_cli(ix, cli, index_path, q):
    hits, summary = cli_search(cli, index_path, q, "--facets", "--facet-top", "3", "-n", "3")
    res = ix.search(q, limit=3, facets=True, facet_top=3)
    assert_same(res.hits, hits)
    assert_same(res.facets, summary["facets"])
    assert_same(without_time(res.summary()), without_time(summary))


def test_search_facet_types_equal_cli(ix, cli, index_path):
    _, summary = cli_search(cli, index_path, "*", "--facet-type", "Gene")
    res = ix.search("*", facet_types=["Gene"])
    assert_same(res.facets, summary["facets"])


def test_offset_and_all_equal_cli(ix, cli, index_path):
    hits, _ = cli_search(cli, index_path, "*", "--offset", "2", "-n", "4")
    assert_same(ix.search("*", limit=4, offset=2).hits, hits)
    hits, summary = cli_search(cli, index_path, "cancer", "--all")
    res = ix.search("cancer", limit=None)
    assert_same(res.hits, hits)
    assert len(hits) == summary["total_hits"]


@pytest.mark.parametrize("q", ["*", "cancer", "gene:5133"])
def test_iter_documents_equals_export(ix, cli, index_path, q):
    out = run_cli(cli, index_path, "export", q, "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    exported = [json.loads(line) for line in out.stdout.splitlines()]
    assert_same(list(ix.iter_documents(q)), exported)


def test_document_equals_export(ix, cli, index_path):
    out = run_cli(cli, index_path, "export", "pmid:1003", "--format", "jsonl")
    assert_same(ix.document("1003"), json.loads(out.stdout))
    assert ix.document("no-such-id") is None


@pytest.mark.parametrize("prefix,type_", [("pd", None), ("melan", "Disease"), ("c", None)])
def test_entities_equal_cli(ix, cli, index_path, prefix, type_):
    args = ["entities", prefix, "--format", "json"] + (["--type", type_] if type_ else [])
    out = run_cli(cli, index_path, *args)
    expected = [json.loads(line) for line in out.stdout.splitlines()]
    assert_same(ix.entities(prefix, type=type_), expected)


@pytest.mark.parametrize("text", ["5133", "gene:PD1", "@GENE_PD1", "MESH:D015179", "gene:5133"])
def test_entity_equals_cli(ix, cli, index_path, text):
    out = run_cli(cli, index_path, "entity", text, "--format", "json")
    expected = [json.loads(line) for line in out.stdout.splitlines()]
    assert expected, out.stderr
    assert_same(ix.entity(text), expected[0])


def test_stats_equal_cli(ix, cli, index_path):
    out = run_cli(cli, index_path, "stats", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert_same(ix.stats(), json.loads(out.stdout))


def test_index_summary_equals_cli(cli, tmp_path):
    import ptsearch

    inputs = [str(DATA / "ranking.pubtator"), str(DATA / "bad_lines.pubtator")]
    ours = ptsearch.index(inputs, tmp_path / "py", threads=1, quiet=True)
    out = run_cli(cli, tmp_path / "cli", "index", *inputs, "--threads", "1", "--quiet", "--json")
    assert out.returncode == 0, out.stderr
    theirs = json.loads(out.stdout)
    for summary in (ours, theirs):
        summary.pop("elapsed")
    assert ours == theirs
    assert ours["skipped_lines"], "bad_lines.pubtator should drop lines"


@pytest.mark.parametrize("entity,kw,flags", [
    ("gene:673", {}, []),
    ("@GENE_BRAF", {"type": "Association"}, ["--type", "Association"]),
    ("gene:673", {"partner_type": "Disease"}, ["--partner-type", "Disease"]),
    # PubTator3's verb, read as `rel:` reads it: treat = Negative_Correlation here.
    ("gene:5133", {"type": "treat"}, ["--type", "treat"]),
])
def test_relations_of_equals_cli(ix, cli, index_path, entity, kw, flags):
    out = run_cli(cli, index_path, "relations", entity, "--all", "--format", "json", *flags)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(l)["data"] for l in out.stdout.splitlines() if json.loads(l)["type"] == "partner"]
    df = ix.relations_of(entity, **kw)
    assert len(df) == len(rows) > 0
    assert df["target_id"].tolist() == [r["target"]["id"] for r in rows]
    assert df["documents"].tolist() == [r["documents"] for r in rows]
    assert df["ids"].tolist() == [r["ids"] for r in rows]
    assert str(df["documents"].dtype) == "int64"


def test_relations_of_reads_pubtator3_verbs_like_rel(ix):
    """`treat` finds the Negative_Correlation lines of the fixture (counted from the file)."""
    want = {}
    for line in (DATA / "ranking.pubtator").read_text().splitlines():
        cols = line.split("\t")
        if len(cols) >= 4 and cols[1] == "Negative_Correlation":
            for a, b in ((cols[2], cols[3]), (cols[3], cols[2])):
                if a == "5133":
                    want.setdefault(b, set()).add(cols[0])
    assert want
    df = ix.relations_of("gene:5133", type="treat")
    assert set(df["type"]) == {"Negative_Correlation"}
    assert {t: set(ids) for t, ids in zip(df["target_id"], df["ids"])} == want


@pytest.mark.parametrize("query", ["pmid:424242", "year:1800", "chemical:MESH:D015179"])
def test_empty_answers_carry_the_cli_notes(ix, cli, index_path, query):
    """An empty answer explains itself, in the same words as the CLI's JSON `warnings`."""
    ids = {l.split("|")[0] for f in ("ranking.pubtator", "seed-31554797.pubtator")
           for l in (DATA / f).read_text().splitlines() if "|t|" in l}
    assert "424242" not in ids
    _, summary = cli_search(cli, index_path, query)
    res = ix.search(query)
    assert res.total_hits == 0
    assert res.warnings == summary["warnings"]
    assert res.warnings, query
