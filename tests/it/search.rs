//! The query language, ranking, highlighting, facets and output formats, on hand-made
//! fixtures whose answers are known (tests/data/ranking.pubtator, tokenizer.pubtator, seed).

use crate::util::*;
use std::path::Path;

fn fixture_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    index_files(
        dir.path(),
        &[
            &data("ranking.pubtator"),
            &data("tokenizer.pubtator"),
            &data("seed-31554797.pubtator"),
        ],
    );
    dir
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn query_error(index: &Path, query: &str) -> (i32, String) {
    let mut c = ptsearch(index);
    c.args(["search", query]);
    let (code, _, err) = run(c);
    (code, err)
}

#[test]
fn and_is_the_default_operator() {
    let d = fixture_index();
    assert_eq!(
        sorted(search_ids(d.path(), "skin cancer")),
        ["1002", "1005"]
    );
    assert_eq!(
        sorted(search_ids(d.path(), "skin AND cancer")),
        ["1002", "1005"]
    );
    assert_eq!(
        sorted(search_ids(d.path(), "melanoma OR aspirin")),
        ["1001", "1002", "1007"]
    );
}

#[test]
fn phrases_match_adjacent_words_only() {
    let d = fixture_index();
    assert_eq!(search_ids(d.path(), "\"skin cancer\""), ["1002"]);
    assert_eq!(
        sorted(search_ids(d.path(), "\"colorectal cancer\"")),
        ["1003", "1004", "1007"]
    );
    assert!(search_ids(d.path(), "\"cancer colorectal\"").is_empty());
}

#[test]
fn not_and_minus_exclude_documents() {
    let d = fixture_index();
    let with_not = search_ids(d.path(), "cancer NOT skin");
    assert_eq!(with_not, search_ids(d.path(), "cancer -skin"));
    assert!(!with_not.contains(&"1002".to_string()) && !with_not.contains(&"1005".to_string()));
    assert!(with_not.contains(&"1003".to_string()));
    assert_eq!(
        sorted(search_ids(d.path(), "(melanoma OR aspirin) -braf")),
        ["1007"]
    );
}

#[test]
fn title_matches_outrank_abstract_matches() {
    let d = fixture_index();
    // "inflammation" is in 1005's abstract only and in 2002's abstract only; "skin" is in
    // 1005's title and abstract, 1002's title and abstract.
    let ids = search_ids(d.path(), "aspirin");
    assert_eq!(ids[0], "1007");
    let ids = search_ids(d.path(), "checkpoint OR melanoma");
    // 1001 has melanoma in its title; 1004 has checkpoint(s) only as "Checkpoint inhibitors"
    // in the abstract and "checkpoints" in the title (a different word).
    assert_eq!(ids[0], "1001");
}

#[test]
fn boosts_change_the_order() {
    let d = fixture_index();
    let plain = search_ids(d.path(), "melanoma OR aspirin");
    assert_eq!(plain[0], "1007");
    let boosted = search_ids(d.path(), "melanoma^10 OR aspirin");
    assert_eq!(boosted[0], "1001");
}

#[test]
fn field_prefixes_restrict_the_field() {
    let d = fixture_index();
    assert_eq!(search_ids(d.path(), "title:review"), Vec::<String>::new());
    assert_eq!(search_ids(d.path(), "abstract:review"), ["1006"]);
    assert_eq!(sorted(search_ids(d.path(), "mention:aspirin")), ["1007"]);
}

#[test]
fn entity_ids_in_every_spelling() {
    let d = fixture_index();
    assert_eq!(
        sorted(search_ids(d.path(), "gene:5133")),
        ["1003", "1004", "31554797"]
    );
    assert_eq!(
        search_ids(d.path(), "disease:D015179"),
        search_ids(d.path(), "disease:MESH:D015179")
    );
    assert_eq!(
        search_ids(d.path(), "MESH:D015179"),
        search_ids(d.path(), "id:MESH:D015179")
    );
    assert_eq!(search_ids(d.path(), "cellline:CVCL_WN86"), ["31554797"]);
    assert_eq!(search_ids(d.path(), "cellline:CVCL:WN86"), ["31554797"]);
    assert_eq!(search_ids(d.path(), "species:9606"), ["1007"]);
    assert_eq!(
        sorted(search_ids(d.path(), "variant:rs113488022")),
        ["1001", "2004"]
    );
    // 2004's ID column is the rsID alone; its mention spells `p.V600E`.
    assert_eq!(
        sorted(search_ids(d.path(), "variant:HGVS:p.V600E")),
        ["1001", "2004"]
    );
    assert_eq!(
        sorted(search_ids(d.path(), "variant:p.V600E")),
        ["1001", "2004"]
    );
    assert_eq!(
        search_ids(d.path(), "gene:CorrespondingGene:673"),
        search_ids(d.path(), "gene:673")
    );
    // A gene link inside a variant ID counts for the gene, never as a variant ID.
    assert!(search_ids(d.path(), "gene:673").contains(&"1001".to_string()));
    assert_eq!(
        search_ids(d.path(), "variant:CorrespondingGene:673"),
        Vec::<String>::new()
    );
    for q in [
        "variant:p.Val600Glu",
        "variant:\"p|SUB|V|600|E\"",
        "variant:tmVar:p|SUB|V|600|E",
    ] {
        assert_eq!(sorted(search_ids(d.path(), q)), ["1001", "2004"], "{q}");
    }
    assert_eq!(search_ids(d.path(), "pmid:1003"), ["1003"]);
    assert_eq!(
        sorted(search_ids(d.path(), "type:Variant")),
        ["1001", "2004"]
    );
    assert_eq!(search_ids(d.path(), "*").len(), 14);
}

