//! Exact facet counts over a whole result set: documents per entity type and the top entities
//! of each type, each with the mention most documents use for it (so `5133` shows as `PD1`).

use crate::dictionary::mention_forms;
use crate::error::Result;
use crate::pubtator::ids::CANONICAL_TYPES;
use crate::schema::Fields;
use serde::Serialize;
use tantivy::collector::FacetCollector;
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::Searcher;

/// Which facets to count.
#[derive(Debug, Clone)]
pub struct FacetRequest {
    /// Top entities per type.
    pub top: usize,
    /// Only these types (canonical or kept names); all when empty.
    pub types: Vec<String>,
}

/// One entity in a facet.
#[derive(Debug, Clone, Serialize)]
pub struct FacetEntity {
    /// Canonical ID.
    pub id: String,
    /// Matching documents annotated with it.
    pub documents: u64,
    /// The mention most documents use for it.
    pub mention: Option<String>,
}

/// Counts for one entity type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeFacet {
    /// The type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Matching documents with at least one normalized entity of this type.
    pub documents: u64,
    /// The top entities.
    pub top: Vec<FacetEntity>,
}

/// Facets of a result set, types in canonical order then by name.
pub type Facets = Vec<TypeFacet>;

fn segments(f: &Facet) -> Vec<String> {
    f.to_path().into_iter().map(str::to_string).collect()
}

/// Counts facets for every document matching `query`.
pub fn collect_facets(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    request: &FacetRequest,
) -> Result<Facets> {
    let field_name = "facet";
    let mut root = FacetCollector::for_field(field_name);
    root.add_facet(Facet::root());
    let root_counts = searcher.search(query, &root)?;
    let mut types: Vec<(String, u64)> = root_counts
        .get(Facet::root())
        .filter_map(|(f, n)| segments(f).first().cloned().map(|t| (t, n)))
        .filter(|(t, _)| {
            request.types.is_empty() || request.types.iter().any(|w| w.eq_ignore_ascii_case(t))
        })
        .collect();
    let order = |t: &str| {
        CANONICAL_TYPES
            .iter()
            .position(|c| *c == t)
            .unwrap_or(CANONICAL_TYPES.len())
    };
    types.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then_with(|| a.0.cmp(&b.0)));
    if types.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_type = FacetCollector::for_field(field_name);
    for (t, _) in &types {
        by_type.add_facet(Facet::from_path([t.as_str()]));
    }
    let counts = searcher.search(query, &by_type)?;
    let mut out = Vec::new();
    for (t, documents) in types {
        let mut top = Vec::new();
        // All children, sorted here, so ties at the cut are broken by ID deterministically.
        let mut all: Vec<(String, u64)> = counts
            .get(Facet::from_path([t.as_str()]))
            .filter_map(|(facet, n)| segments(facet).get(1).cloned().map(|id| (id, n)))
            .collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(request.top);
        for (id, n) in all {
            let mention = mention_forms(searcher, fields, &t, &id, 1)?
                .into_iter()
                .next()
                .map(|m| m.0);
            top.push(FacetEntity {
                id,
                documents: n,
                mention,
            });
        }
        out.push(TypeFacet {
            entity_type: t,
            documents,
            top,
        });
    }
    Ok(out)
}
