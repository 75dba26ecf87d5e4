//! PubTator3-compatible endpoints under `/pubtator3-api/`: PubTator3's request shapes
//! (`search/?text=&page=`, `entity/autocomplete/`, `publications/export/{format}?pmids=`,
//! `relations?e1=&type=&e2=`) answered from the user's own index through the same library calls
//! as the native API, rendered in PubTator3's response shapes (`text_hl` markup, `@TYPE_ID`
//! entity IDs). Compatible shapes, not parity: ranking and coverage are the local dump's.

mod export;

pub use export::{export_get, export_post};

use super::error::{ApiError, ApiResult};
use super::limits::{blocking, number, short};
use super::native::{json_bytes, json_response, required_query};
use super::AppState;
use crate::pubtator::DisplayField;
use crate::search::facets::FacetRequest;
use crate::search::highlight::{entity_spans, HighlightSpan, SpanKind};
use crate::search::relations::{relation_partners, RelationQuery, TypedId};
use crate::search::{search, Hit, Order, SearchRequest};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// PubTator3's page size.
const PAGE_SIZE: usize = 10;
/// Document IDs listed per relation partner.
const RELATION_IDS: usize = 100;

/// Parameters of `search/`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    text: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
    sort: Option<String>,
}

/// `GET /pubtator3-api/search/?text=&page=&sort=`.
pub async fn search_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let text = required_query(p.text, "text")?;
    let page_size = number("page_size", p.page_size.as_deref(), PAGE_SIZE, 100)?.max(1);
    let max_page = state.limits.max_offset / page_size + 1;
    let page = number("page", p.page.as_deref(), 1, max_page)?.max(1);
    let order = match p.sort.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
        None => Order::Relevance,
        Some(s) if s.is_empty() || s.starts_with("score") || s == "relevance" => Order::Relevance,
        Some(s) if s.starts_with("pmid") || s == "id" => Order::Id,
        Some(s) if s.starts_with("date") => Order::Date,
        Some(s) => {
            return Err(ApiError::bad_request(format!(
                "sort '{s}' is not supported here (score, date or pmid)"
            )))
        }
    };
    let request = SearchRequest {
        query: text,
        offset: (page - 1) * page_size,
        limit: Some(page_size),
        facets: Some(FacetRequest {
            scope: Default::default(),
            top: 10,
            types: Vec::new(),
            sort: Default::default(),
            level: None,
        }),
        order,
        highlights: true,
    };
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let found = search(&index, &request)?;
        let count = found.summary.total_hits;
        let results: Vec<Value> = found.hits.iter().map(result).collect();
        let mut facet_fields = serde_json::Map::new();
        let mut types = Vec::new();
        for f in found.summary.facets.iter().flatten() {
            types.push(json!({"name": f.entity_type.to_lowercase(), "value": f.documents}));
            let top: Vec<Value> = f
                .top
                .iter()
                .map(|e| {
                    json!({
                        "name": at_id(&f.entity_type, &e.id),
                        "value": e.documents,
                        "label": e.label(),
                    })
                })
                .collect();
            facet_fields.insert(f.entity_type.to_lowercase(), Value::Array(top));
        }
        facet_fields.insert("type".into(), Value::Array(types));
        json_bytes(&json!({
            "results": results,
            "facets": {"facet_fields": facet_fields},
            "page_size": page_size,
            "current": page,
            "count": count,
            "total_pages": count.div_ceil(page_size),
        }))
    })
    .await?;
    Ok(json_response(body))
}

/// A PMID as PubTator3 writes it, a JSON number (`22663011`); an ID that is not all digits
/// (a document of another source) stays a string. Search results and `relations[].pmids`
/// both use it, so a client sees one type.
fn pmid_value(id: &str) -> Value {
    crate::interop::bioc_write::pmid_number(id).map_or_else(|| json!(id), |n| json!(n))
}

/// One search result in PubTator3's shape.
fn result(hit: &Hit) -> Value {
    let id = hit.id();
    let pmid = pmid_value(id);
    let meta = &hit.document.meta;
    json!({
        "_id": id,
        "pmid": pmid,
        "pmcid": meta.pmcid,
        "title": hit.document.title(),
        "journal": meta.journal,
        "authors": meta.authors,
        "date": crate::interop::bioc_write::pubtator3_date(meta),
        "doi": meta.doi,
        "score": hit.score,
        "text_hl": text_hl(hit),
    })
}

/// `@GENE_673`, `@DISEASE_MESH:D008545`: PubTator3's form of a typed ID.
fn at_id(entity_type: &str, id: &str) -> String {
    format!("@{}_{}", entity_type.to_ascii_uppercase(), id)
}

