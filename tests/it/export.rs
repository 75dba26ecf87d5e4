//! BioC XML / BioC JSON / Quickwit NDJSON exports: the writers of `ptsearch::output` on
//! PubTator fixtures and the BioRED corpus (read back with our own BioC readers, checked
//! against the BioRED BioC originals, loaded with the python `bioc` package), and the
//! `ptsearch export` command end to end.

use crate::util::*;
use ptsearch::interop::{read_bioc_json, read_bioc_xml, Item};
use ptsearch::interop::{BiocJsonWriter, BiocXmlWriter};
use ptsearch::output::quickwit::{write_quickwit_ndjson, FIELDS};
use ptsearch::pubtator::{parse_document, Annotation, DocReader, Document, PassageKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// `../shared/corpora/biored/*.PubTator`, or nothing (with a note) when absent.
fn biored_files(test: &str) -> Vec<PathBuf> {
    let Some(shared) = shared_corpora(test) else {
        return Vec::new();
    };
    let files: Vec<PathBuf> = ["Test", "Dev", "Train"]
        .iter()
        .map(|n| shared.join(format!("biored/{n}.PubTator")))
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        eprintln!("SKIPPED part of {test}: ../shared/corpora/biored has no *.PubTator");
    }
    files
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
        Item::Document(d) => docs.push(d),
        Item::Problem { line, message } => problems.push(format!("line {line}: {message}")),
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

#[test]
fn bioc_exports_of_fixtures_read_back_equal_up_to_documented_losses() {
    for path in fixture_files() {
        let docs = pubtator_docs(&path);
        let t = check_file(&docs, &path.display().to_string());
        eprintln!("{}: {t:?}", path.display());
    }
}

#[test]
fn bioc_exports_of_biored_read_back_equal_up_to_documented_losses() {
    for path in biored_files("bioc_exports_of_biored_read_back_equal") {
        let docs = pubtator_docs(&path);
        assert!(docs.len() >= 100, "{}", path.display());
        let t = check_file(&docs, &path.display().to_string());
        eprintln!("{}: {t:?}", path.display());
        // BioRED offsets are clean: every annotation keeps its exact span.
        assert_eq!(t.other, 0, "{}: {t:?}", path.display());
    }
}

#[test]
fn bioc_exports_of_other_corpora_read_back_equal_up_to_documented_losses() {
    let test = "bioc_exports_of_other_corpora_read_back_equal";
    let Some(shared) = shared_corpora(test) else {
        return;
    };
    // Corpora with byte offsets, shifted offsets, tool output, full texts and tmVar IDs.
    let files = [
        "bc5cdr_tool_output/TestSet.DNorm.PubTator.txt",
        "bc5cdr_tool_output/TestSet.tmChem.PubTator.txt",
        "ncbi_disease/NCBItestset_corpus.txt",
        "tmvar_normalization/tmVar.Normalization.txt",
        "pubtator3_netmedex/22429397_full_240916.pubtator",
        "pubtator3_netmedex/variant_relation_extraction.pubtator",
        "aioner/GNormPlus_Test.PubTator",
        "aioner/tmVar3_Test.PubTator",
    ];
    let mut total = Tally::default();
    for f in files {
        let path = shared.join(f);
        if !path.is_file() {
            eprintln!("SKIPPED part of {test}: {} absent", path.display());
            continue;
        }
        let docs = pubtator_docs(&path);
        let t = check_file(&docs, f);
        eprintln!("{f}: {t:?}");
        total.documents += t.documents;
        total.exact += t.exact;
        total.other += t.other;
    }
    eprintln!("total: {total:?}");
}

#[test]
fn hard_cases_follow_the_documented_mapping() {
    let docs = pubtator_docs(&hard_cases());
    assert_eq!(docs.len(), 5);
    let t = check_file(&docs, "hard_cases");
    // Per format: loose BRAF, ghost, the boundary-crossing mention, IL6.
    assert_eq!((t.documents, t.other), (10, 8), "{t:?}");
    let xml = String::from_utf8(to_xml(&docs)).unwrap();
    for want in [
        // Specials escaped; extra columns as infons; unresolved at its file offsets.
        "<text>BRAF &amp; &lt;MEK&gt; in \"melanoma\".</text>",
        "<infon key=\"ptsearch_extra_1\">x1</infon><infon key=\"ptsearch_extra_2\">x2</infon>",
        "<infon key=\"ptsearch_unresolved\">true</infon><location offset=\"200\" length=\"5\"/><text>ghost</text>",
        // Spans are written where they are: the loose BRAF at "braf", the byte offsets in chars.
        "<location offset=\"48\" length=\"4\"/><text>BRAF</text>",
        "<location offset=\"8\" length=\"11\"/><text>α-synuclein</text>",
        // Offsets continue over records: Intro 0, "" 6, Methods 7, abstract 25, Only 54.
        "<offset>54</offset><text>Only a title record with TNF</text>",
        // IL6 (90..93 in the third record, which is 28 chars long) is unresolved.
        "<location offset=\"90\" length=\"3\"/><text>IL6</text>",
        // Relation arguments verbatim; a node only for arguments an annotation carries.
        "<infon key=\"entity1\">p|SUB|V|600|E;CorrespondingGene:673</infon><infon key=\"entity2\">D008545</infon><node refid=\"T4\" role=\"Arg1\"/></relation>",
        "<infon key=\"novel\">Novel</infon><node refid=\"T7\" role=\"Arg1\"/><node refid=\"T0\" role=\"Arg2\"/>",
        "<text>Lewy\u{FFFD}bodies.</text>",
    ] {
        assert!(xml.contains(want), "{want} not in\n{xml}");
    }
    let (back, _) = read_bioc(xml.as_bytes(), false);
    let ghost = back[0]
        .annotations
        .iter()
        .find(|a| a.mention == "ghost")
        .unwrap();
    assert_eq!(
        (ghost.block, ghost.start, ghost.end, ghost.span),
        (0, 200, 205, None)
    );
    // The loose BRAF comes back on the nearest exact "BRAF" (abstract chars 36..40).
    let braf: Vec<_> = back[0]
        .annotations
        .iter()
        .filter(|a| a.mention == "BRAF")
        .collect();
    assert_eq!(
        braf[1].span.map(|s| (s.passage, s.start, s.end)),
        Some((1, 36, 40))
    );
    // Repaired byte offsets come back as chars.
    let syn = &back[2].annotations[0];
    assert_eq!((syn.start, syn.end), (8, 19));
}

/// A document with annotations sorted, for comparing documents whose annotation order is
/// allowed to differ.
fn sorted(mut d: Document) -> Document {
    d.annotations.sort_by_key(|a| {
        (
            a.span.map(|s| (s.passage, s.start, s.end)),
            a.start,
            format!("{a:?}"),
        )
    });
    d
}

#[test]
fn biored_export_matches_the_biored_bioc_originals() {
    let test = "biored_export_matches_the_biored_bioc_originals";
    let Some(shared) = shared_corpora(test) else {
        return;
    };
    let pairs = [
        ("biored/Test.PubTator", "bioc/Test.BioC.XML", false),
        ("biored/Test.PubTator", "bioc/Test.BioC.JSON", true),
        ("biored/Dev.PubTator", "bioc/Dev.BioC.XML", false),
    ];
    for (pubtator, original, json) in pairs {
        let (pubtator, original) = (shared.join(pubtator), shared.join(original));
        if !pubtator.is_file() || !original.is_file() {
            eprintln!(
                "SKIPPED part of {test}: {} or {} absent",
                pubtator.display(),
                original.display()
            );
            continue;
        }
        let docs = pubtator_docs(&pubtator);
        let bytes = if json { to_json(&docs) } else { to_xml(&docs) };
        let (ours, _) = read_bioc(&bytes, json);
        let (theirs, problems) = read_bioc(&std::fs::read(&original).unwrap(), json);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ours.len(), theirs.len(), "{}", original.display());
        let theirs: BTreeMap<String, Document> = theirs
            .into_iter()
            .map(|d| (d.id.clone(), sorted(d)))
            .collect();
        for d in ours {
            let Some(t) = theirs.get(&d.id) else {
                panic!("{}: document {} missing", original.display(), d.id);
            };
            let mut d = sorted(d);
            if json {
                // BioRED's JSON passages carry no infons at all: no sections there.
                for p in &mut d.passages {
                    p.section = None;
                }
            }
            assert_eq!(&d, t, "{}: document {}", original.display(), d.id);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Quickwit: every line against schema/quickwit-index.yaml.

/// The doc mapping as written: `mode` and `(name, [(key, value)])` per field mapping, read
/// from the YAML's `field_mappings` list (a small reader for the subset that file uses).
struct Mapping {
    mode: Option<String>,
    fields: Vec<(String, BTreeMap<String, String>)>,
}

fn read_mapping(yaml: &str) -> Mapping {
    let mut mode = None;
    let mut fields: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut list_indent: Option<usize> = None;
    for line in yaml.lines() {
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(li) = list_indent {
            if indent < li || (indent == li && !content.starts_with("- ")) {
                list_indent = None;
            }
        }
        if content == "field_mappings:" {
            list_indent = Some(indent);
            continue;
        }
        if list_indent.is_none() {
            if let Some(m) = content.strip_prefix("mode:") {
                mode = Some(m.trim().to_string());
            }
            continue;
        }
        let (entry, body) = match content.strip_prefix("- ") {
            Some(b) => (true, b),
            None => (false, content),
        };
        let Some((k, v)) = body.split_once(':') else {
            panic!("unexpected YAML line in field_mappings: {line}");
        };
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if entry {
            assert_eq!(k, "name", "a field mapping must start with name: {line}");
            fields.push((v, BTreeMap::new()));
        } else if let Some((_, opts)) = fields.last_mut() {
            opts.insert(k, v);
        }
    }
    Mapping { mode, fields }
}

fn quickwit_mapping() -> Mapping {
    let yaml = std::fs::read_to_string(root().join("schema/quickwit-index.yaml")).unwrap();
    let m = read_mapping(&yaml);
    assert_eq!(
        m.mode.as_deref(),
        Some("strict"),
        "the mapping must reject unknown fields"
    );
    let names: Vec<&str> = m.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names, FIELDS,
        "schema/quickwit-index.yaml and output::quickwit::FIELDS"
    );
    for (name, opts) in &m.fields {
        assert!(opts.contains_key("type"), "{name} has no type");
        if opts.get("indexed").is_some_and(|v| v == "false") {
            for k in ["tokenizer", "record", "fieldnorms"] {
                assert!(
                    !opts.contains_key(k),
                    "{name}: Quickwit refuses {k} when not indexed"
                );
            }
        }
    }
    m
}

/// Quickwit's raw tokenizer keeps a value as one term; tantivy skips terms over this size.
const MAX_TERM_BYTES: usize = 65_530;

/// Checks one NDJSON line against the mapping: every field declared, of a compatible type,
/// and present (every field is required: the writer always writes all of them); `id`, when
/// declared, is not empty.
fn check_quickwit_line(m: &Mapping, line: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
    let obj = v.as_object().ok_or("not an object")?;
    if let Some(k) = obj.keys().find(|k| !m.fields.iter().any(|(n, _)| n == *k)) {
        return Err(format!("undeclared field {k}"));
    }
    for (name, opts) in &m.fields {
        let value = obj.get(name).ok_or(format!("missing field {name}"))?;
        let ty = opts.get("type").map_or("", String::as_str);
        let raw = opts.get("tokenizer").is_some_and(|t| t == "raw");
        let scalar_ok = |x: &Value, base: &str| match base {
            "text" => Ok(x
                .as_str()
                .is_some_and(|s| !raw || s.len() <= MAX_TERM_BYTES)),
            "json" => Ok(x.is_object()),
            "u64" => Ok(x.is_u64()),
            "i64" => Ok(x.is_i64()),
            "f64" => Ok(x.is_number()),
            "bool" => Ok(x.is_boolean()),
            other => Err(format!("the test does not know type {other}")),
        };
        let ok = match ty.strip_prefix("array<").and_then(|t| t.strip_suffix('>')) {
            Some(base) => match value.as_array() {
                Some(a) => a
                    .iter()
                    .map(|x| scalar_ok(x, base))
                    .collect::<Result<Vec<bool>, _>>()?
                    .into_iter()
                    .all(|b| b),
                None => false,
            },
            None => scalar_ok(value, ty)?,
        };
        if !ok {
            return Err(format!("field {name} is not a {ty}: {value}"));
        }
    }
    let declares_id = m.fields.iter().any(|(n, _)| n == "id");
    if declares_id && obj["id"].as_str().is_none_or(str::is_empty) {
        return Err("empty id".to_string());
    }
    Ok(())
}

fn quickwit_lines(docs: &[Document]) -> String {
    let mut out = Vec::new();
    for d in docs {
        write_quickwit_ndjson(&mut out, d).unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn quickwit_lines_match_the_quickwit_mapping() {
    let m = quickwit_mapping();
    let mut files = fixture_files();
    files.extend(biored_files("quickwit_lines_match_the_quickwit_mapping"));
    for path in files {
        let docs = pubtator_docs(&path);
        let text = quickwit_lines(&docs);
        assert_eq!(text.lines().count(), docs.len(), "{}", path.display());
        for (i, (line, d)) in text.lines().zip(&docs).enumerate() {
            let at = format!("{} line {}", path.display(), i + 1);
            check_quickwit_line(&m, line).unwrap_or_else(|e| panic!("{at}: {e}"));
            let v: Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["id"], d.id.as_str(), "{at}");
            assert_eq!(
                v["annotations"].as_array().map(Vec::len),
                Some(d.annotations.len()),
                "{at}"
            );
            assert_eq!(v["title"], d.title(), "{at}");
        }
    }
}

#[test]
fn the_mapping_reader_sees_what_quickwit_would() {
    let m = read_mapping(
        "version: 0.8\ndoc_mapping:\n  mode: strict\n  field_mappings:\n    # c\n    - name: a\n      type: text\n\n    - name: b\n      type: array<json>\n      indexed: false\n  timestamp_field: null\nsearch_settings:\n  default_search_fields: [a]\n",
    );
    assert_eq!(m.mode.as_deref(), Some("strict"));
    let got: Vec<(&str, &str)> = m
        .fields
        .iter()
        .map(|(n, o)| (n.as_str(), o["type"].as_str()))
        .collect();
    assert_eq!(got, [("a", "text"), ("b", "array<json>")]);
    assert!(!m.fields[1].1.contains_key("timestamp_field"));
    assert_eq!(
        check_quickwit_line(&m, r#"{"a":"x","b":[{"k":1}]}"#),
        Ok(())
    );
    for (bad, why) in [
        (r#"{"a":"x","b":[1]}"#, "field b is not a array<json>: [1]"),
        (r#"{"a":"x","b":{}}"#, "field b is not a array<json>: {}"),
        (r#"{"a":["x"],"b":[]}"#, "field a is not a text: [\"x\"]"),
        (r#"{"a":"x","b":[],"c":1}"#, "undeclared field c"),
        (r#"{"b":[]}"#, "missing field a"),
    ] {
        assert_eq!(check_quickwit_line(&m, bad), Err(why.to_string()), "{bad}");
    }
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

#[test]
fn export_command_writes_bioc_and_quickwit_of_fixtures() {
    let (_dir, _, docs) = export_all(&clean_fixtures());
    assert!(
        docs.iter().any(|d| d.passages.len() > 2),
        "a multi-record document is exported"
    );
}

/// Values of a field over the NDJSON lines: value → IDs of the documents holding it.
fn postings(nd: &str, field: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in nd.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap_or_default().to_string();
        for x in v[field].as_array().into_iter().flatten() {
            out.entry(x.as_str().unwrap_or_default().to_string())
                .or_default()
                .insert(id.clone());
        }
    }
    out
}

/// Every `n`-th item, at most `max`.
fn sample<T: Clone>(items: &[T], max: usize) -> Vec<T> {
    let step = (items.len() / max.max(1)).max(1);
    items.iter().step_by(step).take(max).cloned().collect()
}

#[test]
fn export_command_on_biored_and_the_documented_query_mapping() {
    let test = "export_command_on_biored_and_the_documented_query_mapping";
    let Some(test_set) = biored_files(test).into_iter().next() else {
        return;
    };
    let (dir, _, docs) = export_all(&[test_set]);
    assert_eq!(docs.len(), 100);
    let index = dir.path().join("index");
    let nd = std::fs::read_to_string(dir.path().join("export.ndjson")).unwrap();

    // The YAML says `gene:5133` → entity:"gene:5133": the documents holding an entity term
    // in the NDJSON are the hits of the ptsearch query it stands for.
    let entities = postings(&nd, "entity");
    let typed: Vec<(&String, &BTreeSet<String>)> = entities
        .iter()
        .filter(|(t, _)| {
            t.split_once(':').is_some_and(|(ty, id)| {
                ["gene", "disease", "chemical", "species"].contains(&ty)
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == ':')
            })
        })
        .collect();
    assert!(typed.len() > 50);
    for (term, want) in sample(&typed, 15) {
        let got: BTreeSet<String> = search_ids(&index, term).into_iter().collect();
        assert_eq!(&got, want, "query {term}");
    }

    // rel:key|a|b → relation:"key|i:a|i:b".
    let relations = postings(&nd, "relation");
    let by_id: Vec<(String, &BTreeSet<String>)> = relations
        .iter()
        .filter_map(|(t, ids)| {
            let mut parts = t.split('|');
            let (k, a, b) = (parts.next()?, parts.next()?, parts.next()?);
            let plain = |x: &str| {
                x.strip_prefix("i:")
                    .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric() || c == ':'))
                    .map(str::to_string)
            };
            (parts.next().is_none() && k != "any")
                .then(|| Some((format!("rel:{k}|{}|{}", plain(a)?, plain(b)?), ids)))?
        })
        .collect();
    assert!(by_id.len() > 20);
    for (query, want) in sample(&by_id, 10) {
        let got: BTreeSet<String> = search_ids(&index, &query).into_iter().collect();
        assert_eq!(&got, want, "query {query}");
    }
}

// ---------------------------------------------------------------------------------------------
// The python `bioc` package.

/// Counts (documents, passages, annotations, relations) of documents.
fn counts(docs: &[Document]) -> [usize; 4] {
    [
        docs.len(),
        docs.iter().map(|d| d.passages.len()).sum(),
        docs.iter().map(|d| d.annotations.len()).sum(),
        docs.iter().map(|d| d.relations.len()).sum(),
    ]
}

/// Annotations whose written location does not hold their mention: what `bioc.validate`
/// reports (the writer locates exact spans only at their text).
fn inexact(docs: &[Document]) -> usize {
    docs.iter()
        .map(|d| d.annotations.iter().filter(|a| !exact_span(d, a)).count())
        .sum()
}

#[test]
fn exports_load_in_the_python_bioc_package() {
    let test = "exports_load_in_the_python_bioc_package";
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED {test}: python3 is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // (file, counts, inexact annotations) written by the library...
    let mut expected: Vec<(PathBuf, [usize; 4], usize)> = Vec::new();
    let mut sources = fixture_files();
    sources.extend(biored_files(test));
    for (i, path) in sources.iter().enumerate() {
        let docs = pubtator_docs(path);
        for (ext, bytes) in [("xml", to_xml(&docs)), ("json", to_json(&docs))] {
            let out = dir.path().join(format!("{i}.{ext}"));
            std::fs::write(&out, bytes).unwrap();
            expected.push((out, counts(&docs), inexact(&docs)));
        }
    }
    // ... and by `ptsearch export`.
    let (_keep, exported, docs) = export_all(&clean_fixtures());
    for p in exported {
        expected.push((p, counts(&docs), inexact(&docs)));
    }

    let script = root().join("scripts/check-bioc-exports.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg("--validate")
        .args(expected.iter().map(|(p, _, _)| p))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(77) {
        eprintln!("SKIPPED {test}: cannot install the bioc package (offline?): {stderr}");
        return;
    }
    assert!(
        out.status.success(),
        "bioc failed to load an export:\n{stdout}\n{stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (line, (path, want, bad)) in lines.iter().zip(&expected) {
        let fields: BTreeMap<&str, &str> = line
            .split('\t')
            .skip(1)
            .filter_map(|f| f.split_once('='))
            .collect();
        assert!(line.starts_with(&*path.to_string_lossy()), "{line}");
        let n = |k: &str| fields.get(k).and_then(|v| v.parse::<usize>().ok());
        let got = [
            n("documents"),
            n("passages"),
            n("annotations"),
            n("relations"),
        ];
        assert_eq!(got, want.map(Some), "{line}");
        assert_eq!(n("validation_problems"), Some(*bad), "{line}\n{stderr}");
    }
    eprintln!("{stdout}");
}
