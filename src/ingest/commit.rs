//! The commit payload: the list of sources indexed so far, stored atomically with the data in
//! tantivy's commit (never in a side file that could run ahead of it).

use crate::error::Result;
use crate::ingest::Source;
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

/// What the last commit recorded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommitInfo {
    /// Every source indexed so far, oldest first.
    #[serde(default)]
    pub sources: Vec<SourceRecord>,
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

    /// This info plus one run over `sources`.
    pub fn with_run(mut self, sources: &[Source], documents: &[u64]) -> CommitInfo {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        for (s, n) in sources.iter().zip(documents) {
            self.sources.push(SourceRecord {
                path: s.name(),
                size: s.size(),
                indexed_at: now,
                documents: *n,
            });
        }
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
