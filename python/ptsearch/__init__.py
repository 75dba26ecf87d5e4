"""Search a ptsearch index (PubTator literature) from Python.

    >>> import ptsearch
    >>> ix = ptsearch.Index("ptsearch-index")
    >>> res = ix.search("gene:5133 melanoma", limit=20, facets=True)
    >>> res.total_hits, res.hits[0]["id"]
    >>> res.to_pandas()          # one row per hit (needs ptsearch[pandas])

Everything is answered by the Rust library (the same code as the ``ptsearch`` command): hits
are the dicts of ``ptsearch search --format json``, documents those of ``ptsearch export
--format jsonl``. This package only converts them (to pandas when asked). See README.md,
section "Python", and the stub ``__init__.pyi`` for the full API.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from . import _frames
from ._ptsearch import IndexError, InputError, PtSearchError, QueryError, __version__
from ._ptsearch import Index as _NativeIndex
from ._ptsearch import index as _native_index

__all__ = [
    "ENTITY_TYPES",
    "Index",
    "IndexError",
    "InputError",
    "PtSearchError",
    "QueryError",
    "SearchResult",
    "index",
    "__version__",
]

def __dir__() -> List[str]:
    """The public names only (not the typing helpers this module imports)."""
    return sorted(__all__)


def _count(name: str, value: Optional[int]) -> Optional[int]:
    """``value`` when it is None or a count (>= 0), else a ValueError naming ``name``."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be a whole number >= 0 (or None), not {value!r}")
    return value


#: Canonical entity types, in the order of the per-type columns of ``SearchResult.to_pandas``.
ENTITY_TYPES = _frames.ENTITY_TYPES

PathLike = Union[str, "os.PathLike[str]"]


