//! The `index`, `stats`, `show` commands and the CLI conventions, on hand-written fixtures.

use crate::util::*;
use std::io::Write;

/// Lines of a fixture that are annotation / relation lines, counted without ptsearch.
fn count_lines(path: &std::path::Path) -> (usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut anns = 0;
    let mut rels = 0;
    for line in text.lines() {
        let cols: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if cols.len() >= 5 && cols[1].parse::<u64>().is_ok() && cols[2].parse::<u64>().is_ok() {
            anns += 1;
        } else if (cols.len() == 4 || cols.len() == 5) && cols[1].parse::<i64>().is_err() {
            rels += 1;
        }
    }
    (anns, rels)
}

#[test]
fn seed_document_keeps_its_21_annotations_and_3_relations() {
    let dir = tempfile::tempdir().unwrap();
    let seed = data("seed-31554797.pubtator");
    index_files(dir.path(), &[&seed]);
    let mut c = ptsearch(dir.path());
    c.args(["show", "31554797", "--format", "json"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let anns = v["document"]["annotations"].as_array().unwrap();
    let file = std::fs::read_to_string(&seed).unwrap();
    let expected: Vec<Vec<&str>> = file
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() == 6)
        .collect();
    assert_eq!(anns.len(), 21);
    assert_eq!(expected.len(), 21);
    let title_chars = v["title"].as_str().unwrap().chars().count() as u64;
    for (a, e) in anns.iter().zip(&expected) {
        // Character offsets within the passage: the abstract's start after the title and a
        // space, as PubTator counts them.
        let start = a["start"].as_u64().unwrap()
            + if a["passage"] == 1 {
                title_chars + 1
            } else {
                0
            };
        assert_eq!(start.to_string(), e[1]);
        assert_eq!(a["text"], e[3]);
        assert_eq!(a["subtype"], e[4]);
        assert_eq!(a["ids"][0], e[5]);
    }
    let rels = v["document"]["relations"].as_array().unwrap();
    let expected_rels: Vec<Vec<&str>> = file
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() == 4)
        .collect();
    assert_eq!(rels.len(), 3);
    for (r, e) in rels.iter().zip(&expected_rels) {
        assert_eq!(r["type"], e[1]);
        assert_eq!(r["args"][0], e[2]);
        assert_eq!(r["args"][1], e[3]);
    }
    // Every span text equals the title/abstract slice in characters.
    let title: Vec<char> = v["title"].as_str().unwrap().chars().collect();
    let abs: Vec<char> = v["abstract"].as_str().unwrap().chars().collect();
    for s in v["spans"].as_array().unwrap() {
        let text = if s["field"] == "title" { &title } else { &abs };
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[a..b].iter().collect::<String>(),
            s["text"].as_str().unwrap()
        );
    }
    let st = stats(dir.path());
    assert_eq!(st["documents"], 1);
    assert_eq!(st["annotations"]["Gene"], 15);
    assert_eq!(st["annotations"]["Disease"], 5);
    assert_eq!(st["annotations"]["CellLine"], 1);
    assert_eq!(st["relations"]["Negative_Correlation"], 2);
    assert_eq!(st["distinct_ids"]["Gene"], 4);
}

#[test]
fn every_fixture_is_counted_like_an_independent_line_count() {
    for name in [
        "crlf.pubtator",
        "bom_header_no_final_newline.pubtator",
        "ranking.pubtator",
        "tokenizer.pubtator",
        "utf8_offsets.pubtator",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = data(name);
        index_files(dir.path(), &[&path]);
        let text = std::fs::read_to_string(&path).unwrap();
        let docs = text
            .lines()
            .filter(|l| l.trim_start_matches('\u{feff}').contains("|t|"))
            .count();
        let (anns, rels) = count_lines(&path);
        let st = stats(dir.path());
        assert_eq!(st["documents"], docs as u64, "{name}");
        let got: u64 = st["annotations"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(got, anns as u64, "{name}");
        let got: u64 = st["relations"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(got, rels as u64, "{name}");
    }
}

#[test]
fn consecutive_records_with_one_id_are_one_document() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("passages_same_id.pubtator")]);
    assert_eq!(stats(dir.path())["documents"], 2);
    let mut c = ptsearch(dir.path());
    c.args(["show", "3201", "--format", "pubtator"]);
    let (_, out, _) = run(c);
    let original = std::fs::read_to_string(data("passages_same_id.pubtator")).unwrap();
    // Passages come back in order with their passage-local offsets.
    let want: Vec<&str> = original
        .lines()
        .filter(|l| l.starts_with("3201") && !l.is_empty())
        .collect();
    let got: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(got, want);
    assert_eq!(search_ids(dir.path(), "worked"), ["3201"]);
    assert_eq!(search_ids(dir.path(), "chemical:D001241"), ["3201"]);
}

