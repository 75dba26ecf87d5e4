//! Sentences: `sentence:(…)` groups, the ranking tiers, evidence sentences and the
//! `sentences` answer, on a fixture whose documents differ only in where two entities meet,
//! and on BioRED against an independent sentence-level count.

use crate::util::{data, index_files, ptsearch, run, search_ids, search_json, shared_path};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn fixture_index(dir: &Path) -> std::path::PathBuf {
    let ix = dir.join("ix");
    index_files(&ix, &[&data("sentences.pubtator")]);
    ix
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn found(ix: &Path, q: &str) -> BTreeSet<String> {
    search_ids(ix, q).into_iter().collect()
}

#[test]
fn sentence_groups_hold_within_one_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = fixture_index(tmp.path());
    // Only 9000001 and 9000004 name BRAF and melanoma in one sentence (9000004 across
    // "et al.", "e.g." and "Fig.", which do not end it).
    let both = set(&["9000001", "9000004"]);
    assert_eq!(found(&ix, "sentence:(gene:673 disease:D008545)"), both);
    assert_eq!(found(&ix, "sent:(@GENE_673 @DISEASE_D008545)"), both);
    assert_eq!(found(&ix, "SENTENCE:(braf melanoma)"), both);
    assert_eq!(found(&ix, "sentence:(gene:673 melanoma)"), both);
    // A phrase across a joined word, with an entity, inside one sentence.
    assert_eq!(
        found(&ix, "sentence:(\"wild type\" disease:D008545)"),
        set(&["9000005"])
    );
    // OR and NOT inside: a sentence with BRAF and without melanoma.
    assert_eq!(
        found(&ix, "sentence:(gene:673 -disease:D008545)"),
        set(&["9000002", "9000003", "9000005"])
    );
    assert_eq!(
        found(&ix, "sentence:(gene:673 (disease:D008545 OR frequent))"),
        set(&["9000001", "9000002", "9000003", "9000004"])
    );
    // A document-level clause inside holds in every sentence of its documents.
    assert_eq!(
        found(&ix, "sentence:(gene:673 disease:D008545 pmid:9000004)"),
        set(&["9000004"])
    );
    // Outside a group, the document level is unchanged.
    assert_eq!(found(&ix, "gene:673 disease:D008545").len(), 5);
}

#[test]
fn ranking_tiers_put_relations_then_sentences_first() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = fixture_index(tmp.path());
    let ranked = search_ids(&ix, "gene:673 disease:D008545");
    assert_eq!(ranked.len(), 5);
    // A relation line between the two (9000003), then one sentence (9000001, 9000004), then
    // the same document only.
    assert_eq!(ranked[0], "9000003");
    assert_eq!(
        ranked[1..3].iter().cloned().collect::<BTreeSet<_>>(),
        set(&["9000001", "9000004"])
    );
    assert_eq!(
        ranked[3..].iter().cloned().collect::<BTreeSet<_>>(),
        set(&["9000002", "9000005"])
    );
    // One entity clause: no tiers (scores stay BM25).
    let lines = search_json(&ix, &["--", "gene:673"]);
    assert!(lines
        .iter()
        .filter(|l| l["type"] == "hit")
        .all(|l| l["data"]["score"].as_f64().unwrap() < 1000.0));
}

/// The text of passage `p` of a hit: its title, or its abstract (one passage here).
fn passage_text(hit: &serde_json::Value, p: u64) -> Vec<char> {
    let field = if p == 0 { "title" } else { "abstract" };
    hit[field].as_str().unwrap().chars().collect()
}

