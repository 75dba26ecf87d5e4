//! PubTator3 bulk TSV files (`bioconcepts2pubtator3`, `gene2pubtator3.gz`, `relation2pubtator3`,
//! legacy `disease2pubtator`): rows attach to indexed documents or make entity-only ones, in any
//! order, idempotently. Expectations are counted here from the fixture files.

use crate::util::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

const TEXTS: &str = "bulk/texts.pubtator";
const BULK: [&str; 4] = [
    "bulk/bioconcepts2pubtator3",
    "bulk/relation2pubtator3",
    "bulk/disease2pubtator",
    "bulk/gene2pubtator3.gz",
];

fn bulk_paths() -> Vec<PathBuf> {
    BULK.iter().map(|b| data(b)).collect()
}

fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .unwrap();
        s
    } else {
        String::from_utf8(bytes).unwrap()
    }
}

/// What the fixtures hold, counted without ptsearch: text document IDs, and from the bulk
/// files the valid rows' PMIDs, concepts per type (one per PMID, type and ID list; an
/// unnormalized one per mention list), distinct relations, and PMIDs per resource.
#[derive(Default)]
struct Expected {
    text_ids: BTreeSet<String>,
    text_relations: u64,
    text_annotations: u64,
    pmids: BTreeSet<String>,
    concepts: BTreeMap<String, BTreeSet<(String, String)>>,
    relations: BTreeSet<(String, String, String, String)>,
    by_resource: BTreeMap<String, BTreeSet<String>>,
}

fn canonical(t: &str) -> String {
    match t {
        "Mutation" | "DNAMutation" | "ProteinMutation" | "SNP" => "Variant".into(),
        other => other.into(),
    }
}

fn expected() -> Expected {
    let mut e = Expected::default();
    for line in read_text(&data(TEXTS)).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if let Some((id, _)) = line.split_once("|t|") {
            e.text_ids.insert(id.to_string());
        } else if cols.len() == 4 {
            e.text_relations += 1;
        } else if cols.len() == 6 {
            e.text_annotations += 1;
        }
    }
    for path in bulk_paths() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let legacy = name.starts_with("disease2pubtator") && !name.contains("pubtator3");
        for line in read_text(&path).lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            let pmid = cols[0];
            if pmid == "PMID" || !pmid.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            if name.starts_with("relation") {
                if cols.len() != 4 {
                    continue;
                }
                e.pmids.insert(pmid.into());
                let id = |c: &str| c.split_once('|').unwrap().1.to_string();
                e.relations
                    .insert((pmid.into(), cols[1].into(), id(cols[2]), id(cols[3])));
                continue;
            }
            let (t, ids, mentions, resources) = if legacy {
                ("Disease".to_string(), cols[1], cols[2], cols[3])
            } else {
                (canonical(cols[1]), cols[2], cols[3], cols[4])
            };
            e.pmids.insert(pmid.into());
            // Bare MeSH IDs are normalized to MESH:...
            let ids = if ids.starts_with('D') {
                format!("MESH:{ids}")
            } else {
                ids.to_string()
            };
            let key = if ids == "-" {
                format!("{pmid} - {mentions}")
            } else {
                format!("{pmid} {ids}")
            };
            e.concepts
                .entry(t)
                .or_default()
                .insert((key, String::new()));
            for r in resources.split('|') {
                e.by_resource
                    .entry(r.to_lowercase())
                    .or_default()
                    .insert(pmid.into());
            }
        }
    }
    e
}

fn sum(st: &serde_json::Value, key: &str) -> u64 {
    st[key]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum()
}