#[test]
fn title_only_empty_abstract_and_whole_text_on_title_line() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("title_only.pubtator")]);
    assert_eq!(stats(dir.path())["documents"], 3);
    assert_eq!(search_ids(dir.path(), "insulin"), ["3301", "3303"]);
    assert_eq!(search_ids(dir.path(), "chemical:MESH:D007328"), ["3301"]);
}

#[test]
fn reindexing_an_id_replaces_the_document() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("duplicate_ids.pubtator")]);
    assert_eq!(stats(dir.path())["documents"], 2);
    assert_eq!(search_ids(dir.path(), "second"), ["3501"]);
    assert!(search_ids(dir.path(), "old").is_empty());
    // Indexing the same file again changes nothing.
    index_files(dir.path(), &[&data("duplicate_ids.pubtator")]);
    assert_eq!(stats(dir.path())["documents"], 2);
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_good_documents_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = data("bad_lines.pubtator");
    let mut c = ptsearch(dir.path());
    c.arg("index").arg(&path);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let p = path.display().to_string();
    for (line, reason) in [
        (3, "start offset is not a non-negative integer"),
        (4, "annotation line has 3 columns"),
        (5, "document ID '3602' inside document '3601'"),
        (6, "start offset is after end offset"),
        (7, "relation line has 3 columns"),
        (10, "no title line"),
    ] {
        let want = format!("{p}:{line}: ");
        assert!(
            err.lines()
                .any(|l| l.starts_with(&want) && l.contains(reason)),
            "missing {want}{reason} in:\n{err}"
        );
    }
    assert_eq!(stats(dir.path())["documents"], 2);
    assert_eq!(stats(dir.path())["annotations"]["Gene"], 1);
}

#[test]
fn strict_mode_stops_at_the_first_bad_line_and_commits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = data("bad_lines.pubtator");
    let mut c = ptsearch(dir.path());
    c.args(["index", "--strict"]).arg(&path);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
    assert_eq!(stats(dir.path())["documents"], 0);
}

#[test]
fn gzip_zstd_stdin_and_directories_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let seed = std::fs::read(data("seed-31554797.pubtator")).unwrap();
    let ranking = std::fs::read(data("ranking.pubtator")).unwrap();
    // Two gzip members in one file (like concatenated dumps), named without .gz.
    let mut gz = Vec::new();
    for part in [&seed[..], b"\n", &ranking[..]] {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(part).unwrap();
        gz.extend(e.finish().unwrap());
    }
    std::fs::create_dir(inputs.path().join("sub")).unwrap();
    std::fs::write(inputs.path().join("sub/part1.data"), gz).unwrap();
    let tok = std::fs::read(data("tokenizer.pubtator")).unwrap();
    std::fs::write(
        inputs.path().join("part2.zst"),
        zstd::encode_all(&tok[..], 3).unwrap(),
    )
    .unwrap();
    index_files(dir.path(), &[inputs.path()]);
    let mut c = ptsearch(dir.path());
    c.args(["index", "--quiet", "-"])
        .write_stdin(std::fs::read(data("crlf.pubtator")).unwrap());
    c.assert().success();
    assert_eq!(stats(dir.path())["documents"], 1 + 7 + 6 + 2);
}

