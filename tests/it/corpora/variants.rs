//! Variants on each shared corpus with variant annotations (tmVar 1 and 2, the tmVar 3 corpus
//! form of AIONER, BioRED, PubTator3 files): `variant:rsN` finds exactly the documents whose
//! variant annotation lines carry rs N in any spelling, counted here by plain string parsing
//! of the files (not the oracle's or the library's reading), and no Variant facet value is a
//! group label or a link.

use super::{corpus, summary};
use crate::util::{index_files, search_ids, search_json, shared_corpora};
use std::collections::{BTreeMap, BTreeSet};

/// The variant type column spellings of the corpora (lower case).
const VARIANT_TYPES: [&str; 10] = [
    "variant",
    "sequencevariant",
    "mutation",
    "dnamutation",
    "proteinmutation",
    "snp",
    "dnaallele",
    "proteinallele",
    "acidchange",
    "othermutation",
];

/// The rs numbers one ID column carries: parts (split on `;` and `,`) spelled `rsN`, `RS#:N`,
/// `dbSNP:N` or `dbSNP:rsN`.
fn rs_numbers(id_column: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in id_column.split([';', ',']) {
        let p = part.trim().to_ascii_lowercase();
        let rest = p
            .strip_prefix("rs#:")
            .or_else(|| p.strip_prefix("dbsnp:"))
            .unwrap_or(&p);
        let digits = rest.strip_prefix("rs").unwrap_or(rest);
        let spelled_rs = p.starts_with("rs") || p.starts_with("dbsnp:");
        if spelled_rs && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            out.push(format!("rs{digits}"));
        }
    }
    out
}

/// rsN → documents whose variant annotation lines carry it, read line by line: an annotation
/// line has ≥ 6 tab-separated columns with integer columns 2 and 3.
fn rs_documents(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if cols.len() < 6
            || cols[1].parse::<u64>().is_err()
            || cols[2].parse::<u64>().is_err()
            || !VARIANT_TYPES.contains(&cols[4].trim().to_ascii_lowercase().as_str())
        {
            continue;
        }
        for rs in rs_numbers(cols[5]) {
            out.entry(rs)
                .or_default()
                .insert(cols[0].trim().to_string());
        }
    }
    out
}

