//! `ptsearch sources rename OLD NEW`, a write-side operation beside ingest: every document
//! with a layer of source OLD is read back, its layer renamed, and written again in one
//! commit (the commit payload carries over), so the name in `stats`, facets, `source:` and
//! exports changes everywhere at once. Takes the writer lock like an ingest run. A rename is
//! no news: the documents keep their commit marks.

use crate::error::{Error, Result};
use crate::index::commit::CommitInfo;
use crate::index::document::to_tantivy;
use crate::index::load_document;
use crate::PtIndex;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Renames source `old` to `new` in every document; returns the documents rewritten. A name
/// the index already uses, or an empty one, is refused (layers would silently merge).
pub fn rename_source(index: &PtIndex, old: &str, new: &str) -> Result<u64> {
    let new = new.trim();
    if new.is_empty() {
        return Err(Error::Refused("a source name cannot be empty".to_string()));
    }
    let searcher = index.searcher()?;
    let docs_of = |name: &str| -> Result<Vec<tantivy::DocAddress>> {
        let q = TermQuery::new(
            Term::from_field_text(index.fields.source, &format!("d|{name}")),
            IndexRecordOption::Basic,
        );
        let mut v: Vec<_> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
        v.sort();
        Ok(v)
    };
    if old == new {
        return Ok(0);
    }
    if !docs_of(new)?.is_empty() {
        return Err(Error::Refused(format!(
            "the index already has a source named '{new}'; pick another name"
        )));
    }
    let addresses = docs_of(old)?;
    if addresses.is_empty() {
        return Err(Error::Refused(format!(
            "the index has no source named '{old}' (see `ptsearch sources`)"
        )));
    }
    let mut writer = super::commit::lock_writer(index, 1, 64 << 20)?;
    let mut n = 0u64;
    for address in addresses {
        let mut doc = load_document(&searcher, index.fields.doc, address)?;
        for l in doc.layers.iter_mut().filter(|l| l.source == old) {
            l.source = new.to_string();
        }
        let mut td = to_tantivy(&index.fields, &doc);
        crate::index::marks::marks_at(&searcher, address)?.add_to(&index.fields, &mut td);
        writer.delete_term(Term::from_field_text(index.fields.id, &doc.id));
        writer.add_document(td)?;
        n += 1;
    }
    let mut info = CommitInfo::load(&index.index);
    for s in info.local_ids.iter_mut().filter(|s| s.as_str() == old) {
        *s = new.to_string();
    }
    super::commit::commit(&mut writer, &info)?;
    writer.wait_merging_threads()?;
    Ok(n)
}
