//! The compile context: the query being lowered, what it has collected so far (terms and
//! entities to highlight, resolutions, warnings), and the resolver that read the query, whose
//! lookups of the index (relation keys) it shares.

use super::builders::term;
use super::types::{EntityTarget, RelationTarget, Resolution, ANY_RELATION};
use crate::error::{Error, Result};
use crate::index::relterms::relation_term;
use crate::index::schema::Fields;
use crate::index::terms::term_exists;
use crate::search::query::resolve::{Resolved, Resolver};
use std::collections::BTreeSet;
use tantivy::query::{DisjunctionMaxQuery, EmptyQuery, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::Searcher;

pub(super) struct Ctx<'a> {
    pub(super) query: &'a str,
    pub(super) searcher: &'a Searcher,
    pub(super) fields: &'a Fields,
    /// The resolver of the query (its index lookups are cached for the whole query).
    pub(super) resolver: &'a Resolver<'a>,
    pub(super) text_terms: BTreeSet<String>,
    pub(super) entities: BTreeSet<EntityTarget>,
    /// Bare IDs of positive entity clauses, for relation-aware ranking.
    pub(super) positive_ids: BTreeSet<String>,
    pub(super) resolutions: Vec<Resolution>,
    /// Phrases (analyzed words, in order) to mark in titles and abstracts.
    pub(super) phrases: BTreeSet<Vec<String>>,
    /// Notes for the user (each once, in the order made).
    pub(super) warnings: Vec<String>,
    /// The `entity` terms of the last clause compiled into a term set (an exploded
    /// vocabulary clause), which `query_terms` does not visit: what a sentence group reads.
    pub(super) set_terms: Option<Vec<tantivy::Term>>,
    /// The positive `rel:` clauses compiled so far.
    pub(super) relations: Vec<RelationTarget>,
}

impl<'a> Ctx<'a> {
    /// A fresh context for lowering `query` against the index seen by `searcher`.
    pub(super) fn new(
        query: &'a str,
        searcher: &'a Searcher,
        fields: &'a Fields,
        resolver: &'a Resolver<'a>,
    ) -> Ctx<'a> {
        Ctx {
            query,
            searcher,
            fields,
            resolver,
            text_terms: BTreeSet::new(),
            entities: BTreeSet::new(),
            positive_ids: BTreeSet::new(),
            resolutions: Vec::new(),
            phrases: BTreeSet::new(),
            warnings: Vec::new(),
            set_terms: None,
            relations: Vec::new(),
        }
    }

    /// Records a note for the user, once.
    pub(super) fn warn(&mut self, message: String) {
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }

    /// Takes in what resolving a clause noted: its notes and resolutions.
    pub(super) fn take_notes(&mut self, r: &Resolved<'_>) {
        for n in &r.notes {
            self.warn(n.clone());
        }
        self.resolutions.extend(r.resolutions.iter().cloned());
    }

    /// Records what a positive clause marks in the hits and ranks by.
    pub(super) fn take_targets(&mut self, r: &Resolved<'_>) {
        self.entities.extend(r.targets.iter().cloned());
        self.positive_ids.extend(r.ranking.iter().cloned());
    }

    /// The relation query for `key` between two argument forms. The index has terms for each
    /// relation key only; `any` is answered by the best match over every key of the index.
    pub(super) fn relation_query(&self, key: &str, a: &str, b: &str) -> Result<Box<dyn Query>> {
        let field = self.fields.relation;
        if key != ANY_RELATION {
            return Ok(term(
                field,
                &relation_term(key, a, b),
                IndexRecordOption::Basic,
            ));
        }
        let keys = self.resolver.relation_keys()?;
        // Most keys have no term for a given pair: look them up first (a dictionary lookup
        // per segment, no postings) so scoring weights are built only for terms that exist.
        let mut qs: Vec<Box<dyn Query>> = Vec::new();
        for k in keys {
            let t = relation_term(k, a, b);
            if term_exists(self.searcher, field, &t)? {
                qs.push(term(field, &t, IndexRecordOption::Basic));
            }
        }
        Ok(match qs.len() {
            0 => Box::new(EmptyQuery),
            1 => qs.remove(0),
            _ => Box::new(DisjunctionMaxQuery::new(qs)),
        })
    }
}

pub(super) fn err(ctx: &Ctx<'_>, position: usize, message: impl Into<String>) -> Error {
    Error::query(ctx.query, position, message)
}
