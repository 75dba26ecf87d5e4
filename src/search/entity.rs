//! One entity as an answer (`ptsearch entity ID`): its type, ID and display name, every
//! mention form with its document count, how many documents mention it and how many state a
//! relation with it, and its top co-mentioned and related entities. Read side, built from the
//! dictionary ([`crate::search::dictionary`]), a faceted search ([`crate::search::search`])
//! and the relation partners ([`crate::search::relations`]); used by the CLI and front ends.

use crate::error::Result;
use crate::index::schema::entity_term;
use crate::index::terms::doc_count;
use crate::index::PtIndex;
use crate::pubtator::ids::{canonical_type_name, normalize_id, CANONICAL_TYPES};
use crate::search::dictionary::{display_name, mention_forms};
use crate::search::facets::{FacetRequest, Facets};
use crate::search::query::{compile, EntityTarget};
use crate::search::relations::{relation_partners, RelationPartner, RelationQuery};
use crate::search::{search, Order, SearchRequest};
use serde::Serialize;

/// Mention forms listed per entity.
const FORMS: usize = 20;

/// What the index knows about one entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityProfile {
    /// Canonical type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Canonical ID.
    pub id: String,
    /// The display name ([`display_name`]), when the entity has a mention; a gene's official
    /// symbol when the index has `gene_info` ([`crate::vocab`]).
    pub name: Option<String>,
    /// A gene's full name from `gene_info`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Documents annotated with it.
    pub documents: u64,
    /// Documents with a relation line involving it.
    pub relation_documents: usize,
    /// Mention forms with their document counts, most documents first.
    pub mentions: Vec<(String, u64)>,
    /// Entities annotated in the same documents, top `top` per type (the entity itself left
    /// out).
    pub co_mentioned: Facets,
    /// Its relation partners, most documents first (at most `top`).
    pub related: Vec<RelationPartner>,
}

/// Autocomplete (`ptsearch entities`, `/api/v1/entities`, Python `Index.entities`): entity IDs
/// whose mentions or IDs start with `text`, most documents first; `entity_type` is resolved
/// like `--type` everywhere (a synonym such as `Protein`, or an error naming the valid types;
/// empty means any type).
pub fn suggest(
    index: &PtIndex,
    text: &str,
    entity_type: Option<&str>,
    limit: usize,
) -> Result<Vec<crate::search::dictionary::Suggestion>> {
    let searcher = index.searcher()?;
    let t = entity_type
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| crate::search::facets::resolve_type(&searcher, &index.fields, t))
        .transpose()?;
    Ok(crate::search::dictionary::autocomplete(
        &searcher,
        &index.fields,
        text,
        t.as_deref(),
        limit,
    )?)
}

