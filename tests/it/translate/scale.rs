//! Translations that must not depend on the size or the content of the local index: the facet
//! request of an index with 100,000 distinct IDs stays small, and IDs (bare, any-type, typed,
//! relation arguments) translate the same with two different local indexes or none.

use super::{corpus, translate};
use crate::util::*;
use std::fmt::Write as _;

/// Quickwit refuses search bodies over 1 MiB; the request must stay far below, at any index
/// size.
const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// `docs` documents, each with a distinct gene, disease, chemical and species ID.
fn distinct_ids_corpus(docs: usize) -> String {
    let mut out = String::new();
    for n in 0..docs {
        let id = 100_000 + n;
        writeln!(out, "{id}|t|g d c s").unwrap();
        writeln!(out, "{id}|a|Text.").unwrap();
        writeln!(out, "{id}\t0\t1\tg\tGene\t{}", 1_000_000 + n).unwrap();
        writeln!(out, "{id}\t2\t3\td\tDisease\tMESH:D{:07}", n).unwrap();
        writeln!(out, "{id}\t4\t5\tc\tChemical\tMESH:C{:07}", n).unwrap();
        writeln!(out, "{id}\t6\t7\ts\tSpecies\t{}", 2_000_000 + n).unwrap();
        out.push('\n');
    }
    out
}

#[test]
fn facet_request_stays_small_with_100000_distinct_ids() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ids.pubtator");
    std::fs::write(&file, distinct_ids_corpus(25_000)).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&file]);
    let distinct: u64 = stats(&index)["distinct_ids"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(distinct >= 100_000, "{distinct} distinct IDs");
    let mut c = ptsearch(&index);
    c.args(["translate", "--facets", "--facet-top", "10", "*"]);
    let (code, body, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(
        body.len() < MAX_REQUEST_BYTES,
        "{} bytes for {distinct} distinct IDs",
        body.len()
    );
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["aggs"]["top_Gene"]["terms"].is_object());
}

/// Clauses whose translation is about IDs only.
const ID_QUERIES: &[&str] = &[
    "D005955",
    "D001943",
    "rs2234671",
    "id:10090",
    "id:3576",
    "id:MESH:D001943",
    "MESH:D005955",
    "gene:3576",
    "gene:5133",
    "disease:D005955",
    "@GENE_3576",
    "rel:Association|3576|D001943",
    "rel:ANY|gene:5133|*",
    "D005955 OR id:10090",
];

#[test]
fn ids_translate_the_same_with_any_local_index() {
    let dir = tempfile::tempdir().unwrap();
    let big = corpus(dir.path());
    let small = dir.path().join("small");
    index_files(&small, &[&data("phrases.pubtator")]);
    let none = dir.path().join("none");
    for query in ID_QUERIES {
        let bodies: Vec<serde_json::Value> = [&big, &small, &none]
            .iter()
            .map(|ix| {
                let (code, body, err) = translate(ix, &["--", query]);
                assert_eq!(code, 0, "{query}: {err}");
                body
            })
            .collect();
        assert_eq!(bodies[0], bodies[1], "{query}: two local indexes");
        assert_eq!(bodies[0], bodies[2], "{query}: an index and none");
    }
    // The untyped term the export writes for every annotation of the ID.
    let (_, body, _) = translate(&small, &["D005955"]);
    assert_eq!(body["query"], r#""D005955" OR entity:"mesh:d005955""#);
    let (_, body, _) = translate(&small, &["id:10090"]);
    assert_eq!(body["query"], r#"entity:"10090""#);
}
