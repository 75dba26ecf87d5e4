//! BioC XML / BioC JSON / Quickwit NDJSON exports: the writers of `ptsearch::output` on
//! PubTator fixtures and the BioRED corpus (read back with our own BioC readers, checked
//! against the BioRED BioC originals, loaded with the python `bioc` package), and the
//! `ptsearch export` command end to end.

use crate::util::*;
use ptsearch::interop::{read_bioc_json, read_bioc_xml, Item};
use ptsearch::interop::{BiocJsonWriter, BiocXmlWriter};
use ptsearch::output::quickwit::{write_quickwit_ndjson, FIELDS, OPTIONAL_FIELDS};
use ptsearch::pubtator::{parse_document, Annotation, DocReader, Document, PassageKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod bioc;
mod command;
mod python_bioc;
pub mod quickwit;

use quickwit::{check_quickwit_line, quickwit_mapping};

// ---------------------------------------------------------------------------------------------
// Inputs.

/// Documents of a PubTator file, parsed by the crate's own parser.
fn pubtator_docs(path: &Path) -> Vec<Document> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pubtator_docs_from(std::io::BufReader::new(file))
}

fn pubtator_docs_from<R: std::io::BufRead>(r: R) -> Vec<Document> {
    let mut reader = DocReader::new(r);
    let mut out = Vec::new();
    while let Some(lines) = reader.next_doc().unwrap() {
        out.extend(parse_document(&lines.lines()).document);
    }
    out
}

