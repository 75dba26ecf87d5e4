//! The ingest pipeline: inputs → documents → one tantivy `IndexWriter`.
//!
//! A reader thread streams each source through [`DocReader`], groups documents into batches of
//! about [`BATCH_BYTES`] and sends them on a bounded channel (so memory stays flat whatever the
//! input size). The calling thread parses each batch in parallel with rayon, then hands the
//! documents to the writer in input order, deleting any earlier document with the same ID first
//! (upsert; only for IDs that may exist, see [`seen`]). Bad lines are reported through a
//! callback, counted, and dropped; a tantivy error is fatal and nothing after the last
//! checkpoint is committed.
//!
//! Every `commit_every` documents or `commit_interval`, the run commits with a [`Checkpoint`]
//! (input, byte offset and line after the last submitted document) in the commit payload. A run
//! given the same inputs again resumes after the last checkpoint; because documents are upserted
//! by ID, the final index equals an uninterrupted run.

pub mod attach;
mod commit;
pub mod layering;
mod seen;
pub mod source;
mod summary;

pub use crate::index::commit::{Checkpoint, CommitInfo, SourceRecord};
pub use source::{expand_inputs, Source};
pub use summary::IngestSummary;

use crate::error::{Error, Result};
use crate::index::schema::to_tantivy;
use crate::interop::{self, InputFormat, Item};
use crate::pubtator::ids::canonical_type;
use crate::pubtator::offsets::OffsetRule;
use crate::pubtator::{
    parse_document, DocLines, DocReader, Document, LineError, Parsed, Patch, Position, Problem,
};
use crate::PtIndex;
use attach::Attach;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::BufRead;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tantivy::{IndexWriter, TantivyDocument, Term};

/// Target size of one batch of raw document text sent from the reader to the parsers.
pub const BATCH_BYTES: usize = 1 << 20;
/// Batches in flight between the reader and the parsers.
const CHANNEL_DEPTH: usize = 4;

/// Options of one ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Indexing threads of the tantivy writer.
    pub threads: usize,
    /// Memory budget of the tantivy writer, in bytes.
    pub memory_bytes: usize,
    /// Stop at the first bad line.
    pub strict: bool,
    /// Commit (with a checkpoint) after this many documents.
    pub commit_every: u64,
    /// Commit (with a checkpoint) after this much time.
    pub commit_interval: Duration,
    /// Resume after the checkpoint of an interrupted run over the same inputs.
    pub resume: bool,
    /// Read every input as this format instead of detecting it from the content.
    pub format: Option<InputFormat>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            threads: 2,
            memory_bytes: 512 << 20,
            strict: false,
            commit_every: 1_000_000,
            commit_interval: Duration::from_secs(120),
            resume: true,
            format: None,
        }
    }
}

/// Live counters for a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    /// Raw input bytes read so far.
    pub bytes: Arc<AtomicU64>,
    /// Documents handed to the writer so far.
    pub documents: AtomicU64,
}

/// A dropped line, as reported to the caller.
#[derive(Debug)]
pub struct Diagnostic<'a> {
    /// The input name.
    pub source: &'a str,
    /// The problem.
    pub problem: &'a Problem,
}

/// One document on its way to the parsers: PubTator lines still to parse, a document another
/// format's reader already converted (with its problems), or bulk rows to merge into a document.
enum Unit {
    Lines(DocLines),
    Ready(Parsed),
    Patch(Patch),
}

/// A unit after the parallel stage.
enum Prepared {
    /// A parsed document (or only problems) and its tantivy form.
    Doc(Parsed, Option<TantivyDocument>),
    /// A patched document and its tantivy form.
    Patched(PatchedDoc),
}

/// A document after a bulk patch.
struct PatchedDoc {
    doc: Document,
    td: TantivyDocument,
    /// No document had the ID before (entity-only).
    new: bool,
    /// Canonical types of the patch's concepts.
    concept_types: Vec<String>,
    /// Relations in the patch.
    relations: u64,
}

/// Merges patches with the same ID inside one batch into the first of them, so that the
/// parallel stage never patches one document twice.
fn merge_batch_patches(units: Vec<Unit>) -> Vec<Unit> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for unit in units {
        if let Unit::Patch(p) = unit {
            match first.get(&p.id) {
                Some(&i) => {
                    if let Some(Unit::Patch(earlier)) = out.get_mut(i) {
                        earlier.absorb(p);
                    }
                }
                None => {
                    first.insert(p.id.clone(), out.len());
                    out.push(Unit::Patch(p));
                }
            }
        } else {
            out.push(unit);
        }
    }
    out
}

