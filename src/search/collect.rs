//! Collecting ranked hits: the best `limit` documents by (score desc, ID asc), in one pass
//! over the matches (numeric IDs compare by value, other IDs by text).

use crate::index::IdColumns;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FastFieldReaders;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// One ranked hit (before its document is loaded).
#[derive(Debug, Clone)]
pub struct ScoredDoc {
    /// BM25-based score.
    pub score: Score,
    /// Sort key of the ID (see [`crate::index::schema::id_sort_key`]).
    pub id_num: u64,
    /// The ID text, only fetched for non-numeric IDs.
    pub id_text: Option<String>,
    /// Where the document is.
    pub address: DocAddress,
}

impl ScoredDoc {
    /// Rank order: higher score first, then lower ID.
    fn rank_cmp(&self, other: &ScoredDoc) -> Ordering {
        other
            .score
            .partial_cmp(&self.score)
            .unwrap_or(Ordering::Equal)
            .then(self.id_num.cmp(&other.id_num))
            .then_with(|| self.id_text.cmp(&other.id_text))
            .then(self.address.cmp(&other.address))
    }
}

struct HeapEntry(ScoredDoc);
impl PartialEq for HeapEntry {
    fn eq(&self, other: &Self) -> bool {
        self.0.rank_cmp(&other.0) == Ordering::Equal
    }
}
impl Eq for HeapEntry {}
impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapEntry {
    // The max-heap's top is the *worst* ranked entry.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.rank_cmp(&other.0)
    }
}

/// Keeps the best `limit` hits by (score desc, ID asc); `usize::MAX` keeps every hit.
pub struct RankedCollector<'a> {
    limit: usize,
    ids: Option<&'a IdColumns>,
}

impl RankedCollector<'static> {
    /// A collector of the `limit` best hits.
    pub fn new(limit: usize) -> Self {
        RankedCollector { limit, ids: None }
    }
}

impl<'a> RankedCollector<'a> {
    /// A collector of the `limit` best hits that takes the segments' ID columns from `ids`.
    pub fn with_id_columns(limit: usize, ids: &'a IdColumns) -> Self {
        RankedCollector {
            limit,
            ids: Some(ids),
        }
    }
}

/// Per-segment part of [`RankedCollector`].
pub struct RankedSegment {
    segment: SegmentOrdinal,
    limit: usize,
    id_num: Column<u64>,
    /// The `id` text column, opened on the first non-numeric ID (PMIDs never need it).
    id_str: Option<Option<StrColumn>>,
    fast_fields: FastFieldReaders,
    heap: BinaryHeap<HeapEntry>,
    all: Vec<ScoredDoc>,
    /// Scores below this cannot enter the heap: the worst kept score once the heap is full
    /// (−∞ before, +∞ for a limit of 0).
    threshold: Score,
}

impl RankedSegment {
    /// Offers a hit that may enter the top `limit` (ties with the threshold are decided by ID).
    #[inline(never)]
    fn insert(&mut self, doc: DocId, score: Score) {
        if self.limit == usize::MAX {
            let e = self.entry(doc, score);
            self.all.push(e);
            return;
        }
        if self.limit == 0 {
            return;
        }
        let e = HeapEntry(self.entry(doc, score));
        if self.heap.len() < self.limit {
            self.heap.push(e);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if e < *worst {
                *worst = e;
            }
        }
        if self.heap.len() == self.limit {
            if let Some(worst) = self.heap.peek() {
                self.threshold = worst.0.score;
            }
        }
    }

    fn entry(&mut self, doc: DocId, score: Score) -> ScoredDoc {
        let id_num = self.id_num.first(doc).unwrap_or(u64::MAX);
        let id_text = if id_num == u64::MAX {
            let fast_fields = &self.fast_fields;
            let column = self
                .id_str
                .get_or_insert_with(|| fast_fields.str("id").ok().flatten());
            column.as_ref().and_then(|c| {
                let ord = c.ords().first(doc)?;
                let mut s = String::new();
                c.ord_to_str(ord, &mut s).ok()?;
                Some(s)
            })
        } else {
            None
        };
        ScoredDoc {
            score,
            id_num,
            id_text,
            address: DocAddress::new(self.segment, doc),
        }
    }
}

impl SegmentCollector for RankedSegment {
    type Fruit = Vec<ScoredDoc>;

    /// Most hits of a large result set score below the current `limit`-th best: that test
    /// is all this inlined path does (a per-hit call with the heap code inlined set up a
    /// 150-byte stack frame each time, a quarter of a one-word search).
    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.threshold {
            return;
        }
        self.insert(doc, score);
    }

    fn harvest(self) -> Vec<ScoredDoc> {
        if self.limit == usize::MAX {
            self.all
        } else {
            self.heap.into_iter().map(|e| e.0).collect()
        }
    }
}

impl Collector for RankedCollector<'_> {
    type Fruit = Vec<ScoredDoc>;
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        let id_num = match self.ids {
            Some(ids) => ids.get(reader)?,
            None => reader.fast_fields().u64("id_num")?,
        };
        Ok(RankedSegment {
            segment,
            limit: self.limit,
            id_num,
            id_str: None,
            fast_fields: reader.fast_fields().clone(),
            heap: BinaryHeap::new(),
            all: Vec::new(),
            threshold: if self.limit == 0 {
                Score::INFINITY
            } else {
                Score::NEG_INFINITY
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<ScoredDoc>>) -> tantivy::Result<Vec<ScoredDoc>> {
        let mut all: Vec<ScoredDoc> = fruits.into_iter().flatten().collect();
        all.sort_by(ScoredDoc::rank_cmp);
        all.truncate(self.limit);
        Ok(all)
    }
}
