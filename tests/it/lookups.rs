//! Lookups in the index's name dictionary: the autocomplete order (`ptsearch entities`) and
//! the did-you-mean candidates of an unknown name (walked with an edit-distance automaton),
//! checked against a plain reading of every dictionary term.

use crate::util::{index_files, ptsearch, run, shared_corpora};
use serde_json::Value;
use std::path::Path;

fn entities(index: &Path, text: &str) -> Vec<(String, String)> {
    let mut c = ptsearch(index);
    c.args(["entities", text, "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["type"].as_str().unwrap().to_string(),
                v["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One PubTator document mentioning `mention` (annotated `id`) in its title.
fn doc(pmid: u32, mention: &str, id: &str) -> String {
    let title = format!("{mention} in a cohort");
    let end = mention.chars().count();
    format!("{pmid}|t|{title}\n{pmid}|a|Text.\n{pmid}\t0\t{end}\t{mention}\tDisease\t{id}\n\n")
}

#[test]
fn a_stray_exact_mention_does_not_outrank_the_name_most_documents_start_with() {
    // Parkinson's disease written so in 12 documents; parkinsonism written "parkinsonism" in
    // 3 and once just "Parkinson" (an exact match of the typed text).
    let mut text = String::new();
    let mut pmid = 100;
    for _ in 0..12 {
        text.push_str(&doc(pmid, "Parkinson's disease", "MESH:D010300"));
        pmid += 1;
    }
    for _ in 0..3 {
        text.push_str(&doc(pmid, "parkinsonism", "MESH:D010302"));
        pmid += 1;
    }
    text.push_str(&doc(pmid, "Parkinson", "MESH:D010302"));
    pmid += 1;
    // Catalepsy with one stray matching mention and more documents in all.
    text.push_str(&doc(pmid, "parkinsonian catalepsy", "MESH:D002375"));
    pmid += 1;
    for _ in 0..20 {
        text.push_str(&doc(pmid, "catalepsy", "MESH:D002375"));
        pmid += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("parkinson.pubtator");
    std::fs::write(&file, &text).unwrap();
    let index = dir.path().join("idx");
    index_files(&index, &[&file]);
    let order: Vec<String> = entities(&index, "parkinson")
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    // 12 matching documents beat one exact (counted ten times: 10), which beats 3 prefix
    // documents; the stray mention of catalepsy comes last despite its 21 documents.
    assert_eq!(
        order,
        ["MESH:D010300", "MESH:D010302", "MESH:D002375"],
        "{text}"
    );
    // An exact name used in two documents (20) beats the 12.
    text.push_str(&doc(pmid, "Parkinson", "MESH:D010302"));
    std::fs::write(&file, &text).unwrap();
    let index2 = dir.path().join("idx2");
    index_files(&index2, &[&file]);
    assert_eq!(entities(&index2, "parkinson")[0].1, "MESH:D010302");
}

/// BC5CDR with the PMC BioC batch that writes parkinsonism once as "Parkinson".
fn parkinson_index(test: &str) -> Option<tempfile::TempDir> {
    let root = shared_corpora(test)?;
    let dir = tempfile::tempdir().unwrap();
    let cdr = root.join("bc5cdr");
    index_files(
        dir.path(),
        &[
            &cdr.join("CDR_TrainingSet.PubTator.txt"),
            &cdr.join("CDR_DevelopmentSet.PubTator.txt"),
            &cdr.join("CDR_TestSet.PubTator.txt"),
        ],
    );
    // A second run: a second segment, so the did-you-mean walk sums over segments.
    index_files(dir.path(), &[&root.join("bioc/batch_0.xml")]);
    Some(dir)
}

#[test]
fn entities_parkinson_ranks_parkinsons_disease_first_on_the_corpora() {
    let Some(dir) = parkinson_index("entities_parkinson_ranks_parkinsons_disease_first") else {
        return;
    };
    let order = entities(dir.path(), "parkinson");
    assert_eq!(
        order[..2],
        [
            ("Disease".to_string(), "MESH:D010300".to_string()),
            ("Disease".to_string(), "MESH:D010302".to_string())
        ],
        "{order:?}"
    );
}

/// Every dictionary term read in turn: the reference the automaton walk must equal.
fn near_names_by_scan(
    ix: &ptsearch::PtIndex,
    entity_type: Option<&str>,
    key: &str,
    max: usize,
) -> ptsearch::search::dictionary::NearNames {
    let searcher = ix.searcher().unwrap();
    let mut found = ptsearch::search::dictionary::NearNames::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(ix.fields.dict_name).unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            let term = String::from_utf8(stream.key().to_vec()).unwrap();
            let parts: Vec<&str> = term.split('\u{1f}').collect();
            let (n, t, id) = (parts[0], parts[1], parts[2]);
            if n == key || entity_type.is_some_and(|want| want != t) {
                continue;
            }
            if ptsearch::search::dictionary::edit_distance(key, n, max).is_none() {
                continue;
            }
            *found
                .entry(n.to_string())
                .or_default()
                .entry((t.to_string(), id.to_string()))
                .or_default() += u64::from(stream.value().doc_freq);
        }
    }
    found
}

#[test]
fn did_you_mean_candidates_equal_a_scan_of_every_name() {
    let Some(dir) = parkinson_index("did_you_mean_candidates_equal_a_scan") else {
        return;
    };
    let ix = ptsearch::PtIndex::open(dir.path()).unwrap();
    let searcher = ix.searcher().unwrap();
    let mut nonempty = 0;
    for key in [
        "parkinsn",
        "parkinson",
        "melanom",
        "cisplatn",
        "nephrotoxicty",
        "hepatits",
        "dopamin",
        "lithum",
        "seizure",
        "pd",
        "a",
        "",
        "xyzzyq",
        "naloxne",
        "hypertensio",
    ] {
        for t in [None, Some("Disease"), Some("Chemical")] {
            for max in [1, 2] {
                let fast =
                    ptsearch::search::dictionary::near_names(&searcher, &ix.fields, t, key, max)
                        .unwrap();
                let slow = near_names_by_scan(&ix, t, key, max);
                assert_eq!(fast, slow, "{key} {t:?} {max}");
                nonempty += usize::from(!fast.is_empty());
            }
        }
    }
    assert!(nonempty >= 40, "{nonempty}");
    // The CLI's did-you-mean names the candidates.
    let mut c = ptsearch(dir.path());
    c.args(["search", "disease:parkinsn"]);
    let (_, _, err) = run(c);
    assert!(err.contains("did you mean Parkinson"), "{err}");
}

/// The display name `ptsearch entity gene:ID --format json` gives.
fn gene_name(index: &Path, id: &str) -> String {
    let mut c = ptsearch(index);
    c.args(["entity", &format!("gene:{id}"), "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    v["name"].as_str().unwrap().to_string()
}

#[test]
fn display_names_skip_forms_many_genes_share_unless_one_gene_holds_most_of_them() {
    // (gene, mention, documents). "EGFR" is written for three genes: 1956 holds 5 of its 9
    // documents, so it names 1956 (not its other form "HER1") and is generic for the other
    // two. "protein" is written for three genes, 2 of 6 documents each: generic for all three.
    let plan: [(&str, &str, u32); 12] = [
        ("1956", "EGFR", 5),
        ("1956", "HER1", 1),
        ("13649", "EGFR", 2),
        ("13649", "ErbB1", 1),
        ("24329", "EGFR", 2),
        ("24329", "rat EGF receptor", 1),
        ("1", "protein", 2),
        ("1", "A1BG", 1),
        ("10", "protein", 2),
        ("10", "NAT2", 1),
        ("12", "protein", 2),
        ("12", "SERPINA3", 1),
    ];
    let mut text = String::new();
    let mut pmid = 100;
    for (id, mention, n) in plan {
        for _ in 0..n {
            pmid += 1;
            let end = mention.chars().count();
            text.push_str(&format!(
                "{pmid}|t|{mention} in a cohort\n{pmid}|a|Text.\n{pmid}\t0\t{end}\t{mention}\tGene\t{id}\n\n"
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("genes.pubtator");
    std::fs::write(&file, text).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&file]);
    for (id, name) in [
        ("1956", "EGFR"),
        ("13649", "ErbB1"),
        ("24329", "rat EGF receptor"),
        ("1", "A1BG"),
        ("10", "NAT2"),
        ("12", "SERPINA3"),
    ] {
        assert_eq!(gene_name(&index, id), name, "gene {id}");
    }
}
