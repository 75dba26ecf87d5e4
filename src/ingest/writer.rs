//! The document writer, last stage of ingest: the one owner of the tantivy `IndexWriter`. It
//! takes each batch from the reader thread ([`super::read`]), has it prepared in parallel
//! ([`super::prepare`]), then in input order upserts the documents (a delete only for IDs that
//! may exist, see [`super::seen`]) after merging them with their stored annotation layers
//! ([`super::layering`]), keeps the read-modify-write state of bulk rows ([`super::attach`]), reports and counts bad lines, and commits checkpoints
//! ([`super::commit`]).
//!
//! Every document written gets the commit marks ([`crate::index::marks`]): the sequence
//! number of the commit that will make it visible as `last_commit`, and as `first_commit`
//! the stored one when the index already holds its ID (read from the last commit, which
//! still shows the older version), else the same number. The number is committed in the
//! payload with the data, so a run killed before its commit leaves no mark behind.

use super::attach::{self, Attach};
use super::commit;
use super::layering::{merge_stored, Layering};
use super::prepare::{self, PatchedDoc, Prepared};
use super::read::{Batch, Start, Unit};
use super::seen::{self, SeenIds};
use super::{Diagnostic, IngestOptions, IngestSummary, Progress, Source};
use crate::error::{Error, Result};
use crate::index::commit::{Checkpoint, CommitInfo};
use crate::index::document::to_tantivy;
use crate::index::marks::{marks_of, Marks};
use crate::pubtator::ids::canonical_type;
use crate::pubtator::layers::MergeMode;
use crate::pubtator::offsets::OffsetRule;
use crate::pubtator::{Document, LineError, Parsed};
use crate::PtIndex;
use std::sync::atomic::Ordering;
use std::time::Instant;
use tantivy::{IndexWriter, TantivyDocument, Term};

/// What merging with the stored version gave.
enum Merged {
    /// No stored version: write the document as parsed.
    New,
    /// Write this merged form instead.
    Into(TantivyDocument),
    /// Write nothing (unchanged, or `--metadata-only` for an ID the index lacks).
    Skip,
}

/// Writes the documents of one ingest run and commits its checkpoints.
pub(super) struct DocWriter<'a> {
    index: &'a PtIndex,
    sources: &'a [Source],
    options: &'a IngestOptions,
    progress: &'a Progress,
    writer: IndexWriter<TantivyDocument>,
    /// Input names, for messages and checkpoints.
    names: Vec<String>,
    /// The payload of the last commit before the run.
    previous: CommitInfo,
    /// Documents in the index when the run started.
    before: u64,
    summary: IngestSummary,
    per_source_docs: Vec<u64>,
    /// IDs that may be indexed: an upsert deletes only those.
    seen: SeenIds,
    attach: Attach,
    /// IDs written since the last commit, for merges with stored layers.
    layering: Layering,
    /// The layer name of each input.
    layer_names: Vec<String>,
    since_commit: u64,
    last_commit: Instant,
    /// Where the reader starts (a resumed run starts at the last checkpoint).
    start: Start,
    /// Where everything handed to the writer so far ends: the checkpoint of the next commit.
    done_until: Start,
    /// Sequence number of the next commit: the mark of the documents written until then.
    seq: u64,
    /// HomoloGene pairs read since the last commit, stored before the next one.
    homologene: std::collections::BTreeSet<(u64, u64)>,
}

fn open_writer(index: &PtIndex, options: &IngestOptions) -> Result<IndexWriter<TantivyDocument>> {
    let threads = options.threads.max(1);
    let memory = options.memory_bytes.max(threads * (16 << 20));
    let writer = commit::lock_writer(index, threads, memory)?;
    writer.set_merge_policy(Box::new(super::optimize::bulk_merge_policy()));
    // Files a killed writer left behind are not referenced by any commit: remove them now.
    writer.garbage_collect_files().wait()?;
    Ok(writer)
}

