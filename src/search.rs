//! Running a query: ranked hits with ties broken by document ID (numeric IDs by value, then
//! other IDs by text), the exact hit count, facets, and loading stored documents.

use crate::error::{Error, Result};
use crate::facets::{FacetCounter, FacetRequest, Facets};
use crate::index::PtIndex;
use crate::pubtator::Document;
use crate::query::{compile, CompiledQuery};
use crate::schema::Fields;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FastFieldReaders;
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument};

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query string.
    pub query: String,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return after the offset; `None` for every hit.
    pub limit: Option<usize>,
    /// Facets to count over the whole result set.
    pub facets: Option<FacetRequest>,
}

/// One ranked hit (before its document is loaded).
#[derive(Debug, Clone)]
pub struct ScoredDoc {
    /// BM25-based score.
    pub score: Score,
    /// Sort key of the ID (see [`crate::schema::id_sort_key`]).
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

/// The `id_num` column of each segment, opened once per segment instead of once per query:
/// opening it decodes the column's block table (about a third of an entity search on the
/// 100k bench index). Segments are immutable, so a segment ID always maps to the same column.
#[derive(Default)]
pub struct IdColumns {
    columns: Mutex<HashMap<SegmentId, Column<u64>>>,
}

impl IdColumns {
    /// The `id_num` column of `reader`'s segment.
    fn get(&self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        let id = reader.segment_id();
        let mut columns = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = columns.get(&id) {
            return Ok(c.clone());
        }
        let column = reader.fast_fields().u64("id_num")?;
        columns.insert(id, column.clone());
        Ok(column)
    }

    /// Forgets the columns of segments `searcher` no longer has (merged or deleted), so their
    /// files can be unmapped.
    fn retain(&self, searcher: &Searcher) {
        let mut columns = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        if columns.len() > searcher.segment_readers().len() {
            let live: HashSet<SegmentId> = searcher
                .segment_readers()
                .iter()
                .map(SegmentReader::segment_id)
                .collect();
            columns.retain(|id, _| live.contains(id));
        }
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

/// The outcome of a search.
pub struct SearchResults {
    /// The compiled query (for highlighting and resolutions).
    pub compiled: CompiledQuery,
    /// Every matching document.
    pub total_hits: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<ScoredDoc>,
    /// Rank of the first hit (1-based).
    pub first_rank: usize,
    /// Facet counts, when requested.
    pub facets: Option<Facets>,
    /// Time spent searching (not loading or printing).
    pub elapsed: Duration,
    searcher: Searcher,
    doc_field: tantivy::schema::Field,
}

impl SearchResults {
    /// Loads a hit's stored document.
    pub fn load(&self, hit: &ScoredDoc) -> Result<Document> {
        load_document(&self.searcher, self.doc_field, hit.address)
    }

    /// The searcher the results came from.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }
}

/// Decodes the stored document at `address`.
pub fn load_document(
    searcher: &Searcher,
    doc_field: tantivy::schema::Field,
    address: DocAddress,
) -> Result<Document> {
    let td: TantivyDocument = searcher.doc(address)?;
    let bytes = td
        .get_first(doc_field)
        .and_then(|v| v.as_bytes())
        .ok_or_else(|| Error::Corrupt(format!("document {address:?} has no stored record")))?;
    crate::pubtator::codec::decode(bytes)
        .map_err(|e| Error::Corrupt(format!("document {address:?}: {e}")))
}

/// Runs a search.
pub fn search(index: &PtIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = index.searcher()?;
    let compiled = compile(&request.query, &searcher, &index.fields)?;
    let keep = match request.limit {
        Some(l) => request.offset.saturating_add(l),
        None => usize::MAX,
    };
    index.id_columns.retain(&searcher);
    let ranked = RankedCollector::with_id_columns(keep, &index.id_columns);
    // Facets are counted in the same pass over the hits as the ranking and the count.
    let counter = match &request.facets {
        Some(fr) => FacetCounter::for_request(&searcher, &index.fields, fr)?,
        None => None,
    };
    let (total_hits, mut hits, facets) = match (&request.facets, counter) {
        (Some(fr), Some(counter)) => {
            let collector = (Count, ranked, counter);
            let (total, hits, counts) = searcher.search(&*compiled.query, &collector)?;
            let (_, _, counter) = collector;
            let facets = counter.finish(&searcher, &index.fields, fr, counts)?;
            (total, hits, Some(facets))
        }
        (wanted, _) => {
            let (total, hits) = searcher.search(&*compiled.query, &(Count, ranked))?;
            (total, hits, wanted.as_ref().map(|_| Vec::new()))
        }
    };
    let hits = if request.offset >= hits.len() {
        Vec::new()
    } else {
        hits.split_off(request.offset)
    };
    Ok(SearchResults {
        compiled,
        total_hits,
        hits,
        first_rank: request.offset + 1,
        facets,
        elapsed: started.elapsed(),
        searcher,
        doc_field: index.fields.doc,
    })
}

/// Finds one document by ID.
pub fn find_document(index: &PtIndex, id: &str) -> Result<Option<Document>> {
    find_in(&index.searcher()?, &index.fields, id)
}

/// Finds the live document with `id` in `searcher` (a given commit).
pub fn find_in(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<Document>> {
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(fields.id, id),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let hits = searcher.search(&q, &RankedCollector::new(1))?;
    match hits.first() {
        Some(h) => Ok(Some(load_document(searcher, fields.doc, h.address)?)),
        None => Ok(None),
    }
}
