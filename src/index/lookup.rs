//! Stored-record lookup, read by both sides: the search side loads hits and `show`s documents,
//! the write side reads the stored version of a document it attaches bulk concepts to. Also the
//! per-segment ID column cache used for ranking ties.

use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::index::PtIndex;
use crate::pubtator::Document;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, SegmentReader, TantivyDocument};

/// The `id_num` column of each segment, opened once per segment instead of once per query:
/// opening it decodes the column's block table (about a third of an entity search on the
/// 100k bench index). Segments are immutable, so a segment ID always maps to the same column.
#[derive(Default)]
pub struct IdColumns {
    columns: Mutex<HashMap<SegmentId, Column<u64>>>,
}

impl IdColumns {
    /// The `id_num` column of `reader`'s segment.
    pub(crate) fn get(&self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        let id = reader.segment_id();
        let mut columns = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = columns.get(&id) {
            return Ok(c.clone());
        }
        let column = reader.fast_fields().u64("id_num")?;
        columns.insert(id, column.clone());
        Ok(column)
    }

    /// Forgets the columns of segments `searcher` no longer has (merged or deleted), so their
    /// files can be unmapped.
    pub(crate) fn retain(&self, searcher: &Searcher) {
        let mut columns = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        if columns.len() > searcher.segment_readers().len() {
            let live: HashSet<SegmentId> = searcher
                .segment_readers()
                .iter()
                .map(SegmentReader::segment_id)
                .collect();
            columns.retain(|id, _| live.contains(id));
        }
    }
}

/// The stored record (bytes) of the document at `address`, decoded by `decode`.
fn decode_at<T>(
    searcher: &Searcher,
    doc_field: tantivy::schema::Field,
    address: DocAddress,
    decode: impl FnOnce(&[u8]) -> std::result::Result<T, crate::pubtator::codec::DecodeError>,
) -> Result<T> {
    let td: TantivyDocument = searcher.doc(address)?;
    let bytes = td
        .get_first(doc_field)
        .and_then(|v| v.as_bytes())
        .ok_or_else(|| Error::Corrupt(format!("document {address:?} has no stored record")))?;
    decode(bytes).map_err(|e| Error::Corrupt(format!("document {address:?}: {e}")))
}

/// Decodes the stored document at `address`.
pub fn load_document(
    searcher: &Searcher,
    doc_field: tantivy::schema::Field,
    address: DocAddress,
) -> Result<Document> {
    decode_at(searcher, doc_field, address, crate::pubtator::codec::decode)
}

/// Decodes the stored document at `address` with its sentences (those stored at ingest, or
/// computed again for a record that has none).
pub fn load_with_sentences(
    searcher: &Searcher,
    doc_field: tantivy::schema::Field,
    address: DocAddress,
) -> Result<(Document, crate::pubtator::sentences::Sentences)> {
    let (doc, sentences) = decode_at(
        searcher,
        doc_field,
        address,
        crate::pubtator::codec::decode_with_sentences,
    )?;
    let sentences = sentences.unwrap_or_else(|| crate::pubtator::sentences::of_document(&doc));
    Ok((doc, sentences))
}

/// Finds one document by ID.
pub fn find_document(index: &PtIndex, id: &str) -> Result<Option<Document>> {
    find_in(&index.searcher()?, &index.fields, id)
}

/// The address of the live document with `id` in `searcher`.
fn address_of(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<DocAddress>> {
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(fields.id, id),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let hits = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
    Ok(hits.into_iter().min())
}

/// Finds the live document with `id` in `searcher` with its sentences.
pub fn find_with_sentences(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
) -> Result<Option<(Document, crate::pubtator::sentences::Sentences)>> {
    address_of(searcher, fields, id)?
        .map(|a| load_with_sentences(searcher, fields.doc, a))
        .transpose()
}

/// Finds the live document with `id` in `searcher` (a given commit).
pub fn find_in(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<Document>> {
    address_of(searcher, fields, id)?
        .map(|a| load_document(searcher, fields.doc, a))
        .transpose()
}