impl<'a> DocWriter<'a> {
    /// Locks `index` for writing and reads where a run over `sources` starts (after the
    /// checkpoint of an interrupted run over the same inputs, when `options.resume`).
    pub fn open(
        index: &'a PtIndex,
        sources: &'a [Source],
        options: &'a IngestOptions,
        progress: &'a Progress,
    ) -> Result<DocWriter<'a>> {
        let writer = open_writer(index, options)?;
        let before = index.searcher()?.num_docs();
        let mut previous = CommitInfo::load(&index.index);
        let seq = previous.seq;
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
        let at_start = index.searcher()?;
        let attach = Attach::new(attach::index_has_concepts(&at_start, &index.fields)?);
        let seen = seen::ids_of(&at_start, index.fields.id);
        let layer_names = sources
            .iter()
            .enumerate()
            .map(|(i, s)| match options.source_names.get(i) {
                Some(n) if !n.is_empty() => n.clone(),
                _ => match s {
                    Source::File(p) => super::source::source_name(
                        p.file_name().map_or(p.as_path(), std::path::Path::new),
                    ),
                    Source::Stdin => "stdin".to_string(),
                },
            })
            .collect::<Vec<String>>();
        if let Some(ids) = options.ids {
            previous.declare_ids(&layer_names, ids);
        }
        Ok(DocWriter {
            index,
            sources,
            options,
            progress,
            writer,
            names,
            previous,
            before,
            summary,
            per_source_docs,
            seen,
            attach,
            layering: Layering::new(options.replace),
            layer_names,
            since_commit: 0,
            last_commit: Instant::now(),
            start,
            done_until: start,
            seq: seq + 1,
            homologene: Default::default(),
        })
    }

    /// Where the reader must start.
    pub fn start(&self) -> Start {
        self.start
    }

    /// Records an input that could not be read to the end.
    pub fn source_error(&mut self, message: String) {
        match message.strip_suffix(super::summary::UNSUPPORTED) {
            Some(name) => self
                .summary
                .unsupported_inputs
                .push(name.trim_end_matches(": ").to_string()),
            None => self.summary.source_errors.push(message),
        }
    }

    /// Writes one batch; `on_problem` sees every dropped line.
    pub fn write_batch(
        &mut self,
        batch: Batch,
        on_problem: &mut dyn FnMut(Diagnostic<'_>),
    ) -> Result<()> {
        self.homologene.extend(batch.homologene);
        let has_patches = batch.docs.iter().any(|u| matches!(u, Unit::Patch(_)));
        if has_patches && self.attach.needs_commit_before_patch() {
            // Text written since the last commit must be visible to the lookups.
            self.checkpoint()?;
        }
        let searcher = if has_patches || self.attach.carry() {
            Some(self.index.searcher()?)
        } else {
            None
        };
        let layer = self
            .layer_names
            .get(batch.source)
            .map_or("", String::as_str);
        let prepared = prepare::prepare_batch(
            self.index,
            searcher.as_ref(),
            &mut self.attach,
            batch.docs,
            layer,
            self.options.replace,
        )?;
        for item in prepared {
            match item {
                Prepared::Doc(parsed, td) => {
                    self.write_parsed(batch.source, parsed, td, on_problem)?
                }
                Prepared::Patched(patched) => self.write_patched(batch.source, patched)?,
            }
        }
        self.done_until = Start {
            source: batch.source,
            position: batch.end,
        };
        if self.since_commit >= self.options.commit_every
            || self.last_commit.elapsed() >= self.options.commit_interval
            || self.attach.over_budget()
        {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Reports and counts a parsed unit's problems, then writes its document, if any.
    fn write_parsed(
        &mut self,
        source: usize,
        p: Parsed,
        td: Option<TantivyDocument>,
        on_problem: &mut dyn FnMut(Diagnostic<'_>),
    ) -> Result<()> {
        let name = &self.names[source];
        let summary = &mut self.summary;
        for problem in &p.problems {
            if self.options.strict {
                return Err(Error::Input {
                    path: name.clone(),
                    line: problem.line,
                    reason: problem.error.to_string(),
                });
            }
            // A rejected block is counted once, in `rejected`.
            if problem.error != LineError::NoTitle {
                let kind = problem.error.kind();
                *summary.skipped_lines.entry(kind.to_string()).or_default() += 1;
                summary
                    .skipped_examples
                    .entry(kind.to_string())
                    .or_insert_with(|| format!("{name}:{}", problem.line));
            }
            on_problem(Diagnostic {
                source: name,
                problem,
            });
        }
        for (rule, n) in OffsetRule::ALL.iter().zip(p.rules) {
            *summary
                .offset_rules
                .entry(rule.name().to_string())
                .or_default() += n;
        }
        let (Some(mut doc), Some(mut td)) = (p.document, td) else {
            if p.problems.iter().any(|x| x.error == LineError::NoTitle) {
                summary.rejected += 1;
            }
            return Ok(());
        };
        if !self.options.metadata_only {
            for a in &doc.annotations {
                *summary
                    .annotations
                    .entry(canonical_type(&a.raw_type).to_string())
                    .or_default() += 1;
            }
            summary.relations += doc.relations.len() as u64;
        }
        match self.merge_layers(&mut doc)? {
            Merged::New => {}
            Merged::Into(merged) => td = merged,
            Merged::Skip => {
                self.per_source_docs[source] += 1;
                self.progress.documents.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        self.add(source, &doc.id, td, false)?;
        self.attach.replaced(&doc.id);
        Ok(())
    }

    /// Counts and writes a document that received bulk rows.
    fn write_patched(&mut self, source: usize, patched: PatchedDoc) -> Result<()> {
        let PatchedDoc {
            doc,
            td,
            new,
            concept_types,
            relations,
        } = patched;
        for t in concept_types {
            *self.summary.concepts.entry(t).or_default() += 1;
        }
        self.summary.relations += relations;
        self.summary.attached += 1;
        self.summary.entity_only += u64::from(new);
        // A new (entity-only) document replaces nothing.
        self.add(source, &doc.id, td, !new)?;
        self.attach.patched(doc);
        Ok(())
    }

    /// Merges `doc` with the stored version of its ID, if any: a lookup only for IDs the
    /// index may hold, after a commit when the ID may have been written since the last one.
    /// With `--replace` the stored version is only read to count what it loses.
    fn merge_layers(&mut self, doc: &mut Document) -> Result<Merged> {
        let known = self.seen.may_contain(&doc.id);
        if !known {
            if self.options.metadata_only {
                self.summary.layers.metadata_only_missing += 1;
                return Ok(Merged::Skip);
            }
            return Ok(Merged::New);
        }
        if self.layering.needs_commit(&doc.id) {
            self.checkpoint()?;
        }
        let searcher = self.index.searcher()?;
        if self.layering.replace() {
            if let Some(stored) = crate::index::find_in(&searcher, &self.index.fields, &doc.id)? {
                let source = doc.layers.first().map_or("", |l| l.source.as_str());
                self.summary.layers.dropped_by_replace(&stored, source);
            }
            return Ok(Merged::New);
        }
        let mode = MergeMode {
            text: self.options.text,
            metadata_only: self.options.metadata_only,
        };
        let Some(outcome) = merge_stored(&searcher, &self.index.fields, doc, mode)? else {
            if self.options.metadata_only {
                self.summary.layers.metadata_only_missing += 1;
                return Ok(Merged::Skip);
            }
            return Ok(Merged::New);
        };
        self.summary.layers.add(&doc.id, &outcome);
        if !outcome.changed {
            return Ok(Merged::Skip);
        }
        Ok(Merged::Into(to_tantivy(&self.index.fields, doc)))
    }

    /// Removes the documents of PubMed `DeleteCitation` PMIDs (whole, with every layer); IDs
    /// the index does not hold are ignored.
    pub fn delete(&mut self, ids: &[String]) -> Result<()> {
        if ids.iter().any(|id| self.layering.needs_commit(id)) {
            self.checkpoint()?;
        }
        let searcher = self.index.searcher()?;
        for id in ids {
            if !self.seen.may_contain(id) {
                continue;
            }
            let term = Term::from_field_text(self.index.fields.id, id);
            if searcher.doc_freq(&term)? > 0 {
                self.writer.delete_term(term);
                self.summary.deleted += 1;
            }
        }
        Ok(())
    }

    /// Upserts one document read from input `source`: deletes the ID first when it is known
    /// to be indexed (`replaces`) or may be.
    fn add(
        &mut self,
        source: usize,
        id: &str,
        mut td: TantivyDocument,
        replaces: bool,
    ) -> Result<()> {
        let mut marks = Marks {
            first: self.seq,
            last: self.seq,
        };
        if replaces || self.seen.may_contain(id) {
            self.writer
                .delete_term(Term::from_field_text(self.index.fields.id, id));
            let searcher = self.index.searcher()?;
            if let Some(stored) = marks_of(&searcher, &self.index.fields, id)? {
                marks.first = stored.first;
            }
        }
        marks.add_to(&self.index.fields, &mut td);
        self.seen.insert(id);
        self.layering.written(id);
        self.writer.add_document(td)?;
        self.summary.documents_written += 1;
        self.since_commit += 1;
        self.per_source_docs[source] += 1;
        self.progress.documents.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Commits everything written so far with a checkpoint at `done_until`.
    fn checkpoint(&mut self) -> Result<()> {
        self.number_commit();
        let info = CommitInfo {
            sources: self.previous.sources.clone(),
            checkpoint: Some(Checkpoint {
                inputs: self.names.clone(),
                sizes: self.sources.iter().map(Source::size).collect(),
                source: self.done_until.source,
                position: self.done_until.position,
                documents: self.per_source_docs.clone(),
            }),
            seq: self.previous.seq,
            times: self.previous.times.clone(),
            local_ids: self.previous.local_ids.clone(),
        };
        self.store_homologene()?;
        commit::commit(&mut self.writer, &info)?;
        self.attach.committed();
        self.layering.committed();
        self.summary.checkpoints += 1;
        self.since_commit = 0;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Merges the HomoloGene pairs read since the last commit into the stored vocabulary.
    /// Done before the commit: the stored pairs then always cover the committed documents.
    fn store_homologene(&mut self) -> Result<()> {
        let pairs = std::mem::take(&mut self.homologene);
        self.summary.homologene_pairs +=
            crate::vocab::homologene::merge(&self.index.path, &pairs)? as u64;
        Ok(())
    }

    /// Numbers the coming commit when it writes documents: its sequence number and time go
    /// into the payload, and later documents get the next number.
    fn number_commit(&mut self) {
        if self.since_commit > 0 {
            self.previous.seq = self.seq;
            self.previous.times.push([self.seq, commit::now()]);
            self.seq += 1;
        }
    }

    /// Drops everything written since the last commit.
    pub fn abandon(mut self) {
        let _ = self.writer.rollback();
    }

    /// Commits the finished run (recording its sources, without a checkpoint), waits for
    /// merges and returns the run's summary.
    pub fn finish(mut self, started: Instant) -> Result<IngestSummary> {
        self.number_commit();
        self.store_homologene()?;
        let mut summary = std::mem::take(&mut self.summary);
        summary.bytes = self.progress.bytes.load(Ordering::Relaxed);
        let info = self.previous.finished(self.sources, &self.per_source_docs);
        commit::commit(&mut self.writer, &info)?;
        self.writer.wait_merging_threads()?;
        let searcher = self.index.searcher()?;
        let after = searcher.num_docs();
        summary.total_documents = after;
        summary.segments = searcher.segment_readers().len();
        summary.added = after.saturating_sub(self.before);
        summary.replaced = summary.documents_written.saturating_sub(summary.added);
        summary.elapsed = started.elapsed();
        Ok(summary)
    }
}
