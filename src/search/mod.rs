//! The read side and its library API, used by every front end (CLI, HTTP server, Python).
//!
//! A [`SearchRequest`] is parsed and compiled ([`query`]), matches are ranked with ties
//! broken by document ID ([`collect`]), facets are counted in the same pass ([`facets`]);
//! stored records are then loaded and highlighted ([`highlight`](mod@highlight)) into [`Hit`]s. [`search`]
//! answers one page as a [`SearchResult`]; [`ranked`] returns a [`Ranked`] whose
//! [`Ranked::hits`] streams every hit (in rank or ID order) without holding the documents.

pub mod collect;
pub mod dictionary;
pub mod entity;
pub mod evidence;
pub mod facets;
pub mod graph;
pub mod highlight;
pub mod hit;
pub mod lift;
pub mod names;
pub mod near_names;
pub mod query;
pub mod relation_evidence;
pub mod relations;
pub mod sentence_facets;
pub mod sentences;
pub mod significance;
pub mod similar;
pub mod translate;
pub mod tree;

pub use hit::{found_entities, ConceptView, FoundEntity, Hit, MetaView, SearchResult, Summary};

use crate::error::Result;
use crate::index::{load_document, load_with_sentences, PtIndex};
use crate::pubtator::Document;
use crate::search::collect::{RankedCollector, ScoredDoc};
use crate::search::facets::{FacetCounter, FacetRequest, Facets, MetaFacet};
use crate::search::facets::{FacetScope, FacetSort};
use crate::search::highlight::{highlight, Highlights};
use crate::search::lift::{finish_facets, LIFT_CANDIDATES, SIGNIFICANCE_CANDIDATES};
use crate::search::query::{compile_with, CompiledQuery};
use std::time::{Duration, Instant};
use tantivy::collector::Count;
use tantivy::Searcher;

/// In which order hits come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Best first; ties by document ID.
    #[default]
    Relevance,
    /// By document ID (numeric IDs by value, then other IDs by text); scores are not kept.
    Id,
    /// Newest publication date first (documents without a date last); ties by document ID.
    Date,
}

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
    /// Hit order.
    pub order: Order,
    /// Compute highlight spans and fragments for each hit.
    pub highlights: bool,
}

impl SearchRequest {
    /// The first `limit` hits of `query`, best first, with highlights and without facets.
    pub fn new(query: impl Into<String>, limit: usize) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            offset: 0,
            limit: Some(limit),
            facets: None,
            order: Order::Relevance,
            highlights: true,
        }
    }

    /// Every hit of `query` in document-ID order, without highlights (for exports).
    pub fn export(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            offset: 0,
            limit: None,
            facets: None,
            order: Order::Id,
            highlights: false,
        }
    }
}

/// A ranked result set whose documents are not loaded yet: the summary plus the ordered
/// addresses of the requested hits (about 40 bytes each).
pub struct Ranked {
    /// Totals, facets, resolutions, warnings and timing.
    pub summary: Summary,
    /// The compiled query (what the highlighter marks).
    pub compiled: CompiledQuery,
    order: Vec<ScoredDoc>,
    first_rank: usize,
    highlights: bool,
    searcher: Searcher,
    doc_field: tantivy::schema::Field,
}

impl Ranked {
    /// Number of hits [`Ranked::hits`] yields.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when the page holds no hit.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Rank of the first hit (1-based).
    pub fn first_rank(&self) -> usize {
        self.first_rank
    }

