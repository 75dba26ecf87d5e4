//! Whole documents in an interchange format: one [`DocumentFormat`] enum names every format
//! that `search`, `show`, `export` and the server write, and a [`DocumentSink`] runs the
//! begin/write/finish sequence each needs (BioC wraps documents in a collection).

use crate::interop::{BiocJsonWriter, BiocXmlWriter};
use crate::names::{name_of, parse_named, Named};
use crate::output::{jsonl, quickwit};
use crate::pubtator::write::write_document;
use crate::pubtator::Document;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

/// A format for whole documents. Adding a format means adding a variant here (its name,
/// description, MIME type and writer below); every front end picks it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentFormat {
    /// PubTator text (re-indexable; round-trips byte for byte).
    Pubtator,
    /// One JSON object per document, field names spelled out.
    Jsonl,
    /// A BioC XML collection.
    Biocxml,
    /// A BioC JSON collection.
    Biocjson,
    /// NDJSON for the Quickwit mapping in `schema/quickwit-index.yaml`.
    QuickwitNdjson,
}

impl DocumentFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [DocumentFormat; 5] = [
        DocumentFormat::Pubtator,
        DocumentFormat::Jsonl,
        DocumentFormat::Biocxml,
        DocumentFormat::Biocjson,
        DocumentFormat::QuickwitNdjson,
    ];

    /// The name users type (`--format biocxml`, `?format=biocxml`).
    pub fn name(self) -> &'static str {
        name_of(self)
    }

    /// One line for help texts.
    pub fn description(self) -> &'static str {
        match self {
            DocumentFormat::Pubtator => "PubTator text (re-indexable)",
            DocumentFormat::Jsonl => "one JSON object per document",
            DocumentFormat::Biocxml => "a BioC XML collection",
            DocumentFormat::Biocjson => "a BioC JSON collection",
            DocumentFormat::QuickwitNdjson => "NDJSON for schema/quickwit-index.yaml",
        }
    }

    /// The HTTP content type.
    pub fn mime_type(self) -> &'static str {
        match self {
            DocumentFormat::Pubtator => "text/plain; charset=utf-8",
            DocumentFormat::Jsonl | DocumentFormat::QuickwitNdjson => {
                "application/x-ndjson; charset=utf-8"
            }
            DocumentFormat::Biocxml => "application/xml; charset=utf-8",
            DocumentFormat::Biocjson => "application/json; charset=utf-8",
        }
    }
}

impl fmt::Display for DocumentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of each document format (canonical first), shared by [`DocumentFormat`] and
/// [`ExportFormat`].
const DOCUMENT_NAMES: [(DocumentFormat, &[&str]); 5] = [
    (DocumentFormat::Pubtator, &["pubtator"]),
    (DocumentFormat::Jsonl, &["jsonl"]),
    (
        DocumentFormat::Biocxml,
        &["biocxml", "bioc-xml", "bioc_xml"],
    ),
    (
        DocumentFormat::Biocjson,
        &["biocjson", "bioc-json", "bioc_json"],
    ),
    (
        DocumentFormat::QuickwitNdjson,
        &["quickwit-ndjson", "quickwit"],
    ),
];

impl Named for DocumentFormat {
    const WHAT: &'static str = "document format";
    const NAMES: &'static [(DocumentFormat, &'static [&'static str])] = &DOCUMENT_NAMES;
}

impl FromStr for DocumentFormat {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_named(s)
    }
}

/// What an export writes (`ptsearch export --format`, `/api/v1/export?format=`): a TSV table
/// of one line per document, or whole documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Tab-separated, one line per document, with a header (chosen columns).
    Tsv,
    /// Whole documents in a [`DocumentFormat`].
    Documents(DocumentFormat),
}

