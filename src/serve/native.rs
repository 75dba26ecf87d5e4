//! The native API under `/api/v1/`: each handler turns query parameters into a library call
//! (`search`, `ranked` for exports, `find_document`, `autocomplete`, `index_stats`) run on the
//! bounded blocking pool, and answers the library's own serialized types, the same JSON the
//! CLI prints. No search logic lives here.

use super::download::{attachment, extension};
use super::error::{ApiError, ApiResult};
use super::limits::{blocking, flag, list, named, number, short};
use super::stream::{stream, Writer};
use super::AppState;
use crate::index::find_document;
use crate::index::stats::index_stats;
use crate::output::json::ShownDocument;
use crate::output::tsv::Column;
use crate::output::{DocumentFormat, DocumentSink, ExportFormat, HitFormat, HitPrinter};
use crate::search::facets::FacetRequest;
use crate::search::facets::{FacetScope, FacetSort};
use crate::search::tree::MAX_FACET_LEVEL;
use crate::search::{ranked, search, Order, SearchRequest};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The hand-written OpenAPI document of every route.
pub const OPENAPI: &str = include_str!("openapi.json");

/// A JSON answer from a serializable value (serialized on the blocking pool by the caller).
pub fn json_bytes<T: Serialize>(value: &T) -> ApiResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| ApiError::internal(e.to_string()))
}

/// An already-serialized JSON body.
pub fn json_response(body: Vec<u8>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `format=` for documents: one of the [`DocumentFormat`]s (`default` when absent).
pub fn document_format(value: Option<&str>, default: &str) -> ApiResult<DocumentFormat> {
    let name = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(default);
    name.parse::<DocumentFormat>()
        .map_err(|e| ApiError::bad_request(e.to_string()))
}

/// Parameters of `search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    facets: Option<String>,
    facet_top: Option<String>,
    facet_type: Option<String>,
    facet_sort: Option<String>,
    facet_scope: Option<String>,
    facet_level: Option<String>,
    sort: Option<String>,
    format: Option<String>,
    columns: Option<String>,
}

/// The query parameter, required.
pub fn required_query(q: Option<String>, name: &str) -> ApiResult<String> {
    match q {
        Some(q) if !q.trim().is_empty() => Ok(q),
        _ => Err(ApiError::bad_request(format!(
            "the query parameter '{name}' is required"
        ))),
    }
}

/// `GET /api/v1/search`: one page of hits, with totals, facets, resolutions and warnings.
pub async fn search_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let limits = &state.limits;
    let query = required_query(p.q, "q")?;
    let limit = number("limit", p.limit.as_deref(), 10, limits.max_limit)?;
    let offset = number("offset", p.offset.as_deref(), 0, limits.max_offset)?;
    let facet_top = number(
        "facet_top",
        p.facet_top.as_deref(),
        10,
        limits.max_facet_top,
    )?;
    let types = list(p.facet_type.as_deref(), 32, "facet types")?;
    let facet_sort = named(p.facet_sort.as_deref(), FacetSort::Count)?;
    let facet_scope = named(p.facet_scope.as_deref(), FacetScope::Document)?;
    // `facet_level=N`: tree facets at depth N (1..=13), which imply facets.
    let level = match p.facet_level.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(number("facet_level", Some(v), 1, MAX_FACET_LEVEL)?).filter(|n| *n > 0),
    };
    let want_facets = flag("facets", p.facets.as_deref())?
        || !types.is_empty()
        || facet_sort.wants_facets()
        || facet_scope == FacetScope::Sentence
        || level.is_some();
    let order = named(p.sort.as_deref(), Order::Relevance)?;
    let tsv_columns = match p.format.as_deref().map(str::trim) {
        None | Some("" | "json") if p.columns.is_some() => {
            return Err(ApiError::bad_request("columns= applies to format=tsv only"))
        }
        None | Some("" | "json") => None,
        Some("tsv") => Some(parse_columns(p.columns.as_deref().unwrap_or_default())?),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown search format '{other}'; valid: json, tsv"
            )))
        }
    };
    let request = SearchRequest {
        query,
        offset,
        limit: Some(limit),
        facets: want_facets.then_some(FacetRequest {
            top: facet_top,
            types,
            sort: facet_sort,
            scope: facet_scope,
            level,
        }),
        order,
        highlights: true,
    };
    let index = state.index.clone();
    if let Some(columns) = tsv_columns {
        let disposition = attachment(&request.query, "tsv");
        let body = blocking(&state, move || {
            let result = search(&index, &request)?;
            let mut printer = HitPrinter::begin_with(Vec::new(), HitFormat::Tsv, &columns)?;
            for hit in &result.hits {
                printer.hit(hit)?;
            }
            Ok(printer.finish(&result.summary)?)
        })
        .await?;
        return Ok(tsv_response(body, disposition));
    }
    let body = blocking(&state, move || json_bytes(&search(&index, &request)?)).await?;
    Ok(json_response(body))
}

