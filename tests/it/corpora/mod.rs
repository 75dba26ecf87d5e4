//! Tests on the real corpora in `../shared/corpora` (when that directory is absent they fail
//! under `CI=true` and are skipped with a note on stderr otherwise: see `util::missing`).
//!
//! Each test compares what the `ptsearch` binary reports (stats, hits, facets, highlight spans)
//! with [`Oracle`], an independent reading of the raw PubTator files written for these tests
//! from the documented rules only: it calls no library code, so both sides can disagree.
//!
//! The rules the oracle implements:
//! * a document starts at a title line `ID|t|`; consecutive records with the same ID are one
//!   document; a later document with an ID seen before in the same file replaces it, one from
//!   another file adds its annotations and relations as that file's layer (the text is the
//!   newest file's);
//! * an annotation line has ≥ 5 tab-separated columns, non-negative integer offsets in columns
//!   2 and 3 and a non-empty type column without `|`; a relation line has 4 or 5 columns and a
//!   non-integer column 2; any other line is dropped;
//! * types are canonicalized case-insensitively, IDs are split on `,` `;` `|` `+`, and `-1`,
//!   `-` and empty parts are dropped; bare MeSH IDs get `MESH:`, `CVCL_x` becomes `CVCL:x`,
//!   GNormPlus' `N(Tax:T)` is `N` and `NCBI Gene:N` / `NCBIGene:N` / `Gene:N` are `N`.
//!   IDs match case-insensitively; variants only through dbSNP IDs `rsN` (see `variants`).

use crate::util::{index_files, search_ids, search_json, shared_corpora, stats};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod facets;
mod queries;
mod spans;
mod variants;
mod vocab;

/// Directories of `../shared/corpora` that do not hold PubTator files.
const NOT_PUBTATOR: [&str; 3] = ["bioc", "pubmed_xml", "pubtator3_tsv"];

/// Canonical types whose IDs the oracle models fully (all but `Variant`).
const ID_TYPES: [&str; 5] = ["Gene", "Disease", "Chemical", "Species", "CellLine"];

/// At most this many mismatches are printed per test.
const REPORT_LIMIT: usize = 40;
// ----- the oracle -----

/// One annotation line.
#[derive(Clone)]
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
#[derive(Clone)]
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
    /// (file, annotations, relations) of each layer, in the order of `annotations`/`relations`.
    layers: Vec<(PathBuf, usize, usize)>,
    /// Another file gave the document a different text.
    text_changed: bool,
}

