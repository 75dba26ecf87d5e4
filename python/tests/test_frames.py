"""Frames have the documented columns and dtypes (also when empty) and the right rows."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import ptsearch

HIT_COLUMNS = {
    "id": "string",
    "rank": "int64",
    "score": "float64",
    "title": "string",
    "year": "Int64",
    "journal": "string",
    **{t: "object" for t in ptsearch.ENTITY_TYPES},
}
SPAN_COLUMNS = {
    "id": "string",
    "field": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "kind": "string",
    "entity_type": "string",
    "entity_id": "string",
}
FACET_COLUMNS = {
    "type": "string",
    "type_documents": "int64",
    "id": "string",
    "documents": "int64",
    "mention": "string",
    "name": "string",
}
ANNOTATION_COLUMNS = {
    "id": "string",
    "passage": "Int64",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "type": "string",
    "subtype": "string",
    "ids": "object",
}
RELATION_COLUMNS = {
    "id": "string",
    "type": "string",
    "arg1": "string",
    "arg2": "string",
    "novelty": "string",
    "arg1_type": "string",
    "arg2_type": "string",
}


def assert_schema(df: pd.DataFrame, expected: dict) -> None:
    assert list(df.columns)[: len(expected)] == list(expected)
    for col, dtype in expected.items():
        assert df[col].dtype == pd.api.types.pandas_dtype(dtype), (col, df[col].dtype)


@pytest.mark.parametrize("q", ["cancer", "nosuchwordanywhere"])
def test_hits_frame(ix, q):
    res = ix.search(q, limit=5)
    df = res.to_pandas()
    assert_schema(df, HIT_COLUMNS)
    assert len(df) == len(res.hits)
    assert df["id"].tolist() == [h["id"] for h in res.hits]
    assert df["rank"].tolist() == list(range(1, len(res.hits) + 1))
    assert df["year"].isna().all()


def test_hits_frame_entity_ids(ix):
    df = ix.search("pmid:1001").to_pandas()
    row = df.iloc[0]
    assert row["Gene"] == ["673"]
    assert row["Disease"] == ["MESH:D008545"]
    assert row["Chemical"] == []
    doc = ix.document("1001")
    genes = [i for a in doc["annotations"] if a["type"] == "Gene" for i in a["ids"]]
    assert row["Gene"] == list(dict.fromkeys(genes))


@pytest.mark.parametrize("q", ["gene:5133 OR cancer", "nosuchwordanywhere"])
def test_spans_frame(ix, q):
    res = ix.search(q)
    df = res.spans()
    assert_schema(df, SPAN_COLUMNS)
    assert len(df) == sum(len(h["spans"]) for h in res.hits)
    entities = df[df["kind"] == "entity"]
    terms = df[df["kind"] == "term"]
    assert entities["entity_id"].notna().all()
    assert terms["entity_type"].isna().all()


def test_facets_frame(ix):
    res = ix.search("*", facets=True, facet_top=3)
    df = res.facets_frame()
    assert_schema(df, FACET_COLUMNS)
    assert len(df) == sum(len(f["top"]) for f in res.facets)
    # The display name of each value is the name `entity` gives it.
    for row in df.itertuples():
        assert row.name == ix.entity(row.id, type=row.type)["name"], row
    assert_schema(ix.search("*").facets_frame(), FACET_COLUMNS)


@pytest.mark.parametrize("q", ["*", "cancer", "nosuchwordanywhere"])
def test_annotations_frame(ix, q):
    df = ix.annotations(q)
    assert_schema(df, ANNOTATION_COLUMNS)
    docs = list(ix.iter_documents(q))
    rows = [(d["id"], a) for d in docs for a in d["annotations"]]
    assert len(df) == len(rows)
    assert df["id"].tolist() == [i for i, _ in rows]
    assert df["text"].tolist() == [a["text"] for _, a in rows]
    assert df["ids"].tolist() == [a["ids"] for _, a in rows]
    assert df["start"].astype("object").where(df["start"].notna(), None).tolist() == [
        a["start"] for _, a in rows
    ]


@pytest.mark.parametrize("q", ["*", "rel:Association|gene:673|Disease", "nosuchwordanywhere"])
def test_relations_frame(ix, q):
    df = ix.relations(q)
    assert_schema(df, RELATION_COLUMNS)
    docs = list(ix.iter_documents(q))
    rows = [(d["id"], r) for d in docs for r in d["relations"]]
    assert len(df) == len(rows)
    assert list(zip(df["arg1"], df["arg2"])) == [tuple(r["args"]) for _, r in rows]
    assert df["type"].tolist() == [r["type"] for _, r in rows]


def test_limit_and_sort(ix):
    by_id = [d["id"] for d in ix.iter_documents("*")]
    assert by_id[:3] == [d["id"] for d in ix.iter_documents("*", limit=3)]
    ranked = [d["id"] for d in ix.iter_documents("cancer", sort="relevance")]
    assert ranked == [h["id"] for h in ix.search("cancer", limit=None).hits]
    it = ix.iter_documents("cancer")
    assert len(it) == it.total_hits == ix.search("cancer").total_hits


def test_frames_without_pandas_name_the_extra(ix, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    res = ix.search("cancer")
    assert res.hits  # plain results need no pandas
    for call in (res.to_pandas, res.spans, res.facets_frame, lambda: ix.annotations("*"),
                 lambda: ix.relations("*")):
        with pytest.raises(ImportError, match=r"ptsearch\[pandas\]"):
            call()


def test_hits_frame_carries_year_and_journal_from_pubmed_xml(tmp_path):
    """Metadata from a generated PubMed XML file (the same PMIDs as a PubTator fixture) reaches
    `to_pandas()`, compared with the XML read by xml.etree."""
    import subprocess
    import xml.etree.ElementTree as ET

    root = Path(__file__).resolve().parents[2]
    fixture = root / "tests" / "data" / "ranking.pubtator"
    xml = tmp_path / "gen.xml"
    subprocess.run(
        [sys.executable, str(root / "scripts" / "gen-pubmed-xml"), "--from", str(fixture),
         "--seed", "3", "--out", str(xml)],
        check=True,
    )
    expected = {}
    for art in ET.parse(xml).getroot().iter("PubmedArticle"):
        pmid = art.findtext("MedlineCitation/PMID")
        pub_date = "MedlineCitation/Article/Journal/JournalIssue/PubDate/"
        year = art.findtext(pub_date + "Year") or (art.findtext(pub_date + "MedlineDate") or "")[:4]
        journal = art.findtext("MedlineCitation/Article/Journal/ISOAbbreviation") or art.findtext(
            "MedlineCitation/Article/Journal/Title"
        )
        expected[pmid] = (int(year) if year else None, journal)
    assert expected, "the generator wrote no article"
    idx = tmp_path / "idx"
    ptsearch.index([fixture, xml], idx, quiet=True)
    hits = ptsearch.Index(idx).search("*", limit=None, sort="date").to_pandas()
    got = {
        row.id: (None if pd.isna(row.year) else int(row.year), row.journal)
        for row in hits.itertuples()
    }
    for pmid, (year, journal) in expected.items():
        assert got[pmid][0] == year, pmid
        assert got[pmid][1] == journal, pmid
    # Newest first.
    years = [y for y in hits["year"].tolist() if not pd.isna(y)]
    assert years == sorted(years, reverse=True)


def test_hits_frame_columns_equal_the_cli_tsv_columns(tmp_path, cli):
    """`to_pandas(columns=...)` holds what `search --format tsv --columns` prints, with the
    metadata of a generated PubMed XML file (authors as a list here, joined by '; ' in TSV)."""
    import subprocess

    from conftest import run_cli

    root = Path(__file__).resolve().parents[2]
    fixture = root / "tests" / "data" / "ranking.pubtator"
    xml = tmp_path / "gen.xml"
    subprocess.run(
        [sys.executable, str(root / "scripts" / "gen-pubmed-xml"), "--from", str(fixture),
         "--seed", "3", "--out", str(xml)],
        check=True,
    )
    idx = tmp_path / "idx"
    ptsearch.index([fixture, xml], idx, quiet=True)
    columns = "pmid,title,year,journal,authors,abstract,score"
    df = ptsearch.Index(idx).search("*", limit=None).to_pandas(columns=columns)
    assert list(df.columns) == ["id", "title", "year", "journal", "authors", "abstract", "score"]
    out = run_cli(cli, idx, "search", "*", "--all", "--format", "tsv", "--columns", columns)
    assert out.returncode == 0, out.stderr
    import io

    tsv = pd.read_csv(io.StringIO(out.stdout), sep="\t", dtype=str, keep_default_na=False)
    assert list(tsv.columns) == list(df.columns)
    assert len(tsv) == len(df) > 0
    assert any(df["authors"].map(len) > 0)
    for (_, row), (_, line) in zip(df.iterrows(), tsv.iterrows()):
        assert line["id"] == row["id"]
        assert line["title"] == row["title"]
        assert line["year"] == ("" if pd.isna(row["year"]) else str(row["year"]))
        assert line["journal"] == ("" if pd.isna(row["journal"]) else row["journal"])
        assert line["authors"] == "; ".join(row["authors"])
        assert line["abstract"] == row["abstract"]
    with pytest.raises(ValueError, match="unknown TSV column 'doi'; valid: rank, id,"):
        ptsearch.Index(idx).search("*").to_pandas(columns=["pmid", "doi"])