#[test]
fn more_mentions_and_title_mentions_rank_higher() {
    let d = fixture_index();
    // 1003 mentions PD1 in its title; 1004 and the seed only in their abstracts.
    assert_eq!(search_ids(d.path(), "gene:5133")[0], "1003");
    // The seed mentions CAR (9970) 8 times, nothing else does.
    assert_eq!(search_ids(d.path(), "gene:9970"), ["31554797"]);
}

#[test]
fn a_relation_between_queried_entities_ranks_above_co_mention() {
    let d = fixture_index();
    // Both 1003 and 1004 mention PD1 and colorectal cancer; only 1003 has the relation.
    assert_eq!(
        search_ids(d.path(), "gene:5133 disease:MESH:D015179"),
        ["1003", "1004"]
    );
    // 1004 has the text match in the title too, yet the relation still wins.
    assert_eq!(
        search_ids(d.path(), "chemical:D001241 disease:D015179"),
        ["1007"]
    );
}

#[test]
fn relation_queries_are_order_free_and_accept_types_and_wildcards() {
    let d = fixture_index();
    let a = sorted(search_ids(
        d.path(),
        "rel:Negative_Correlation|5133|MESH:D015179",
    ));
    assert_eq!(a, ["1003"]);
    assert_eq!(
        sorted(search_ids(
            d.path(),
            "rel:negative_correlate|D015179|gene:5133"
        )),
        a
    );
    assert_eq!(
        sorted(search_ids(d.path(), "rel:ANY|gene:673|Disease")),
        ["1001"]
    );
    assert_eq!(
        sorted(search_ids(d.path(), "rel:Negative_Correlation|*|Disease")),
        ["1003", "1007", "31554797"]
    );
    assert_eq!(
        sorted(search_ids(d.path(), "rel:association")),
        ["1001", "31554797"]
    );
    assert_eq!(sorted(search_ids(d.path(), "rel:ANY|Chemical|*")), ["1007"]);
}

#[test]
fn names_resolve_to_ids_through_the_mention_dictionary() {
    let d = fixture_index();
    assert_eq!(
        search_ids(d.path(), "gene:PD1"),
        search_ids(d.path(), "gene:5133")
    );
    assert_eq!(
        search_ids(d.path(), "@GENE_PD1"),
        search_ids(d.path(), "gene:5133")
    );
    assert_eq!(
        sorted(search_ids(d.path(), "disease:melanoma")),
        ["1001", "1002"]
    );
    assert_eq!(
        sorted(search_ids(d.path(), "@DISEASE_colorectal_cancer")),
        ["1003", "1004", "1007"]
    );
    let lines = search_json(d.path(), &["gene:PD1"]);
    let summary = &lines.last().unwrap()["data"];
    assert_eq!(summary["resolutions"][0]["resolved"][0]["id"], "5133");
    let mut c = ptsearch(d.path());
    c.args(["search", "gene:PD1"]);
    let (_, _, err) = run(c);
    assert!(err.contains("'PD1' resolved to Gene:5133"), "{err}");
}

#[test]
fn biomedical_names_are_found_the_way_people_type_them() {
    let d = fixture_index();
    for (typed, want) in [
        ("PD-L1", "2001"),
        ("pdl1", "2001"),
        ("IL-6", "2002"),
        ("TNF-alpha", "2003"),
        ("TNF-α", "2003"),
        ("TNFα", "2003"),
        ("p.V600E", "2004"),
        ("COVID-19", "2005"),
        ("covid19", "2005"),
        ("β-catenin", "2005"),
        ("beta-catenin", "2005"),
    ] {
        assert!(
            search_ids(d.path(), typed).contains(&want.to_string()),
            "{typed} should find {want}"
        );
    }
    assert_eq!(sorted(search_ids(d.path(), "IL6")), ["2002", "2006"]);
    assert_eq!(sorted(search_ids(d.path(), "IL-6")), ["2002", "2006"]);
}

