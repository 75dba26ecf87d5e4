"""Vocabularies from Python: Index.vocab_add / vocab / vocab_remove / tree and facet_level,
against the fixtures of tests/data/vocab (expected values by hand from those files) and the
CLI of the same checkout."""

from __future__ import annotations

import pytest

import ptsearch
from conftest import DATA

VOCAB = DATA / "vocab"


@pytest.fixture()
def vix(tmp_path):
    ptsearch.index([str(VOCAB / "genes.pubtator")], tmp_path / "ix", quiet=True)
    return ptsearch.Index(tmp_path / "ix")


def test_vocab_add_list_remove(vix):
    info = vix.vocab_add(VOCAB / "desc2025.xml")
    # desc2025.xml holds 35 DescriptorRecords; its latest date is a DateRevised of 2024-06-18.
    assert (info["kind"], info["records"], info["version"]) == ("mesh-desc", 35, "2024-06-18")
    genes = vix.vocab_add(VOCAB / "gene_info", taxa=[9606])
    # gene_info has 9 human genes (taxon 9606).
    assert (genes["kind"], genes["records"]) == ("gene-info", 9)
    assert [v["kind"] for v in vix.vocab()] == ["mesh-desc", "gene-info"]
    assert vix.vocab_remove("gene-info") is True
    assert vix.vocab_remove("gene-info") is False
    with pytest.raises(ValueError):
        vix.vocab_remove("nonsense")


def test_explosion_facet_level_and_tree(vix):
    assert vix.search("disease:D009369", limit=None).total_hits == 0
    vix.vocab_add(VOCAB / "desc2025.xml")
    vix.vocab_add(VOCAB / "supp2025.xml")
    # Every disease of genes.pubtator is a neoplasm: melanoma (100, 104, 107), colorectal
    # (102, 106), breast (103).
    res = vix.search("disease:D009369", limit=None)
    assert sorted(h["id"] for h in res.hits) == ["100", "102", "103", "104", "106", "107"]
    assert res.resolutions[0]["expansion"].startswith("Neoplasms: 1 descriptor + ")
    assert vix.search("disease:=D009369", limit=None).total_hits == 0
    res = vix.search("*", limit=0, facet_level=2)
    values = {v["id"]: v["documents"] for f in res.tree_facets for v in f["values"]}
    # C04.557 (histologic type: the melanomas), C04.588 (by site: colorectal and breast), and
    # C06.301 (Digestive System Neoplasms' second tree number, above Colorectal Neoplasms'
    # C06.301.371.411.307: the two colorectal documents).
    assert values == {"D009370": 3, "D009371": 3, "D004067": 2}
    tree = vix.tree("D015179")
    assert [p["id"] for p in tree["parents"]] == ["D007414"]
    assert [c["id"] for c in tree["children"]] == ["D011125"]
    with pytest.raises(ValueError):
        vix.search("*", facet_level=0)


def test_homologene_infons_of_a_pubtator3_export_are_learned_at_ingest(tmp_path):
    # homologene.biocjson.json: BRAF 673 (doc 201) and mouse Braf 109880 (202) carry group
    # 3197; NFKB1 4790 (204) and mouse Nfkb1 18033 (203) group 2971; CD274 29126 (204) group
    # 9560 alone; 22059 (206) has a malformed group and 100000029 (205) none.
    ptsearch.index([str(VOCAB / "homologene.biocjson.json")], tmp_path / "ix", quiet=True)
    ix = ptsearch.Index(tmp_path / "ix")
    assert [(v["kind"], v["records"]) for v in ix.vocab()] == [("homologene", 5)]
    ids = lambda q: sorted(h["id"] for h in ix.search(q, limit=None).hits)  # noqa: E731
    assert ids("ortho:673") == ["201", "202"]
    assert ids("ortho:18033") == ["203", "204"]
    assert ids("ortho:29126") == ["204"]
    assert ids("ortho:=673") == ["201"]
    assert ix.vocab_remove("homologene") is True
    assert ids("ortho:673") == ["201"]
