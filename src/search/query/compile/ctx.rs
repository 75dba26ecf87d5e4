//! The compile context: the query being compiled, what it has collected so far (terms and
//! entities to highlight, resolutions), and what it knows of the index (type names, relation
//! keys), read lazily. Also the field and type names the language understands.

use super::builders::term;
use super::types::{EntityTarget, RelationTarget, Resolution, ANY_RELATION};
use crate::error::{Error, Result};
use crate::index::relterms::relation_term;
use crate::index::schema::{entity_term, Fields};
use crate::index::terms::{distinct_terms, doc_count, term_exists};
use crate::pubtator::ids::{canonical_type_name, relation_key, CANONICAL_TYPES};
use std::collections::BTreeSet;
use tantivy::query::{DisjunctionMaxQuery, EmptyQuery, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Searcher;

pub(super) struct Ctx<'a> {
    pub(super) query: &'a str,
    pub(super) searcher: &'a Searcher,
    pub(super) fields: &'a Fields,
    /// Entity type names of the index, read on first need (a kept type named in the query,
    /// an untyped ID): most queries never pay for the term-dictionary scan.
    pub(super) index_types: std::cell::OnceCell<Vec<String>>,
    /// Relation keys of the index (`association`, ...), read on first `ANY` relation.
    pub(super) relation_keys: std::cell::OnceCell<Vec<String>>,
    pub(super) text_terms: BTreeSet<String>,
    pub(super) entities: BTreeSet<EntityTarget>,
    /// Bare IDs of positive entity clauses, for relation-aware ranking.
    pub(super) positive_ids: BTreeSet<String>,
    pub(super) resolutions: Vec<Resolution>,
    /// Phrases (analyzed words, in order) to mark in titles and abstracts.
    pub(super) phrases: BTreeSet<Vec<String>>,
    /// Notes for the user (each once, in the order made).
    pub(super) warnings: Vec<String>,
    /// The index's vocabularies (empty: clauses read as without them).
    pub(super) vocab: &'a crate::vocab::Vocab,
    /// Taxa of the query's `species:N` clauses (gene names resolve among them).
    pub(super) taxa: Vec<u64>,
    /// The `entity` terms of the last clause compiled into a term set (an exploded
    /// vocabulary clause), which `query_terms` does not visit: what a sentence group reads.
    pub(super) set_terms: Option<Vec<tantivy::Term>>,
    /// The positive `rel:` clauses compiled so far.
    pub(super) relations: Vec<RelationTarget>,
}

impl<'a> Ctx<'a> {
    /// A fresh context for compiling `query` against the index seen by `searcher`.
    pub(super) fn new(
        query: &'a str,
        searcher: &'a Searcher,
        fields: &'a Fields,
        vocab: &'a crate::vocab::Vocab,
    ) -> Ctx<'a> {
        Ctx {
            query,
            searcher,
            fields,
            index_types: std::cell::OnceCell::new(),
            relation_keys: std::cell::OnceCell::new(),
            text_terms: BTreeSet::new(),
            entities: BTreeSet::new(),
            positive_ids: BTreeSet::new(),
            resolutions: Vec::new(),
            phrases: BTreeSet::new(),
            warnings: Vec::new(),
            vocab,
            taxa: Vec::new(),
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

    /// The relation types of the index as written in the files (`Association`, `CID`, ...).
    pub(super) fn relation_type_names(&self) -> Result<Vec<String>> {
        let found: BTreeSet<String> =
            distinct_terms(self.searcher, self.fields.relation_type, 10_000)?
                .into_iter()
                .filter_map(|k| String::from_utf8(k).ok())
                .collect();
        Ok(found.into_iter().collect())
    }

    /// The relation keys of the index (`association`, `cid`, ...).
    pub(super) fn relation_keys(&self) -> Result<&[String]> {
        cached_terms(
            &self.relation_keys,
            self.searcher,
            self.fields.relation_type,
            relation_key,
        )
    }

    /// The entity type names of the index (canonical and kept).
    pub(super) fn index_types(&self) -> Result<&[String]> {
        cached_terms(
            &self.index_types,
            self.searcher,
            self.fields.entity_type,
            str::to_string,
        )
    }

    /// The kept type named `name` (any case), if the index has one.
    pub(super) fn other_type(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .index_types()?
            .iter()
            .filter(|t| !CANONICAL_TYPES.contains(&t.as_str()))
            .find(|t| t.eq_ignore_ascii_case(name))
            .cloned())
    }

    /// The entity terms in the index for `id` (lower case) under `entity_type`, or under
    /// every type of the index when the query names none (the index has typed terms only).
    pub(super) fn id_terms(&self, entity_type: Option<&str>, id: &str) -> Result<Vec<String>> {
        let named;
        let types: &[String] = match entity_type {
            Some(t) => {
                named = [t.to_string()];
                &named
            }
            None => self.index_types()?,
        };
        let mut out = Vec::new();
        for t in types {
            // Type names differing only in case give the same (lower-case) term.
            let typed = entity_term(Some(t), id);
            if !out.contains(&typed) && doc_count(self.searcher, self.fields.entity, &typed)? > 0 {
                out.push(typed);
            }
        }
        Ok(out)
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
        let keys = self.relation_keys()?;
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

/// The distinct terms of a keyword field, mapped by `map` and deduplicated, read from the
/// term dictionaries (no postings) on first use and kept in `cell` for the rest of the query.
pub(super) fn cached_terms<'c>(
    cell: &'c std::cell::OnceCell<Vec<String>>,
    searcher: &Searcher,
    field: Field,
    map: impl Fn(&str) -> String,
) -> Result<&'c [String]> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let found: BTreeSet<String> = distinct_terms(searcher, field, 10_000)?
        .into_iter()
        .filter_map(|k| String::from_utf8(k).ok())
        .map(|t| map(&t))
        .collect();
    Ok(cell.get_or_init(|| found.into_iter().collect()))
}

pub(super) fn err(ctx: &Ctx<'_>, position: usize, message: impl Into<String>) -> Error {
    Error::query(ctx.query, position, message)
}

/// Field names understood by the language (besides canonical types and kept types).
pub(super) const FIELDS: &[&str] = &[
    "title",
    "abstract",
    "mention",
    "text",
    "id",
    "type",
    "rel",
    "relations",
    "pmid",
    "section",
    "resource",
    "ortho",
];
/// ID namespaces that may be typed without a field (`MESH:D009369` ≡ `id:MESH:D009369`).
pub(crate) const NAMESPACES: &[&str] = &[
    "mesh",
    "cvcl",
    "omim",
    "chebi",
    "hgvs",
    "tmvar",
    "rs#",
    "correspondinggene",
    "ncbigene",
    "ncbitaxon",
    "go",
    "hp",
    "do",
    "umls",
];

pub(crate) fn type_alias(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "mutation" | "snp" => Some("Variant"),
        "cell_line" | "cellline" => Some("CellLine"),
        "organism" | "taxon" => Some("Species"),
        "drug" => Some("Chemical"),
        _ => canonical_type_name(name),
    }
}

pub(super) fn resolve_type(ctx: &Ctx<'_>, name: &str) -> Result<Option<String>> {
    match type_alias(name) {
        Some(t) => Ok(Some(t.to_string())),
        None => ctx.other_type(name),
    }
}
