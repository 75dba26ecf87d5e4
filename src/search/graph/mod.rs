//! Networks of a result set, on the read side beside [`crate::search::search`]: nodes are the
//! entities of every hit (exact document counts from the `facet` column), edges join entities
//! that occur together in a document (co-mention) or that a relation line of a hit relates,
//! weighted by documents or by NPMI over the result set. [`build_graph`] answers a
//! [`GraphRequest`] with a [`Graph`]; `output::graph` writes it as GraphML, Cytoscape.js
//! JSON, XGMML, TSV or JSON Lines for the CLI, the HTTP server, the page and Python.

mod count;
mod relations;
mod sentence;

pub use count::EVIDENCE;

use crate::error::{Error, Result};
use crate::index::PtIndex;
use crate::names::{name_of, parse_named, Named};
use crate::search::facets::{index_types, resolve_among, type_order};
use crate::search::query::compile::compile_with;
use count::{count_nodes, count_pairs, hit_documents, pair_nodes, IdKeys, NodeCounts, PairMap};
use rayon::prelude::*;
use sentence::count_sentence_pairs;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// What joins two entities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// Both are annotated in the same document.
    #[default]
    Comention,
    /// Both are annotated in the same sentence (read from the stored sentence starts).
    Sentence,
    /// A relation line of the document relates them.
    Relation,
}

/// The weight of an edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weight {
    /// Documents with both entities (or stating the relation).
    #[default]
    Docs,
    /// Normalized pointwise mutual information over the result set (see [`npmi`]).
    Npmi,
}

impl Named for EdgeKind {
    const WHAT: &'static str = "edge kind";
    const NAMES: &'static [(EdgeKind, &'static [&'static str])] = &[
        (
            EdgeKind::Comention,
            &["comention", "document", "co-mention"],
        ),
        (EdgeKind::Sentence, &["sentence"]),
        (EdgeKind::Relation, &["relation", "relations"]),
    ];
}

impl Named for Weight {
    const WHAT: &'static str = "edge weight";
    const NAMES: &'static [(Weight, &'static [&'static str])] = &[
        (Weight::Docs, &["docs", "documents", "count"]),
        (Weight::Npmi, &["npmi"]),
    ];
}

macro_rules! named_str {
    ($t:ty) => {
        impl std::str::FromStr for $t {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                parse_named(s)
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(name_of(*self))
            }
        }
    };
}
named_str!(EdgeKind);
named_str!(Weight);

/// What network to build.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// The query (any query of the language; `*` for the whole index).
    pub query: String,
    /// Entity types of the nodes (canonical or kept names); every type when empty.
    pub node_types: Vec<String>,
    /// What joins two nodes.
    pub edges: EdgeKind,
    /// The edge weight.
    pub weight: Weight,
    /// Nodes and edges in fewer documents are left out.
    pub min_docs: u64,
    /// Keep the most frequent nodes only (ties by type, then ID).
    pub max_nodes: Option<usize>,
    /// Keep the heaviest edges only (ties by documents, then nodes).
    pub max_edges: Option<usize>,
}

impl GraphRequest {
    /// The co-mention network of every hit of `query`, weighted by documents, uncut.
    pub fn new(query: impl Into<String>) -> GraphRequest {
        GraphRequest {
            query: query.into(),
            node_types: Vec::new(),
            edges: EdgeKind::Comention,
            weight: Weight::Docs,
            min_docs: 1,
            max_nodes: None,
            max_edges: None,
        }
    }
}

/// One entity of the network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphNode {
    /// Canonical type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The ID as the index keeps it.
    pub entity_id: String,
    /// The display name (most used specific mention form), when the index has a mention.
    pub name: Option<String>,
    /// Hits annotated with it.
    pub documents: u64,
}

impl GraphNode {
    /// The node's key in every format: `Type:ID`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.entity_type, self.entity_id)
    }

    /// The name shown: the display name, else the ID.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.entity_id)
    }
}

/// One edge, between two nodes given by their positions in [`Graph::nodes`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    /// The first node (the one earlier in [`Graph::nodes`]).
    pub source: usize,
    /// The other node.
    pub target: usize,
    /// Hits with both entities (co-mention) or stating a relation between them.
    pub documents: u64,
    /// The weight asked for: `documents`, or `npmi`.
    pub weight: f64,
    /// NPMI of the pair over the result set.
    pub npmi: f64,
    /// For relation edges, the relation types with their documents, most first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relation_types: Vec<(String, u64)>,
    /// The first hits (in document-ID order) holding the pair, at most [`EVIDENCE`]; an ID
    /// shared by many edges is one allocation.
    pub evidence: Vec<Arc<str>>,
}

