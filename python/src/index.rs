//! The `Index` class: an open index shared by any number of Python threads (the library's
//! `PtIndex` is `Sync`; every call releases the GIL while the library works), and
//! `DocumentIter`, which streams the documents of a ranked result set one at a time.

use crate::columns::{self, HitEntityIds};
use crate::errors::{bad_arg, to_py};
use crate::topy;
use ptsearch::index::find_document;
use ptsearch::index::stats::index_stats;
use ptsearch::output::graph::{write_graph, GraphFormat};
use ptsearch::output::jsonl::DocumentView;
use ptsearch::search::entity::{entity_profiles, suggest};
use ptsearch::search::facets::FacetRequest;
use ptsearch::search::facets::{FacetScope, FacetSort};
use ptsearch::search::graph::{build_graph, EdgeKind, GraphRequest, Weight};
use ptsearch::search::{ranked, search, Ranked, SearchRequest};
use ptsearch::PtIndex;

/// Co-mentioned and related entities per type in `Index.entity` (the CLI's `entity --top`
/// default).
const ENTITY_TOP: usize = 5;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A library option value from its name (the message of an unknown one is the CLI's).
fn named<T: std::str::FromStr<Err = ptsearch::Error>>(value: &str) -> PyResult<T> {
    value
        .parse()
        .map_err(|e: ptsearch::Error| bad_arg(e.to_string()))
}

/// A watch's refusal (a name in use, an invalid name) or unknown name is a `ValueError`.
fn watch_err(py: Python<'_>, e: ptsearch::Error) -> PyErr {
    match e {
        ptsearch::Error::Refused(_) | ptsearch::Error::UnknownValue { .. } => {
            bad_arg(e.to_string())
        }
        e => to_py(py, e),
    }
}

/// An open ptsearch index.
#[pyclass(frozen, module = "ptsearch._ptsearch")]
pub struct Index {
    inner: Arc<PtIndex>,
}

#[pymethods]
impl Index {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Index> {
        let inner = py
            .detach(|| PtIndex::open(&path))
            .map_err(|e| to_py(py, e))?;
        Ok(Index {
            inner: Arc::new(inner),
        })
    }

    /// The index directory.
    #[getter]
    fn path(&self) -> PathBuf {
        self.inner.path.clone()
    }

    /// One page of hits: `{"result": <CLI JSON summary with "hits">, "entity_ids":
    /// HitEntityIds}` (the entity IDs of each hit's document, by type, made on demand).
    #[pyo3(signature = (query, limit=10, offset=0, facets=false, sort="relevance", facet_top=10, facet_types=None, highlights=true, facet_sort="count", facet_scope="document", facet_level=None))]
    #[allow(clippy::too_many_arguments)]
    fn search(
        &self,
        py: Python<'_>,
        query: String,
        limit: Option<usize>,
        offset: usize,
        facets: bool,
        sort: &str,
        facet_top: usize,
        facet_types: Option<Vec<String>>,
        highlights: bool,
        facet_sort: &str,
        facet_scope: &str,
        facet_level: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let types = facet_types.unwrap_or_default();
        let facet_sort: FacetSort = named(facet_sort)?;
        let facet_scope: FacetScope = named(facet_scope)?;
        let max = ptsearch::search::tree::MAX_FACET_LEVEL;
        if facet_level.is_some_and(|l| l == 0 || l > max) {
            return Err(bad_arg(format!("facet_level must be 1..={max}")));
        }
        let want = facets
            || !types.is_empty()
            || facet_sort.wants_facets()
            || facet_scope == FacetScope::Sentence
            || facet_level.is_some();
        let request = SearchRequest {
            query,
            offset,
            limit,
            facets: want.then_some(FacetRequest {
                top: facet_top,
                types,
                sort: facet_sort,
                scope: facet_scope,
                level: facet_level,
            }),
            order: named(sort)?,
            highlights,
        };
        let index = &self.inner;
        let result = py
            .detach(|| search(index, &request))
            .map_err(|e| to_py(py, e))?;
        let answer = PyDict::new(py);
        answer.set_item(intern!(py, "result"), topy::to_py(py, &result)?)?;
        let docs = result.hits.into_iter().map(|h| h.document).collect();
        answer.set_item(intern!(py, "entity_ids"), HitEntityIds::new(docs))?;
        Ok(answer.into_any().unbind())
    }

    /// The network of every hit of `query` (`ptsearch graph`): `{"query", "total_hits",
    /// "nodes": [...], "edges": [...], "cuts", ...}` as `--format jsonl` gives it, edges naming
    /// their nodes by position; with `format`, the file text in that graph format instead.
    #[pyo3(signature = (query, nodes=None, edges="comention", weight="docs", min_docs=1, max_nodes=None, max_edges=None, format=None))]
    #[allow(clippy::too_many_arguments)]
    fn graph(
        &self,
        py: Python<'_>,
        query: String,
        nodes: Option<Vec<String>>,
        edges: &str,
        weight: &str,
        min_docs: u64,
        max_nodes: Option<usize>,
        max_edges: Option<usize>,
        format: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let request = GraphRequest {
            query,
            node_types: nodes.unwrap_or_default(),
            edges: named::<EdgeKind>(edges)?,
            weight: named::<Weight>(weight)?,
            min_docs,
            max_nodes,
            max_edges,
        };
        let format: Option<GraphFormat> = format.map(named).transpose()?;
        let index = &self.inner;
        let graph = py
            .detach(|| build_graph(index, &request))
            .map_err(|e| to_py(py, e))?;
        match format {
            None => Ok(topy::to_py(py, &graph)?.unbind()),
            Some(f) => {
                let mut out = Vec::new();
                write_graph(&mut out, &graph, f).map_err(|e| bad_arg(e.to_string()))?;
                let text = String::from_utf8(out).map_err(|e| bad_arg(e.to_string()))?;
                Ok(text.into_pyobject(py)?.into_any().unbind())
            }
        }
    }

    /// Every hit's document (the JSONL export shape), streamed.
    #[pyo3(signature = (query, sort="id", limit=None))]
    fn documents(
        &self,
        py: Python<'_>,
        query: String,
        sort: &str,
        limit: Option<usize>,
    ) -> PyResult<DocumentIter> {
        let ranked = self.rank(py, query, sort, limit)?;
        Ok(DocumentIter {
            ranked,
            next: Mutex::new(0),
        })
    }

    /// One row per annotation of every hit, as columns (`{name: list}`).
    #[pyo3(signature = (query, sort="id", limit=None))]
    fn annotation_columns(
        &self,
        py: Python<'_>,
        query: String,
        sort: &str,
        limit: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let ranked = self.rank(py, query, sort, limit)?;
        let cols = py
            .detach(|| columns::Annotations::collect(&ranked))
            .map_err(|e| to_py(py, e))?;
        cols.into_py_dict(py)
    }

    /// One row per relation of every hit, as columns (`{name: list}`).
    #[pyo3(signature = (query, sort="id", limit=None))]
    fn relation_columns(
        &self,
        py: Python<'_>,
        query: String,
        sort: &str,
        limit: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let ranked = self.rank(py, query, sort, limit)?;
        let cols = py
            .detach(|| columns::Relations::collect(&ranked))
            .map_err(|e| to_py(py, e))?;
        cols.into_py_dict(py)
    }

    /// Relation partners of an entity (the rows of `relations --format json`), most documents
    /// first; `ids` lists every evidence document.
    #[pyo3(signature = (entity, r#type=None, partner_type=None, query=None, limit=None, evidence=false))]
    #[allow(clippy::too_many_arguments)]
    fn relations_of(
        &self,
        py: Python<'_>,
        entity: &str,
        r#type: Option<String>,
        partner_type: Option<String>,
        query: Option<String>,
        limit: Option<usize>,
        evidence: bool,
    ) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let q = ptsearch::search::relations::RelationQuery {
            entity: entity.to_string(),
            rel_type: r#type,
            partner_type,
            max_documents: usize::MAX,
            query,
            named: limit,
        };
        let rows = py
            .detach(|| {
                let mut rows = ptsearch::search::relations::relation_partners(index, &q)?;
                if let Some(n) = limit {
                    rows.truncate(n);
                }
                if evidence {
                    ptsearch::search::relation_evidence::add_evidence(index, &mut rows)?;
                }
                Ok(rows)
            })
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &rows)?.unbind())
    }

    /// The matching sentences of the best matching documents (the rows of `sentences --format
    /// json`), best first.
    #[pyo3(signature = (query, limit=20))]
    fn sentences(&self, py: Python<'_>, query: &str, limit: usize) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let answer = py
            .detach(|| ptsearch::search::sentences::sentences(index, query, limit))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &answer.sentences)?.unbind())
    }

    /// Autocomplete over the mention dictionary (the lines of `entities --format json`).
    #[pyo3(signature = (prefix, r#type=None, limit=10))]
    fn entities(
        &self,
        py: Python<'_>,
        prefix: &str,
        r#type: Option<&str>,
        limit: usize,
    ) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let found = py
            .detach(|| suggest(index, prefix, r#type, limit))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &found)?.unbind())
    }

    /// One entity, as `ptsearch entity --format json` answers it (the profile with the most
    /// documents): by ID (`5133`), typed ID or name (`gene:BRAF`, `@GENE_BRAF`); `type` puts
    /// the ID under that type; `mentions` bounds the mention forms. `None` when nothing in the
    /// index matches.
    #[pyo3(signature = (id, r#type=None, mentions=None))]
    fn entity(
        &self,
        py: Python<'_>,
        id: &str,
        r#type: Option<&str>,
        mentions: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let text = match r#type {
            Some(t) => format!("{}:{id}", t.trim().to_lowercase()),
            None => id.to_string(),
        };
        let index = &self.inner;
        let profile = py
            .detach(|| -> ptsearch::Result<_> {
                let mut found = entity_profiles(index, &text, ENTITY_TOP)?;
                Ok((!found.is_empty())
                    .then(|| found.swap_remove(0))
                    .map(|mut p| {
                        p.mentions.truncate(mentions.unwrap_or(usize::MAX));
                        p
                    }))
            })
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &profile)?.unbind())
    }

    /// The document with this ID (the JSONL export shape), or `None`.
    fn document(&self, py: Python<'_>, id: &str) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let doc = py
            .detach(|| find_document(index, id))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &doc.as_ref().map(DocumentView::of))?.unbind())
    }

    /// Index statistics (the object of `stats --format json`).
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let stats = py.detach(|| index_stats(index)).map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &stats)?.unbind())
    }

    /// Saves a watch (`ptsearch watch add`): its dict (`name, query, mark, origin, added_at,
    /// checked_at`).
    fn watch_add(&self, py: Python<'_>, name: &str, query: &str) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let w = py
            .detach(|| ptsearch::watch::add(index, name, query))
            .map_err(|e| watch_err(py, e))?;
        Ok(topy::to_py(py, &w)?.unbind())
    }

    /// Removes a watch (`ptsearch watch rm`); returns its dict.
    fn watch_rm(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let w = py
            .detach(|| ptsearch::watch::remove(index, name))
            .map_err(|e| watch_err(py, e))?;
        Ok(topy::to_py(py, &w)?.unbind())
    }

    /// The watches (`ptsearch watch list --format json`).
    fn watches(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let list = py
            .detach(|| ptsearch::watch::list(index))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &list)?.unbind())
    }

    /// Loads a vocabulary file (MeSH desc/supp XML, NCBI gene_info or gene_orthologs; plain
    /// or gzip) into the index: the object of `vocab list --format json` for it.
    #[pyo3(signature = (path, taxa=None))]
    fn vocab_add(
        &self,
        py: Python<'_>,
        path: PathBuf,
        taxa: Option<Vec<u64>>,
    ) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let options = ptsearch::vocab::AddOptions {
            taxa: taxa.unwrap_or_default(),
        };
        let info = py
            .detach(|| index.vocab_add(&path, &options, &mut |_| {}))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &info)?.unbind())
    }

    /// The index's vocabularies (the list of `vocab list --format json`).
    fn vocab(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let list = py
            .detach(|| ptsearch::vocab::list(&index.path))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &list)?.unbind())
    }

    /// The news of every watch or of `name` (the objects of `ptsearch news --format json`);
    /// moves the marks unless `peek` or `since` (`YYYY-MM-DD`).
    #[pyo3(signature = (name=None, peek=false, since=None, updated=false, limit=None))]
    fn news(
        &self,
        py: Python<'_>,
        name: Option<String>,
        peek: bool,
        since: Option<&str>,
        updated: bool,
        limit: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let since = since
            .map(ptsearch::watch::parse_day)
            .transpose()
            .map_err(|e| bad_arg(e.to_string()))?;
        let request = ptsearch::watch::NewsRequest {
            name,
            peek,
            since,
            updated,
            limit,
        };
        let index = &self.inner;
        let news = py
            .detach(|| ptsearch::watch::news(index, &request))
            .map_err(|e| watch_err(py, e))?;
        Ok(topy::to_py(py, &news)?.unbind())
    }

    /// Related articles of document `id` in the shape of `search` (`None` when the index
    /// has no such document).
    #[pyo3(signature = (id, limit=10))]
    fn similar(&self, py: Python<'_>, id: &str, limit: usize) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let found = py
            .detach(|| ptsearch::search::similar::similar(index, id, limit))
            .map_err(|e| to_py(py, e))?;
        let Some(result) = found else {
            return Ok(py.None());
        };
        let answer = PyDict::new(py);
        answer.set_item(intern!(py, "result"), topy::to_py(py, &result)?)?;
        let docs = result.hits.into_iter().map(|h| h.document).collect();
        answer.set_item(intern!(py, "entity_ids"), HitEntityIds::new(docs))?;
        Ok(answer.into_any().unbind())
    }

    /// The MeSH tree around a descriptor (the object of `entity ID --tree --format json`).
    fn tree(&self, py: Python<'_>, id: &str) -> PyResult<Py<PyAny>> {
        let index = &self.inner;
        let view = py
            .detach(|| ptsearch::search::tree::entity_tree(index, id))
            .map_err(|e| to_py(py, e))?;
        Ok(topy::to_py(py, &view)?.unbind())
    }

    /// Removes the vocabulary of a kind; false when there was none.
    fn vocab_remove(&self, py: Python<'_>, kind: &str) -> PyResult<bool> {
        let kind: ptsearch::vocab::VocabKind =
            ptsearch::names::parse_named(kind).map_err(|e| bad_arg(e.to_string()))?;
        let index = &self.inner;
        py.detach(|| ptsearch::vocab::remove(&index.path, kind))
            .map_err(|e| to_py(py, e))
    }

    fn __repr__(&self) -> String {
        format!(
            "ptsearch.Index({:?})",
            self.inner.path.display().to_string()
        )
    }
}

