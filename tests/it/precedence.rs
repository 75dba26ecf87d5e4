//! Sources that never damage each other: lossless re-anchoring (each annotation on its own
//! occurrence when another source changes the text), text precedence (`--text`,
//! `--metadata-only`), distinct source names, and summaries and stats that count what they say.
//!
//! Expectations come from the input text written here: an annotation is right when the text
//! of the exported record, sliced at its offsets, equals its mention.

use crate::util::{index_with, ptsearch, run, search_ids, stats};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("fixture written");
    p
}

fn show_pubtator(ix: &Path, id: &str) -> String {
    let mut c = ptsearch(ix);
    c.args(["show", id, "--format", "pubtator"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "show failed: {err}");
    out
}

fn export_all(ix: &Path) -> String {
    let mut c = ptsearch(ix);
    c.args(["export", "--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "export failed: {err}");
    out
}

/// The annotation lines of a PubTator record as (start, end, mention), and whether each slice
/// of `title + " " + abstract` at its offsets equals its mention.
fn annotations(pubtator: &str) -> Vec<(usize, usize, String, bool)> {
    let mut title = String::new();
    let mut abs = String::new();
    let mut out = Vec::new();
    for line in pubtator.lines() {
        if let Some((_, t)) = line.split_once("|t|") {
            title = t.to_string();
        } else if let Some((_, a)) = line.split_once("|a|") {
            abs = a.to_string();
        } else {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 5 {
                if let (Ok(s), Ok(e)) = (cols[1].parse::<usize>(), cols[2].parse::<usize>()) {
                    let text: Vec<char> = format!("{title} {abs}").chars().collect();
                    let slice: String = text
                        .get(s..e)
                        .map(|c| c.iter().collect())
                        .unwrap_or_default();
                    out.push((s, e, cols[3].to_string(), slice == cols[3]));
                }
            }
        }
    }
    out
}

#[test]
fn repeated_mentions_keep_their_own_occurrence_when_a_source_changes_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.pubtator",
        "1|t|Title\n1|a|We report ARSA loss. Then ARSA activity was low.\n1\t16\t20\tARSA\tGene\t410\n1\t32\t36\tARSA\tGene\t410\n\n",
    );
    let b = write(
        dir.path(),
        "b.pubtator",
        "1|t|Title\n1|a|BACKGROUND: We report ARSA loss. RESULTS: Then ARSA activity was low.\n1\t6\t16\tBACKGROUND\tGene\t999\n\n",
    );
    let ix = dir.path().join("ix");
    index_with(&ix, &["--quiet"], &[&a]);
    let out = index_with(&ix, &[], &[&b]);
    // Both texts are annotated and structured: the newer wins and a's mentions move with it.
    assert!(
        out.contains("text replaced in 1 document (newer among equals"),
        "{out}"
    );
    assert!(out.contains("2 re-anchored, 0 kept without span"), "{out}");
    let anns = annotations(&show_pubtator(&ix, "1"));
    assert_eq!(anns.len(), 3, "{anns:?}");
    assert!(
        anns.iter().all(|a| a.3),
        "every offset slices its mention: {anns:?}"
    );
    let arsa: Vec<(usize, usize)> = anns
        .iter()
        .filter(|a| a.2 == "ARSA")
        .map(|a| (a.0, a.1))
        .collect();
    assert_eq!(arsa, [(28, 32), (53, 57)], "two ARSAs on two spans");
    // Repeating the same commands gives the same index, byte for byte.
    let first = export_all(&ix);
    index_with(&ix, &["--quiet"], &[&a]);
    index_with(&ix, &["--quiet"], &[&b]);
    assert_eq!(export_all(&ix), first);
    // And a run over an unchanged input changes nothing and says so.
    let again = index_with(&ix, &[], &[&b]);
    assert!(again.contains("nothing changed"), "{again}");
}

#[test]
fn a_text_without_annotations_never_replaces_an_annotated_one() {
    let dir = tempfile::tempdir().unwrap();
    let annotated = write(
        dir.path(),
        "gold.pubtator",
        "7|t|Mutations in SOD1 cause ALS\n7|a|We sequenced SOD1 in families.\n7\t13\t17\tSOD1\tGene\t6647\n7\t24\t27\tALS\tDisease\tD000690\n\n",
    );
    // The PhenoTagger-style input: the whole abstract on the title line, an empty abstract.
    let flat = write(
        dir.path(),
        "input.txt",
        "7|t|Mutations in SOD1 cause ALS. We sequenced SOD1 in families.\n7|a|\n\n",
    );
    let ix = dir.path().join("ix");
    index_with(&ix, &["--quiet"], &[&annotated]);
    let out = index_with(&ix, &[], &[&flat]);
    assert!(out.contains("stored text kept in 1 document"), "{out}");
    assert_eq!(search_ids(&ix, "\"cause ALS\""), ["7"]);
    let shown = show_pubtator(&ix, "7");
    assert!(
        shown.starts_with("7|t|Mutations in SOD1 cause ALS\n"),
        "{shown}"
    );
    assert!(annotations(&shown).iter().all(|a| a.3));
    // `--text replace` takes it anyway; the annotations move onto the flat text.
    let out = index_with(&ix, &["--text", "replace"], &[&flat]);
    assert!(out.contains("text replaced in 1 document (--text"), "{out}");
    let anns = annotations(&show_pubtator(&ix, "7"));
    assert_eq!(anns.len(), 2);
    assert!(anns.iter().all(|a| a.3), "{anns:?}");
    // And the annotated text wins back when its source is read again.
    index_with(&ix, &["--quiet"], &[&annotated]);
    assert!(show_pubtator(&ix, "7").starts_with("7|t|Mutations in SOD1 cause ALS\n"));
}

#[test]
fn metadata_only_attaches_metadata_and_skips_unknown_documents() {
    let dir = tempfile::tempdir().unwrap();
    let annotated = write(
        dir.path(),
        "gold.pubtator",
        "7|t|Mutations in SOD1 cause ALS\n7|a|We sequenced SOD1.\n7\t13\t17\tSOD1\tGene\t6647\n\n",
    );
    let pubmed = write(
        dir.path(),
        "pm.xml",
        r#"<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">7</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>1993</Year></PubDate></JournalIssue><Title>Nature</Title><ISOAbbreviation>Nature</ISOAbbreviation></Journal>
<ArticleTitle>Mutations in Cu/Zn superoxide dismutase gene are associated with familial ALS.</ArticleTitle>
<Abstract><AbstractText>Another text.</AbstractText></Abstract></Article>
<MedlineJournalInfo><MedlineTA>Nature</MedlineTA></MedlineJournalInfo></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">8</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>1994</Year></PubDate></JournalIssue><Title>Nature</Title></Journal>
<ArticleTitle>Not in the index.</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"#,
    );
    let ix = dir.path().join("ix");
    index_with(&ix, &["--quiet"], &[&annotated]);
    let out = index_with(&ix, &["--metadata-only"], &[&pubmed]);
    assert!(out.contains("--metadata-only: 1 document skipped"), "{out}");
    assert_eq!(search_ids(&ix, "year:1993"), ["7"]);
    assert!(search_ids(&ix, "year:1994").is_empty());
    assert!(show_pubtator(&ix, "7").starts_with("7|t|Mutations in SOD1 cause ALS\n"));
    // Without the flag, PubMed XML over an annotated text keeps that text too (precedence)
    // but adds the document the index lacked.
    let out = index_with(&ix, &[], &[&pubmed]);
    assert!(!out.contains("text replaced"), "{out}");
    assert_eq!(search_ids(&ix, "year:1994"), ["8"]);
    assert!(show_pubtator(&ix, "7").starts_with("7|t|Mutations in SOD1 cause ALS\n"));
}

#[test]
fn inputs_that_differ_by_extension_are_two_sources_and_dry_run_shows_names() {
    let dir = tempfile::tempdir().unwrap();
    let body = "5|t|BRAF in melanoma\n5|a|Text.\n5\t0\t4\tBRAF\tGene\t673\n5\tAssociation\t673\tD008545\n\n";
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    write(&d, "x.pubtator", body);
    write(&d, "x.txt", body);
    write(&d, "y.pubtator", "6|t|Other\n6|a|Text.\n\n");
    let ix = dir.path().join("ix");
    let mut c = ptsearch(&ix);
    c.args(["index", "--dry-run"]).arg(&d);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\tpubtator\tx.pubtator\n"), "{out}");
    assert!(out.contains("\tpubtator\tx.txt\n"), "{out}");
    assert!(out.contains("\tpubtator\ty\n"), "{out}");
    assert!(!ix.exists(), "a dry run creates no index");
    index_with(&ix, &["--quiet"], &[&d]);
    let s = stats(&ix);
    let names: Vec<&str> = s["per_source"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["x.pubtator", "x.txt", "y"]);
    // The relation both sources give counts once, like the annotation.
    assert_eq!(s["relations"]["Association"], 1, "{s}");
    assert_eq!(s["annotations"]["Gene"], 1, "{s}");
}

#[test]
fn replace_reports_the_layers_it_drops_and_normal_runs_leave_no_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.pubtator",
        "1|t|BRAF\n1|a|x\n1\t0\t4\tBRAF\tGene\t673\n\n",
    );
    let b = write(dir.path(), "b.pubtator", "1|t|BRAF\n1|a|x\n\n");
    let ix = dir.path().join("ix");
    index_with(&ix, &["--quiet"], &[&a]);
    let out = index_with(&ix, &["--replace"], &[&b]);
    assert!(
        out.contains("--replace dropped 1 layer of other sources (1 annotation) from 1 document"),
        "{out}"
    );
    for _ in 0..3 {
        index_with(&ix, &["--quiet"], &[&a, &b]);
    }
    let mut c = ptsearch(&ix);
    c.args(["check", "--format", "json"]);
    let (_, out, err) = run(c);
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
    assert_eq!(report["orphan_files"], serde_json::json!([]), "{report}");
}

