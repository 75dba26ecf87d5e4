//! Writing a [`Graph`] (the read side's network of a result set, see
//! [`crate::search::graph`]) in the formats network tools read: GraphML (Cytoscape, Gephi,
//! networkx, igraph), Cytoscape.js JSON (`cyjs`: Cytoscape desktop and web, networkx's
//! `cytoscape_graph`), XGMML (Cytoscape's and NetMedEx's), a TSV edge list and JSON Lines.
//! Each writer streams node by node and edge by edge into any `io::Write`.

use super::tsv::field;
use crate::error::Error;
use crate::names::{name_of, parse_named, Named};
use crate::search::graph::{EdgeKind, Graph, GraphEdge, GraphNode};
use serde::Serialize;
use std::io::{self, Write};

/// A network file format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GraphFormat {
    /// GraphML (XML): Cytoscape, Gephi, networkx `read_graphml`, igraph.
    #[default]
    Graphml,
    /// Cytoscape.js JSON: Cytoscape's `.cyjs`, networkx `cytoscape_graph`.
    Cyjs,
    /// XGMML (XML): Cytoscape's native exchange format, as NetMedEx writes it.
    Xgmml,
    /// Tab-separated edge list with a header (isolated nodes are not listed).
    Tsv,
    /// JSON Lines: node lines, edge lines, then a summary line.
    Jsonl,
}

impl Named for GraphFormat {
    const WHAT: &'static str = "graph format";
    const NAMES: &'static [(GraphFormat, &'static [&'static str])] = &[
        (GraphFormat::Graphml, &["graphml"]),
        (GraphFormat::Cyjs, &["cyjs", "cytoscape", "json"]),
        (GraphFormat::Xgmml, &["xgmml"]),
        (GraphFormat::Tsv, &["tsv"]),
        (GraphFormat::Jsonl, &["jsonl", "ndjson"]),
    ];
}

impl std::str::FromStr for GraphFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_named(s)
    }
}

impl std::fmt::Display for GraphFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(name_of(*self))
    }
}

impl GraphFormat {
    /// The MIME type of the format.
    pub fn mime_type(self) -> &'static str {
        match self {
            GraphFormat::Graphml | GraphFormat::Xgmml => "application/xml; charset=utf-8",
            GraphFormat::Cyjs => "application/json; charset=utf-8",
            GraphFormat::Tsv => "text/tab-separated-values; charset=utf-8",
            GraphFormat::Jsonl => "application/x-ndjson; charset=utf-8",
        }
    }

    /// One line for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            GraphFormat::Graphml => "GraphML: Cytoscape, Gephi, networkx, igraph",
            GraphFormat::Cyjs => "Cytoscape.js JSON (.cyjs): Cytoscape, networkx cytoscape_graph",
            GraphFormat::Xgmml => "XGMML: Cytoscape's XML, as NetMedEx writes it",
            GraphFormat::Tsv => "edge list, tab-separated with a header",
            GraphFormat::Jsonl => "JSON Lines: nodes, edges, then a summary",
        }
    }
}

/// Writes `graph` in `format`.
pub fn write_graph<W: Write>(out: &mut W, graph: &Graph, format: GraphFormat) -> io::Result<()> {
    match format {
        GraphFormat::Graphml => graphml(out, graph),
        GraphFormat::Cyjs => cyjs(out, graph),
        GraphFormat::Xgmml => xgmml(out, graph),
        GraphFormat::Tsv => tsv(out, graph),
        GraphFormat::Jsonl => jsonl(out, graph),
    }
}

/// Text made safe for XML 1.0 content and attribute values: markup characters escaped, the
/// control characters XML cannot hold dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The relation types of an edge as one string: `Association:3;Bind:1`.
fn relation_types(e: &GraphEdge) -> String {
    let mut out = String::new();
    push_relation_types(&mut out, e);
    out
}

/// Appends [`relation_types`] of `e` to `out` (the TSV writer reuses one buffer).
fn push_relation_types(out: &mut String, e: &GraphEdge) {
    for (i, (t, n)) in e.relation_types.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        let _ = std::fmt::Write::write_fmt(out, format_args!("{t}:{n}"));
    }
}

/// The interaction name of the edges (Cytoscape's edge `interaction`).
fn interaction(graph: &Graph) -> &'static str {
    match graph.edge_kind {
        EdgeKind::Relation => "relation",
        EdgeKind::Sentence => "sentence",
        EdgeKind::Comention => "co-mention",
    }
}

