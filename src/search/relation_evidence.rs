//! Evidence for relation partners (`relations ENTITY --evidence`): per row, a sentence that
//! mentions both the queried entity and the partner, from the row's evidence documents (in
//! their order), read from the stored records and their sentence starts.

use crate::error::Result;
use crate::index::{find_with_sentences, PtIndex};
use crate::pubtator::ids::{canonical_type, normalize_id, split_ids};
use crate::pubtator::Document;
use crate::search::relations::{RelationPartner, TypedId};
use serde::Serialize;
use std::collections::BTreeSet;

/// Evidence documents read per row at most.
pub const DOCUMENTS_PER_ROW: usize = 10;

/// A sentence that names both entities of a relation row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairSentence {
    /// The document.
    pub pmid: String,
    /// Stable sentence ID: `PMID:passage:sentence`.
    pub id: String,
    /// The sentence.
    pub text: String,
}

/// Sets `evidence` on each of `rows` that has a sentence naming both of its entities.
pub fn add_evidence(index: &PtIndex, rows: &mut [RelationPartner]) -> Result<()> {
    let searcher = index.searcher()?;
    for row in rows.iter_mut() {
        for pmid in row.ids.iter().take(DOCUMENTS_PER_ROW) {
            let Some((doc, sentences)) = find_with_sentences(&searcher, &index.fields, pmid)?
            else {
                continue;
            };
            let a = sentences_of(&doc, &sentences, &row.source);
            let b = sentences_of(&doc, &sentences, &row.target);
            let Some(&n) = a.intersection(&b).next() else {
                continue;
            };
            let listed = sentences.list(doc.passages.iter().map(|p| p.text.as_str()));
            if let Some(s) = listed.get(n as usize) {
                let text = s.text(&doc);
                row.evidence = Some(PairSentence {
                    pmid: pmid.clone(),
                    id: format!("{pmid}:{}:{}", s.passage, s.in_passage),
                    text,
                });
                break;
            }
        }
    }
    Ok(())
}

/// The sentences of `doc` that mention `entity` (its type, when known, and its ID among an
/// annotation's normalized IDs).
fn sentences_of(
    doc: &Document,
    sentences: &crate::pubtator::sentences::Sentences,
    entity: &TypedId,
) -> BTreeSet<u32> {
    let want = normalize_id(&entity.id).to_lowercase();
    let mut out = BTreeSet::new();
    for a in &doc.annotations {
        let ctype = canonical_type(&a.raw_type);
        if !entity.entity_type.is_empty() && !entity.entity_type.eq_ignore_ascii_case(ctype) {
            continue;
        }
        let named = split_ids(a.raw_id.as_deref().unwrap_or(""))
            .iter()
            .any(|id| id.to_lowercase() == want);
        if named {
            for s in a.spans() {
                out.insert(sentences.number_at(s.passage, s.start));
            }
        }
    }
    out
}
