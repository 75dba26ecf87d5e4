//! The graph writers read back: XGMML and GraphML with an XML parser (quick-xml), Cytoscape.js
//! JSON with serde_json, TSV by splitting; names with markup survive escaping.

use super::*;
use crate::search::graph::{EdgeKind, Graph, GraphEdge, GraphNode, Weight};
use quick_xml::events::Event;
use std::collections::BTreeMap;

fn sample() -> Graph {
    let node = |t: &str, id: &str, name: Option<&str>, documents| GraphNode {
        entity_type: t.into(),
        entity_id: id.into(),
        name: name.map(str::to_string),
        documents,
    };
    Graph {
        query: "a & <b>".into(),
        total_hits: 4,
        edge_kind: EdgeKind::Relation,
        weight: Weight::Docs,
        nodes: vec![
            node("Gene", "673", Some("BRAF"), 3),
            node("Disease", "MESH:D008545", Some("mel\"an<oma>"), 2),
            node("Chemical", "D1", None, 1),
        ],
        edges: vec![GraphEdge {
            source: 0,
            target: 1,
            documents: 2,
            weight: 2.0,
            npmi: 0.5,
            relation_types: vec![("Association".into(), 2), ("Bind".into(), 1)],
            evidence: vec!["10".into(), "12".into()],
        }],
        cuts: Vec::new(),
        warnings: Vec::new(),
        elapsed_ms: 0.0,
    }
}

fn write(format: GraphFormat) -> String {
    let mut out = Vec::new();
    write_graph(&mut out, &sample(), format).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every element named `tag` with its attributes, and the `att` children of each.
type Elements = Vec<(BTreeMap<String, String>, BTreeMap<String, String>)>;

fn xgmml_elements(text: &str, tag: &[u8]) -> Elements {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out: Elements = Vec::new();
    let mut inside = false;
    let attrs = |e: &quick_xml::events::BytesStart| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == tag => {
                inside = true;
                out.push((attrs(&e), BTreeMap::new()));
            }
            Event::End(e) if e.name().as_ref() == tag => inside = false,
            Event::Empty(e) if inside && e.name().as_ref() == b"att" => {
                let a = attrs(&e);
                if let Some(last) = out.last_mut() {
                    last.1.insert(a["name"].clone(), a["value"].clone());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn xgmml_reads_back_with_an_xml_parser() {
    let text = write(GraphFormat::Xgmml);
    let nodes = xgmml_elements(&text, b"node");
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes[1].0["label"], "mel\"an<oma>");
    assert_eq!(nodes[1].1["entity_id"], "MESH:D008545");
    assert_eq!(nodes[1].1["documents"], "2");
    assert_eq!(
        nodes[2].1["name"], "D1",
        "a node without a name shows its ID"
    );
    let edges = xgmml_elements(&text, b"edge");
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0].0["source"], "0");
    assert_eq!(edges[0].0["target"], "1");
    assert_eq!(edges[0].1["documents"], "2");
    assert_eq!(edges[0].1["relation_types"], "Association:2;Bind:1");
    assert_eq!(edges[0].1["evidence"], "10;12");
    assert_eq!(edges[0].1["interaction"], "relation");
}

#[test]
fn graphml_is_well_formed_and_keys_every_node() {
    let text = write(GraphFormat::Graphml);
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut nodes, mut edges) = (Vec::new(), 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"node" => {
                let id = e.try_get_attribute("id").unwrap().unwrap();
                nodes.push(id.unescape_value().unwrap().into_owned());
            }
            Event::Start(e) if e.name().as_ref() == b"edge" => edges += 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(nodes, ["Gene:673", "Disease:MESH:D008545", "Chemical:D1"]);
    assert_eq!(edges, 1);
}

#[test]
fn cyjs_and_jsonl_and_tsv_carry_the_same_counts() {
    let cy: serde_json::Value = serde_json::from_str(&write(GraphFormat::Cyjs)).unwrap();
    let nodes = cy["elements"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes[0]["data"]["value"], "Gene:673");
    let edge = &cy["elements"]["edges"][0]["data"];
    assert_eq!(edge["source"], "Gene:673");
    assert_eq!(edge["documents"], 2);
    assert_eq!(cy["directed"], false);

    let lines: Vec<serde_json::Value> = write(GraphFormat::Jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[3]["type"], "edge");
    assert_eq!(lines[3]["data"]["target"], "Disease:MESH:D008545");
    assert_eq!(lines[4]["data"]["edge_count"], 1);

    let tsv = write(GraphFormat::Tsv);
    let rows: Vec<&str> = tsv.lines().collect();
    assert_eq!(rows[0], TSV_HEADER);
    assert_eq!(rows.len(), 2);
    // The quote in the name is quoted the CSV way.
    assert!(rows[1].contains("\"mel\"\"an<oma>\""), "{}", rows[1]);
}

#[test]
fn format_names_are_one_vocabulary() {
    assert_eq!(
        "GraphML".parse::<GraphFormat>().unwrap(),
        GraphFormat::Graphml
    );
    assert_eq!(
        "dot".parse::<GraphFormat>().unwrap_err().to_string(),
        "unknown graph format 'dot'; valid: graphml, cyjs, xgmml, tsv, jsonl"
    );
}
