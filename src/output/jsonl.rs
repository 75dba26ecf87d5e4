//! One self-describing JSON object per document (`export --format jsonl`): passages,
//! annotations with canonical types and split IDs, relations, PubTator3 bulk concepts. Field names are spelled out
//! (unlike the compact stored record).

use crate::pubtator::ids::{canonical_type, split_ids};
use crate::pubtator::{Document, PassageKind};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct PassageView<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct AnnotationView<'a> {
    /// Index into `passages`, when the offsets were located.
    passage: Option<u32>,
    /// Chars within that passage.
    start: Option<u32>,
    end: Option<u32>,
    text: &'a str,
    #[serde(rename = "type")]
    entity_type: &'a str,
    subtype: &'a str,
    ids: Vec<String>,
}

#[derive(Serialize)]
struct RelationView<'a> {
    #[serde(rename = "type")]
    rel_type: &'a str,
    args: [&'a str; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    novelty: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    arg_types: &'a [String],
}

#[derive(Serialize)]
struct DocumentView<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: String,
    passages: Vec<PassageView<'a>>,
    annotations: Vec<AnnotationView<'a>>,
    relations: Vec<RelationView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    concepts: Vec<crate::search::ConceptView<'a>>,
}

/// Writes one document as one JSON line.
pub fn write_document<W: Write>(out: &mut W, doc: &Document) -> io::Result<()> {
    let view = DocumentView {
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
            .map(|a| AnnotationView {
                passage: a.span.map(|s| s.passage),
                start: a.span.map(|s| s.start),
                end: a.span.map(|s| s.end),
                text: &a.mention,
                entity_type: canonical_type(&a.raw_type),
                subtype: &a.raw_type,
                ids: split_ids(a.raw_id.as_deref().unwrap_or("")),
            })
            .collect(),
        relations: doc
            .relations
            .iter()
            .map(|r| RelationView {
                rel_type: &r.rel_type,
                args: [&r.args[0], &r.args[1]],
                novelty: r.novelty.as_deref(),
                arg_types: &r.arg_types,
            })
            .collect(),
        concepts: doc
            .concepts
            .iter()
            .map(crate::search::ConceptView::from)
            .collect(),
    };
    serde_json::to_writer(&mut *out, &view).map_err(io::Error::from)?;
    writeln!(out)
}
