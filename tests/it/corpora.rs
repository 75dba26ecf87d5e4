//! Tests on the real corpora in `../shared/corpora` (skipped when that directory is absent).
//!
//! Each test compares what the `ptsearch` binary reports (stats, hits, facets, highlight spans)
//! with [`Oracle`], an independent reading of the raw PubTator files written for these tests
//! from the documented rules only: it calls no library code, so both sides can disagree.
//!
//! The rules the oracle implements:
//! * a document starts at a title line `ID|t|`; consecutive records with the same ID are one
//!   document; a later document with an ID seen before replaces it (last wins, across files too);
//! * an annotation line has ≥ 5 tab-separated columns, non-negative integer offsets in columns
//!   2 and 3 and a non-empty type column without `|`; a relation line has 4 or 5 columns and a
//!   non-integer column 2; any other line is dropped;
//! * types are canonicalized case-insensitively, IDs are split on `,` `;` `|` `+`, and `-1`,
//!   `-` and empty parts are dropped; bare MeSH IDs get `MESH:`, `CVCL_x` becomes `CVCL:x`,
//!   GNormPlus' `N(Tax:T)` is `N` and `NCBI Gene:N` / `NCBIGene:N` / `Gene:N` are `N`.
//!   IDs match case-insensitively in queries. Variant IDs in tmVar form are not modelled:
//!   variants are only checked through dbSNP IDs `rsN`.

use crate::util::{index_files, search_ids, search_json, shared_corpora, stats};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Directories of `../shared/corpora` that do not hold PubTator files.
const NOT_PUBTATOR: [&str; 2] = ["bioc", "pubtator3_tsv"];

/// Canonical types whose IDs the oracle models fully (all but `Variant`).
const ID_TYPES: [&str; 5] = ["Gene", "Disease", "Chemical", "Species", "CellLine"];

/// At most this many mismatches are printed per test.
const REPORT_LIMIT: usize = 40;

// ----- the oracle -----

/// One annotation line.
struct Annotation {
    /// Index of the record (`ID|t|` line) of the document it belongs to.
    record: usize,
    start: usize,
    end: usize,
    mention: String,
    /// Canonical type.
    ctype: String,
    /// The ID column as written (empty when there is none).
    raw_id: String,
}

impl Annotation {
    /// The normalized IDs of the ID column.
    fn ids(&self) -> Vec<String> {
        normalize_ids(&self.raw_id)
    }

    /// dbSNP IDs `rsN` of a variant ID column: `;`/`,`-separated parts spelled `rsN` and, when
    /// `with_rs_hash`, also PubTator3's `RS#:N` parts.
    fn rs_ids(&self, with_rs_hash: bool) -> Vec<String> {
        let mut out = Vec::new();
        for part in self.raw_id.split([',', ';']).map(str::trim) {
            let lower = part.to_ascii_lowercase();
            let digits = match lower.strip_prefix("rs#:") {
                Some(d) if with_rs_hash => d,
                _ => lower.strip_prefix("rs").unwrap_or(""),
            };
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                out.push(format!("rs{digits}"));
            }
        }
        out
    }
}

/// One relation line.
struct Relation {
    /// The type column, trimmed.
    written: String,
    /// Its two arguments, normalized; a tmVar argument (with `|`) is kept whole.
    args: [Vec<String>; 2],
    /// Both arguments as written, trimmed.
    raw: [String; 2],
}

impl Relation {
    /// True when the relation links `a` and `b` (either order, case-insensitive).
    fn links(&self, a: &str, b: &str) -> bool {
        let has = |side: &[String], id: &str| side.iter().any(|x| x.eq_ignore_ascii_case(id));
        (has(&self.args[0], a) && has(&self.args[1], b))
            || (has(&self.args[0], b) && has(&self.args[1], a))
    }
}

/// One document.
struct Doc {
    /// The file it was read from (the last one, since later documents replace earlier ones).
    source: PathBuf,
    /// Titles and abstracts, in file order.
    texts: Vec<String>,
    /// Number of `ID|t|` records.
    records: usize,
    annotations: Vec<Annotation>,
    relations: Vec<Relation>,
}

