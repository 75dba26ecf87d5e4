//! Every graph format of `ptsearch graph` read back by an independent reader (quick-xml for
//! XGMML and GraphML, serde_json for Cytoscape.js JSON, line splitting for TSV) carries the
//! nodes and edge counts the independent PubTator reader computes.

use super::*;
use quick_xml::events::{BytesStart, Event};

fn graph_text(index: &Path, args: &[&str]) -> String {
    let mut c = ptsearch(index);
    c.arg("graph").args(args);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "graph {args:?}: {err}");
    out
}

fn attrs(e: &BytesStart) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().unwrap().into_owned(),
            )
        })
        .collect()
}

/// Nodes (key → documents) and edges ((key, key) sorted → documents) of an XGMML file.
fn read_xgmml(text: &str) -> (BTreeMap<String, u64>, BTreeMap<(String, String), u64>) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut node_atts: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut edge_atts: Vec<(BTreeMap<String, String>, BTreeMap<String, String>)> = Vec::new();
    let mut current: Option<&str> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"node" => {
                node_atts.push((attrs(&e)["id"].clone(), BTreeMap::new()));
                current = Some("node");
            }
            Event::Start(e) if e.name().as_ref() == b"edge" => {
                edge_atts.push((attrs(&e), BTreeMap::new()));
                current = Some("edge");
            }
            Event::End(e) if matches!(e.name().as_ref(), b"node" | b"edge") => current = None,
            Event::Empty(e) if e.name().as_ref() == b"att" => {
                let a = attrs(&e);
                let (name, value) = (a["name"].clone(), a["value"].clone());
                match current {
                    Some("node") => node_atts.last_mut().unwrap().1.insert(name, value),
                    Some("edge") => edge_atts.last_mut().unwrap().1.insert(name, value),
                    _ => None,
                };
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let key_of: BTreeMap<String, String> = node_atts
        .iter()
        .map(|(id, a)| (id.clone(), a["shared name"].clone()))
        .collect();
    let nodes = node_atts
        .iter()
        .map(|(_, a)| (a["shared name"].clone(), a["documents"].parse().unwrap()))
        .collect();
    let edges = edge_atts
        .iter()
        .map(|(e, a)| {
            let (s, t) = (key_of[&e["source"]].clone(), key_of[&e["target"]].clone());
            let p = if s < t { (s, t) } else { (t, s) };
            (p, a["documents"].parse().unwrap())
        })
        .collect();
    (nodes, edges)
}

/// Nodes and edges of a GraphML file, read the same way.
fn read_graphml(text: &str) -> (BTreeMap<String, u64>, BTreeMap<(String, String), u64>) {
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut nodes, mut edges) = (BTreeMap::new(), BTreeMap::new());
    let mut current: Option<(bool, String, String)> = None;
    let mut data_key = String::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"node" => {
                current = Some((true, attrs(&e)["id"].clone(), String::new()));
            }
            Event::Start(e) if e.name().as_ref() == b"edge" => {
                let a = attrs(&e);
                current = Some((false, a["source"].clone(), a["target"].clone()));
            }
            Event::Start(e) if e.name().as_ref() == b"data" => data_key = attrs(&e)["key"].clone(),
            Event::Text(t) => {
                let v = t.unescape().unwrap().into_owned();
                match (&current, data_key.as_str()) {
                    (Some((true, id, _)), "node_documents") => {
                        nodes.insert(id.clone(), v.parse::<u64>().unwrap());
                    }
                    (Some((false, s, t)), "edge_documents") => {
                        let p = if s < t {
                            (s.clone(), t.clone())
                        } else {
                            (t.clone(), s.clone())
                        };
                        edges.insert(p, v.parse::<u64>().unwrap());
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref() == b"data" => data_key.clear(),
            Event::Eof => break,
            _ => {}
        }
    }
    (nodes, edges)
}

#[test]
fn every_graph_format_reads_back_to_the_independent_counts() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("graph.pubtator")]);
    let docs = read(&data("graph.pubtator"));
    let matching: BTreeSet<String> = search_ids(dir.path(), "*").into_iter().collect();
    for relation in [false, true] {
        let want = expected(&docs, &matching, relation);
        let want_edges: BTreeMap<(String, String), u64> = want
            .edges
            .iter()
            .map(|(p, d)| (p.clone(), d.len() as u64))
            .collect();
        let edges = if relation { "relation" } else { "comention" };
        let args = |f: &'static str| ["*", "--edges", edges, "--format", f];

        let (nodes, got) = read_xgmml(&graph_text(dir.path(), &args("xgmml")));
        assert_eq!(nodes, want.nodes, "xgmml nodes");
        assert_eq!(got, want_edges, "xgmml edges");

        let (nodes, got) = read_graphml(&graph_text(dir.path(), &args("graphml")));
        assert_eq!(nodes, want.nodes, "graphml nodes");
        assert_eq!(got, want_edges, "graphml edges");

        let cy: Value = serde_json::from_str(&graph_text(dir.path(), &args("cyjs"))).unwrap();
        let nodes: BTreeMap<String, u64> = cy["elements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let d = &n["data"];
                (
                    d["id"].as_str().unwrap().to_string(),
                    d["documents"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(nodes, want.nodes, "cyjs nodes");
        let got: BTreeMap<(String, String), u64> = cy["elements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let d = &e["data"];
                let (s, t) = (d["source"].as_str().unwrap(), d["target"].as_str().unwrap());
                let p = if s < t { (s, t) } else { (t, s) };
                (
                    (p.0.to_string(), p.1.to_string()),
                    d["documents"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want_edges, "cyjs edges");

        let tsv = graph_text(dir.path(), &args("tsv"));
        let got: BTreeMap<(String, String), u64> = tsv
            .lines()
            .skip(1)
            .map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                let (s, t) = (format!("{}:{}", c[1], c[0]), format!("{}:{}", c[4], c[3]));
                let p = if s < t { (s, t) } else { (t, s) };
                (p, c[6].parse().unwrap())
            })
            .collect();
        assert_eq!(got, want_edges, "tsv edges");
    }
}
