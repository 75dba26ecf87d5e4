//! The reader thread of ingest, first stage of the write flow: streams each input (detecting
//! its format), cuts it into documents and sends batches of about [`BATCH_BYTES`] on the bounded
//! channel to the parse stage ([`super::prepare`]) and the document writer ([`super::writer`]).

use super::source::{self, Source};
use crate::interop::{self, InputFormat, Item};
use crate::pubtator::{DocLines, DocReader, LineError, Parsed, Patch, Position, Problem};
use std::io::BufRead;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// Target size of one batch of raw document text sent from the reader to the parsers.
pub const BATCH_BYTES: usize = 1 << 20;

/// One document on its way to the parsers: PubTator lines still to parse, a document another
/// format's reader already converted (with its problems), or bulk rows to merge into a document.
pub(super) enum Unit {
    Lines(DocLines),
    Ready(Box<Parsed>),
    Patch(Patch),
}

/// Documents of one input, in input order.
pub(super) struct Batch {
    pub source: usize,
    pub docs: Vec<Unit>,
    /// Position after the batch's last document (the start of the input for formats that
    /// cannot resume mid-file).
    pub end: Position,
    /// (HomoloGene group, gene) pairs the batch's documents carry (BioC only).
    pub homologene: Vec<(u64, u64)>,
}

/// What the reader sends.
pub(super) enum ReaderMsg {
    Batch(Batch),
    SourceError(String),
    /// PMIDs a PubMed update file deletes (`DeleteCitation`), sent after its articles.
    Delete(Vec<String>),
}

/// Where the reader starts: input index and position in it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Start {
    pub source: usize,
    pub position: Position,
}

/// Collects the units of one input and sends a batch whenever it reaches [`BATCH_BYTES`].
struct Batcher<'a> {
    source: usize,
    docs: Vec<Unit>,
    homologene: Vec<(u64, u64)>,
    bytes: usize,
    /// Position after the last unit pushed.
    end: Position,
    send: &'a dyn Fn(ReaderMsg) -> bool,
    /// False once the receiver has hung up: stop reading.
    alive: bool,
}