/// Escapes text for the markup of `text_hl`: stored text is untrusted, only our own `<m>`
/// tags may be markup.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The title and best abstract fragments with PubTator3's markup: `<m>…</m>` around query
/// matches, `@TYPE_ID @@@text@@@` around every annotated mention (its text inside `<m>` when
/// the query targeted that entity). Stored text is HTML-escaped.
pub fn text_hl(hit: &Hit) -> String {
    let doc = &hit.document;
    let matched: HashSet<(DisplayField, usize, usize)> = hit
        .highlights
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Entity)
        .map(|s| (s.field, s.start, s.end))
        .collect();
    let terms: Vec<&HighlightSpan> = hit
        .highlights
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Term)
        .collect();
    // An annotated mention is marked as a match when the query targeted its entity or one of
    // the query's words lies inside it; words elsewhere are marked alone.
    let mut marks: Vec<(HighlightSpan, bool)> = entity_spans(doc, &BTreeSet::new())
        .into_iter()
        .map(|(s, _)| {
            let hit = matched.contains(&(s.field, s.start, s.end))
                || terms
                    .iter()
                    .any(|t| t.field == s.field && t.start < s.end && t.end > s.start);
            (s, hit)
        })
        .collect();
    marks.extend(terms.iter().map(|&s| (s.clone(), true)));
    // By position; at one start the longer span, then an entity before a word.
    marks.sort_by_key(|(s, _)| {
        (
            s.field,
            s.start,
            std::cmp::Reverse(s.end),
            std::cmp::Reverse(s.kind),
        )
    });
    let title: Vec<char> = doc.title().chars().collect();
    let mut out = String::new();
    render(
        &mut out,
        &title,
        (0, title.len()),
        DisplayField::Title,
        &marks,
    );
    let body: Vec<char> = doc.body().chars().collect();
    for f in &hit.highlights.fragments {
        out.push_str(if f.start == 0 { " " } else { " … " });
        render(
            &mut out,
            &body,
            (f.start, f.end),
            DisplayField::Abstract,
            &marks,
        );
    }
    out
}

/// Renders the window `from..end` of one field's characters with the marks of that field
/// that lie inside it (overlaps: the earlier-starting, longer span wins).
fn render(
    out: &mut String,
    chars: &[char],
    (from, end): (usize, usize),
    field: DisplayField,
    marks: &[(HighlightSpan, bool)],
) {
    let end = end.min(chars.len());
    let slice = |a: usize, b: usize| -> String { chars.get(a..b).unwrap_or(&[]).iter().collect() };
    let mut pos = from;
    for (s, hit) in marks.iter().filter(|(s, _)| s.field == field) {
        if s.start < pos || s.end > end || s.start >= s.end {
            continue;
        }
        escape(out, &slice(pos, s.start));
        let inner = slice(s.start, s.end);
        match s.kind {
            SpanKind::Term => {
                out.push_str("<m>");
                escape(out, &inner);
                out.push_str("</m>");
            }
            SpanKind::Entity => {
                let t = s.entity_type.as_deref().unwrap_or("");
                for id in s.entity_id.as_deref().unwrap_or("").split(',') {
                    if !id.is_empty() {
                        escape(out, &at_id(t, id));
                        out.push(' ');
                    }
                }
                out.push_str("@@@");
                if *hit {
                    out.push_str("<m>");
                }
                escape(out, &inner);
                if *hit {
                    out.push_str("</m>");
                }
                out.push_str("@@@");
            }
        }
        pos = s.end;
    }
    if pos < end {
        escape(out, &slice(pos, end));
    }
}

/// Parameters of `entity/autocomplete/`.
#[derive(Debug, Deserialize)]
pub struct AutocompleteParams {
    query: Option<String>,
    concept: Option<String>,
    limit: Option<String>,
}

/// PubTator3's database name for an ID.
fn database(entity_type: &str, id: &str) -> &'static str {
    if id.to_ascii_uppercase().starts_with("MESH:") {
        return "ncbi_mesh";
    }
    match entity_type {
        "Gene" => "ncbi_gene",
        "Species" => "ncbi_taxonomy",
        "Variant" => "litvar",
        "CellLine" => "cellosaurus",
        _ => "",
    }
}