/// `columns=` of TSV answers ([`crate::output::tsv::parse_columns`]).
fn parse_columns(text: &str) -> ApiResult<Vec<Column>> {
    crate::output::tsv::parse_columns(text).map_err(ApiError::bad_request)
}

/// A TSV body, as a download named by `disposition`.
fn tsv_response(body: Vec<u8>, disposition: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/tab-separated-values; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// Parameters of `documents/{id}`.
#[derive(Debug, Deserialize)]
pub struct DocumentParams {
    format: Option<String>,
}

/// `GET /api/v1/documents/{id}`: one document as `show` prints it (JSON) or in a document
/// format.
pub async fn document_handler(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<DocumentParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Path(id) = id?;
    let Query(p) = params?;
    short(&state.limits, "document ID", &id)?;
    let format = match p.format.as_deref().map(str::trim) {
        None | Some("" | "json") => None,
        Some(f) => Some(document_format(Some(f), "json")?),
    };
    let disposition = format.map(|f| attachment(&id, extension(f)));
    let index = state.index.clone();
    let (mime, body) = blocking(&state, move || {
        let doc = find_document(&index, &id)?
            .ok_or_else(|| ApiError::not_found(format!("no document with ID '{id}'")))?;
        match format {
            None => Ok((
                "application/json; charset=utf-8",
                json_bytes(&ShownDocument::of(&doc))?,
            )),
            Some(f) => {
                let mut sink = DocumentSink::begin(Vec::new(), f, "ptsearch serve")?;
                sink.write(&doc)?;
                Ok((f.mime_type(), sink.finish()?))
            }
        }
    })
    .await?;
    // A document format is a download named after the document.
    match disposition {
        Some(d) => Ok((
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, d),
            ],
            body,
        )
            .into_response()),
        None => Ok(([(header::CONTENT_TYPE, mime)], body).into_response()),
    }
}

