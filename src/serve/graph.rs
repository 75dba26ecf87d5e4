//! `GET /api/v1/graph`: the network of a query's hits, the HTTP door to
//! [`crate::search::graph::build_graph`]. Query parameters become a [`GraphRequest`] once
//! ([`graph_request`], shared with the page's network view); the graph is built on the
//! blocking pool within the request time limit and its file streamed by
//! [`crate::output::graph::write_graph`] through [`super::stream`].

use super::error::ApiResult;
use super::limits::{list, named, number, Limits};
use super::native::required_query;
use super::stream::{stream, Writer};
use super::AppState;
use crate::output::graph::{write_graph, GraphFormat};
use crate::search::graph::{build_graph, EdgeKind, GraphRequest, Weight};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

/// Parameters of `graph`.
#[derive(Debug, Default, Deserialize)]
pub struct GraphParams {
    /// The query.
    pub q: Option<String>,
    /// `graphml`, `cyjs`, `xgmml`, `tsv` or `jsonl`.
    pub format: Option<String>,
    /// Node types, comma-separated.
    pub nodes: Option<String>,
    /// `comention`, `relation` (or `sentence`).
    pub edges: Option<String>,
    /// `docs` or `npmi`.
    pub weight: Option<String>,
    /// Least documents of a node or edge.
    pub min_docs: Option<String>,
    /// Most nodes.
    pub max_nodes: Option<String>,
    /// Most edges.
    pub max_edges: Option<String>,
}

/// A named parameter (`edges`, `weight`, `format`): the library's parser, `default` when absent.
/// The request the parameters ask for: `max_nodes` defaults to, and is capped at,
/// [`Limits::max_graph_nodes`]; `max_edges` at ten edges per node allowed.
pub fn graph_request(limits: &Limits, query: String, p: &GraphParams) -> ApiResult<GraphRequest> {
    let node_types = list(p.nodes.as_deref(), 32, "node types")?;
    let cap = limits.max_graph_nodes;
    Ok(GraphRequest {
        query,
        node_types,
        edges: named(p.edges.as_deref(), EdgeKind::Comention)?,
        weight: named(p.weight.as_deref(), Weight::Docs)?,
        min_docs: number("min_docs", p.min_docs.as_deref(), 1, usize::MAX)? as u64,
        max_nodes: Some(number("max_nodes", p.max_nodes.as_deref(), cap, cap)?),
        max_edges: Some(number(
            "max_edges",
            p.max_edges.as_deref(),
            cap * 10,
            cap * 10,
        )?),
    })
}

/// `GET /api/v1/graph`: the network of every hit of `q` in `format` (GraphML by default),
/// streamed.
pub async fn graph_handler(
    State(state): State<Arc<AppState>>,
    params: Result<Query<GraphParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let query = required_query(p.q.clone(), "q")?;
    let format: GraphFormat = named(p.format.as_deref(), GraphFormat::Graphml)?;
    let request = graph_request(&state.limits, query, &p)?;
    let index = state.index.clone();
    let ext = match format {
        GraphFormat::Graphml => "graphml",
        GraphFormat::Cyjs => "cyjs",
        GraphFormat::Xgmml => "xgmml",
        GraphFormat::Tsv => "tsv",
        GraphFormat::Jsonl => "jsonl",
    };
    let disposition = super::download::attachment(&format!("{} network", request.query), ext);
    stream(&state, format.mime_type(), Some(disposition), move || {
        let graph = build_graph(&index, &request)?;
        let write: Writer = Box::new(move |out| write_graph(out, &graph, format));
        Ok(write)
    })
    .await
}