/// `GET /pubtator3-api/entity/autocomplete/?query=&concept=&limit=`.
pub async fn autocomplete_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<AutocompleteParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let query = required_query(p.query, "query")?;
    short(&state.limits, "query", &query)?;
    let limit = number(
        "limit",
        p.limit.as_deref(),
        10,
        state.limits.max_suggestions,
    )?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let found = crate::search::entity::suggest(&index, &query, p.concept.as_deref(), limit)?;
        let searcher = index.searcher()?;
        let items: Vec<Value> = found
            .iter()
            .map(|s| {
                let e = &s.entity;
                let name = s.mentions.first().map_or(e.id.as_str(), |m| m.0.as_str());
                // The name form (`@GENE_BRAF35`) when the name resolves to this entity alone,
                // else the ID form (`@GENE_15353`), so that each `_id` finds its own entity.
                let mut own = crate::search::dictionary::resolve_name(
                    &searcher,
                    &index.fields,
                    Some(&e.entity_type),
                    name,
                )?;
                crate::search::dictionary::keep_best(&mut own);
                let resolves_here = matches!(own.as_slice(), [only] if only.id == e.id);
                let id_part = if resolves_here {
                    name.replace(' ', "_")
                } else {
                    e.id.clone()
                };
                let db_id = e.id.strip_prefix("MESH:").unwrap_or(&e.id);
                let mut matched = String::from("Matched on name <m>");
                escape(&mut matched, name);
                matched.push_str("</m>");
                Ok(json!({
                    "_id": at_id(&e.entity_type, &id_part),
                    "biotype": e.entity_type.to_lowercase(),
                    "db_id": db_id,
                    "db": database(&e.entity_type, &e.id),
                    "name": name,
                    "description": match e.documents {
                        1 => "1 document".to_string(),
                        n => format!("{n} documents"),
                    },
                    "match": matched,
                }))
            })
            .collect::<crate::error::Result<Vec<Value>>>()?;
        json_bytes(&items)
    })
    .await?;
    Ok(json_response(body))
}

/// Parameters of `relations`.
#[derive(Debug, Deserialize)]
pub struct RelationParams {
    e1: Option<String>,
    #[serde(rename = "type")]
    rel_type: Option<String>,
    e2: Option<String>,
}

/// PubTator3's `@TYPE_Name` / `@TYPE_ID` as a `rel:` argument: `type:ID` for IDs (digits or a
/// `prefix:`), `type:Name With Spaces` for names; anything else as written.
fn relation_argument(e: &str) -> String {
    let Some(rest) = e.trim().strip_prefix('@') else {
        return e.trim().to_string();
    };
    let Some((t, name)) = rest.split_once('_') else {
        return e.trim().to_string();
    };
    let id_like = name.contains(':') || name.chars().all(|c| c.is_ascii_digit());
    let value = if id_like {
        name.to_string()
    } else {
        name.replace('_', " ")
    };
    format!("{}:{value}", t.to_ascii_lowercase())
}

/// PubTator3's spelling of a relation type (`Association` → `associate`).
fn pubtator3_relation_type(written: &str) -> String {
    let key = crate::pubtator::ids::relation_key(written);
    match key.as_str() {
        "association" => "associate",
        "negative_correlation" => "negative_correlate",
        "positive_correlation" => "positive_correlate",
        "cotreatment" => "cotreat",
        "comparison" => "compare",
        "drug_interaction" => "drug_interact",
        "conversion" => "convert",
        "interaction" => "interact",
        other => other,
    }
    .to_string()
}

fn typed_at(t: &TypedId) -> String {
    if t.entity_type.is_empty() {
        t.id.clone()
    } else {
        at_id(&t.entity_type, &t.id)
    }
}

/// `GET /pubtator3-api/relations?e1=&type=&e2=`: `[{type, source, target, publications}]`
/// (`publications` counts documents; `pmids` lists the first 100 of them).
pub async fn relations_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<RelationParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let e1 = required_query(p.e1, "e1")?;
    short(&state.limits, "e1", &e1)?;
    let q = RelationQuery {
        entity: relation_argument(&e1),
        rel_type: p.rel_type.filter(|t| !t.trim().is_empty()),
        partner_type: p.e2.filter(|t| !t.trim().is_empty()),
        max_documents: RELATION_IDS,
        query: None,
        named: Some(0),
    };
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let found = relation_partners(&index, &q)?;
        let out: Vec<Value> = found
            .iter()
            .map(|r| {
                json!({
                    "type": pubtator3_relation_type(&r.rel_type),
                    "source": typed_at(&r.source),
                    "target": typed_at(&r.target),
                    "publications": r.documents,
                    "pmids": r.ids.iter().map(|id| pmid_value(id)).collect::<Vec<Value>>(),
                })
            })
            .collect();
        json_bytes(&out)
    })
    .await?;
    Ok(json_response(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pubtator3_entity_ids_become_relation_arguments() {
        assert_eq!(relation_argument("@GENE_673"), "gene:673");
        assert_eq!(
            relation_argument("@DISEASE_MESH:D008545"),
            "disease:MESH:D008545"
        );
        assert_eq!(
            relation_argument("@DISEASE_Alzheimer_Disease"),
            "disease:Alzheimer Disease"
        );
        assert_eq!(relation_argument("gene:5133"), "gene:5133");
    }

    #[test]
    fn markup_escapes_text() {
        let mut s = String::new();
        escape(&mut s, "<script>\"onmouseover='x'&");
        assert_eq!(s, "&lt;script&gt;&quot;onmouseover=&#39;x&#39;&amp;");
    }
}