#[test]
fn sources_lists_counts_and_renames_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "Train.PubTator",
        "1|t|BRAF\n1|a|x\n1\t0\t4\tBRAF\tGene\t673\n\n2|t|KRAS and NRAS\n2|a|y\n2\t0\t4\tKRAS\tGene\t3845\n2\t9\t13\tNRAS\tGene\t4893\n2\tAssociation\t3845\t4893\n\n",
    );
    let ix = dir.path().join("ix");
    index_with(&ix, &["--quiet", "--ids", "local"], &[&a]);
    let list = || {
        let mut c = ptsearch(&ix);
        c.arg("sources");
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        out
    };
    assert_eq!(
        list(),
        "source\tdocuments\tannotations\trelations\tids\nTrain\t2\t3\t1\tlocal\n"
    );
    let mut c = ptsearch(&ix);
    c.args(["sources", "rename", "Train", "biored/Train"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("in 2 documents"), "{err}");
    // The declaration of local IDs follows the new name.
    assert_eq!(
        list(),
        "source\tdocuments\tannotations\trelations\tids\nbiored/Train\t2\t3\t1\tlocal\n"
    );
    assert_eq!(search_ids(&ix, "source:biored/Train").len(), 2);
    assert!(search_ids(&ix, "source:Train").is_empty());
    // Renaming onto a name in use, or a name the index lacks, is refused with a reason.
    for (old, new, why) in [
        ("biored/Train", "biored/Train2", ""),
        ("nope", "x", "no source named 'nope'"),
    ] {
        let mut c = ptsearch(&ix);
        c.args(["sources", "rename", old, new]);
        let (code, _, err) = run(c);
        if why.is_empty() {
            assert_eq!(code, 0, "{err}");
        } else {
            assert_ne!(code, 0);
            assert!(err.contains(why), "{err}");
        }
    }
}