#[test]
fn evidence_sentences_slice_their_passages_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = fixture_index(tmp.path());
    let lines = search_json(&ix, &["-n", "10", "--", "gene:673 disease:D008545"]);
    let hits: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["type"] == "hit")
        .map(|l| &l["data"])
        .collect();
    assert_eq!(hits.len(), 5);
    for h in &hits {
        let ev = h["evidence"].as_array().unwrap();
        assert!(!ev.is_empty(), "{} has evidence", h["id"]);
        for e in ev {
            let text = passage_text(h, e["passage"].as_u64().unwrap());
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            let cut: String = text[s..t].iter().collect();
            assert_eq!(cut, e["text"].as_str().unwrap());
            assert_eq!(
                e["id"].as_str().unwrap(),
                format!(
                    "{}:{}:{}",
                    h["id"].as_str().unwrap(),
                    e["passage"],
                    e["sentence"]
                )
            );
            for sp in e["spans"].as_array().unwrap() {
                let (a, b) = (
                    sp["start"].as_u64().unwrap() as usize,
                    sp["end"].as_u64().unwrap() as usize,
                );
                assert!(s <= a && b <= t, "span inside its sentence");
                let cut: String = text[a..b].iter().collect();
                assert_eq!(cut, sp["text"].as_str().unwrap());
            }
        }
    }
    // The best sentence of 9000001 is the one that names both.
    let h = hits.iter().find(|h| h["id"] == "9000001").unwrap();
    assert_eq!(
        h["evidence"][0]["text"],
        "BRAF mutations drive melanoma in most patients."
    );
    assert_eq!(h["evidence"][0]["id"], "9000001:1:1");
    // Text output shows them with --evidence.
    let mut c = ptsearch(&ix);
    c.args([
        "search",
        "--evidence",
        "-n",
        "1",
        "gene:673 disease:D008545",
    ]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("evidence 9000003:1:"), "{out}");
}

