//! Segment merging, the write side after ingest: the merge policy of bulk runs, which never
//! rewrites a full segment while documents stream in (merging is what made ingest superlinear
//! beyond 1M documents), and [`optimize`], the explicit merge down to a chosen number of
//! segments for users who want fewer segments afterwards (`ptsearch optimize`).

use crate::error::Result;
use crate::PtIndex;
use std::time::{Duration, Instant};
use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};

/// Segments with more live documents than this are never merged during ingest. Segments
/// flushed from a full writer budget hold 100k–200k abstracts and stay as they are; the small
/// ones a commit or a small run leaves (a checkpoint flushes every thread's partial segment)
/// are merged [`SMALL_MERGE_FAN_IN`] at a time.
pub const SMALL_SEGMENT_DOCS: usize = 50_000;

/// How many small segments are merged into one.
pub const SMALL_MERGE_FAN_IN: usize = 8;

/// The merge policy of `ptsearch index`: merge only small segments (see
/// [`SMALL_SEGMENT_DOCS`]), so each document is written once by the run and a 36M-document
/// build spends its time indexing, not rewriting. Run [`optimize`] for fewer segments.
pub fn bulk_merge_policy() -> LogMergePolicy {
    let mut p = LogMergePolicy::default();
    p.set_max_docs_before_merge(SMALL_SEGMENT_DOCS);
    p.set_min_num_segments(SMALL_MERGE_FAN_IN);
    p
}

/// What [`optimize`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OptimizeSummary {
    /// Segments before.
    pub segments_before: usize,
    /// Segments after.
    pub segments_after: usize,
    /// Live documents (unchanged by merging).
    pub documents: u64,
    /// Deleted documents dropped by the merges.
    pub deleted_dropped: u64,
    /// Documents rewritten (the live documents of every merged segment).
    pub documents_rewritten: u64,
    /// Wall time.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Groups segments (ID, live documents) into at most `target` groups of about equal size:
/// largest first, each into the group with the fewest documents so far. Groups of one segment
/// need no merge.
pub fn plan_merges(mut segments: Vec<(SegmentId, u64)>, target: usize) -> Vec<Vec<SegmentId>> {
    let target = target.max(1);
    if segments.len() <= target {
        return Vec::new();
    }
    segments.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut groups: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); target];
    for (id, docs) in segments {
        if let Some(smallest) = groups.iter_mut().min_by_key(|g| g.0) {
            smallest.0 += docs;
            smallest.1.push(id);
        }
    }
    groups
        .into_iter()
        .map(|(_, ids)| ids)
        .filter(|ids| ids.len() > 1)
        .collect()
}

/// Merges the segments of `index` down to at most `target` segments of about equal size
/// (deleted documents are dropped on the way) and commits. Takes the writer lock like an
/// ingest run ([`Error::Locked`](crate::Error::Locked) when one is running); searches keep working meanwhile and
/// see the merged segments after the commit.
pub fn optimize(index: &PtIndex, target: usize) -> Result<OptimizeSummary> {
    let started = Instant::now();
    let metas = index.index.searchable_segment_metas()?;
    let before = metas.len();
    let documents: u64 = metas.iter().map(|m| u64::from(m.num_docs())).sum();
    let sizes: Vec<(SegmentId, u64)> = metas
        .iter()
        .map(|m| (m.id(), u64::from(m.num_docs())))
        .collect();
    let plan = plan_merges(sizes.clone(), target);
    let rewritten: u64 = plan
        .iter()
        .flatten()
        .filter_map(|id| sizes.iter().find(|(s, _)| s == id).map(|(_, n)| *n))
        .sum();
    let mut dropped = 0u64;
    if !plan.is_empty() {
        let mut writer = super::commit::lock_writer(index, 1, 64 << 20)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let merges: Vec<_> = plan.iter().map(|group| writer.merge(group)).collect();
        for m in merges {
            m.wait()?;
        }
        writer.wait_merging_threads()?;
        let merged: std::collections::HashSet<SegmentId> = plan.iter().flatten().copied().collect();
        dropped = metas
            .iter()
            .filter(|m| merged.contains(&m.id()))
            .map(|m| u64::from(m.num_deleted_docs()))
            .sum();
    }
    let after = index.index.searchable_segment_metas()?.len();
    Ok(OptimizeSummary {
        segments_before: before,
        segments_after: after,
        documents,
        deleted_dropped: dropped,
        documents_rewritten: rewritten,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_plans_balance_documents_and_skip_single_segments() {
        let ids: Vec<SegmentId> = (0..6).map(|_| SegmentId::generate_random()).collect();
        let sizes = [100, 90, 50, 40, 10, 5];
        let segments: Vec<(SegmentId, u64)> = ids.iter().copied().zip(sizes).collect();
        // Already few enough segments: nothing to merge.
        assert!(plan_merges(segments.clone(), 6).is_empty());
        assert!(plan_merges(segments.clone(), 9).is_empty());
        // One segment: every segment in one merge.
        let one = plan_merges(segments.clone(), 1);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].len(), 6);
        // Two: 100+40+5 = 145 and 90+50+10 = 150.
        let two = plan_merges(segments.clone(), 2);
        let total = |g: &Vec<SegmentId>| -> u64 {
            g.iter()
                .map(|id| segments.iter().find(|s| s.0 == *id).unwrap().1)
                .sum()
        };
        let mut totals: Vec<u64> = two.iter().map(total).collect();
        totals.sort();
        assert_eq!(totals, [145, 150]);
        // Five groups for six segments: the two smallest merge, the rest stay.
        let five = plan_merges(segments.clone(), 5);
        assert_eq!(five.len(), 1);
        assert_eq!(total(&five[0]), 15);
    }
}
