//! `ptsearch stats`: what an index holds, computed from the index itself (live documents only).

use crate::error::Result;
use crate::index::commit::{CommitInfo, SourceRecord};
use crate::index::schema::SCHEMA_VERSION;
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
    // Concepts are counted in `type` too.
    let annotations = scan_prefix(&searcher, f.entity_type, b"", usize::MAX, true)?
        .into_iter()
        .map(|(k, c)| {
            let k = utf8(k);
            let n = c
                .occurrences
                .saturating_sub(concepts.get(&k).copied().unwrap_or(0));
            (k, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
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
    Ok(IndexStats {
        documents: searcher.num_docs(),
        annotations,
        concepts,
        distinct_ids,
        relations,
        segments: searcher.segment_readers().len(),
        bytes_on_disk,
        schema_version: SCHEMA_VERSION,
        sources: CommitInfo::load(&index.index).sources,
    })
}