/// Every document as JSON Lines, in ID order.
fn export_jsonl(index: &Path) -> String {
    let mut c = ptsearch(index);
    c.args(["export", "--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn bulk_rows_attach_to_texts_and_make_entity_only_documents() {
    let e = expected();
    let dir = tempfile::tempdir().unwrap();
    let mut c = ptsearch(dir.path());
    c.arg("index").arg(data(TEXTS)).args(bulk_paths());
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    // Bad rows are named by file and line; the good ones are kept.
    assert!(err.contains("bioconcepts2pubtator3:10:"), "{err}");
    assert!(err.contains("relation2pubtator3:6:"), "{err}");

    let st = stats(dir.path());
    let all: BTreeSet<&String> = e.text_ids.iter().chain(&e.pmids).collect();
    assert_eq!(st["documents"], all.len() as u64);
    for (t, set) in &e.concepts {
        assert_eq!(st["concepts"][t], set.len() as u64, "concepts of type {t}");
    }
    assert_eq!(
        sum(&st, "concepts"),
        e.concepts.values().map(|s| s.len() as u64).sum::<u64>()
    );
    assert_eq!(
        sum(&st, "relations"),
        e.text_relations + e.relations.len() as u64
    );
    // Annotations are the text's only (concepts are counted apart).
    assert_eq!(sum(&st, "annotations"), e.text_annotations);

    // Entity-only documents: IDs with bulk rows and no text.
    let entity_only: Vec<&String> = e.pmids.difference(&e.text_ids).collect();
    let jsonl = export_jsonl(dir.path());
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        let has_text = !v["passages"].as_array().unwrap().is_empty();
        assert_eq!(has_text, !entity_only.contains(&&id), "{id}");
    }
}

#[test]
fn bulk_concepts_answer_entity_resource_type_and_relation_queries() {
    let e = expected();
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = vec![data(TEXTS)];
    inputs.extend(bulk_paths());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    index_files(dir.path(), &refs);

    for (resource, pmids) in &e.by_resource {
        let mut got = search_ids(dir.path(), &format!("resource:{resource}"));
        got.sort();
        let want: Vec<String> = pmids.iter().cloned().collect();
        assert_eq!(got, want, "resource:{resource}");
    }
    // The second gene of a `;`-joined row, a gene only in the gzip file, a legacy disease.
    assert_eq!(search_ids(dir.path(), "gene:1757"), ["100"]);
    assert_eq!(search_ids(dir.path(), "gene:3630"), ["105"]);
    assert_eq!(search_ids(dir.path(), "disease:D003920"), ["105"]);
    // A tmVar concept ID and its parts.
    assert_eq!(search_ids(dir.path(), "variant:HGVS:p.V600E"), ["103"]);
    assert_eq!(search_ids(dir.path(), "type:Variant"), ["103"]);
    // Mentions of concepts are searchable text of the `mention` field.
    assert_eq!(search_ids(dir.path(), "mention:PDCD1"), ["100"]);
    // Names resolve through concept mentions too.
    assert_eq!(search_ids(dir.path(), "gene:insulin"), ["105"]);
    // Relation rows, typed by the row, order-free, PubTator3 verbs.
    assert_eq!(
        search_ids(dir.path(), "rel:Association|MESH:D015179|5133"),
        ["100"]
    );
    assert_eq!(
        search_ids(dir.path(), "rel:treat|chemical|disease"),
        ["104"]
    );
    // The hit carries the concepts.
    let hits = search_json(dir.path(), &["gene:7157"]);
    let concepts = hits[0]["data"]["concepts"].as_array().unwrap();
    assert!(concepts.iter().any(|c| c["ids"][0] == "7157"
        && c["mentions"] == serde_json::json!(["p53", "TP53"])
        && c["resources"] == serde_json::json!(["gene2pubmed"])));
}

#[test]
fn bulk_files_give_the_same_index_in_any_order_and_when_repeated() {
    let text = data(TEXTS);
    let bulk = bulk_paths();
    let bulk_refs: Vec<&Path> = bulk.iter().map(PathBuf::as_path).collect();

    // Text first, then bulk rows, in one run.
    let a = tempfile::tempdir().unwrap();
    let mut inputs = vec![text.as_path()];
    inputs.extend(&bulk_refs);
    index_files(a.path(), &inputs);
    let reference = export_jsonl(a.path());

    // Bulk rows first (entity-only documents), then the text in a later run: the text
    // keeps the attached concepts and relations.
    let b = tempfile::tempdir().unwrap();
    index_files(b.path(), &bulk_refs);
    index_files(b.path(), &[&text]);
    assert_eq!(
        normalize(&export_jsonl(b.path())),
        normalize(&reference),
        "bulk first, text later"
    );

    // Bulk files indexed again (and a checkpoint every 2 documents) change nothing.
    let mut c = ptsearch(a.path());
    c.args(["index", "--quiet", "--no-resume", "--commit-every", "2"])
        .args(&bulk);
    c.assert().success();
    assert_eq!(export_jsonl(a.path()), reference, "bulk rows indexed twice");
}

/// Concepts and relations of each exported document as sorted sets (their order depends on
/// the order the rows came in).
fn normalize(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            for key in ["concepts", "relations"] {
                if let Some(arr) = v[key].as_array_mut() {
                    arr.sort_by_key(|x| x.to_string());
                }
            }
            v.to_string()
        })
        .collect()
}

