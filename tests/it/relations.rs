//! Relations and entities as answers: `ptsearch relations` against relation partners counted
//! by this file's own reader over BioRED and BC5CDR, `ptsearch entity` for an ID, facet lines
//! that paste back as clauses, and autocomplete ranking.
//!
//! The reader: a document's annotations give each ID (split on `,` `;` `|` but tmVar IDs kept
//! whole, bare MeSH `D…`/`C…` read as `MESH:…`) the canonical type of its first annotation; a relation line
//! `PMID TYPE A B [novelty]` relates A and B both ways; a row is (relation type, partner type,
//! partner ID) and counts the documents with at least one such line.

use crate::util::{data, index_files, ptsearch, run, search_ids, shared_corpora};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// (relation type, partner type, partner ID) → documents.
type Rows = BTreeMap<(String, String, String), BTreeSet<String>>;

fn canonical(raw: &str) -> &'static str {
    match raw.to_ascii_lowercase().as_str() {
        "gene" | "geneorgeneproduct" => "Gene",
        "disease" | "diseaseorphenotypicfeature" => "Disease",
        "chemical" | "chemicalentity" => "Chemical",
        "species" | "organismtaxon" => "Species",
        "sequencevariant" | "variant" | "dnamutation" | "proteinmutation" | "snp" => "Variant",
        "cellline" => "CellLine",
        _ => "",
    }
}

fn norm(id: &str) -> String {
    let id = id.trim();
    let b = id.as_bytes();
    if b.len() >= 7 && (b[0] == b'D' || b[0] == b'C') && b[1..].iter().all(u8::is_ascii_digit) {
        format!("MESH:{id}")
    } else {
        id.to_string()
    }
}

/// The IDs of an ID column: split on `,` `;` and `|`, except tmVar IDs (`p|SUB|V|600|E`),
/// which stay whole.
fn split(column: &str) -> Vec<&str> {
    column
        .split([',', ';'])
        .flat_map(|part| {
            let b = part.trim().as_bytes();
            if b.len() > 2 && b[1] == b'|' && b[0].is_ascii_lowercase() {
                vec![part]
            } else {
                part.split('|').collect()
            }
        })
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "-")
        .collect()
}

/// Per document: ID → type, and the relation lines (type, a, b).
struct Doc {
    types: HashMap<String, &'static str>,
    relations: Vec<(String, String, String)>,
}

fn read_docs(path: &Path) -> BTreeMap<String, Doc> {
    let text = std::fs::read_to_string(path).expect("corpus file");
    let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let doc = docs.entry(cols[0].to_string()).or_insert_with(|| Doc {
            types: HashMap::new(),
            relations: Vec::new(),
        });
        let is_int = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if cols.len() >= 6 && is_int(cols[1]) && is_int(cols[2]) {
            let t = canonical(cols[4]);
            for id in split(cols[5]) {
                doc.types.entry(norm(id)).or_insert(t);
            }
        } else if (cols.len() == 4 || cols.len() == 5) && !is_int(cols[1]) {
            doc.relations
                .push((cols[1].to_string(), norm(cols[2]), norm(cols[3])));
        }
    }
    docs
}

/// The rows of `(entity_type, id)` over `docs`.
fn partners(docs: &BTreeMap<String, Doc>, entity_type: &str, id: &str) -> Rows {
    let mut rows = Rows::new();
    for (pmid, d) in docs {
        for (rel, a, b) in &d.relations {
            for (mine, other) in [(a, b), (b, a)] {
                if mine == id && d.types.get(mine).copied() == Some(entity_type) {
                    let ot = d.types.get(other).copied().unwrap_or("");
                    rows.entry((rel.clone(), ot.to_string(), other.clone()))
                        .or_default()
                        .insert(pmid.clone());
                }
            }
        }
    }
    rows
}

/// The rows `ptsearch relations` prints as JSON (`--all`).
fn ptsearch_rows(
    index: &Path,
    entity: &str,
    extra: &[&str],
) -> BTreeMap<(String, String, String), u64> {
    let mut c = ptsearch(index);
    c.args(["relations", entity, "--all", "--format", "json"])
        .args(extra);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "relations {entity}: {err}");
    let mut rows = BTreeMap::new();
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        if v["type"] != "partner" {
            continue;
        }
        let d = &v["data"];
        let key = (
            d["type"].as_str().unwrap().to_string(),
            d["target"]["type"].as_str().unwrap().to_string(),
            d["target"]["id"].as_str().unwrap().to_string(),
        );
        assert_eq!(
            d["ids"].as_array().unwrap().len() as u64,
            d["documents"].as_u64().unwrap(),
            "--all lists every evidence document"
        );
        *rows.entry(key).or_default() += d["documents"].as_u64().unwrap();
    }
    rows
}

