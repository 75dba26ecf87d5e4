"""pandas conversions of search results and per-document tables (pandas is optional).

Every frame has fixed columns and dtypes, also when empty: text columns ``string``, counts and
offsets ``int64`` (``Int64`` where a value may be missing), scores ``float64``, ID lists
``object``.
"""

from __future__ import annotations

from typing import Any, Dict, List

ENTITY_TYPES = ("Gene", "Disease", "Chemical", "Species", "Variant", "CellLine")

_EXTRA = "ptsearch[pandas]"


def pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - exercised in a subprocess test
        raise ImportError(
            f"this ptsearch method returns a pandas DataFrame; install the '{_EXTRA}' extra "
            f"(pip install '{_EXTRA}') or pandas itself"
        ) from e
    return pd


def _frame(pd: Any, columns: Dict[str, list], dtypes: Dict[str, str]) -> Any:
    return pd.DataFrame({k: pd.Series(v, dtype=dtypes.get(k, "object")) for k, v in columns.items()})


HITS_DTYPES = {
    "id": "string",
    "rank": "int64",
    "score": "float64",
    "title": "string",
    "year": "Int64",
    "journal": "string",
}


# The columns of `ptsearch search --format tsv --columns` (`pmid` is `id`), with their dtypes
# here; `entities` stands for the per-type ID-list columns.
TSV_COLUMNS = ("rank", "id", "score", "title", "entities", "year", "journal", "authors", "abstract")
EXTRA_DTYPES = {"authors": "object", "abstract": "string"}


def parse_columns(columns: Any) -> List[str]:
    """A column list (a comma-separated string or a sequence of names) checked like the CLI's
    ``--columns``: case ignored, ``pmid`` = ``id``, an unknown name a ValueError listing the
    valid ones."""
    names = columns.split(",") if isinstance(columns, str) else list(columns)
    out = []
    for name in (str(n).strip() for n in names):
        if not name:
            continue
        lower = name.lower()
        lower = "id" if lower == "pmid" else lower
        if lower not in TSV_COLUMNS:
            raise ValueError(
                f"unknown TSV column '{name}'; valid: {', '.join(TSV_COLUMNS)} (pmid = id)"
            )
        out.append(lower)
    return out


def hits_frame(
    hits: List[Dict[str, Any]],
    entity_ids: List[Dict[str, List[str]]],
    columns: Any = None,
) -> Any:
    pd = pandas()
    types = list(ENTITY_TYPES) + sorted({t for e in entity_ids for t in e} - set(ENTITY_TYPES))
    every: Dict[str, list] = {
        "id": [h["id"] for h in hits],
        "rank": [h["rank"] for h in hits],
        "score": [h["score"] for h in hits],
        "title": [h["title"] for h in hits],
        "year": [h.get("year") for h in hits],
        "journal": [h.get("journal") for h in hits],
    }
    by_type = {t: [e.get(t, []) for e in entity_ids] for t in types}
    if columns is None:
        return _frame(pd, {**every, **by_type}, HITS_DTYPES)
    every["authors"] = [list(h.get("authors", [])) for h in hits]
    every["abstract"] = [h.get("abstract", "") for h in hits]
    chosen: Dict[str, list] = {}
    for name in parse_columns(columns) or ["rank", "id", "score", "title", "entities"]:
        chosen.update(by_type if name == "entities" else {name: every[name]})
    return _frame(pd, chosen, {**HITS_DTYPES, **EXTRA_DTYPES})


SPANS_DTYPES = {
    "id": "string",
    "field": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "kind": "string",
    "entity_type": "string",
    "entity_id": "string",
}


def spans_frame(hits: List[Dict[str, Any]]) -> Any:
    pd = pandas()
    rows = [(h["id"], s) for h in hits for s in h["spans"]]
    columns = {"id": [i for i, _ in rows]}
    for c in list(SPANS_DTYPES)[1:]:
        columns[c] = [s.get(c) for _, s in rows]
    return _frame(pd, columns, SPANS_DTYPES)


EVIDENCE_DTYPES = {
    "id": "string",
    "sentence_id": "string",
    "passage": "int64",
    "sentence": "int64",
    "start": "int64",
    "end": "int64",
    "score": "float64",
    "text": "string",
}


def evidence_frame(hits: List[Dict[str, Any]]) -> Any:
    pd = pandas()
    rows = [(h["id"], e) for h in hits for e in h.get("evidence", [])]
    columns = {"id": [i for i, _ in rows], "sentence_id": [e["id"] for _, e in rows]}
    for c in list(EVIDENCE_DTYPES)[2:]:
        columns[c] = [e[c] for _, e in rows]
    return _frame(pd, columns, EVIDENCE_DTYPES)


SENTENCES_DTYPES = {
    "rank": "int64",
    "pmid": "string",
    "id": "string",
    "section": "string",
    "score": "float64",
    "text": "string",
    "annotations": "object",
}


def sentences_frame(rows: List[Dict[str, Any]]) -> Any:
    pd = pandas()
    columns = {c: [r[c] for r in rows] for c in SENTENCES_DTYPES}
    return _frame(pd, columns, SENTENCES_DTYPES)


FACETS_DTYPES = {
    "type": "string",
    "type_documents": "int64",
    "id": "string",
    "documents": "int64",
    "mention": "string",
    "name": "string",
}