impl<'a> Batcher<'a> {
    fn new(source: usize, start: Position, send: &'a dyn Fn(ReaderMsg) -> bool) -> Batcher<'a> {
        Batcher {
            source,
            docs: Vec::new(),
            homologene: Vec::new(),
            bytes: 0,
            end: start,
            send,
            alive: true,
        }
    }

    /// Adds a unit of about `bytes` that ends at `end`; false once the receiver has hung up.
    fn push(&mut self, unit: Unit, bytes: usize, end: Position) -> bool {
        self.docs.push(unit);
        self.bytes += bytes;
        self.end = end;
        if self.bytes >= BATCH_BYTES {
            self.flush();
        }
        self.alive
    }

    /// Sends what is collected, if anything.
    fn flush(&mut self) {
        self.bytes = 0;
        if self.alive && !(self.docs.is_empty() && self.homologene.is_empty()) {
            self.alive = (self.send)(ReaderMsg::Batch(Batch {
                source: self.source,
                docs: std::mem::take(&mut self.docs),
                end: self.end,
                homologene: std::mem::take(&mut self.homologene),
            }));
        }
    }
}

/// A unit that carries only a reader's complaint about `line`.
fn problem_unit(line: u64, message: String) -> Unit {
    Unit::Ready(Box::new(Parsed {
        problems: vec![Problem {
            line,
            error: LineError::Format(message),
        }],
        ..Parsed::default()
    }))
}

/// Streams one input in a non-PubTator format through its reader into batches. These formats
/// carry no resumable position: a checkpoint inside them resumes at the input's start, which
/// upserts make harmless.
fn read_converted(
    format: InputFormat,
    input: Box<dyn BufRead + Send>,
    source: usize,
    send: &dyn Fn(ReaderMsg) -> bool,
) -> std::result::Result<(), String> {
    let mut batcher = Batcher::new(source, Position::default(), send);
    let mut deleted: Vec<String> = Vec::new();
    let mut on_item = |item: Item| {
        if !batcher.alive {
            return;
        }
        let (unit, bytes) = match item {
            Item::Document(d) => {
                let bytes = d.passages.iter().map(|p| p.text.len()).sum::<usize>()
                    + 64 * d.annotations.len();
                let parsed = Parsed {
                    document: Some(*d),
                    ..Parsed::default()
                };
                (Unit::Ready(Box::new(parsed)), bytes)
            }
            Item::Problem { line, message } => (problem_unit(line, message), 0),
            Item::Homologene(pairs) => {
                batcher.homologene.extend(pairs);
                return;
            }
        };
        batcher.push(unit, bytes, Position::default());
    };
    let result = match format {
        InputFormat::BiocXml => interop::read_bioc_xml(input, &mut on_item),
        InputFormat::BiocJson => interop::read_bioc_json(input, &mut on_item),
        InputFormat::PubmedXml => interop::read_pubmed_xml(input, &mut on_item).map(|outcome| {
            deleted = outcome.deleted;
        }),
        InputFormat::Tar => interop::read_tar(input, &mut on_item).map(|_| ()),
        InputFormat::PubTator | InputFormat::PubTator3Tsv { .. } => Ok(()),
    };
    batcher.flush();
    if batcher.alive && !deleted.is_empty() {
        send(ReaderMsg::Delete(deleted));
    }
    result.map_err(|e| e.to_string())
}

/// Streams one PubTator3 bulk TSV input into batches of patches (one per PMID run). Like the
/// converted formats it resumes at its start; merging a patch twice changes nothing.
fn read_bulk(
    input: Box<dyn BufRead + Send>,
    kind: interop::TsvKind,
    legacy_type: Option<&str>,
    source: usize,
    send: &dyn Fn(ReaderMsg) -> bool,
) -> std::result::Result<(), String> {
    let mut batcher = Batcher::new(source, Position::default(), send);
    let mut on_item = |item: interop::BulkItem| {
        if !batcher.alive {
            return;
        }
        let (unit, bytes) = match item {
            interop::BulkItem::Patch { patch, .. } => {
                let bytes = 64
                    + patch
                        .concepts
                        .iter()
                        .flat_map(|c| c.mentions.iter().chain(&c.ids))
                        .map(|m| m.len() + 24)
                        .sum::<usize>()
                    + 96 * patch.relations.len();
                (Unit::Patch(patch), bytes)
            }
            interop::BulkItem::Problem { line, message } => (problem_unit(line, message), 0),
        };
        batcher.push(unit, bytes, Position::default());
    };
    let result = interop::read_tsv(input, kind, legacy_type, &mut on_item);
    batcher.flush();
    result.map_err(|e| e.to_string())
}

/// Streams one PubTator input from `position` into batches.
fn read_pubtator(
    input: Box<dyn BufRead + Send>,
    source: usize,
    position: Position,
    send: &dyn Fn(ReaderMsg) -> bool,
) -> std::result::Result<(), String> {
    let mut reader = DocReader::starting_at(input, position);
    let mut batcher = Batcher::new(source, position, send);
    loop {
        match reader.next_doc() {
            Ok(Some(doc)) => {
                let (bytes, end) = (doc.byte_len(), doc.end);
                if !batcher.push(Unit::Lines(doc), bytes, end) {
                    return Ok(());
                }
            }
            Ok(None) => break,
            Err(e) => {
                let line = batcher.end.line;
                batcher.flush();
                return Err(format!("read error after line {line}: {e}"));
            }
        }
    }
    batcher.flush();
    Ok(())
}

/// The reader thread: streams every source from `start`, detecting each one's format from its
/// first bytes (unless `forced`), cutting documents and batching them.
pub(super) fn read_sources(
    sources: &[Source],
    start: Start,
    forced: Option<InputFormat>,
    bytes: Arc<AtomicU64>,
    tx: crossbeam_channel::Sender<ReaderMsg>,
) {
    let send = |msg| tx.send(msg).is_ok();
    for (i, source) in sources.iter().enumerate().skip(start.source) {
        let position = if i == start.source {
            start.position
        } else {
            Position::default()
        };
        let report =
            |msg: String| send(ReaderMsg::SourceError(format!("{}: {msg}", source.name())));
        let mut input = match source::open(source, bytes.clone()) {
            Ok(r) => r,
            Err(e) => {
                if !send(ReaderMsg::SourceError(e.to_string())) {
                    return;
                }
                continue;
            }
        };
        let outcome = if position.offset > 0 {
            // Resuming a PubTator input: skip what the checkpoint covers (decompressing if
            // need be).
            std::io::copy(
                &mut std::io::Read::take(&mut input, position.offset),
                &mut std::io::sink(),
            )
            .map_err(|e| e.to_string())
            .and_then(|_| read_pubtator(input, i, position, &send))
        } else {
            let detected = match input.fill_buf() {
                Ok(head) => forced.or_else(|| interop::detect(head)),
                Err(e) => {
                    if !report(e.to_string()) {
                        return;
                    }
                    continue;
                }
            };
            match detected {
                Some(InputFormat::PubTator) => read_pubtator(input, i, position, &send),
                Some(InputFormat::PubTator3Tsv { kind }) => {
                    let legacy = interop::legacy_type_from_file_name(&source.name());
                    read_bulk(input, kind, legacy, i, &send)
                }
                Some(format) => read_converted(format, input, i, &send),
                None => Err(super::summary::UNSUPPORTED.to_string()),
            }
        };
        if let Err(msg) = outcome {
            if !report(msg) {
                return;
            }
        }
    }
}