#[test]
fn relation_partners_equal_an_independent_count_on_biored_and_bc5cdr() {
    let Some(root) = shared_corpora("relation_partners_equal_an_independent_count") else {
        return;
    };
    for file in [
        "biored/Train.PubTator",
        "bc5cdr/CDR_TrainingSet.PubTator.txt",
    ] {
        let path = root.join(file);
        let docs = read_docs(&path);
        let dir = tempfile::tempdir().unwrap();
        index_files(dir.path(), &[&path]);
        // The most related entities of each type.
        let mut freq: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
        for d in docs.values() {
            for (_, a, b) in &d.relations {
                for x in [a, b] {
                    if let Some(t) = d.types.get(x).filter(|t| !t.is_empty()) {
                        *freq.entry((t, x.clone())).or_default() += 1;
                    }
                }
            }
        }
        let mut picked: Vec<(&'static str, String)> = Vec::new();
        for t in ["Gene", "Disease", "Chemical", "Variant"] {
            let mut of_type: Vec<_> = freq.iter().filter(|((ft, _), _)| *ft == t).collect();
            of_type.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            picked.extend(of_type.iter().take(2).map(|(k, _)| (*k).clone()));
        }
        assert!(picked.len() >= 4, "{file}: {picked:?}");
        for (t, id) in &picked {
            let entity = format!("{}:{id}", t.to_lowercase());
            let want = partners(&docs, t, id);
            let count = |rows: &Rows| -> BTreeMap<(String, String, String), u64> {
                rows.iter()
                    .map(|(k, v)| (k.clone(), v.len() as u64))
                    .collect()
            };
            assert_eq!(
                ptsearch_rows(dir.path(), &entity, &[]),
                count(&want),
                "{file} {entity}"
            );
            // One relation type, one partner type.
            let (rel, ptype, _) = want.keys().next().expect("a partner").clone();
            let only_rel: Rows = want
                .iter()
                .filter(|(k, _)| k.0.eq_ignore_ascii_case(&rel))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            assert_eq!(
                ptsearch_rows(dir.path(), &entity, &["--type", &rel]),
                count(&only_rel),
                "{file} {entity} --type {rel}"
            );
            if !ptype.is_empty() {
                let only_type: Rows = want
                    .iter()
                    .filter(|(k, _)| k.1 == ptype)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                assert_eq!(
                    ptsearch_rows(dir.path(), &entity, &["--partner-type", &ptype]),
                    count(&only_type),
                    "{file} {entity} --partner-type {ptype}"
                );
            }
        }
    }
}

#[test]
fn nephrotoxicity_has_its_chemical_relation_partners_first() {
    let Some(root) = shared_corpora("nephrotoxicity_has_its_chemical_relation_partners") else {
        return;
    };
    let path = root.join("bc5cdr/CDR_TrainingSet.PubTator.txt");
    let docs = read_docs(&path);
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&path]);
    // Nephrotoxicity: MeSH D007674 (Kidney Diseases) is written for it in BC5CDR.
    let want = partners(&docs, "Disease", "MESH:D007674");
    let best = want
        .iter()
        .filter(|(k, _)| k.1 == "Chemical")
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
        .map(|(k, v)| (k.2.clone(), v.len() as u64))
        .expect("chemical partners");
    let mut c = ptsearch(dir.path());
    c.args([
        "relations",
        "disease:MESH:D007674",
        "--partner-type",
        "Chemical",
        "--format",
        "json",
        "-n",
        "1",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["data"]["target"]["id"], best.0.as_str());
    assert_eq!(first["data"]["documents"], best.1);
    assert!(first["data"]["name"].is_string(), "{first}");
}

