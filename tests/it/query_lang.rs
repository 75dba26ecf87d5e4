//! The query language as a new user types it (issue 13): stray symbols, prefix wildcards,
//! field groups, PubTator3's own forms, ID spellings of other tools, suggestions, unquoted
//! names and phrase highlights. Fixtures: tests/data/ranking.pubtator and query_lang.pubtator,
//! whose annotations and relations are listed there, so every expected answer is read off
//! the files.

use crate::util::*;
use ptsearch::index::{load_document, PtIndex};
use ptsearch::search::highlight::{highlight, SpanKind};
use ptsearch::search::query::compile;
use std::path::Path;

pub(crate) fn fixture_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    index_files(
        dir.path(),
        &[&data("ranking.pubtator"), &data("query_lang.pubtator")],
    );
    dir
}

pub(crate) fn sorted(query: &str, index: &Path) -> Vec<String> {
    let mut v = search_ids(index, query);
    v.sort();
    v
}

/// The warnings of `query` compiled against the index at `index`.
pub(crate) fn warnings(index: &Path, query: &str) -> Vec<String> {
    let idx = PtIndex::open(index).unwrap();
    let searcher = idx.searcher().unwrap();
    compile(query, &searcher, &idx.fields).unwrap().warnings
}

pub(crate) fn has_warning(index: &Path, query: &str, needle: &str) {
    let w = warnings(index, query);
    assert!(
        w.iter().any(|m| m.contains(needle)),
        "{query:?}: no warning containing {needle:?} in {w:?}"
    );
}

/// (exit code, stderr) of a search that is expected to fail.
pub(crate) fn failing(index: &Path, query: &str) -> (i32, String) {
    let mut c = ptsearch(index);
    c.args(["search", query]);
    let (code, _, err) = run(c);
    (code, err)
}

#[test]
fn stray_symbols_are_dropped_with_a_warning() {
    let d = fixture_index();
    let p = d.path();
    // 1001 and 1002 have both words.
    assert_eq!(sorted("BRAF melanoma", p), ["1001", "1002"]);
    for q in ["BRAF + melanoma", "BRAF / melanoma", "BRAF & melanoma"] {
        assert_eq!(sorted(q, p), ["1001", "1002"], "{q}");
    }
    assert_eq!(sorted("BRAF .", p), sorted("BRAF", p));
    has_warning(p, "BRAF + melanoma", "ignored '+' at position 5");
    has_warning(p, "BRAF .", "ignored '.'");
    assert!(warnings(p, "BRAF melanoma").is_empty());
}

#[test]
fn a_query_of_only_symbols_is_an_error() {
    let d = fixture_index();
    let (code, err) = failing(d.path(), "+ / &");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to search for"), "{err}");
    let (code, _) = failing(d.path(), "-.");
    assert_eq!(code, 2);
}

#[test]
fn relation_bars_may_have_spaces_and_relations_is_an_alias() {
    let d = fixture_index();
    let p = d.path();
    assert_eq!(sorted("rel:Association|gene:673|Disease", p), ["1001"]);
    assert_eq!(sorted("rel:Association | gene:673 | Disease", p), ["1001"]);
    assert_eq!(sorted("rel:Association |gene:673| Disease", p), ["1001"]);
    assert_eq!(
        sorted("relations:Association|gene:673|Disease", p),
        ["1001"]
    );
    assert_eq!(
        sorted("relations:ANY|@GENE_BRAF|@DISEASE_Melanoma", p),
        ["1001"]
    );
}

#[test]
fn prefix_wildcards_expand_to_the_words_of_the_index() {
    let d = fixture_index();
    let p = d.path();
    // "melanoma" is the only indexed word starting with "melan" in the fixtures.
    assert_eq!(sorted("melan*", p), ["1001", "1002"]);
    assert_eq!(sorted("melanom*", p), sorted("melanoma", p));
    // endometrial (3002, 3003) and endometrium (3003).
    assert_eq!(sorted("endometri*", p), ["3002", "3003"]);
    assert_eq!(sorted("title:endometri*", p), ["3002", "3003"]);
    assert_eq!(sorted("abstract:endometri*", p), ["3002", "3003"]);
    let (code, err) = failing(p, "me*");
    assert_eq!(code, 2);
    assert!(err.contains("at least 3"), "{err}");
    has_warning(p, "zzzq*", "no word in the index starts with 'zzzq'");
}

