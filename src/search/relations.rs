//! Relation partners of one entity: which entities a given entity is related to, by which
//! relation type, in how many documents. Read side, beside [`crate::search::search`]: the
//! matching documents are found with the query language (`rel:"TYPE|E1|*"`), then their stored
//! relation lines are read (through [`crate::search::ranked`] and [`Ranked::documents`], one
//! document at a time) and aggregated exactly, so counts are document counts of the user's own
//! index, not estimates. Used by the HTTP server's PubTator3-compatible `relations` endpoint.

use crate::error::{Error, Result};
use crate::index::PtIndex;
use crate::pubtator::ids::{canonical_type, id_parts, relation_key, split_ids};
use crate::pubtator::Document;
use crate::search::facets::resolve_type;
use crate::search::query::{compile, EntityTarget};
use crate::search::{ranked, Ranked, SearchRequest};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to look for: the relations of `entity`, optionally of one type and with partners of
/// one entity type.
#[derive(Debug, Clone, Default)]
pub struct RelationQuery {
    /// The entity, as a `rel:` argument of the query language: `gene:673`, `673`,
    /// `disease:MESH:D008545`, a name (`gene:BRAF`) or PubTator3 shorthand (`@GENE_BRAF`).
    pub entity: String,
    /// Relation type (`Association`, `treat`, ... as `rel:` accepts it); `None` or `ANY` for
    /// every type.
    pub rel_type: Option<String>,
    /// Entity type of the partners (`Chemical`, `disease`, ...); `None` for every type.
    pub partner_type: Option<String>,
    /// Document IDs to keep per (type, source, target) triple; the count is always exact.
    pub max_documents: usize,
    /// Only documents that also match this query (any query of the language).
    pub query: Option<String>,
}

/// A typed entity ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypedId {
    /// Canonical type (empty when neither the document nor the relation line names one).
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The ID as written in the relation line.
    pub id: String,
}

/// One relation partner: `source` (the queried entity) is related to `target` by `rel_type`
/// in `documents` documents.
#[derive(Debug, Clone, Serialize)]
pub struct RelationPartner {
    /// The relation type as written in the data.
    #[serde(rename = "type")]
    pub rel_type: String,
    /// The queried entity (one of the IDs it resolved to).
    pub source: TypedId,
    /// The partner.
    pub target: TypedId,
    /// The partner's display name: its most used mention form in the index, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Documents stating the relation.
    pub documents: usize,
    /// The first of those documents' IDs, in document-ID order (at most `max_documents`).
    pub ids: Vec<String>,
}

/// The relation partners of `q.entity`, most documents first (ties by type, then target).
pub fn relation_partners(index: &PtIndex, q: &RelationQuery) -> Result<Vec<RelationPartner>> {
    let entity = q.entity.trim();
    if entity.is_empty() {
        return Err(Error::query(
            entity,
            0,
            "an entity is required (e.g. gene:673)",
        ));
    }
    let rel = q
        .rel_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("ANY");
    // The queried entity's own IDs: what the query language resolves it to.
    let searcher = index.searcher()?;
    let partner_type = match q.partner_type.as_deref().map(str::trim) {
        None | Some("") | Some("*") => None,
        Some(t) => Some(resolve_type(&searcher, &index.fields, t)?),
    };
    // A `|` inside the entity (tmVar IDs such as `p|SUB|V|600|E`) cannot go into a `rel:`
    // argument: such an entity is looked up as a clause of its own, and its documents are
    // those annotated with it that have any relation (the relation lines decide below).
    let piped = entity.contains('|');
    let lookup = if piped {
        entity.to_string()
    } else {
        rel_query("ANY", entity, "*")
    };
    let targets: Vec<(Option<String>, String)> = compile(&lookup, &searcher, &index.fields)?
        .entities
        .into_iter()
        .filter_map(|t| match t {
            EntityTarget::Id { entity_type, id } => Some((entity_type, id)),
            EntityTarget::Type(_) => None,
        })
        .collect();
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = if piped {
        format!("({entity}) AND {}", rel_query(rel, "*", "*"))
    } else {
        rel_query(rel, entity, partner_type.as_deref().unwrap_or("*"))
    };
    if let Some(extra) = q.query.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
        query = format!("{query} AND ({extra})");
    }
    let found: Ranked = ranked(index, &SearchRequest::export(query))?;
    let want_key = (!rel.eq_ignore_ascii_case("any")).then(|| relation_key(rel));
    let mut by: BTreeMap<(String, TypedId, TypedId), (usize, Vec<String>)> = BTreeMap::new();
    for doc in found.documents() {
        let doc = doc?;
        let mut seen: BTreeSet<(String, TypedId, TypedId)> = BTreeSet::new();
        for triple in doc_partners(&doc, &targets, want_key.as_deref(), partner_type.as_deref()) {
            if seen.insert(triple.clone()) {
                let e = by.entry(triple).or_default();
                e.0 += 1;
                if e.1.len() < q.max_documents {
                    e.1.push(doc.id.clone());
                }
            }
        }
    }
    let mut out: Vec<RelationPartner> = by
        .into_iter()
        .map(
            |((rel_type, source, target), (documents, ids))| RelationPartner {
                rel_type,
                source,
                target,
                name: None,
                documents,
                ids,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then_with(|| a.rel_type.cmp(&b.rel_type))
            .then_with(|| a.target.cmp(&b.target))
            .then_with(|| a.source.cmp(&b.source))
    });
    let mut names: HashMap<TypedId, Option<String>> = HashMap::new();
    for p in &mut out {
        if !names.contains_key(&p.target) {
            let name = display_name(&searcher, &index.fields, &p.target)?;
            names.insert(p.target.clone(), name);
        }
        p.name = names.get(&p.target).cloned().flatten();
    }
    Ok(out)
}