#[test]
fn entity_shows_an_id_with_its_name_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("ranking.pubtator")]);
    let text = std::fs::read_to_string(data("ranking.pubtator")).unwrap();
    // Documents annotated with Gene 5133 and its mention forms, read from the file.
    let mut docs = BTreeSet::new();
    let mut forms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 6 && cols[5] == "5133" {
            docs.insert(cols[0].to_string());
            forms
                .entry(cols[3].to_string())
                .or_default()
                .insert(cols[0].to_string());
        }
    }
    let top = forms
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
        .map(|(f, _)| f.clone())
        .unwrap();
    let mut c = ptsearch(dir.path());
    c.args(["entity", "5133", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["type"], "Gene");
    assert_eq!(v["id"], "5133");
    assert_eq!(v["documents"], docs.len() as u64);
    assert_eq!(v["name"], top.as_str());
    let listed: BTreeSet<String> = v["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, forms.keys().cloned().collect());
    // The ID is not its own co-mention.
    for f in v["co_mentioned"].as_array().unwrap() {
        if f["type"] == "Gene" {
            assert!(f["top"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["id"] != "5133"));
        }
    }
    // An unknown ID: exit 1 and a hint.
    let mut c = ptsearch(dir.path());
    c.args(["entity", "99999999"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 1);
    assert!(err.contains("no document is annotated"), "{err}");
    // `entities` finds the ID too.
    let mut c = ptsearch(dir.path());
    c.args(["entities", "5133"]);
    let (_, out, _) = run(c);
    assert!(out.lines().next().unwrap_or("").contains("5133"), "{out}");
}

#[test]
fn facet_lines_paste_back_as_clauses() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("ranking.pubtator")]);
    let query = "cancer";
    let mut c = ptsearch(dir.path());
    c.args(["search", query, "--facets", "-n", "0", "--color", "never"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let mut checked = 0;
    for line in out.lines().filter(|l| l.starts_with("  ")) {
        let mut parts = line.split_whitespace();
        let (Some(n), Some(clause)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<usize>() else { continue };
        if !clause.contains(':') || clause.starts_with('█') {
            continue;
        }
        let hits = search_ids(dir.path(), &format!("{query} {clause}"));
        assert_eq!(hits.len(), n, "{clause}");
        checked += 1;
    }
    assert!(checked >= 3, "{out}");
}

#[test]
fn autocomplete_ranks_the_entity_most_written_that_way_first() {
    let Some(root) = shared_corpora("autocomplete_ranks_the_entity_most_written_that_way") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let aioner = root.join("aioner");
    index_files(dir.path(), &[&aioner]);
    // Independently: per (type, ID), the documents with a mention whose letters and digits
    // (lower case) start with "pd1", and whether one equals it.
    let mut linked: BTreeMap<(String, String), (bool, BTreeSet<String>)> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&aioner)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "PubTator"))
        .collect();
    files.sort();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 6 || cols[5].trim().is_empty() || cols[5] == "-" {
                continue;
            }
            let key: String = cols[3]
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            let t = canonical(cols[4]);
            if key.starts_with("pd1") && !t.is_empty() {
                for id in split(cols[5]) {
                    let e = linked.entry((t.to_string(), norm(id))).or_default();
                    e.0 |= key == "pd1";
                    e.1.insert(cols[0].to_string());
                }
            }
        }
    }
    let best = linked
        .iter()
        .max_by(|a, b| (a.1 .0, a.1 .1.len()).cmp(&(b.1 .0, b.1 .1.len())))
        .map(|(k, _)| k.clone())
        .expect("mentions starting with PD-1");
    let mut c = ptsearch(dir.path());
    c.args(["entities", "pd-1", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(
        (
            first["type"].as_str().unwrap(),
            first["id"].as_str().unwrap()
        ),
        (best.0.as_str(), best.1.as_str()),
        "{out}"
    );
    assert_eq!(best, ("Gene".to_string(), "5133".to_string()));
}

/// PubTator3's verbs and the relation types of the same meaning in BioRED/BC5CDR, as the README
/// documents them for `rel:` (written here from that table, not from the code).
const VERB_TYPES: [(&str, &[&str]); 2] = [
    ("treat", &["Negative_Correlation"]),
    ("cause", &["Positive_Correlation", "CID"]),
];

#[test]
fn relations_type_takes_pubtator3_verbs_like_rel() {
    let Some(root) = shared_corpora("relations_type_takes_pubtator3_verbs_like_rel") else {
        return;
    };
    let path = root.join("biored/Train.PubTator");
    let docs = read_docs(&path);
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&path]);
    // Cisplatin is MeSH D002945 in BioRED.
    let want = partners(&docs, "Chemical", "MESH:D002945");
    for (verb, types) in VERB_TYPES {
        let expected: BTreeMap<(String, String, String), u64> = want
            .iter()
            .filter(|(k, _)| types.contains(&k.0.as_str()))
            .map(|(k, v)| (k.clone(), v.len() as u64))
            .collect();
        assert!(
            !expected.is_empty(),
            "BioRED relates cisplatin by {types:?}"
        );
        for entity in ["chemical:cisplatin", "chemical:MESH:D002945"] {
            assert_eq!(
                ptsearch_rows(dir.path(), entity, &["--type", verb]),
                expected,
                "{entity} --type {verb}"
            );
        }
        // The note says how the verb was read.
        let mut c = ptsearch(dir.path());
        c.args(["relations", "chemical:cisplatin", "--type", verb]);
        let (code, _, err) = run(c);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(types[0]), "{verb}: {err}");
    }
}

#[test]
fn entities_without_a_match_say_so() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("ranking.pubtator")]);
    let text = std::fs::read_to_string(data("ranking.pubtator")).unwrap();
    assert!(!text.to_lowercase().contains("xyzzy"));
    for format in ["text", "json"] {
        let mut c = ptsearch(dir.path());
        c.args(["entities", "xyzzy", "--format", format]);
        let (code, out, err) = run(c);
        assert_eq!(code, 1);
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("starting with 'xyzzy'"), "{format}: {err}");
    }
}
