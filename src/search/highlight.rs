//! Why a document matched, as neutral data: spans of query terms and phrases (found by
//! re-analyzing the text with the index's analyzer; a phrase is marked only where its words
//! are adjacent) and of the queried entities (taken from the stored
//! annotation offsets, never by re-matching text), plus the best fragments of the abstract.
//! All offsets are in characters of the field's text.

use crate::index::tokenizer::{index_tokens, BioTokenizer};
use crate::index::variant_terms::{is_variant_annotation, mention_spellings};
use crate::pubtator::ids::{canonical_type, id_parts, split_ids};
use crate::pubtator::{DisplayField, Document};
use crate::search::query::{CompiledQuery, EntityTarget};
use serde::Serialize;
use std::collections::BTreeSet;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// What a span marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    /// A query term.
    Term,
    /// An annotated mention of a queried entity.
    Entity,
}

/// A marked range of a field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HighlightSpan {
    /// `title` or `abstract`.
    pub field: DisplayField,
    /// Start, in chars of the field text.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
    /// The marked text.
    pub text: String,
    /// Term or entity.
    pub kind: SpanKind,
    /// Canonical type, for entities.
    pub entity_type: Option<String>,
    /// The annotation's ID column (canonical IDs joined by `,`), for entities.
    pub entity_id: Option<String>,
}

/// A window of the abstract worth showing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// Always `abstract` today.
    pub field: DisplayField,
    /// Start, in chars of the field text.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
    /// The text of the window.
    pub text: String,
}

/// Spans and fragments of one hit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Highlights {
    /// Every span, sorted by field then start.
    pub spans: Vec<HighlightSpan>,
    /// Best abstract fragments, best first.
    pub fragments: Vec<Fragment>,
}

/// Characters in a fragment.
pub const FRAGMENT_CHARS: usize = 220;
/// Fragments per hit at most.
pub const MAX_FRAGMENTS: usize = 3;

fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// Byte offset → char offset table for `text`.
fn byte_to_char(text: &str) -> impl Fn(usize) -> usize + '_ {
    move |b| text.get(..b).map_or(0, |s| s.chars().count())
}

fn term_spans(
    field: DisplayField,
    text: &str,
    terms: &BTreeSet<String>,
    out: &mut Vec<HighlightSpan>,
) {
    if terms.is_empty() || text.is_empty() {
        return;
    }
    let to_char = byte_to_char(text);
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (from, to, token) in index_tokens(text) {
        if terms.contains(&token) && seen.insert((from, to)) {
            let (s, e) = (to_char(from), to_char(to));
            out.push(HighlightSpan {
                field,
                start: s,
                end: e,
                text: text.get(from..to).unwrap_or("").to_string(),
                kind: SpanKind::Term,
                entity_type: None,
                entity_id: None,
            });
        }
    }
}

/// Every indexed token of `text` as (position, byte start, byte end, text).
fn positioned_tokens(text: &str) -> Vec<(usize, usize, usize, String)> {
    let mut tokenizer = BioTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
    }
    out
}

/// Marks each occurrence of each phrase (analyzed words at consecutive positions, as the
/// phrase query matches them) as one span from its first word to its last.
fn phrase_spans(
    field: DisplayField,
    text: &str,
    phrases: &BTreeSet<Vec<String>>,
    out: &mut Vec<HighlightSpan>,
) {
    if phrases.is_empty() || text.is_empty() {
        return;
    }
    let tokens = positioned_tokens(text);
    // Tokens at one position are contiguous; index the first of each position.
    let mut by_position: Vec<&[(usize, usize, usize, String)]> = Vec::new();
    let mut start = 0;
    for i in 1..=tokens.len() {
        if tokens.get(i).map(|t| t.0) != tokens.get(start).map(|t| t.0) {
            if let Some(group) = tokens.get(start..i) {
                by_position.push(group);
            }
            start = i;
        }
    }
    let to_char = byte_to_char(text);
    for phrase in phrases.iter().filter(|p| !p.is_empty()) {
        for p in 0..by_position.len() {
            let mut span: Option<(usize, usize)> = None;
            for (k, word) in phrase.iter().enumerate() {
                let hit = by_position
                    .get(p + k)
                    .and_then(|group| group.iter().find(|t| &t.3 == word));
                match hit {
                    Some(t) => span = Some((span.map_or(t.1, |s| s.0), t.2)),
                    None => {
                        span = None;
                        break;
                    }
                }
            }
            if let Some((from, to)) = span {
                out.push(HighlightSpan {
                    field,
                    start: to_char(from),
                    end: to_char(to),
                    text: text.get(from..to).unwrap_or("").to_string(),
                    kind: SpanKind::Term,
                    entity_type: None,
                    entity_id: None,
                });
            }
        }
    }
}