#[test]
fn sentences_answer_like_litsense() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = fixture_index(tmp.path());
    let mut c = ptsearch(&ix);
    c.args([
        "sentences",
        "--format",
        "json",
        "sentence:(gene:673 disease:D008545)",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["type"] == "sentence")
        .map(|v| v["data"].clone())
        .collect();
    // The two sentences naming both come first.
    let top: BTreeSet<String> = rows[..2]
        .iter()
        .map(|r| r["pmid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(top, set(&["9000001", "9000004"]));
    for r in &rows {
        assert_eq!(r["section"], "ABSTRACT");
        let text: Vec<char> = r["text"].as_str().unwrap().chars().collect();
        for a in r["annotations"].as_array().unwrap() {
            let parts: Vec<&str> = a.as_str().unwrap().split('|').collect();
            assert_eq!(parts.len(), 4);
            let (s, n): (usize, usize) = (parts[0].parse().unwrap(), parts[1].parse().unwrap());
            let cut: String = text[s..s + n].iter().collect();
            let want = match parts[2] {
                "Gene" => "BRAF",
                "Disease" => "melanoma",
                other => panic!("unexpected type {other}"),
            };
            assert_eq!(cut, want);
        }
    }
    let mut c = ptsearch(&ix);
    c.args(["sentences", "nosuchword"]);
    assert_eq!(run(c).0, 1);
}

/// Sentence starts of `text` by a deliberately plain rule ([.?!] and white space before an
/// upper-case letter or a digit), and whether the text is plain enough for that rule to be
/// certain (no abbreviations, initials, brackets or quotes around a candidate end).
fn plain_sentences(text: &str) -> Option<Vec<usize>> {
    let c: Vec<char> = text.chars().collect();
    let mut starts = vec![0];
    for i in 0..c.len() {
        if !matches!(c[i], '.' | '?' | '!') || i + 2 >= c.len() {
            continue;
        }
        if matches!(c[i + 1], '"' | '\'' | ')' | ']' | '”' | '’')
            || (c[i + 1].is_whitespace() && (c[i + 1] != ' ' || c[i + 2].is_whitespace()))
        {
            return None;
        }
        if c[i + 1] != ' ' {
            continue;
        }
        let next = c[i + 2];
        if next.is_lowercase() {
            continue;
        }
        let word: String = c[..i]
            .iter()
            .rev()
            .take_while(|ch| ch.is_alphanumeric() || **ch == '.')
            .collect();
        let ambiguous = word.chars().count() <= 3
            || word.contains('.')
            || !next.is_uppercase()
            || c[..i].iter().filter(|&&ch| ch == '(').count()
                != c[..i].iter().filter(|&&ch| ch == ')').count();
        if ambiguous {
            return None;
        }
        starts.push(i + 2);
    }
    Some(starts)
}

#[test]
fn biored_sentence_cooccurrence_matches_an_independent_count() {
    let mut files = Vec::new();
    for part in ["Train", "Dev", "Test"] {
        let Some(f) = shared_path("sentences_biored", &format!("biored/{part}.PubTator")) else {
            return;
        };
        files.push(f);
    }
    // The files have CRLF line ends.
    let text: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap().replace("\r\n", "\n") + "\n\n")
        .collect();
    // Per plain document: for each (gene, disease) pair, whether one sentence holds both.
    let mut same: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut plain_docs: BTreeSet<String> = BTreeSet::new();
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let lines: Vec<&str> = block.lines().collect();
        let pid = lines[0].split('|').next().unwrap().to_string();
        let title = lines[0].splitn(3, '|').nth(2).unwrap();
        let abs = lines[1].splitn(3, '|').nth(2).unwrap();
        let Some(starts) = plain_sentences(abs) else {
            continue;
        };
        plain_docs.insert(pid.clone());
        let offset = title.chars().count() + 1;
        let sentence_of = |at: usize| -> i64 {
            if at < offset {
                -1
            } else {
                starts.iter().rposition(|&s| s <= at - offset).unwrap() as i64
            }
        };
        let mut genes: Vec<(String, i64)> = Vec::new();
        let mut diseases: Vec<(String, i64)> = Vec::new();
        for l in &lines[2..] {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() < 6 || cols[1].parse::<usize>().is_err() {
                continue;
            }
            let s = sentence_of(cols[1].parse().unwrap());
            for id in cols[5]
                .split([',', ';'])
                .filter(|x| !x.is_empty() && *x != "-")
            {
                match cols[4] {
                    "GeneOrGeneProduct" => genes.push((id.to_string(), s)),
                    "DiseaseOrPhenotypicFeature" => diseases.push((id.to_string(), s)),
                    _ => {}
                }
            }
        }
        for (g, gs) in &genes {
            for (d, ds) in &diseases {
                let e = same.entry((g.clone(), d.clone())).or_default();
                if gs == ds {
                    e.insert(pid.clone());
                }
            }
        }
    }
    assert!(
        plain_docs.len() > 100,
        "plain documents: {}",
        plain_docs.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let inputs: Vec<&Path> = files.iter().map(|f| f.as_path()).collect();
    index_files(&ix, &inputs);
    // The 120 pairs with the most same-sentence documents, and 30 that share documents but
    // no sentence.
    let mut pairs: Vec<(&(String, String), &BTreeSet<String>)> = same.iter().collect();
    pairs.sort_by_key(|(k, v)| (std::cmp::Reverse(v.len()), (*k).clone()));
    let mut checked = 0;
    let chosen = pairs.iter().take(120).chain(pairs.iter().rev().take(30));
    for ((g, d), want) in chosen {
        let q = format!("sentence:(gene:{g} disease:{d})");
        let got: BTreeSet<String> = found(&ix, &q).intersection(&plain_docs).cloned().collect();
        assert_eq!(&got, *want, "{q}");
        checked += want.len();
    }
    assert!(checked > 120, "documents compared: {checked}");
}

/// The Disease facet of `gene:673` at a scope: (documents of the type, value → documents).
fn disease_facet(ix: &Path, scope: &str) -> (u64, BTreeMap<String, u64>) {
    let lines = search_json(
        ix,
        &["--facets", "--facet-scope", scope, "-n", "0", "gene:673"],
    );
    let summary = lines.iter().find(|l| l["type"] == "summary").unwrap();
    let facets = summary["data"]["facets"].as_array().unwrap();
    let d = facets.iter().find(|f| f["type"] == "Disease").unwrap();
    let values = d["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["documents"].as_u64().unwrap(),
            )
        })
        .collect();
    (d["documents"].as_u64().unwrap(), values)
}