impl Index {
    /// Ranks every hit (or the first `limit`) without loading documents or highlighting.
    fn rank(
        &self,
        py: Python<'_>,
        query: String,
        sort: &str,
        limit: Option<usize>,
    ) -> PyResult<Ranked> {
        let request = SearchRequest {
            limit,
            order: named(sort)?,
            ..SearchRequest::export(query)
        };
        let index = &self.inner;
        py.detach(|| ranked(index, &request))
            .map_err(|e| to_py(py, e))
    }
}

/// The documents of a ranked result set, loaded one per `next()`.
#[pyclass(frozen, module = "ptsearch._ptsearch")]
pub struct DocumentIter {
    ranked: Ranked,
    next: Mutex<usize>,
}

#[pymethods]
impl DocumentIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let ranked = &self.ranked;
        let next = &self.next;
        let doc = py
            .detach(|| {
                let mut i = next.lock().unwrap_or_else(|e| e.into_inner());
                let Some(doc) = ranked.document(*i) else {
                    return Ok(None);
                };
                *i += 1;
                doc.map(Some)
            })
            .map_err(|e| to_py(py, e))?;
        doc.map(|d| Ok(topy::to_py(py, &DocumentView::of(&d))?.unbind()))
            .transpose()
    }

    /// Documents this iterator yields in all.
    fn __len__(&self) -> usize {
        self.ranked.len()
    }

    /// Every matching document (the iterator may be limited to fewer).
    #[getter]
    fn total_hits(&self) -> usize {
        self.ranked.summary.total_hits
    }
}
