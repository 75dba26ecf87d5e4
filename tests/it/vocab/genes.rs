//! Gene names through `gene_info` (official symbols, then synonyms, never silently one of
//! several) and orthologs through `gene_orthologs`, over `genes.pubtator`, whose documents
//! (by hand) are: 100 CD274 "B7-H1" (human), 101 Braf (mouse), 102 MAPK14 "p38 MAPK",
//! 103 MAPK1 "ERK2", 104 PDCD1 "PD-1" (human), 105 Pdcd1 (mouse), 106 BRAF (human),
//! 107 braf (zebrafish).

use super::{hits, index_with_vocab, set, summary};
use crate::util::{ptsearch, run};

fn warnings(index: &std::path::Path, q: &str) -> String {
    let s = summary(index, &["--", q]);
    s["warnings"]
        .as_array()
        .map(|w| {
            w.iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[test]
fn gene_names_resolve_through_symbols_and_synonyms_and_ambiguity_is_named() {
    let plain = index_with_vocab("vocab/genes.pubtator", &[]);
    let index = index_with_vocab("vocab/genes.pubtator", &["gene_info"]);
    // No mention spells PDL1: only the vocabulary knows it is CD274's (and Cd274's) alias.
    assert_eq!(hits(plain.path(), "gene:PDL1"), set(&[]));
    assert_eq!(hits(index.path(), "gene:PDL1"), set(&["100"]));
    let w = warnings(index.path(), "gene:PDL1");
    assert!(
        w.contains("29126 CD274 (taxon 9606)") && w.contains("60533 Cd274 (taxon 10090)"),
        "{w}"
    );
    // species:N in the query narrows the candidates (and filters, as it always does).
    let w = warnings(index.path(), "gene:PDL1 species:9606");
    assert!(w.contains("29126") && !w.contains("60533"), "{w}");
    assert_eq!(hits(index.path(), "gene:PDL1 species:9606"), set(&["100"]));
    // p38 is a synonym of two human genes: both searched, each named.
    assert_eq!(hits(index.path(), "gene:p38"), set(&["102", "103"]));
    let w = warnings(index.path(), "gene:p38");
    assert!(
        w.contains("5594 MAPK1 (taxon 9606)") && w.contains("1432 MAPK14 (taxon 9606)"),
        "{w}"
    );
    // An official symbol wins over synonyms; written in one species' case, it is that one.
    assert_eq!(hits(index.path(), "gene:BRAF"), set(&["106"]));
    assert_eq!(hits(index.path(), "gene:Braf"), set(&["101"]));
    assert_eq!(
        hits(index.path(), "gene:HER2"),
        set(&[]),
        "ERBB2: no document"
    );
    // An ID is an ID.
    assert_eq!(hits(index.path(), "gene:5133"), set(&["104"]));
}

#[test]
fn orthologs_follow_gene_orthologs_and_at_gene_is_every_species_with_them() {
    let genes_only = index_with_vocab("vocab/genes.pubtator", &["gene_info"]);
    let index = index_with_vocab("vocab/genes.pubtator", &["gene_info", "gene_orthologs"]);
    // BRAF's group in gene_orthologs: 673, 109880 (mouse), 114486 (rat), 100000029 (fish).
    let braf = set(&["101", "106", "107"]);
    assert_eq!(hits(index.path(), "ortho:673"), braf);
    assert_eq!(hits(index.path(), "ortho:BRAF"), braf);
    assert_eq!(hits(index.path(), "@GENE_BRAF"), braf);
    assert_eq!(hits(index.path(), "ortho:=673"), set(&["106"]));
    assert_eq!(hits(index.path(), "ortho:PDCD1"), set(&["104", "105"]));
    // Without an ortholog table: the gene alone, with a note.
    assert_eq!(hits(genes_only.path(), "ortho:673"), set(&["106"]));
    assert!(warnings(genes_only.path(), "ortho:673").contains("no ortholog table"));
    let s = summary(index.path(), &["--", "ortho:673"]);
    assert_eq!(s["resolutions"][0]["expansion"], "BRAF: 673 + 3 orthologs");
    // Removing the table takes effect at once, without re-indexing.
    let mut c = ptsearch(index.path());
    c.args(["vocab", "remove", "gene-orthologs"]);
    assert_eq!(run(c).0, 0);
    assert_eq!(hits(index.path(), "ortho:673"), set(&["106"]));
}

#[test]
fn entity_views_use_the_official_symbol_and_full_name() {
    let plain = index_with_vocab("vocab/genes.pubtator", &[]);
    let index = index_with_vocab("vocab/genes.pubtator", &["gene_info"]);
    let profile = |ix: &std::path::Path| -> serde_json::Value {
        let mut c = ptsearch(ix);
        c.args(["entity", "gene:29126", "--format", "json"]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(out.lines().next().unwrap()).unwrap()
    };
    // Columns 3 and 12 of gene_info's CD274 line.
    let p = profile(index.path());
    assert_eq!(
        (p["name"].as_str(), p["full_name"].as_str()),
        (Some("CD274"), Some("CD274 molecule"))
    );
    let p = profile(plain.path());
    assert_eq!(p["name"], "B7-H1", "without gene_info: the mention");
    assert!(p.get("full_name").is_none());
}