#[test]
fn prefix_expansion_is_capped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let words: Vec<String> = (0..1100).map(|i| format!("qqx{i:04}")).collect();
    let file = dir.path().join("many.pubtator");
    std::fs::write(
        &file,
        format!(
            "1|t|Many words\n1|a|{}\n\n2|t|qqx9999 only\n2|a|\n",
            words.join(" ")
        ),
    )
    .unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&file]);
    has_warning(&index, "qqx*", "more than 1000 words");
    // The first 1000 in alphabetical order are searched: doc 1 (qqx0000...) is found, doc 2
    // (qqx9999, beyond the cap) is not.
    assert_eq!(search_ids(&index, "qqx*"), ["1"]);
    assert!(warnings(&index, "qqx00*").is_empty());
}

#[test]
fn field_groups_apply_the_field_to_each_term() {
    let d = fixture_index();
    let p = d.path();
    assert_eq!(
        sorted("title:(cancer OR tumor)", p),
        sorted("title:cancer OR title:tumor", p)
    );
    assert_eq!(sorted("title:(cancer skin)", p), ["1002"]);
    assert_eq!(
        sorted("gene:(673 OR 5133)", p),
        ["1001", "1002", "1003", "1004"]
    );
    assert_eq!(
        sorted("cancer -gene:(673 OR 5133)", p),
        sorted("cancer -gene:673 -gene:5133", p)
    );
    assert!(!sorted("cancer -gene:(673 OR 5133)", p).is_empty());
    let (code, err) = failing(p, "title:(");
    assert_eq!(code, 2);
    assert!(
        err.contains("unclosed '('") && err.contains("position 6"),
        "{err}"
    );
    let (code, err) = failing(p, "a gene:(673 OR 5133");
    assert_eq!(code, 2);
    assert!(err.contains("position 7"), "{err}");
}

#[test]
fn pubtator3_entity_forms_match_like_their_fielded_twins() {
    let d = fixture_index();
    let p = d.path();
    for (at, fielded) in [
        ("@GENE_673", "gene:673"),
        ("@CELLLINE_CVCL:0030", "cellline:CVCL_0030"),
        ("@CELLLINE_CVCL_0030", "cellline:CVCL_0030"),
        ("@DISEASE_MESH:D008545", "disease:MESH:D008545"),
        ("@SPECIES_9606", "species:9606"),
        ("@DISEASE_Breast_Neoplasms", "disease:MESH:D001943"),
        ("@GENE_BRAF", "gene:673"),
    ] {
        let want = sorted(fielded, p);
        assert!(!want.is_empty(), "{fielded}");
        assert_eq!(sorted(at, p), want, "{at}");
    }
}

#[test]
fn pubtator3_relation_verbs_map_to_the_index_types() {
    let d = fixture_index();
    let p = d.path();
    // The fixtures have Association and Negative_Correlation only.
    assert_eq!(sorted("rel:associate", p), sorted("rel:Association", p));
    assert_eq!(sorted("rel:treat", p), ["1003", "1007"]);
    assert_eq!(
        sorted("rel:treat|Chemical|Disease", p),
        sorted("rel:Negative_Correlation|Chemical|Disease", p)
    );
    has_warning(p, "rel:treat", "searching Negative_Correlation");
    assert!(sorted("rel:cause", p).is_empty());
    has_warning(
        p,
        "rel:cause",
        "its relation types: Association, Negative_Correlation",
    );
    has_warning(
        p,
        "rel:Bogus|*|*",
        "the index has no relation of type 'Bogus'",
    );
}

#[test]
fn id_spellings_of_other_tools_are_normalized() {
    let d = fixture_index();
    let p = d.path();
    // GNormPlus `54702(Tax:10116)`: the gene, and its species.
    assert_eq!(sorted("gene:54702", p), ["3001"]);
    assert_eq!(sorted("gene:54702(Tax:10116)", p), ["3001"]);
    assert_eq!(sorted("species:10116", p), ["3001"]);
    // `NCBI Gene:3577`, `NCBIGene:3576`, `Gene:7157`.
    assert_eq!(sorted("gene:3577", p), ["3001"]);
    assert_eq!(sorted("gene:NCBIGene:3577", p), ["3001"]);
    assert_eq!(sorted("gene:\"NCBI Gene:3577\"", p), ["3001"]);
    assert_eq!(sorted("gene:3576", p), ["3002"]);
    assert_eq!(sorted("gene:7157", p), ["3003"]);
    // `dbSNP:2234671`.
    assert_eq!(sorted("variant:rs2234671", p), ["3001"]);
    assert_eq!(sorted("variant:dbSNP:2234671", p), ["3001"]);
    assert_eq!(sorted("variant:RS#:2234671", p), ["3001"]);
    // MeSH with or without the prefix, and bare as a query word.
    assert_eq!(sorted("disease:D001943", p), ["3001", "3002"]);
    assert_eq!(sorted("D001943", p), ["3001", "3002"]);
    assert_eq!(sorted("D008545", p), sorted("disease:MESH:D008545", p));
    assert_eq!(sorted("rs113488022", p), ["1001"]);
    // The relation argument `3576` of 3002 is normalized like the annotation.
    assert_eq!(sorted("rel:Association|gene:3576|Disease", p), ["3002"]);
}

