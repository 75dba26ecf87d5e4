//! The commit payload's types, read by both sides: the sources indexed so far and, while a run
//! is in progress, the checkpoint to resume from. The write side (`ingest::commit`) stores it
//! atomically with the data in tantivy's commit (`PreparedCommit::set_payload`); `stats` reads it.

use crate::pubtator::Position;
use serde::{Deserialize, Serialize};
use tantivy::Index;

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
}
