//! The search page served at `/` by `ptsearch serve`: server-rendered HTML (maud) over the
//! library's read-side API, with a small embedded script for autocomplete and keys.
//!
//! Where it sits in the flow: the server's router merges [`router`] (routes `/`, `/doc/{id}`
//! and `/assets/*`); the page's JavaScript and its export links call the server's JSON API
//! (`/api/v1/entities`, `/api/v1/documents/{id}`, `/api/v1/export`). A request's URL is the
//! whole state ([`params`]); its handler runs the search on the blocking pool
//! (`search::search`, `index::find_document`) and renders [`results`] or [`document`] inside
//! the [`layout`] shell. Index work runs on the server's bounded blocking pool
//! ([`super::limits::blocking`]), like the API's. Highlights are drawn by [`marks`] from character offsets, colours come
//! from [`palette`], facet panels and chips from [`facets`], the network view's SVG from [`network`], the CSS and JS from [`assets`].

pub mod assets;
pub mod document;
pub mod facets;
pub mod landing;
pub mod layout;
pub mod marks;
pub mod network;
pub mod palette;
pub mod params;
pub mod results;
pub mod watches;

use super::limits;
use super::AppState;
use crate::index::commit::LocalIds;
use crate::index::find_document;
use crate::search::facets::FacetRequest;
use crate::search::{search, SearchRequest};
use crate::{Error, PtIndex};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use layout::{shell, QueryError};
use maud::{html, Markup};
use params::{PageParams, View};
use std::sync::Arc;

/// The page's routes: `/`, `/graph` (the network view), `/doc/{id}`, `/watches`,
/// `/assets/page.css`, `/assets/page.js`, for the
/// server's router to merge.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(results_handler))
        .route("/graph", get(network_handler))
        .route("/doc/{id}", get(document_handler))
        .route("/watches", get(watches_handler))
        .route(assets::CSS_PATH, get(assets::css))
        .route(assets::JS_PATH, get(assets::js))
}

/// Scripts, styles and forms only from this server; no framing. Stored text is escaped by
/// maud; this is defence in depth should anything ever slip through.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn html_response(status: StatusCode, markup: Markup) -> Response {
    let mut r = (status, markup.into_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Runs index work on the server's bounded blocking pool within its time limit; any failure
/// becomes a message for the error page.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, String> {
    limits::blocking(state, move || f().map_err(Into::into))
        .await
        .map_err(|e| e.message)
}

fn failure(view: &View, message: &str) -> Response {
    let main = html! { main #failure { h1 { "Something went wrong" } p.error { (message) } } };
    html_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        shell("Error", view, None, main),
    )
}

/// The outcome of a search for the results view.
enum Outcome {
    /// The result with the sources whose document IDs are not PMIDs.
    Found(Box<(crate::search::SearchResult, LocalIds)>),
    BadQuery(QueryError),
}

fn run_search(index: &PtIndex, view: &View) -> Result<Outcome, Error> {
    let request = SearchRequest {
        query: view.q.clone(),
        offset: view.offset(),
        limit: Some(view.per),
        facets: Some(FacetRequest {
            top: facets::SHOWN,
            types: Vec::new(),
            sort: view.fsort,
            scope: view.fscope,
            level: view.level,
        }),
        order: view.sort,
        highlights: true,
    };
    match search(index, &request) {
        Ok(result) => Ok(Outcome::Found(Box::new((
            result,
            LocalIds::load(&index.index),
        )))),
        Err(Error::Query {
            position, message, ..
        }) => Ok(Outcome::BadQuery(QueryError { message, position })),
        Err(e) => Err(e),
    }
}

/// The start page: what the index holds and example queries ([`landing`]).
async fn start_page(st: &AppState, view: &View) -> Response {
    let index = st.index.clone();
    match blocking(st, move || landing::holdings(&index)).await {
        Ok(h) => html_response(
            StatusCode::OK,
            shell("Search", view, None, landing::start(view, &h)),
        ),
        Err(message) => failure(view, &message),
    }
}

