//! Emulation of the Quickwit index: the corpus exported with `--format quickwit-ndjson` goes
//! into a plain tantivy index whose fields take their options from schema/quickwit-index.yaml
//! (raw tokenizer → tantivy `raw`, default → tantivy `default`, record, fieldnorms, fast), each
//! translated query runs through tantivy's `QueryParser` with the YAML's default search fields,
//! and its documents must be those of `ptsearch search` for the same query. Where the
//! tokenizers differ (`IL6` vs `IL-6`), the test asserts the difference.

use super::{corpus, translated};
use crate::export::quickwit::quickwit_mapping;
use crate::util::*;
use std::collections::BTreeSet;
use std::path::Path;
use tantivy::collector::DocSetCollector;
use tantivy::query::QueryParser;
use tantivy::schema::{
    IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, TantivyDocument};

/// A tantivy index with the YAML's field options, holding the exported NDJSON lines.
pub(super) struct Emulated {
    pub(super) index: Index,
    pub(super) default_fields: Vec<tantivy::schema::Field>,
}

fn record(value: Option<&String>) -> IndexRecordOption {
    match value.map(String::as_str) {
        Some("position") => IndexRecordOption::WithFreqsAndPositions,
        Some("freq") => IndexRecordOption::WithFreqs,
        // Quickwit's default for text fields.
        Some("basic") | None => IndexRecordOption::Basic,
        Some(other) => panic!("record: {other} unknown to the emulation"),
    }
}

pub(super) fn emulate(ndjson: &str) -> Emulated {
    let mapping = quickwit_mapping();
    let mut builder = Schema::builder();
    let yes = |opts: &std::collections::BTreeMap<String, String>, k: &str| {
        opts.get(k).is_some_and(|v| v == "true")
    };
    for (name, opts) in &mapping.fields {
        let ty = opts["type"].as_str();
        let base = ty
            .strip_prefix("array<")
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(ty);
        let indexed = opts.get("indexed").is_none_or(|v| v == "true");
        match base {
            "text" => {
                let mut o = TextOptions::default();
                if indexed {
                    let tokenizer = opts.get("tokenizer").map_or("default", String::as_str);
                    assert!(
                        matches!(tokenizer, "raw" | "default"),
                        "{name}: tokenizer {tokenizer} unknown to the emulation"
                    );
                    o = o.set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer(tokenizer)
                            .set_index_option(record(opts.get("record")))
                            .set_fieldnorms(yes(opts, "fieldnorms")),
                    );
                }
                if yes(opts, "stored") {
                    o = o.set_stored();
                }
                if yes(opts, "fast") {
                    o = o.set_fast("raw");
                }
                builder.add_text_field(name, o);
            }
            "u64" => {
                let mut o = NumericOptions::default();
                if indexed {
                    o = o.set_indexed();
                }
                if yes(opts, "fast") {
                    o = o.set_fast();
                }
                if yes(opts, "stored") {
                    o = o.set_stored();
                }
                builder.add_u64_field(name, o);
            }
            // Stored-only JSON (annotations, concepts): nothing searches it.
            "json" => assert!(!indexed, "{name}: indexed JSON unknown to the emulation"),
            other => panic!("{name}: type {other} unknown to the emulation"),
        }
    }
    let schema = builder.build();
    let index = Index::create_in_ram(schema.clone());
    let mut writer = index.writer(50_000_000).unwrap();
    for line in ndjson.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut doc = TantivyDocument::default();
        for (name, value) in v.as_object().unwrap() {
            let Ok(field) = schema.get_field(name) else {
                continue;
            };
            let values: Vec<&serde_json::Value> = match value {
                serde_json::Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for x in values {
                match x {
                    serde_json::Value::String(s) => doc.add_text(field, s),
                    serde_json::Value::Number(n) => doc.add_u64(field, n.as_u64().unwrap()),
                    _ => {}
                }
            }
        }
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    let default_fields = mapping
        .default_search_fields
        .iter()
        .map(|f| schema.get_field(f).unwrap())
        .collect();
    Emulated {
        index,
        default_fields,
    }
}

impl Emulated {
    /// The IDs of the documents `query` (Quickwit's grammar) matches; `Err` when tantivy's
    /// query parser refuses it.
    pub(super) fn ids(&self, query: &str) -> Result<BTreeSet<String>, String> {
        let parser = QueryParser::for_index(&self.index, self.default_fields.clone());
        let q = parser.parse_query(query).map_err(|e| format!("{e:?}"))?;
        let reader = self.index.reader().unwrap();
        let searcher = reader.searcher();
        let id = self.index.schema().get_field("id").unwrap();
        let mut out = BTreeSet::new();
        for addr in searcher.search(&q, &DocSetCollector).unwrap() {
            let doc: TantivyDocument = searcher.doc(addr).unwrap();
            if let Some(s) = doc.get_first(id).and_then(|v| v.as_str()) {
                out.insert(s.to_string());
            }
        }
        Ok(out)
    }
}

