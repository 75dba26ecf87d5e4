//! `ptsearch stats`: what an index holds, computed from the index itself (live documents only).

use crate::error::Result;
use crate::index::commit::{CommitInfo, SourceRecord};
use crate::index::schema::SCHEMA_VERSION;
use crate::index::tally::{self, Counter};
use crate::index::terms::scan_prefix;
use crate::index::PtIndex;
use serde::Serialize;
use std::collections::BTreeMap;

/// Index statistics; the JSON form is a stable interface for scripts.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Live documents.
    pub documents: u64,
    /// Annotations per canonical type.
    pub annotations: BTreeMap<String, u64>,
    /// Attached PubTator3 bulk concepts per canonical type (one per concept and document).
    pub concepts: BTreeMap<String, u64>,
    /// Distinct normalized IDs per canonical type.
    pub distinct_ids: BTreeMap<String, u64>,
    /// Relations per relation type (as written).
    pub relations: BTreeMap<String, u64>,
    /// Number of segments.
    pub segments: usize,
    /// Bytes of every file in the index directory.
    pub bytes_on_disk: u64,
    /// On-disk schema version.
    pub schema_version: u32,
    /// Inputs indexed so far (from the last commit).
    pub sources: Vec<SourceRecord>,
    /// Documents, annotations and relations per source (annotation layer) name.
    pub per_source: BTreeMap<String, SourceCounts>,
    /// Documents with annotation layers from more than one source.
    pub multi_source_documents: u64,
    /// Sources whose document IDs are not PMIDs (`index --ids local`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub local_id_sources: Vec<String>,
}

/// What one source contributes.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SourceCounts {
    /// Documents with a layer of this source.
    pub documents: u64,
    /// Annotations of its layers.
    pub annotations: u64,
    /// Relations of its layers.
    pub relations: u64,
}

/// Per-source counts: documents from the `d|` terms of the `source` field, annotations and
/// relations from the `tally` column.
fn per_source(
    searcher: &tantivy::Searcher,
    f: &crate::index::schema::Fields,
) -> Result<BTreeMap<String, SourceCounts>> {
    let mut out: BTreeMap<String, SourceCounts> = BTreeMap::new();
    for (k, c) in scan_prefix(searcher, f.source, b"d|", usize::MAX, true)? {
        let name = utf8(k[2..].to_vec());
        out.entry(name).or_default().documents = c.docs;
    }
    let wanted: Vec<(Counter, String)> = out
        .keys()
        .flat_map(|n| {
            [
                (Counter::SourceAnnotations, n.clone()),
                (Counter::SourceRelations, n.clone()),
            ]
        })
        .collect();
    let sums = tally::sums(searcher, &wanted)?;
    for ((c, name), sum) in wanted.iter().zip(sums) {
        let e = out.entry(name.clone()).or_default();
        let n = sum.ok_or_else(|| collision(name))?;
        match c {
            Counter::SourceAnnotations => e.annotations = n,
            _ => e.relations = n,
        }
    }
    Ok(out)
}

/// The error of two counters whose `tally` keys collide (40-bit hashes of a handful of names:
/// not expected to happen; never answered with a wrong count).
fn collision(name: &str) -> crate::error::Error {
    crate::error::Error::Corrupt(format!(
        "the per-document counts of '{name}' share their key with another name; \
         the annotation counts cannot be told apart"
    ))
}

fn utf8(k: Vec<u8>) -> String {
    String::from_utf8_lossy(&k).into_owned()
}

/// Computes the statistics of an index.
pub fn index_stats(index: &PtIndex) -> Result<IndexStats> {
    let searcher = index.searcher()?;
    let f = &index.fields;
    let concepts: BTreeMap<String, u64> =
        scan_prefix(&searcher, f.concept_type, b"", usize::MAX, true)?
            .into_iter()
            .map(|(k, c)| (utf8(k), c.occurrences))
            .collect();
    let types: Vec<(Counter, String)> =
        scan_prefix(&searcher, f.entity_type, b"", usize::MAX, false)?
            .into_keys()
            .map(|k| (Counter::TypeAnnotations, utf8(k)))
            .collect();
    let mut annotations = BTreeMap::new();
    for ((_, t), sum) in types.iter().zip(tally::sums(&searcher, &types)?) {
        let n = sum.ok_or_else(|| collision(t))?;
        if n > 0 {
            annotations.insert(t.clone(), n);
        }
    }
    let relations = scan_prefix(&searcher, f.relation_type, b"", usize::MAX, true)?
        .into_iter()
        .map(|(k, c)| (utf8(k), c.occurrences))
        .collect();
    let distinct_ids = crate::index::terms::distinct_ids(&searcher)?;
    let bytes_on_disk = std::fs::read_dir(&index.path)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    let info = CommitInfo::load(&index.index);
    Ok(IndexStats {
        documents: searcher.num_docs(),
        annotations,
        concepts,
        distinct_ids,
        relations,
        segments: searcher.segment_readers().len(),
        bytes_on_disk,
        schema_version: SCHEMA_VERSION,
        sources: info.sources,
        local_id_sources: info.local_ids,
        per_source: per_source(&searcher, f)?,
        multi_source_documents: multi_source_documents(&searcher, f)?,
    })
}

/// Documents whose `meta` facet column holds more than one `source` value.
fn multi_source_documents(
    searcher: &tantivy::Searcher,
    f: &crate::index::schema::Fields,
) -> Result<u64> {
    let _ = f.meta;
    let mut n = 0u64;
    let start = crate::index::schema::meta_facet("source", "");
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str("meta")? else {
            continue;
        };
        let dict = column.dictionary();
        let lo = match dict
            .term_ord_or_next(start.as_bytes())
            .map_err(tantivy::TantivyError::from)?
        {
            tantivy::columnar::TermOrdHit::Exact(o) | tantivy::columnar::TermOrdHit::Next(o) => o,
        };
        let mut end = start.clone().into_bytes();
        if let Some(last) = end.last_mut() {
            *last = 1;
        }
        let hi = match dict
            .term_ord_or_next(&end)
            .map_err(tantivy::TantivyError::from)?
        {
            tantivy::columnar::TermOrdHit::Exact(o) | tantivy::columnar::TermOrdHit::Next(o) => o,
        };
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let sources = column
                .term_ords(doc)
                .filter(|o| *o >= lo && *o < hi)
                .count();
            if sources > 1 {
                n += 1;
            }
        }
    }
    Ok(n)
}
