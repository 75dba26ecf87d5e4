//! Plain data records of the PubTator format: a [`Document`] with its passages, annotations
//! and relations. These are what the parser produces, what the index stores (see `codec`) and what
//! the writer turns back into PubTator text.

pub use super::meta::{Layer, MeshHeading, Metadata};
use serde::{Deserialize, Serialize};

/// What a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PassageKind {
    /// A `ID|t|` line.
    #[serde(rename = "t")]
    Title,
    /// A `ID|a|` line.
    #[serde(rename = "a")]
    Abstract,
}

/// One passage of text: the title or abstract of one PubTator record (block).
///
/// A document normally has one record (title + abstract); full texts split into several
/// records with the same ID become one document whose passages come from every record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Title or abstract.
    #[serde(rename = "k")]
    pub kind: PassageKind,
    /// Index of the record (block) this passage came from, in input order (0-based).
    #[serde(rename = "b")]
    pub block: u32,
    /// The text, exactly as in the file (without the line ending).
    #[serde(rename = "x")]
    pub text: String,
    /// Section type of a full-text passage (BioC `section_type`: `INTRO`, `METHODS`, ...).
    #[serde(rename = "sec", default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// Where an annotation points in the document's text, after offset repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Index into [`Document::passages`].
    #[serde(rename = "p")]
    pub passage: u32,
    /// Start, in Unicode scalar values (chars) of the passage text.
    #[serde(rename = "s")]
    pub start: u32,
    /// End (exclusive), in chars of the passage text.
    #[serde(rename = "e")]
    pub end: u32,
}

/// One mention line: `ID start end mention type [ids [extra...]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Record (block) the line belongs to.
    #[serde(rename = "b")]
    pub block: u32,
    /// Start offset as written in the file (record-local).
    #[serde(rename = "s")]
    pub start: u64,
    /// End offset as written in the file (record-local).
    #[serde(rename = "e")]
    pub end: u64,
    /// The mention text column.
    #[serde(rename = "m")]
    pub mention: String,
    /// The type column as written (`GeneOrGeneProduct`, `SpecificDisease`, `Gene`, ...).
    #[serde(rename = "t")]
    pub raw_type: String,
    /// The ID column as written; `None` for 5-column lines.
    #[serde(rename = "i", default, skip_serializing_if = "Option::is_none")]
    pub raw_id: Option<String>,
    /// Columns after the ID (composite mentions, confidence), kept for export.
    #[serde(rename = "x", default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<String>,
    /// The resolved location in the text, if the offsets could be matched or repaired.
    #[serde(rename = "sp", default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// Further locations of a discontinuous mention (a BioC annotation with several
    /// `location`s), in order after `span`; empty for a contiguous mention.
    #[serde(rename = "mo", default, skip_serializing_if = "Vec::is_empty")]
    pub more: Vec<Span>,
}

impl Annotation {
    /// Every located span: `span`, then `more`.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.span.into_iter().chain(self.more.iter().copied())
    }
}

/// One relation line: `ID type arg1 arg2 [novelty]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The relation type as written (`Association`, `CID`, `Negative_Correlation`, ...).
    #[serde(rename = "t")]
    pub rel_type: String,
    /// The two argument columns as written.
    #[serde(rename = "a")]
    pub args: [String; 2],
    /// BioRED's fifth column (`Novel` / `No`), when present.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub novelty: Option<String>,
    /// The entity types of the two arguments when the source names them (PubTator3 bulk
    /// `relation2pubtator3` rows: `Gene|5133`); empty for PubTator relation lines.
    #[serde(rename = "at", default, skip_serializing_if = "Vec::is_empty")]
    pub arg_types: Vec<String>,
}

/// A document-level concept from a PubTator3 bulk entity file (`gene2pubtator3`, ...): every
/// mention of one concept in one article, without offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// The type column as written (`Gene`, `Disease`, ...).
    #[serde(rename = "t")]
    pub raw_type: String,
    /// The concept IDs, split and normalized like annotation IDs (several for some genes; a
    /// tmVar ID stays whole); empty when unnormalized (`-`).
    #[serde(rename = "i", default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The distinct mention strings.
    #[serde(rename = "m", default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    /// The resources that found it (`PubTator3`, `gene2pubmed`, ...).
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
}

/// A PubTator document: one article (possibly merged from consecutive same-ID records).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The document ID (usually a PMID; any token without whitespace or `|`).
    pub id: String,
    /// Passages in input order.
    #[serde(rename = "p")]
    pub passages: Vec<Passage>,
    /// Annotations in input order.
    #[serde(rename = "a", default)]
    pub annotations: Vec<Annotation>,
    /// Relations in input order.
    #[serde(rename = "r", default)]
    pub relations: Vec<Relation>,
    /// Concepts attached from PubTator3 bulk entity files (no offsets).
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<Concept>,
    /// Bibliographic metadata (journal, year, authors, ...), when a format carries it.
    #[serde(rename = "m", default, skip_serializing_if = "Metadata::is_empty")]
    pub meta: Metadata,
    /// Which source gave which annotations and relations, in order (see [`Layer`]); empty
    /// for a document of one unnamed source.
    #[serde(rename = "l", default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<Layer>,
}

impl Document {
    /// The title: text of the first passage (empty when there is none).
    pub fn title(&self) -> &str {
        self.passages.first().map(|p| p.text.as_str()).unwrap_or("")
    }

    /// The body shown as "abstract": every non-empty passage after the first, joined by `\n`.
    pub fn body(&self) -> String {
        let mut out = String::new();
        for p in self.passages.iter().skip(1).filter(|p| !p.text.is_empty()) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&p.text);
        }
        out
    }

    /// Where each passage starts in its display field, in chars: `(field, char offset)` where
    /// field 0 is the title and field 1 the body (see [`Document::body`]). Empty passages after
    /// the first get the offset they would have, but hold no text.
    pub fn passage_fields(&self) -> Vec<(DisplayField, u32)> {
        let mut out = Vec::with_capacity(self.passages.len());
        let mut body_len: u32 = 0;
        let mut body_started = false;
        for (i, p) in self.passages.iter().enumerate() {
            if i == 0 {
                out.push((DisplayField::Title, 0));
                continue;
            }
            if p.text.is_empty() {
                out.push((DisplayField::Abstract, body_len));
                continue;
            }
            if body_started {
                body_len += 1; // the '\n' separator
            }
            body_started = true;
            out.push((DisplayField::Abstract, body_len));
            body_len += p.text.chars().count() as u32;
        }
        out
    }
}

/// The two text fields a document is displayed and highlighted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DisplayField {
    /// The first passage.
    Title,
    /// Every later passage, joined by newlines.
    Abstract,
}

impl DisplayField {
    /// The name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            DisplayField::Title => "title",
            DisplayField::Abstract => "abstract",
        }
    }
}
