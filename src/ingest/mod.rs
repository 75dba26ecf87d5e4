//! The ingest pipeline, the write side: inputs → documents → one tantivy `IndexWriter`.
//!
//! A reader thread (`read`) streams each source, cuts documents and groups them into
//! batches of about [`BATCH_BYTES`] on a bounded channel (so memory stays flat whatever the
//! input size). The calling thread owns the document writer (`writer`): it has each batch
//! parsed in parallel with rayon (`prepare`), then writes the documents in input order,
//! deleting any earlier document with the same ID first (upsert; only for IDs that may exist,
//! see `seen`). Bad lines are reported through a callback, counted, and dropped; a tantivy
//! error is fatal and nothing after the last checkpoint is committed.
//!
//! Every `commit_every` documents or `commit_interval`, the run commits with a [`Checkpoint`](crate::index::commit::Checkpoint)
//! (input, byte offset and line after the last submitted document) in the commit payload. A run
//! given the same inputs again resumes after the last checkpoint; because documents are upserted
//! by ID, the final index equals an uninterrupted run.

pub mod attach;
mod commit;
pub mod layering;
pub mod optimize;
mod prepare;
pub mod progress;
mod read;
mod rename;
mod seen;
pub mod source;
mod summary;
mod writer;

pub use read::BATCH_BYTES;
pub use rename::rename_source;
pub use source::{expand_inputs, expand_named, Source};
pub use summary::IngestSummary;

use crate::error::Result;
use crate::interop::InputFormat;
pub use crate::pubtator::layers::TextChoice;
use crate::pubtator::Problem;
use crate::PtIndex;
use read::ReaderMsg;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};
use writer::DocWriter;

/// The options of `index` as every front end takes them (CLI flags, Python keyword
/// arguments), in their users' units; [`IngestFlags::options`] turns them into the run's
/// [`IngestOptions`], so that no front end repeats the conversion.
#[derive(Debug, Clone)]
pub struct IngestFlags {
    /// Indexing threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Writer memory budget in MB.
    pub memory_mb: usize,
    /// Stop at the first bad line.
    pub strict: bool,
    /// Commit after this many documents (at least 1).
    pub commit_every: u64,
    /// Commit after this many seconds.
    pub commit_interval_secs: u64,
    /// Resume after an interrupted run's checkpoint.
    pub resume: bool,
    /// The input format (`auto`: detected per input).
    pub format: crate::interop::FormatChoice,
    /// One source (layer) name for every input (`None`: each input's own name).
    pub source: Option<String>,
    /// Layers off: a document read again replaces the stored one whole.
    pub replace: bool,
    /// Which text wins when a source brings a different one.
    pub text: TextChoice,
    /// Attach metadata only.
    pub metadata_only: bool,
    /// What the inputs' document IDs are (`None`: as recorded for their source names).
    pub ids: Option<crate::index::commit::DocIds>,
}

impl IngestFlags {
    /// The run's options for the inputs `named` ([`expand_named`]: each with its name).
    pub fn options(&self, named: &[(Source, String)]) -> IngestOptions {
        IngestOptions {
            threads: self
                .threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            memory_bytes: self.memory_mb.saturating_mul(1 << 20),
            strict: self.strict,
            commit_every: self.commit_every.max(1),
            commit_interval: Duration::from_secs(self.commit_interval_secs),
            resume: self.resume,
            format: self.format.forced(),
            source_names: named
                .iter()
                .map(|(_, name)| self.source.clone().unwrap_or_else(|| name.clone()))
                .collect(),
            replace: self.replace,
            text: self.text,
            metadata_only: self.metadata_only,
            ids: self.ids,
        }
    }
}

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
    /// The annotation layer (source) name of each input, in order ([`expand_named`]); an
    /// input without one is named after its file ([`source::source_name`]).
    pub source_names: Vec<String>,
    /// Turn layers off: a document read again replaces the stored one whole.
    pub replace: bool,
    /// Which text wins when a source brings a text that differs from the stored one.
    pub text: TextChoice,
    /// Attach metadata only: stored texts and annotations stay, documents the index does not
    /// hold are skipped.
    pub metadata_only: bool,
    /// Declare what the inputs' document IDs are (`None`: as the index already records for
    /// their source names, PMIDs for a new source).
    pub ids: Option<crate::index::commit::DocIds>,
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
            source_names: Vec::new(),
            replace: false,
            text: TextChoice::Auto,
            metadata_only: false,
            ids: None,
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

/// Runs the pipeline over `sources` into `index`. `on_problem` sees every dropped line.
pub fn run(
    index: &PtIndex,
    sources: &[Source],
    options: &IngestOptions,
    progress: &Progress,
    on_problem: &mut dyn FnMut(Diagnostic<'_>),
) -> Result<IngestSummary> {
    let started = Instant::now();
    let mut writer = DocWriter::open(index, sources, options, progress)?;
    let start = writer.start();
    let result: Result<()> = std::thread::scope(|scope| {
        let (tx, rx) = crossbeam_channel::bounded::<ReaderMsg>(CHANNEL_DEPTH);
        let bytes = progress.bytes.clone();
        let forced = options.format;
        scope.spawn(move || read::read_sources(sources, start, forced, bytes, tx));
        for msg in rx {
            match msg {
                ReaderMsg::SourceError(e) => writer.source_error(e),
                ReaderMsg::Delete(ids) => writer.delete(&ids)?,
                ReaderMsg::Batch(batch) => writer.write_batch(batch, on_problem)?,
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        writer.abandon();
        return Err(e);
    }
    writer.finish(started)
}
