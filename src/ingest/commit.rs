//! Writing the commit payload ([`CommitInfo`], defined in `index::commit` because `stats` reads
//! it too): atomically with the data in tantivy's commit (`PreparedCommit::set_payload`), never
//! in a side file that could run ahead of the data.

use crate::error::Result;
use crate::index::commit::{Checkpoint, CommitInfo, SourceRecord};
use crate::ingest::Source;
use std::time::{SystemTime, UNIX_EPOCH};
use tantivy::{IndexWriter, TantivyDocument};

impl Checkpoint {
    /// True when `sources` are the inputs this checkpoint was taken for (same names and sizes,
    /// and no stdin, which cannot be replayed).
    pub fn matches(&self, sources: &[Source]) -> bool {
        sources.iter().all(|s| *s != Source::Stdin)
            && self.inputs == sources.iter().map(Source::name).collect::<Vec<_>>()
            && self.sizes == sources.iter().map(Source::size).collect::<Vec<_>>()
    }
}

/// Seconds since the Unix epoch.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl CommitInfo {
    /// This info once a run over `sources` has finished.
    pub fn finished(mut self, sources: &[Source], documents: &[u64]) -> CommitInfo {
        let at = now();
        for (s, n) in sources.iter().zip(documents) {
            self.sources.push(SourceRecord {
                path: s.name(),
                size: s.size(),
                indexed_at: at,
                documents: *n,
            });
        }
        self.checkpoint = None;
        self
    }
}

/// Takes the index's writer lock with `threads` indexing threads and a `memory` budget in
/// bytes; [`Error::Locked`](crate::Error::Locked) when another writer holds it.
pub fn lock_writer(
    index: &crate::PtIndex,
    threads: usize,
    memory: usize,
) -> Result<IndexWriter<TantivyDocument>> {
    index
        .index
        .writer_with_num_threads(threads, memory)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => crate::Error::Locked(index.path.clone()),
            other => crate::Error::Tantivy(other),
        })
}

/// Commits everything added so far with `info` as payload.
pub fn commit(writer: &mut IndexWriter<TantivyDocument>, info: &CommitInfo) -> Result<()> {
    let payload = serde_json::to_string(info).unwrap_or_default();
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}