fn ptsearch_ids(index: &Path, query: &str) -> BTreeSet<String> {
    search_ids(index, query).into_iter().collect()
}

/// Queries whose hit sets must be the same (every form the README's query syntax lists that
/// the corpus exercises, each expected to match at least one document unless marked).
const SAME: &[&str] = &[
    "cancer",
    "breast cancer",
    r#""breast cancer""#,
    "cancer OR tumor",
    "cancer AND NOT breast",
    "cancer -breast",
    "cancer !breast",
    r#""breast cancer"~3"#,
    r#"title:"breast cancer"~2"#,
    r#""breast cancer"[tiab:~3]"#,
    "-cancer",
    "cancer^3",
    "title:cancer",
    "abstract:cells",
    "mention:HeLa",
    "text:aspirin",
    "p53",
    "DMD",
    "dystrophin",
    "gene:3576",
    "disease:MESH:D001943",
    "disease:D001943",
    "variant:rs2234671",
    "variant:dbSNP:2234671",
    "variant:p.V600E",
    "variant:p.Val600Glu",
    r#"variant:"p|SUB|V|600|E""#,
    "gene:673",
    "V600E",
    "cellline:CVCL_0030",
    "species:10116",
    "id:3576",
    "MESH:D001943",
    "gene:CXCL8",
    r#"disease:"breast cancer""#,
    "@GENE_CXCL8",
    "@DISEASE_Breast_Cancer",
    "@GENE_3576",
    "@CELLLINE_CVCL:0030",
    "type:Gene",
    "type:CellLine",
    "rel:Association|gene:3576|Disease",
    "rel:Association | 3576 | D001943",
    "relations:ANY|@GENE_CXCL8|Disease",
    "rel:ANY|*|*",
    "rel:CID",
    "rel:associate|5133|D015179",
    "rel:treat|*|Disease",
    "rel:any|Gene|Disease",
    "title:(cancer OR tumor)",
    "gene:(3576 OR 7157)",
    "-disease:(D001943 D016889)",
    "D001943",
    "rs2234671",
    "pmid:3001",
    "section:methods",
    "resource:gene2pubmed",
    "year:2018",
    "year:2015..2020",
    "year:..2010",
    "year:[2015 TO 2020]",
    "year:{2015 TO *]",
    "year:>=2018",
    // journal: is a term or a wildcard (tantivy's QueryParser has none): real_node.rs.
    "author:Smith",
    r#"author:"Smith J""#,
    "pubtype:Review",
    "mh:D009369",
    "mh:Neoplasms",
    "source:query_lang",
    "*",
    "(gene:3576 OR cancer) AND NOT type:Variant",
    "COVID-19",
    // Phrases across joined words: the parts of a joined word are consecutive in both.
    r#""wild type""#,
    r#""non small cell lung cancer""#,
    r#""non-small cell lung cancer""#,
    r#""tumor suppressor genes""#,
    r#""ovarian cancer""#,
    r#""breast/ovarian cancer""#,
    // Bare and any-type IDs: the untyped entity term, whatever the local index holds.
    "id:3576 OR D001943",
];

