"""Type stub and reference of the ptsearch Python API (see README.md, section "Python").

Results are the library's own JSON shapes as Python objects: hits are the ``data`` objects of
``ptsearch search --format json``, documents those of ``ptsearch export --format jsonl``,
suggestions those of ``ptsearch entities --format json``, stats ``ptsearch stats --format
json``. Frame methods need pandas (``pip install 'ptsearch[pandas]'``); without it they raise
ImportError naming that extra.

Not exposed yet: ``Index.relations_of(entity, ...)`` (relation partners of an entity) waits for
the library's relation-partner function; ``Index.entity`` is a minimal lookup over the mention
dictionary until the library's entity lookup lands.
"""

import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import pandas as pd

__version__: str

ENTITY_TYPES: Tuple[str, ...]
"""Canonical entity types: Gene, Disease, Chemical, Species, Variant, CellLine."""

_PathLike = Union[str, os.PathLike[str]]

class PtSearchError(Exception):
    """Base class of ptsearch's errors (an I/O error is a plain OSError)."""

class QueryError(PtSearchError):
    """A query that cannot be parsed or compiled."""

    position: int
    """Character offset of the problem in the query."""
    message: str
    """What is wrong."""
    caret: str
    """The query with a ``^`` under the position (for display)."""

class IndexError(PtSearchError):
    """No index at the path, another schema version, a locked or corrupt index, an engine
    error. (Not the builtin IndexError.)"""

class InputError(PtSearchError):
    """A bad input line during ``index(..., strict=True)``."""

    path: str
    line: int

