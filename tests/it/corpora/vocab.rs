//! MeSH explosion over a real corpus (NCBI disease, and BC5CDR for chemicals and relations):
//! the documents `disease:D…` finds with the fixture MeSH loaded are those the [`Oracle`]
//! gives for every ID of the exploded set, which a tiny reader of the fixture XML computes
//! here (tree-number prefixes and `HeadingMappedTo` lines, no library code).

use super::{check_query, corpus, Oracle};
use crate::util::{data, ptsearch, run, search_json, shared_corpora};
use crate::vocab::fixture_mesh;
use std::collections::BTreeSet;

/// The exploded set of a descriptor, computed from the fixture alone.
fn exploded(ui: &str) -> BTreeSet<String> {
    fixture_mesh().exploded(ui)
}

fn add_fixture_mesh(index: &std::path::Path) {
    let mut c = ptsearch(index);
    c.args(["vocab", "add", "--quiet"])
        .arg(data("vocab/desc2025.xml"))
        .arg(data("vocab/supp2025.xml"));
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn exploded_mesh_queries_match_the_oracle_over_every_narrower_id() {
    let Some(root) =
        shared_corpora("exploded_mesh_queries_match_the_oracle_over_every_narrower_id")
    else {
        return;
    };
    let inputs = vec![corpus(&root, "ncbi_disease")];
    let oracle = Oracle::load(&inputs);
    let docs = oracle.entity_docs(true);
    let index = tempfile::tempdir().unwrap();
    crate::util::index_files(index.path(), &[inputs[0].as_path()]);
    add_fixture_mesh(index.path());
    let mut failures = Vec::new();
    let mut grew = 0;
    for ui in [
        "D009369", "D015179", "D001943", "D009370", "D011125", "D030342", "D009136",
    ] {
        let set = exploded(ui);
        let expected: BTreeSet<String> = set
            .iter()
            .filter_map(|id| {
                docs.get(&("Disease".to_string(), format!("mesh:{}", id.to_lowercase())))
            })
            .flatten()
            .cloned()
            .collect();
        let literal: BTreeSet<String> = docs
            .get(&("Disease".to_string(), format!("mesh:{}", ui.to_lowercase())))
            .cloned()
            .unwrap_or_default();
        if expected.len() > literal.len() {
            grew += 1;
        }
        check_query(
            index.path(),
            &format!("disease:{ui}"),
            &expected,
            &mut failures,
        );
        check_query(
            index.path(),
            &format!("disease:={ui}"),
            &literal,
            &mut failures,
        );
    }
    assert!(
        grew >= 4,
        "the explosion should add documents for most of these IDs"
    );
    super::assert_no_failures("exploded MeSH queries", 14, &failures);
    // The summary says what happened.
    let lines = search_json(index.path(), &["--limit", "1", "--", "disease:D009369"]);
    let summary = super::summary(&lines);
    let set = exploded("D009369");
    let narrower = set.iter().filter(|u| u.starts_with('D')).count() - 1;
    let supp = set.iter().filter(|u| u.starts_with('C')).count();
    let note =
        format!("Neoplasms: 1 descriptor + {narrower} narrower + {supp} supplementary records");
    assert_eq!(
        summary["resolutions"][0]["expansion"],
        note.as_str(),
        "{summary}"
    );
}

#[test]
fn homologene_groups_of_the_pubtator3_exports_join_human_and_mouse_genes() {
    let Some(root) =
        shared_corpora("homologene_groups_of_the_pubtator3_exports_join_human_and_mouse_genes")
    else {
        return;
    };
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("bioc"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains("\"ncbi_homologene\""))
                && p.extension().is_some_and(|e| e == "json")
        })
        .collect();
    assert!(files.len() >= 5, "the shared PubTator3 exports: {files:?}");
    let refs: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    let infons = crate::vocab::homologene::GeneInfons::read(&refs);
    let index = tempfile::tempdir().unwrap();
    crate::util::index_files(index.path(), &refs);
    let grown = crate::vocab::homologene::check_every_gene(index.path(), &infons, &[]);
    assert!(
        grown >= 4,
        "some genes of these exports share a group: {grown}"
    );
}