/// A network of a result set.
#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    /// The query.
    pub query: String,
    /// Documents matching it (the N of the probabilities).
    pub total_hits: u64,
    /// What joins the nodes.
    pub edge_kind: EdgeKind,
    /// The weight of the edges.
    pub weight: Weight,
    /// Nodes, most documents first (ties by type order, then ID).
    pub nodes: Vec<GraphNode>,
    /// Edges, heaviest first (ties by documents, then by nodes).
    pub edges: Vec<GraphEdge>,
    /// What a cap (`max_nodes`, `max_edges`, `min_docs`) left out, one sentence each.
    pub cuts: Vec<String>,
    /// Notes on the query (resolutions, warnings).
    pub warnings: Vec<String>,
    /// Time taken.
    pub elapsed_ms: f64,
}

/// Normalized pointwise mutual information of two entities in `both` of `n` documents, each in
/// `x` and `y` of them: `ln(p(xy) / (p(x) p(y))) / −ln p(xy)`, with `p = documents / n`. It
/// is 1 for a pair in every document, 0 for independent entities, towards −1 for entities
/// that avoid each other; −1 when the pair never occurs.
pub fn npmi(both: u64, x: u64, y: u64, n: u64) -> f64 {
    if both == 0 || n == 0 || x == 0 || y == 0 {
        return -1.0;
    }
    let n = n as f64;
    let pxy = both as f64 / n;
    if pxy >= 1.0 {
        return 1.0;
    }
    let pmi = (pxy / ((x as f64 / n) * (y as f64 / n))).ln();
    pmi / -pxy.ln()
}

/// A node while counting: (index into the types, ID, documents).
type Counted = (usize, String, u64);

/// An edge while counting: (pair key, documents, NPMI).
type Weighed = (u64, u64, f64);

/// Per relation pair: its relation types with documents, and all its documents.
type RelationTypes = HashMap<u64, (Vec<(String, u64)>, Vec<tantivy::DocAddress>)>;