/// Parameters of `entities`.
#[derive(Debug, Deserialize)]
pub struct EntitiesParams {
    prefix: Option<String>,
    #[serde(rename = "type")]
    entity_type: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/entities`: autocomplete entity names (the objects of `entities --format json`).
pub async fn entities_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<EntitiesParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let prefix = required_query(p.prefix, "prefix")?;
    short(&state.limits, "prefix", &prefix)?;
    let limit = number(
        "limit",
        p.limit.as_deref(),
        10,
        state.limits.max_suggestions,
    )?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let found =
            crate::search::entity::suggest(&index, &prefix, p.entity_type.as_deref(), limit)?;
        json_bytes(&found)
    })
    .await?;
    Ok(json_response(body))
}

/// Parameters of `export`.
#[derive(Debug, Deserialize)]
pub struct ExportParams {
    q: Option<String>,
    format: Option<String>,
    columns: Option<String>,
}

/// `GET /api/v1/export`: every hit of `q` (default: every document) in document-ID order,
/// streamed: in a document format, or `format=tsv` (one line per document, `columns=`).
pub async fn export_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let asked = match p.format.as_deref().map(str::trim) {
        None | Some("") => ExportFormat::Documents(DocumentFormat::Pubtator),
        Some(f) => f
            .parse::<ExportFormat>()
            .map_err(|e| ApiError::bad_request(e.to_string()))?,
    };
    let columns = if asked == ExportFormat::Tsv {
        let asked = p.columns.as_deref().map(parse_columns).transpose()?;
        Some(crate::output::tsv::export_columns(asked).map_err(ApiError::bad_request)?)
    } else if p.columns.is_some() {
        return Err(ApiError::bad_request("columns= applies to format=tsv only"));
    } else {
        None
    };
    let format = match asked {
        ExportFormat::Documents(f) => f,
        ExportFormat::Tsv => DocumentFormat::Pubtator,
    };
    let query =
        p.q.filter(|q| !q.trim().is_empty())
            .unwrap_or_else(|| "*".to_string());
    let (mime, ext) = match columns {
        Some(_) => ("text/tab-separated-values; charset=utf-8", "tsv"),
        None => (format.mime_type(), extension(format)),
    };
    let disposition = attachment(&query, ext);
    let index = state.index.clone();
    stream(&state, mime, Some(disposition), move || {
        let found = ranked(&index, &SearchRequest::export(query.clone()))?;
        let write: Writer = Box::new(move |out| {
            if let Some(columns) = columns {
                let mut printer = HitPrinter::begin_with(out, HitFormat::Tsv, &columns)?;
                for hit in found.hits() {
                    printer.hit(&hit.map_err(std::io::Error::other)?)?;
                }
                return printer.finish(&found.summary).map(drop);
            }
            let source = format!("ptsearch export of {query}");
            let mut sink = DocumentSink::begin(out, format, &source)?;
            for doc in found.documents() {
                let doc = doc.map_err(std::io::Error::other)?;
                sink.write(&doc)?;
            }
            sink.finish().map(drop)
        });
        Ok(write)
    })
    .await
}

/// `GET /api/v1/stats`: the index statistics of `stats --format json`.
pub async fn stats_handler(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let index = state.index.clone();
    let body = blocking(&state, move || json_bytes(&index_stats(&index)?)).await?;
    Ok(json_response(body))
}

/// `GET /api/v1/vocab`: the index's vocabularies (kind, file, version, records, added), as
/// `ptsearch vocab list --format json` prints them. Adding one is the CLI's or Python's job:
/// the server is read-only.
pub async fn vocab_handler(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let index = state.index.clone();
    let body = blocking(&state, move || {
        json_bytes(&crate::vocab::list(&index.path)?)
    })
    .await?;
    Ok(json_response(body))
}

/// Parameters of `tree`.
#[derive(Debug, Deserialize)]
pub struct TreeParams {
    descriptor: Option<String>,
}

/// `GET /api/v1/tree?descriptor=D009369`: the MeSH tree around a descriptor, as `ptsearch entity ID
/// --tree --format json` prints it (400 without a MeSH vocabulary or for an unknown ID).
pub async fn tree_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<TreeParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let id = required_query(p.descriptor, "descriptor")?;
    let index = state.index.clone();
    let body = blocking(&state, move || {
        json_bytes(&crate::search::tree::entity_tree(&index, &id)?)
    })
    .await?;
    Ok(json_response(body))
}

/// `GET /api/v1/health`: `{"status":"ok","documents":N}` (the newest commit's live documents).
pub async fn health_handler(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let index = state.index.clone();
    let body = blocking(&state, move || {
        let documents = index.searcher()?.num_docs();
        json_bytes(&serde_json::json!({"status": "ok", "documents": documents}))
    })
    .await?;
    Ok(json_response(body))
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_handler() -> Response {
    json_response(OPENAPI.as_bytes().to_vec())
}