/// True for a facet value that is a label or a link, not a variant.
fn is_label_or_link(id: &str) -> bool {
    let l = id.to_ascii_lowercase();
    [
        "variantgroup",
        "disease:",
        "gene:",
        "correspondinggene",
        "ca#:",
        "correspondingspecies",
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

#[test]
fn rs_ids_find_every_spelling_on_each_variant_corpus() {
    let Some(root) = shared_corpora("rs_ids_find_every_spelling_on_each_variant_corpus") else {
        return;
    };
    let files = [
        "tmvar_normalization/tmVar.Normalization.txt",
        "tmvar_v1/train.PubTator.txt",
        "tmvar_v1/test.PubTator.txt",
        "aioner/tmVar3_Train.PubTator",
        "aioner/tmVar3_Test.PubTator",
        "biored/Train.PubTator",
        "pubtator3_netmedex/variant_relation_extraction.pubtator",
    ];
    let mut failures = Vec::new();
    for rel in files {
        let path = corpus(&root, rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let want = rs_documents(&text);
        assert!(!want.is_empty(), "{rel}: no rsIDs in the file");
        let dir = tempfile::tempdir().unwrap();
        index_files(dir.path(), &[&path]);
        // Every rsID of the small corpora; the most frequent 40 and every 5th of the others.
        let mut by_docs: Vec<(&String, &BTreeSet<String>)> = want.iter().collect();
        by_docs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        for (i, (rs, docs)) in by_docs.iter().enumerate() {
            if i >= 40 && i % 5 != 0 {
                continue;
            }
            let got: BTreeSet<String> = search_ids(dir.path(), &format!("variant:{rs}"))
                .into_iter()
                .collect();
            if &got != *docs {
                failures.push(format!(
                    "{rel}: variant:{rs} found {got:?}, the file has {docs:?}"
                ));
            }
        }
        let lines = search_json(
            dir.path(),
            &[
                "--facets",
                "--facet-top",
                "1000",
                "--limit",
                "0",
                "type:Variant",
            ],
        );
        let facets = summary(&lines)["facets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let variant = facets
            .iter()
            .find(|f| f["type"] == "Variant")
            .unwrap_or_else(|| panic!("{rel}: no Variant facet"));
        for e in variant["top"].as_array().into_iter().flatten() {
            let id = e["id"].as_str().unwrap_or_default();
            if is_label_or_link(id) {
                failures.push(format!("{rel}: Variant facet value {id}"));
            }
            if let Some(docs) = want.get(&id.to_ascii_lowercase()) {
                if e["documents"].as_u64() != Some(docs.len() as u64) {
                    failures.push(format!(
                        "{rel}: facet {id} counts {}, the file has {}",
                        e["documents"],
                        docs.len()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_oracle_reads_every_rs_spelling() {
    assert_eq!(
        rs_numbers("dbSNP:2234671,dbSNP:c|SUB|G|Ex2+860|C,NCBI Gene:3577"),
        ["rs2234671"]
    );
    assert_eq!(
        rs_numbers("tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;RS#:113488022"),
        ["rs113488022"]
    );
    assert_eq!(
        rs_numbers("rs10954213;Disease:D008180;VariantGroup:0"),
        ["rs10954213"]
    );
    assert!(rs_numbers("c|SUB|T|920|G;Gene:23417").is_empty());
}

/// One variant in the spellings of five tools; the documents that spell it are listed with the
/// text, and every spelling of the query finds exactly them.
#[test]
fn every_spelling_of_a_variant_finds_the_same_documents() {
    let text = "\
1|t|BRAF V600E in melanoma\n1|a|Text.\n\
1\t0\t4\tBRAF\tGene\t673\n\
1\t5\t10\tV600E\tProteinMutation\ttmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673;RS#:113488022\n\n\
2|t|V600E again\n2|a|Text.\n\
2\t0\t5\tV600E\tProteinMutation\tp|SUB|V|600|E;Gene:673;Disease:D008545;VariantGroup:0\n\n\
3|t|The rs113488022 SNP\n3|a|Text.\n\
3\t4\t15\trs113488022\tSNP\tdbSNP:113488022,NCBI Gene:673\n\n\
4|t|MTHFR 677C>T\n4|a|Text.\n\
4\t6\t12\t677C>T\tDNAMutation\tc|SUB|C|677|T;Gene:4524;VariantGroup:1\n\n\
5|t|Two mentions of one group\n5|a|V600E and 1799T>A.\n\
5\t26\t31\tV600E\tProteinMutation\tp|SUB|V|600|E;VariantGroup:0\n\
5\t36\t43\t1799T>A\tDNAMutation\tc|SUB|T|1799|A;RS#:113488022;VariantGroup:0\n\n\
6|t|Disease only\n6|a|Text.\n\
6\t0\t7\tDisease\tDNAMutation\tc|DEL||TT;Disease:D008545;VariantGroup:0\n\n\
7|t|32-bp deletion\n7|a|Text.\n\
7\t0\t14\t32-bp deletion\tDNAMutation\tc|DEL||32;Gene:7157;VariantGroup:0\n\n\
8|t|Tumours with the mutation\n8|a|We sequenced p.Val600Glu.\n\
8\t39\t50\tp.Val600Glu\tSequenceVariant\trs113488022\n\n";
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("v.pubtator");
    std::fs::write(&input, text).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&input]);
    let sorted = |q: &str| {
        let mut v = search_ids(&index, q);
        v.sort();
        v
    };
    for q in [
        "variant:p.V600E",
        "variant:p.Val600Glu",
        "variant:\"p|SUB|V|600|E\"",
        "variant:HGVS:p.V600E",
        "V600E",
        "p.V600E",
        "p.Val600Glu",
    ] {
        // Document 8's ID column has only the rsID: its mention spells the variant.
        assert_eq!(sorted(q), ["1", "2", "5", "8"], "{q}");
    }
    for q in [
        "variant:rs113488022",
        "variant:RS#:113488022",
        "variant:dbSNP:113488022",
    ] {
        assert_eq!(sorted(q), ["1", "3", "5", "8"], "{q}");
    }
    for q in ["variant:c.677C>T", "variant:\"c|SUB|C|677|T\"", "c.677C>T"] {
        assert_eq!(sorted(q), ["4"], "{q}");
    }
    assert_eq!(sorted("gene:673"), ["1", "2", "3"]);
    assert_eq!(sorted("gene:4524"), ["4"]);
    // PubTator3's autocomplete form: the variant in a document with the gene.
    assert_eq!(sorted("@VARIANT_p.V600E_BRAF_human"), ["1", "2"]);
    assert_eq!(sorted("@VARIANT_p.Val600Glu"), ["1", "2", "5", "8"]);
    assert_eq!(sorted("@VARIANT_rs113488022"), ["1", "3", "5", "8"]);
    let lines = search_json(
        &index,
        &["--facets", "--facet-top", "50", "--limit", "0", "*"],
    );
    let facets = summary(&lines)["facets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let variant = facets
        .iter()
        .find(|f| f["type"] == "Variant")
        .expect("Variant facet");
    let top: BTreeMap<String, u64> = variant["top"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["id"].as_str().unwrap_or("").to_string(),
                e["documents"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // One value per variant: the rsID when known (document 5 once), else HGVS with its gene,
    // else the normal form (`c|DEL||TT` has no position: no HGVS); never the Disease link.
    // Document 7's shown form carries its gene.
    let want: BTreeMap<String, u64> = [
        ("rs113488022".to_string(), 4),
        ("p.V600E;Gene:673".to_string(), 1),
        ("c.677C>T;Gene:4524".to_string(), 1),
        ("c|DEL||TT".to_string(), 1),
        ("c|DEL||32;Gene:7157".to_string(), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(top, want);
    // The shown form is a paste-ready clause.
    assert_eq!(sorted("variant:\"p.V600E;Gene:673\""), ["2"]);
    assert_eq!(sorted("variant:\"c|DEL||32;Gene:7157\""), ["7"]);
}