/// The query-language clause of a lookup argument: `gene:673`, `@GENE_BRAF`, `MESH:D009369`
/// stay as written; a bare ID (`673`) is looked up under every type (`id:673`).
pub fn entity_clause(text: &str) -> String {
    let t = text.trim();
    if t.starts_with('@') || t.contains(':') {
        t.to_string()
    } else {
        format!("id:\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The profiles of every entity `text` names (an ID under several types gives several), most
/// documents first; `top` bounds the co-mentioned entities per type and the related ones.
pub fn entity_profiles(index: &PtIndex, text: &str, top: usize) -> Result<Vec<EntityProfile>> {
    let searcher = index.searcher()?;
    let vocab = index.vocab();
    let clause = entity_clause(text);
    let compiled = compile(&clause, &searcher, &index.fields)?;
    let mut targets: Vec<(String, String)> = Vec::new();
    for r in &compiled.resolutions {
        for e in &r.resolved {
            targets.push((e.entity_type.clone(), e.id.clone()));
        }
    }
    if targets.is_empty() {
        for target in &compiled.entities {
            let EntityTarget::Id { entity_type, id } = target else {
                continue;
            };
            let types: Vec<String> = match entity_type {
                Some(t) => vec![t.clone()],
                None => CANONICAL_TYPES.iter().map(|t| t.to_string()).collect(),
            };
            for t in types {
                if doc_count(&searcher, index.fields.entity, &entity_term(Some(&t), id))? > 0 {
                    let shown = id_as_indexed(&searcher, index, &t, id, text)?;
                    targets.push((t, shown));
                }
            }
        }
    }
    targets.dedup();
    let mut out = Vec::new();
    for (t, id) in targets {
        let documents = doc_count(&searcher, index.fields.entity, &entity_term(Some(&t), &id))?;
        if documents == 0 {
            continue;
        }
        // Literal (`=`): the profile is of this ID, not of what a vocabulary expands it to.
        let own = format!("{}:=\"{}\"", t.to_lowercase(), id.replace('"', "\\\""));
        let faceted = search(
            index,
            &SearchRequest {
                query: own.clone(),
                offset: 0,
                limit: Some(0),
                facets: Some(FacetRequest {
                    scope: Default::default(),
                    top: top + 1,
                    types: Vec::new(),
                    sort: Default::default(),
                    level: None,
                }),
                order: Order::Id,
                highlights: false,
            },
        )?;
        let mut co_mentioned = faceted.summary.facets.unwrap_or_default();
        for f in &mut co_mentioned {
            if f.entity_type == t {
                f.top.retain(|e| !e.id.eq_ignore_ascii_case(&id));
            }
            f.top.truncate(top);
        }
        let partners = relation_partners(
            index,
            &RelationQuery {
                entity: own.clone(),
                max_documents: 5,
                named: Some(top),
                ..RelationQuery::default()
            },
        )?;
        let relation_documents = search(
            index,
            &SearchRequest {
                query: format!("rel:\"ANY|{}|*\"", own.replace('"', "")),
                offset: 0,
                limit: Some(0),
                facets: None,
                order: Order::Id,
                highlights: false,
            },
        )?
        .summary
        .total_hits;
        // With gene_info, a gene is shown by its official symbol and full name.
        let official = match (t.as_str(), id.parse::<u64>(), vocab.genes()?) {
            ("Gene", Ok(n), Some(genes)) => genes
                .get(n)
                .map(|g| (g.symbol.clone(), g.full_name.clone())),
            _ => None,
        };
        let name = match &official {
            Some((symbol, _)) => Some(symbol.clone()),
            None => display_name(&searcher, &index.fields, &t, &id)?,
        };
        out.push(EntityProfile {
            name,
            full_name: official.map(|(_, f)| f).filter(|f| !f.is_empty()),
            mentions: mention_forms(&searcher, &index.fields, &t, &id, FORMS)?,
            entity_type: t,
            id,
            documents,
            relation_documents,
            co_mentioned,
            related: partners.into_iter().take(top).collect(),
        });
    }
    out.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then_with(|| a.entity_type.cmp(&b.entity_type))
    });
    Ok(out)
}

/// The ID in the case the index's dictionary writes it (`MESH:D009369` for `mesh:d009369`):
/// the ID as typed (normalized), upper case or lower case, whichever has mentions.
fn id_as_indexed(
    searcher: &tantivy::Searcher,
    index: &PtIndex,
    entity_type: &str,
    lower: &str,
    typed: &str,
) -> Result<String> {
    let typed = typed.trim();
    let value = match typed.split_once(':') {
        Some((field, rest)) if canonical_type_name(field).is_some() || field == "id" => rest,
        _ => typed,
    };
    let value = normalize_id(value.trim_matches('"'));
    for candidate in [value.clone(), lower.to_uppercase(), lower.to_string()] {
        if candidate.eq_ignore_ascii_case(lower)
            && !mention_forms(searcher, &index.fields, entity_type, &candidate, 1)?.is_empty()
        {
            return Ok(candidate);
        }
    }
    Ok(if value.eq_ignore_ascii_case(lower) {
        value
    } else {
        lower.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_ids_become_id_clauses() {
        assert_eq!(entity_clause("673"), "id:\"673\"");
        assert_eq!(entity_clause(" gene:673 "), "gene:673");
        assert_eq!(entity_clause("@GENE_BRAF"), "@GENE_BRAF");
        assert_eq!(entity_clause("MESH:D009369"), "MESH:D009369");
    }
}