impl Doc {
    fn new(source: &Path) -> Doc {
        Doc {
            source: source.to_path_buf(),
            texts: Vec::new(),
            records: 0,
            annotations: Vec::new(),
            relations: Vec::new(),
            layers: Vec::new(),
            text_changed: false,
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
        let Some((id, mut doc)) = doc else {
            return;
        };
        doc.layers = vec![(
            doc.source.clone(),
            doc.annotations.len(),
            doc.relations.len(),
        )];
        if let Some(old) = self.docs.remove(&id) {
            // The old document's layers from other files stay; its layer from this file goes.
            doc.text_changed =
                old.text_changed || (old.source != doc.source && old.texts != doc.texts);
            let (mut annotations, mut relations, mut layers) = (Vec::new(), Vec::new(), Vec::new());
            let (mut a, mut r) = (0, 0);
            for (file, na, nr) in &old.layers {
                if *file != doc.source {
                    annotations.extend(old.annotations[a..a + na].iter().cloned());
                    relations.extend(old.relations[r..r + nr].iter().cloned());
                    layers.push((file.clone(), *na, *nr));
                }
                a += na;
                r += nr;
            }
            layers.append(&mut doc.layers);
            annotations.append(&mut doc.annotations);
            relations.append(&mut doc.relations);
            (doc.annotations, doc.relations, doc.layers) = (annotations, relations, layers);
        }
        self.docs.insert(id, doc);
    }

    /// Annotation lines per canonical type, as bounds (low, high): a line that an earlier layer
    /// (another file) of the document gives with the same record, offsets, type and ID counts
    /// once. Where files gave a document different texts, the index re-anchors the other
    /// layers' annotations and counts those landing on one span once, which this reader does
    /// not model: such a document counts between its smallest layer and all of its lines.
    fn annotation_counts(&self) -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
        let (mut low, mut high) = (BTreeMap::new(), BTreeMap::new());
        for d in self.docs.values() {
            let mut given = std::collections::HashMap::new();
            let mut per_layer: Vec<BTreeMap<&str, u64>> = Vec::new();
            let mut next = 0;
            for (layer, (_, n, _)) in d.layers.iter().enumerate() {
                let mut counts = BTreeMap::new();
                for a in &d.annotations[next..next + n] {
                    *counts.entry(a.ctype.as_str()).or_default() += 1;
                    if d.text_changed {
                        *high.entry(a.ctype.clone()).or_default() += 1;
                        continue;
                    }
                    let key = (a.record, a.start, a.end, &a.ctype, &a.raw_id);
                    if d.layers.len() > 1 && *given.entry(key).or_insert(layer) != layer {
                        continue;
                    }
                    *low.entry(a.ctype.clone()).or_default() += 1;
                    *high.entry(a.ctype.clone()).or_default() += 1;
                }
                per_layer.push(counts);
                next += n;
            }
            if d.text_changed {
                let types: BTreeSet<&str> =
                    per_layer.iter().flat_map(|c| c.keys().copied()).collect();
                for t in types {
                    let min = per_layer
                        .iter()
                        .map(|c| c.get(t).copied().unwrap_or(0))
                        .min();
                    *low.entry(t.to_string()).or_default() += min.unwrap_or(0);
                }
            }
        }
        (low, high)
    }

    /// Relations per relation type as written: distinct per document, type and (unordered)
    /// arguments, however many files give them.
    fn relation_counts(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for d in self.docs.values() {
            let mut seen = BTreeSet::new();
            for r in &d.relations {
                let (a, b) = (r.raw[0].as_str(), r.raw[1].as_str());
                if seen.insert((r.written.as_str(), a.min(b), a.max(b))) {
                    *out.entry(r.written.trim().to_string()).or_default() += 1;
                }
            }
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

/// `../shared/corpora/<rel>`, which must exist once the corpora directory does.
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
    compare_bounds(what, got, (want, want), diffs);
}

/// Like [`compare_counts`] with bounds: each count and the total must lie in `low..=high`.
fn compare_bounds(
    what: &str,
    got: &Value,
    (low, high): (&BTreeMap<String, u64>, &BTreeMap<String, u64>),
    diffs: &mut Vec<String>,
) {
    let got: BTreeMap<String, u64> = got
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object"))
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().expect("a count")))
        .collect();
    let show = |l: u64, h: u64| {
        if l == h {
            l.to_string()
        } else {
            format!("{l}..={h}")
        }
    };
    let keys: BTreeSet<&String> = got.keys().chain(high.keys()).collect();
    for key in keys {
        let g = got.get(key).copied().unwrap_or(0);
        let (l, h) = (
            low.get(key).copied().unwrap_or(0),
            high.get(key).copied().unwrap_or(0),
        );
        if g < l || g > h {
            diffs.push(format!(
                "{what}[{key}]: ptsearch {g}, oracle {}",
                show(l, h)
            ));
        }
    }
    let g = got.values().sum::<u64>();
    let (l, h) = (low.values().sum::<u64>(), high.values().sum::<u64>());
    if g < l || g > h {
        diffs.push(format!("{what} total: ptsearch {g}, oracle {}", show(l, h)));
    }
}

/// The `summary` line of a JSON search.
fn summary(lines: &[Value]) -> &Value {
    let last = lines.last().expect("a summary line");
    assert_eq!(last["type"], "summary");
    &last["data"]
}