#[test]
fn bulk_rows_are_detected_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = ptsearch(dir.path());
    c.args(["index", "--quiet", "-"])
        .write_stdin(read_text(&data("bulk/bioconcepts2pubtator3")));
    c.assert().success();
    let st = stats(dir.path());
    assert_eq!(st["documents"], 3);
    assert_eq!(search_ids(dir.path(), "gene:5133"), ["100"]);
}

#[test]
fn the_shared_legacy_disease2pubtator_sample_matches_an_independent_count() {
    let Some(path) = shared_path(
        "the_shared_legacy_disease2pubtator_sample_matches_an_independent_count",
        "pubtator3_tsv/disease2pubtator.txt",
    ) else {
        return;
    };
    // Counted here: rows split on '\n' then '\t', CR stripped, header skipped.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut pmids = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    let mut mesh_resource = BTreeSet::new();
    let mut repeated_forms = None;
    for line in text.split('\n').skip(1) {
        let cols: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if cols.len() != 4 {
            continue;
        }
        pmids.insert(cols[0].to_string());
        pairs.insert((cols[0].to_string(), cols[1].to_string()));
        if cols[3].split('|').any(|r| r == "MeSH") {
            mesh_resource.insert(cols[0].to_string());
        }
        let forms: Vec<&str> = cols[2].split('|').collect();
        let distinct: BTreeSet<&str> = forms.iter().copied().collect();
        if repeated_forms.is_none() && distinct.len() == 1 && forms.len() > 1 {
            repeated_forms = Some((cols[0].to_string(), forms[0].to_string()));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&path]);
    let st = stats(dir.path());
    assert_eq!(st["documents"], pmids.len() as u64);
    // The two concatenated dumps repeat PMIDs and one (PMID, ID) pair: merged, not doubled.
    assert_eq!(st["concepts"]["Disease"], pairs.len() as u64);
    let mut got = search_ids(dir.path(), "resource:mesh");
    got.sort();
    assert_eq!(got, mesh_resource.into_iter().collect::<Vec<_>>());
    // A mention repeated once per occurrence is kept once.
    let (pmid, form) = repeated_forms.expect("the sample repeats mention forms");
    let mut c = ptsearch(dir.path());
    c.args(["show", &pmid, "--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let concepts = v["concepts"].as_array().unwrap();
    assert!(concepts
        .iter()
        .any(|c| c["mentions"] == serde_json::json!([form.clone()])));
}

/// Each document's ID with its sorted concepts and relations, from a JSONL export.
fn concepts_by_doc(jsonl: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let sorted = |v: &serde_json::Value| {
        let mut c: Vec<String> = v
            .as_array()
            .map(|a| a.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default();
        c.sort();
        c
    };
    jsonl
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            // A re-read export is a source of its own: layer names are not compared.
            if let Some(rels) = v["relations"].as_array_mut() {
                for r in rels {
                    if let Some(o) = r.as_object_mut() {
                        o.remove("source");
                    }
                }
            }
            (
                v["id"].as_str().unwrap().to_string(),
                sorted(&v["concepts"]),
                sorted(&v["relations"]),
            )
        })
        .collect()
}

#[test]
fn bulk_concepts_and_relations_survive_bioc_export_and_reindexing() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let mut inputs = vec![data(TEXTS)];
    inputs.extend(bulk_paths());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    index_files(&index, &refs);
    let reference = concepts_by_doc(&export_jsonl(&index));
    assert!(reference.iter().any(|(_, c, _)| !c.is_empty()));
    assert!(reference
        .iter()
        .any(|(_, _, r)| r.iter().any(|x| x.contains("arg_types"))));
    let mut files = Vec::new();
    for format in ["biocxml", "biocjson"] {
        let mut c = ptsearch(&index);
        c.args(["export", "--format", format]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        let file = dir.path().join(format);
        std::fs::write(&file, out).unwrap();
        let again = dir.path().join(format!("{format}-idx"));
        index_files(&again, &[&file]);
        assert_eq!(
            concepts_by_doc(&export_jsonl(&again)),
            reference,
            "{format}"
        );
        files.push(file);
    }
    // The files pass the python `bioc` package's loader and validator.
    let Some(python) = python_with_bioc(
        "bulk_concepts_and_relations_survive_bioc_export_and_reindexing (its python bioc part)",
    ) else {
        return;
    };
    let out = std::process::Command::new(python)
        .arg(root().join("scripts/check-bioc-exports.py"))
        .arg("--validate")
        .args(&files)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout.matches("validation_problems=0").count(),
        2,
        "{stdout}"
    );
}