impl Unit {
    /// Parses and converts the unit; `base` is the pending version of a patched document.
    /// `searcher` (the last commit) is needed for patches and, with `attach.carry()`, for
    /// the concepts a replaced document keeps.
    fn prepare(
        self,
        index: &PtIndex,
        searcher: Option<&tantivy::Searcher>,
        attach: &Attach,
        base: Option<Document>,
    ) -> Result<Prepared> {
        let fields = &index.fields;
        let mut parsed = match self {
            Unit::Lines(lines) => parse_document(&lines.lines()),
            Unit::Ready(parsed) => parsed,
            Unit::Patch(patch) => {
                let concept_types = patch
                    .concepts
                    .iter()
                    .map(|c| canonical_type(&c.raw_type).to_string())
                    .collect();
                let relations = patch.relations.len() as u64;
                let (doc, new) = match searcher {
                    Some(s) => attach::merge(s, fields, base, patch)?,
                    None => (patch.into_document(), true),
                };
                let td = to_tantivy(fields, &doc);
                return Ok(Prepared::Patched(PatchedDoc {
                    doc,
                    td,
                    new,
                    concept_types,
                    relations,
                }));
            }
        };
        if let (Some(doc), Some(s), true) = (parsed.document.as_mut(), searcher, attach.carry()) {
            attach::carry_into(s, fields, attach.pending(&doc.id), doc)?;
        }
        let td = parsed.document.as_ref().map(|d| to_tantivy(fields, d));
        Ok(Prepared::Doc(parsed, td))
    }
}

struct Batch {
    source: usize,
    docs: Vec<Unit>,
    /// Position after the batch's last document (the start of the input for formats that
    /// cannot resume mid-file).
    end: Position,
}

enum ReaderMsg {
    Batch(Batch),
    SourceError(String),
}

/// Where the reader starts: input index and position in it.
#[derive(Debug, Clone, Copy, Default)]
struct Start {
    source: usize,
    position: Position,
}

fn open_writer(index: &PtIndex, options: &IngestOptions) -> Result<IndexWriter<TantivyDocument>> {
    let threads = options.threads.max(1);
    let memory = options.memory_bytes.max(threads * (16 << 20));
    let writer = index
        .index
        .writer_with_num_threads(threads, memory)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Locked(index.path.clone()),
            other => Error::Tantivy(other),
        })?;
    // Files a killed writer left behind are not referenced by any commit: remove them now.
    writer.garbage_collect_files().wait()?;
    Ok(writer)
}