impl Doc {
    fn new(source: &Path) -> Doc {
        Doc {
            source: source.to_path_buf(),
            texts: Vec::new(),
            records: 0,
            annotations: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// The name of the corpus directory of its source file.
    fn corpus(&self) -> &str {
        self.source
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or("")
    }
}

/// (type, ID) → IDs of the documents annotated with it.
type EntityDocs = BTreeMap<(String, String), BTreeSet<String>>;

/// IDs with the documents a query for them should find.
type IdDocs = Vec<(String, BTreeSet<String>)>;

/// An independent reading of PubTator files: the live documents by ID.
#[derive(Default)]
struct Oracle {
    docs: BTreeMap<String, Doc>,
}

impl Oracle {
    /// Reads files and directories (recursively, in name order, hidden and non-PubTator files
    /// skipped) in the order given, as `ptsearch index` is documented to.
    fn load(inputs: &[PathBuf]) -> Oracle {
        let mut oracle = Oracle::default();
        for input in inputs {
            for file in pubtator_files(input) {
                oracle.read_file(&file);
            }
        }
        oracle
    }

    fn read_file(&mut self, path: &Path) {
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let text = String::from_utf8_lossy(&bytes);
        let mut current: Option<(String, Doc)> = None;
        for line in text.trim_start_matches('\u{feff}').split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((id, title)) = record_line(line, 't') {
                if current.as_ref().is_none_or(|(open, _)| open != id) {
                    self.finish(current.take());
                    current = Some((id.to_string(), Doc::new(path)));
                }
                if let Some((_, doc)) = current.as_mut() {
                    doc.records += 1;
                    doc.texts.push(title.to_string());
                }
                continue;
            }
            let Some((id, doc)) = current.as_mut() else {
                continue;
            };
            if let Some((abstract_id, text)) = record_line(line, 'a') {
                if abstract_id == id {
                    doc.texts.push(text.to_string());
                }
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols[0] != id.as_str() {
                continue;
            }
            if offset(cols[1]).is_some() {
                doc.annotations
                    .extend(parse_annotation(&cols, doc.records - 1));
            } else if cols.len() == 4 || cols.len() == 5 {
                doc.relations.push(parse_relation(&cols));
            }
        }
        self.finish(current);
    }

    fn finish(&mut self, doc: Option<(String, Doc)>) {
        if let Some((id, doc)) = doc {
            self.docs.insert(id, doc);
        }
    }

    /// Annotation lines per canonical type.
    fn annotation_counts(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for a in self.docs.values().flat_map(|d| &d.annotations) {
            *out.entry(a.ctype.clone()).or_default() += 1;
        }
        out
    }

    /// Relation lines per relation type as written.
    fn relation_counts(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for r in self.docs.values().flat_map(|d| &d.relations) {
            *out.entry(r.written.clone()).or_default() += 1;
        }
        out
    }

    /// The documents of every (type, ID) pair, for all types but `Variant`; IDs are lower-cased
    /// when `fold_case` (as queries match them), as written otherwise (as facets show them).
    fn entity_docs(&self, fold_case: bool) -> EntityDocs {
        let mut out = EntityDocs::new();
        for (doc_id, doc) in &self.docs {
            for a in doc.annotations.iter().filter(|a| a.ctype != "Variant") {
                for id in a.ids() {
                    let id = if fold_case { id.to_lowercase() } else { id };
                    out.entry((a.ctype.clone(), id))
                        .or_default()
                        .insert(doc_id.clone());
                }
            }
        }
        out
    }

    /// dbSNP ID → documents with a variant annotation carrying it (see [`Annotation::rs_ids`]).
    fn rs_docs(&self, with_rs_hash: bool) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (doc_id, doc) in &self.docs {
            for a in doc.annotations.iter().filter(|a| a.ctype == "Variant") {
                for rs in a.rs_ids(with_rs_hash) {
                    out.entry(rs).or_default().insert(doc_id.clone());
                }
            }
        }
        out
    }

    /// The documents with a relation matching `keep`.
    fn relation_docs(&self, keep: impl Fn(&Relation) -> bool) -> BTreeSet<String> {
        self.docs
            .iter()
            .filter(|(_, d)| d.relations.iter().any(&keep))
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// The files `ptsearch index INPUT` reads: INPUT itself, or the visible files under it in name
/// order; files whose first line that is not blank or a `#` comment is not a title line are
/// not PubTator and are left out.
fn pubtator_files(input: &Path) -> Vec<PathBuf> {
    if input.is_file() {
        return if is_pubtator(input) {
            vec![input.to_path_buf()]
        } else {
            Vec::new()
        };
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
        .expect("corpus directory is readable")
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .flat_map(|p| pubtator_files(&p))
        .collect()
}

fn is_pubtator(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("file is readable");
    let text = String::from_utf8_lossy(&bytes);
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'));
    first.is_some_and(|l| record_line(l, 't').is_some())
}

/// `ID|t|text` (for `code` `t`) or `ID|a|text` → (ID, text). The ID has no tab or whitespace.
fn record_line(line: &str, code: char) -> Option<(&str, &str)> {
    let (id, rest) = line.split_once('|')?;
    let text = rest.strip_prefix(code)?.strip_prefix('|')?;
    let valid = !id.is_empty() && !id.contains(char::is_whitespace);
    valid.then_some((id, text))
}

/// A non-negative integer column.
fn offset(col: &str) -> Option<usize> {
    let col = col.trim();
    if col.is_empty() || !col.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    col.parse().ok()
}

fn parse_annotation(cols: &[&str], record: usize) -> Option<Annotation> {
    if cols.len() < 5 {
        return None;
    }
    let raw_type = cols[4].trim();
    if raw_type.is_empty() || raw_type.contains('|') {
        return None;
    }
    Some(Annotation {
        record,
        start: offset(cols[1])?,
        end: offset(cols[2])?,
        mention: cols[3].to_string(),
        ctype: canonical_type(raw_type),
        raw_id: cols.get(5).map_or("", |s| s.trim()).to_string(),
    })
}

fn parse_relation(cols: &[&str]) -> Relation {
    let arg = |raw: &str| {
        if raw.contains('|') {
            vec![raw.trim().to_string()]
        } else {
            normalize_ids(raw)
        }
    };
    Relation {
        written: cols[1].trim().to_string(),
        args: [arg(cols[2]), arg(cols[3])],
        raw: [cols[2].trim().to_string(), cols[3].trim().to_string()],
    }
}

/// The canonical type of a type column; types that are not known keep their name.
fn canonical_type(raw: &str) -> String {
    let canonical = match raw.to_ascii_lowercase().as_str() {
        "gene" | "geneorgeneproduct" | "familyname" | "domainmotif" => "Gene",
        "disease"
        | "diseaseorphenotypicfeature"
        | "specificdisease"
        | "diseaseclass"
        | "modifier"
        | "compositemention" => "Disease",
        "chemical" | "chemicalentity" => "Chemical",
        "species" | "organismtaxon" => "Species",
        "variant" | "sequencevariant" | "mutation" | "dnamutation" | "proteinmutation" | "snp"
        | "dnaallele" | "proteinallele" | "acidchange" | "othermutation" => "Variant",
        "cellline" | "cell_line" => "CellLine",
        _ => raw,
    };
    canonical.to_string()
}

/// Splits an ID column into canonical IDs (see the module documentation).
fn normalize_ids(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split([',', ';', '|', '+']).map(str::trim) {
        if matches!(part, "" | "-" | "-1") {
            continue;
        }
        let id = canonical_id(part);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

fn canonical_id(id: &str) -> String {
    // GNormPlus writes a gene's species after it: `54702(Tax:10116)` is gene 54702.
    let id = match id.find("(Tax:") {
        Some(i) if id.ends_with(')') => id[..i].trim(),
        _ => id,
    };
    for prefix in ["NCBI Gene:", "NCBIGene:", "Gene:"] {
        if let Some(rest) = id.strip_prefix(prefix) {
            if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
                return rest.to_string();
            }
        }
    }
    if is_bare_mesh(id) {
        format!("MESH:{id}")
    } else if let Some(rest) = id.strip_prefix("CVCL_") {
        format!("CVCL:{rest}")
    } else {
        id.to_string()
    }
}

/// `D` or `C` followed by at least six digits.
fn is_bare_mesh(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('D' | 'C')) && id.len() >= 7 && chars.all(|c| c.is_ascii_digit())
}

// ----- helpers -----

/// `../shared/corpora/<rel>`.
fn corpus(root: &Path, rel: &str) -> PathBuf {
    let p = root.join(rel);
    assert!(p.exists(), "{} is missing", p.display());
    p
}

/// About `n` items spread evenly over `items` (all of them when there are at most `n`).
fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    let step = items.len().div_ceil(n.max(1)).max(1);
    items.iter().step_by(step).cloned().collect()
}

/// An entity value as written in a query: quoted when it holds anything but letters, digits
/// and `:_.-`.
fn query_value(id: &str) -> String {
    if id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ":_.-".contains(c))
    {
        id.to_string()
    } else {
        format!("\"{}\"", id.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Runs `query` and records a mismatch with `expected` in `failures`.
fn check_query(index: &Path, query: &str, expected: &BTreeSet<String>, failures: &mut Vec<String>) {
    let hits = search_ids(index, query);
    let got: BTreeSet<String> = hits.iter().cloned().collect();
    if got.len() != hits.len() {
        failures.push(format!("{query}: duplicate hits in {hits:?}"));
    }
    if &got != expected {
        let missing: Vec<_> = expected.difference(&got).take(5).collect();
        let extra: Vec<_> = got.difference(expected).take(5).collect();
        failures.push(format!(
            "{query}: {} hits, oracle {}; missing {missing:?}, unexpected {extra:?}",
            got.len(),
            expected.len()
        ));
    }
}

/// Panics with a readable report when `failures` is not empty.
fn assert_no_failures(what: &str, checked: usize, failures: &[String]) {
    for f in failures.iter().take(REPORT_LIMIT) {
        eprintln!("MISMATCH {f}");
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of {checked} checks disagree with the oracle (see above)",
        failures.len()
    );
    eprintln!("{what}: {checked} checks agree with the oracle");
}

/// Compares a JSON object of counts with the oracle's, key by key and in total.
fn compare_counts(what: &str, got: &Value, want: &BTreeMap<String, u64>, diffs: &mut Vec<String>) {
    let got: BTreeMap<String, u64> = got
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object"))
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().expect("a count")))
        .collect();
    let keys: BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    for key in keys {
        let (g, w) = (
            got.get(key).copied().unwrap_or(0),
            want.get(key).copied().unwrap_or(0),
        );
        if g != w {
            diffs.push(format!("{what}[{key}]: ptsearch {g}, oracle {w}"));
        }
    }
    let (g, w) = (got.values().sum::<u64>(), want.values().sum::<u64>());
    if g != w {
        diffs.push(format!("{what} total: ptsearch {g}, oracle {w}"));
    }
}

/// The `summary` line of a JSON search.
fn summary(lines: &[Value]) -> &Value {
    let last = lines.last().expect("a summary line");
    assert_eq!(last["type"], "summary");
    &last["data"]
}

// ----- 1. stats -----

#[test]
fn stats_match_independent_counts_per_corpus() {
    let Some(root) = shared_corpora("stats_match_independent_counts_per_corpus") else {
        return;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !NOT_PUBTATOR.iter().any(|n| p.ends_with(n)))
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 8,
        "expected the PubTator corpora, found {dirs:?}"
    );
    let mut diffs = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let oracle = Oracle::load(std::slice::from_ref(dir));
        let index = tempfile::tempdir().unwrap();
        index_files(index.path(), &[dir.as_path()]);
        let first = stats(index.path());
        let mut corpus_diffs = Vec::new();
        let documents = first["documents"].as_u64().expect("documents");
        if documents != oracle.docs.len() as u64 {
            corpus_diffs.push(format!(
                "documents: ptsearch {documents}, oracle {}",
                oracle.docs.len()
            ));
        }
        compare_counts(
            "annotations",
            &first["annotations"],
            &oracle.annotation_counts(),
            &mut corpus_diffs,
        );
        compare_counts(
            "relations",
            &first["relations"],
            &oracle.relation_counts(),
            &mut corpus_diffs,
        );
        let mut distinct: BTreeMap<String, u64> = BTreeMap::new();
        for (t, _) in oracle.entity_docs(false).keys() {
            *distinct.entry(t.clone()).or_default() += 1;
        }
        let mut got_distinct = first["distinct_ids"].clone();
        got_distinct
            .as_object_mut()
            .expect("distinct_ids")
            .remove("Variant");
        compare_counts(
            "distinct_ids (without Variant)",
            &got_distinct,
            &distinct,
            &mut corpus_diffs,
        );

        index_files(index.path(), &[dir.as_path()]);
        let second = stats(index.path());
        for key in ["documents", "annotations", "relations", "distinct_ids"] {
            if first[key] != second[key] {
                corpus_diffs.push(format!(
                    "re-indexing changed {key}: {} → {}",
                    first[key], second[key]
                ));
            }
        }
        eprintln!(
            "{name}: {documents} documents, {} annotations, {} relations",
            first["annotations"], first["relations"]
        );
        diffs.extend(corpus_diffs.into_iter().map(|d| format!("{name}: {d}")));
    }
    assert_no_failures("stats", dirs.len(), &diffs);
}

// ----- 2. entity queries -----

#[test]
fn entity_queries_match_annotation_oracle() {
    let Some(root) = shared_corpora("entity_queries_match_annotation_oracle") else {
        return;
    };
    let inputs: Vec<PathBuf> = [
        "biored",
        "bc5cdr",
        "ncbi_disease",
        "aioner/NLMgene_Test.PubTator",
        "aioner/NLMgene_Train.PubTator",
        "bioconcepts2pubtator_sample",
        "aioner/BioID_Test_revision.PubTator",
        "aioner/BioID_Train_revision.PubTator",
        "pubtator3_netmedex",
    ]
    .iter()
    .map(|rel| corpus(&root, rel))
    .collect();
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(
        index.path(),
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );
    let idx = index.path();

    let exact = oracle.entity_docs(false);
    let folded = oracle.entity_docs(true);
    let docs_of = |t: &str, id: &str| folded[&(t.to_string(), id.to_lowercase())].clone();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |query: String, expected: &BTreeSet<String>, failures: &mut Vec<String>| {
        check_query(idx, &query, expected, failures);
        checked += 1;
    };

    // (query prefix, [(ID as written in the files, expected documents)]) per type.
    let mut per_type: Vec<(String, IdDocs)> = Vec::new();
    for t in ID_TYPES {
        let ids: IdDocs = exact
            .keys()
            .filter(|(et, _)| et == t)
            .map(|(_, id)| (id.clone(), docs_of(t, id)))
            .collect();
        assert!(!ids.is_empty(), "no {t} IDs in the oracle");
        per_type.push((t.to_lowercase(), spread(&ids, 60)));
    }
    let rs: IdDocs = oracle.rs_docs(true).into_iter().collect();
    per_type.push(("variant".to_string(), spread(&rs, 60)));

    // Single-ID queries for the first IDs of each type, OR-batches of 8 for the rest.
    for (prefix, ids) in &per_type {
        let (single, batched) = ids.split_at(ids.len().min(10));
        for (id, docs) in single {
            check(format!("{prefix}:{}", query_value(id)), docs, &mut failures);
        }
        for batch in batched.chunks(8) {
            let query: Vec<String> = batch
                .iter()
                .map(|(id, _)| format!("{prefix}:{}", query_value(id)))
                .collect();
            let union: BTreeSet<String> =
                batch.iter().flat_map(|(_, d)| d.iter().cloned()).collect();
            check(query.join(" OR "), &union, &mut failures);
        }
    }

    // `id:X` is the union over every type; include IDs that occur under several types.
    let mut by_id: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut types_of: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, id), docs) in &folded {
        by_id.entry(id).or_default().extend(docs.iter().cloned());
    }
    for (_, id) in exact.keys() {
        *types_of.entry(id).or_default() += 1;
    }
    let shared: Vec<&str> = types_of
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| *id)
        .collect();
    let mut untyped: Vec<String> = spread(&shared, 10)
        .into_iter()
        .map(str::to_string)
        .collect();
    for (_, ids) in per_type.iter().filter(|(p, _)| p != "variant") {
        untyped.extend(ids.iter().take(3).map(|(id, _)| id.clone()));
    }
    for id in &untyped {
        check(
            format!("id:{}", query_value(id)),
            &by_id[id.to_lowercase().as_str()],
            &mut failures,
        );
    }

    // A bare MeSH ID means MESH:…, and CVCL_x means CVCL:x.
    for (t, prefix) in [
        ("Disease", "MESH:D"),
        ("Chemical", "MESH:C"),
        ("CellLine", "CVCL:"),
    ] {
        let ids: Vec<&String> = exact
            .keys()
            .filter(|(et, id)| et == t && id.starts_with(prefix))
            .map(|(_, id)| id)
            .collect();
        assert!(!ids.is_empty(), "no {t} IDs starting with {prefix}");
        for id in spread(&ids, 5) {
            let other = match id.strip_prefix("MESH:") {
                Some(bare) => bare.to_string(),
                None => id.replacen("CVCL:", "CVCL_", 1),
            };
            let expected = docs_of(t, id);
            check(
                format!("{}:{id}", t.to_lowercase()),
                &expected,
                &mut failures,
            );
            check(
                format!("{}:{other}", t.to_lowercase()),
                &expected,
                &mut failures,
            );
        }
    }
    assert_no_failures("entity queries", checked, &failures);
}

