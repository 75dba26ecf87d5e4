//! Watches over HTTP, read-only like the rest of the server: the list with the pending news
//! of each (`/api/v1/watches`), one watch's news (`.../news`, never moving its mark: `ptsearch
//! news` does that) and its Atom feed (`.../feed.atom`: everything first indexed since the
//! watch was added, newest first), and the related articles of a document
//! (`/api/v1/documents/{id}/similar`). Each handler is one library call on the blocking pool.

use super::error::{ApiError, ApiResult};
use super::limits::{blocking, flag, number, short};
use super::native::{json_bytes, json_response};
use super::AppState;
use crate::index::commit::iso8601_utc;
use crate::watch::atom::{atom_feed, ATOM_MIME};
use crate::watch::{self, NewsRequest};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Entries of a feed unless `limit` says fewer.
const FEED_ENTRIES: usize = 100;

/// A watch with the number of documents its next `news` will report.
#[derive(Debug, Serialize)]
struct Listed {
    #[serde(flatten)]
    watch: watch::Watch,
    news: usize,
}

/// An unknown watch is a 404, not a bad request.
fn watch_error(e: crate::Error) -> ApiError {
    match e {
        crate::Error::UnknownValue { what: "watch", .. } => ApiError::not_found(e.to_string()),
        e => e.into(),
    }
}

/// `GET /api/v1/watches`: every watch and its pending news count.
pub async fn list_handler(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let request = NewsRequest {
            peek: true,
            ..NewsRequest::default()
        };
        let news = watch::news(&index, &request)?;
        let listed: Vec<Listed> = watch::list(&index)?
            .into_iter()
            .map(|w| Listed {
                news: news
                    .iter()
                    .find(|n| n.watch == w.name)
                    .map_or(0, |n| n.new.len()),
                watch: w,
            })
            .collect();
        json_bytes(&listed)
    })
    .await?;
    Ok(json_response(body))
}

/// Parameters of a watch's news and feed.
#[derive(Debug, Deserialize)]
pub struct NewsParams {
    limit: Option<String>,
    updated: Option<String>,
}

/// `GET /api/v1/watches/{name}/news`: the news `ptsearch news NAME --peek` shows.
pub async fn news_handler(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    params: Result<Query<NewsParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    short(&state.limits, "watch name", &name)?;
    let limit = number("limit", p.limit.as_deref(), 100, state.limits.max_limit)?;
    let updated = flag("updated", p.updated.as_deref())?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let request = NewsRequest {
            name: Some(name),
            peek: true,
            since: None,
            updated,
            limit: Some(limit),
        };
        let news = watch::news(&index, &request).map_err(watch_error)?;
        json_bytes(&news.first())
    })
    .await?;
    Ok(json_response(body))
}

/// `GET /api/v1/watches/{name}/feed.atom`: the watch's Atom feed.
pub async fn feed_handler(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    params: Result<Query<NewsParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    short(&state.limits, "watch name", &name)?;
    let limit = number(
        "limit",
        p.limit.as_deref(),
        FEED_ENTRIES,
        state.limits.max_limit,
    )?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let news = watch::feed(&index, &name, limit).map_err(watch_error)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(atom_feed(&news, &iso8601_utc(now)).into_bytes())
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, ATOM_MIME)], body).into_response())
}

/// Parameters of `documents/{id}/similar`.
#[derive(Debug, Deserialize)]
pub struct SimilarParams {
    limit: Option<String>,
}

/// `GET /api/v1/documents/{id}/similar`: related articles, in the JSON of `/api/v1/search`.
pub async fn similar_handler(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Result<Query<SimilarParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    short(&state.limits, "document ID", &id)?;
    let limit = number("limit", p.limit.as_deref(), 10, state.limits.max_limit)?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let found = crate::search::similar::similar(&index, &id, limit)?
            .ok_or_else(|| ApiError::not_found(format!("no document with ID '{id}'")))?;
        json_bytes(&found)
    })
    .await?;
    Ok(json_response(body))
}
