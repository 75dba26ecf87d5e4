//! Input formats other than PubTator, read as pure streaming readers that produce
//! [`Document`]s exactly like the PubTator parser does.
//!
//! * [`read_bioc_xml`]: BioC XML (NCBI, PubTator Central / PubTator3 exports, BioRED, BC6PM,
//!   GNorm2/tmVar output), one `<document>` in memory at a time.
//! * [`read_bioc_json`]: BioC JSON (`{"documents": [...]}` collections, PubTator3 API
//!   `{"PubTator3": [...]}`, bare arrays, nested arrays, single documents, one per line),
//!   streamed element by element.
//! * [`parse_tsv_line`]: one row of the PubTator3 bulk TSV files (entities and relations);
//!   [`read_tsv`] streams a whole file as one [`crate::pubtator::Patch`] per PMID.
//! * [`read_pubmed_xml`]: PubMed XML (`PubmedArticleSet`), one article in memory at a time,
//!   with bibliographic metadata; `DeleteCitation` PMIDs are returned.
//! * [`read_tar`]: the BioC files inside a (decompressed) tar archive.
//! * [`detect`]: which of these a stream holds, from its first bytes.
//! * [`BiocXmlWriter`], [`BiocJsonWriter`] ([`bioc_write`]): the BioC writers, laid out so that
//!   the readers above read a written document back.
//!
//! BioC → `Document` mapping: one passage per BioC passage (`section` from the
//! `section_type` or `type` infon); a two-passage document becomes one title+abstract record
//! (block 0), any other document one record per passage (block = passage index, kind
//! `Title`). Annotation offsets are moved from document offsets to chars of their passage
//! (byte and UTF-16 offsets are recognized per annotation) and `start`/`end` are set so that
//! PubTator export of the document is valid. Newlines in texts, mentions and IDs become spaces
//! (same char count) so that the export stays one line per record.

mod bioc;
mod bioc_json;
mod bioc_meta;
pub mod bioc_write;
mod bioc_xml;
mod bulk;
mod detect;
mod placement;
mod pubmed_xml;
mod pubtator3_tsv;
mod xml_text;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod sample_tests;

pub use bioc_json::{read_bioc_json, read_bioc_json_with_stats};
pub use bioc_write::{BiocJsonWriter, BiocXmlWriter};
pub use bioc_xml::{read_bioc_xml, read_bioc_xml_with_stats};
pub use bulk::{read_tsv, BulkItem};
pub use detect::detect;
pub use pubmed_xml::{read_pubmed_xml, PubmedOutcome};
pub use pubtator3_tsv::{
    is_tsv_header, legacy_type_from_file_name, parse_tsv_line, TsvKind, TsvRow,
};

use crate::pubtator::parse::RuleCounts;
use crate::pubtator::Document;
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// A format [`detect`] can recognize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// PubTator text (`ID|t|title`, `ID|a|abstract`, tab-separated annotation lines).
    PubTator,
    /// BioC XML (`<collection>` of `<document>`s).
    BiocXml,
    /// PubMed XML (`<PubmedArticleSet>`: baseline and update files, efetch answers).
    PubmedXml,
    /// BioC JSON (a collection object, a PubTator3 export, an array or single documents).
    BiocJson,
    /// A PubTator3 bulk tab-separated file (`bioconcepts2pubtator3`, `relation2pubtator3`, ...).
    PubTator3Tsv {
        /// Entity or relation rows.
        kind: TsvKind,
    },
    /// A tar archive (after decompression, e.g. PubTator3's `BioCXML.*.tar.gz`); read it with
    /// [`read_tar`].
    Tar,
}

impl InputFormat {
    /// The name `ptsearch index --format` accepts (and `--dry-run` shows).
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::PubTator => "pubtator",
            InputFormat::BiocXml => "bioc-xml",
            InputFormat::PubmedXml => "pubmed-xml",
            InputFormat::BiocJson => "bioc-json",
            InputFormat::PubTator3Tsv {
                kind: TsvKind::Relation,
            } => "pubtator3-tsv (relations)",
            InputFormat::PubTator3Tsv { .. } => "pubtator3-tsv (entities)",
            InputFormat::Tar => "tar",
        }
    }
}