// ----- 3. relation queries -----

#[test]
fn relation_queries_match_relation_lines() {
    let Some(root) = shared_corpora("relation_queries_match_relation_lines") else {
        return;
    };
    let inputs = vec![corpus(&root, "biored"), corpus(&root, "bc5cdr")];
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(index.path(), &[inputs[0].as_path(), inputs[1].as_path()]);
    let idx = index.path();

    // Relation lines whose arguments are one plain ID each, 25 per corpus.
    let simple = |r: &Relation| {
        r.args
            .iter()
            .all(|a| a.len() == 1 && a[0].chars().all(|c| c.is_ascii_alphanumeric() || c == ':'))
    };
    let mut chosen: Vec<&Relation> = Vec::new();
    for name in ["biored", "bc5cdr"] {
        let candidates: Vec<&Relation> = oracle
            .docs
            .values()
            .filter(|d| d.corpus() == name)
            .flat_map(|d| d.relations.iter().filter(|r| simple(r)))
            .collect();
        assert!(candidates.len() > 100, "too few relation lines in {name}");
        chosen.extend(spread(&candidates, 25));
    }

    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, r) in chosen.iter().enumerate() {
        let (a, b) = (&r.args[0][0], &r.args[1][0]);
        let key = r.written.to_lowercase();
        let same_type = oracle.relation_docs(|x| x.written.to_lowercase() == key && x.links(a, b));
        let any_type = oracle.relation_docs(|x| x.links(a, b));
        // Vary the spelling: the type in upper case every other time, and the reversed query
        // with the IDs as written in the file (bare MeSH IDs).
        let written_type = if i % 2 == 0 {
            r.written.clone()
        } else {
            r.written.to_uppercase()
        };
        let queries = [
            (format!("rel:{written_type}|{a}|{b}"), &same_type),
            (
                format!("rel:{written_type}|{}|{}", r.raw[1], r.raw[0]),
                &same_type,
            ),
            (format!("rel:ANY|{a}|{b}"), &any_type),
        ];
        for (query, expected) in queries {
            check_query(idx, &query, expected, &mut failures);
            checked += 1;
        }
    }
    for (written, _) in oracle.relation_counts() {
        let key = written.to_lowercase();
        let expected = oracle.relation_docs(|x| x.written.to_lowercase() == key);
        check_query(idx, &format!("rel:{written}"), &expected, &mut failures);
        checked += 1;
    }
    assert_no_failures("relation queries", checked, &failures);
}