/// The most used mention form of an entity (see [`crate::search::dictionary::display_name`]).
fn display_name(
    searcher: &tantivy::Searcher,
    fields: &crate::index::schema::Fields,
    e: &TypedId,
) -> Result<Option<String>> {
    if e.entity_type.is_empty() {
        return Ok(None);
    }
    Ok(crate::search::dictionary::display_name(
        searcher,
        fields,
        &e.entity_type,
        &e.id,
    )?)
}

/// `rel:"TYPE|E1|E2"`, quoted so that arguments may hold spaces.
fn rel_query(rel: &str, a: &str, b: &str) -> String {
    let value = format!("{rel}|{a}|{b}");
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("rel:\"{escaped}\"")
}

/// The (type, source, target) triples of one document's relation lines where one argument is
/// a queried ID.
fn doc_partners(
    doc: &Document,
    targets: &[(Option<String>, String)],
    want_key: Option<&str>,
    partner_type: Option<&str>,
) -> Vec<(String, TypedId, TypedId)> {
    // ID form (lower case) → canonical type of its first mention, as the index does.
    let mut id_types: HashMap<String, &str> = HashMap::new();
    for a in &doc.annotations {
        let t = canonical_type(&a.raw_type);
        for id in split_ids(a.raw_id.as_deref().unwrap_or("")) {
            for form in std::iter::once(id.clone()).chain(id_parts(&id)) {
                id_types.entry(form.to_lowercase()).or_insert(t);
            }
        }
    }
    let mut out = Vec::new();
    for r in &doc.relations {
        let rel_type = r.rel_type.trim();
        if want_key.is_some_and(|k| relation_key(rel_type) != k) {
            continue;
        }
        let sides: Vec<Vec<TypedId>> = r
            .args
            .iter()
            .enumerate()
            .map(|(n, raw)| {
                let mut ids = split_ids(raw);
                if ids.is_empty() && !raw.trim().is_empty() {
                    ids.push(raw.trim().to_string());
                }
                let named = r.arg_types.get(n).map(|t| canonical_type(t));
                ids.into_iter()
                    .map(|id| TypedId {
                        entity_type: id_types
                            .get(&id.to_lowercase())
                            .copied()
                            .or(named)
                            .unwrap_or("")
                            .to_string(),
                        id,
                    })
                    .collect()
            })
            .collect();
        let (Some(a), Some(b)) = (sides.first(), sides.get(1)) else {
            continue;
        };
        for (mine, other) in [(a, b), (b, a)] {
            for source in mine.iter().filter(|s| is_target(s, targets)) {
                for target in other {
                    if partner_type.is_some_and(|t| t != target.entity_type) {
                        continue;
                    }
                    out.push((rel_type.to_string(), source.clone(), target.clone()));
                }
            }
        }
    }
    out
}

fn is_target(s: &TypedId, targets: &[(Option<String>, String)]) -> bool {
    let lid = s.id.to_lowercase();
    targets
        .iter()
        .any(|(t, id)| *id == lid && t.as_deref().is_none_or(|t| t == s.entity_type))
}