impl Named for ExportFormat {
    const WHAT: &'static str = "export format";
    const NAMES: &'static [(ExportFormat, &'static [&'static str])] = &[
        (ExportFormat::Tsv, &["tsv"]),
        (
            ExportFormat::Documents(DOCUMENT_NAMES[0].0),
            DOCUMENT_NAMES[0].1,
        ),
        (
            ExportFormat::Documents(DOCUMENT_NAMES[1].0),
            DOCUMENT_NAMES[1].1,
        ),
        (
            ExportFormat::Documents(DOCUMENT_NAMES[2].0),
            DOCUMENT_NAMES[2].1,
        ),
        (
            ExportFormat::Documents(DOCUMENT_NAMES[3].0),
            DOCUMENT_NAMES[3].1,
        ),
        (
            ExportFormat::Documents(DOCUMENT_NAMES[4].0),
            DOCUMENT_NAMES[4].1,
        ),
    ];
}

impl FromStr for ExportFormat {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_named(s)
    }
}

enum Inner<W: Write> {
    Lines(W, DocumentFormat),
    BiocXml(BiocXmlWriter<W>),
    BiocJson(BiocJsonWriter<W>),
}

/// Writes documents one at a time in one format: [`DocumentSink::begin`], then
/// [`DocumentSink::write`] per document, then [`DocumentSink::finish`] (which closes a BioC
/// collection and returns the writer).
pub struct DocumentSink<W: Write> {
    inner: Inner<W>,
}

impl<W: Write> DocumentSink<W> {
    /// Starts a sink; `source` names the collection where the format has one (BioC).
    pub fn begin(out: W, format: DocumentFormat, source: &str) -> io::Result<Self> {
        let inner = match format {
            DocumentFormat::Biocxml => Inner::BiocXml(BiocXmlWriter::new(out, source)?),
            DocumentFormat::Biocjson => Inner::BiocJson(BiocJsonWriter::new(out, source)?),
            other => Inner::Lines(out, other),
        };
        Ok(DocumentSink { inner })
    }

    /// Starts a sink in the shape of PubTator3's `publications/export/{format}`: BioC JSON in
    /// PubTator3's envelope (see [`BiocJsonWriter::pubtator3`]); the other formats as
    /// [`begin`](Self::begin).
    pub fn begin_pubtator3(out: W, format: DocumentFormat, source: &str) -> io::Result<Self> {
        match format {
            DocumentFormat::Biocjson => Ok(DocumentSink {
                inner: Inner::BiocJson(BiocJsonWriter::pubtator3(out)?),
            }),
            other => Self::begin(out, other, source),
        }
    }

    /// Writes one document.
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        match &mut self.inner {
            Inner::Lines(out, DocumentFormat::Jsonl) => jsonl::write_document(out, doc),
            Inner::Lines(out, DocumentFormat::QuickwitNdjson) => {
                quickwit::write_quickwit_ndjson(out, doc)
            }
            Inner::Lines(out, _) => write_document(out, doc),
            Inner::BiocXml(w) => w.write_document(doc),
            Inner::BiocJson(w) => w.write_document(doc),
        }
    }

    /// Closes the collection (where the format has one), flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        let mut out = match self.inner {
            Inner::Lines(out, _) => out,
            Inner::BiocXml(w) => w.finish()?,
            Inner::BiocJson(w) => w.finish()?,
        };
        out.flush()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_name_parses_back_to_itself() {
        for f in DocumentFormat::ALL {
            assert_eq!(f.name().parse::<DocumentFormat>().unwrap(), f);
            assert_eq!(
                f.name().parse::<ExportFormat>().unwrap(),
                ExportFormat::Documents(f)
            );
        }
        let err = "bioc".parse::<DocumentFormat>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown document format 'bioc'; valid: pubtator, jsonl, biocxml, biocjson, quickwit-ndjson"
        );
        assert_eq!(" TSV ".parse::<ExportFormat>().unwrap(), ExportFormat::Tsv);
    }

    #[test]
    fn bioc_sinks_close_their_collection_even_when_empty() {
        let out = DocumentSink::begin(Vec::new(), DocumentFormat::Biocxml, "t")
            .and_then(DocumentSink::finish)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.trim_end().ends_with("</collection>"), "{text}");
        let out = DocumentSink::begin(Vec::new(), DocumentFormat::Biocjson, "t")
            .and_then(DocumentSink::finish)
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["documents"].as_array().map(Vec::len), Some(0));
    }
}