// ----- 4. facets -----

/// The facets a query should produce: per type, the matching documents with ≥ 1 normalized ID
/// and the top `k` entities (count descending, then ID ascending). `Variant` entities other
/// than dbSNP IDs are not modelled, so the `Variant` top list is `None`.
type ExpectedFacets = BTreeMap<String, (u64, Option<Vec<(String, u64)>>)>;

fn expected_facets(oracle: &Oracle, matching: &BTreeSet<String>, k: usize) -> ExpectedFacets {
    let mut per_type: BTreeMap<String, BTreeSet<&String>> = BTreeMap::new();
    for (id, doc) in oracle.docs.iter().filter(|(id, _)| matching.contains(*id)) {
        for a in doc.annotations.iter().filter(|a| !a.ids().is_empty()) {
            per_type.entry(a.ctype.clone()).or_default().insert(id);
        }
    }
    let mut tops: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for ((t, id), docs) in oracle.entity_docs(false) {
        let n = docs.intersection(matching).count() as u64;
        if n > 0 {
            tops.entry(t).or_default().push((id, n));
        }
    }
    per_type
        .into_iter()
        .map(|(t, docs)| {
            let top = (t != "Variant").then(|| {
                let mut top = tops.remove(&t).unwrap_or_default();
                top.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                top.truncate(k);
                top
            });
            (t, (docs.len() as u64, top))
        })
        .collect()
}