def facets_frame(facets: List[Dict[str, Any]]) -> Any:
    pd = pandas()
    rows = [(f, e) for f in facets for e in f["top"]]
    columns = {
        "type": [f["type"] for f, _ in rows],
        "type_documents": [f["documents"] for f, _ in rows],
        "id": [e["id"] for _, e in rows],
        "documents": [e["documents"] for _, e in rows],
        "mention": [e.get("mention") for _, e in rows],
        "name": [e.get("name") for _, e in rows],
    }
    return _frame(pd, columns, FACETS_DTYPES)


ANNOTATIONS_DTYPES = {
    "id": "string",
    "passage": "Int64",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "type": "string",
    "subtype": "string",
    "ids": "object",
}


def annotations_frame(pd: Any, columns: Dict[str, list]) -> Any:
    return _frame(pd, columns, ANNOTATIONS_DTYPES)


RELATIONS_DTYPES = {
    "id": "string",
    "type": "string",
    "arg1": "string",
    "arg2": "string",
    "novelty": "string",
    "arg1_type": "string",
    "arg2_type": "string",
}


def relations_frame(pd: Any, columns: Dict[str, list]) -> Any:
    return _frame(pd, columns, RELATIONS_DTYPES)


RELATIONS_OF_DTYPES = {
    "type": "string",
    "source_type": "string",
    "source_id": "string",
    "target_type": "string",
    "target_id": "string",
    "name": "string",
    "documents": "int64",
}


def relations_of_frame(rows: List[Dict[str, Any]], evidence: bool = False) -> Any:
    pd = pandas()
    columns: Dict[str, list] = {
        "type": [r["type"] for r in rows],
        "source_type": [r["source"]["type"] for r in rows],
        "source_id": [r["source"]["id"] for r in rows],
        "target_type": [r["target"]["type"] for r in rows],
        "target_id": [r["target"]["id"] for r in rows],
        "name": [r.get("name") for r in rows],
        "documents": [r["documents"] for r in rows],
        "ids": [r["ids"] for r in rows],
    }
    dtypes = dict(RELATIONS_OF_DTYPES)
    if evidence:
        columns["evidence_id"] = [(r.get("evidence") or {}).get("id") for r in rows]
        columns["evidence"] = [(r.get("evidence") or {}).get("text") for r in rows]
        dtypes.update(evidence_id="string", evidence="string")
    return _frame(pd, columns, dtypes)


GRAPH_NODE_DTYPES = {
    "key": "string",
    "type": "string",
    "entity_id": "string",
    "name": "string",
    "documents": "int64",
}
GRAPH_EDGE_DTYPES = {
    "source": "string",
    "target": "string",
    "documents": "int64",
    "weight": "float64",
    "npmi": "float64",
    "relation_types": "object",
    "evidence": "object",
}


def _node_key(n: Dict[str, Any]) -> str:
    return f"{n['type']}:{n['entity_id']}"


def graph_frames(pd: Any, graph: Dict[str, Any]) -> Any:
    """(nodes, edges) DataFrames of a native graph answer; edges name nodes by key."""
    nodes = graph["nodes"]
    keys = [_node_key(n) for n in nodes]
    node_cols: Dict[str, list] = {
        "key": keys,
        "type": [n["type"] for n in nodes],
        "entity_id": [n["entity_id"] for n in nodes],
        "name": [n.get("name") for n in nodes],
        "documents": [n["documents"] for n in nodes],
    }
    edges = graph["edges"]
    edge_cols: Dict[str, list] = {
        "source": [keys[e["source"]] for e in edges],
        "target": [keys[e["target"]] for e in edges],
        "documents": [e["documents"] for e in edges],
        "weight": [e["weight"] for e in edges],
        "npmi": [e["npmi"] for e in edges],
        "relation_types": [dict(e.get("relation_types", [])) for e in edges],
        "evidence": [list(e["evidence"]) for e in edges],
    }
    return _frame(pd, node_cols, GRAPH_NODE_DTYPES), _frame(pd, edge_cols, GRAPH_EDGE_DTYPES)


def networkx_graph(graph: Dict[str, Any]) -> Any:
    """A ``networkx.Graph`` of a native graph answer with the attributes of ptsearch's GraphML
    (so ``networkx.write_graphml`` writes it as is): nodes by key (``Type:ID``) with ``type,
    entity_id, name, documents``; edges with ``documents, weight, npmi``, ``relation_types``
    (``"Association:2;Bind:1"``) and ``evidence`` (``"9001;9002"``); the query, hits and cuts
    in ``G.graph``."""
    try:
        import networkx as nx
    except ImportError as e:  # pragma: no cover - exercised in a subprocess test
        raise ImportError(
            "Result.graph() returns a networkx.Graph; install networkx (pip install networkx) "
            "or use graph_frames() for node and edge DataFrames"
        ) from e
    g = nx.Graph(
        query=graph["query"],
        total_hits=graph["total_hits"],
        edges=graph["edge_kind"],
        weight=graph["weight"],
        cuts="; ".join(graph["cuts"]),
    )
    keys = []
    for n in graph["nodes"]:
        key = _node_key(n)
        keys.append(key)
        name = n.get("name") or n["entity_id"]
        g.add_node(key, type=n["type"], entity_id=n["entity_id"], name=name, documents=n["documents"])
    for e in graph["edges"]:
        g.add_edge(
            keys[e["source"]],
            keys[e["target"]],
            documents=e["documents"],
            weight=e["weight"],
            npmi=e["npmi"],
            relation_types=";".join(f"{t}:{n}" for t, n in e.get("relation_types", [])),
            evidence=";".join(e["evidence"]),
        )
    return g