#[test]
fn sentence_scope_facets_count_entities_beside_the_queried_one() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = fixture_index(tmp.path());
    // Every fixture document mentions melanoma; only 9000001 and 9000004 in BRAF's sentence.
    let (docs, values) = disease_facet(&ix, "document");
    assert_eq!(docs, 5);
    assert_eq!(values.get("MESH:D008545"), Some(&5));
    let (docs, values) = disease_facet(&ix, "sentence");
    assert_eq!(docs, 2);
    assert_eq!(values.get("MESH:D008545"), Some(&2));
    let mut c = ptsearch(&ix);
    c.args(["search", "--facet-scope", "paragraph", "gene:673"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown facet scope 'paragraph'; valid: document, sentence"),
        "{err}"
    );
}

#[test]
fn relation_partners_with_a_sentence_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    // The relation of 9000003 again, in a document that names both in one sentence.
    let extra = tmp.path().join("extra.pubtator");
    let text = "9000006|t|BRAF and melanoma.\n9000006|a|Nothing else here.\n\
                9000006\t0\t4\tBRAF\tGene\t673\n9000006\t9\t17\tmelanoma\tDisease\tD008545\n\
                9000006\tAssociation\t673\tD008545\n";
    std::fs::write(&extra, text).unwrap();
    let ix = tmp.path().join("ix");
    index_files(&ix, &[&data("sentences.pubtator"), &extra]);
    let mut c = ptsearch(&ix);
    c.args(["relations", "gene:673", "--evidence", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let row: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(
        row["data"]["ids"],
        serde_json::json!(["9000003", "9000006"])
    );
    // 9000003 names them in different sentences; 9000006's title names both.
    assert_eq!(row["data"]["evidence"]["id"], "9000006:0:0");
    assert_eq!(row["data"]["evidence"]["text"], "BRAF and melanoma.");
    let mut c = ptsearch(&ix);
    c.args(["relations", "gene:673", "--format", "json"]);
    let (_, out, _) = run(c);
    assert!(!out.contains("\"evidence\""));
}

#[test]
fn graph_sentence_edges_join_entities_of_one_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = fixture_index(tmp.path());
    let edges = |kind: &str| -> Vec<serde_json::Value> {
        let mut c = ptsearch(&ix);
        c.args(["graph", "*", "--edges", kind, "--format", "jsonl"]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["type"] == "edge")
            .map(|v| v["data"].clone())
            .collect()
    };
    // Every document mentions both; two of them in one sentence (by hand, see the fixture).
    let doc = edges("comention");
    assert_eq!(doc.len(), 1);
    assert_eq!(doc[0]["documents"], 5);
    let sent = edges("sentence");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["documents"], 2);
    assert_eq!(
        sent[0]["evidence"],
        serde_json::json!(["9000001", "9000004"])
    );
}

#[test]
fn exploded_vocabulary_clauses_hold_within_one_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index_files(
        &ix,
        &[&data("vocab/genes.pubtator"), &data("sentences.pubtator")],
    );
    let mut c = ptsearch(&ix);
    c.args(["vocab", "add", "--quiet"])
        .arg(data("vocab/desc2025.xml"));
    assert_eq!(run(c).0, 0);
    // Neoplasms explodes to melanoma (D008545) and colorectal neoplasms (D015179): BRAF meets
    // one of them in one sentence in 106 (the title) and in 9000001 and 9000004.
    assert_eq!(
        found(&ix, "sentence:(gene:673 disease:D009369)"),
        set(&["106", "9000001", "9000004"])
    );
    // The literal ID is annotated nowhere.
    assert!(found(&ix, "sentence:(gene:673 disease:=D009369)").is_empty());
}