/// Compares the `facets` of a JSON search summary with the oracle's.
fn check_facets(
    label: &str,
    got: &Value,
    oracle: &Oracle,
    matching: &BTreeSet<String>,
    failures: &mut Vec<String>,
) {
    let want = expected_facets(oracle, matching, 20);
    let rs = oracle.rs_docs(false);
    let facets = got
        .as_array()
        .unwrap_or_else(|| panic!("{label}: no facets in {got}"));
    let got_types: Vec<&str> = facets
        .iter()
        .map(|f| f["type"].as_str().expect("type"))
        .collect();
    let want_types: BTreeSet<&str> = want.keys().map(String::as_str).collect();
    if got_types.iter().copied().collect::<BTreeSet<_>>() != want_types {
        failures.push(format!(
            "{label}: types {got_types:?}, oracle {want_types:?}"
        ));
    }
    for facet in facets {
        let t = facet["type"].as_str().unwrap();
        let Some((documents, top)) = want.get(t) else {
            continue;
        };
        if facet["documents"].as_u64() != Some(*documents) {
            failures.push(format!(
                "{label}: {t} documents {}, oracle {documents}",
                facet["documents"]
            ));
        }
        let got_top: Vec<(String, u64)> = facet["top"]
            .as_array()
            .expect("top")
            .iter()
            .map(|e| {
                (
                    e["id"].as_str().expect("id").to_string(),
                    e["documents"].as_u64().expect("documents"),
                )
            })
            .collect();
        if !got_top
            .windows(2)
            .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0))
        {
            failures.push(format!(
                "{label}: {t} top list not sorted by count then ID: {got_top:?}"
            ));
        }
        match top {
            Some(top) if &got_top != top => {
                failures.push(format!("{label}: {t} top {got_top:?}\n    oracle {top:?}"));
            }
            Some(_) => {}
            None => {
                // Variant: check the dbSNP entries only.
                for (id, n) in got_top.iter().filter(|(id, _)| rs.contains_key(id)) {
                    let want_n = rs[id].intersection(matching).count() as u64;
                    if *n != want_n {
                        failures.push(format!("{label}: {t} {id}: {n} documents, oracle {want_n}"));
                    }
                }
            }
        }
    }
}

