//! The read side: a query string is parsed and compiled ([`query`]), matches are ranked with
//! ties broken by document ID ([`collect`]), facets are counted in the same pass ([`facets`]),
//! stored records are loaded and highlighted ([`highlight`]).

pub mod collect;
pub mod dictionary;
pub mod facets;
pub mod highlight;
pub mod query;

use crate::error::Result;
use crate::index::{load_document, PtIndex};
use crate::pubtator::Document;
use crate::search::collect::{RankedCollector, ScoredDoc};
use crate::search::facets::{FacetCounter, FacetRequest, Facets};
use crate::search::query::{compile, CompiledQuery};
use std::time::{Duration, Instant};
use tantivy::collector::Count;
use tantivy::Searcher;

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