#[test]
fn ties_break_by_document_id() {
    let d = fixture_index();
    let ids = search_ids(d.path(), "*");
    let mut want = ids.clone();
    want.sort_by_key(|id| id.parse::<u64>().unwrap());
    assert_eq!(ids, want);
}

#[test]
fn limit_offset_and_all() {
    let d = fixture_index();
    let all = search_ids(d.path(), "cancer");
    let mut c = ptsearch(d.path());
    c.args([
        "search", "--format", "tsv", "-n", "2", "--offset", "1", "cancer",
    ]);
    let (_, out, _) = run(c);
    let page: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(page, &all[1..3]);
    let first: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(first, ["2", "3"]);
}

#[test]
fn exit_status_is_like_grep() {
    let d = fixture_index();
    let mut c = ptsearch(d.path());
    c.args(["search", "cancer"]);
    assert_eq!(run(c).0, 0);
    let mut c = ptsearch(d.path());
    c.args(["search", "zebrafishxyz"]);
    assert_eq!(run(c).0, 1);
    assert_eq!(query_error(d.path(), "a AND").0, 2);
}

#[test]
fn every_query_error_names_its_position() {
    let d = fixture_index();
    for (query, position, words) in [
        ("a AND", 5, "missing operand"),
        ("OR b", 0, "OR"),
        ("(cancer", 0, "("),
        ("cancer)", 6, ")"),
        ("\"open phrase", 0, "unterminated"),
        ("gene:", 5, "missing value"),
        ("foo:bar", 0, "unknown field"),
        ("type:Nope", 5, "unknown entity type"),
        ("@FOO_bar", 0, "unknown entity type"),
        ("cancer^0", 6, "boost"),
        ("()", 0, "empty"),
        ("", 0, "empty query"),
    ] {
        let (code, err) = query_error(d.path(), query);
        assert_eq!(code, 2, "{query:?}: {err}");
        assert!(
            err.contains(&format!("position {position}")),
            "{query:?}: {err}"
        );
        assert!(err.contains(words), "{query:?}: {err}");
        assert!(!err.contains("panicked"), "{query:?}: {err}");
    }
}

#[test]
fn json_output_has_ripgrep_envelopes_and_exact_spans() {
    let d = fixture_index();
    let lines = search_json(d.path(), &["gene:5133 colorectal", "--facets"]);
    let (summary, hits) = lines.split_last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["data"]["total_hits"], 2);
    assert!(summary["data"]["elapsed_ms"].is_number());
    assert!(summary["data"]["facets"].is_array());
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["type"], "hit");
        let h = &hit["data"];
        assert_eq!(h["rank"], i + 1);
        for key in ["id", "score", "title", "fragments", "spans"] {
            assert!(!h[key].is_null(), "{key}");
        }
        let mut kinds = std::collections::BTreeSet::new();
        for s in h["spans"].as_array().unwrap() {
            assert_span_is_exact(h, s);
            kinds.insert(s["kind"].as_str().unwrap().to_string());
            if s["kind"] == "entity" {
                assert_eq!(s["entity_type"], "Gene");
                assert_eq!(s["entity_id"], "5133");
            }
        }
        assert_eq!(kinds.len(), 2, "both term and entity spans in {h}");
    }
}

#[test]
fn text_output_snapshot_without_colour() {
    let d = fixture_index();
    let mut c = ptsearch(d.path());
    c.args([
        "search",
        "-n",
        "1",
        "gene:5133 colorectal",
        "--color",
        "never",
    ]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let want = "\
1. 1003  score 11.995
   [Colorectal] cancer and [PD1]
   PD1 blockade in [colorectal] cancer. PD1 expression predicts response. PD1 PD1.
   entities: Gene 5133 \"PD1\" ×1
   relations: Negative_Correlation: PD1 (Gene 5133) – colorectal cancer (Disease MESH:D015179)

";
    assert_eq!(out, want);
}

#[test]
fn tsv_output_snapshot() {
    let d = fixture_index();
    let mut c = ptsearch(d.path());
    c.args(["search", "--format", "tsv", "gene:5133 disease:D015179"]);
    let (_, out, _) = run(c);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0], ["rank", "id", "score", "title", "entities"]);
    assert_eq!(rows[1][..2], ["1", "1003"]);
    assert_eq!(rows[1][3], "Colorectal cancer and PD1");
    assert_eq!(rows[1][4], "Gene:5133(1);Disease:MESH:D015179(1)");
    assert_eq!(rows[2][..2], ["2", "1004"]);
}

