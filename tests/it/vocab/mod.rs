//! Vocabularies end to end through the binary: `vocab add/list/remove` over the real-format
//! fixtures in `tests/data/vocab` (MeSH desc/supp XML after NLM's DTD, NCBI gene_info and
//! gene_orthologs), MeSH explosion and the literal `=`, gene aliases, orthologs, tree facets,
//! `entity --tree`, translate and the HTTP doors. Expected sets come from [`fixture_mesh`], a
//! tiny reader of the fixture XML written for these tests, or by hand from the fixtures.

use crate::util::{data, ptsearch, run, search_ids, search_json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod doors;
mod genes;
pub(crate) mod homologene;

/// The text of every `<tag>` element of `block`.
fn elements<'a>(block: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    block
        .split(open.as_str())
        .skip(1)
        .filter_map(|s| s.split(close.as_str()).next())
        .collect()
}

/// The fixture MeSH read independently: descriptor UI → tree numbers, supplementary UI →
/// heading UIs (`*` dropped).
pub(crate) struct FixtureMesh {
    pub(crate) trees: BTreeMap<String, Vec<String>>,
    pub(crate) heads: BTreeMap<String, Vec<String>>,
}

pub(crate) fn fixture_mesh() -> FixtureMesh {
    let desc = std::fs::read_to_string(data("vocab/desc2025.xml")).unwrap();
    let trees = desc
        .split("<DescriptorRecord ")
        .skip(1)
        .map(|r| {
            let ui = elements(r, "DescriptorUI")[0].to_string();
            let t = elements(r, "TreeNumber")
                .iter()
                .map(|s| s.to_string())
                .collect();
            (ui, t)
        })
        .collect();
    let supp = std::fs::read_to_string(data("vocab/supp2025.xml")).unwrap();
    let heads = supp
        .split("<SupplementalRecord ")
        .skip(1)
        .map(|r| {
            let ui = elements(r, "SupplementalRecordUI")[0].to_string();
            let h = elements(r, "HeadingMappedTo")
                .iter()
                .flat_map(|m| elements(m, "DescriptorUI"))
                .map(|u| u.trim_start_matches('*').to_string())
                .collect();
            (ui, h)
        })
        .collect();
    FixtureMesh { trees, heads }
}

impl FixtureMesh {
    /// A descriptor, every descriptor under one of its tree numbers, and the supplementary
    /// records mapped to any of them.
    pub(crate) fn exploded(&self, ui: &str) -> BTreeSet<String> {
        let own = self.trees.get(ui).cloned().unwrap_or_default();
        let mut set: BTreeSet<String> = self
            .trees
            .iter()
            .filter(|(_, ts)| {
                ts.iter()
                    .any(|t| own.iter().any(|o| t.starts_with(&format!("{o}."))))
            })
            .map(|(u, _)| u.clone())
            .collect();
        set.insert(ui.to_string());
        let supp: Vec<String> = self
            .heads
            .iter()
            .filter(|(_, h)| h.iter().any(|d| set.contains(d)))
            .map(|(u, _)| u.clone())
            .collect();
        set.extend(supp);
        set
    }

    /// The descriptors owning the tree numbers `depth` levels deep above `ui`'s.
    fn ancestors(&self, ui: &str, depth: usize) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let heads = self
            .heads
            .get(ui)
            .cloned()
            .unwrap_or_else(|| vec![ui.to_string()]);
        for h in heads {
            for t in self.trees.get(&h).cloned().unwrap_or_default() {
                let parts: Vec<&str> = t.split('.').collect();
                if parts.len() < depth {
                    continue;
                }
                let up = parts[..depth].join(".");
                for (d, ts) in &self.trees {
                    if ts.contains(&up) {
                        out.insert(d.clone());
                    }
                }
            }
        }
        out
    }
}

/// A fresh index of `corpus` (a fixture under tests/data) with the given vocabulary files.
fn index_with_vocab(corpus: &str, vocab: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::util::index_files(dir.path(), &[data(corpus).as_path()]);
    if !vocab.is_empty() {
        add(dir.path(), vocab, &[]);
    }
    dir
}

