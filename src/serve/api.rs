//! The part of the JSON API the search page calls: `/api/v1/entities` (autocomplete),
//! `/api/v1/documents/{id}?format=` and `/api/v1/export?q=&format=`.
//!
//! Where it sits in the flow: merged beside the page's router by `serve::run`; every handler
//! runs the library call on the blocking pool and writes the library's own serialization.

use crate::index::find_document;
use crate::output::DocumentFormat;
use crate::output::DocumentSink;
use crate::search::dictionary::autocomplete;
use crate::search::{ranked, SearchRequest};
use crate::{Error, PtIndex};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::str::FromStr;
use std::sync::Arc;

/// Largest autocomplete answer.
const MAX_ENTITIES: usize = 100;

/// The API routes the page needs.
pub fn router(index: Arc<PtIndex>) -> Router {
    Router::new()
        .route("/api/v1/entities", get(entities))
        .route("/api/v1/documents/{id}", get(document))
        .route("/api/v1/export", get(export))
        .with_state(index)
}

fn error(status: StatusCode, message: &str, position: Option<usize>) -> Response {
    let body = serde_json::json!({ "error": { "message": message, "position": position } });
    (status, Json(body)).into_response()
}

fn from_library(e: Error) -> Response {
    match e {
        Error::Query {
            position, message, ..
        } => error(StatusCode::BAD_REQUEST, &message, Some(position)),
        other => error(StatusCode::INTERNAL_SERVER_ERROR, &other.to_string(), None),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Response> + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string(), None)))
}

#[derive(Deserialize)]
struct EntityParams {
    #[serde(default)]
    prefix: String,
    #[serde(default, rename = "type")]
    entity_type: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

async fn entities(State(index): State<Arc<PtIndex>>, Query(p): Query<EntityParams>) -> Response {
    let limit = p.limit.unwrap_or(10).min(MAX_ENTITIES);
    let r = blocking(move || {
        let searcher = index.searcher().map_err(from_library)?;
        autocomplete(
            &searcher,
            &index.fields,
            &p.prefix,
            p.entity_type.as_deref(),
            limit,
        )
        .map_err(|e| from_library(e.into()))
    })
    .await;
    match r {
        Ok(list) => Json(list).into_response(),
        Err(resp) => resp,
    }
}

#[derive(Deserialize)]
struct FormatParams {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    q: Option<String>,
}

fn format_of(p: &FormatParams, default: &str) -> Result<Option<DocumentFormat>, Response> {
    let name = p.format.as_deref().unwrap_or(default);
    if name == "json" {
        return Ok(None);
    }
    DocumentFormat::from_str(name)
        .map(Some)
        .map_err(|e| error(StatusCode::BAD_REQUEST, &e.to_string(), None))
}

fn formatted(format: DocumentFormat, body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, format.mime_type())], body).into_response()
}

async fn document(
    State(index): State<Arc<PtIndex>>,
    Path(id): Path<String>,
    Query(p): Query<FormatParams>,
) -> Response {
    let format = match format_of(&p, "json") {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = blocking(move || {
        let Some(doc) = find_document(&index, &id).map_err(from_library)? else {
            return Err(error(StatusCode::NOT_FOUND, "no document with that ID", None));
        };
        Ok(match format {
            None => Json(doc).into_response(),
            Some(f) => {
                let write = || -> std::io::Result<Vec<u8>> {
                    let mut sink = DocumentSink::begin(Vec::new(), f, "ptsearch")?;
                    sink.write(&doc)?;
                    sink.finish()
                };
                match write() {
                    Ok(body) => formatted(f, body),
                    Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string(), None),
                }
            }
        })
    })
    .await;
    r.unwrap_or_else(|resp| resp)
}

async fn export(State(index): State<Arc<PtIndex>>, Query(p): Query<FormatParams>) -> Response {
    let format = match format_of(&p, "pubtator") {
        Ok(Some(f)) => f,
        Ok(None) => DocumentFormat::Jsonl,
        Err(r) => return r,
    };
    let q = p.q.clone().unwrap_or_default();
    let r = blocking(move || {
        let ranked = ranked(&index, &SearchRequest::export(q)).map_err(from_library)?;
        let write = || -> Result<Vec<u8>, Error> {
            let mut sink = DocumentSink::begin(Vec::new(), format, "ptsearch")
                .map_err(|e| Error::io("export", e))?;
            for doc in ranked.documents() {
                sink.write(&doc?).map_err(|e| Error::io("export", e))?;
            }
            sink.finish().map_err(|e| Error::io("export", e))
        };
        write().map_err(from_library)
    })
    .await;
    match r {
        Ok(body) => formatted(format, body),
        Err(resp) => resp,
    }
}