#[test]
fn unknown_names_ids_and_fields_say_so_with_suggestions() {
    let d = fixture_index();
    let p = d.path();
    assert!(search_ids(p, "gene:BRFA").is_empty());
    has_warning(p, "gene:BRFA", "did you mean BRAF (Gene 673");
    has_warning(p, "gene:99999999", "no document has gene ID '99999999'");
    has_warning(p, "@GENE_99999999", "no document has gene ID '99999999'");
    let (code, err) = failing(p, "titel:cancer");
    assert_eq!(code, 2);
    assert!(err.contains("did you mean 'title'"), "{err}");
    let (code, err) = failing(p, "@GENES_BRAF");
    assert_eq!(code, 2);
    assert!(err.contains("did you mean @GENE_"), "{err}");
    has_warning(p, "xyzzy", "no document contains the word 'xyzzy'");
}

#[test]
fn words_as_users_type_them_get_notes() {
    let d = fixture_index();
    let p = d.path();
    // `disease:breast cancer` is `disease:breast AND cancer`; the quoted name differs.
    assert_ne!(
        sorted("disease:breast cancer", p),
        sorted("disease:\"breast cancer\"", p)
    );
    has_warning(
        p,
        "disease:breast cancer",
        "for the name write disease:\"breast cancer\"",
    );
    has_warning(p, "melanoma or aspirin", "'or' is searched as a word");
    assert!(warnings(p, "melanoma OR aspirin").is_empty());
}

