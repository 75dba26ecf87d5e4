//! `ptsearch graph` end to end against counts computed independently from the input files: a
//! tiny PubTator reader here (its own ID splitting, its own pair counting) gives the nodes,
//! co-mention and relation edges and their NPMI; the fixture `graph.pubtator` is also checked
//! against a table worked out by hand, and BC5CDR (500 abstracts, CID relations) at scale.

use crate::util::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod formats;

/// A typed entity: (type, ID).
type Entity = (String, String);

/// What the independent reader knows of one document.
#[derive(Default)]
struct Doc {
    /// (type, ID) of every normalized annotation.
    entities: BTreeSet<(String, String)>,
    /// (relation type, arg1 IDs, arg2 IDs) with each ID's type from its first mention.
    relations: Vec<(String, Vec<Entity>, Vec<Entity>)>,
}

/// IDs of an ID column as the index normalizes them: split on `, ; | +`, unnormalized values
/// dropped, bare MeSH IDs (`D008012`) prefixed with `MESH:`.
fn ids(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in raw.split([',', ';', '|', '+']).map(str::trim) {
        if matches!(p, "" | "-" | "-1") {
            continue;
        }
        let bare = p.len() >= 7
            && (p.starts_with('D') || p.starts_with('C'))
            && p[1..].bytes().all(|b| b.is_ascii_digit());
        let id = if bare {
            format!("MESH:{p}")
        } else {
            p.to_string()
        };
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Reads PubTator text: documents by ID.
fn read(path: &Path) -> BTreeMap<String, Doc> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
    let mut first_type: BTreeMap<(String, String), String> = BTreeMap::new();
    for line in text.lines() {
        if line.contains("|t|") || line.contains("|a|") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let doc = docs.entry(cols[0].to_string()).or_default();
        if cols.len() >= 6 && cols[1].parse::<usize>().is_ok() {
            for id in ids(cols[5]) {
                first_type
                    .entry((cols[0].to_string(), id.clone()))
                    .or_insert_with(|| cols[4].to_string());
                doc.entities.insert((cols[4].to_string(), id));
            }
        } else if cols.len() >= 4 {
            let typed = |raw: &str| -> Vec<(String, String)> {
                ids(raw)
                    .into_iter()
                    .filter_map(|id| {
                        let t = first_type.get(&(cols[0].to_string(), id.clone()))?;
                        Some((t.clone(), id))
                    })
                    .collect()
            };
            let (a, b) = (typed(cols[2]), typed(cols[3]));
            doc.relations.push((cols[1].to_string(), a, b));
        }
    }
    docs
}

/// A node's key as every graph format writes it.
fn key(e: &(String, String)) -> String {
    format!("{}:{}", e.0, e.1)
}

/// The independent answer: documents per node, and per unordered pair its documents (and
/// for relation edges, documents per relation type).
struct Expected {
    nodes: BTreeMap<String, u64>,
    edges: BTreeMap<(String, String), BTreeSet<String>>,
    relation_types: BTreeMap<(String, String), BTreeMap<String, BTreeSet<String>>>,
}

fn expected(docs: &BTreeMap<String, Doc>, matching: &BTreeSet<String>, relation: bool) -> Expected {
    let mut nodes: BTreeMap<String, u64> = BTreeMap::new();
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut relation_types: BTreeMap<_, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (id, doc) in docs.iter().filter(|(id, _)| matching.contains(*id)) {
        let keys: Vec<String> = doc.entities.iter().map(key).collect();
        for k in &keys {
            *nodes.entry(k.clone()).or_default() += 1;
        }
        let mut pair = |a: String, b: String| {
            let p = if a < b { (a, b) } else { (b, a) };
            edges.entry(p.clone()).or_default().insert(id.clone());
            p
        };
        if relation {
            for (rel, a, b) in &doc.relations {
                for x in a {
                    for y in b.iter().filter(|y| *y != x) {
                        let p = pair(key(x), key(y));
                        relation_types
                            .entry(p)
                            .or_default()
                            .entry(rel.clone())
                            .or_default()
                            .insert(id.clone());
                    }
                }
            }
        } else {
            for (i, a) in keys.iter().enumerate() {
                for b in &keys[i + 1..] {
                    pair(a.clone(), b.clone());
                }
            }
        }
    }
    Expected {
        nodes,
        edges,
        relation_types,
    }
}

/// `graph ARGS --format jsonl`: (nodes key → documents, edges, summary).
type Answer = (BTreeMap<String, u64>, Vec<Value>, Value);

fn graph_jsonl(index: &Path, args: &[&str]) -> (Answer, String) {
    let mut c = ptsearch(index);
    c.arg("graph").args(args).args(["--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert!(
        code == 0 || code == 1,
        "graph {args:?} failed ({code}): {err}"
    );
    let mut nodes = BTreeMap::new();
    let mut edges = Vec::new();
    let mut summary = Value::Null;
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        match v["type"].as_str() {
            Some("node") => {
                nodes.insert(
                    v["data"]["key"].as_str().unwrap().to_string(),
                    v["data"]["documents"].as_u64().unwrap(),
                );
            }
            Some("edge") => edges.push(v["data"].clone()),
            _ => summary = v["data"].clone(),
        }
    }
    ((nodes, edges, summary), err)
}

fn npmi(both: u64, x: u64, y: u64, n: u64) -> f64 {
    let p = |k: u64| k as f64 / n as f64;
    if both == n {
        return 1.0;
    }
    (p(both) / (p(x) * p(y))).ln() / -p(both).ln()
}

/// Compares an answer with the independent counts: the same nodes with the same documents,
/// the same edges with the same documents, NPMI, relation types and first evidence IDs.
fn check(label: &str, answer: &Answer, want: &Expected, hits: u64) {
    let (nodes, edges, summary) = answer;
    assert_eq!(summary["total_hits"].as_u64(), Some(hits), "{label}: hits");
    assert_eq!(nodes, &want.nodes, "{label}: nodes");
    let mut got = BTreeMap::new();
    for e in edges {
        let (s, t) = (e["source"].as_str().unwrap(), e["target"].as_str().unwrap());
        let p = if s < t { (s, t) } else { (t, s) };
        let n = e["documents"].as_u64().unwrap();
        assert!(
            got.insert((p.0.to_string(), p.1.to_string()), n).is_none(),
            "{label}: edge {p:?} twice"
        );
        let docs = &want.edges[&(p.0.to_string(), p.1.to_string())];
        let x = npmi(n, want.nodes[p.0], want.nodes[p.1], hits);
        let got_npmi = e["npmi"].as_f64().unwrap();
        assert!(
            (got_npmi - x).abs() < 1e-9,
            "{label}: npmi of {p:?}: {got_npmi} vs {x}"
        );
        let mut first: Vec<&String> = docs.iter().collect();
        first.sort_by_key(|d| (d.len(), d.to_string()));
        let first: Vec<&str> = first.iter().take(3).map(|s| s.as_str()).collect();
        assert_eq!(
            e["evidence"],
            serde_json::json!(first),
            "{label}: evidence of {p:?}"
        );
        if let Some(types) = want.relation_types.get(&(p.0.to_string(), p.1.to_string())) {
            let got_types: BTreeMap<String, u64> = e["relation_types"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (x[0].as_str().unwrap().to_string(), x[1].as_u64().unwrap()))
                .collect();
            let want_types: BTreeMap<String, u64> = types
                .iter()
                .map(|(t, d)| (t.clone(), d.len() as u64))
                .collect();
            assert_eq!(got_types, want_types, "{label}: relation types of {p:?}");
        }
    }
    let want_edges: BTreeMap<(String, String), u64> = want
        .edges
        .iter()
        .map(|(p, d)| (p.clone(), d.len() as u64))
        .collect();
    assert_eq!(got, want_edges, "{label}: edges");
}

#[test]
fn graph_of_the_fixture_matches_the_hand_computed_table() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("graph.pubtator")]);
    let ((nodes, edges, summary), _) = graph_jsonl(dir.path(), &["*"]);
    // Worked out by hand from tests/data/graph.pubtator (5 documents).
    let want_nodes: BTreeMap<String, u64> = [
        ("Disease:MESH:D008545", 4),
        ("Gene:673", 3),
        ("Chemical:MESH:D000001", 2),
        ("Gene:5133", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(nodes, want_nodes);
    assert_eq!(summary["total_hits"], 5);
    let table: Vec<(&str, &str, u64, f64)> = edges
        .iter()
        .map(|e| {
            (
                e["source"].as_str().unwrap(),
                e["target"].as_str().unwrap(),
                e["documents"].as_u64().unwrap(),
                e["npmi"].as_f64().unwrap(),
            )
        })
        .collect();
    // ln(0.4 / (0.6 × 0.8)) / −ln 0.4 = −0.19898; ln(0.4 / (0.6 × 0.4)) / −ln 0.4 = 0.55749;
    // ln(0.2 / (0.8 × 0.4)) / −ln 0.2 = −0.29203; ln(0.2 / (0.8 × 0.2)) / −ln 0.2 = 0.13865.
    let want = [
        ("Disease:MESH:D008545", "Gene:673", 2, -0.198_98),
        ("Gene:673", "Chemical:MESH:D000001", 2, 0.557_49),
        (
            "Disease:MESH:D008545",
            "Chemical:MESH:D000001",
            1,
            -0.292_03,
        ),
        ("Disease:MESH:D008545", "Gene:5133", 1, 0.138_65),
    ];
    assert_eq!(table.len(), want.len());
    for ((s, t, n, x), (ws, wt, wn, wx)) in table.iter().zip(want) {
        assert_eq!((*s, *t, *n), (ws, wt, wn));
        assert!((x - wx).abs() < 1e-5, "{s}-{t}: npmi {x}, by hand {wx}");
    }
    // By NPMI the drug–gene pair comes first.
    let ((_, edges, _), _) = graph_jsonl(dir.path(), &["*", "--weight", "npmi"]);
    assert_eq!(edges[0]["target"], "Chemical:MESH:D000001");
    assert!((edges[0]["weight"].as_f64().unwrap() - 0.557_49).abs() < 1e-5);
    // Relation edges: one relation line each.
    let ((_, edges, _), _) = graph_jsonl(dir.path(), &["*", "--edges", "relation"]);
    let rel: BTreeSet<(String, String, String)> = edges
        .iter()
        .map(|e| {
            (
                e["source"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
                e["relation_types"][0][0].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let t = |a: &str, b: &str, r: &str| (a.to_string(), b.to_string(), r.to_string());
    assert_eq!(
        rel,
        BTreeSet::from([
            t("Disease:MESH:D008545", "Gene:673", "Association"),
            t("Disease:MESH:D008545", "Gene:5133", "Association"),
            t("Gene:673", "Chemical:MESH:D000001", "Bind"),
        ])
    );
    // The independent reader agrees on every query tried.
    let docs = read(&data("graph.pubtator"));
    for q in ["*", "melanoma", "gene:673", "drugA OR PD1"] {
        let matching: BTreeSet<String> = search_ids(dir.path(), q).into_iter().collect();
        for relation in [false, true] {
            let mut args = vec![q];
            if relation {
                args.extend(["--edges", "relation"]);
            }
            let (answer, _) = graph_jsonl(dir.path(), &args);
            let want = expected(&docs, &matching, relation);
            check(q, &answer, &want, matching.len() as u64);
        }
    }
}

#[test]
fn graph_of_bc5cdr_matches_an_independent_count() {
    let Some(file) = shared_path(
        "graph_of_bc5cdr_matches_an_independent_count",
        "bc5cdr/CDR_TrainingSet.PubTator.txt",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&file]);
    let docs = read(&file);
    for q in ["*", "hypertension", "chemical:MESH:D008012 OR seizures"] {
        let matching: BTreeSet<String> = search_ids(dir.path(), q).into_iter().collect();
        assert!(!matching.is_empty(), "{q}: no hits");
        for relation in [false, true] {
            let mut args = vec![q];
            if relation {
                args.extend(["--edges", "relation"]);
            }
            let (answer, _) = graph_jsonl(dir.path(), &args);
            let want = expected(&docs, &matching, relation);
            assert!(!want.edges.is_empty(), "{q}: no edges to compare");
            check(
                &format!("{q} {args:?}"),
                &answer,
                &want,
                matching.len() as u64,
            );
        }
    }
}

#[test]
fn graph_caps_say_what_they_cut_and_sentence_edges_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("graph.pubtator")]);
    let ((nodes, edges, summary), err) = graph_jsonl(
        dir.path(),
        &[
            "*",
            "--max-nodes",
            "2",
            "--max-edges",
            "0",
            "--min-docs",
            "2",
        ],
    );
    assert_eq!(nodes.len(), 2);
    assert!(edges.is_empty());
    assert!(
        err.contains("--max-nodes 2 kept 2 of 3 entities"),
        "min-docs 2 leaves 3 entities: {err}"
    );
    assert!(
        err.contains("--max-edges 0 kept the 0 heaviest of 1 edge"),
        "{err}"
    );
    assert_eq!(summary["cuts"].as_array().unwrap().len(), 2);
    // Node types narrow the nodes.
    let ((nodes, edges, _), _) = graph_jsonl(dir.path(), &["*", "--nodes", "gene,Chemical"]);
    assert_eq!(nodes.len(), 3);
    assert_eq!(edges.len(), 1);

    let mut c = ptsearch(dir.path());
    c.args(["graph", "*", "--format", "dot"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("unknown graph format 'dot'"), "{err}");
    let mut c = ptsearch(dir.path());
    c.args(["graph", "nothingmatchesthis"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 1);
    assert!(out.contains("<graphml"), "an empty graph is still a file");
}

#[test]
fn significance_facets_match_a_hand_computed_g_test() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("graph.pubtator")]);
    let mut c = ptsearch(dir.path());
    c.args([
        "search",
        "drugA",
        "--facet-sort",
        "significance",
        "--format",
        "json",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let summary: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let mut got: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for f in summary["data"]["facets"].as_array().unwrap() {
        for e in f["top"].as_array().unwrap() {
            got.insert(
                format!(
                    "{}:{}",
                    f["type"].as_str().unwrap(),
                    e["id"].as_str().unwrap()
                ),
                (
                    e["significance"].as_f64().unwrap(),
                    e["p_value"].as_f64().unwrap(),
                ),
            );
        }
    }
    // drugA has 2 hits (9001, 9003) of 5 documents. By hand, G = 2 Σ O ln(O/E):
    // drugA itself [[2, 0], [0, 3]]: 2 (2 ln 2.5 + 3 ln(5/3)) = 6.7301, p = erfc(√3.3651) = 0.00949;
    // BRAF [[2, 0], [1, 2]]: 2 (2 ln(2/1.2) + ln(1/1.8) + 2 ln(2/1.2)) = 2.9112, p = 0.0880;
    // melanoma [[1, 1], [3, 0]], under-represented: −2 (ln(1/1.6) + ln(1/0.4) + 3 ln(3/2.4))
    // = −2.2314, p = 0.1352.
    for (key, g, p) in [
        ("Chemical:MESH:D000001", 6.7301, 0.00949),
        ("Gene:673", 2.9112, 0.0880),
        ("Disease:MESH:D008545", -2.2314, 0.1352),
    ] {
        let (got_g, got_p) = got[key];
        assert!((got_g - g).abs() < 1e-3, "{key}: G {got_g}, by hand {g}");
        assert!((got_p - p).abs() < 1e-3, "{key}: p {got_p}, by hand {p}");
    }
}
