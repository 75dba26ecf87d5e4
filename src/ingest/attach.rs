//! Read-modify-write of documents during ingest, for PubTator3 bulk rows ([`Patch`]es).
//!
//! A patch merges into the newest version of its document: one patched earlier in this run
//! (kept in [`Attach::pending`] until the next commit makes it searchable), else the indexed
//! one (looked up in the last commit), else a new entity-only document. Because text documents
//! written since the last commit are invisible to lookups, the pipeline commits before the
//! first patch that follows them ([`Attach::needs_commit_before_patch`]). Pending documents
//! are bounded by [`PENDING_BYTES`]; past it the pipeline commits, which empties them.
//!
//! When the index holds bulk concepts, a text document that replaces a document keeps that
//! document's concepts and bulk relations ([`carry_over`]), so the order in which text and
//! bulk files are indexed does not matter.

use crate::error::Result;
use crate::index::find_in;
use crate::index::schema::Fields;
use crate::pubtator::patch::carry_over;
use crate::pubtator::{Document, Patch};
use std::collections::HashMap;
use tantivy::Searcher;

/// Memory bound of the documents patched since the last commit.
pub const PENDING_BYTES: usize = 64 << 20;

/// State of the read-modify-write between commits.
#[derive(Debug, Default)]
pub struct Attach {
    /// Documents patched since the last commit, by ID (newest version).
    pending: HashMap<String, Document>,
    pending_bytes: usize,
    /// Text documents were written since the last commit.
    dirty: bool,
    /// Replacements must keep attached concepts (the index holds some, or this run added some).
    carry: bool,
}

/// Approximate heap size of a document.
fn doc_bytes(doc: &Document) -> usize {
    let text: usize = doc.passages.iter().map(|p| p.text.len() + 32).sum();
    let concepts: usize = doc
        .concepts
        .iter()
        .map(|c| {
            64 + c
                .mentions
                .iter()
                .chain(&c.ids)
                .map(|m| m.len() + 24)
                .sum::<usize>()
        })
        .sum();
    64 + text + concepts + 96 * (doc.annotations.len() + doc.relations.len())
}

/// True when some segment holds an attached concept.
pub fn index_has_concepts(searcher: &Searcher, fields: &Fields) -> Result<bool> {
    for reader in searcher.segment_readers() {
        if reader
            .inverted_index(fields.concept_type)?
            .terms()
            .num_terms()
            > 0
        {
            return Ok(true);
        }
    }
    Ok(false)
}

impl Attach {
    /// Starts with `carry` set when the index already holds concepts.
    pub fn new(carry: bool) -> Attach {
        Attach {
            carry,
            ..Attach::default()
        }
    }

    /// Whether replacements must look up the concepts of the document they replace.
    pub fn carry(&self) -> bool {
        self.carry
    }

    /// A commit is needed before patching: text written since the last commit is invisible.
    pub fn needs_commit_before_patch(&self) -> bool {
        self.dirty
    }

    /// A commit is due to bound the pending documents.
    pub fn over_budget(&self) -> bool {
        self.pending_bytes > PENDING_BYTES
    }

    /// Everything written is now searchable.
    pub fn committed(&mut self) {
        self.pending.clear();
        self.pending_bytes = 0;
        self.dirty = false;
    }

    /// Takes the newest pending version of `id` (to patch or replace it).
    pub fn take_pending(&mut self, id: &str) -> Option<Document> {
        let doc = self.pending.remove(id)?;
        self.pending_bytes = self.pending_bytes.saturating_sub(doc_bytes(&doc));
        Some(doc)
    }

    /// A pending version of `id`, if any.
    pub fn pending(&self, id: &str) -> Option<&Document> {
        self.pending.get(id)
    }

    /// Records a patched document as the newest version of its ID.
    pub fn patched(&mut self, doc: Document) {
        self.carry = true;
        self.pending_bytes += doc_bytes(&doc);
        if let Some(old) = self.pending.insert(doc.id.clone(), doc) {
            self.pending_bytes = self.pending_bytes.saturating_sub(doc_bytes(&old));
        }
    }

    /// Records a text document written over `id`.
    pub fn replaced(&mut self, id: &str) {
        self.take_pending(id);
        self.dirty = true;
    }
}

/// The merged document for a patch: `base` (pending version) or the indexed document or a
/// new entity-only one. Returns the document and whether it is new.
pub fn merge(
    searcher: &Searcher,
    fields: &Fields,
    base: Option<Document>,
    patch: Patch,
) -> Result<(Document, bool)> {
    let base = match base {
        Some(doc) => Some(doc),
        None => find_in(searcher, fields, &patch.id)?,
    };
    Ok(match base {
        Some(mut doc) => {
            patch.apply(&mut doc);
            (doc, false)
        }
        None => (patch.into_document(), true),
    })
}

/// Gives `doc` (a text document about to replace its ID) the attached concepts of the version
/// it replaces: the pending one, else the indexed one.
pub fn carry_into(
    searcher: &Searcher,
    fields: &Fields,
    pending: Option<&Document>,
    doc: &mut Document,
) -> Result<()> {
    let previous = match pending {
        Some(p) => Some(p.clone()),
        None => find_in(searcher, fields, &doc.id)?,
    };
    if let Some(previous) = previous {
        carry_over(previous, doc);
    }
    Ok(())
}