fn matches(targets: &BTreeSet<EntityTarget>, ctype: &str, ids: &[String]) -> bool {
    // Lookups, not a scan: an exploded vocabulary clause targets thousands of IDs.
    targets.contains(&EntityTarget::Type(ctype.to_string()))
        || ids.iter().any(|i| {
            [Some(ctype.to_string()), None]
                .into_iter()
                .any(|entity_type| {
                    targets.contains(&EntityTarget::Id {
                        entity_type,
                        id: i.clone(),
                    })
                })
        })
}

/// Every annotation of `doc` as an entity span (display field coordinates), with a flag
/// saying whether it matches `targets`.
pub fn entity_spans(
    doc: &Document,
    targets: &BTreeSet<EntityTarget>,
) -> Vec<(HighlightSpan, bool)> {
    let fields = doc.passage_fields();
    let mut out = Vec::new();
    for a in &doc.annotations {
        for span in a.spans() {
            entity_span(doc, &fields, a, span, targets, &mut out);
        }
    }
    out
}

/// One located piece of annotation `a` as an entity span.
fn entity_span(
    doc: &Document,
    fields: &[(DisplayField, u32)],
    a: &crate::pubtator::Annotation,
    span: crate::pubtator::Span,
    targets: &BTreeSet<EntityTarget>,
    out: &mut Vec<(HighlightSpan, bool)>,
) {
    let Some(&(field, base)) = fields.get(span.passage as usize) else {
        return;
    };
    let Some(passage) = doc.passages.get(span.passage as usize) else {
        return;
    };
    let ctype = canonical_type(&a.raw_type).to_string();
    let ids = split_ids(a.raw_id.as_deref().unwrap_or(""));
    let hit = matches(targets, &ctype, &annotation_forms(a, &ctype, &ids));
    out.push((
        HighlightSpan {
            field,
            start: base as usize + span.start as usize,
            end: base as usize + span.end as usize,
            text: char_slice(&passage.text, span.start as usize, span.end as usize),
            kind: SpanKind::Entity,
            entity_type: Some(ctype),
            entity_id: (!ids.is_empty()).then(|| ids.join(",")),
        },
        hit,
    ));
}

/// Whether annotation `a` is one of the queried entities `targets` (as the highlighter marks
/// it).
pub(crate) fn annotation_matches(
    targets: &BTreeSet<EntityTarget>,
    a: &crate::pubtator::Annotation,
) -> bool {
    let ctype = canonical_type(&a.raw_type);
    let ids = split_ids(a.raw_id.as_deref().unwrap_or(""));
    matches(targets, ctype, &annotation_forms(a, ctype, &ids))
}

/// The lower-case forms annotation `a` is found by, as ingest indexes them: each ID, its
/// variant identities, and for a variant the spelling its mention gives (`V600E` →
/// `p.v600e` beside an rsID-only ID column).
fn annotation_forms(a: &crate::pubtator::Annotation, ctype: &str, ids: &[String]) -> Vec<String> {
    let mut forms: Vec<String> = Vec::new();
    for id in ids {
        forms.push(id.to_lowercase());
        forms.extend(id_parts(id).iter().map(|p| p.to_lowercase()));
    }
    if is_variant_annotation(ctype, a.raw_id.as_deref().unwrap_or("")) {
        forms.extend(
            mention_spellings(&a.mention)
                .iter()
                .map(|f| f.to_lowercase()),
        );
    }
    forms
}

/// Computes the spans and fragments of one hit.
pub fn highlight(doc: &Document, query: &CompiledQuery) -> Highlights {
    let body = doc.body();
    let mut spans = Vec::new();
    term_spans(
        DisplayField::Title,
        doc.title(),
        &query.text_terms,
        &mut spans,
    );
    term_spans(DisplayField::Abstract, &body, &query.text_terms, &mut spans);
    phrase_spans(
        DisplayField::Title,
        doc.title(),
        &query.text_phrases,
        &mut spans,
    );
    phrase_spans(
        DisplayField::Abstract,
        &body,
        &query.text_phrases,
        &mut spans,
    );
    spans.extend(
        entity_spans(doc, &query.entities)
            .into_iter()
            .filter(|(_, hit)| *hit)
            .map(|(s, _)| s),
    );
    spans.sort();
    spans.dedup();
    let fragments = fragments(&body, &spans);
    Highlights { spans, fragments }
}

/// How far a fragment edge may move outward to reach a word boundary when moving inward
/// would cut a marked span.
const EDGE_SLACK: usize = 30;

