//! The page's network view at `/graph?q=…`: the top nodes and edges of the query's network
//! ([`crate::search::graph::build_graph`]) drawn as server-rendered SVG, so it needs no script
//! and passes the page's CSP. Nodes are coloured by type (classes from [`super::palette`]),
//! sized by documents; edge width follows the weight; each node is a link that adds its
//! `type:ID` clause to the query and redraws the network. The layout is computed here, in a
//! deterministic force layout ([`layout`]): the same query draws the same picture.
//!
//! Where it sits in the flow: the page router (`mod.rs`) routes `/graph` here; the handler runs
//! the graph on the server's blocking pool and wraps the SVG in the page's [`super::layout`]
//! shell; the results view links here ("Network") and this view links back.

use super::palette::type_class;
use super::params::{clause, encode, with_clause, View};
use crate::search::graph::{EdgeKind, Graph, GraphRequest, Weight};
use maud::{html, Markup};

/// Nodes drawn (the most frequent).
pub const NETWORK_NODES: usize = 100;
/// Edges drawn (the heaviest among the drawn nodes).
pub const NETWORK_EDGES: usize = 300;
/// Nodes named on the drawing (the others have a tooltip).
const LABELLED: usize = 30;
/// Size of the drawing (SVG user units).
const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 640.0;
/// Space kept free at the border for labels.
const MARGIN: f64 = 40.0;
/// Iterations of the force layout.
const ITERATIONS: usize = 150;

/// The view's own parameters beside the page's (`q` and the shell's come from [`View`]).
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct NetworkParams {
    /// `comention` (default) or `relation`.
    pub edges: Option<String>,
    /// `docs` (default) or `npmi`.
    pub weight: Option<String>,
}

impl NetworkParams {
    /// The request for `q`: unknown values fall back to the defaults, as the page's others do.
    pub fn request(&self, q: &str) -> GraphRequest {
        let mut r = GraphRequest::new(q);
        r.edges = match self.edges.as_deref().and_then(|e| e.parse().ok()) {
            Some(EdgeKind::Relation) => EdgeKind::Relation,
            _ => EdgeKind::Comention,
        };
        r.weight = self
            .weight
            .as_deref()
            .and_then(|w| w.parse().ok())
            .unwrap_or(Weight::Docs);
        r.max_nodes = Some(NETWORK_NODES);
        r.max_edges = Some(NETWORK_EDGES);
        r
    }
}

/// The URL of the network view of `q` with these edges and weight.
pub fn href(q: &str, edges: EdgeKind, weight: Weight) -> String {
    let mut url = format!("/graph?q={}", encode(q));
    if edges != EdgeKind::Comention {
        url.push_str(&format!("&edges={edges}"));
    }
    if weight != Weight::Docs {
        url.push_str(&format!("&weight={weight}"));
    }
    url
}

/// Positions of `n` nodes joined by `edges` (node, node, strength in 0..=1): Fruchterman and
/// Reingold's force layout started from a circle with the nodes in their given order (types
/// together), with a fixed number of cooling steps; no randomness. Returns points inside the
/// drawing's margins.
pub fn layout(n: usize, edges: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    let (w, h) = (WIDTH - 2.0 * MARGIN, HEIGHT - 2.0 * MARGIN);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n.max(1) as f64;
            (w / 2.0 + 0.45 * w * a.cos(), h / 2.0 + 0.45 * h * a.sin())
        })
        .collect();
    if n < 2 {
        return pos
            .into_iter()
            .map(|(x, y)| (x + MARGIN, y + MARGIN))
            .collect();
    }
    let k = (w * h / n as f64).sqrt() * 0.8;
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for step in 0..ITERATIONS {
        let t = (w / 10.0) * (1.0 - step as f64 / ITERATIONS as f64);
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let dist = (dx * dx + dy * dy).sqrt().max(0.01);
                let f = k * k / dist;
                let (fx, fy) = (dx / dist * f, dy / dist * f);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for &(a, b, s) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = dist * dist / k * (0.3 + 0.7 * s);
            let (fx, fy) = (dx / dist * f, dy / dist * f);
            disp[a].0 -= fx;
            disp[a].1 -= fy;
            disp[b].0 += fx;
            disp[b].1 += fy;
        }
        // A weak pull to the centre keeps unconnected nodes on the canvas.
        for (p, d) in pos.iter_mut().zip(&disp) {
            let (cx, cy) = (w / 2.0 - p.0, h / 2.0 - p.1);
            let (dx, dy) = (d.0 + cx * 0.05 * k / w, d.1 + cy * 0.05 * k / h);
            let len = (dx * dx + dy * dy).sqrt().max(0.01);
            p.0 = (p.0 + dx / len * len.min(t)).clamp(0.0, w);
            p.1 = (p.1 + dy / len * len.min(t)).clamp(0.0, h);
        }
    }
    pos.into_iter()
        .map(|(x, y)| (x + MARGIN, y + MARGIN))
        .collect()
}

