//! Vocabularies on the other doors: `translate --to quickwit` writes the expanded ID set, the
//! HTTP API lists vocabularies, answers tree facets and the tree view.

use super::{fixture_mesh, index_with_vocab};
use crate::util::{ptsearch, run};
use std::collections::BTreeSet;

#[test]
fn translate_writes_the_expanded_id_set_and_says_so() {
    let index = index_with_vocab("vocab/genes.pubtator", &["desc2025.xml", "supp2025.xml"]);
    let mut c = ptsearch(index.path());
    c.args(["translate", "--to", "quickwit", "disease:D015179"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let body: serde_json::Value = serde_json::from_str(&out).unwrap();
    let q = body["query"].as_str().unwrap();
    let got: BTreeSet<String> = q
        .split(" OR ")
        .map(|t| {
            t.trim_start_matches("entity:\"disease:mesh:")
                .trim_end_matches('"')
                .to_uppercase()
        })
        .collect();
    assert_eq!(got, fixture_mesh().exploded("D015179"), "{q}");
    assert!(err.contains("IDs written into the query"), "{err}");
    let mut c = ptsearch(index.path());
    c.args(["translate", "--to", "quickwit", "disease:=D015179"]);
    let (_, out, _) = run(c);
    let body: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(body["query"], "entity:\"disease:mesh:d015179\"");
}

#[test]
fn http_lists_vocabularies_and_answers_tree_facets_and_the_tree() {
    let index = index_with_vocab("vocab/genes.pubtator", &["desc2025.xml"]);
    let server = crate::serve::Server::start(index.path(), &[]);
    let list = server.json("/api/v1/vocab");
    assert_eq!(list[0]["kind"], "mesh-desc");
    assert_eq!(list[0]["records"], fixture_mesh().trees.len());
    let page = server.json("/api/v1/search?q=*&facet_level=1&limit=0");
    let tree = &page["tree_facets"][0];
    assert_eq!(tree["type"], "Disease");
    // Every annotated disease of the fixture is a neoplasm (by hand): 6 documents under C04.
    assert_eq!(tree["values"][0]["id"], "D009369");
    assert_eq!(tree["values"][0]["documents"], 6);
    let bad = server.get("/api/v1/search?q=*&facet_level=99");
    assert_eq!(bad.status, 400, "{}", bad.text());
    let view = server.json("/api/v1/tree?descriptor=D015179");
    assert_eq!(view["node"]["name"], "Colorectal Neoplasms");
    let unknown = server.get("/api/v1/tree?descriptor=D000000");
    assert_eq!(unknown.status, 400);
    // The page shows the expansion and the tree panel.
    let html = server.get("/?q=disease%3AD009369&facet_level=1").text();
    assert!(html.contains("expanded: Neoplasms: 1 descriptor"), "{html}");
    assert!(html.contains("tree level 1"), "{html}");
}