class SearchResult:
    """One page of a search: totals, hits (the CLI's JSON hit objects), facets, resolutions.

    ``hits``: list of dicts with ``id, rank, score, title, abstract, fragments, spans,
    entities`` (and ``concepts`` for documents with PubTator3 bulk concepts).
    ``facets``: ``None`` unless requested, else a list of ``{type, documents, top: [{id,
    documents, mention}]}``. ``resolutions``: how names in the query were resolved to IDs.
    ``warnings``: things to know about the query or the answer.
    """

    __slots__ = (
        "query",
        "total_hits",
        "returned",
        "offset",
        "elapsed_ms",
        "hits",
        "facets",
        "metadata_facets",
        "tree_facets",
        "resolutions",
        "warnings",
        "_entity_ids",
        "_index",
    )

    def __init__(self, answer: Dict[str, Any], index: Optional["Index"] = None) -> None:
        result = answer["result"]
        self.query: str = result["query"]
        self.total_hits: int = result["total_hits"]
        self.returned: int = result["returned"]
        self.offset: int = result["offset"]
        self.elapsed_ms: float = result["elapsed_ms"]
        self.hits: List[Dict[str, Any]] = result["hits"]
        self.facets: Optional[List[Dict[str, Any]]] = result.get("facets")
        self.metadata_facets: Optional[List[Dict[str, Any]]] = result.get("metadata_facets")
        self.tree_facets: Optional[List[Dict[str, Any]]] = result.get("tree_facets")
        self.resolutions: List[Dict[str, Any]] = result.get("resolutions", [])
        self.warnings: List[str] = result.get("warnings", [])
        # Native HitEntityIds: the per-type entity IDs of each hit, made when to_pandas asks.
        self._entity_ids = answer["entity_ids"]
        self._index = index

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        return iter(self.hits)

    def __repr__(self) -> str:
        return (
            f"<ptsearch.SearchResult {self.query!r}: {self.total_hits} hits, "
            f"{len(self.hits)} returned>"
        )

    def summary(self) -> Dict[str, Any]:
        """The summary object of ``ptsearch search --format json`` (everything but hits)."""
        out: Dict[str, Any] = {
            "query": self.query,
            "total_hits": self.total_hits,
            "returned": self.returned,
            "offset": self.offset,
            "elapsed_ms": self.elapsed_ms,
        }
        if self.facets is not None:
            out["facets"] = self.facets
        if self.metadata_facets is not None:
            out["metadata_facets"] = self.metadata_facets
        if self.tree_facets is not None:
            out["tree_facets"] = self.tree_facets
        if self.resolutions:
            out["resolutions"] = self.resolutions
        if self.warnings:
            out["warnings"] = self.warnings
        return out

    def to_pandas(self, columns: "Any" = None) -> "Any":
        """One row per hit: ``id, rank, score, title, year, journal`` and one column of ID lists
        per entity type (``Gene, Disease, Chemical, Species, Variant, CellLine``, then any other
        type present). ``year``/``journal`` are empty where the index has no metadata for
        the document (PubTator text has none; PubMed XML and PubTator3 BioC do).

        ``columns`` picks the columns as ``ptsearch search --format tsv --columns`` does (a
        comma-separated string or a list, in order): ``rank, id`` (or ``pmid``), ``score,
        title, entities`` (the per-type ID-list columns), ``year, journal, authors`` (a list)
        and ``abstract``; an unknown name is a ValueError."""
        return _frames.hits_frame(self.hits, self._entity_ids.ids(), columns)

    def spans(self) -> "Any":
        """One row per highlight span: ``id, field, start, end, text, kind, entity_type,
        entity_id`` (offsets in characters of the field's text)."""
        return _frames.spans_frame(self.hits)

    def evidence(self) -> "Any":
        """One row per evidence sentence of every hit: ``id, sentence_id, passage, sentence,
        start, end, score, text`` (``sentence_id`` is ``PMID:passage:sentence``; offsets in
        characters of the passage). Each hit dict carries them too, as ``hit["evidence"]``."""
        return _frames.evidence_frame(self.hits)

    def facets_frame(self) -> "Any":
        """One row per facet entity: ``type, type_documents, id, documents, mention, name``
        (``name``: the display name, as ``entity`` gives it; empty when facets were not
        requested)."""
        return _frames.facets_frame(self.facets or [])

    def _graph_index(self) -> "Index":
        if self._index is None:
            raise ValueError("this SearchResult has no index to build its graph from")
        return self._index

    def graph(self, **options: Any) -> "Any":
        """The network of every hit of this query (not only the returned page) as a
        ``networkx.Graph``; ``options`` as ``Index.graph`` takes them."""
        return self._graph_index().graph(self.query, **options)

    def graph_frames(self, **options: Any) -> "Any":
        """The network of every hit of this query as ``(nodes, edges)`` DataFrames;
        ``options`` as ``Index.graph`` takes them."""
        return self._graph_index().graph_frames(self.query, **options)


