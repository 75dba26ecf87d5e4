"""Networks from Python: Index.graph (networkx), graph_frames (pandas), graph_text (files),
read back with networkx's own GraphML and Cytoscape.js readers and compared with counts worked
out by hand from tests/data/graph.pubtator; facet_sort="significance"."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import networkx as nx
import pytest

import ptsearch

from conftest import DATA, run_cli

#: Documents per node of tests/data/graph.pubtator (5 documents), counted by hand.
NODES = {
    "Disease:MESH:D008545": 4,
    "Gene:673": 3,
    "Chemical:MESH:D000001": 2,
    "Gene:5133": 1,
}
#: Documents per co-mentioned pair, by hand.
COMENTION = {
    frozenset({"Disease:MESH:D008545", "Gene:673"}): 2,
    frozenset({"Gene:673", "Chemical:MESH:D000001"}): 2,
    frozenset({"Disease:MESH:D008545", "Chemical:MESH:D000001"}): 1,
    frozenset({"Disease:MESH:D008545", "Gene:5133"}): 1,
}
#: Relation lines, by hand.
RELATION = {
    frozenset({"Disease:MESH:D008545", "Gene:673"}): {"Association": 1},
    frozenset({"Disease:MESH:D008545", "Gene:5133"}): {"Association": 1},
    frozenset({"Gene:673", "Chemical:MESH:D000001"}): {"Bind": 1},
}


@pytest.fixture(scope="module")
def gix(tmp_path_factory: pytest.TempPathFactory) -> ptsearch.Index:
    path = tmp_path_factory.mktemp("graph") / "index"
    ptsearch.index([DATA / "graph.pubtator"], path, threads=1, quiet=True)
    return ptsearch.Index(path)


def npmi(both: int, x: int, y: int, n: int) -> float:
    pxy = both / n
    return math.log(pxy / ((x / n) * (y / n))) / -math.log(pxy)


def edge_docs(g: nx.Graph) -> dict:
    return {frozenset((a, b)): int(d["documents"]) for a, b, d in g.edges(data=True)}


def test_graph_is_a_networkx_graph_with_the_hand_counts(gix: ptsearch.Index) -> None:
    g = gix.graph("*")
    assert isinstance(g, nx.Graph)
    assert {n: d["documents"] for n, d in g.nodes(data=True)} == NODES
    assert g.nodes["Gene:673"]["name"] == "BRAF"
    assert edge_docs(g) == COMENTION
    for a, b, d in g.edges(data=True):
        assert d["npmi"] == pytest.approx(npmi(d["documents"], NODES[a], NODES[b], 5))
    assert g.graph["total_hits"] == 5
    # By hand: ln(0.4 / (0.6 * 0.4)) / -ln 0.4.
    assert g.edges["Gene:673", "Chemical:MESH:D000001"]["npmi"] == pytest.approx(0.557493, abs=1e-6)
    rel = gix.graph("*", edges="relation")
    got = {
        frozenset((a, b)): dict(
            (t.split(":")[0], int(t.split(":")[1])) for t in d["relation_types"].split(";")
        )
        for a, b, d in rel.edges(data=True)
    }
    assert got == RELATION
    assert g.edges["Gene:673", "Disease:MESH:D008545"]["evidence"] == "9001;9002"


def test_search_result_graph_covers_every_hit(gix: ptsearch.Index) -> None:
    res = gix.search("melanoma", limit=1)
    assert res.total_hits == 4 and len(res.hits) == 1
    g = res.graph(nodes="Gene,Disease")
    assert set(g.nodes) == {"Disease:MESH:D008545", "Gene:673", "Gene:5133"}
    nodes, edges = res.graph_frames(max_edges=1)
    assert list(nodes.columns) == ["key", "type", "entity_id", "name", "documents"]
    assert str(nodes["documents"].dtype) == "int64"
    assert len(edges) == 1
    assert edges.iloc[0]["documents"] == 2


def test_graphml_and_cyjs_read_back_with_networkx(gix: ptsearch.Index) -> None:
    for edges, want in (("comention", COMENTION), ("relation", RELATION)):
        g = nx.read_graphml(io.BytesIO(gix.graph_text("*", "graphml", edges=edges).encode()))
        assert {n: d["documents"] for n, d in g.nodes(data=True)} == NODES
        got = edge_docs(g)
        if edges == "comention":
            assert got == want
        else:
            assert got == {p: sum(t.values()) for p, t in want.items()}
        cy = nx.cytoscape_graph(json.loads(gix.graph_text("*", "cyjs", edges=edges)))
        assert {n: d["documents"] for n, d in cy.nodes(data=True)} == NODES
        assert edge_docs(cy) == got
        assert cy.nodes["Disease:MESH:D008545"]["name"] == "melanoma"


def test_graph_text_is_what_the_cli_writes(gix: ptsearch.Index, cli: Path) -> None:
    for fmt in ("graphml", "xgmml", "tsv", "cyjs"):
        out = run_cli(cli, Path(gix.path), "graph", "*", "--weight", "npmi", "--format", fmt)
        assert out.returncode == 0, out.stderr
        assert gix.graph_text("*", fmt, weight="npmi") == out.stdout


def test_bad_graph_options_raise(gix: ptsearch.Index) -> None:
    with pytest.raises(ValueError, match="unknown edge kind 'cites'"):
        gix.graph("*", edges="cites")
    with pytest.raises(ValueError, match="unknown graph format"):
        gix.graph_text("*", "dot")


def test_facet_sort_significance_ranks_by_g(gix: ptsearch.Index) -> None:
    res = gix.search("drugA", facet_sort="significance", facet_top=5)
    genes = {f["type"]: f["top"] for f in res.facets}
    top = genes["Disease"] + genes["Gene"] + genes["Chemical"]
    for e in top:
        assert "significance" in e and 0.0 <= e["p_value"] <= 1.0
    # drugA's 2 hits are all of its documents: over-represented; melanoma (1 of 2 hits, 4
    # of 5 documents) is not.
    chem = genes["Chemical"][0]
    assert chem["id"] == "MESH:D000001" and chem["significance"] > 0
    assert genes["Disease"][0]["significance"] < 0


def test_readme_networks_example_runs(tmp_path, monkeypatch, capsys) -> None:
    import re

    from conftest import REPO

    text = (REPO / "README.md").read_text()
    section = text.split("\n### Networks", 1)[1].split("\n### ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    (tmp_path / "tests").symlink_to(REPO / "tests")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(block, "README.md", "exec"), scope)
    g = scope["G"]
    assert g.graph["total_hits"] == 4
    assert set(g.nodes) == {"Disease:MESH:D008545", "Gene:673", "Gene:5133", "Chemical:MESH:D000001"}
    assert len(scope["edges"]) == 4
    assert (tmp_path / "melanoma.graphml").exists()
    assert nx.read_graphml(tmp_path / "melanoma.graphml").number_of_edges() == 4
