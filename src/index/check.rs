//! `ptsearch check`: verifies an index the way Lucene's CheckIndex does — every segment opens,
//! file checksums match, the live document count agrees with the stored documents, every
//! document ID is unique, every stored document decodes, and every stored annotation span lies
//! within its passage. Also reports files no commit references (left by a killed writer; the
//! next `ptsearch index` removes them).

use crate::error::Result;
use crate::index::PtIndex;
use crate::pubtator::Document;
use serde::Serialize;
use std::collections::HashSet;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// What `check` found.
#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    /// Segments opened.
    pub segments: usize,
    /// Live documents according to the segment metadata.
    pub documents: u64,
    /// Stored documents read and verified.
    pub documents_checked: u64,
    /// Annotations whose span was verified.
    pub annotations_checked: u64,
    /// Files in the directory that no commit references.
    pub orphan_files: Vec<String>,
    /// Their total size.
    pub orphan_bytes: u64,
    /// Problems found; the index is sound when this is empty.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True when no problem was found.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn check_document(doc: &Document, stored_id: Option<&str>, report: &mut CheckReport) {
    if stored_id != Some(doc.id.as_str()) {
        report.problems.push(format!(
            "document {}: indexed ID {:?} differs from the stored record",
            doc.id, stored_id
        ));
    }
    for (i, a) in doc.annotations.iter().enumerate() {
        let Some(span) = a.span else { continue };
        report.annotations_checked += 1;
        let ok = doc.passages.get(span.passage as usize).is_some_and(|p| {
            span.start <= span.end && (span.end as usize) <= p.text.chars().count()
        });
        if !ok {
            report.problems.push(format!(
                "document {}: annotation {} span {:?} lies outside its passage",
                doc.id, i, span
            ));
        }
    }
}

/// Checks the index.
pub fn check_index(index: &PtIndex) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let metas = index.index.load_metas()?;
    let referenced: HashSet<std::path::PathBuf> = metas.list_segment_files();
    let mut corrupt: HashSet<std::path::PathBuf> = HashSet::new();
    match index.index.validate_checksum() {
        Ok(bad) => {
            for f in bad {
                report
                    .problems
                    .push(format!("checksum mismatch in {}", f.display()));
                corrupt.insert(f);
            }
        }
        Err(e) => report
            .problems
            .push(format!("cannot verify checksums: {e}")),
    }
    let searcher = index.searcher()?;
    report.segments = searcher.segment_readers().len();
    report.documents = searcher.num_docs();
    let mut numeric: Vec<u64> = Vec::new();
    let mut other: HashSet<String> = HashSet::new();
    let mut skipped_stores = false;
    for segment in searcher.segment_readers() {
        // tantivy trusts a document store's block index and can panic on a corrupted one (a
        // flipped byte there, rather than in a compressed block): a store whose checksum
        // failed is reported above and not read.
        let store_file = format!("{}.store", segment.segment_id().uuid_string());
        if corrupt.contains(std::path::Path::new(&store_file)) {
            skipped_stores = true;
            continue;
        }
        let store = match segment.get_store_reader(64) {
            Ok(s) => s,
            Err(e) => {
                report.problems.push(format!(
                    "segment {}: cannot open the document store: {e}",
                    segment.segment_id()
                ));
                continue;
            }
        };
        for (n, stored) in store
            .iter::<TantivyDocument>(segment.alive_bitset())
            .enumerate()
        {
            let td = match stored {
                Ok(td) => td,
                Err(e) => {
                    report.problems.push(format!(
                        "segment {} document {n}: unreadable: {e}",
                        segment.segment_id()
                    ));
                    continue;
                }
            };
            report.documents_checked += 1;
            let id = td
                .get_first(index.fields.id)
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let record = td.get_first(index.fields.doc).and_then(|v| v.as_bytes());
            match record.map(crate::pubtator::codec::decode) {
                Some(Ok(doc)) => check_document(&doc, id.as_deref(), &mut report),
                Some(Err(e)) => report.problems.push(format!(
                    "document {id:?}: stored record does not decode: {e}"
                )),
                None => report
                    .problems
                    .push(format!("document {id:?}: no stored record")),
            }
            if let Some(id) = id {
                let key = crate::index::schema::id_sort_key(&id);
                if key != u64::MAX {
                    numeric.push(key);
                } else if !other.insert(id.clone()) {
                    report
                        .problems
                        .push(format!("document ID {id} occurs more than once"));
                }
            }
        }
    }
    numeric.sort_unstable();
    for w in numeric.windows(2) {
        if w[0] == w[1] {
            report
                .problems
                .push(format!("document ID {} occurs more than once", w[0]));
        }
    }
    if report.documents_checked != report.documents && !skipped_stores {
        report.problems.push(format!(
            "{} live documents in the segment metadata but {} stored documents",
            report.documents, report.documents_checked
        ));
    }
    if let Ok(rd) = std::fs::read_dir(&index.path) {
        for entry in rd.flatten() {
            let name = std::path::PathBuf::from(entry.file_name());
            let looks_like_segment_file = name.extension().is_some_and(|e| {
                ["idx", "pos", "term", "store", "fast", "fieldnorm", "del"]
                    .contains(&e.to_string_lossy().as_ref())
            });
            if looks_like_segment_file && !referenced.contains(&name) {
                report.orphan_bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
                report.orphan_files.push(name.display().to_string());
            }
        }
    }
    report.orphan_files.sort();
    Ok(report)
}