#[test]
fn facet_counts_match_annotation_lines() {
    let Some(root) = shared_corpora("facet_counts_match_annotation_lines") else {
        return;
    };
    let inputs: Vec<PathBuf> = [
        "biored",
        "bc5cdr",
        "ncbi_disease",
        "bioconcepts2pubtator_sample",
        "pubtator3_netmedex",
    ]
    .iter()
    .map(|rel| corpus(&root, rel))
    .collect();
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(
        index.path(),
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );
    let idx = index.path();
    let facet_args = ["--facets", "--facet-top", "20", "--limit", "0"];
    let mut failures = Vec::new();

    let all: BTreeSet<String> = oracle.docs.keys().cloned().collect();
    let lines = search_json(idx, &[&facet_args[..], &["*"]].concat());
    assert_eq!(lines.len(), 1, "--limit 0 prints the summary only");
    assert_eq!(
        summary(&lines)["total_hits"].as_u64(),
        Some(all.len() as u64)
    );
    check_facets(
        "*",
        &summary(&lines)["facets"],
        &oracle,
        &all,
        &mut failures,
    );

    // The most frequent disease, and a type filter.
    let entities = oracle.entity_docs(false);
    let ((_, disease), matching) = entities
        .iter()
        .filter(|((t, _), _)| t == "Disease")
        .max_by_key(|((_, id), docs)| (docs.len(), std::cmp::Reverse(id.clone())))
        .expect("a disease");
    let query = format!("disease:{disease}");
    let lines = search_json(idx, &[&facet_args[..], &[&query]].concat());
    assert_eq!(
        summary(&lines)["total_hits"].as_u64(),
        Some(matching.len() as u64),
        "{query}"
    );
    check_facets(
        &query,
        &summary(&lines)["facets"],
        &oracle,
        matching,
        &mut failures,
    );

    let lines = search_json(
        idx,
        &[&facet_args[..], &["--facet-type", "Gene", &query]].concat(),
    );
    let facets = summary(&lines)["facets"]
        .as_array()
        .expect("facets")
        .clone();
    let types: Vec<&Value> = facets.iter().map(|f| &f["type"]).collect();
    if types != ["Gene"] {
        failures.push(format!("--facet-type Gene gave types {types:?}"));
    }
    assert_no_failures("facets", 3, &failures);
}

