//! JSON Lines in ripgrep's envelope: `{"type":"hit","data":{...}}` per hit, then one
//! `{"type":"summary","data":{...}}`. Span offsets are in characters of the field's text.

use crate::pubtator::Document;
use crate::search::highlight::{entity_spans, HighlightSpan};
use crate::search::{Hit, Summary};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::{self, Write};

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: T,
}

fn line<W: Write, T: Serialize>(w: &mut W, kind: &str, data: T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &Envelope { kind, data }).map_err(io::Error::from)?;
    writeln!(w)
}

/// Writes one hit line.
pub fn write_hit<W: Write>(w: &mut W, hit: &Hit) -> io::Result<()> {
    line(w, "hit", hit)
}

/// Writes the summary line.
pub fn write_summary<W: Write>(w: &mut W, summary: &Summary) -> io::Result<()> {
    line(w, "summary", summary)
}

/// Writes one `{"type":KIND,"data":…}` line.
pub fn write_line<W: Write, T: Serialize>(w: &mut W, kind: &str, data: &T) -> io::Result<()> {
    line(w, kind, data)
}

/// Writes any serializable value as one JSON line.
pub fn write_value<W: Write, T: Serialize>(w: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
    writeln!(w)
}

/// `show --format json`: the document with the spans of all its annotations.
#[derive(Serialize)]
pub struct ShownDocument<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: String,
    spans: Vec<HighlightSpan>,
    /// The document in the JSON Lines export's shape (the same field names).
    document: crate::output::jsonl::DocumentView<'a>,
}

impl<'a> ShownDocument<'a> {
    /// The view of `doc`.
    pub fn of(doc: &'a Document) -> Self {
        ShownDocument {
            id: &doc.id,
            title: doc.title(),
            abstract_text: doc.body(),
            spans: entity_spans(doc, &BTreeSet::new())
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            document: crate::output::jsonl::DocumentView::of(doc),
        }
    }
}
