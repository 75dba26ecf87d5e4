//! HomoloGene groups read at ingest from PubTator3's BioC `ncbi_homologene` infons: `ortho:`
//! and `@GENE_` follow them, joined with `gene_orthologs` when both are loaded. Expected sets
//! come from the input files, read here with serde_json and a split on tabs.

use super::{add, hits};
use crate::util::{data, ptsearch, run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a PubTator3 BioC JSON file says about genes: documents per gene ID and the genes of
/// each HomoloGene group (pairs whose identifier and group are single numbers).
#[derive(Default)]
pub struct GeneInfons {
    pub docs: BTreeMap<u64, BTreeSet<String>>,
    pub groups: BTreeMap<u64, BTreeSet<u64>>,
}

impl GeneInfons {
    /// Reads every document of `files` (one document, a `PubTator3` list or a collection).
    pub fn read(files: &[&Path]) -> GeneInfons {
        let mut out = GeneInfons::default();
        for f in files {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            let docs = match (v.get("PubTator3"), v.get("documents")) {
                (Some(d), _) | (None, Some(d)) => d.as_array().unwrap().clone(),
                (None, None) => vec![v],
            };
            for d in docs {
                let id = d["id"].as_str().unwrap().to_string();
                for p in d["passages"].as_array().unwrap() {
                    for a in p["annotations"].as_array().into_iter().flatten() {
                        out.annotation(&id, &a["infons"]);
                    }
                }
            }
        }
        out
    }

    fn annotation(&mut self, doc: &str, infons: &Value) {
        let text = |k: &str| infons.get(k).and_then(Value::as_str).map(str::trim);
        if !text("type").is_some_and(|t| t.eq_ignore_ascii_case("gene")) {
            return;
        }
        let Some(gene) = text("identifier").and_then(|s| s.parse::<u64>().ok()) else {
            return;
        };
        self.docs.entry(gene).or_default().insert(doc.to_string());
        if let Some(g) = text("ncbi_homologene").and_then(|s| s.parse::<u64>().ok()) {
            self.groups.entry(g).or_default().insert(gene);
        }
    }

    /// Distinct (group, gene) pairs.
    pub fn pairs(&self) -> usize {
        self.groups.values().map(BTreeSet::len).sum()
    }

    /// The genes joined with `gene` through the groups and the extra `links` (ortholog
    /// pairs of another table), closed transitively.
    pub fn orthologs(&self, gene: u64, links: &[(u64, u64)]) -> BTreeSet<u64> {
        let mut edges: Vec<(u64, u64)> = links.to_vec();
        for g in self.groups.values() {
            let v: Vec<u64> = g.iter().copied().collect();
            edges.extend(v.windows(2).map(|w| (w[0], w[1])));
        }
        let mut found = BTreeSet::from([gene]);
        loop {
            let before = found.len();
            for &(a, b) in &edges {
                if found.contains(&a) || found.contains(&b) {
                    found.insert(a);
                    found.insert(b);
                }
            }
            if found.len() == before {
                return found;
            }
        }
    }

    /// The documents of any of `genes`.
    pub fn docs_of(&self, genes: &BTreeSet<u64>) -> BTreeSet<String> {
        genes
            .iter()
            .filter_map(|g| self.docs.get(g))
            .flatten()
            .cloned()
            .collect()
    }
}

/// Ortholog pairs of a `gene_orthologs` file (columns 2 and 5).
fn ortholog_pairs(file: &Path) -> Vec<(u64, u64)> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[1].parse().unwrap(), c[4].parse().unwrap())
        })
        .collect()
}

fn index(index: &Path, file: &Path) -> String {
    let mut c = ptsearch(index);
    c.args(["index"]).arg(file);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    out + &err
}

fn vocab_records(index: &Path, kind: &str) -> Option<u64> {
    let mut c = ptsearch(index);
    c.args(["vocab", "list"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|c| c[0] == kind)
        .map(|c| c[3].parse().unwrap())
}

/// `ortho:G` finds the documents of every gene joined with G, for each gene of the file.
pub fn check_every_gene(index: &Path, infons: &GeneInfons, links: &[(u64, u64)]) -> usize {
    let mut grown = 0;
    for &gene in infons.docs.keys() {
        let group = infons.orthologs(gene, links);
        let expected = infons.docs_of(&group);
        assert_eq!(
            hits(index, &format!("ortho:{gene}")),
            expected,
            "ortho:{gene}"
        );
        assert_eq!(
            hits(index, &format!("@GENE_{gene}")),
            expected,
            "@GENE_{gene} follows the orthologs"
        );
        let literal = infons.docs_of(&BTreeSet::from([gene]));
        assert_eq!(hits(index, &format!("ortho:={gene}")), literal);
        grown += usize::from(expected.len() > literal.len());
    }
    grown
}

#[test]
fn homologene_infons_read_at_ingest_give_ortholog_groups_joined_with_gene_orthologs() {
    let file = data("vocab/homologene.biocjson.json");
    let infons = GeneInfons::read(&[&file]);
    let dir = tempfile::tempdir().unwrap();
    let out = index(dir.path(), &file);
    let pairs = infons.pairs();
    assert!(
        out.contains(&format!(
            "orthologs: {pairs} gene-to-HomoloGene pairs learned"
        )),
        "{out}"
    );
    assert_eq!(vocab_records(dir.path(), "homologene"), Some(pairs as u64));
    // Each gene with a group finds its group's documents; the others only their own.
    let grown = check_every_gene(dir.path(), &infons, &[]);
    assert!(grown >= 4, "the fixture's two groups join four genes");
    // Indexing the same file again learns nothing new, and says nothing.
    let again = index(dir.path(), &file);
    assert!(!again.contains("orthologs:"), "{again}");
    // gene_orthologs joins its own groups to the learned ones (673 also reaches zebrafish).
    add(dir.path(), &["gene_orthologs"], &[]);
    let links = ortholog_pairs(&data("vocab/gene_orthologs"));
    check_every_gene(dir.path(), &infons, &links);
    assert!(hits(dir.path(), "ortho:109880").contains("205"));
    // Removing the learned groups leaves gene_orthologs alone.
    let mut c = ptsearch(dir.path());
    c.args(["vocab", "remove", "homologene"]);
    assert_eq!(run(c).0, 0);
    assert_eq!(vocab_records(dir.path(), "homologene"), None);
    let only_table = GeneInfons {
        docs: infons.docs.clone(),
        groups: BTreeMap::new(),
    };
    check_every_gene(dir.path(), &only_table, &links);
    // It cannot be loaded from a file.
    let mut c = ptsearch(dir.path());
    c.args(["vocab", "add"]).arg(&file);
    let (code, _, err) = run(c);
    assert_ne!(code, 0);
    assert!(err.contains("homologene.biocjson.json"), "{err}");
}