// ----- 5. highlight spans -----

/// `text[start..end)` in characters, or `None` when out of range.
fn char_slice(text: &str, start: usize, end: usize) -> Option<String> {
    (start <= end && end <= text.chars().count())
        .then(|| text.chars().skip(start).take(end - start).collect())
}

/// The entity queries of the span test: (query, canonical type, ID) for IDs of documents with
/// non-ASCII text, of later passages of multi-passage documents, and of BioRED documents.
fn span_queries(oracle: &Oracle) -> Vec<(String, &'static str, String)> {
    let mut picks: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut pick = |docs: Vec<&Doc>, filter: &dyn Fn(&Annotation) -> bool, per_type: usize| {
        for t in ID_TYPES {
            let ids: BTreeSet<String> = docs
                .iter()
                .flat_map(|d| d.annotations.iter())
                .filter(|a| a.ctype == t && filter(a))
                .flat_map(Annotation::ids)
                .collect();
            for id in spread(&ids.into_iter().collect::<Vec<_>>(), per_type) {
                picks.insert((t, id));
            }
        }
    };
    let docs =
        |keep: &dyn Fn(&Doc) -> bool| oracle.docs.values().filter(|d| keep(d)).collect::<Vec<_>>();
    pick(
        docs(&|d| d.texts.iter().any(|t| !t.is_ascii())),
        &|_| true,
        4,
    );
    pick(docs(&|d| d.records > 1), &|a| a.record > 0, 4);
    pick(docs(&|d| d.corpus() == "biored"), &|_| true, 4);
    let mut out: Vec<(String, &'static str, String)> = picks
        .into_iter()
        .map(|(t, id)| (format!("{}:{}", t.to_lowercase(), query_value(&id)), t, id))
        .collect();
    let variants: Vec<String> = oracle.rs_docs(true).into_keys().collect();
    for rs in spread(&variants, 4) {
        out.push((format!("variant:{rs}"), "Variant", rs));
    }
    out
}

/// Checks one entity span of a hit for a query of type `want.0` and ID `want.1`.
fn check_entity_span(
    hit: &Value,
    span: &Value,
    want: (&str, &str),
    doc: Option<&Doc>,
    failures: &mut Vec<String>,
) {
    let id = hit["id"].as_str().unwrap();
    let (t, queried) = want;
    if span["entity_type"] != t {
        failures.push(format!(
            "{id}: entity span of type {} for a {t} query: {span}",
            span["entity_type"]
        ));
    }
    let ids = span["entity_id"].as_str().unwrap_or("");
    if t != "Variant" && !ids.split(',').any(|x| x.eq_ignore_ascii_case(queried)) {
        failures.push(format!(
            "{id}: entity span without the queried ID {queried}: {span}"
        ));
    }
    let Some(doc) = doc else {
        failures.push(format!("{id}: a hit the oracle does not know"));
        return;
    };
    let text = span["text"].as_str().unwrap();
    if !doc.annotations.iter().any(|a| a.mention == text) {
        failures.push(format!(
            "{id}: no annotation line with the mention of {span}"
        ));
    }
    // BioRED offsets are all exact: the span must be at the offsets of such a line.
    if doc.corpus() != "biored" {
        return;
    }
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    let shift = if span["field"] == "title" {
        0
    } else {
        hit["title"].as_str().unwrap().chars().count() + 1
    };
    let found = doc
        .annotations
        .iter()
        .any(|a| a.mention == text && a.start == start + shift && a.end == end + shift);
    if !found {
        failures.push(format!(
            "{id}: no annotation line '{text}' at {}..{}: {span}",
            start + shift,
            end + shift
        ));
    }
}

/// True when an abstract offset lies past the first record's abstract of a multi-record document.
fn in_later_passage(doc: &Doc, abstract_start: u64) -> bool {
    let first_abstract = doc.texts.get(1).map_or(0, |t| t.chars().count());
    doc.records > 1 && abstract_start as usize > first_abstract
}

#[test]
fn json_entity_spans_are_exact_annotations() {
    let Some(root) = shared_corpora("json_entity_spans_are_exact_annotations") else {
        return;
    };
    let inputs = vec![
        corpus(&root, "biored"),
        corpus(&root, "aioner/GNormPlus_Train.PubTator"),
        corpus(&root, "aioner/NLMchem_Test.PubTator"),
    ];
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(
        index.path(),
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );

    let queries = span_queries(&oracle);
    let mut failures = Vec::new();
    let (mut spans_checked, mut non_ascii, mut later_passages, mut biored) = (0, 0, 0, 0);
    for (query, t, id) in &queries {
        for line in search_json(index.path(), &["--limit", "40", query]) {
            if line["type"] != "hit" {
                continue;
            }
            let hit = &line["data"];
            let doc = oracle.docs.get(hit["id"].as_str().expect("hit id"));
            for span in hit["spans"].as_array().expect("spans") {
                let field = span["field"].as_str().expect("field");
                let text = hit[field]
                    .as_str()
                    .unwrap_or_else(|| panic!("no {field} in hit {hit}"));
                let (start, end) = (
                    span["start"].as_u64().unwrap(),
                    span["end"].as_u64().unwrap(),
                );
                let slice = char_slice(text, start as usize, end as usize);
                spans_checked += 1;
                if slice.as_deref() != span["text"].as_str() {
                    failures.push(format!(
                        "{query}: {field}[{start}..{end}) is {slice:?}, span says {span}"
                    ));
                }
                if span["kind"] != "entity" {
                    continue;
                }
                non_ascii += usize::from(text.chars().take(start as usize).any(|c| !c.is_ascii()));
                later_passages += usize::from(
                    field == "abstract" && doc.is_some_and(|d| in_later_passage(d, start)),
                );
                biored += usize::from(doc.is_some_and(|d| d.corpus() == "biored"));
                check_entity_span(hit, span, (t, id.as_str()), doc, &mut failures);
            }
        }
    }
    eprintln!(
        "{} queries, {spans_checked} spans; entity spans after non-ASCII text {non_ascii}, \
         in later passages {later_passages}, in BioRED documents {biored}",
        queries.len()
    );
    assert!(
        non_ascii > 0 && later_passages > 0 && biored > 0,
        "the queries missed a kind of document"
    );
    assert_no_failures("spans", spans_checked, &failures);
}
