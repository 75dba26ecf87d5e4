//! Read side, beside `query::compile`: a ptsearch query translated into the search request of
//! the Quickwit index that `ptsearch export --format quickwit-ndjson` feeds
//! (`schema/quickwit-index.yaml`). The query is parsed by our own parser
//! ([`crate::search::query::parse`]) and resolved by the same resolver as
//! [`mod@crate::search::query::compile`] (`search::query::resolve`), for another corpus: names
//! resolved to IDs through the local index when there is one, else refused; IDs translated as
//! written, never narrowed to what the local index holds. This module only lowers the resolved
//! clauses to the terms the export writes; `--facets` adds the aggregations that reproduce our
//! facet counts (`aggs`, no value lists). The CLI (`ptsearch translate`) prints the body.
//!
//! Quickwit's REST API and query grammar, as checked in its sources and docs:
//! * `POST /api/v1/<index>/search` takes `query`, `max_hits`, `sort_by`, `aggs` (and a few
//!   more) and rejects unknown keys (`#[serde(deny_unknown_fields)]` on
//!   `SearchRequestQueryString` in quickwit-serve's `search_api/rest_handler.rs`): notes about
//!   the translation go to stderr, never into the body.
//! * `sort_by` is a comma-separated list (`SortBy::from` in the same file): a plain name sorts
//!   descending, a `-` prefix ascending, `_score` is BM25; "one or two fast fields or `_score`"
//!   (docs/reference/rest-api.md; several sort fields in the REST API since quickwit PR 3667,
//!   with `_score` descending). Ranking with ties by ID is `_score,-pmid`; Quickwit refuses
//!   to sort on a text field, hence the numeric `pmid`.
//! * The query string is parsed by `tantivy::query_grammar` (quickwit-query builds on it):
//!   `field:"value"`, `+a -b`, `OR`, `( )`, `^boost`, `[a TO b]`, `*`, `word*`.
//! * Aggregations are Elasticsearch-compatible (docs/reference/aggregation.md); a terms
//!   `include` regex returned wrong buckets on Quickwit 0.9, and `include` arrays
//!   grow with the index (bodies over 1 MiB are refused with 413), so per-type top entities
//!   aggregate per-type fields (`entity_gene`, ...).
//!
//! Checked on Quickwit 0.9.0 nodes (one node and a two-node cluster) by
//! `scripts/quickwit-check`: hit sets, totals, top 10, `sort_by` and facets against ours.
//! `word*` unquoted is Quickwit's wildcard query (not its 50-word phrase prefix), which also
//! carries `journal:`'s first words (`journal:x\ *`).

mod aggs;
pub use aggs::{type_field, TYPE_FIELDS};
mod clauses;
mod entity;
mod qstring;

use crate::error::{Error, Result};
use crate::search::query::resolve::{first_clause_pos, parse_checked, Corpus, Resolver};
use serde::Serialize;
use std::collections::BTreeSet;

pub use crate::search::query::resolve::IndexView;

/// Hit order of the translated request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TranslateSort {
    /// Best first, ties by ID (ptsearch's default).
    #[default]
    Relevance,
    /// By document ID, numeric IDs by value.
    Id,
}

/// What to translate besides the query.
#[derive(Debug, Clone)]
pub struct TranslateOptions {
    /// `max_hits`.
    pub limit: usize,
    /// `sort_by`.
    pub sort: TranslateSort,
    /// Add the facet aggregations.
    pub facets: bool,
    /// Top entities per type in the facet aggregations.
    pub facet_top: usize,
}

impl Default for TranslateOptions {
    fn default() -> Self {
        TranslateOptions {
            limit: 10,
            sort: TranslateSort::Relevance,
            facets: false,
            facet_top: 10,
        }
    }
}

/// The Quickwit search request body (`POST /api/v1/ptsearch/search`).
#[derive(Debug, Clone, Serialize)]
pub struct QuickwitRequest {
    /// The query in Quickwit's grammar.
    pub query: String,
    /// Hits to return.
    pub max_hits: usize,
    /// Sort fields (Quickwit's mini language).
    pub sort_by: String,
    /// Aggregations reproducing our facets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggs: Option<serde_json::Value>,
}

/// A translation: the request and what the user should know about it.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The request body.
    pub request: QuickwitRequest,
    /// Notes, one line each (names resolved, where the answer is approximate); `approximate:`
    /// starts a note about a difference in ranking or hit set.
    pub notes: Vec<String>,
}

/// What a translation collects while it lowers the resolved query.
pub(crate) struct Ctx<'a> {
    pub(crate) query: &'a str,
    pub(crate) notes: Vec<String>,
    /// Bare IDs of positive entity clauses (ptsearch ranks relations between them first).
    pub(crate) positive_ids: BTreeSet<String>,
}

impl Ctx<'_> {
    /// Records a note, once.
    pub(crate) fn note(&mut self, message: String) {
        if !self.notes.contains(&message) {
            self.notes.push(message);
        }
    }

    pub(crate) fn err(&self, position: usize, message: impl Into<String>) -> Error {
        Error::query(self.query, position, message)
    }
}

/// Translates `query` into a Quickwit search request. `index` resolves names to IDs; without
/// it a clause that needs it is an error naming the clause. IDs translate the same with any
/// index or none.
pub fn to_quickwit(
    query: &str,
    index: Option<IndexView<'_>>,
    options: &TranslateOptions,
) -> Result<Translation> {
    let ast = parse_checked(query)?;
    let tree = Resolver::new(query, index, Corpus::Other)
        .with_taxa_of(&ast)
        .resolve(&ast)?;
    let mut ctx = Ctx {
        query,
        notes: Vec::new(),
        positive_ids: BTreeSet::new(),
    };
    let Some(q) = clauses::node(&mut ctx, &tree, true)? else {
        return Err(ctx.err(
            first_clause_pos(&ast),
            format!("nothing to search for: {}", ctx.notes.join("; ")),
        ));
    };
    if ctx.positive_ids.len() >= 2 {
        ctx.note(
            "approximate: ranking differs: ptsearch ranks documents where a relation links the \
             queried entities above mere co-mention; Quickwit has no relation-aware ranking"
                .to_string(),
        );
    }
    let sort_by = match options.sort {
        TranslateSort::Relevance => "_score,-pmid",
        TranslateSort::Id => "-pmid",
    };
    let aggs = if options.facets {
        Some(aggs::facet_aggs(&mut ctx, options.facet_top))
    } else {
        None
    };
    Ok(Translation {
        request: QuickwitRequest {
            query: q.render(),
            max_hits: options.limit,
            sort_by: sort_by.to_string(),
            aggs,
        },
        notes: ctx.notes,
    })
}
