//! Relations, entities and sentences as answers over HTTP: `GET /api/v1/relations` (the rows
//! of `ptsearch relations --format json`), `GET /api/v1/entity` (the profiles of
//! `ptsearch entity --format json`) and `GET /api/v1/sentences` (`ptsearch sentences`), all straight from the library
//! ([`crate::search::relations`], [`crate::search::entity`]) on the bounded blocking pool.

use super::error::ApiResult;
use super::limits::{blocking, number, short};
use super::native::{json_bytes, json_response, required_query};
use super::AppState;
use crate::search::entity::entity_profiles;
use crate::search::relation_evidence::add_evidence;
use crate::search::relations::{relation_partners, RelationQuery};
use crate::search::sentences::{sentences, SentenceBody};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

/// Most rows `relations` answers per request.
const MAX_ROWS: usize = 1000;
/// Evidence document IDs per row.
const ROW_IDS: usize = 100;

/// Parameters of `relations`.
#[derive(Debug, Deserialize)]
pub struct RelationsParams {
    entity: Option<String>,
    #[serde(rename = "type")]
    rel_type: Option<String>,
    partner_type: Option<String>,
    q: Option<String>,
    limit: Option<String>,
    evidence: Option<String>,
}

/// `GET /api/v1/relations?entity=&type=&partner_type=&q=&limit=&evidence=`.
pub async fn relations_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<RelationsParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let entity = required_query(p.entity, "entity")?;
    short(&state.limits, "entity", &entity)?;
    // `q` is bounded by the request-target limit (414).
    let limit = number("limit", p.limit.as_deref(), 20, MAX_ROWS)?;
    let evidence = super::limits::flag("evidence", p.evidence.as_deref())?;
    let q = RelationQuery {
        entity,
        rel_type: p.rel_type.filter(|t| !t.trim().is_empty()),
        partner_type: p.partner_type.filter(|t| !t.trim().is_empty()),
        max_documents: ROW_IDS,
        query: p.q.filter(|q| !q.trim().is_empty()),
        named: Some(limit),
    };
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let mut rows = relation_partners(&index, &q)?;
        rows.truncate(limit);
        if evidence {
            add_evidence(&index, &mut rows)?;
        }
        json_bytes(&rows)
    })
    .await?;
    Ok(json_response(body))
}

/// Parameters of `entity`.
#[derive(Debug, Deserialize)]
pub struct EntityParams {
    id: Option<String>,
    top: Option<String>,
}

/// `GET /api/v1/entity?id=&top=`: every entity the argument names (an ID under several types
/// gives several), with names, mention forms, counts, co-mentioned and related entities.
pub async fn entity_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<EntityParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let id = required_query(p.id, "id")?;
    short(&state.limits, "id", &id)?;
    let top = number("top", p.top.as_deref(), 5, 50)?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        json_bytes(&entity_profiles(&index, &id, top)?)
    })
    .await?;
    Ok(json_response(body))
}

/// Parameters of `sentences`.
#[derive(Debug, Deserialize)]
pub struct SentencesParams {
    q: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/sentences?q=&limit=`: the matching sentences of the matching documents, best
/// first, as `ptsearch sentences --format json` gives them (LitSense 2.0's fields:
/// `{"query",…,"sentences":[{"pmid","text","section","score","annotations",…}]}`).
pub async fn sentences_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SentencesParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let q = required_query(p.q, "q")?;
    let limit = number("limit", p.limit.as_deref(), 20, MAX_ROWS)?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let answer = sentences(&index, &q, limit)?;
        json_bytes(&SentenceBody {
            summary: &answer,
            sentences: &answer.sentences,
        })
    })
    .await?;
    Ok(json_response(body))
}