/// A value's place between the smallest and largest (0 to 1; 1 when all are equal).
fn scale(v: f64, min: f64, max: f64) -> f64 {
    if max > min {
        ((v - min) / (max - min)).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// The network view's content for `graph` (drawn from `view`'s query).
pub fn page(view: &View, graph: &Graph) -> Markup {
    let q = &view.q;
    // Types together around the start circle, most documents first inside a type.
    let mut order: Vec<usize> = (0..graph.nodes.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&graph.nodes[a], &graph.nodes[b]);
        type_class(&x.entity_type)
            .cmp(type_class(&y.entity_type))
            .then(y.documents.cmp(&x.documents))
            .then(a.cmp(&b))
    });
    let mut place = vec![0usize; graph.nodes.len()];
    for (slot, &node) in order.iter().enumerate() {
        place[node] = slot;
    }
    let (wmin, wmax) = graph
        .edges
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), e| {
            (a.min(e.weight), b.max(e.weight))
        });
    let strength: Vec<(usize, usize, f64)> = graph
        .edges
        .iter()
        .map(|e| {
            (
                place[e.source],
                place[e.target],
                scale(e.weight, wmin, wmax),
            )
        })
        .collect();
    let placed = layout(graph.nodes.len(), &strength);
    let at = |node: usize| placed[place[node]];
    let max_docs = graph
        .nodes
        .iter()
        .map(|n| n.documents)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let radius = |docs: u64| 4.0 + 12.0 * (docs as f64 / max_docs).sqrt();
    let switch = |edges: EdgeKind, weight: Weight, label: &str, on: bool| {
        html! {
            @if on { strong { (label) } } @else { a href=(href(q, edges, weight)) { (label) } }
        }
    };
    let (ek, wt) = (graph.edge_kind, graph.weight);
    html! {
        main #network {
            p #summary {
                strong { (graph.total_hits) } " hits · "
                (graph.nodes.len()) " entities · " (graph.edges.len()) " links · "
                a #to-results href=(view.with_query(q.clone()).href()) { "Results" }
            }
            p.controls.muted {
                "Links: " (switch(EdgeKind::Comention, wt, "same document", ek == EdgeKind::Comention))
                " · " (switch(EdgeKind::Relation, wt, "relation", ek == EdgeKind::Relation))
                " — width: " (switch(ek, Weight::Docs, "documents", wt == Weight::Docs))
                " · " (switch(ek, Weight::Npmi, "NPMI", wt == Weight::Npmi))
            }
            @for c in &graph.cuts { p.muted.cut { (c) } }
            svg #graph xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (HEIGHT) }
                role="img" aria-label={ "Network of " (graph.nodes.len()) " entities" } {
                g.edges {
                    @for e in &graph.edges {
                        @let ((x1, y1), (x2, y2)) = (at(e.source), at(e.target));
                        line x1=(fmt(x1)) y1=(fmt(y1)) x2=(fmt(x2)) y2=(fmt(y2))
                            stroke-width=(fmt(0.75 + 5.25 * scale(e.weight, wmin, wmax)))
                            data-documents=(e.documents) {
                            title { (graph.nodes[e.source].label()) " — " (graph.nodes[e.target].label()) ": " (e.documents) " documents, NPMI " (format!("{:.2}", e.npmi)) }
                        }
                    }
                }
                g.nodes {
                    @for (i, n) in graph.nodes.iter().enumerate() {
                        @let (x, y) = at(i);
                        @let c = clause(&n.entity_type, &n.entity_id);
                        a.node href=(href(&with_clause(q, &c), ek, wt)) data-clause=(c) data-documents=(n.documents) {
                            title { (n.label()) " (" (n.entity_type) " " (n.entity_id) "): " (n.documents) " documents — click to add to the query" }
                            circle.(type_class(&n.entity_type)) cx=(fmt(x)) cy=(fmt(y)) r=(fmt(radius(n.documents))) {}
                            @if i < LABELLED {
                                text x=(fmt(x)) y=(fmt(y - radius(n.documents) - 3.0)) text-anchor="middle" { (n.label()) }
                            }
                        }
                    }
                }
            }
            div #graph-export {
                span.muted { "Download the whole network: " }
                @for (i, f) in ["graphml", "cyjs", "xgmml", "tsv"].iter().enumerate() {
                    @if i > 0 { " · " }
                    a href={ "/api/v1/graph?q=" (encode(q)) "&format=" (f) "&edges=" (ek) "&weight=" (wt) } download { (f) }
                }
            }
        }
    }
}

/// A coordinate with one decimal (short SVG).
fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_deterministic_inside_the_frame_and_pulls_linked_nodes_together() {
        let edges = [(0, 1, 1.0), (2, 3, 1.0)];
        let a = layout(6, &edges);
        assert_eq!(a, layout(6, &edges));
        for (x, y) in &a {
            assert!(
                (MARGIN..=WIDTH - MARGIN).contains(x) && (MARGIN..=HEIGHT - MARGIN).contains(y)
            );
        }
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 2), "linked nodes closer than unlinked ones");
        assert_eq!(layout(1, &[]).len(), 1);
        assert!(layout(0, &[]).is_empty());
    }

    #[test]
    fn unknown_view_parameters_fall_back_to_defaults() {
        let p = NetworkParams {
            edges: Some("sentence".into()),
            weight: Some("x".into()),
        };
        let r = p.request("melanoma");
        assert_eq!((r.edges, r.weight), (EdgeKind::Comention, Weight::Docs));
        assert_eq!(r.max_nodes, Some(NETWORK_NODES));
        assert_eq!(
            href("a b", EdgeKind::Relation, Weight::Npmi),
            "/graph?q=a+b&edges=relation&weight=npmi"
        );
    }
}
