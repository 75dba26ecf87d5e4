//! Tests over every real BioC sample in `../shared/corpora/bioc` (when absent: a failure under
//! `CI=true`, a skip reported on stderr otherwise, see `crate::test_support`):
//! counts from a tiny independent scan of each file against what the readers produced, every
//! span matching its mention, and the same documents in PubTator format agreeing exactly.

use super::*;
use crate::pubtator::{parse_document, DocReader};
use std::path::{Path, PathBuf};

/// `../shared/corpora/bioc`, or `None` once reported missing for `test`.
fn dir(test: &str) -> Option<PathBuf> {
    crate::test_support::shared_path(test, "bioc")
}

/// What a reader produced for one file.
#[derive(Default)]
pub(super) struct Read {
    pub docs: Vec<Document>,
    pub problems: Vec<(u64, String)>,
    pub stats: BiocStats,
}

pub(super) fn read_file(path: &Path) -> Read {
    let bytes = std::fs::read(path).unwrap();
    let mut out = Read::default();
    let mut stats = BiocStats::default();
    let mut on = |i: Item| match i {
        Item::Document(d) => out.docs.push(*d),
        Item::Problem { line, message } => out.problems.push((line, message)),
        Item::Homologene(_) => {}
    };
    let r = match detect(&bytes) {
        Some(InputFormat::BiocXml) => read_bioc_xml_with_stats(&bytes[..], &mut on, &mut stats),
        Some(InputFormat::BiocJson) => read_bioc_json_with_stats(&bytes[..], &mut on, &mut stats),
        other => panic!("{}: detected {other:?}", path.display()),
    };
    r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out.stats = stats;
    out
}

/// Independent expected counts: documents, passages, annotations after splitting,
/// annotations dropped (no type or no location), relations (kept + dropped).
#[derive(Debug, Default, PartialEq, Clone, Copy)]
struct Counts {
    docs: usize,
    passages: usize,
    annotations: usize,
    dropped: usize,
    relations: usize,
}

/// Annotation → kept or dropped, from its locations and whether it is typed (a discontinuous
/// one is one annotation with several spans).
fn expect_annotation(typed: bool, locs: &[(i64, i64)], c: &mut Counts) {
    if !typed || locs.is_empty() {
        c.dropped += 1;
    } else {
        c.annotations += 1;
    }
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let i = s.find(a)? + a.len();
    Some(&s[i..i + s[i..].find(b)?])
}

/// Counts tags in BioC XML text (fine for these small, regular samples).
fn count_xml(s: &str) -> Counts {
    let mut c = Counts {
        docs: s.matches("<document>").count(),
        passages: s.matches("<passage>").count(),
        relations: s.matches("<relation ").count() + s.matches("<relation>").count(),
        ..Counts::default()
    };
    for chunk in s.split("<annotation").skip(1) {
        let body = &chunk[..chunk.find("</annotation>").unwrap_or(chunk.len())];
        let locs: Vec<(i64, i64)> = body
            .split("<location")
            .skip(1)
            .map(|l| {
                let n = |k: &str| {
                    between(l, &format!("{k}=\""), "\"")
                        .unwrap()
                        .parse()
                        .unwrap()
                };
                (n("offset"), n("length"))
            })
            .collect();
        expect_annotation(body.contains("key=\"type\""), &locs, &mut c);
    }
    c
}

