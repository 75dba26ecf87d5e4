"""Errors map to the documented exceptions; lookups; threads share one Index; the stub
matches the module."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

import ptsearch
from conftest import DATA


@pytest.mark.parametrize("q", ["(gene:5133", 'title:"unclosed', "a AND", "gene:"])
def test_bad_query_raises_query_error(ix, q):
    with pytest.raises(ptsearch.QueryError) as e:
        ix.search(q)
    assert isinstance(e.value.position, int) and 0 <= e.value.position <= len(q)
    assert e.value.message and e.value.message in str(e.value)
    assert isinstance(e.value, ptsearch.PtSearchError)
    with pytest.raises(ptsearch.QueryError):
        ix.annotations(q)


def test_missing_index_raises_index_error(tmp_path):
    with pytest.raises(ptsearch.IndexError, match="no ptsearch index"):
        ptsearch.Index(tmp_path / "nothing")


def test_bad_arguments_raise_value_error(ix, tmp_path):
    # The same messages as the CLI and the HTTP API (tests/it/serve/doors.rs).
    with pytest.raises(ValueError) as e:
        ix.search("cancer", sort="newest")
    assert str(e.value) == "unknown sort order 'newest'; valid: relevance, date, id"
    with pytest.raises(ValueError) as e:
        ix.search("cancer", facet_sort="x")
    assert str(e.value) == "unknown facet order 'x'; valid: count, lift, significance"
    with pytest.raises(ValueError) as e:
        ptsearch.index([DATA / "ranking.pubtator"], tmp_path / "x", format="csv")
    assert str(e.value) == (
        "unknown input format 'csv'; valid: auto, pubtator, bioc-xml, bioc-json, pubmed-xml, tar"
    )
    with pytest.raises(ValueError, match="unknown text choice 'best'"):
        ptsearch.index([DATA / "ranking.pubtator"], tmp_path / "x", text="best")


def test_a_source_declares_local_ids(tmp_path):
    path = tmp_path / "ix"
    with pytest.raises(ValueError) as e:
        ptsearch.index([DATA / "ranking.pubtator"], path, ids="ordinal", quiet=True)
    assert str(e.value) == "unknown document ID kind 'ordinal'; valid: pmid, local"
    ptsearch.index([DATA / "ranking.pubtator"], path, source="gold", ids="local", quiet=True)
    ptsearch.index([DATA / "seed-31554797.pubtator"], path, quiet=True)
    assert ptsearch.Index(path).stats()["local_id_sources"] == ["gold"]
    ptsearch.index([DATA / "ranking.pubtator"], path, source="gold", ids="pmid", quiet=True)
    assert "local_id_sources" not in ptsearch.Index(path).stats()


def test_facet_sort_lift_is_reachable(ix):
    counted = ix.search("*", limit=0, facets=True)
    lifted = ix.search("*", limit=0, facet_sort="lift")
    assert lifted.facets is not None and len(lifted.facets) == len(counted.facets)


def test_missing_input_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        ptsearch.index([tmp_path / "missing.pubtator"], tmp_path / "ix")


def test_strict_ingest_raises_input_error(tmp_path):
    with pytest.raises(ptsearch.InputError) as e:
        ptsearch.index([DATA / "bad_lines.pubtator"], tmp_path / "ix", strict=True, quiet=True)
    assert e.value.line > 0 and e.value.path.endswith("bad_lines.pubtator")


def test_index_updates_and_reports(tmp_path, capfd):
    path = tmp_path / "ix"
    first = ptsearch.index(DATA / "ranking.pubtator", path, threads=1)
    assert first["added"] == first["total_documents"] == 7
    again = ptsearch.index([DATA / "ranking.pubtator"], path, threads=1, resume=False)
    # The same input again: every document is merged, none changes, nothing is rewritten.
    assert again["layers"]["merged"] == again["layers"]["unchanged"] == 7
    assert again["documents_written"] == 0 and again["total_documents"] == 7
    err = capfd.readouterr().err
    assert "indexed 7 documents" in err and "nothing changed" in err
    assert ptsearch.Index(path).stats()["documents"] == 7


def test_entity_lookup(ix):
    e = ix.entity("5133")
    assert e["type"] == "Gene" and e["id"] == "5133" and e["documents"] >= 2
    assert e["mentions"][0][0] == "PD1"
    assert ix.entity("Gene:5133") == e == ix.entity("5133", type="gene")
    assert ix.entity("MESH:D015179")["type"] == "Disease"
    assert ix.entity("5133", type="Disease") is None
    assert ix.entity("no-such-id") is None


def test_threads_share_one_index(ix):
    queries = ["cancer", "gene:PD1", "melanoma OR aspirin", "*"]
    expected = {q: ix.search(q, facets=True).hits for q in queries}
    errors = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                q = queries[(n + i) % len(queries)]
                assert ix.search(q, facets=True).hits == expected[q]
                assert len(ix.annotations(q)) >= 0
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_stub_declares_the_public_api():
    stub = Path(ptsearch.__file__).with_suffix(".pyi")
    tree = ast.parse(stub.read_text())
    declared = {
        n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))
    } | {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    assert set(ptsearch.__all__) <= declared
    methods = {
        f.name
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name == "Index"
        for f in c.body
        if isinstance(f, ast.FunctionDef)
    }
    public = {m for m in dir(ptsearch.Index) if not m.startswith("_")}
    assert public <= methods


def test_negative_counts_are_value_errors_and_dir_is_the_public_api(ix):
    for kwargs in ({"limit": -1}, {"offset": -5}, {"facet_top": -1}, {"limit": 2.5}):
        with pytest.raises(ValueError, match="must be a whole number"):
            ix.search("cancer", **kwargs)
    names = dir(ptsearch)
    for private in ("annotations", "Any", "Dict", "os", "List", "Optional"):
        assert private not in names
    assert "Index" in names and "index" in names