/// `--format` of `index` (Python `format=`): detect each input's format, or read every input
/// as one format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FormatChoice {
    /// Detect from the content.
    #[default]
    Auto,
    /// Read every input as this format.
    Forced(InputFormat),
}

impl FormatChoice {
    /// The forced format, if any.
    pub fn forced(self) -> Option<InputFormat> {
        match self {
            FormatChoice::Auto => None,
            FormatChoice::Forced(f) => Some(f),
        }
    }
}

impl crate::names::Named for FormatChoice {
    const WHAT: &'static str = "input format";
    const NAMES: &'static [(FormatChoice, &'static [&'static str])] = &[
        (FormatChoice::Auto, &["auto"]),
        (FormatChoice::Forced(InputFormat::PubTator), &["pubtator"]),
        (
            FormatChoice::Forced(InputFormat::BiocXml),
            &["bioc-xml", "biocxml"],
        ),
        (
            FormatChoice::Forced(InputFormat::BiocJson),
            &["bioc-json", "biocjson"],
        ),
        (
            FormatChoice::Forced(InputFormat::PubmedXml),
            &["pubmed-xml"],
        ),
        (FormatChoice::Forced(InputFormat::Tar), &["tar"]),
    ];
}

impl std::str::FromStr for FormatChoice {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::names::parse_named(s)
    }
}

/// What a reader hands to its callback, in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A converted document.
    Document(Box<Document>),
    /// (HomoloGene group, NCBI Gene ID) pairs that the next document's gene annotations
    /// carry (PubTator3's BioC `ncbi_homologene` infon), sent before it.
    Homologene(Vec<(u64, u64)>),
    /// Something dropped (a document, annotation or relation) and why.
    Problem {
        /// 1-based line of the input where the dropped element starts (or the nearest known).
        line: u64,
        /// What was dropped and why; names the document ID when known.
        message: String,
    },
}

/// How annotation offsets were resolved while reading BioC.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BiocStats {
    /// Documents delivered.
    pub documents: u64,
    /// Annotations per offset rule, indexed like
    /// [`OffsetRule::ALL`](crate::pubtator::offsets::OffsetRule::ALL). `Loose` stays 0: only
    /// exact mention matches get a span.
    pub rules: RuleCounts,
    /// Annotations (also counted as `Exact`) whose offsets were relative to their passage
    /// instead of the document.
    pub passage_relative: u64,
    /// Further locations of discontinuous annotations, kept as extra spans of one annotation
    /// (an annotation with 3 separate locations counts 2).
    pub split_locations: u64,
}

/// A fatal error: reading stops, after every document before it was delivered.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// Reading the input failed.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
    /// The XML is not well-formed.
    #[error("line {line}: XML error: {message}")]
    Xml {
        /// 1-based line where the error was seen.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// The JSON is not well-formed.
    #[error("line {line}: JSON error: {message}")]
    Json {
        /// 1-based line where the error was seen.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// The tar archive is corrupt.
    #[error("tar archive: {0}")]
    Tar(String),
}

/// A `BufRead` adapter that counts the newlines consumed, shared through an `Rc` so that code
/// deep inside a parser can ask which line it is on.
pub(crate) struct LineCounter<R> {
    inner: R,
    newlines: Rc<Cell<u64>>,
}

impl<R: BufRead> LineCounter<R> {
    /// Wraps `inner`; returns the adapter and the shared count of consumed newlines.
    pub(crate) fn new(inner: R) -> (Self, Rc<Cell<u64>>) {
        let newlines = Rc::new(Cell::new(0));
        (
            LineCounter {
                inner,
                newlines: Rc::clone(&newlines),
            },
            newlines,
        )
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // serde_json reads one byte at a time: keep this path short.
        let avail = self.inner.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        let lines = match n {
            1 => u64::from(avail[0] == b'\n'),
            _ => memchr::memchr_iter(b'\n', &avail[..n]).count() as u64,
        };
        self.newlines.set(self.newlines.get() + lines);
        self.inner.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            let lines = memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            self.newlines.set(self.newlines.get() + lines);
        }
        self.inner.consume(amt);
    }
}

