//! Per-document tables as columns: one row per annotation or relation of every hit, built
//! from the library's JSONL document view without the GIL, then handed to Python as a dict of
//! lists (pandas builds a frame from it without a Python object per row); and the per-type
//! entity IDs of a page of hits ([`HitEntityIds`]), computed only when the hits frame asks.

use ptsearch::output::jsonl::DocumentView;
use ptsearch::pubtator::ids::{canonical_type, split_ids};
use ptsearch::pubtator::Document;
use ptsearch::search::Ranked;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::BTreeMap;

/// The documents of a page of hits, kept for [`entity_ids`]: `SearchResult.to_pandas` is the
/// only user, so a search does not pay for them (`ids()` gives one `{type: [id, ...]}` per hit).
#[pyclass(frozen, module = "ptsearch._ptsearch")]
pub struct HitEntityIds {
    docs: Vec<Document>,
}

impl HitEntityIds {
    pub(crate) fn new(docs: Vec<Document>) -> HitEntityIds {
        HitEntityIds { docs }
    }
}

#[pymethods]
impl HitEntityIds {
    /// `[{type: [id, ...]}]`, one dict per hit, in rank order.
    fn ids(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let docs = &self.docs;
        let ids: Vec<_> = py.detach(|| docs.iter().map(entity_ids).collect());
        Ok(crate::topy::to_py(py, &ids)?.unbind())
    }

    fn __len__(&self) -> usize {
        self.docs.len()
    }
}

/// The IDs of every entity `doc` is annotated with (annotations, then bulk concepts), by
/// canonical type, each once, in order of first appearance.
pub(crate) fn entity_ids(doc: &Document) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut push = |t: &str, id: String| {
        let ids = out.entry(t.to_string()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    };
    for a in &doc.annotations {
        if let Some(raw) = a.raw_id.as_deref() {
            let t = canonical_type(&a.raw_type);
            for id in split_ids(raw) {
                push(t, id);
            }
        }
    }
    for c in &doc.concepts {
        let t = canonical_type(&c.raw_type);
        for id in &c.ids {
            push(t, id.clone());
        }
    }
    out
}

/// Columns of the annotations table.
#[derive(Default)]
pub(crate) struct Annotations {
    id: Vec<String>,
    passage: Vec<Option<u32>>,
    start: Vec<Option<u32>>,
    end: Vec<Option<u32>>,
    text: Vec<String>,
    entity_type: Vec<String>,
    subtype: Vec<String>,
    ids: Vec<Vec<String>>,
}

impl Annotations {
    /// Loads every document of `ranked` and collects its annotations.
    pub(crate) fn collect(ranked: &Ranked) -> ptsearch::Result<Annotations> {
        let mut c = Annotations::default();
        for doc in ranked.documents() {
            let doc = doc?;
            let view = DocumentView::of(&doc);
            for a in view.annotations {
                c.id.push(doc.id.clone());
                c.passage.push(a.passage);
                c.start.push(a.start);
                c.end.push(a.end);
                c.text.push(a.text.to_string());
                c.entity_type.push(a.entity_type.to_string());
                c.subtype.push(a.subtype.to_string());
                c.ids.push(a.ids);
            }
        }
        Ok(c)
    }

    /// `{column: list}`.
    pub(crate) fn into_py_dict(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let d = PyDict::new(py);
        d.set_item("id", self.id)?;
        d.set_item("passage", self.passage)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("text", self.text)?;
        d.set_item("type", self.entity_type)?;
        d.set_item("subtype", self.subtype)?;
        d.set_item("ids", self.ids)?;
        Ok(d.into_any().unbind())
    }
}

/// Columns of the relations table.
#[derive(Default)]
pub(crate) struct Relations {
    id: Vec<String>,
    rel_type: Vec<String>,
    arg1: Vec<String>,
    arg2: Vec<String>,
    novelty: Vec<Option<String>>,
    arg1_type: Vec<Option<String>>,
    arg2_type: Vec<Option<String>>,
}

impl Relations {
    /// Loads every document of `ranked` and collects its relations.
    pub(crate) fn collect(ranked: &Ranked) -> ptsearch::Result<Relations> {
        let mut c = Relations::default();
        for doc in ranked.documents() {
            let doc = doc?;
            let view = DocumentView::of(&doc);
            for r in view.relations {
                c.id.push(doc.id.clone());
                c.rel_type.push(r.rel_type.to_string());
                c.arg1.push(r.args[0].to_string());
                c.arg2.push(r.args[1].to_string());
                c.novelty.push(r.novelty.map(str::to_string));
                c.arg1_type.push(r.arg_types.first().cloned());
                c.arg2_type.push(r.arg_types.get(1).cloned());
            }
        }
        Ok(c)
    }

    /// `{column: list}`.
    pub(crate) fn into_py_dict(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let d = PyDict::new(py);
        d.set_item("id", self.id)?;
        d.set_item("type", self.rel_type)?;
        d.set_item("arg1", self.arg1)?;
        d.set_item("arg2", self.arg2)?;
        d.set_item("novelty", self.novelty)?;
        d.set_item("arg1_type", self.arg1_type)?;
        d.set_item("arg2_type", self.arg2_type)?;
        Ok(d.into_any().unbind())
    }
}