/// `GET /?q=…`: the start page, or a page of results with facets.
async fn results_handler(State(st): State<Arc<AppState>>, Query(p): Query<PageParams>) -> Response {
    let view = p.view();
    if view.q.is_empty() {
        return start_page(&st, &view).await;
    }
    let index = st.index.clone();
    let v = view.clone();
    match blocking(&st, move || run_search(&index, &v)).await {
        Ok(Outcome::Found(found)) => html_response(
            StatusCode::OK,
            shell(
                &view.q,
                &view,
                None,
                results::page(&view, &found.0, &found.1),
            ),
        ),
        Ok(Outcome::BadQuery(e)) => {
            let main = html! { main #results { p.muted { "Fix the query to see results." } } };
            html_response(
                StatusCode::BAD_REQUEST,
                shell(&view.q, &view, Some(&e), main),
            )
        }
        Err(message) => failure(&view, &message),
    }
}

/// `GET /graph?q=…`: the network view of the query (the start page without a query).
async fn network_handler(
    State(st): State<Arc<AppState>>,
    Query(p): Query<PageParams>,
    Query(np): Query<network::NetworkParams>,
) -> Response {
    let view = p.view();
    if view.q.is_empty() {
        return start_page(&st, &view).await;
    }
    let index = st.index.clone();
    let request = np.request(&view.q);
    match blocking(&st, move || {
        crate::search::graph::build_graph(&index, &request)
    })
    .await
    {
        Ok(graph) => html_response(
            StatusCode::OK,
            shell(&view.q, &view, None, network::page(&view, &graph)),
        ),
        Err(message) => {
            let main = html! { main #network { p.error { (message) } } };
            html_response(StatusCode::BAD_REQUEST, shell(&view.q, &view, None, main))
        }
    }
}

/// Query string of the document view: where to go back to.
#[derive(Debug, Default, serde::Deserialize)]
struct DocParams {
    #[serde(default)]
    from: Option<String>,
    /// Entity types whose colours are toggled off (as on the results page).
    #[serde(default)]
    hide: Option<String>,
}

/// Only a results URL of this server is a valid "back" target (no open redirect, no
/// `javascript:` URL from a crafted link).
fn back_target(from: Option<&str>) -> Option<&str> {
    from.filter(|f| f.starts_with("/?") && f.len() <= 8192 && !f.contains(['\\', '\n', '\r']))
}

/// `GET /doc/{id}`: one document with every annotation.
async fn document_handler(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(dp): Query<DocParams>,
) -> Response {
    let mut view = PageParams {
        hide: dp.hide.clone(),
        ..PageParams::default()
    }
    .view();
    view.doc = Some((
        format!("/doc/{}", params::encode(&id).replace('+', "%20")),
        back_target(dp.from.as_deref()).map(str::to_string),
    ));
    let index = st.index.clone();
    let key = id.clone();
    let found = blocking(&st, move || {
        let Some(doc) = find_document(&index, &key)? else {
            return Ok(None);
        };
        let similar = crate::search::similar::similar(&index, &key, SIMILAR_SHOWN)?
            .map(|r| {
                r.hits
                    .into_iter()
                    .map(|h| (h.document.id.clone(), h.document.title().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Some((doc, similar, LocalIds::load(&index.index))))
    });
    match found.await {
        Ok(Some((doc, similar, local))) => {
            let similar: Vec<document::Related> = similar;
            let pubmed = local.pubmed_url(&doc);
            let back = back_target(dp.from.as_deref());
            let main = document::page(&doc, back, &similar, pubmed.as_deref());
            html_response(StatusCode::OK, shell(&doc.id, &view, None, main))
        }
        Ok(None) => html_response(
            StatusCode::NOT_FOUND,
            shell("Not found", &view, None, document::not_found(&id)),
        ),
        Err(message) => failure(&view, &message),
    }
}

/// Related articles on the document view.
const SIMILAR_SHOWN: usize = 5;

/// `GET /watches`: every watch with the news its next `ptsearch news` reports.
async fn watches_handler(State(st): State<Arc<AppState>>) -> Response {
    let view = PageParams::default().view();
    let index = st.index.clone();
    let request = crate::watch::NewsRequest {
        peek: true,
        limit: Some(watches::SHOWN),
        ..Default::default()
    };
    match blocking(&st, move || crate::watch::news(&index, &request)).await {
        Ok(news) => html_response(
            StatusCode::OK,
            shell("Watches", &view, None, watches::page(&news)),
        ),
        Err(message) => failure(&view, &message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_target_accepts_only_local_results_urls() {
        assert_eq!(back_target(Some("/?q=a")), Some("/?q=a"));
        assert_eq!(back_target(Some("//evil.example/")), None);
        assert_eq!(back_target(Some("javascript:alert(1)")), None);
        assert_eq!(back_target(Some("https://x/?q=")), None);
        assert_eq!(back_target(None), None);
    }
}