/// Builds the network of every hit of `request.query`.
pub fn build_graph(index: &PtIndex, request: &GraphRequest) -> Result<Graph> {
    let started = Instant::now();
    let searcher = index.searcher()?;
    let compiled = compile_with(&request.query, &searcher, &index.fields, &index.vocab())?;
    let mut types = index_types(&searcher, &index.fields)?;
    if !request.node_types.is_empty() {
        let wanted = request
            .node_types
            .iter()
            .map(|t| resolve_among(&types, t))
            .collect::<Result<Vec<_>>>()?;
        types.retain(|t| wanted.contains(t));
    }
    let hits = hit_documents(&searcher, &*compiled.query)?;
    let total_hits: u64 = hits.iter().map(|s| s.docs.len() as u64).sum();
    let mut cuts = Vec::new();
    let counted = count_nodes(&searcher, &hits, &types)?;
    let (nodes, node_of) = select_nodes(&counted, &types, request, &mut cuts);
    let order = count::ordered_hits(&searcher, &hits);
    let mut pairs = PairMap::default();
    let (edges, relation_types) = match request.edges {
        EdgeKind::Relation => {
            let (edges, by_pair) = relation_edges(&searcher, index, &hits, &types, &nodes)?;
            (edges, Some(by_pair))
        }
        EdgeKind::Sentence => {
            let f = &index.fields;
            count_sentence_pairs(&searcher, f, &order, &counted, &node_of, &types, &mut pairs)?;
            (pair_edges(&pairs), None)
        }
        EdgeKind::Comention => {
            count_pairs(&searcher, &hits, &order, &counted, &node_of, &mut pairs)?;
            (pair_edges(&pairs), None)
        }
    };
    let edges = rank_edges(edges, &nodes, total_hits, request, &mut cuts);

    let out_edges = out_edges(
        &searcher,
        &edges,
        &pairs,
        &order,
        relation_types.as_ref(),
        request,
    )?;
    // Display names are dictionary lookups: batches spread over the cores.
    let keys: Vec<(&str, &str)> = nodes
        .iter()
        .map(|(t, id, _)| (types[*t].as_str(), id.as_str()))
        .collect();
    let names = keys
        .par_chunks(256)
        .map(|chunk| crate::search::dictionary::display_names(&searcher, &index.fields, chunk))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let out_nodes = nodes
        .into_iter()
        .zip(names.into_iter().flatten())
        .map(|((t, id, documents), name)| GraphNode {
            entity_type: types[t].clone(),
            entity_id: id,
            name,
            documents,
        })
        .collect::<Vec<_>>();
    let mut warnings = compiled.warnings.clone();
    for r in &compiled.resolutions {
        if r.resolved.is_empty() {
            warnings.push(format!("'{}' resolved to no annotated entity", r.input));
        }
    }
    Ok(Graph {
        query: request.query.clone(),
        total_hits,
        edge_kind: request.edges,
        weight: request.weight,
        nodes: out_nodes,
        edges: out_edges,
        cuts,
        warnings,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// The output edges of the kept `edges`, with their evidence: the first hits of each edge in
/// document-ID order (comention and sentence edges: positions in `order` kept in `pairs`;
/// relation edges: the documents of `relation_types`), each document ID read once.
fn out_edges(
    searcher: &tantivy::Searcher,
    edges: &[Weighed],
    pairs: &PairMap,
    order: &[tantivy::DocAddress],
    relation_types: Option<&RelationTypes>,
    request: &GraphRequest,
) -> Result<Vec<GraphEdge>> {
    // Evidence: the first hits of each kept edge in document-ID order, each ID read once.
    let id_of = DocIds::new(searcher)?;
    let first = |pair: &u64| pairs.get(pair).map_or(&[][..], |c| &c.evidence[..]);
    let mut by_order: Vec<Option<Arc<str>>> = vec![None; order.len()];
    let related: Option<Vec<Vec<Arc<str>>>> = match relation_types {
        Some(by_pair) => {
            let ids = IdKeys::new(searcher);
            let mut known: HashMap<tantivy::DocAddress, Arc<str>> = HashMap::new();
            let mut out = Vec::with_capacity(edges.len());
            for (pair, _, _) in edges {
                let mut e = count::Evidence::default();
                for d in by_pair.get(pair).map(|x| x.1.as_slice()).unwrap_or(&[]) {
                    e.offer(ids.key(*d), *d);
                }
                let mut row = Vec::new();
                for a in e.addresses() {
                    let id = match known.entry(a) {
                        std::collections::hash_map::Entry::Occupied(o) => o.get().clone(),
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(id_of.id(a)?.into()).clone()
                        }
                    };
                    row.push(id);
                }
                out.push(row);
            }
            Some(out)
        }
        None => {
            for (pair, _, _) in edges {
                for &i in first(pair) {
                    if let (Some(slot @ None), Some(&a)) =
                        (by_order.get_mut(i as usize), order.get(i as usize))
                    {
                        *slot = Some(id_of.id(a)?.into());
                    }
                }
            }
            None
        }
    };
    let out_edges: Vec<GraphEdge> = edges
        .par_iter()
        .enumerate()
        .map(|(k, (pair, documents, npmi))| {
            let (source, target) = pair_nodes(*pair);
            let evidence = match &related {
                Some(rows) => rows.get(k).cloned().unwrap_or_default(),
                None => first(pair)
                    .iter()
                    .filter_map(|&i| by_order.get(i as usize).cloned().flatten())
                    .collect(),
            };
            GraphEdge {
                source: source as usize,
                target: target as usize,
                documents: *documents,
                weight: weight_of(request.weight, *documents, *npmi),
                npmi: *npmi,
                relation_types: relation_types
                    .and_then(|m| m.get(pair))
                    .map(|x| x.0.clone())
                    .unwrap_or_default(),
                evidence,
            }
        })
        .collect();
    Ok(out_edges)
}

/// Every entity of the hits in at least `min_docs` of them, most documents first (ties by
/// type order, then ID), cut to `max_nodes` (the cut said in `cuts`); with, per counted
/// entity, its node's position (`u32::MAX`: not a node).
fn select_nodes(
    counted: &NodeCounts,
    types: &[String],
    request: &GraphRequest,
    cuts: &mut Vec<String>,
) -> (Vec<Counted>, Vec<u32>) {
    let mut chosen: Vec<usize> = (0..counted.entities.len())
        .filter(|&e| counted.entities[e].1 >= request.min_docs)
        .collect();
    let entity = |e: usize| &counted.entities[e];
    // (type, ID) is distinct: the order is total, so an unstable sort gives the same list.
    chosen.sort_unstable_by(|&a, &b| {
        let (((ta, ia), na), ((tb, ib), nb)) = (entity(a), entity(b));
        nb.cmp(na)
            .then_with(|| type_order(&types[*ta]).cmp(&type_order(&types[*tb])))
            .then_with(|| types[*ta].cmp(&types[*tb]))
            .then_with(|| ia.cmp(ib))
    });
    if let Some(max) = request.max_nodes {
        if chosen.len() > max {
            let least = chosen
                .get(max.saturating_sub(1))
                .map_or(0, |&e| entity(e).1);
            cuts.push(format!(
                "--max-nodes {max} kept {max} of {} entities (the least frequent kept is in {})",
                chosen.len(),
                crate::names::counted(least, "document")
            ));
            chosen.truncate(max);
        }
    }
    let mut node_of = vec![u32::MAX; counted.entities.len()];
    let nodes = chosen
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            node_of[e] = i as u32;
            let ((t, id), n) = entity(e);
            (*t, id.clone(), *n)
        })
        .collect();
    (nodes, node_of)
}