#[test]
fn facets_count_the_whole_result_set() {
    let d = fixture_index();
    let lines = search_json(
        d.path(),
        &["--facets", "--facet-top", "3", "-n", "1", "cancer"],
    );
    let facets = lines.last().unwrap()["data"]["facets"]
        .as_array()
        .unwrap()
        .clone();
    let disease = facets.iter().find(|f| f["type"] == "Disease").unwrap();
    // cancer hits: 1002 1003 1004 1005 1006 1007 2004; with a Disease ID: 1002 1003 1004 1005 1007
    assert_eq!(disease["documents"], 5);
    assert_eq!(disease["top"][0]["id"], "MESH:D015179");
    assert_eq!(disease["top"][0]["documents"], 3);
    assert_eq!(disease["top"][0]["mention"], "colorectal cancer");
    let gene = facets.iter().find(|f| f["type"] == "Gene").unwrap();
    assert_eq!(gene["top"][0]["id"], "5133");
    assert_eq!(gene["top"][0]["mention"], "PD1");
}

#[test]
fn pubtator_output_round_trips() {
    let d = fixture_index();
    let mut c = ptsearch(d.path());
    c.args(["search", "--all", "--format", "pubtator", "*"]);
    let (_, first, _) = run(c);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &first).unwrap();
    let d2 = tempfile::tempdir().unwrap();
    index_files(d2.path(), &[file.path()]);
    let mut c = ptsearch(d2.path());
    c.args(["search", "--all", "--format", "pubtator", "*"]);
    let (_, second, _) = run(c);
    assert_eq!(first, second);
    // And the seed comes back byte for byte.
    let seed = std::fs::read_to_string(data("seed-31554797.pubtator")).unwrap();
    assert!(first.contains(&seed), "seed document not reproduced");
}

#[test]
fn entities_autocompletes_with_counts_and_forms() {
    let d = fixture_index();
    let mut c = ptsearch(d.path());
    c.args(["entities", "pd", "--format", "json"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["id"], "5133");
    assert_eq!(rows[0]["documents"], 3);
    assert_eq!(rows[0]["mentions"][0][0], "PD1");
    assert!(rows.iter().any(|r| r["id"] == "29126"));
    let mut c = ptsearch(d.path());
    c.args(["entities", "pd", "--type", "Disease"]);
    assert_eq!(run(c).0, 1);
}

#[test]
fn ties_break_by_numeric_then_textual_id_in_full_and_top_k_rankings() {
    // Equal scores everywhere (`*`): numeric IDs by value, then other IDs by text. The top-k
    // path (-n) reads the textual IDs only for hits that reach the heap.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ties.pubtator");
    let mut text = String::new();
    for id in ["PMC2", "30", "PMC10", "7", "PMC1a"] {
        text.push_str(&format!("{id}|t|Same title\n{id}|a|Same abstract.\n\n"));
    }
    std::fs::write(&input, text).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&input]);
    let want = ["7", "30", "PMC10", "PMC1a", "PMC2"];
    assert_eq!(search_ids(&index, "*"), want);
    assert_eq!(search_ids(&index, "same"), want);
    for n in 1..=want.len() {
        let mut c = ptsearch(&index);
        c.args(["search", "--format", "tsv", "-n", &n.to_string(), "same"]);
        let (_, out, _) = run(c);
        let ids: Vec<&str> = out
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').nth(1))
            .collect();
        assert_eq!(ids, &want[..n], "top {n}");
    }
}

#[test]
fn a_gene_named_inside_a_variant_id_finds_the_variant_document() {
    // Document 2 has no Gene annotation: gene 3043 appears only as the `Gene:3043` part of a
    // tmVar variant ID, which counts as a mention of the gene. Document 3 names another gene.
    let text = "1|t|HBB in anemia\n1|a|Text.\n1\t0\t3\tHBB\tGene\t3043\n\n\
                2|t|The E6V substitution\n2|a|Text.\n\
                2\t4\t7\tE6V\tProteinMutation\tp|SUB|E|6|V;Gene:3043;VariantGroup:0\n\n\
                3|t|BRAF V600E\n3|a|Text.\n3\t0\t4\tBRAF\tGene\t673\n\
                3\t5\t10\tV600E\tProteinMutation\tp|SUB|V|600|E;CorrespondingGene:673\n\n";
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("v.pubtator");
    std::fs::write(&input, text).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&input]);
    let mut got = search_ids(&index, "gene:3043");
    got.sort();
    assert_eq!(got, ["1", "2"]);
    assert_eq!(search_ids(&index, "gene:673"), ["3"]);
    // A gene link is the gene (any spelling), never a variant ID.
    assert!(search_ids(&index, "variant:Gene:3043").is_empty());
    assert_eq!(
        search_ids(&index, "gene:CorrespondingGene:3043"),
        ["1", "2"]
    );
    assert_eq!(search_ids(&index, "CorrespondingGene:673"), ["3"]);
    assert_eq!(search_ids(&index, "variant:p.E6V"), ["2"]);
}