#[test]
fn a_discontinuous_mention_is_one_annotation_with_several_spans_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let input = crate::util::data("interop/discontinuous.bioc.xml");
    let text = std::fs::read_to_string(&input).unwrap();
    // Counted from the file: annotation elements, and the locations of the one with two
    // separate pieces.
    let elements = text.matches("<annotation ").count() as u64;
    let ix = dir.path().join("ix");
    index_with(&ix, &["--quiet"], &[&input]);
    let s = stats(&ix);
    assert_eq!(s["annotations"]["Gene"], elements, "{s}");
    assert_eq!(search_ids(&ix, "gene:843"), ["88"]);
    let jsonl = export_all(&ix);
    let doc: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    let casp10 = &doc["annotations"][0];
    assert_eq!(casp10["text"], "caspase-10");
    assert_eq!(
        (casp10["start"].as_u64(), casp10["end"].as_u64()),
        (Some(0), Some(7))
    );
    assert_eq!(
        casp10["more"],
        serde_json::json!([{"passage": 0, "start": 14, "end": 17}])
    );
    assert!(doc["annotations"][1].get("more").is_none());
    // BioC XML out has both locations of the one annotation, and reads back as one.
    let mut c = ptsearch(&ix);
    c.args(["export", "--format", "biocxml"]);
    let (code, xml, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(
        xml.contains(r#"<location offset="0" length="7"/><location offset="14" length="3"/><text>caspase-10</text>"#),
        "{xml}"
    );
    let again = dir.path().join("again.xml");
    std::fs::write(&again, xml).unwrap();
    let ix2 = dir.path().join("ix2");
    index_with(&ix2, &["--quiet"], &[&again]);
    assert_eq!(stats(&ix2)["annotations"]["Gene"], elements);
    // Highlights mark both pieces of it.
    let mut c = ptsearch(&ix);
    c.args(["search", "gene:843", "--format", "json"]);
    let (_, out, _) = run(c);
    let hit: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let pieces: Vec<&str> = hit["data"]["spans"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["entity_id"] == "843")
        .filter_map(|h| h["text"].as_str())
        .collect();
    assert_eq!(pieces, ["caspase", "-10"], "{hit}");
}