/// Every PubTator fixture in tests/data and tests/data/export.
fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["tests/data", "tests/data/export"]
        .iter()
        .filter_map(|d| std::fs::read_dir(root().join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pubtator"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "fixtures missing: {files:?}");
    assert!(files.contains(&hard_cases()), "{files:?}");
    files
}

/// Every annotation and passage shape the BioC mapping distinguishes.
fn hard_cases() -> PathBuf {
    data("export/hard_cases.pubtator")
}

/// `../shared/corpora/biored/{Test,Dev,Train}.PubTator`; each one absent is reported through
/// [`shared_path`] (a failure under CI, a skip otherwise) and left out.
fn biored_files(test: &str) -> Vec<PathBuf> {
    if shared_corpora(test).is_none() {
        return Vec::new();
    }
    ["Test", "Dev", "Train"]
        .iter()
        .filter_map(|n| shared_path(test, &format!("biored/{n}.PubTator")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Writing and reading back.

fn to_xml(docs: &[Document]) -> Vec<u8> {
    let mut w = BiocXmlWriter::new(Vec::new(), "ptsearch test").unwrap();
    for d in docs {
        w.write_document(d).unwrap();
    }
    w.finish().unwrap()
}

fn to_json(docs: &[Document]) -> Vec<u8> {
    let mut w = BiocJsonWriter::new(Vec::new(), "ptsearch test").unwrap();
    for d in docs {
        w.write_document(d).unwrap();
    }
    w.finish().unwrap()
}

/// Reads BioC with our readers; the problems are returned as messages.
fn read_bioc(bytes: &[u8], json: bool) -> (Vec<Document>, Vec<String>) {
    let (mut docs, mut problems) = (Vec::new(), Vec::new());
    let mut on = |i| match i {
        Item::Document(d) => docs.push(*d),
        Item::Problem { line, message } => problems.push(format!("line {line}: {message}")),
        Item::Homologene(_) => {}
    };
    let r = if json {
        read_bioc_json(bytes, &mut on)
    } else {
        read_bioc_xml(bytes, &mut on)
    };
    r.unwrap_or_else(|e| panic!("our reader rejects our export: {e}"));
    (docs, problems)
}

// ---------------------------------------------------------------------------------------------
// The documented losses (src/output/bioc.rs, "Losses"), as an oracle.

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

/// A passage text as read back: one line, and in XML the chars XML 1.0 cannot hold as U+FFFD.
fn passage_text(s: &str, xml: bool) -> String {
    let s = one_line(s);
    if !xml {
        return s;
    }
    s.chars()
        .map(|c| {
            let ok = c == '\t'
                || c == '\n'
                || c == '\r'
                || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
            if ok {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect()
}

fn trimmed(s: &str) -> String {
    one_line(s.trim())
}

fn chars(s: &str, start: u32, end: u32) -> Option<String> {
    let (s0, e0) = (start as usize, end as usize);
    (s0 <= e0 && e0 <= s.chars().count()).then(|| s.chars().skip(s0).take(e0 - s0).collect())
}

/// True when the annotation's span holds exactly its mention (the reader keeps such spans).
fn exact_span(doc: &Document, a: &Annotation) -> bool {
    a.span.is_some_and(|s| {
        doc.passages
            .get(s.passage as usize)
            .and_then(|p| chars(&p.text, s.start, s.end))
            .is_some_and(|t| t == a.mention)
    })
}

/// (mention, type, id) as our reader gives them back.
fn key(a: &Annotation) -> (String, String, Option<String>) {
    (
        one_line(&a.mention),
        trimmed(&a.raw_type),
        a.raw_id.as_deref().map(trimmed).filter(|s| !s.is_empty()),
    )
}

/// What a re-read annotation with an exact span must be.
fn expected_exact(doc: &Document, a: &Annotation) -> Annotation {
    let s = a.span.unwrap_or_else(|| unreachable!());
    let (block, shift) = if doc.passages.len() == 2 {
        let title = doc.passages[0].text.chars().count() as u64;
        (0, if s.passage == 1 { title + 1 } else { 0 })
    } else {
        (s.passage, 0)
    };
    let (mention, raw_type, raw_id) = key(a);
    Annotation {
        block,
        start: u64::from(s.start) + shift,
        end: u64::from(s.end) + shift,
        mention,
        raw_type,
        raw_id,
        extra: Vec::new(),
        span: Some(s),
        more: Vec::new(),
    }
}

#[derive(Default, Debug)]
struct Tally {
    documents: usize,
    exact: usize,
    other: usize,
}

/// Asserts that `back` (read from BioC XML when `xml`, else JSON) is `orig` up to the
/// documented losses.
fn assert_round_trip(orig: &Document, back: &Document, xml: bool, what: &str, tally: &mut Tally) {
    let at = format!("{what}: document {}", orig.id);
    assert_eq!(back.id, orig.id, "{at}");
    assert_eq!(back.passages.len(), orig.passages.len(), "{at}: passages");
    let n = orig.passages.len();
    for (i, (b, o)) in back.passages.iter().zip(&orig.passages).enumerate() {
        assert_eq!(b.text, passage_text(&o.text, xml), "{at}: passage {i} text");
        let kind = match o.kind {
            PassageKind::Title => "title",
            PassageKind::Abstract => "abstract",
        };
        let section = o.section.as_deref().map_or(kind.to_string(), trimmed);
        assert_eq!(
            b.section.as_deref(),
            Some(section.as_str()),
            "{at}: passage {i} section"
        );
        let (kind, block) = match (n, i) {
            (2, 0) => (PassageKind::Title, 0),
            (2, _) => (PassageKind::Abstract, 0),
            _ => (PassageKind::Title, i as u32),
        };
        assert_eq!(
            (b.kind, b.block),
            (kind, block),
            "{at}: passage {i} kind/block"
        );
    }

    assert_eq!(
        back.annotations.len(),
        orig.annotations.len(),
        "{at}: annotation count"
    );
    let mut rest: Vec<&Annotation> = back.annotations.iter().collect();
    let mut others = Vec::new();
    for a in &orig.annotations {
        if exact_span(orig, a) {
            let want = expected_exact(orig, a);
            let Some(i) = rest.iter().position(|b| **b == want) else {
                panic!("{at}: {want:?} not read back; got {:?}", back.annotations);
            };
            rest.swap_remove(i);
            tally.exact += 1;
        } else {
            others.push(key(a));
            tally.other += 1;
        }
    }
    // Annotations without an exact span: same mentions, types and IDs.
    let mut got: Vec<_> = rest.iter().map(|b| key(b)).collect();
    got.sort();
    others.sort();
    assert_eq!(got, others, "{at}: annotations without exact span");
    // Any span the reader gives holds the mention.
    for b in &back.annotations {
        if let Some(s) = b.span {
            let text = &back.passages[s.passage as usize].text;
            assert_eq!(
                chars(text, s.start, s.end).as_deref(),
                Some(b.mention.as_str()),
                "{at}"
            );
        }
    }

    let rels: Vec<(String, [String; 2], Option<String>)> = orig
        .relations
        .iter()
        .map(|r| {
            (
                trimmed(&r.rel_type),
                [trimmed(&r.args[0]), trimmed(&r.args[1])],
                r.novelty.as_deref().map(trimmed).filter(|s| !s.is_empty()),
            )
        })
        .collect();
    let back_rels: Vec<_> = back
        .relations
        .iter()
        .map(|r| (r.rel_type.clone(), r.args.clone(), r.novelty.clone()))
        .collect();
    assert_eq!(back_rels, rels, "{at}: relations");
    tally.documents += 1;
}

fn check_file(docs: &[Document], what: &str) -> Tally {
    let mut tally = Tally::default();
    for json in [false, true] {
        let bytes = if json { to_json(docs) } else { to_xml(docs) };
        let (back, problems) = read_bioc(&bytes, json);
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert_eq!(back.len(), docs.len(), "{what}: documents");
        let what = format!("{what} ({})", if json { "json" } else { "xml" });
        for (o, b) in docs.iter().zip(&back) {
            assert_round_trip(o, b, !json, &what, &mut tally);
        }
    }
    tally
}

// ---------------------------------------------------------------------------------------------
// `ptsearch export` end to end.

fn export(index: &Path, format: &str, query: Option<&str>) -> Vec<u8> {
    let mut c = ptsearch(index);
    c.args(["export", "--format", format]);
    if let Some(q) = query {
        c.arg(q);
    }
    let out = c.output().expect("export runs");
    assert!(
        out.status.success(),
        "export --format {format} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Fixtures whose documents index cleanly.
fn clean_fixtures() -> Vec<PathBuf> {
    [
        "seed-31554797.pubtator",
        "passages_same_id.pubtator",
        "utf8_offsets.pubtator",
        "ranking.pubtator",
        "title_only.pubtator",
    ]
    .iter()
    .map(|f| data(f))
    .chain([hard_cases()])
    .collect()
}

/// Indexes `inputs`, exports every format, checks BioC against the PubTator export and every
/// Quickwit line against the mapping; returns the temp dir (kept alive) and the export paths.
fn export_all(inputs: &[PathBuf]) -> (tempfile::TempDir, Vec<PathBuf>, Vec<Document>) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    index_files(&index, &refs);
    let docs = pubtator_docs_from(&export(&index, "pubtator", None)[..]);
    assert!(!docs.is_empty());
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let mut paths = Vec::new();
    for (format, json) in [("biocxml", false), ("biocjson", true)] {
        let bytes = export(&index, format, None);
        let (back, problems) = read_bioc(&bytes, json);
        assert!(problems.is_empty(), "{format}: {problems:?}");
        let back_ids: Vec<&str> = back.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            back_ids, ids,
            "{format}: same documents in the same (ID) order"
        );
        let mut tally = Tally::default();
        for (o, b) in docs.iter().zip(&back) {
            assert_round_trip(o, b, !json, format, &mut tally);
        }
        let path = dir.path().join(format!("export.{format}"));
        std::fs::write(&path, &bytes).unwrap();
        paths.push(path);
    }
    let m = quickwit_mapping();
    let nd = String::from_utf8(export(&index, "quickwit-ndjson", None)).unwrap();
    assert_eq!(nd.lines().count(), docs.len());
    for (i, line) in nd.lines().enumerate() {
        check_quickwit_line(&m, line)
            .unwrap_or_else(|e| panic!("quickwit-ndjson line {}: {e}", i + 1));
    }
    std::fs::write(dir.path().join("export.ndjson"), nd).unwrap();
    (dir, paths, docs)
}