    /// The hits in order, each loaded and highlighted when reached.
    pub fn hits(&self) -> impl Iterator<Item = Result<Hit>> + '_ {
        self.order.iter().enumerate().map(move |(i, d)| {
            if !self.highlights {
                return Ok(Hit {
                    rank: self.first_rank + i,
                    score: d.score,
                    document: self.load(d)?,
                    highlights: Highlights::default(),
                    evidence: Vec::new(),
                    sentences: Default::default(),
                    relation_targets: Vec::new(),
                });
            }
            let (document, sentences) =
                load_with_sentences(&self.searcher, self.doc_field, d.address)?;
            let highlights = highlight(&document, &self.compiled);
            let evidence = evidence::evidence(
                &document,
                &sentences,
                &highlights.spans,
                evidence::MAX_EVIDENCE,
            );
            Ok(Hit {
                rank: self.first_rank + i,
                score: d.score,
                document,
                highlights,
                evidence,
                sentences,
                relation_targets: self.compiled.relations.clone(),
            })
        })
    }

    /// The documents of the hits in order, without highlighting.
    pub fn documents(&self) -> impl Iterator<Item = Result<Document>> + '_ {
        self.order.iter().map(move |d| self.load(d))
    }

    /// The document of the `i`-th hit (0-based) without highlighting, `None` past the end:
    /// for callers that cannot hold the iterator's borrow (a Python iterator object).
    pub fn document(&self, i: usize) -> Option<Result<Document>> {
        self.order.get(i).map(|d| self.load(d))
    }

    fn load(&self, d: &ScoredDoc) -> Result<Document> {
        load_document(&self.searcher, self.doc_field, d.address)
    }

    /// Loads every hit into a [`SearchResult`].
    pub fn into_result(self) -> Result<SearchResult> {
        let hits = self.hits().collect::<Result<Vec<Hit>>>()?;
        Ok(SearchResult {
            summary: self.summary,
            hits,
        })
    }
}

/// Answers one page of a search: ranked, counted, faceted, loaded and highlighted.
pub fn search(index: &PtIndex, request: &SearchRequest) -> Result<SearchResult> {
    ranked(index, request)?.into_result()
}

/// Ranks and counts a search (and its facets) without loading any document.
pub fn ranked(index: &PtIndex, request: &SearchRequest) -> Result<Ranked> {
    let started = Instant::now();
    let searcher = index.searcher()?;
    let vocab = index.vocab();
    let compiled = compile_with(&request.query, &searcher, &index.fields, &vocab)?;
    let keep = match (request.order, request.limit) {
        (Order::Relevance, Some(l)) => request.offset.saturating_add(l),
        _ => usize::MAX,
    };
    index.id_columns.retain(&searcher);
    let collector = RankedCollector::with_id_columns(keep, &index.id_columns);
    // Lift and significance orders re-rank more candidates than they show.
    let counted = request.facets.as_ref().map(|fr| FacetRequest {
        top: match fr.sort {
            FacetSort::Lift => fr.top.max(LIFT_CANDIDATES),
            FacetSort::Significance => fr.top.max(SIGNIFICANCE_CANDIDATES),
            FacetSort::Count => fr.top,
        },
        ..fr.clone()
    });
    let (total_hits, mut order, mut facets) =
        collect(&searcher, index, &compiled, collector, counted.as_ref())?;
    if let (Some(fr), Some(counted), Some((f, _))) =
        (request.facets.as_ref(), counted.as_ref(), facets.as_mut())
    {
        if fr.scope == FacetScope::Sentence {
            *f = sentence_facets::sentence_facets(
                &searcher,
                &index.fields,
                &compiled,
                fr,
                counted.top,
            )?;
        }
    }
    if let (Some(fr), Some((f, meta))) = (request.facets.as_ref(), facets.as_mut()) {
        finish_facets(index, f, total_hits, &compiled.entities, fr.sort, fr.top)?;
        // Lift counts more candidates than it shows; metadata facets keep `top` values too
        // (every year: that facet is a histogram).
        for m in meta.iter_mut().filter(|m| m.field != "year") {
            m.values.truncate(fr.top.max(1));
        }
    }
    let mut warnings = compiled.warnings.clone();
    let tree_facets = match request
        .facets
        .as_ref()
        .and_then(|f| f.level.map(|l| (l, f.top)))
    {
        Some((level, top)) => match vocab.mesh()? {
            Some(mesh) => Some(tree::tree_facets(
                &searcher,
                &*compiled.query,
                &mesh,
                level,
                top,
            )?),
            None => {
                warnings.push(
                    "facet level: the index has no MeSH vocabulary (ptsearch vocab add \
                     desc20XX.xml)"
                        .to_string(),
                );
                None
            }
        },
        None => None,
    };
    if request.order == Order::Id {
        order.sort_by(|a, b| {
            a.id_num
                .cmp(&b.id_num)
                .then_with(|| a.id_text.cmp(&b.id_text))
        });
        for d in &mut order {
            d.score = 0.0;
        }
    }
    if request.order == Order::Date {
        sort_by_date(&searcher, &mut order);
    }
    let mut order = if request.offset >= order.len() {
        Vec::new()
    } else {
        order.split_off(request.offset)
    };
    if let Some(limit) = request.limit {
        order.truncate(limit);
    }
    let elapsed = started.elapsed();
    Ok(Ranked {
        summary: Summary {
            query: request.query.clone(),
            total_hits,
            returned: order.len(),
            offset: request.offset,
            elapsed_ms: ms(elapsed),
            metadata_facets: facets.as_ref().map(|(_, m)| m.clone()),
            facets: facets.map(|(f, _)| f),
            tree_facets,
            resolutions: compiled.resolutions.clone(),
            warnings,
        },
        compiled,
        order,
        first_rank: request.offset + 1,
        highlights: request.highlights,
        searcher,
        doc_field: index.fields.doc,
    })
}