/// Reads every BioC XML or JSON file inside a tar archive (already decompressed: wrap a
/// `.tar.gz` in `flate2::read::MultiGzDecoder`). Entries in other formats, and fatal errors
/// inside one entry, become [`Item::Problem`]s naming the entry; a corrupt archive is fatal.
pub fn read_tar<R: Read>(r: R, on_item: &mut dyn FnMut(Item)) -> Result<BiocStats, InteropError> {
    let mut stats = BiocStats::default();
    let mut archive = tar::Archive::new(r);
    let entries = archive
        .entries()
        .map_err(|e| InteropError::Tar(e.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|e| InteropError::Tar(e.to_string()))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "<unnamed>".to_string());
        let mut reader = io::BufReader::with_capacity(1 << 16, entry);
        let head = reader.fill_buf()?.to_vec();
        if head.is_empty() {
            continue;
        }
        let mut prefixed = |item: Item| match item {
            Item::Problem { line, message } => on_item(Item::Problem {
                line,
                message: format!("{name}: {message}"),
            }),
            doc => on_item(doc),
        };
        let result = match detect(&head) {
            Some(InputFormat::BiocXml) => {
                read_bioc_xml_with_stats(reader, &mut prefixed, &mut stats)
            }
            Some(InputFormat::BiocJson) => {
                read_bioc_json_with_stats(reader, &mut prefixed, &mut stats)
            }
            other => {
                let what = other.map_or("an unknown format".to_string(), |f| format!("{f:?}"));
                prefixed(Item::Problem {
                    line: 1,
                    message: format!("tar entry holds {what}, not BioC; skipped"),
                });
                Ok(())
            }
        };
        match result {
            Ok(()) => {}
            Err(InteropError::Xml { line, message })
            | Err(InteropError::Json { line, message }) => prefixed(Item::Problem {
                line,
                message: format!("rest of the entry skipped: {message}"),
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counter_counts_consumed_newlines() {
        let (mut r, n) = LineCounter::new(&b"a\nb\nc"[..]);
        let mut s = String::new();
        r.read_line(&mut s).unwrap_or(0);
        assert_eq!(n.get(), 1);
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap_or(0);
        assert_eq!((n.get(), rest.as_str()), (2, "b\nc"));
    }

    fn tar_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, body) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(body.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, body.as_bytes()).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn tar_entries_are_read_by_content() {
        let xml = "<collection><document><id>1</id><passage><offset>0</offset><text>T</text></passage></document></collection>";
        let json = r#"{"documents":[{"id":"2","passages":[{"offset":0,"text":"U"}]}]}"#;
        let bad = "<collection><document><id>3</id></passage>";
        let data = tar_of(&[
            ("a.xml", xml),
            ("b.json", json),
            ("c.txt", "hello"),
            ("d.xml", bad),
        ]);
        let mut items = Vec::new();
        let stats = read_tar(&data[..], &mut |i| items.push(i)).unwrap();
        let ids: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Document(d) => Some(d.id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(stats.documents, 2);
        let problems: Vec<&Item> = items
            .iter()
            .filter(|i| matches!(i, Item::Problem { .. }))
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn corrupt_tar_is_an_error_not_a_panic() {
        // A header cut short (300 of 512 bytes) with a damaged name: a fatal `Tar` error
        // from the first entry, and nothing read.
        let mut data = tar_of(&[("a.xml", "<collection/>")]);
        data.truncate(300);
        data[0] = 0xff;
        let mut items = 0;
        let result = read_tar(&data[..], &mut |_| items += 1);
        match &result {
            Err(e @ InteropError::Tar(message)) => {
                assert!(!message.is_empty());
                assert!(e.to_string().starts_with("tar archive: "), "{e}");
            }
            other => panic!("a corrupt archive must be a tar error, got {other:?}"),
        }
        assert_eq!(items, 0);
        // A whole header whose checksum does not match: also a `Tar` error, not a panic.
        let mut data = tar_of(&[("a.xml", "<collection/>")]);
        data[0] = b'b';
        let result = read_tar(&data[..], &mut |_| items += 1);
        assert!(
            matches!(&result, Err(InteropError::Tar(m)) if m.contains("checksum")),
            "{result:?}"
        );
        assert_eq!(items, 0);
    }
}