/// `window` of `chars` moved to word boundaries: widened to take in whole the marks it cuts,
/// then the start moved to the next word start (or, when that would drop a mark, back to the
/// previous one) and the end back to the last word end (or forward to the next), so no
/// fragment opens or closes inside a word; a word longer than the slack is still cut.
fn word_bounds(chars: &[char], window: (usize, usize), marks: &[(usize, usize)]) -> (usize, usize) {
    let (mut s, mut e) = window;
    // Marks the window cuts are taken in whole.
    let overlapping = marks.iter().filter(|(a, b)| *b > s && *a < e);
    let first = overlapping.clone().map(|m| m.0).min();
    let last = overlapping.map(|m| m.1).max();
    s = first.map_or(s, |f| f.min(s));
    e = last.map_or(e, |l| l.max(e).min(chars.len()));
    let (first, last) = (first.unwrap_or(e).max(s), last.unwrap_or(s).min(e));
    let space = |i: usize| chars.get(i).is_some_and(|c| c.is_whitespace());
    if s > 0 && !space(s - 1) && !space(s) {
        if let Some(i) = (s..first).find(|&i| space(i)) {
            s = i + 1;
        } else if let Some(i) = (s.saturating_sub(EDGE_SLACK)..s).rev().find(|&i| space(i)) {
            s = i + 1;
        }
    }
    while s < e && space(s) {
        s += 1;
    }
    if e < chars.len() && !space(e) && e > 0 && !space(e - 1) {
        if let Some(i) = (last.max(s)..e).rev().find(|&i| space(i)) {
            e = i;
        } else if let Some(i) = (e..(e + EDGE_SLACK).min(chars.len())).find(|&i| space(i)) {
            e = i;
        }
    }
    while e > s && space(e - 1) {
        e -= 1;
    }
    (s, e)
}

/// Picks up to [`MAX_FRAGMENTS`] non-overlapping windows of the body holding the most spans;
/// the opening of the body when no span is there.
fn fragments(body: &str, spans: &[HighlightSpan]) -> Vec<Fragment> {
    let body_chars = body.chars().count();
    if body_chars == 0 {
        return Vec::new();
    }
    let marks: Vec<(usize, usize)> = spans
        .iter()
        .filter(|s| s.field == DisplayField::Abstract)
        .map(|s| (s.start, s.end))
        .collect();
    let window = |start: usize| (start, (start + FRAGMENT_CHARS).min(body_chars));
    let mut candidates: Vec<(usize, (usize, usize))> = marks
        .iter()
        .map(|&(s, _)| {
            let w = window(s.saturating_sub(40));
            let n = marks.iter().filter(|(a, b)| *a >= w.0 && *b <= w.1).count();
            (n, w)
        })
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1 .0.cmp(&b.1 .0)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, w) in candidates {
        if chosen.len() == MAX_FRAGMENTS {
            break;
        }
        if chosen.iter().all(|c| w.1 <= c.0 || w.0 >= c.1) {
            chosen.push(w);
        }
    }
    if chosen.is_empty() {
        chosen.push(window(0));
    }
    let chars: Vec<char> = body.chars().collect();
    chosen
        .into_iter()
        .map(|w| word_bounds(&chars, w, &marks))
        .map(|(s, e)| Fragment {
            field: DisplayField::Abstract,
            start: s,
            end: e,
            text: char_slice(body, s, e),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::word_bounds;

    fn cut(text: &str, w: (usize, usize), marks: &[(usize, usize)]) -> String {
        let chars: Vec<char> = text.chars().collect();
        let (s, e) = word_bounds(&chars, w, marks);
        chars[s..e].iter().collect()
    }

    #[test]
    fn fragments_open_and_close_at_word_boundaries_and_keep_their_marks() {
        let text = "Mutations of BRAF have been identified in melanoma tumors and nevi.";
        // Window cut inside "Mutations" and inside "tumors".
        assert_eq!(
            cut(text, (3, 54), &[(13, 17)]),
            "of BRAF have been identified in melanoma"
        );
        // A mark right at the start: moving forward would drop it, so the start moves back.
        assert_eq!(cut(text, (15, 30), &[(13, 17)]), "BRAF have been");
        assert_eq!(cut(text, (14, 30), &[(14, 17)]), "BRAF have been");
        // Whole text and word-aligned windows stay as they are.
        let n = text.chars().count();
        assert_eq!(cut(text, (0, n), &[]), text);
        assert_eq!(cut(text, (13, 27), &[]), "BRAF have been");
        // Non-ASCII text is cut on characters.
        assert_eq!(cut("αβγ δεζ ηθι", (1, 10), &[]), "δεζ");
    }
}