class Index:
    """An open index. Safe to share between threads; searches release the GIL."""

    __slots__ = ("_ix",)

    def __init__(self, path: PathLike) -> None:
        self._ix = _NativeIndex(os.fspath(path))

    @property
    def path(self) -> str:
        """The index directory."""
        return os.fspath(self._ix.path)

    def __repr__(self) -> str:
        return f"ptsearch.Index({self.path!r})"

    def search(
        self,
        q: str,
        limit: Optional[int] = 10,
        offset: int = 0,
        facets: bool = False,
        sort: str = "relevance",
        *,
        facet_top: int = 10,
        facet_types: Optional[Sequence[str]] = None,
        highlights: bool = True,
        facet_sort: str = "count",
        facet_scope: str = "document",
        facet_level: Optional[int] = None,
    ) -> SearchResult:
        """The hits ``offset+1 .. offset+limit`` of ``q`` (every hit when ``limit`` is None),
        ranked by ``sort`` (``"relevance"``, ``"date"`` (newest first) or ``"id"``), with facets
        over all hits when ``facets`` (or ``facet_types``, or a ``facet_sort`` other than
        ``"count"``, or ``facet_scope="sentence"``) is given; ``facet_sort`` is ``"count"``,
        ``"lift"`` or ``"significance"`` as ``--facet-sort``; ``facet_scope`` is
        ``"document"`` or ``"sentence"`` (entities in a sentence with a queried entity) as
        ``--facet-scope``; ``facet_level=N`` also counts Disease and Chemical values at their
        MeSH tree ancestors of depth N (``tree_facets``; needs a MeSH vocabulary)."""
        _count("limit", limit)
        _count("offset", offset)
        _count("facet_top", facet_top)
        answer = self._ix.search(
            q,
            limit=limit,
            offset=offset,
            facets=facets,
            sort=sort,
            facet_top=facet_top,
            facet_types=list(facet_types) if facet_types else None,
            highlights=highlights,
            facet_sort=facet_sort,
            facet_scope=facet_scope,
            facet_level=facet_level,
        )
        return SearchResult(answer, self)

    def _graph(self, q: str, format: Optional[str] = None, **options: Any) -> Any:
        nodes = options.pop("nodes", None)
        if isinstance(nodes, str):
            nodes = [t for t in nodes.split(",") if t.strip()]
        return self._ix.graph(q, nodes=nodes, format=format, **options)

    def graph(
        self,
        q: str,
        nodes: Optional[Union[str, Sequence[str]]] = None,
        edges: str = "comention",
        weight: str = "docs",
        min_docs: int = 1,
        max_nodes: Optional[int] = None,
        max_edges: Optional[int] = None,
    ) -> "Any":
        """The network of every hit of ``q`` as ``ptsearch graph`` builds it, as a
        ``networkx.Graph`` (needs networkx): nodes keyed ``Type:ID`` with ``type, entity_id,
        name, documents``; edges with ``documents, weight, npmi, relation_types, evidence``
        (strings as in ptsearch's GraphML, so ``networkx.write_graphml`` writes the graph).
        ``edges`` is ``"comention"`` or ``"relation"``, ``weight`` ``"docs"`` or ``"npmi"``."""
        return _frames.networkx_graph(
            self._graph(
                q,
                nodes=nodes,
                edges=edges,
                weight=weight,
                min_docs=min_docs,
                max_nodes=max_nodes,
                max_edges=max_edges,
            )
        )

    def graph_frames(self, q: str, **options: Any) -> "Any":
        """The network of every hit of ``q`` as ``(nodes, edges)`` DataFrames: nodes ``key,
        type, entity_id, name, documents``; edges ``source, target`` (node keys),
        ``documents, weight, npmi, relation_types`` (dict type -> documents), ``evidence``
        (document IDs). Options as ``graph``."""
        return _frames.graph_frames(_frames.pandas(), self._graph(q, **options))

    def graph_text(self, q: str, format: str = "graphml", **options: Any) -> str:
        """The network of every hit of ``q`` as the text of a graph file: ``graphml``,
        ``cyjs``, ``xgmml``, ``tsv`` or ``jsonl`` (``ptsearch graph --format``). Options as
        ``graph``."""
        return str(self._graph(q, format=format, **options))

    def iter_documents(
        self, q: str, sort: str = "id", limit: Optional[int] = None
    ) -> Iterator[Dict[str, Any]]:
        """Every hit's document, streamed (one loaded per step): the objects of ``ptsearch
        export --format jsonl`` (``id, title, abstract, passages, annotations, relations``,
        ``concepts``). In document-ID order unless ``sort="relevance"``."""
        return self._ix.documents(q, sort=sort, limit=limit)

    def annotations(self, q: str, sort: str = "id", limit: Optional[int] = None) -> "Any":
        """One row per annotation of every hit: ``id, passage, start, end, text, type, subtype,
        ids`` (``ids``: list of normalized IDs; offsets in characters within the passage)."""
        pd = _frames.pandas()
        return _frames.annotations_frame(pd, self._ix.annotation_columns(q, sort=sort, limit=limit))

    def relations(self, q: str, sort: str = "id", limit: Optional[int] = None) -> "Any":
        """One row per relation of every hit: ``id, type, arg1, arg2, novelty, arg1_type,
        arg2_type`` (argument types only when the source names them)."""
        pd = _frames.pandas()
        return _frames.relations_frame(pd, self._ix.relation_columns(q, sort=sort, limit=limit))

    def sentences(self, q: str, limit: int = 20) -> List[Dict[str, Any]]:
        """The matching sentences of the best matching documents, best first: the rows of
        ``ptsearch sentences --format json`` (``rank, pmid, id, text, section, score, passage,
        sentence, start, end, annotations`` with annotations as ``start|length|type|ID``)."""
        return self._ix.sentences(q, limit)

    def sentences_frame(self, q: str, limit: int = 20) -> "Any":
        """``sentences`` as a DataFrame: ``rank, pmid, id, section, score, text,
        annotations``."""
        return _frames.sentences_frame(self.sentences(q, limit))

    def entities(
        self, prefix: str, type: Optional[str] = None, limit: int = 10
    ) -> List[Dict[str, Any]]:
        """Entities with a mention starting with ``prefix`` (``ptsearch entities --format
        json``): ``{type, id, documents, exact, mentions: [[text, documents], ...]}``."""
        return self._ix.entities(prefix, type=type, limit=limit)

    def entity(
        self, id: str, type: Optional[str] = None, mentions: Optional[int] = None
    ) -> Optional[Dict[str, Any]]:
        """One entity as ``ptsearch entity --format json`` answers it (the profile with the
        most documents): by ID (``"5133"``), typed ID or name (``"gene:BRAF"``,
        ``"@GENE_BRAF"``) or ``id, type="Gene"``: ``{type, id, name, documents,
        relation_documents, mentions, co_mentioned, related}``, or None when nothing matches.
        ``mentions`` keeps at most that many mention forms."""
        return self._ix.entity(id, type=type, mentions=mentions)

    def relations_of(
        self,
        entity: str,
        type: Optional[str] = None,
        partner_type: Optional[str] = None,
        query: Optional[str] = None,
        limit: Optional[int] = None,
        evidence: bool = False,
    ) -> "Any":
        """Relation partners of ``entity`` (any query form: ``"gene:673"``, ``"@GENE_BRAF"``) as
        a DataFrame, one row per (relation type, partner), most documents first: ``type,
        source_type, source_id, target_type, target_id, name, documents, ids`` (every evidence
        document ID), as ``ptsearch relations --all``; ``type`` / ``partner_type`` / ``query``
        narrow it like ``--type`` / ``--partner-type`` / ``--query``; ``evidence=True`` adds
        ``evidence_id, evidence`` (a sentence naming both, as ``--evidence``)."""
        rows = self._ix.relations_of(
            entity, type=type, partner_type=partner_type, query=query, limit=limit,
            evidence=evidence,
        )
        return _frames.relations_of_frame(rows, evidence)

    def document(self, id: str) -> Optional[Dict[str, Any]]:
        """The document with this ID (the ``export --format jsonl`` object), or None."""
        return self._ix.document(id)

    def stats(self) -> Dict[str, Any]:
        """What the index holds (``ptsearch stats --format json``)."""
        return self._ix.stats()

    def watch_add(self, name: str, query: str) -> Dict[str, Any]:
        """Saves ``query`` as watch ``name`` (``ptsearch watch add``); its news start after the
        index's last commit. Returns ``{name, query, mark, origin, added_at, checked_at}``;
        ValueError for a name in use or invalid, QueryError for a bad query."""
        return self._ix.watch_add(name, query)

    def watch_rm(self, name: str) -> Dict[str, Any]:
        """Removes watch ``name`` (``ptsearch watch rm``) and returns it; ValueError if unknown."""
        return self._ix.watch_rm(name)

    def watches(self) -> List[Dict[str, Any]]:
        """The watches, in the order they were added (``ptsearch watch list --format json``)."""
        return self._ix.watches()

    def news(
        self,
        name: Optional[str] = None,
        *,
        peek: bool = False,
        since: Optional[str] = None,
        updated: bool = False,
        limit: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """What is new for every watch (or ``name``), as ``ptsearch news --format json``: one
        ``{watch, query, since_commit, until_commit, new, updated, warnings}`` per watch, each
        document ``{id, title, score, date, indexed_at, changed_at, entities}``, best first.
        Moves the marks unless ``peek`` or ``since`` (``"YYYY-MM-DD"``, ignoring the marks)."""
        return self._ix.news(name, peek=peek, since=since, updated=updated, limit=limit)

    def similar(self, id: str, limit: int = 10) -> Optional[SearchResult]:
        """Related articles of document ``id`` (``ptsearch similar``): title words (twice),
        abstract words and entity IDs weighted by rarity; never the document itself. A
        SearchResult like ``search``'s, or None when the index has no such document."""
        answer = self._ix.similar(id, limit=limit)
        return None if answer is None else SearchResult(answer)
    def vocab_add(self, path: PathLike, taxa: Optional[Iterable[int]] = None) -> Dict[str, Any]:
        """Loads a vocabulary file (``ptsearch vocab add``): MeSH ``desc20XX.xml`` or
        ``supp20XX.xml``, NCBI ``gene_info`` or ``gene_orthologs``, plain or gzip; ``taxa``
        keeps only those NCBI taxa of the gene files. Replaces the vocabulary of its kind;
        returns ``{kind, file, version, records, added}``."""
        return self._ix.vocab_add(os.fspath(path), None if taxa is None else list(taxa))

    def vocab(self) -> List[Dict[str, Any]]:
        """The index's vocabularies (``ptsearch vocab list --format json``)."""
        return self._ix.vocab()

    def tree(self, id: str) -> Dict[str, Any]:
        """The MeSH tree around a descriptor (``ptsearch entity ID --tree``): ``{node,
        parents, children}``, each ``{id, name, trees, documents, with_narrower}``."""
        return self._ix.tree(id)

    def vocab_remove(self, kind: str) -> bool:
        """Removes the vocabulary of ``kind`` (mesh-desc, mesh-supp, gene-info,
        gene-orthologs); False when there was none."""
        return self._ix.vocab_remove(kind)


def index(
    paths: Union[PathLike, Iterable[PathLike]],
    index_path: PathLike,
    *,
    threads: Optional[int] = None,
    memory_mb: int = 512,
    strict: bool = False,
    quiet: bool = False,
    max_warnings: int = 1000,
    commit_every: int = 1_000_000,
    commit_interval: int = 120,
    resume: bool = True,
    format: str = "auto",
    source: Optional[str] = None,
    replace: bool = False,
    text: str = "auto",
    metadata_only: bool = False,
    ids: Optional[str] = None,
) -> Dict[str, Any]:
    """Builds or updates the index at ``index_path`` from files, directories or ``"-"``
    (stdin), like ``ptsearch index``: same options, progress and summary on stderr. ``text``
    (``auto``, ``keep``, ``replace``), ``metadata_only`` and ``ids`` (``pmid``, ``local``)
    are ``--text``, ``--metadata-only`` and ``--ids``. Returns the summary (``ptsearch index --json``)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _native_index(
        [os.fspath(p) for p in paths],
        os.fspath(index_path),
        threads=threads,
        memory_mb=memory_mb,
        strict=strict,
        quiet=quiet,
        max_warnings=max_warnings,
        commit_every=commit_every,
        commit_interval=commit_interval,
        resume=resume,
        format=format,
        source=source,
        replace=replace,
        text=text,
        metadata_only=metadata_only,
        ids=ids,
    )