fn graphml<W: Write>(out: &mut W, graph: &Graph) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, target, name, ty) in [
        ("type", "node", "type", "string"),
        ("entity_id", "node", "entity_id", "string"),
        ("name", "node", "name", "string"),
        ("node_documents", "node", "documents", "long"),
        ("edge_documents", "edge", "documents", "long"),
        ("weight", "edge", "weight", "double"),
        ("npmi", "edge", "npmi", "double"),
        ("relation_types", "edge", "relation_types", "string"),
        ("evidence", "edge", "evidence", "string"),
        ("query", "graph", "query", "string"),
        ("total_hits", "graph", "total_hits", "long"),
        ("cuts", "graph", "cuts", "string"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="G" edgedefault="undirected">"#)?;
    writeln!(out, r#"    <data key="query">{}</data>"#, xml(&graph.query))?;
    writeln!(
        out,
        r#"    <data key="total_hits">{}</data>"#,
        graph.total_hits
    )?;
    for n in &graph.nodes {
        writeln!(out, r#"    <node id="{}">"#, xml(&n.key()))?;
        writeln!(
            out,
            r#"      <data key="type">{}</data>"#,
            xml(&n.entity_type)
        )?;
        writeln!(
            out,
            r#"      <data key="entity_id">{}</data>"#,
            xml(&n.entity_id)
        )?;
        writeln!(out, r#"      <data key="name">{}</data>"#, xml(n.label()))?;
        writeln!(
            out,
            r#"      <data key="node_documents">{}</data>"#,
            n.documents
        )?;
        writeln!(out, "    </node>")?;
    }
    for (i, e) in graph.edges.iter().enumerate() {
        let (s, t) = (&graph.nodes[e.source], &graph.nodes[e.target]);
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}">"#,
            xml(&s.key()),
            xml(&t.key())
        )?;
        writeln!(
            out,
            r#"      <data key="edge_documents">{}</data>"#,
            e.documents
        )?;
        writeln!(out, r#"      <data key="weight">{}</data>"#, e.weight)?;
        writeln!(out, r#"      <data key="npmi">{}</data>"#, e.npmi)?;
        if !e.relation_types.is_empty() {
            writeln!(
                out,
                r#"      <data key="relation_types">{}</data>"#,
                xml(&relation_types(e))
            )?;
        }
        writeln!(
            out,
            r#"      <data key="evidence">{}</data>"#,
            xml(&e.evidence.join(";"))
        )?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>\n</graphml>")
}

/// A node as Cytoscape.js data (`value` is what networkx's `cytoscape_graph` names it by).
#[derive(Serialize)]
struct CyNode<'a> {
    id: String,
    value: String,
    name: &'a str,
    #[serde(rename = "type")]
    entity_type: &'a str,
    entity_id: &'a str,
    documents: u64,
}

/// An edge as Cytoscape.js data.
#[derive(Serialize)]
struct CyEdge<'a> {
    id: String,
    source: String,
    target: String,
    interaction: &'static str,
    documents: u64,
    weight: f64,
    npmi: f64,
    #[serde(skip_serializing_if = "String::is_empty")]
    relation_types: String,
    evidence: &'a [std::sync::Arc<str>],
}

fn cy_node(n: &GraphNode) -> CyNode<'_> {
    CyNode {
        id: n.key(),
        value: n.key(),
        name: n.label(),
        entity_type: &n.entity_type,
        entity_id: &n.entity_id,
        documents: n.documents,
    }
}

fn cyjs<W: Write>(out: &mut W, graph: &Graph) -> io::Result<()> {
    let head = serde_json::json!({
        "query": graph.query,
        "total_hits": graph.total_hits,
        "edges": graph.edge_kind,
        "weight": graph.weight,
        "cuts": graph.cuts,
    });
    write!(
        out,
        "{{\"format_version\":\"1.0\",\"generated_by\":\"ptsearch\",\"directed\":false,\"multigraph\":false,\"data\":{head},\"elements\":{{\"nodes\":["
    )?;
    for (i, n) in graph.nodes.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"\n{\"data\":")?;
        serde_json::to_writer(&mut *out, &cy_node(n))?;
        out.write_all(b"}")?;
    }
    out.write_all(b"],\"edges\":[")?;
    for (i, e) in graph.edges.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"\n{\"data\":")?;
        let edge = CyEdge {
            id: format!("e{i}"),
            source: graph.nodes[e.source].key(),
            target: graph.nodes[e.target].key(),
            interaction: interaction(graph),
            documents: e.documents,
            weight: e.weight,
            npmi: e.npmi,
            relation_types: relation_types(e),
            evidence: &e.evidence,
        };
        serde_json::to_writer(&mut *out, &edge)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]}}\n")
}