/// Runs the pipeline over `sources` into `index`. `on_problem` sees every dropped line.
pub fn run(
    index: &PtIndex,
    sources: &[Source],
    options: &IngestOptions,
    progress: &Progress,
    on_problem: &mut dyn FnMut(Diagnostic<'_>),
) -> Result<IngestSummary> {
    let started = Instant::now();
    let mut writer = open_writer(index, options)?;
    let before = index.searcher()?.num_docs();
    let previous = CommitInfo::load(&index.index);
    let mut summary = IngestSummary::default();
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let mut per_source_docs = vec![0u64; sources.len()];
    let mut start = Start::default();
    if let Some(cp) = previous
        .checkpoint
        .as_ref()
        .filter(|cp| options.resume && cp.matches(sources))
    {
        start = Start {
            source: cp.source,
            position: cp.position,
        };
        per_source_docs.clone_from(&cp.documents);
        summary.resumed_from = Some(format!(
            "{}:{}",
            names.get(cp.source).map_or("?", String::as_str),
            cp.position.line
        ));
    }
    let checkpoint_for = |source: usize, position: Position, docs: &[u64]| CommitInfo {
        sources: previous.sources.clone(),
        checkpoint: Some(Checkpoint {
            inputs: names.clone(),
            sizes: sources.iter().map(Source::size).collect(),
            source,
            position,
            documents: docs.to_vec(),
        }),
    };

    let mut since_commit = 0u64;
    let mut last_commit = Instant::now();
    let at_start = index.searcher()?;
    let mut attach = Attach::new(attach::index_has_concepts(&at_start, &index.fields)?);
    // IDs that may be indexed: an upsert deletes only those (see `seen`).
    let mut seen = seen::ids_of(&at_start, index.fields.id);
    drop(at_start);
    // Where everything handed to the writer so far ends (the checkpoint of a commit that
    // happens before the next batch).
    let mut done_until = (start.source, start.position);
    let result: Result<()> = std::thread::scope(|scope| {
        let (tx, rx) = crossbeam_channel::bounded::<ReaderMsg>(CHANNEL_DEPTH);
        let bytes = progress.bytes.clone();
        let forced = options.format;
        scope.spawn(move || read_sources(sources, start, forced, bytes, tx));
        for msg in rx {
            let batch = match msg {
                ReaderMsg::SourceError(e) => {
                    summary.source_errors.push(e);
                    continue;
                }
                ReaderMsg::Batch(b) => b,
            };
            let has_patches = batch.docs.iter().any(|u| matches!(u, Unit::Patch(_)));
            if has_patches && attach.needs_commit_before_patch() {
                // Text written since the last commit must be visible to the lookups.
                let (src, pos) = done_until;
                commit::commit(&mut writer, &checkpoint_for(src, pos, &per_source_docs))?;
                attach.committed();
                summary.checkpoints += 1;
                since_commit = 0;
                last_commit = Instant::now();
            }
            let searcher = if has_patches || attach.carry() {
                Some(index.searcher()?)
            } else {
                None
            };
            let units: Vec<(Unit, Option<Document>)> = merge_batch_patches(batch.docs)
                .into_iter()
                .map(|u| {
                    let base = match &u {
                        Unit::Patch(p) => attach.take_pending(&p.id),
                        _ => None,
                    };
                    (u, base)
                })
                .collect();
            let prepared: Vec<Prepared> = units
                .into_par_iter()
                .map(|(unit, base)| unit.prepare(index, searcher.as_ref(), &attach, base))
                .collect::<Result<_>>()?;
            let source = &names[batch.source];
            for item in prepared {
                let (p, td) = match item {
                    Prepared::Doc(p, td) => (p, td),
                    Prepared::Patched(patched) => {
                        let PatchedDoc {
                            doc,
                            td,
                            new,
                            concept_types,
                            relations,
                        } = patched;
                        for t in concept_types {
                            *summary.concepts.entry(t).or_default() += 1;
                        }
                        summary.relations += relations;
                        summary.attached += 1;
                        summary.entity_only += u64::from(new);
                        // A new (entity-only) document replaces nothing.
                        if !new || seen.may_contain(&doc.id) {
                            writer.delete_term(Term::from_field_text(index.fields.id, &doc.id));
                        }
                        seen.insert(&doc.id);
                        writer.add_document(td)?;
                        attach.patched(doc);
                        summary.documents_written += 1;
                        since_commit += 1;
                        per_source_docs[batch.source] += 1;
                        progress.documents.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                };
                for problem in &p.problems {
                    if options.strict {
                        return Err(Error::Input {
                            path: source.clone(),
                            line: problem.line,
                            reason: problem.error.to_string(),
                        });
                    }
                    // A rejected block is counted once, in `rejected`.
                    if problem.error != LineError::NoTitle {
                        *summary
                            .skipped_lines
                            .entry(problem.error.kind().to_string())
                            .or_default() += 1;
                    }
                    on_problem(Diagnostic { source, problem });
                }
                for (rule, n) in OffsetRule::ALL.iter().zip(p.rules) {
                    *summary
                        .offset_rules
                        .entry(rule.name().to_string())
                        .or_default() += n;
                }
                let (Some(doc), Some(td)) = (p.document, td) else {
                    if p.problems.iter().any(|x| x.error == LineError::NoTitle) {
                        summary.rejected += 1;
                    }
                    continue;
                };
                for a in &doc.annotations {
                    *summary
                        .annotations
                        .entry(canonical_type(&a.raw_type).to_string())
                        .or_default() += 1;
                }
                summary.relations += doc.relations.len() as u64;
                if seen.may_contain(&doc.id) {
                    writer.delete_term(Term::from_field_text(index.fields.id, &doc.id));
                }
                seen.insert(&doc.id);
                writer.add_document(td)?;
                attach.replaced(&doc.id);
                summary.documents_written += 1;
                since_commit += 1;
                per_source_docs[batch.source] += 1;
                progress.documents.fetch_add(1, Ordering::Relaxed);
            }
            done_until = (batch.source, batch.end);
            if since_commit >= options.commit_every
                || last_commit.elapsed() >= options.commit_interval
                || attach.over_budget()
            {
                commit::commit(
                    &mut writer,
                    &checkpoint_for(batch.source, batch.end, &per_source_docs),
                )?;
                attach.committed();
                summary.checkpoints += 1;
                since_commit = 0;
                last_commit = Instant::now();
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        let _ = writer.rollback();
        return Err(e);
    }
    summary.bytes = progress.bytes.load(Ordering::Relaxed);
    commit::commit(
        &mut writer,
        &previous.clone().finished(sources, &per_source_docs),
    )?;
    writer.wait_merging_threads()?;
    let after = index.searcher()?.num_docs();
    summary.total_documents = after;
    summary.added = after.saturating_sub(before);
    summary.replaced = summary.documents_written.saturating_sub(summary.added);
    summary.elapsed = started.elapsed();
    Ok(summary)
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
    let mut batch = Batch {
        source,
        docs: Vec::new(),
        end: Position::default(),
    };
    let mut batch_bytes = 0usize;
    let mut alive = true;
    let mut on_item = |item: Item| {
        if !alive {
            return;
        }
        let parsed = match item {
            Item::Document(d) => {
                batch_bytes += d.passages.iter().map(|p| p.text.len()).sum::<usize>()
                    + 64 * d.annotations.len();
                Parsed {
                    document: Some(d),
                    ..Parsed::default()
                }
            }
            Item::Problem { line, message } => Parsed {
                problems: vec![Problem {
                    line,
                    error: LineError::Format(message),
                }],
                ..Parsed::default()
            },
        };
        batch.docs.push(Unit::Ready(parsed));
        if batch_bytes >= BATCH_BYTES {
            batch_bytes = 0;
            let full = std::mem::take(&mut batch.docs);
            alive = send(ReaderMsg::Batch(Batch {
                source,
                docs: full,
                end: Position::default(),
            }));
        }
    };
    let result = match format {
        InputFormat::BiocXml => interop::read_bioc_xml(input, &mut on_item),
        InputFormat::BiocJson => interop::read_bioc_json(input, &mut on_item),
        InputFormat::PubmedXml => interop::read_pubmed_xml(input, &mut on_item).map(|_| ()),
        InputFormat::Tar => interop::read_tar(input, &mut on_item).map(|_| ()),
        InputFormat::PubTator | InputFormat::PubTator3Tsv { .. } => Ok(()),
    };
    if alive && !batch.docs.is_empty() {
        send(ReaderMsg::Batch(batch));
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
    let mut docs: Vec<Unit> = Vec::new();
    let mut batch_bytes = 0usize;
    let mut alive = true;
    let mut on_item = |item: interop::BulkItem| {
        if !alive {
            return;
        }
        match item {
            interop::BulkItem::Patch { patch, .. } => {
                batch_bytes += 64
                    + patch
                        .concepts
                        .iter()
                        .flat_map(|c| c.mentions.iter().chain(&c.ids))
                        .map(|m| m.len() + 24)
                        .sum::<usize>()
                    + 96 * patch.relations.len();
                docs.push(Unit::Patch(patch));
            }
            interop::BulkItem::Problem { line, message } => {
                docs.push(Unit::Ready(Parsed {
                    problems: vec![Problem {
                        line,
                        error: LineError::Format(message),
                    }],
                    ..Parsed::default()
                }));
            }
        }
        if batch_bytes >= BATCH_BYTES {
            batch_bytes = 0;
            alive = send(ReaderMsg::Batch(Batch {
                source,
                docs: std::mem::take(&mut docs),
                end: Position::default(),
            }));
        }
    };
    let result = interop::read_tsv(input, kind, legacy_type, &mut on_item);
    if alive && !docs.is_empty() {
        send(ReaderMsg::Batch(Batch {
            source,
            docs,
            end: Position::default(),
        }));
    }
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
    let new_batch = |end| Batch {
        source,
        docs: Vec::new(),
        end,
    };
    let mut batch = new_batch(position);
    let mut batch_bytes = 0usize;
    loop {
        match reader.next_doc() {
            Ok(Some(doc)) => {
                batch_bytes += doc.byte_len();
                batch.end = doc.end;
                batch.docs.push(Unit::Lines(doc));
                if batch_bytes >= BATCH_BYTES {
                    let end = batch.end;
                    let full = std::mem::replace(&mut batch, new_batch(end));
                    batch_bytes = 0;
                    if !send(ReaderMsg::Batch(full)) {
                        return Ok(());
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                let line = batch.end.line;
                if !batch.docs.is_empty() {
                    send(ReaderMsg::Batch(batch));
                }
                return Err(format!("read error after line {line}: {e}"));
            }
        }
    }
    if !batch.docs.is_empty() {
        send(ReaderMsg::Batch(batch));
    }
    Ok(())
}

/// The reader thread: streams every source from `start`, detecting each one's format from its
/// first bytes (unless `forced`), cutting documents and batching them.
fn read_sources(
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
                None => Err("not PubTator, BioC XML or BioC JSON; skipped".to_string()),
            }
        };
        if let Err(msg) = outcome {
            if !report(msg) {
                return;
            }
        }
    }
}
