//! The route table, the first step of every request after the connection: which path and
//! method reach which handler (native API, PubTator3 compatibility), with the middleware
//! every request passes through (guard, CORS when asked, body limit) and the JSON 404/405.

use super::error::ApiError;
use super::{answers, graph, limits, native, pubtator3, watches, AppState};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

/// Every path the server answers (the OpenAPI document lists the same; a test checks both).
pub const PATHS: [&str; 23] = [
    "/api/v1/search",
    "/api/v1/sentences",
    "/api/v1/documents/{id}",
    "/api/v1/documents/{id}/similar",
    "/api/v1/watches",
    "/api/v1/watches/{name}/news",
    "/api/v1/watches/{name}/feed.atom",
    "/api/v1/entities",
    "/api/v1/entity",
    "/api/v1/relations",
    "/api/v1/export",
    "/api/v1/graph",
    "/api/v1/stats",
    "/api/v1/health",
    "/api/v1/openapi.json",
    "/api/v1/vocab",
    "/api/v1/tree",
    "/pubtator3-api/search/",
    "/pubtator3-api/entity/autocomplete/",
    "/pubtator3-api/publications/export/{format}",
    "/pubtator3-api/relations",
    "/pubtator3-api/search",
    "/pubtator3-api/entity/autocomplete",
];

/// Builds the router. `cors` is the one origin allowed to read answers from a browser
/// (`*` for any); CORS is off without it.
pub fn router(state: Arc<AppState>, cors: Option<&str>) -> anyhow::Result<Router> {
    let api = Router::new()
        .route("/api/v1/search", get(native::search_handler))
        .route("/api/v1/documents/{id}", get(native::document_handler))
        .route(
            "/api/v1/documents/{id}/similar",
            get(watches::similar_handler),
        )
        .route("/api/v1/watches", get(watches::list_handler))
        .route("/api/v1/watches/{name}/news", get(watches::news_handler))
        .route(
            "/api/v1/watches/{name}/feed.atom",
            get(watches::feed_handler),
        )
        .route("/api/v1/entities", get(native::entities_handler))
        .route("/api/v1/entity", get(answers::entity_handler))
        .route("/api/v1/relations", get(answers::relations_handler))
        .route("/api/v1/sentences", get(answers::sentences_handler))
        .route("/api/v1/export", get(native::export_handler))
        .route("/api/v1/graph", get(graph::graph_handler))
        .route("/api/v1/stats", get(native::stats_handler))
        .route("/api/v1/health", get(native::health_handler))
        .route("/api/v1/vocab", get(native::vocab_handler))
        .route("/api/v1/tree", get(native::tree_handler))
        .route("/api/v1/openapi.json", get(native::openapi_handler))
        .route("/pubtator3-api/search/", get(pubtator3::search_handler))
        .route("/pubtator3-api/search", get(pubtator3::search_handler))
        .route(
            "/pubtator3-api/entity/autocomplete/",
            get(pubtator3::autocomplete_handler),
        )
        .route(
            "/pubtator3-api/entity/autocomplete",
            get(pubtator3::autocomplete_handler),
        )
        .route(
            "/pubtator3-api/publications/export/{format}",
            get(pubtator3::export_get).post(pubtator3::export_post),
        )
        .route(
            "/pubtator3-api/relations",
            get(pubtator3::relations_handler),
        )
        .fallback(|| async { ApiError::not_found("no such endpoint (see /api/v1/openapi.json)") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .layer(RequestBodyLimitLayer::new(state.limits.max_body_bytes))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.limits.max_body_bytes,
        ));
    let api = match cors {
        None => api,
        Some(origin) => {
            let allow = if origin.trim() == "*" {
                AllowOrigin::any()
            } else {
                AllowOrigin::exact(HeaderValue::from_str(origin.trim()).map_err(|_| {
                    anyhow::anyhow!("--cors: '{origin}' is not a valid origin header value")
                })?)
            };
            api.layer(
                CorsLayer::new()
                    .allow_origin(allow)
                    .allow_methods([Method::GET, Method::POST])
                    .allow_headers([header::CONTENT_TYPE]),
            )
        }
    };
    // The search page at `/` (HTML; no CORS: it is read by this origin only).
    let api = api.merge(super::page::router());
    Ok(api
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::guard,
        ))
        .with_state(state))
}