/// The counted pairs as (pair, documents).
fn pair_edges(pairs: &PairMap) -> Vec<(u64, u64)> {
    pairs
        .iter()
        .map(|(p, c)| (*p, u64::from(c.documents)))
        .collect()
}

/// Relation edges between the chosen nodes: (pair, documents) and per pair its relation
/// types and documents.
fn relation_edges(
    searcher: &tantivy::Searcher,
    index: &PtIndex,
    hits: &[count::SegmentHits],
    types: &[String],
    nodes: &[Counted],
) -> Result<(Vec<(u64, u64)>, RelationTypes)> {
    let keys: HashMap<(String, String), u32> = nodes
        .iter()
        .enumerate()
        .map(|(i, (t, id, _))| ((types[*t].clone(), id.clone()), i as u32))
        .collect();
    let by_pair = relations::relation_docs(searcher, index, hits, &keys)?;
    let mut edges = Vec::with_capacity(by_pair.len());
    let mut rel_types = HashMap::with_capacity(by_pair.len());
    for (pair, by_type) in by_pair {
        let mut all: Vec<tantivy::DocAddress> = by_type.values().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        let mut listed: Vec<(String, u64)> = by_type
            .into_iter()
            .map(|(t, d)| (t, d.len() as u64))
            .collect();
        listed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        edges.push((pair, all.len() as u64));
        rel_types.insert(pair, (listed, all));
    }
    Ok((edges, rel_types))
}

/// The weight of an edge in `documents` hits with NPMI `npmi`.
fn weight_of(weight: Weight, documents: u64, npmi: f64) -> f64 {
    match weight {
        Weight::Docs => documents as f64,
        Weight::Npmi => npmi,
    }
}

/// Edges in at least `min_docs` hits with their NPMI, heaviest first (ties by documents, then
/// by nodes), cut to `max_edges` (the cuts said in `cuts`).
fn rank_edges(
    mut edges: Vec<(u64, u64)>,
    nodes: &[Counted],
    total_hits: u64,
    request: &GraphRequest,
    cuts: &mut Vec<String>,
) -> Vec<Weighed> {
    let before = edges.len();
    edges.retain(|(_, n)| *n >= request.min_docs);
    if edges.len() < before {
        cuts.push(format!(
            "--min-docs {} left out {} of {}",
            request.min_docs,
            before - edges.len(),
            crate::names::counted(before as u64, "edge")
        ));
    }
    let mut edges: Vec<Weighed> = edges
        .into_iter()
        .map(|(p, n)| {
            let (a, b) = pair_nodes(p);
            (
                p,
                n,
                npmi(n, nodes[a as usize].2, nodes[b as usize].2, total_hits),
            )
        })
        .collect();
    let w = |e: &Weighed| weight_of(request.weight, e.1, e.2);
    // Pair keys are distinct: the order is total, so an unstable sort gives the same list.
    edges.sort_unstable_by(|a, b| {
        w(b).total_cmp(&w(a))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    if let Some(max) = request.max_edges {
        if edges.len() > max {
            cuts.push(format!(
                "--max-edges {max} kept the {max} heaviest of {}",
                crate::names::counted(edges.len() as u64, "edge")
            ));
            edges.truncate(max);
        }
    }
    edges
}

/// Document IDs from the `id` column (no stored document is read).
struct DocIds {
    columns: Vec<Option<tantivy::columnar::StrColumn>>,
}

impl DocIds {
    fn new(searcher: &tantivy::Searcher) -> Result<DocIds> {
        Ok(DocIds {
            columns: searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().str("id"))
                .collect::<tantivy::Result<Vec<_>>>()?,
        })
    }

    fn id(&self, a: tantivy::DocAddress) -> Result<String> {
        let mut out = String::new();
        let column = self
            .columns
            .get(a.segment_ord as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| Error::Corrupt("a segment without its id column".into()))?;
        if let Some(ord) = column.term_ords(a.doc_id).next() {
            column
                .ord_to_str(ord, &mut out)
                .map_err(|e| Error::io("id column", e))?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
