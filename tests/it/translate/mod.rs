//! `ptsearch translate --to quickwit`: golden translations of every query form of the README's
//! query syntax and of the YAML's mapping table, each parsed by tantivy's own query grammar
//! (the one Quickwit uses); refusals without an index; the facet aggregations. The emulation
//! test (`emulation`) runs the translations on a tantivy index built like the Quickwit one.

mod emulation;
mod real_node;
mod scale;

use crate::util::*;
use serde_json::Value;
use std::path::Path;

/// A small PubMed XML file (metadata: journal, year, authors, publication types, MeSH).
pub const PUBMED_XML: &str = r#"<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation><PMID Version="1">9001</PMID>
<Article><Journal><JournalIssue><PubDate><Year>2018</Year></PubDate></JournalIssue>
<Title>The New England journal of medicine</Title><ISOAbbreviation>N Engl J Med</ISOAbbreviation></Journal>
<ArticleTitle>Asthma in adults.</ArticleTitle>
<Abstract><AbstractText>Budesonide helped.</AbstractText></Abstract>
<AuthorList><Author><LastName>Smith</LastName><Initials>J</Initials></Author></AuthorList>
<PublicationTypeList><PublicationType UI="D016454">Review</PublicationType></PublicationTypeList>
</Article>
<MeshHeadingList><MeshHeading><DescriptorName UI="D009369">Neoplasms</DescriptorName></MeshHeading></MeshHeadingList>
</MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation><PMID Version="1">9002</PMID>
<Article><Journal><JournalIssue><PubDate><Year>2009</Year></PubDate></JournalIssue>
<Title>Lancet</Title><ISOAbbreviation>Lancet</ISOAbbreviation></Journal>
<ArticleTitle>Asthma in children.</ArticleTitle>
<AuthorList><Author><LastName>Jones</LastName><Initials>AB</Initials></Author></AuthorList>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
</Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"#;

/// Indexes the test corpus: the query-language, tokenizer, phrase, full-text and bulk fixtures and
/// [`PUBMED_XML`].
pub fn corpus(dir: &Path) -> std::path::PathBuf {
    let xml = dir.join("meta.xml");
    std::fs::write(&xml, PUBMED_XML).unwrap();
    let index = dir.join("index");
    let mut inputs = vec![
        data("query_lang.pubtator"),
        data("tokenizer.pubtator"),
        data("phrases.pubtator"),
        data("interop/full_text_sections.bioc.xml"),
        data("bulk/texts.pubtator"),
        data("bulk/bioconcepts2pubtator3"),
        data("bulk/relation2pubtator3"),
        xml,
    ];
    inputs.retain(|p| p.exists());
    let refs: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    index_files(&index, &refs);
    index
}

/// `translate` with `args`: exit code, the request body (`Null` unless it succeeded), stderr.
pub fn translate(index: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut c = ptsearch(index);
    c.arg("translate").args(args);
    let (code, out, err) = run(c);
    let body = if code == 0 {
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    } else {
        Value::Null
    };
    (code, body, err)
}

/// The query string of a successful translation.
pub fn translated(index: &Path, query: &str) -> String {
    let (code, body, err) = translate(index, &["--to", "quickwit", "--", query]);
    assert_eq!(code, 0, "{query}: {err}");
    body["query"].as_str().unwrap().to_string()
}

