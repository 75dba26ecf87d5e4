//! Evidence sentences: the sentences of a hit that hold the most of what the query matched
//! (queried entities and words, from the highlighter's spans), read from the sentence starts
//! of the stored record. Used by every hit ([`crate::search::Hit::evidence`]) and by the
//! `sentences` answer.

use crate::pubtator::sentences::{Sentence, Sentences};
use crate::pubtator::{DisplayField, Document};
use crate::search::highlight::{HighlightSpan, SpanKind};
use serde::Serialize;

/// Evidence sentences per hit at most.
pub const MAX_EVIDENCE: usize = 3;

/// A marked range inside an evidence sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceSpan {
    /// Start, in chars of the passage.
    pub start: usize,
    /// End (exclusive), in chars of the passage.
    pub end: usize,
    /// The marked text.
    pub text: String,
    /// `term` or `entity`.
    pub kind: SpanKind,
    /// Canonical type, for entities.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// The annotation's IDs, for entities.
    #[serde(rename = "entity_id", skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
}

/// One sentence of a hit with the query's matches inside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Stable ID: `PMID:passage:sentence` (both 0-based).
    pub id: String,
    /// Passage index in the document.
    pub passage: u32,
    /// The passage's section type, when the source gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Sentence number inside the passage (0-based).
    pub sentence: u32,
    /// Start, in chars of the passage.
    pub start: u32,
    /// End (exclusive), in chars of the passage.
    pub end: u32,
    /// The sentence.
    pub text: String,
    /// How well it answers the query: distinct queried entities, then distinct words, then
    /// marks (higher is better).
    pub score: f32,
    /// The entity and term spans inside it.
    pub spans: Vec<EvidenceSpan>,
}

/// A highlight span placed in its passage: (passage, start, end) in chars.
fn place(
    doc: &Document,
    fields: &[(DisplayField, u32)],
    s: &HighlightSpan,
) -> Option<(u32, u32, u32)> {
    let (start, end) = (s.start as u32, s.end as u32);
    let mut best = None;
    for (p, (field, offset)) in fields.iter().enumerate() {
        if *field != s.field || start < *offset {
            continue;
        }
        let len = doc.passages[p].text.chars().count() as u32;
        if end <= offset + len {
            best = Some((p as u32, start - offset, end - offset));
        }
    }
    best
}

/// The best sentences of `doc` for the highlight `spans`, best first, at most `max`.
pub fn evidence(
    doc: &Document,
    sentences: &Sentences,
    spans: &[HighlightSpan],
    max: usize,
) -> Vec<Evidence> {
    if spans.is_empty() || max == 0 {
        return Vec::new();
    }
    let fields = doc.passage_fields();
    let listed = sentences.list(doc.passages.iter().map(|p| p.text.as_str()));
    // Per sentence, the spans inside it.
    let mut per: Vec<Vec<(u32, u32, &HighlightSpan)>> = vec![Vec::new(); listed.len()];
    for s in spans {
        let Some((p, start, end)) = place(doc, &fields, s) else {
            continue;
        };
        if let Some(i) = listed
            .iter()
            .position(|x| x.passage == p && x.start <= start && end <= x.end.max(x.start + 1))
        {
            per[i].push((start, end, s));
        }
    }
    let mut scored: Vec<(f32, usize)> = per
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(i, v)| (sentence_score(v), i))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(max)
        .map(|(score, i)| make(doc, &listed[i], score, &per[i]))
        .collect()
}

/// Distinct queried entities (a pair or more counts first), then distinct words, then marks.
fn sentence_score(v: &[(u32, u32, &HighlightSpan)]) -> f32 {
    let mut entities: Vec<&str> = v
        .iter()
        .filter(|(_, _, s)| s.kind == SpanKind::Entity)
        .filter_map(|(_, _, s)| s.entity_id.as_deref())
        .collect();
    entities.sort_unstable();
    entities.dedup();
    let mut words: Vec<String> = v
        .iter()
        .filter(|(_, _, s)| s.kind == SpanKind::Term)
        .map(|(_, _, s)| s.text.to_lowercase())
        .collect();
    words.sort_unstable();
    words.dedup();
    let pair = if entities.len() >= 2 { 100.0 } else { 0.0 };
    pair + 10.0 * entities.len() as f32 + words.len() as f32 + 0.01 * v.len() as f32
}

fn make(
    doc: &Document,
    s: &Sentence,
    score: f32,
    inside: &[(u32, u32, &HighlightSpan)],
) -> Evidence {
    let passage = &doc.passages[s.passage as usize];
    let text = s.text(doc);
    let mut spans: Vec<EvidenceSpan> = inside
        .iter()
        .map(|(start, end, h)| EvidenceSpan {
            start: *start as usize,
            end: *end as usize,
            text: h.text.clone(),
            kind: h.kind,
            entity_type: h.entity_type.clone(),
            entity_id: h.entity_id.clone(),
        })
        .collect();
    spans.sort_by_key(|x| (x.start, x.end));
    Evidence {
        id: format!("{}:{}:{}", doc.id, s.passage, s.in_passage),
        passage: s.passage,
        section: passage.section.clone(),
        sentence: s.in_passage,
        start: s.start,
        end: s.end,
        text,
        score,
        spans,
    }
}