fn xgmml<W: Write>(out: &mut W, graph: &Graph) -> io::Result<()> {
    writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
    )?;
    writeln!(
        out,
        r#"<graph id="1" label="{}" directed="0" xmlns="http://www.cs.rpi.edu/XGMML" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cy="http://www.cytoscape.org">"#,
        xml(&format!("ptsearch: {}", graph.query))
    )?;
    writeln!(
        out,
        r#"  <att name="total_hits" type="integer" value="{}"/>"#,
        graph.total_hits
    )?;
    let att = |name: &str, ty: &str, value: &str| {
        format!(
            r#"    <att name="{name}" type="{ty}" value="{}"/>"#,
            xml(value)
        )
    };
    for (i, n) in graph.nodes.iter().enumerate() {
        writeln!(out, r#"  <node id="{i}" label="{}">"#, xml(n.label()))?;
        writeln!(out, "{}", att("shared name", "string", &n.key()))?;
        writeln!(out, "{}", att("name", "string", n.label()))?;
        writeln!(out, "{}", att("type", "string", &n.entity_type))?;
        writeln!(out, "{}", att("entity_id", "string", &n.entity_id))?;
        writeln!(
            out,
            "{}",
            att("documents", "integer", &n.documents.to_string())
        )?;
        writeln!(out, "  </node>")?;
    }
    for (i, e) in graph.edges.iter().enumerate() {
        let (s, t) = (&graph.nodes[e.source], &graph.nodes[e.target]);
        let label = format!("{} ({}) {}", s.key(), interaction(graph), t.key());
        writeln!(
            out,
            r#"  <edge id="e{i}" label="{}" source="{}" target="{}">"#,
            xml(&label),
            e.source,
            e.target
        )?;
        writeln!(out, "{}", att("interaction", "string", interaction(graph)))?;
        writeln!(
            out,
            "{}",
            att("documents", "integer", &e.documents.to_string())
        )?;
        writeln!(out, "{}", att("weight", "real", &e.weight.to_string()))?;
        writeln!(out, "{}", att("npmi", "real", &e.npmi.to_string()))?;
        if !e.relation_types.is_empty() {
            writeln!(
                out,
                "{}",
                att("relation_types", "string", &relation_types(e))
            )?;
        }
        writeln!(out, "{}", att("evidence", "string", &e.evidence.join(";")))?;
        writeln!(out, "  </edge>")?;
    }
    writeln!(out, "</graph>")
}

/// The header of the TSV edge list.
pub const TSV_HEADER: &str = "source\tsource_type\tsource_name\ttarget\ttarget_type\ttarget_name\tdocuments\tweight\tnpmi\trelation_types\tevidence";

fn tsv<W: Write>(out: &mut W, graph: &Graph) -> io::Result<()> {
    writeln!(out, "{TSV_HEADER}")?;
    // A node's three cells are the same on every edge: escaped once.
    let cells: Vec<String> = graph
        .nodes
        .iter()
        .map(|n| {
            format!(
                "{}\t{}\t{}",
                field(&n.entity_id),
                field(&n.entity_type),
                field(n.label())
            )
        })
        .collect();
    // The two list cells are joined into buffers kept across edges.
    let (mut types, mut evidence) = (String::new(), String::new());
    for e in &graph.edges {
        types.clear();
        push_relation_types(&mut types, e);
        evidence.clear();
        for (i, id) in e.evidence.iter().enumerate() {
            if i > 0 {
                evidence.push(';');
            }
            evidence.push_str(id);
        }
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            cells[e.source],
            cells[e.target],
            e.documents,
            e.weight,
            e.npmi,
            field(&types),
            field(&evidence)
        )?;
    }
    Ok(())
}

/// One line of the JSON Lines output: `{"type": "node"|"edge"|"summary", "data": ...}`.
#[derive(Serialize)]
struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: T,
}

fn jsonl<W: Write>(out: &mut W, graph: &Graph) -> io::Result<()> {
    for n in &graph.nodes {
        let data = serde_json::json!({
            "key": n.key(), "type": n.entity_type, "entity_id": n.entity_id,
            "name": n.name, "documents": n.documents,
        });
        serde_json::to_writer(&mut *out, &Line { kind: "node", data })?;
        out.write_all(b"\n")?;
    }
    for e in &graph.edges {
        let data = serde_json::json!({
            "source": graph.nodes[e.source].key(), "target": graph.nodes[e.target].key(),
            "documents": e.documents, "weight": e.weight, "npmi": e.npmi,
            "relation_types": e.relation_types, "evidence": e.evidence,
        });
        serde_json::to_writer(&mut *out, &Line { kind: "edge", data })?;
        out.write_all(b"\n")?;
    }
    let data = serde_json::json!({
        "query": graph.query, "total_hits": graph.total_hits, "edges": graph.edge_kind,
        "weight": graph.weight, "node_count": graph.nodes.len(), "edge_count": graph.edges.len(),
        "cuts": graph.cuts, "warnings": graph.warnings, "elapsed_ms": graph.elapsed_ms,
    });
    serde_json::to_writer(
        &mut *out,
        &Line {
            kind: "summary",
            data,
        },
    )?;
    out.write_all(b"\n")
}

#[cfg(test)]
#[path = "graph_tests.rs"]
mod tests;