class SearchResult:
    """One page of a search."""

    query: str
    total_hits: int
    """Every matching document (not only the returned page)."""
    returned: int
    offset: int
    elapsed_ms: float
    hits: List[Dict[str, Any]]
    """The CLI's JSON hit objects: id, rank, score, title, abstract, fragments, spans,
    evidence (the best sentences), entities (and concepts for documents with PubTator3 bulk concepts)."""
    facets: Optional[List[Dict[str, Any]]]
    """``[{type, documents, top: [{id, documents, mention}]}]``; None unless requested."""
    metadata_facets: Optional[List[Dict[str, Any]]]
    """``[{field, documents, values: [[value, count]]}]`` for years, journals, publication types
    and sources (fields no hit has are left out); None unless facets were requested."""
    tree_facets: Optional[List[Dict[str, Any]]]
    """``[{type, level, values: [{id, name, documents, clause}]}]``: Disease and Chemical
    values counted at their MeSH tree ancestors; None unless ``facet_level`` was given."""
    resolutions: List[Dict[str, Any]]
    """``[{input, type, resolved: [{type, id, documents}], expansion?}]`` for names in the
    query; ``expansion`` says what a vocabulary expanded an ID to."""
    warnings: List[str]
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Dict[str, Any]]: ...
    def summary(self) -> Dict[str, Any]:
        """The summary object of ``ptsearch search --format json``."""
    def to_pandas(self, columns: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
        """One row per hit. Columns (dtype): id (string), rank (int64), score (float64),
        title (string), year (Int64), journal (string), then one column per entity type
        (object: list of the document's normalized IDs of that type): Gene, Disease,
        Chemical, Species, Variant, CellLine, then other types present. year and journal
        are <NA> where the index has no metadata for the document. ``columns`` picks columns
        as ``ptsearch search --format tsv --columns`` does: rank, id (or pmid), score, title,
        entities (the per-type columns), year, journal, authors (object: list), abstract
        (string); an unknown name is a ValueError."""
    def spans(self) -> pd.DataFrame:
        """One row per highlight span. Columns: id, field, text, kind, entity_type,
        entity_id (string; entity_* <NA> for term spans), start, end (int64, characters of
        the field's text)."""
    def evidence(self) -> pd.DataFrame:
        """One row per evidence sentence of every hit. Columns: id, sentence_id, text
        (string), passage, sentence, start, end (int64, characters of the passage), score
        (float64)."""
    def facets_frame(self) -> pd.DataFrame:
        """One row per facet entity. Columns: type, id, mention (string), type_documents,
        documents (int64). Empty when facets were not requested."""
    def graph(
        self,
        *,
        nodes: Optional[Union[str, Sequence[str]]] = None,
        edges: str = "comention",
        weight: str = "docs",
        min_docs: int = 1,
        max_nodes: Optional[int] = None,
        max_edges: Optional[int] = None,
    ) -> Any:
        """The network of every hit of this query (not only the page) as a networkx.Graph
        (needs networkx); see ``Index.graph``."""
    def graph_frames(
        self,
        *,
        nodes: Optional[Union[str, Sequence[str]]] = None,
        edges: str = "comention",
        weight: str = "docs",
        min_docs: int = 1,
        max_nodes: Optional[int] = None,
        max_edges: Optional[int] = None,
    ) -> Tuple[pd.DataFrame, pd.DataFrame]:
        """The network of every hit of this query as (nodes, edges) DataFrames; see
        ``Index.graph_frames``."""

class Index:
    """An open index; share it between threads freely (calls release the GIL)."""

    def __init__(self, path: _PathLike) -> None:
        """Raises IndexError when ``path`` holds no ptsearch index."""
    @property
    def path(self) -> str: ...
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
        """One page of hits of ``q`` (``limit=None``: every hit); ``sort`` is "relevance",
        "date" or "id"; facets count over all hits, ordered by ``facet_sort`` ("count",
        "lift" or "significance": the G-test log-likelihood ratio against the rest of the
        index, each value with ``significance`` and ``p_value``), at ``facet_scope``
        ("document", or "sentence": the entities in a sentence that mentions a queried
        entity). Raises QueryError for a bad query, ValueError for an unknown option value."""
    def graph(
        self,
        q: str,
        nodes: Optional[Union[str, Sequence[str]]] = None,
        edges: str = "comention",
        weight: str = "docs",
        min_docs: int = 1,
        max_nodes: Optional[int] = None,
        max_edges: Optional[int] = None,
    ) -> Any:
        """The network of every hit of ``q`` (``ptsearch graph``) as a networkx.Graph: nodes
        keyed ``Type:ID`` with type, entity_id, name, documents; edges with documents, weight,
        npmi, relation_types ("Association:2;Bind:1") and evidence ("9001;9002"), the
        attributes of ptsearch's GraphML, so ``networkx.write_graphml`` writes it as is;
        ``G.graph`` holds query, total_hits, edges, weight and cuts. ``edges``: "comention",
        "sentence" (one sentence mentions both) or "relation"; ``weight``: "docs" or "npmi". Counts are
        exact over every hit. Raises ImportError without networkx."""
    def graph_frames(
        self,
        q: str,
        nodes: Optional[Union[str, Sequence[str]]] = None,
        edges: str = "comention",
        weight: str = "docs",
        min_docs: int = 1,
        max_nodes: Optional[int] = None,
        max_edges: Optional[int] = None,
    ) -> Tuple[pd.DataFrame, pd.DataFrame]:
        """The network as DataFrames. nodes: key, type, entity_id, name (string), documents
        (int64). edges: source, target (node keys, string), documents (int64), weight, npmi
        (float64), relation_types (object: dict type -> documents), evidence (object: list of
        document IDs)."""
    def graph_text(
        self,
        q: str,
        format: str = "graphml",
        nodes: Optional[Union[str, Sequence[str]]] = None,
        edges: str = "comention",
        weight: str = "docs",
        min_docs: int = 1,
        max_nodes: Optional[int] = None,
        max_edges: Optional[int] = None,
    ) -> str:
        """The network as the text of a graph file: "graphml", "cyjs", "xgmml", "tsv" or
        "jsonl" (``ptsearch graph --format``)."""
    def iter_documents(
        self, q: str, sort: str = "id", limit: Optional[int] = None
    ) -> Iterator[Dict[str, Any]]:
        """Every hit's document, streamed: ``{id, title, abstract, passages: [{kind,
        section?, text}], annotations: [{passage, start, end, text, type, subtype, ids}],
        relations: [{type, args, novelty?, arg_types?}], concepts?}``."""
    def annotations(self, q: str, sort: str = "id", limit: Optional[int] = None) -> pd.DataFrame:
        """One row per annotation of every hit. Columns: id, text, type, subtype (string),
        passage, start, end (Int64; characters within the passage, <NA> when the offsets
        could not be located), ids (object: list of normalized IDs)."""
    def relations(self, q: str, sort: str = "id", limit: Optional[int] = None) -> pd.DataFrame:
        """One row per relation of every hit. Columns (string): id, type, arg1, arg2,
        novelty, arg1_type, arg2_type (the last three <NA> when the source has none)."""
    def sentences(self, q: str, limit: int = 20) -> List[Dict[str, Any]]:
        """The matching sentences of the best matching documents, best first: ``[{rank, pmid,
        id, text, section, score, passage, sentence, start, end, annotations}]``
        (annotations as ``start|length|type|ID``, offsets in characters of the sentence)."""
    def sentences_frame(self, q: str, limit: int = 20) -> pd.DataFrame:
        """``sentences`` as a DataFrame. Columns: rank (int64), pmid, id, section, text
        (string), score (float64), annotations (object: list of str)."""
    def entities(
        self, prefix: str, type: Optional[str] = None, limit: int = 10
    ) -> List[Dict[str, Any]]:
        """Autocomplete: ``[{type, id, documents, exact, mentions: [[text, documents]]}]``."""
    def entity(
        self, id: str, type: Optional[str] = None, mentions: Optional[int] = None
    ) -> Optional[Dict[str, Any]]:
        """The object of ``ptsearch entity TEXT --format json`` with the most documents
        (``{type, id, name, documents, relation_documents, mentions, co_mentioned,
        related}``) for an ID, typed ID or name (``"5133"``, ``"gene:BRAF"``,
        ``"@GENE_BRAF"``, ``("5133", type="Gene")``); None when nothing matches."""
    def relations_of(
        self,
        entity: str,
        type: Optional[str] = None,
        partner_type: Optional[str] = None,
        query: Optional[str] = None,
        limit: Optional[int] = None,
        evidence: bool = False,
    ) -> pd.DataFrame:
        """Relation partners, one row per (relation type, partner), most documents first:
        ``type, source_type, source_id, target_type, target_id, name`` (string), ``documents``
        (int64), ``ids`` (list of evidence document IDs); with ``evidence``, also
        ``evidence_id, evidence`` (string: a sentence naming both, <NA> when none)."""
        ...
    def document(self, id: str) -> Optional[Dict[str, Any]]:
        """The document with this ID (the iter_documents shape), or None."""
    def stats(self) -> Dict[str, Any]:
        """``{documents, annotations, concepts, distinct_ids, relations, segments,
        bytes_on_disk, schema_version, sources}``."""
    def watch_add(self, name: str, query: str) -> Dict[str, Any]:
        """Saves a watch: ``{name, query, mark, origin, added_at, checked_at}``. ValueError
        for a name in use or invalid, QueryError for a bad query."""
    def watch_rm(self, name: str) -> Dict[str, Any]:
        """Removes a watch and returns it; ValueError if unknown."""
    def watches(self) -> List[Dict[str, Any]]:
        """The watches, in the order they were added."""
    def news(
        self,
        name: Optional[str] = None,
        *,
        peek: bool = False,
        since: Optional[str] = None,
        updated: bool = False,
        limit: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """One ``{watch, query, since_commit, until_commit, new, updated, warnings}`` per
        watch (documents ``{id, title, score, date, indexed_at, changed_at, entities}``);
        moves the marks unless ``peek`` or ``since`` ("YYYY-MM-DD")."""
    def similar(self, id: str, limit: int = 10) -> Optional[SearchResult]:
        """Related articles of ``id`` (never ``id`` itself), or None for an unknown ID."""
    def vocab_add(
        self, path: _PathLike, taxa: Optional[Iterable[int]] = None
    ) -> Dict[str, Any]:
        """Loads a vocabulary file (MeSH desc/supp XML, NCBI gene_info or gene_orthologs,
        plain or gzip): ``{kind, file, version, records, added}``."""
    def vocab(self) -> List[Dict[str, Any]]:
        """The index's vocabularies: ``[{kind, file, version, records, added}]``."""
    def tree(self, id: str) -> Dict[str, Any]:
        """The MeSH tree around a descriptor: ``{node, parents, children}``, each ``{id, name,
        trees, documents, with_narrower}``. Raises ValueError without a MeSH vocabulary."""
    def vocab_remove(self, kind: str) -> bool:
        """Removes the vocabulary of a kind; False when there was none."""

def index(
    paths: Union[_PathLike, Iterable[_PathLike]],
    index_path: _PathLike,
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
    """Builds or updates an index like ``ptsearch index`` (progress and summary on stderr;
    ``format``: auto, pubtator, bioc-xml, bioc-json, pubmed-xml, tar; ``source`` names the
    annotation layer of every input, by default each input's own name; ``replace`` turns layers
    off, so that a document read again replaces the stored one whole). Returns the summary: {documents_written,
    added, replaced, rejected, skipped_lines, annotations, relations, ..., total_documents}.
    Raises InputError (strict mode), OSError (unreadable input), IndexError."""