#[test]
fn phrase_highlights_mark_only_phrase_occurrences() {
    let d = fixture_index();
    let idx = PtIndex::open(d.path()).unwrap();
    let searcher = idx.searcher().unwrap();
    let compiled = compile("\"breast cancer\"", &searcher, &idx.fields).unwrap();
    let hits = searcher
        .search(&*compiled.query, &tantivy::collector::DocSetCollector)
        .unwrap();
    let mut checked = 0;
    for address in hits {
        let doc = load_document(&searcher, idx.fields.doc, address).unwrap();
        let marked: Vec<String> = highlight(&doc, &compiled)
            .spans
            .into_iter()
            .filter(|s| s.kind == SpanKind::Term)
            .map(|s| s.text)
            .collect();
        match doc.id.as_str() {
            // Title "Endometrial cancer and breast cancer"; the abstract has "Endometrial
            // cancer" and "Cancer of the breast", which are not the phrase.
            "3002" => assert_eq!(marked, ["breast cancer"]),
            "3001" => assert_eq!(marked, ["Breast cancer", "breast cancer"]),
            other => panic!("unexpected hit {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn gnormplus_taxon_suffixed_ids_match_their_gene_on_the_shared_corpus() {
    let Some(root) = shared_corpora("gnormplus_taxon_suffixed_ids_match_their_gene") else {
        return;
    };
    let file = root.join("aioner/GNormPlus_Train.PubTator");
    let text = std::fs::read_to_string(&file).unwrap();
    // Read off the file: the documents with an annotation whose ID column has the ID 18506,
    // written `18506(Tax:10090)` (or bare), and those with any `(Tax:10090)` ID.
    let ids = |l: &str| -> Option<(String, Vec<String>)> {
        let cols: Vec<&str> = l.split('\t').collect();
        let parts = cols
            .get(5)?
            .split([',', ';', '|'])
            .map(|p| p.trim().to_string());
        Some((cols[0].to_string(), parts.collect()))
    };
    let mut want: Vec<String> = Vec::new();
    let mut mouse: Vec<String> = Vec::new();
    for (doc, parts) in text.lines().filter_map(ids) {
        if parts
            .iter()
            .any(|p| p == "18506(Tax:10090)" || p == "18506")
        {
            want.push(doc.clone());
        }
        if parts.iter().any(|p| p.ends_with("(Tax:10090)")) {
            mouse.push(doc);
        }
    }
    want.sort();
    want.dedup();
    assert!(!want.is_empty(), "the corpus has 18506(Tax:10090)");
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&file]);
    assert_eq!(sorted("gene:18506", dir.path()), want);
    assert_eq!(sorted("gene:18506(Tax:10090)", dir.path()), want);
    let found = sorted("species:10090", dir.path());
    assert!(
        mouse.iter().all(|d| found.contains(d)),
        "{mouse:?} not all in {found:?}"
    );
}

#[test]
fn unquoted_arguments_are_joined_into_one_query() {
    let d = fixture_index();
    let p = d.path();
    let mut c = ptsearch(p);
    c.args(["search", "BRAF", "melanoma", "--format", "tsv"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let mut ids: Vec<String> = out
        .lines()
        .skip(1)
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, ["1001", "1002"]);
    // export takes the same words.
    let mut c = ptsearch(p);
    c.args(["export", "BRAF", "melanoma"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let mut exported: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_once("|t|").map(|(id, _)| id))
        .collect();
    exported.sort();
    assert_eq!(exported, ["1001", "1002"]);
}

#[test]
fn unknown_entity_types_are_errors_listing_the_valid_ones() {
    let d = fixture_index();
    let p = d.path();
    for args in [
        &["search", "melanoma", "--facet-type", "Genes"][..],
        &["entities", "braf", "--type", "Genes"],
        &["relations", "gene:673", "--partner-type", "Genes"],
    ] {
        let mut c = ptsearch(p);
        c.args(args);
        let (code, out, err) = run(c);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("unknown entity type 'Genes'; valid: Gene, Disease, Chemical"),
            "{args:?}: {err}"
        );
    }
    // Any case and the aliases of the type table are accepted.
    let mut c = ptsearch(p);
    c.args([
        "search",
        "melanoma",
        "--facet-type",
        "disease",
        "--format",
        "json",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let summary: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let types: Vec<&str> = summary["data"]["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Disease"]);
}

/// Titles with double quotes, tabs and line breaks come back from Python's csv module exactly
/// as stored: as the BioC input wrote them, with tabs and line breaks read as spaces (the
/// readers keep every passage on one PubTator line, offsets unchanged).
#[test]
fn tsv_round_trips_through_python_csv() {
    let titles = [
        "BRAF \"V600E\" in melanoma.",
        "BRAF\tand MEK in melanoma.",
        "BRAF in melanoma,\nsecond line.",
        "\"BRAF\" melanoma",
    ];
    let docs: Vec<serde_json::Value> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({"id": format!("{}", 7001 + i), "passages": [
                {"offset": 0, "infons": {"type": "title"}, "text": t, "annotations": []}]})
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("quotes.bioc.json");
    std::fs::write(
        &input,
        serde_json::json!({"source": "test", "documents": docs}).to_string(),
    )
    .unwrap();
    let index = dir.path().join("idx");
    index_files(&index, &[&input]);
    let mut c = ptsearch(&index);
    c.args(["search", "BRAF", "--format", "tsv", "--sort", "id"]);
    let (code, tsv, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let read = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys\n\
             rows = list(csv.reader(open(sys.argv[1], newline=''), delimiter='\\t'))\n\
             print(json.dumps(rows))",
        ])
        .arg({
            let f = dir.path().join("hits.tsv");
            std::fs::write(&f, &tsv).unwrap();
            f
        })
        .output()
        .expect("python3 runs");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(rows[0], ["rank", "id", "score", "title", "entities"]);
    let back: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[3].as_str()))
        .collect();
    let expected: Vec<(String, String)> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| ((7001 + i).to_string(), t.replace(['\t', '\n'], " ")))
        .collect();
    let expected: Vec<(&str, &str)> = expected
        .iter()
        .map(|(i, t)| (i.as_str(), t.as_str()))
        .collect();
    assert_eq!(back, expected);
}

#[test]
fn a_query_that_begins_with_a_minus_is_read_as_the_query() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("ranking.pubtator")]);
    // 1004 has both diseases and is left out; 1003 has one.
    let query = "-disease:(D009369 D015179) gene:5133";
    let tsv = |args: &[&str]| {
        let mut c = ptsearch(dir.path());
        c.args(args);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    // Without `--`, and with flags after the query: the same as with `--`.
    let expected = tsv(&["search", "--format", "tsv", "--", query]);
    assert_eq!(search_ids(dir.path(), "gene:5133"), ["1003", "1004"]);
    let without = search_ids(dir.path(), query);
    assert_eq!(without, ["1003"]);
    assert_eq!(tsv(&["search", query, "--format", "tsv"]), expected);
    assert_eq!(tsv(&["search", "--format", "tsv", query]), expected);
    // The same for the other commands that take a query.
    let export = tsv(&["export", query]);
    assert_eq!(export, tsv(&["export", "--", query]));
    assert!(export.contains(&without[0]), "{export}");
    let t = tsv(&["translate", "--to", "quickwit", query]);
    assert_eq!(t, tsv(&["translate", "--to", "quickwit", "--", query]));
    assert!(t.contains("-(+entity"), "{t}");
    // A plain negated word is a flag to clap, whose error says how to pass it.
    let mut c = ptsearch(dir.path());
    c.args(["search", "-review"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("-- -r"), "{err}");
}
