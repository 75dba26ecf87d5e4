//! Commit marks, read by both sides: every document carries the sequence number of the commit
//! that first indexed it (`first_commit`) and of the last commit that wrote it
//! (`last_commit`), two fast `u64` columns. The write side (`ingest::writer`) sets them on
//! every document it adds, keeping the stored `first_commit` of an ID it already holds (a new
//! layer, `--replace`, a renamed source); the read side (`watch`) tells new documents from
//! updated ones by comparing them with a saved mark. The sequence numbers themselves live in
//! the commit payload ([`crate::index::commit::CommitInfo::seq`]), so the data and the numbers
//! are committed together.

use crate::error::Result;
use crate::index::schema::Fields;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// Name of the column with the commit that first indexed a document.
pub const FIRST_COMMIT: &str = "first_commit";
/// Name of the column with the last commit that wrote a document.
pub const LAST_COMMIT: &str = "last_commit";

/// The commit marks of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    /// Sequence number of the commit that first indexed the document.
    pub first: u64,
    /// Sequence number of the last commit that wrote it (a new layer, bulk concepts).
    pub last: u64,
}

impl Marks {
    /// Adds the two columns to a document about to be written.
    pub fn add_to(self, fields: &Fields, td: &mut TantivyDocument) {
        td.add_u64(fields.first_commit, self.first);
        td.add_u64(fields.last_commit, self.last);
    }
}

/// The marks of the document at `address` (0 for a column the document lacks).
pub fn marks_at(searcher: &Searcher, address: DocAddress) -> Result<Marks> {
    let reader = searcher.segment_reader(address.segment_ord);
    let col = |name: &str| -> Result<u64> {
        Ok(reader
            .fast_fields()
            .u64(name)?
            .first(address.doc_id)
            .unwrap_or(0))
    };
    Ok(Marks {
        first: col(FIRST_COMMIT)?,
        last: col(LAST_COMMIT)?,
    })
}

/// The marks of the live document with `id` in `searcher`, `None` when it holds none.
pub fn marks_of(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<Marks>> {
    let q = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    match searcher.search(&q, &DocSetCollector)?.into_iter().min() {
        Some(address) => Ok(Some(marks_at(searcher, address)?)),
        None => Ok(None),
    }
}