#[test]
fn stats_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("ranking.pubtator")]);
    let st = stats(dir.path());
    assert!(st["documents"].is_u64());
    for key in [
        "annotations",
        "concepts",
        "distinct_ids",
        "relations",
        "per_source",
    ] {
        assert!(st[key].is_object(), "{key}");
    }
    assert!(st["multi_source_documents"].is_u64());
    assert_eq!(st["schema_version"], 12);
    assert!(st["sources"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("ranking.pubtator"));
}

#[test]
fn an_index_of_another_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("seed-31554797.pubtator")]);
    std::fs::write(
        dir.path().join("ptsearch.json"),
        r#"{"schema_version": 999, "created_by": "future"}"#,
    )
    .unwrap();
    let mut c = ptsearch(dir.path());
    c.args(["search", "car"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("schema version 999"), "{err}");
}

#[test]
fn missing_index_and_missing_input_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = ptsearch(&dir.path().join("nope"));
    c.args(["search", "x"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("no ptsearch index"), "{err}");
    let mut c = ptsearch(dir.path());
    c.args(["index", "/definitely/not/here.pubtator"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("/definitely/not/here.pubtator"), "{err}");
}

#[test]
fn help_completions_and_man_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = ptsearch(dir.path());
    c.arg("--help");
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("Examples:"));
    for shell in ["bash", "zsh", "fish"] {
        let mut c = ptsearch(dir.path());
        c.args(["completions", shell]);
        let (code, out, _) = run(c);
        assert_eq!(code, 0);
        assert!(out.contains("ptsearch"));
    }
    let mut c = ptsearch(dir.path());
    c.arg("man");
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains(".TH"));
}

/// Distinct IDs per type counted with a plain line split: (type, ID) pairs of the annotation
/// lines of the live version of each document (the last one indexed).
fn distinct_ids_by_lines(texts: &[&str]) -> std::collections::BTreeMap<String, usize> {
    let mut docs: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for text in texts {
        let mut this: std::collections::BTreeMap<String, Vec<(String, String)>> =
            Default::default();
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 6 && !cols[5].is_empty() {
                this.entry(cols[0].to_string())
                    .or_default()
                    .push((cols[4].to_string(), cols[5].to_string()));
            }
        }
        docs.extend(this);
    }
    let pairs: std::collections::BTreeSet<(String, String)> =
        docs.into_values().flatten().collect();
    let mut out = std::collections::BTreeMap::new();
    for (t, _) in pairs {
        *out.entry(t).or_insert(0) += 1;
    }
    out
}

#[test]
fn distinct_ids_count_only_live_documents_after_an_upsert() {
    let first = "1|t|BRCA1 and TP53 in breast cancer\n\
                 1|a|Both genes.\n\
                 1\t0\t5\tBRCA1\tGene\t672\n\
                 1\t10\t14\tTP53\tGene\t7157\n\
                 1\t18\t31\tbreast cancer\tDisease\tMESH:D001943\n\
                 \n\
                 2|t|TP53 alone\n\
                 2|a|Nothing else.\n\
                 2\t0\t4\tTP53\tGene\t7157\n\n";
    // Document 1 replaced: BRCA1 and the disease are gone, EGFR is new.
    let second = "1|t|EGFR and TP53\n\
                  1|a|Both genes.\n\
                  1\t0\t4\tEGFR\tGene\t1956\n\
                  1\t9\t13\tTP53\tGene\t7157\n\n";
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.pubtator");
    let b = dir.path().join("b.pubtator");
    std::fs::write(&a, first).unwrap();
    std::fs::write(&b, second).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&a]);
    let want = distinct_ids_by_lines(&[first]);
    let st = stats(&index);
    for (t, n) in &want {
        assert_eq!(st["distinct_ids"][t], *n as u64, "{t} before the upsert");
    }
    // `--replace`: the newer file replaces the document whole (not as another layer).
    let mut c = ptsearch(&index);
    c.args(["index", "--quiet", "--replace"]).arg(&b);
    c.assert().success();
    let want = distinct_ids_by_lines(&[first, second]);
    assert_eq!(want.get("Disease"), None);
    let st = stats(&index);
    assert_eq!(st["documents"], 2);
    assert_eq!(st["distinct_ids"]["Gene"], want["Gene"] as u64);
    assert!(st["distinct_ids"].get("Disease").is_none(), "{st}");
}