/// Queries whose hit sets differ because ptsearch's bio tokenizer joins the parts of a word
/// (`IL-6` is indexed as `il`, `6` and `il6`) and Quickwit's default tokenizer does not: the
/// documents only ptsearch finds.
const TOKENIZER_DIFFERS: &[(&str, &[&str])] = &[
    ("IL6", &["2002"]),
    ("PDL1", &["2001", "7006"]),
    ("PD-L1", &["7007"]),
    // A phrase with a joined word also finds it written as one word in ptsearch only.
    (r#""PD-L1 expression""#, &["7007"]),
    (r#""wild-type""#, &["7005"]),
];

/// Prefix searches: Quickwit expands a one-word prefix (`melan*`) over the words of the field;
/// tantivy's own QueryParser does not (it finds nothing), so the emulation expands it over the
/// emulated index's term dictionaries, as Quickwit does.
const PREFIX: &[&str] = &["endometri*", "title:endometri*", "abstract:endometri*"];

impl Emulated {
    /// The IDs a translated prefix search (`[field:]word*`) finds, expanded by hand.
    fn prefix_ids(&self, query: &str) -> BTreeSet<String> {
        let (fields, word) = match query.split_once(':') {
            Some((f, w)) => (vec![self.index.schema().get_field(f).unwrap()], w),
            None => (self.default_fields.clone(), query),
        };
        let word = word.strip_suffix('*').expect("a prefix search");
        let searcher = self.index.reader().unwrap().searcher();
        let mut terms = Vec::new();
        for field in fields {
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(field).unwrap();
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(word.as_bytes())
                    .into_stream()
                    .unwrap();
                while stream.advance() && stream.key().starts_with(word.as_bytes()) {
                    let text = String::from_utf8(stream.key().to_vec()).unwrap();
                    terms.push(tantivy::Term::from_field_text(field, &text));
                }
            }
        }
        assert!(!terms.is_empty(), "{query} expands to no word");
        let q = tantivy::query::TermSetQuery::new(terms);
        let id = self.index.schema().get_field("id").unwrap();
        let mut out = BTreeSet::new();
        for addr in searcher.search(&q, &DocSetCollector).unwrap() {
            let doc: TantivyDocument = searcher.doc(addr).unwrap();
            out.extend(
                doc.get_first(id)
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            );
        }
        out
    }
}

#[test]
fn translated_queries_find_what_ptsearch_finds() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let mut c = ptsearch(&index);
    c.args(["export", "--format", "quickwit-ndjson", "*"]);
    let (code, ndjson, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let emulated = emulate(&ndjson);
    let everything = emulated.ids("*").unwrap();
    assert_eq!(everything.len(), ndjson.lines().count());
    let mut wrong = Vec::new();
    for query in SAME {
        let want = ptsearch_ids(&index, query);
        let qw = translated(&index, query);
        match emulated.ids(&qw) {
            Ok(got) if got == want => {}
            Ok(got) => wrong.push(format!(
                "{query} → {qw}: ptsearch {want:?}, emulated {got:?}"
            )),
            Err(e) => wrong.push(format!("{query} → {qw}: tantivy refuses it: {e}")),
        }
        assert!(
            !want.is_empty() || query.starts_with('-'),
            "{query} matches nothing in ptsearch: the comparison would prove little"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    for (query, only_ptsearch) in TOKENIZER_DIFFERS {
        let want = ptsearch_ids(&index, query);
        let got = emulated.ids(&translated(&index, query)).unwrap();
        let missing: Vec<&str> = want.difference(&got).map(String::as_str).collect();
        assert_eq!(
            &missing, only_ptsearch,
            "{query}: the documented tokenizer difference (ptsearch {want:?}, emulated {got:?})"
        );
        assert!(got.is_subset(&want), "{query}: emulated finds more");
    }

    for query in PREFIX {
        let qw = translated(&index, query);
        // tantivy's QueryParser does not expand it: nothing, where Quickwit expands.
        assert_eq!(emulated.ids(&qw).map(|s| s.len()), Ok(0), "{query} → {qw}");
        let want = ptsearch_ids(&index, query);
        assert!(!want.is_empty(), "{query}");
        assert_eq!(emulated.prefix_ids(&qw), want, "{query} → {qw}");
    }
}

/// Documents that mention gene 5133 (PD1) 3, 1, 2 and 1 times, never in the title; each has
/// no other entity.
const PROMINENCE: &str = "\
14|t|One study
14|a|PD1 once.
14\t10\t13\tPD1\tGene\t5133

11|t|Three mentions
11|a|PD1 and PD1 and PD1.
11\t15\t18\tPD1\tGene\t5133
11\t23\t26\tPD1\tGene\t5133
11\t31\t34\tPD1\tGene\t5133

12|t|Another study
12|a|PD1 once.
12\t14\t17\tPD1\tGene\t5133

13|t|Two mentions
13|a|PD1 and PD1.
13\t13\t16\tPD1\tGene\t5133
13\t21\t24\tPD1\tGene\t5133
";

#[test]
fn entity_queries_rank_by_mention_count_ties_by_id_in_the_emulation_too() {
    // BM25 on the exported entity terms (once per mention) with `sort_by: _score,-pmid` must
    // give ptsearch's order: more mentions first, ties by numeric ID.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prominence.pubtator");
    std::fs::write(&file, PROMINENCE).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&file]);
    let mut c = ptsearch(&index);
    c.args(["export", "--format", "quickwit-ndjson", "*"]);
    let (_, ndjson, _) = run(c);
    let emulated = emulate(&ndjson);
    let (code, body, err) = super::translate(&index, &["gene:5133"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(body["sort_by"], "_score,-pmid");
    let parser = QueryParser::for_index(&emulated.index, emulated.default_fields.clone());
    let q = parser.parse_query(body["query"].as_str().unwrap()).unwrap();
    let searcher = emulated.index.reader().unwrap().searcher();
    let pmid = emulated.index.schema().get_field("pmid").unwrap();
    let top = searcher
        .search(
            &q,
            &tantivy::collector::TopDocs::with_limit(100).order_by_score(),
        )
        .unwrap();
    // `_score,-pmid`: score descending, then pmid ascending (Quickwit's mini language).
    let mut hits: Vec<(f32, u64)> = top
        .into_iter()
        .map(|(score, addr)| {
            let doc: TantivyDocument = searcher.doc(addr).unwrap();
            let n = doc.get_first(pmid).and_then(|v| v.as_u64());
            (score, n.expect("every fixture ID is numeric"))
        })
        .collect();
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let got: Vec<String> = hits.into_iter().map(|h| h.1.to_string()).collect();
    assert_eq!(got, ["11", "13", "12", "14"]);
    assert_eq!(got, search_ids(&index, "gene:5133"));
}

/// (key, doc_count) of each bucket of one aggregation result.
fn buckets(result: &serde_json::Value, name: &str) -> Vec<(String, u64)> {
    result[name]["buckets"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: no buckets in {result}"))
        .iter()
        .map(|b| {
            let key = match &b["key"] {
                serde_json::Value::String(s) => s.clone(),
                // Numeric keys (years) come as floats.
                other => format!("{}", other.as_f64().unwrap()),
            };
            (key, b["doc_count"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn facet_aggregations_count_what_ptsearch_counts_in_the_emulation() {
    // The translated `aggs` run by tantivy's aggregation collector (Quickwit's, on one split)
    // on the emulated index must give ptsearch's facet counts: documents per type, and the
    // top entities of each canonical type with their counts.
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let mut c = ptsearch(&index);
    c.args(["export", "--format", "quickwit-ndjson", "*"]);
    let (_, ndjson, _) = run(c);
    let emulated = emulate(&ndjson);
    let searcher = emulated.index.reader().unwrap().searcher();
    let parser = QueryParser::for_index(&emulated.index, emulated.default_fields.clone());
    for query in ["*", "cancer", "type:Gene", "D001943"] {
        let (code, body, err) =
            super::translate(&index, &["--facets", "--facet-top", "50", "--", query]);
        assert_eq!(code, 0, "{err}");
        let aggs: tantivy::aggregation::agg_req::Aggregations =
            serde_json::from_value(body["aggs"].clone()).unwrap();
        let q = parser.parse_query(body["query"].as_str().unwrap()).unwrap();
        let collector =
            tantivy::aggregation::AggregationCollector::from_aggs(aggs, Default::default());
        let result = serde_json::to_value(searcher.search(&q, &collector).unwrap()).unwrap();
        let lines = search_json(&index, &["--facets", "--facet-top", "50", "--", query]);
        let summary = &lines.last().unwrap()["data"];
        let facets = summary["facets"].as_array().unwrap();
        let types: BTreeSet<(String, u64)> = buckets(&result, "types").into_iter().collect();
        let want_types: BTreeSet<(String, u64)> = facets
            .iter()
            .map(|f| {
                let t = f["type"].as_str().unwrap().to_string();
                (t, f["documents"].as_u64().unwrap())
            })
            .collect();
        assert_eq!(types, want_types, "{query}: documents per type");
        for f in facets {
            let t = f["type"].as_str().unwrap();
            let want: BTreeSet<(String, u64)> = f["top"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let id = e["id"].as_str().unwrap().to_string();
                    (id, e["documents"].as_u64().unwrap())
                })
                .collect();
            let got: BTreeSet<(String, u64)> = match body["aggs"].get(format!("top_{t}")) {
                Some(_) => buckets(&result, &format!("top_{t}")).into_iter().collect(),
                // Other types share `top_other`, with `Type/ID` values.
                None => buckets(&result, "top_other")
                    .into_iter()
                    .filter_map(|(k, n)| {
                        k.strip_prefix(&format!("{t}/"))
                            .map(|id| (id.to_string(), n))
                    })
                    .collect(),
            };
            assert_eq!(got, want, "{query}: top entities of {t}");
        }
        let years: BTreeSet<(String, u64)> = buckets(&result, "year").into_iter().collect();
        let want_years: BTreeSet<(String, u64)> = summary["metadata_facets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["field"] == "year")
            .flat_map(|m| m["values"].as_array().unwrap().clone())
            .map(|v| (v[0].as_str().unwrap().to_string(), v[1].as_u64().unwrap()))
            .collect();
        assert_eq!(years, want_years, "{query}: documents per year");
    }
}
