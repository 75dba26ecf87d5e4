//! One self-describing JSON object per document (`export --format jsonl`): passages,
//! annotations with canonical types and split IDs, relations, PubTator3 bulk concepts, the
//! metadata and the source of each annotation and relation. Field names are spelled out (unlike the compact stored record). [`DocumentView`] is that shape as
//! data, for front ends that convert documents rather than print them (Python).

use crate::pubtator::ids::{canonical_type, split_ids};
use crate::pubtator::layers::{annotation_sources, relation_sources};
use crate::pubtator::{Document, PassageKind};
use crate::search::{ConceptView, MetaView};
use serde::Serialize;
use std::io::{self, Write};

/// A passage: `title` or `abstract`, its section when known, its text.
#[derive(Debug, Clone, Serialize)]
pub struct PassageView<'a> {
    /// `title` or `abstract`.
    pub kind: &'static str,
    /// The section (BioC `section_type`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<&'a str>,
    /// The passage text.
    pub text: &'a str,
}

/// An annotation with its canonical type and split IDs.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationView<'a> {
    /// Index into `passages`, when the offsets were located.
    pub passage: Option<u32>,
    /// Start, in chars within that passage.
    pub start: Option<u32>,
    /// End (exclusive), in chars within that passage.
    pub end: Option<u32>,
    /// The mention text.
    pub text: &'a str,
    /// Canonical type.
    #[serde(rename = "type")]
    pub entity_type: &'a str,
    /// The type as written.
    pub subtype: &'a str,
    /// Normalized IDs (empty when unnormalized).
    pub ids: Vec<String>,
    /// The source (annotation layer) that gave it, when the document has layers.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub source: &'a str,
    /// The further pieces of a discontinuous mention (`passage`, `start`, `end` each, as the
    /// fields above); absent for a contiguous one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub more: Vec<PieceView>,
}

/// One further piece of a discontinuous mention.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PieceView {
    /// Index into `passages`.
    pub passage: u32,
    /// Start, in chars within that passage.
    pub start: u32,
    /// End (exclusive), in chars within that passage.
    pub end: u32,
}

/// A relation as written.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView<'a> {
    /// The relation type as written.
    #[serde(rename = "type")]
    pub rel_type: &'a str,
    /// The two arguments as written.
    pub args: [&'a str; 2],
    /// BioRED's novelty column, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub novelty: Option<&'a str>,
    /// The arguments' entity types, when the source names them.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub arg_types: &'a [String],
    /// The source (annotation layer) that gave it, when the document has layers.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub source: &'a str,
}

/// The JSON Lines shape of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView<'a> {
    /// Document ID.
    pub id: &'a str,
    /// Title text.
    pub title: &'a str,
    /// Abstract text (every non-title passage).
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Passages in order.
    pub passages: Vec<PassageView<'a>>,
    /// Annotations in order.
    pub annotations: Vec<AnnotationView<'a>>,
    /// Relations in order.
    pub relations: Vec<RelationView<'a>>,
    /// PubTator3 bulk concepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<ConceptView<'a>>,
    /// Bibliographic metadata, when known.
    #[serde(flatten)]
    pub meta: MetaView<'a>,
}

impl<'a> DocumentView<'a> {
    /// The view of `doc`.
    pub fn of(doc: &'a Document) -> DocumentView<'a> {
        DocumentView {
            id: &doc.id,
            title: doc.title(),
            abstract_text: doc.body(),
            passages: doc
                .passages
                .iter()
                .map(|p| PassageView {
                    kind: match p.kind {
                        PassageKind::Title => "title",
                        PassageKind::Abstract => "abstract",
                    },
                    section: p.section.as_deref(),
                    text: &p.text,
                })
                .collect(),
            annotations: doc
                .annotations
                .iter()
                .zip(annotation_sources(doc))
                .map(|(a, source)| AnnotationView {
                    passage: a.span.map(|s| s.passage),
                    start: a.span.map(|s| s.start),
                    end: a.span.map(|s| s.end),
                    text: &a.mention,
                    entity_type: canonical_type(&a.raw_type),
                    subtype: &a.raw_type,
                    ids: split_ids(a.raw_id.as_deref().unwrap_or("")),
                    source,
                    more: a
                        .more
                        .iter()
                        .map(|m| PieceView {
                            passage: m.passage,
                            start: m.start,
                            end: m.end,
                        })
                        .collect(),
                })
                .collect(),
            relations: doc
                .relations
                .iter()
                .zip(relation_sources(doc))
                .map(|(r, source)| RelationView {
                    rel_type: &r.rel_type,
                    args: [&r.args[0], &r.args[1]],
                    novelty: r.novelty.as_deref(),
                    arg_types: &r.arg_types,
                    source,
                })
                .collect(),
            concepts: doc.concepts.iter().map(ConceptView::from).collect(),
            meta: MetaView::from(doc),
        }
    }
}

/// Writes one document as one JSON line.
pub fn write_document<W: Write>(out: &mut W, doc: &Document) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &DocumentView::of(doc)).map_err(io::Error::from)?;
    writeln!(out)
}
