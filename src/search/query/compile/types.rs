//! What compiling produces: the [`CompiledQuery`] and the explanations it carries
//! ([`EntityTarget`], [`Resolution`]), and the weights used while compiling.

use serde::Serialize;
use std::collections::BTreeSet;
use tantivy::query::Query;

/// Boost of title matches relative to abstract matches.
pub(super) const TITLE_BOOST: f32 = 2.0;
/// Boost of matches in mention text.
pub(super) const MENTION_BOOST: f32 = 0.5;
/// Weight of an entity mentioned in the title.
pub(super) const ENTITY_TITLE_BOOST: f32 = 1.5;
/// The relation key that stands for every relation type (`rel:ANY|...`).
pub(super) const ANY_RELATION: &str = crate::search::query::resolve::ANY_RELATION;
/// Score added to a document with a relation line between two queried entities: the first
/// ranking tier (PubTator3's order; BM25 sums stay far below it).
pub const TIER_RELATION: f32 = 10_000.0;
/// Score added to a document that mentions the queried entities in one sentence: the second
/// tier.
pub const TIER_SENTENCE: f32 = 1_000.0;
/// Longest accepted query, in bytes.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// What an entity clause targets, for highlighting mentions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum EntityTarget {
    /// A canonical ID (lower case), optionally restricted to one canonical type.
    Id {
        /// Canonical type, when the clause named one.
        entity_type: Option<String>,
        /// Lower-case canonical ID (or ID part).
        id: String,
    },
    /// Every annotation of a type.
    Type(String),
}

/// A positive `rel:` clause as the index's relation terms read it: which relation lines of a
/// hit it matched (`Hit::matched_relations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationTarget {
    /// Relation keys (`negative_correlation`; `any` for every type).
    pub keys: Vec<String>,
    /// The argument forms each side accepts: `*`, `t:disease`, `i:d008545`.
    pub sides: [Vec<String>; 2],
}

impl RelationTarget {
    /// True when a relation line of key `key` whose arguments have the forms `a` and `b`
    /// (as `index::relterms::relation_arg_forms` writes them) satisfies the clause, in
    /// either argument order: the test the clause's relation terms make in the index.
    pub fn matches(&self, key: &str, a: &[String], b: &[String]) -> bool {
        let meets = |want: &[String], have: &[String]| want.iter().any(|w| have.contains(w));
        let [x, y] = &self.sides;
        self.keys.iter().any(|k| k == ANY_RELATION || k == key)
            && ((meets(x, a) && meets(y, b)) || (meets(x, b) && meets(y, a)))
    }
}

/// How a name in the query was resolved to IDs.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// The text as written in the query.
    pub input: String,
    /// The type it was restricted to.
    #[serde(rename = "type")]
    pub entity_type: Option<String>,
    /// The IDs chosen (most documents first), empty when nothing matched.
    pub resolved: Vec<crate::search::dictionary::EntityRef>,
    /// What a vocabulary expanded them to, one line (`Neoplasms: 1 descriptor + 12 narrower +
    /// 3 supplementary records`); absent without expansion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expansion: Option<String>,
}

/// A compiled query plus what the output needs to explain the hits.
pub struct CompiledQuery {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// Free-text terms (analyzed) to mark in titles and abstracts.
    pub text_terms: BTreeSet<String>,
    /// Entities whose annotated mentions to mark.
    pub entities: BTreeSet<EntityTarget>,
    /// Name resolutions made.
    pub resolutions: Vec<Resolution>,
    /// Phrases (analyzed words, in order) to mark in titles and abstracts: only their
    /// occurrences as phrases are marked, not their words alone.
    pub text_phrases: BTreeSet<Vec<String>>,
    /// Notes for the user, one line each: clauses dropped because they have nothing to
    /// search for, names and IDs the index does not have (with suggestions), relation types
    /// mapped or missing, capped prefix expansions, lowercase operators, unquoted names.
    /// Front ends print them on stderr and put them in the JSON summary's `warnings`.
    pub warnings: Vec<String>,
    /// The positive `rel:` clauses, for telling which relation lines of a hit matched.
    pub relations: Vec<RelationTarget>,
}
