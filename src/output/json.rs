//! JSON Lines in ripgrep's envelope: `{"type":"hit","data":{...}}` per hit, then one
//! `{"type":"summary","data":{...}}`. Span offsets are in characters of the field's text.

use super::{found_entities, ConceptView, FoundEntity};
use crate::pubtator::Document;
use crate::search::facets::Facets;
use crate::search::highlight::{Fragment, HighlightSpan, Highlights};
use crate::search::query::Resolution;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: T,
}

/// The data of one hit.
#[derive(Serialize)]
pub struct HitData<'a> {
    /// Document ID.
    pub id: &'a str,
    /// 1-based rank.
    pub rank: usize,
    /// Score.
    pub score: f32,
    /// Title text.
    pub title: &'a str,
    /// Abstract (and further passages, joined by newlines).
    #[serde(rename = "abstract")]
    pub abstract_text: &'a str,
    /// Best abstract fragments.
    pub fragments: &'a [Fragment],
    /// Marked spans.
    pub spans: &'a [HighlightSpan],
    /// Queried entities found, with mention counts.
    pub entities: Vec<FoundEntity>,
    /// Concepts attached from PubTator3 bulk files (no offsets), when any.
    #[serde(skip_serializing_if = "<[ConceptView]>::is_empty")]
    pub concepts: Vec<ConceptView<'a>>,
}

/// The closing summary.
#[derive(Serialize)]
pub struct SummaryData<'a> {
    /// The query.
    pub query: &'a str,
    /// Every matching document.
    pub total_hits: usize,
    /// Hits printed.
    pub returned: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Search time in milliseconds.
    pub elapsed_ms: f64,
    /// Facets, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a Facets>,
    /// Name resolutions, when any.
    #[serde(skip_serializing_if = "<[Resolution]>::is_empty")]
    pub resolutions: &'a [Resolution],
}

fn line<W: Write, T: Serialize>(w: &mut W, kind: &str, data: T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &Envelope { kind, data }).map_err(io::Error::from)?;
    writeln!(w)
}

/// Writes one hit line.
pub fn write_hit<W: Write>(
    w: &mut W,
    rank: usize,
    score: f32,
    doc: &Document,
    hl: &Highlights,
) -> io::Result<()> {
    let body = doc.body();
    let data = HitData {
        id: &doc.id,
        rank,
        score,
        title: doc.title(),
        abstract_text: &body,
        fragments: &hl.fragments,
        spans: &hl.spans,
        entities: found_entities(&hl.spans),
        concepts: doc.concepts.iter().map(ConceptView::from).collect(),
    };
    line(w, "hit", data)
}

/// Writes the summary line.
pub fn write_summary<W: Write>(w: &mut W, summary: &SummaryData<'_>) -> io::Result<()> {
    line(w, "summary", summary)
}

/// Writes any serializable value as one JSON line.
pub fn write_value<W: Write, T: Serialize>(w: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
    writeln!(w)
}