fn count_json(v: &serde_json::Value, c: &mut Counts) {
    use serde_json::Value;
    let arr = |o: &serde_json::Map<String, Value>, k: &str| -> Vec<Value> {
        o.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let ann = |a: &Value, c: &mut Counts| {
        let typed = a["infons"]["type"].is_string();
        let locs: Vec<(i64, i64)> = a["locations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| (l["offset"].as_i64().unwrap(), l["length"].as_i64().unwrap()))
            .collect();
        expect_annotation(typed, &locs, c);
    };
    match v {
        Value::Array(items) => items.iter().for_each(|x| count_json(x, c)),
        Value::Object(o) if o.contains_key("documents") => count_json(&o["documents"], c),
        Value::Object(o) if o.contains_key("PubTator3") => count_json(&o["PubTator3"], c),
        Value::Object(o) if o.contains_key("id") => {
            c.docs += 1;
            c.relations += arr(o, "relations").len();
            arr(o, "annotations").iter().for_each(|a| ann(a, c));
            for p in arr(o, "passages") {
                let p = p.as_object().unwrap();
                c.passages += 1;
                c.relations += arr(p, "relations").len();
                arr(p, "annotations").iter().for_each(|a| ann(a, c));
                for s in arr(p, "sentences") {
                    let s = s.as_object().unwrap();
                    c.relations += arr(s, "relations").len();
                    arr(s, "annotations").iter().for_each(|a| ann(a, c));
                }
            }
        }
        _ => {}
    }
}

/// chars `s..e` of `text`.
fn chars(text: &str, s: u64, e: u64) -> Option<String> {
    let n = text.chars().count() as u64;
    (s <= e && e <= n).then(|| {
        text.chars()
            .skip(s as usize)
            .take((e - s) as usize)
            .collect()
    })
}

/// The text PubTator offsets of `block` count in: `title + " " + abstract`.
fn record_text(d: &Document, block: u32) -> String {
    let texts: Vec<&str> = d
        .passages
        .iter()
        .filter(|p| p.block == block)
        .map(|p| p.text.as_str())
        .collect();
    texts.join(" ")
}

#[test]
fn every_sample_matches_an_independent_count_and_spans_match_mentions() {
    let Some(dir) = dir("every_sample_matches_an_independent_count_and_spans_match_mentions")
    else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut seen = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "README.md" || name.ends_with(".txt") {
            continue;
        }
        seen += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let read = read_file(&path);
        let mut want = Counts::default();
        if detect(text.as_bytes()) == Some(InputFormat::BiocXml) {
            want = count_xml(&text);
        } else {
            count_json(&serde_json::from_str(&text).unwrap(), &mut want);
        }
        let rel_dropped = read
            .problems
            .iter()
            .filter(|p| p.1.contains(": relation "))
            .count();
        let ann_dropped = read
            .problems
            .iter()
            .filter(|p| p.1.contains(": annotation ") && p.1.ends_with("dropped"))
            .count();
        let got = Counts {
            docs: read.docs.len(),
            passages: read.docs.iter().map(|d| d.passages.len()).sum(),
            annotations: read.docs.iter().map(|d| d.annotations.len()).sum(),
            dropped: ann_dropped,
            relations: read.docs.iter().map(|d| d.relations.len()).sum::<usize>() + rel_dropped,
        };
        assert_eq!(got, want, "{name}: {:?}", read.problems);
        let mut spans = 0;
        for d in &read.docs {
            for a in &d.annotations {
                let Some(sp) = a.span else { continue };
                spans += 1;
                let p = &d.passages[sp.passage as usize];
                let piece = |s: crate::pubtator::Span| {
                    let p = &d.passages[s.passage as usize];
                    chars(&p.text, s.start as u64, s.end as u64).unwrap_or_default()
                };
                if !a.more.is_empty() {
                    // Each piece of a discontinuous mention is part of its text.
                    for s in a.spans() {
                        assert!(a.mention.contains(piece(s).trim()), "{name} {}", d.id);
                    }
                    continue;
                }
                assert_eq!(
                    chars(&p.text, sp.start as u64, sp.end as u64).as_deref(),
                    Some(a.mention.as_str()),
                    "{name} {}",
                    d.id
                );
                assert_eq!(p.block, a.block, "{name} {}", d.id);
                let rec = record_text(d, a.block);
                assert_eq!(
                    chars(&rec, a.start, a.end).as_deref(),
                    Some(a.mention.as_str()),
                    "{name} {} export offsets",
                    d.id
                );
            }
        }
        let total: u64 = read.stats.rules.iter().sum();
        let r = &read.stats.rules;
        eprintln!(
            "{name}: docs {} passages {} annotations {} (+{} split) relations {} kept {}, problems {} | exact {} utf8 {} utf16 {} nearest {} unresolved {} passage-relative {} | spans {spans}/{total}",
            got.docs, got.passages, got.annotations, read.stats.split_locations, got.relations, got.relations - rel_dropped,
            read.problems.len(), r[0], r[1], r[2], r[4], r[5], read.stats.passage_relative
        );
        let by_design = ["abbr", "everything", "bionlplab"]
            .iter()
            .any(|p| name.starts_with(p));
        if !by_design {
            assert_eq!(r[0], total, "{name}: every offset is exact");
        }
    }
    assert!(seen >= 30, "only {seen} samples");
}

#[test]
fn readme_counts_of_the_main_samples() {
    let Some(dir) = dir("readme_counts_of_the_main_samples") else {
        return;
    };
    // (file, documents, passages, annotation elements, relation elements) from the README.
    let table = [
        ("Test.BioC.XML", 100, 200, 3535, 1163),
        ("Dev.BioC.XML", 100, 200, 3533, 1162),
        ("Test.BioC.JSON", 100, 200, 3535, 1163),
        ("PMtask_Relations_TestSet.xml", 635, 1270, 1465, 869),
        ("batch_0.xml", 100, 597, 2493, 0),
        ("litcovid2pubtator.json.sample", 97, 1595, 4175, 0),
        ("s41586-023-05755-9.xml.BioC.XML", 1, 3, 574, 0),
        ("ex2", 1, 81, 0, 0),
    ];
    for (name, docs, passages, anns, rels) in table {
        let read = read_file(&dir.join(name));
        assert_eq!(read.docs.len(), docs, "{name}");
        assert_eq!(
            read.docs.iter().map(|d| d.passages.len()).sum::<usize>(),
            passages,
            "{name}"
        );
        // A discontinuous annotation is one annotation; the README counts elements.
        let elements = read
            .docs
            .iter()
            .map(|d| d.annotations.len() as u64)
            .sum::<u64>();
        assert_eq!(elements, anns, "{name}");
        assert_eq!(
            read.docs.iter().map(|d| d.relations.len()).sum::<usize>(),
            rels,
            "{name}"
        );
    }
}

/// Parses a PubTator file with the crate's own parser.
fn pubtator_docs(path: &Path) -> Vec<Document> {
    let mut reader = DocReader::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut out = Vec::new();
    while let Some(lines) = reader.next_doc().unwrap() {
        out.extend(parse_document(&lines.lines()).document);
    }
    out
}

fn assert_same(bioc: &[Document], pubtator: &[Document], what: &str) {
    assert_eq!(bioc.len(), pubtator.len(), "{what}");
    for (b, p) in bioc.iter().zip(pubtator) {
        assert_eq!(b.id, p.id, "{what}");
        let texts = |d: &Document| {
            d.passages
                .iter()
                .map(|x| (x.kind, x.block, x.text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(b), texts(p), "{what} {}", b.id);
        let anns = |d: &Document| {
            let mut v: Vec<_> = d
                .annotations
                .iter()
                .map(|a| {
                    (
                        a.block,
                        a.start,
                        a.end,
                        a.mention.clone(),
                        a.raw_type.clone(),
                        a.raw_id.clone(),
                        a.span,
                    )
                })
                .collect();
            v.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
            v
        };
        assert_eq!(anns(b), anns(p), "{what} {}", b.id);
        // PubTator relation lines carry no argument types; PubTator3's BioC roles do.
        assert_eq!(
            super::fixture_tests::untyped(&b.relations),
            super::fixture_tests::untyped(&p.relations),
            "{what} {}",
            b.id
        );
    }
}

#[test]
fn bioc_and_pubtator_versions_of_the_same_documents_agree() {
    let Some(dir) = dir("bioc_and_pubtator_versions_of_the_same_documents_agree") else {
        return;
    };
    let pairs = [
        ("pubtator3.33333140.xml", dir.join("pubtator3.33333140.txt")),
        ("Test.BioC.XML", dir.join("../biored/Test.PubTator")),
        ("Test.BioC.JSON", dir.join("../biored/Test.PubTator")),
        ("Dev.BioC.XML", dir.join("../biored/Dev.PubTator")),
    ];
    for (bioc, pubtator) in pairs {
        if !pubtator.exists() {
            crate::test_support::missing(
                "bioc_and_pubtator_versions_of_the_same_documents_agree",
                &format!("{} is missing", pubtator.display()),
            );
            continue;
        }
        assert_same(
            &read_file(&dir.join(bioc)).docs,
            &pubtator_docs(&pubtator),
            bioc,
        );
    }
}

#[test]
fn every_sample_document_exports_as_valid_pubtator() {
    let Some(dir) = dir("every_sample_document_exports_as_valid_pubtator") else {
        return;
    };
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name == "README.md" || name.ends_with(".txt") {
            continue;
        }
        for d in read_file(&entry.path()).docs {
            super::fixture_tests::assert_exports_cleanly(&d, &name);
        }
    }
}