/// Every query form of the README's query syntax table and of the YAML's mapping table, with
/// its translation against [`corpus`] (hand-derived from the fixtures: CXCL8 is gene 3576,
/// breast cancer MESH:D001943, HeLa CVCL_0030, rs2234671 a variant).
const GOLDEN: &[(&str, &str)] = &[
    ("BRAF melanoma", r#"+"BRAF" +"melanoma""#),
    (r#""skin cancer""#, r#""skin cancer""#),
    ("cancer OR tumor", r#""cancer" OR "tumor""#),
    ("cancer AND NOT breast", r#"+"cancer" -"breast""#),
    ("cancer -breast", r#"+"cancer" -"breast""#),
    ("-breast", r#"+* -"breast""#),
    ("cancer^3", r#""cancer"^3"#),
    ("title:cancer", r#"title:"cancer""#),
    ("abstract:cells", r#"abstract:"cells""#),
    ("mention:HeLa", r#"mention:"HeLa""#),
    ("text:cancer", r#""cancer""#),
    ("gene:3576", r#"entity:"gene:3576""#),
    ("disease:MESH:D001943", r#"entity:"disease:mesh:d001943""#),
    ("disease:D001943", r#"entity:"disease:mesh:d001943""#),
    ("variant:rs2234671", r#"entity:"variant:rs2234671""#),
    ("variant:dbSNP:2234671", r#"entity:"variant:rs2234671""#),
    ("cellline:CVCL_0030", r#"entity:"cellline:cvcl:0030""#),
    ("species:10116", r#"entity:"species:10116""#),
    ("id:3576", r#"entity:"3576""#),
    ("MESH:D001943", r#"entity:"mesh:d001943""#),
    ("gene:CXCL8", r#"entity:"gene:3576""#),
    ("gene:cxcl8", r#"entity:"gene:3576""#),
    (
        r#"disease:"breast cancer""#,
        r#"entity:"disease:mesh:d001943""#,
    ),
    ("@GENE_CXCL8", r#"entity:"gene:3576""#),
    ("@DISEASE_Breast_Cancer", r#"entity:"disease:mesh:d001943""#),
    ("@GENE_3576", r#"entity:"gene:3576""#),
    ("@CELLLINE_CVCL:0030", r#"entity:"cellline:cvcl:0030""#),
    ("@DISEASE_MESH:D001943", r#"entity:"disease:mesh:d001943""#),
    ("type:Gene", r#"entity_type:"Gene""#),
    ("type:cell_line", r#"entity_type:"CellLine""#),
    (
        "rel:Association|gene:3576|Disease",
        r#"+relation:"association|i:3576|t:disease" +entity:"gene:3576""#,
    ),
    (
        "rel:Association | 3576 | D001943",
        r#"relation:"association|i:3576|i:mesh:d001943""#,
    ),
    (
        "relations:ANY|@GENE_CXCL8|Disease",
        r#"+relation:"any|i:3576|t:disease" +entity:"gene:3576""#,
    ),
    ("rel:ANY|*|*", r#"relation:"any|*|*""#),
    ("rel:CID", r#"relation:"cid|*|*""#),
    ("rel:any|Gene|Disease", r#"relation:"any|t:disease|t:gene""#),
    (
        "title:(cancer OR tumor)",
        r#"title:"cancer" OR title:"tumor""#,
    ),
    (
        "gene:(3576 OR 7157)",
        r#"entity:"gene:3576" OR entity:"gene:7157""#,
    ),
    (
        "-disease:(D001943 D016889)",
        r#"+* -(+entity:"disease:mesh:d001943" +entity:"disease:mesh:d016889")"#,
    ),
    ("endometri*", "endometri*"),
    ("title:endometri*", "title:endometri*"),
    ("D001943", r#""D001943" OR entity:"mesh:d001943""#),
    ("rs2234671", r#""rs2234671" OR entity:"rs2234671""#),
    ("pmid:3001", r#"id:"3001""#),
    ("section:methods", r#"section:"methods""#),
    ("resource:gene2pubmed", r#"resource:"gene2pubmed""#),
    ("year:2018", "year:[2018 TO 2018]"),
    ("year:2015..2020", "year:[2015 TO 2020]"),
    ("year:..2010", "year:[* TO 2010]"),
    (
        r#"journal:"N Engl J Med""#,
        r#"journal:"n engl j med" OR journal:n\ engl\ j\ med\ *"#,
    ),
    ("author:Smith", r#"author:"smith""#),
    (r#"author:"Smith J""#, r#"author:"smith j""#),
    ("pubtype:Review", r#"pubtype:"review""#),
    ("mh:D009369", r#"mesh:"d009369""#),
    ("mh:Neoplasms", r#"mesh:"neoplasms""#),
    ("source:biored/Train", r#"source:"biored/train""#),
    ("*", "*"),
    (
        "(gene:3576 OR cancer) AND NOT type:Variant",
        r#"+(entity:"gene:3576" OR "cancer") -entity_type:"Variant""#,
    ),
];

#[test]
fn translate_every_query_form_and_parse_with_tantivys_grammar() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let mut wrong = Vec::new();
    for (query, want) in GOLDEN {
        let got = translated(&index, query);
        if got != *want {
            wrong.push(format!("{query}\n    got  {got}\n    want {want}"));
        }
        assert!(
            tantivy::query_grammar::parse_query(&got).is_ok(),
            "{query} → {got}: tantivy's query grammar refuses it"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn request_body_sorts_by_score_then_numeric_id() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let (code, body, err) = translate(&index, &["gene:3576", "-n", "25"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(body["max_hits"], 25);
    // Quickwit: a plain name sorts descending, `-` ascending (quickwit-serve's SortBy).
    assert_eq!(body["sort_by"], "_score,-pmid");
    assert!(body.get("aggs").is_none());
    // Quickwit rejects unknown keys: the body holds only these.
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["max_hits", "query", "sort_by"]);
    assert!(err.contains("approximate"), "title boost noted: {err}");
    let (_, body, _) = translate(&index, &["--sort", "id", "*"]);
    assert_eq!(body["sort_by"], "-pmid");
}

#[test]
fn names_need_an_index_ids_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("no-index-here");
    for (query, clause) in [
        ("gene:PD1 melanoma", "gene:PD1"),
        ("@DISEASE_Breast_Neoplasms", "@DISEASE_Breast_Neoplasms"),
        ("rel:ANY|BRAF|Disease", "BRAF"),
    ] {
        let (code, _, err) = translate(&none, &[query]);
        assert_eq!(code, 2, "{query}: {err}");
        assert!(err.contains(clause) && err.contains("--index"), "{err}");
        assert!(err.contains('^'), "the caret points at the clause: {err}");
    }
    for (query, want) in [
        ("gene:5133", r#"entity:"gene:5133""#),
        ("id:5133", r#"entity:"5133""#),
        ("@GENE_673", r#"entity:"gene:673""#),
        ("D008545", r#""D008545" OR entity:"mesh:d008545""#),
        (
            "rel:Association|5133|D009369",
            r#"relation:"association|i:5133|i:mesh:d009369""#,
        ),
        (
            "rel:treat|*|Disease",
            r#"relation:"treat|*|t:disease" OR relation:"negative_correlation|*|t:disease""#,
        ),
    ] {
        let (code, body, err) = translate(&none, &[query]);
        assert_eq!(code, 0, "{query}: {err}");
        assert_eq!(body["query"], want, "{query}");
    }
    // A syntax error names its position, with or without an index.
    let (code, _, err) = translate(&none, &["gene:5133 AND"]);
    assert_eq!(code, 2);
    assert!(err.contains("position"), "{err}");
}

#[test]
fn facets_are_plain_terms_aggregations_on_per_type_and_metadata_fields() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let (code, body, err) = translate(&index, &["--facets", "--facet-top", "3", "cancer"]);
    assert_eq!(code, 0, "{err}");
    let aggs = body["aggs"].as_object().unwrap();
    assert_eq!(aggs["types"]["terms"]["field"], "entity_type");
    let fields: Vec<(&str, &str)> = aggs
        .iter()
        .map(|(k, v)| (k.as_str(), v["terms"]["field"].as_str().unwrap()))
        .collect();
    for (name, field) in [
        ("top_Gene", "entity_gene"),
        ("top_Disease", "entity_disease"),
        ("top_Chemical", "entity_chemical"),
        ("top_Species", "entity_species"),
        ("top_Variant", "entity_variant"),
        ("top_CellLine", "entity_cellline"),
        ("top_other", "entity_other"),
        ("year", "year"),
        ("pubtype", "pubtype"),
        ("source", "source"),
        ("journal", "journal"),
    ] {
        assert!(
            fields.contains(&(name, field)),
            "{name} on {field} in {fields:?}"
        );
    }
    for (name, agg) in aggs {
        let terms = &agg["terms"];
        assert!(terms.get("include").is_none(), "{name}: no value list");
        assert!(
            terms["shard_size"].as_u64().unwrap() >= terms["size"].as_u64().unwrap(),
            "{name}: shard_size"
        );
    }
    assert_eq!(aggs["top_Gene"]["terms"]["size"], 3);
    assert!(err.contains("approximate: facet counts"), "{err}");
    // Without an index: the same aggregations (they list no values of the index).
    let none = dir.path().join("none");
    let (code, without, err) = translate(&none, &["--facets", "--facet-top", "3", "cancer"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(without["aggs"], body["aggs"]);
}
