//! Odd answers found by trying the doors as users do, each now a clear error or the right
//! answer: a boost written with a word, an `@TYPE_` without a name, an unknown type listing the
//! index's own types, an undecodable path answered in JSON, and metadata facets keeping
//! `--facet-top` under lift order.

use crate::util::{index_files, ptsearch, run, search_json};

#[test]
fn query_mistakes_are_errors_with_positions() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "1|t|Cancer and PRNP.\n1|a|Prion protein in cancer.\n\
                1\t11\t15\tPRNP\tProtein\tP04156\n1\t0\t6\tCancer\tDisease\tD009369\n";
    let file = tmp.path().join("p.pubtator");
    std::fs::write(&file, text).unwrap();
    let ix = tmp.path().join("ix");
    index_files(&ix, &[&file]);
    for (q, pos, message) in [
        ("cancer^x", 6, "invalid boost: expected a positive number"),
        ("prion @GENE_", 6, "'@GENE_' needs a name or ID after the type"),
        ("type:Proteins", 5, "unknown entity type 'Proteins' (known: Gene, Disease, Chemical, Species, Variant, CellLine, Protein)"),
    ] {
        let mut c = ptsearch(&ix);
        c.args(["search", "--format", "json", "--", q]);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{q}: {err}");
        assert!(err.contains(message), "{q}: {err}");
        assert!(err.contains(&format!("position {pos}")) || err.contains(&" ".repeat(pos)), "{q}: {err}");
    }
    // The kept type itself works as a type and as a field.
    let hits = search_json(&ix, &["--", "type:Protein"]);
    assert_eq!(hits.iter().filter(|l| l["type"] == "hit").count(), 1);
    // `protein:` is the index's own Protein type here, not the `gene:` alias it is elsewhere.
    let hits = search_json(&ix, &["--", "protein:P04156"]);
    assert_eq!(hits.iter().filter(|l| l["type"] == "hit").count(), 1);
}

#[test]
fn metadata_facets_keep_facet_top_under_lift_order() {
    let Some(dir) = crate::util::shared_path("doors_agree_lift", "pubmed_xml") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index_files(&ix, &[&dir]);
    for sort in ["count", "lift"] {
        let lines = search_json(
            &ix,
            &[
                "--facets",
                "--facet-top",
                "2",
                "--facet-sort",
                sort,
                "-n",
                "0",
                "*",
            ],
        );
        let summary = &lines.last().unwrap()["data"];
        let meta = summary["metadata_facets"].as_array().unwrap();
        let journals = meta.iter().find(|m| m["field"] == "journal").unwrap();
        assert_eq!(journals["values"].as_array().unwrap().len(), 2, "{sort}");
        for f in summary["facets"].as_array().unwrap() {
            assert!(f["top"].as_array().unwrap().len() <= 2, "{sort}");
        }
    }
}

#[test]
fn a_resolution_says_the_name_count_and_the_id_count() {
    let tmp = tempfile::tempdir().unwrap();
    // The ID under two names: "breast" in one document, "breast tumour" in two.
    let text = "1|t|Breast study.\n1|a|x\n1\t0\t6\tBreast\tDisease\tD001943\n\n\
                2|t|Breast tumour study.\n2|a|x\n2\t0\t13\tBreast tumour\tDisease\tD001943\n\n\
                3|t|Breast tumour again.\n3|a|x\n3\t0\t13\tBreast tumour\tDisease\tD001943\n";
    let file = tmp.path().join("b.pubtator");
    std::fs::write(&file, text).unwrap();
    let ix = tmp.path().join("ix");
    index_files(&ix, &[&file]);
    let mut c = ptsearch(&ix);
    c.args(["search", "disease:breast"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "'breast' resolved to Disease:MESH:D001943 (the name in 1 document; the ID in 3)"
        ),
        "{err}"
    );
    let lines = search_json(&ix, &["--", "disease:breast"]);
    let r = &lines.last().unwrap()["data"]["resolutions"][0]["resolved"][0];
    assert_eq!(
        (r["documents"].as_u64(), r["id_documents"].as_u64()),
        (Some(1), Some(3))
    );
}