/// Sorts hits newest first by the `date` column (`yyyymmdd`, 0 when unknown), ties by ID.
fn sort_by_date(searcher: &Searcher, order: &mut [ScoredDoc]) {
    let columns: Vec<Option<tantivy::columnar::Column<u64>>> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.fast_fields().u64("date").ok())
        .collect();
    let date = |d: &ScoredDoc| {
        columns
            .get(d.address.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|c| c.first(d.address.doc_id))
            .unwrap_or(0)
    };
    let mut keyed: Vec<(u64, ScoredDoc)> = order.iter().map(|d| (date(d), d.clone())).collect();
    keyed.sort_by(|(da, a), (db, b)| {
        db.cmp(da)
            .then_with(|| a.id_num.cmp(&b.id_num))
            .then_with(|| a.id_text.cmp(&b.id_text))
    });
    for (slot, (_, d)) in order.iter_mut().zip(keyed) {
        *slot = d;
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Total hits, the ranked page, and the entity and metadata facets when asked.
type Collected = (usize, Vec<ScoredDoc>, Option<(Facets, Vec<MetaFacet>)>);

/// Counts, ranks and (when asked) counts facets in one pass over the matches.
fn collect(
    searcher: &Searcher,
    index: &PtIndex,
    compiled: &CompiledQuery,
    ranked: RankedCollector<'_>,
    facets: Option<&FacetRequest>,
) -> Result<Collected> {
    let counter = match facets {
        Some(fr) => FacetCounter::for_request(searcher, &index.fields, fr)?,
        None => None,
    };
    Ok(match (facets, counter) {
        (Some(fr), Some(counter)) => {
            let collector = (Count, ranked, counter, FacetCounter::for_metadata());
            let (total, hits, counts, meta) = searcher.search(&*compiled.query, &collector)?;
            let (_, _, counter, meta_counter) = collector;
            let facets = counter.finish(searcher, &index.fields, fr, counts)?;
            let meta = meta_counter.finish_metadata(fr.top, meta);
            (total, hits, Some((facets, meta)))
        }
        (Some(fr), None) => {
            let collector = (Count, ranked, FacetCounter::for_metadata());
            let (total, hits, meta) = searcher.search(&*compiled.query, &collector)?;
            let (_, _, meta_counter) = collector;
            let meta = meta_counter.finish_metadata(fr.top, meta);
            (total, hits, Some((Vec::new(), meta)))
        }
        (None, _) => {
            let (total, hits) = searcher.search(&*compiled.query, &(Count, ranked))?;
            (total, hits, None)
        }
    })
}
