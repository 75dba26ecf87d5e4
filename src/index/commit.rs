//! The commit payload's types, read by both sides: the sources indexed so far and, while a run
//! is in progress, the checkpoint to resume from. The write side (`ingest::commit`) stores it
//! atomically with the data in tantivy's commit (`PreparedCommit::set_payload`); `stats` reads it.

use crate::pubtator::{Document, Position};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
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
    /// Sequence number of the last commit that wrote documents (0 before the first): the
    /// documents of that commit carry it in their marks ([`crate::index::marks`]).
    #[serde(default)]
    pub seq: u64,
    /// When each numbered commit was made: `[seq, seconds since the Unix epoch]`, oldest
    /// first (`news --since DATE` finds the first commit after a date here).
    #[serde(default)]
    pub times: Vec<[u64; 2]>,
    /// Sources (layer names) whose document IDs are not PMIDs (`index --ids local`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_ids: Vec<String>,
}

/// What a source's document IDs are (`index --ids`): PMIDs, or the source's own numbering
/// (a corpus's document ordinals), which is never linked to PubMed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocIds {
    /// PubMed IDs.
    Pmid,
    /// IDs of the source's own.
    Local,
}

impl crate::names::Named for DocIds {
    const WHAT: &'static str = "document ID kind";
    const NAMES: &'static [(DocIds, &'static [&'static str])] =
        &[(DocIds::Pmid, &["pmid"]), (DocIds::Local, &["local"])];
}

impl std::str::FromStr for DocIds {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::names::parse_named(s)
    }
}

/// The sources whose document IDs are not PMIDs, read from the commit payload: a document
/// links to PubMed unless every annotation layer of it comes from one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalIds(Arc<[String]>);

impl LocalIds {
    /// The sources the index's last commit declares local.
    pub fn load(index: &Index) -> LocalIds {
        LocalIds(CommitInfo::load(index).local_ids.into())
    }

    /// True when `source` was declared local.
    pub fn is_local_source(&self, source: &str) -> bool {
        self.0.iter().any(|s| s == source)
    }

    /// True when `doc`'s ID is a PMID: no source is declared local, the document has no
    /// layer, or one of its layers comes from a source with PMIDs.
    pub fn is_pmid(&self, doc: &Document) -> bool {
        is_pmid(&self.0, doc)
    }

    /// PubMed's page of `doc`, when its ID is a PMID ([`crate::pubtator::ids::pubmed_url`])
    /// and no declaration says otherwise.
    pub fn pubmed_url(&self, doc: &Document) -> Option<String> {
        crate::pubtator::ids::pubmed_url(&doc.id).filter(|_| self.is_pmid(doc))
    }
}

/// True when `doc`'s ID is a PMID given the sources declared `local`: none is, the document
/// has no layer, or one of its layers comes from a source with PMIDs.
pub fn is_pmid(local: &[String], doc: &Document) -> bool {
    local.is_empty()
        || doc.layers.is_empty()
        || doc.layers.iter().any(|l| !local.contains(&l.source))
}

impl CommitInfo {
    /// Records that the sources `names` have document IDs of kind `ids`.
    pub fn declare_ids(&mut self, names: &[String], ids: DocIds) {
        for n in names {
            let has = self.local_ids.contains(n);
            match ids {
                DocIds::Local if !has => self.local_ids.push(n.clone()),
                DocIds::Pmid if has => self.local_ids.retain(|x| x != n),
                _ => {}
            }
        }
    }

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

impl CommitInfo {
    /// The sequence number of the last commit made before `secs` (seconds since the Unix
    /// epoch): documents first indexed on or after `secs` have a greater mark.
    pub fn seq_before(&self, secs: u64) -> u64 {
        self.times
            .iter()
            .filter(|[_, at]| *at < secs)
            .map(|[seq, _]| *seq)
            .max()
            .unwrap_or(0)
    }
}

/// `2026-12-02T22:32:17Z` for seconds since the Unix epoch (proleptic Gregorian, UTC).
pub fn iso8601_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = crate::pubtator::meta::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso8601_utc;

    #[test]
    fn epoch_seconds_print_as_iso_8601_utc() {
        assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00Z");
        // `date -u -d @951782400` (a leap day) and `date -u -d @1796162064`.
        assert_eq!(iso8601_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601_utc(1_796_162_064), "2026-12-01T21:54:24Z");
        assert_eq!(iso8601_utc(4_107_542_399), "2100-02-28T23:59:59Z");
    }
}
