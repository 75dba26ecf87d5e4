//! The commit payload: the sources indexed so far and, while a run is in progress, the
//! checkpoint to resume from. It is stored atomically with the data in tantivy's commit
//! (`PreparedCommit::set_payload`), never in a side file that could run ahead of the data.

use crate::error::Result;
use crate::ingest::Source;
use crate::pubtator::Position;
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// One indexed input.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceRecord {
    /// Path (or `<stdin>`).
    pub path: String,
    /// Size in bytes, when known.
    pub size: Option<u64>,
    /// When it was indexed (seconds since the Unix epoch).
    pub indexed_at: u64,
    /// Documents read from it.
    pub documents: u64,
}

/// Where an interrupted run stopped: everything before `position` of input `source` is in
/// the committed index.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Checkpoint {
    /// Names of the run's inputs, in order.
    pub inputs: Vec<String>,
    /// Their sizes (a changed file is not resumed).
    pub sizes: Vec<Option<u64>>,
    /// Index of the input being read.
    pub source: usize,
    /// Position in that input after the last committed document.
    pub position: Position,
    /// Documents written so far per input.
    pub documents: Vec<u64>,
}

impl Checkpoint {
    /// True when `sources` are the inputs this checkpoint was taken for (same names and sizes,
    /// and no stdin, which cannot be replayed).
    pub fn matches(&self, sources: &[Source]) -> bool {
        sources.iter().all(|s| *s != Source::Stdin)
            && self.inputs == sources.iter().map(Source::name).collect::<Vec<_>>()
            && self.sizes == sources.iter().map(Source::size).collect::<Vec<_>>()
    }
}

/// What the last commit recorded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommitInfo {
    /// Every source indexed to the end so far, oldest first.
    #[serde(default)]
    pub sources: Vec<SourceRecord>,
    /// Set while a run is in progress (and after it was interrupted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl CommitInfo {
    /// Reads the payload of the last commit (empty when there is none or it is unreadable).
    pub fn load(index: &Index) -> CommitInfo {
        index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default()
    }

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

/// Commits everything added so far with `info` as payload.
pub fn commit(writer: &mut IndexWriter<TantivyDocument>, info: &CommitInfo) -> Result<()> {
    let payload = serde_json::to_string(info).unwrap_or_default();
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}