/// `vocab add --quiet` of fixture files; asserts success.
fn add(index: &Path, files: &[&str], extra: &[&str]) {
    let mut c = ptsearch(index);
    c.args(["vocab", "add", "--quiet"]).args(extra);
    for f in files {
        c.arg(data(&format!("vocab/{f}")));
    }
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn hits(index: &Path, q: &str) -> BTreeSet<String> {
    search_ids(index, q).into_iter().collect()
}

/// The summary object of `search --format json ARGS`.
fn summary(index: &Path, args: &[&str]) -> serde_json::Value {
    let lines = search_json(index, args);
    lines
        .into_iter()
        .find(|l| l["type"] == "summary")
        .map(|l| l["data"].clone())
        .expect("a summary line")
}

/// The documents of `genes.pubtator` by Disease ID, read by hand from the fixture.
fn fixture_disease_docs() -> BTreeMap<&'static str, BTreeSet<String>> {
    BTreeMap::from([
        ("D008545", set(&["100", "104", "107"])),
        ("D015179", set(&["102", "106"])),
        ("D001943", set(&["103"])),
    ])
}

#[test]
fn vocab_add_detects_each_kind_by_content_plain_or_gzip_and_list_shows_it() {
    let index = index_with_vocab("vocab/genes.pubtator", &[]);
    // Misleading names and a gzip copy: the kind comes from the content.
    let tmp = tempfile::tempdir().unwrap();
    let desc = tmp.path().join("first.dat");
    std::fs::copy(data("vocab/desc2025.xml"), &desc).unwrap();
    let supp = tmp.path().join("second.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&supp).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::copy(
        &mut std::fs::File::open(data("vocab/supp2025.xml")).unwrap(),
        &mut gz,
    )
    .unwrap();
    gz.finish().unwrap();
    let mut c = ptsearch(index.path());
    c.args(["vocab", "add"])
        .arg(&desc)
        .arg(&supp)
        .arg(data("vocab/gene_info"))
        .arg(data("vocab/gene_orthologs"))
        .args(["--taxon", "9606,10090"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added mesh-desc from first.dat"), "{err}");
    let mut c = ptsearch(index.path());
    c.args(["vocab", "list", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mesh = fixture_mesh();
    let gene_lines = std::fs::read_to_string(data("vocab/gene_info")).unwrap();
    let kept_genes = gene_lines
        .lines()
        .filter(|l| l.starts_with("9606\t") || l.starts_with("10090\t"))
        .count();
    // By hand from gene_orthologs: human genes 673, 29126, 5133 and 7157 each with their
    // mouse ortholog (the rat and zebrafish BRAF pairs fall outside --taxon).
    let groups = 4;
    let got: Vec<(String, String, String, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["kind"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["version"].as_str().unwrap().to_string(),
                v["records"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got[0],
        (
            "mesh-desc".into(),
            "first.dat".into(),
            "2024-06-18".into(),
            mesh.trees.len() as u64
        )
    );
    assert_eq!(got[1].0, "mesh-supp");
    assert_eq!(got[1].3, mesh.heads.len() as u64);
    assert_eq!(got[2].0, "gene-info");
    assert_eq!(got[2].2, "2025-01-10", "the latest Modification_date");
    assert_eq!(got[2].3, kept_genes as u64);
    assert_eq!((got[3].0.as_str(), got[3].3), ("gene-orthologs", groups));
    // A newer file of a kind replaces it whole; remove takes a kind.
    add(index.path(), &["desc2025.xml"], &[]);
    let mut c = ptsearch(index.path());
    c.args(["vocab", "remove", "supp"]);
    assert_eq!(run(c).0, 0);
    let mut c = ptsearch(index.path());
    c.args(["vocab", "list"]);
    let (_, out, _) = run(c);
    let kinds: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(kinds, ["mesh-desc", "gene-info", "gene-orthologs"]);
    let mut c = ptsearch(index.path());
    c.args(["vocab", "remove", "nonsense"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("unknown vocabulary kind 'nonsense'"), "{err}");
}

#[test]
fn vocab_add_refuses_other_files_and_malformed_ones_naming_the_file() {
    let index = index_with_vocab("vocab/genes.pubtator", &[]);
    let mut c = ptsearch(index.path());
    c.args(["vocab", "add"]).arg(data("vocab/genes.pubtator"));
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("genes.pubtator") && err.contains("not a vocabulary"),
        "{err}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("broken.xml");
    std::fs::write(
        &bad,
        "<DescriptorRecordSet><DescriptorRecord><DescriptorUI>D1</DescriptorUI></Oops>",
    )
    .unwrap();
    let mut c = ptsearch(index.path());
    c.args(["vocab", "add"]).arg(&bad);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("broken.xml") && err.contains("at byte"),
        "{err}"
    );
    let bad_genes = tmp.path().join("genes.tsv");
    std::fs::write(
        &bad_genes,
        "#tax_id\tGeneID\tSymbol\tLocusTag\tSynonyms\n9606\tx\tA\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n",
    )
    .unwrap();
    let mut c = ptsearch(index.path());
    c.args(["vocab", "add"]).arg(&bad_genes);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("genes.tsv:2: GeneID 'x' is not a number"),
        "{err}"
    );
    // Nothing was stored by the failed adds.
    let mut c = ptsearch(index.path());
    c.args(["vocab", "list", "--format", "json"]);
    assert_eq!(run(c).1.trim(), "[]");
}

#[test]
fn mesh_ids_explode_to_narrower_descriptors_and_records_unless_written_literally() {
    let plain = index_with_vocab("vocab/genes.pubtator", &[]);
    let index = index_with_vocab("vocab/genes.pubtator", &["desc2025.xml", "supp2025.xml"]);
    let mesh = fixture_mesh();
    let docs = fixture_disease_docs();
    for ui in [
        "D009369", "D015179", "D009370", "D009371", "D001943", "D004067",
    ] {
        let exploded = mesh.exploded(ui);
        let expected: BTreeSet<String> = docs
            .iter()
            .filter(|(id, _)| exploded.contains(**id))
            .flat_map(|(_, d)| d.iter().cloned())
            .collect();
        let literal = docs.get(ui).cloned().unwrap_or_default();
        assert_eq!(
            hits(index.path(), &format!("disease:{ui}")),
            expected,
            "disease:{ui}"
        );
        assert_eq!(
            hits(index.path(), &format!("@DISEASE_{ui}")),
            expected,
            "@DISEASE_{ui}"
        );
        assert_eq!(
            hits(index.path(), &format!("disease:={ui}")),
            literal,
            "disease:={ui}"
        );
        // Without a vocabulary nothing changes.
        assert_eq!(
            hits(plain.path(), &format!("disease:{ui}")),
            literal,
            "no vocab: {ui}"
        );
    }
    // A name resolves, then explodes; the relation argument too.
    let neoplasms: BTreeSet<String> = docs.values().flatten().cloned().collect();
    assert_eq!(hits(index.path(), "@DISEASE_Neoplasms"), neoplasms);
    assert_eq!(
        hits(index.path(), "rel:ANY|gene:673|disease:D009369"),
        set(&["106"])
    );
    assert_eq!(
        hits(index.path(), "rel:ANY|gene:673|disease:=D009369"),
        set(&[])
    );
    assert_eq!(
        hits(plain.path(), "rel:ANY|gene:673|disease:D009369"),
        set(&[])
    );
    let s = summary(index.path(), &["--", "disease:D015179"]);
    let x = mesh.exploded("D015179");
    let narrower = x.iter().filter(|u| u.starts_with('D')).count() - 1;
    let supp = x.iter().filter(|u| u.starts_with('C')).count();
    assert_eq!(
        s["resolutions"][0]["expansion"],
        format!("Colorectal Neoplasms: 1 descriptor + {narrower} narrower + {supp} supplementary records")
    );
    let s = summary(index.path(), &["--", "disease:=D015179"]);
    assert!(s.get("resolutions").is_none(), "{s}");
}

#[test]
fn mh_headings_explode_like_pubmed_and_the_equals_sign_turns_it_off() {
    let index = index_with_vocab("vocab/pubmed_headings.xml", &["desc2025.xml"]);
    let mesh = fixture_mesh();
    // Headings of pubmed_headings.xml, by hand.
    let headings = [
        ("9000001", "D015179"),
        ("9000002", "D008545"),
        ("9000003", "D009369"),
        ("9000004", "D020388"),
    ];
    for ui in ["D009369", "D009371", "D009136", "D015179"] {
        let x = mesh.exploded(ui);
        let expected: BTreeSet<String> = headings
            .iter()
            .filter(|(_, h)| x.contains(*h))
            .map(|(d, _)| d.to_string())
            .collect();
        assert_eq!(hits(index.path(), &format!("mh:{ui}")), expected, "mh:{ui}");
        let literal: BTreeSet<String> = headings
            .iter()
            .filter(|(_, h)| *h == ui)
            .map(|(d, _)| d.to_string())
            .collect();
        assert_eq!(
            hits(index.path(), &format!("mh:={ui}")),
            literal,
            "mh:={ui}"
        );
    }
    // By name, through the descriptor's name and entry terms.
    assert_eq!(
        hits(index.path(), "mh:Neoplasms"),
        set(&["9000001", "9000002", "9000003"])
    );
    assert_eq!(
        hits(index.path(), "mh:\"Muscular Dystrophy\""),
        set(&["9000004"])
    );
}

#[test]
fn tree_facets_count_each_document_once_per_ancestor_of_the_level() {
    let index = index_with_vocab("vocab/genes.pubtator", &["desc2025.xml", "supp2025.xml"]);
    let mesh = fixture_mesh();
    let docs = fixture_disease_docs();
    for level in 1..=3 {
        let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (id, ds) in &docs {
            for a in mesh.ancestors(id, level) {
                expected.entry(a).or_default().extend(ds.iter().cloned());
            }
        }
        let s = summary(
            index.path(),
            &[
                "--facet-level",
                &level.to_string(),
                "--facet-top",
                "50",
                "--",
                "*",
            ],
        );
        let got: BTreeMap<String, u64> = s["tree_facets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["type"] == "Disease")
            .flat_map(|f| f["values"].as_array().unwrap().clone())
            .map(|v| {
                assert_eq!(
                    v["clause"].as_str().unwrap(),
                    format!("disease:{}", v["id"].as_str().unwrap())
                );
                (
                    v["id"].as_str().unwrap().to_string(),
                    v["documents"].as_u64().unwrap(),
                )
            })
            .collect();
        let want: BTreeMap<String, u64> = expected
            .iter()
            .map(|(k, v)| (k.clone(), v.len() as u64))
            .collect();
        assert_eq!(got, want, "level {level}");
        // Each value's clause finds exactly its count (it explodes).
        for (ui, n) in &want {
            assert_eq!(
                hits(index.path(), &format!("disease:{ui}")).len() as u64,
                *n
            );
        }
    }
}

#[test]
fn entity_tree_shows_parents_and_children_with_their_documents() {
    let index = index_with_vocab("vocab/genes.pubtator", &["desc2025.xml", "supp2025.xml"]);
    let mesh = fixture_mesh();
    let docs = fixture_disease_docs();
    let mut c = ptsearch(index.path());
    c.args(["entity", "D015179", "--tree", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let own = &mesh.trees["D015179"];
    let ids = |k: &str| -> BTreeSet<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    let parents: BTreeSet<String> = mesh
        .trees
        .iter()
        .filter(|(_, ts)| {
            ts.iter().any(|t| {
                own.iter()
                    .any(|o| o.rsplit_once('.').map(|x| x.0) == Some(t.as_str()))
            })
        })
        .map(|(u, _)| u.clone())
        .collect();
    let children: BTreeSet<String> = mesh
        .trees
        .iter()
        .filter(|(_, ts)| {
            ts.iter().any(|t| {
                t.rsplit_once('.')
                    .is_some_and(|(up, _)| own.contains(&up.to_string()))
            })
        })
        .map(|(u, _)| u.clone())
        .collect();
    assert_eq!(ids("parents"), parents);
    assert_eq!(ids("children"), children);
    assert_eq!(v["node"]["documents"], docs["D015179"].len());
    assert_eq!(
        v["node"]["with_narrower"],
        hits(index.path(), "disease:D015179").len()
    );
    // Without MeSH the tree is refused with a hint.
    let plain = index_with_vocab("vocab/genes.pubtator", &[]);
    let mut c = ptsearch(plain.path());
    c.args(["entity", "D015179", "--tree"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("vocab add"), "{err}");
}
