//! NCBI Gene, read from its distribution TSVs: `gene_info` (16 columns: taxon, GeneID,
//! Symbol, LocusTag, Synonyms, ..., description, ..., Full_name_from_nomenclature_authority,
//! ..., Modification_date) and `gene_orthologs` (taxon, GeneID, relationship, other taxon,
//! other GeneID), one line at a time; and the loaded tables the query side resolves gene
//! names and orthologs with.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

/// One gene of `gene_info`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Gene {
    /// NCBI GeneID.
    pub id: u64,
    /// NCBI Taxonomy ID.
    pub taxon: u64,
    /// Official symbol.
    pub symbol: String,
    /// Synonyms (aliases).
    pub synonyms: Vec<String>,
    /// Full name (the nomenclature authority's, else the description).
    pub full_name: String,
}

/// What a parse of a gene file gives.
pub struct ParsedGenes<T> {
    /// The records kept.
    pub records: Vec<T>,
    /// The latest `Modification_date` (`YYYY-MM-DD`), empty when the file has none.
    pub latest: String,
}

fn field<'a>(cols: &[&'a str], i: usize) -> &'a str {
    cols.get(i).copied().unwrap_or("")
}

fn bad(file: &str, line: u64, reason: impl Into<String>) -> Error {
    Error::Input {
        path: file.to_string(),
        line,
        reason: reason.into(),
    }
}

fn number(file: &str, line: u64, what: &str, s: &str) -> Result<u64> {
    s.trim()
        .parse()
        .map_err(|_| bad(file, line, format!("{what} '{s}' is not a number")))
}

/// Reads every line of `reader` after the header, calling `row` with its columns and line
/// number; `tick` every 100,000 lines.
fn rows(
    reader: impl BufRead,
    file: &str,
    columns: usize,
    tick: &mut dyn FnMut(u64),
    mut row: impl FnMut(&[&str], u64) -> Result<()>,
) -> Result<()> {
    let mut n = 0u64;
    for line in reader.split(b'\n') {
        n += 1;
        let line = line.map_err(|e| Error::io(file.to_string(), e))?;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r');
        if text.starts_with('#') || text.is_empty() {
            continue;
        }
        let cols: Vec<&str> = text.split('\t').collect();
        if cols.len() < columns {
            return Err(bad(
                file,
                n,
                format!("{} columns, expected {columns}", cols.len()),
            ));
        }
        row(&cols, n)?;
        if n.is_multiple_of(100_000) {
            tick(n);
        }
    }
    Ok(())
}

/// Streams `gene_info`, keeping the genes of `taxa` (all when empty).
pub fn parse_gene_info(
    reader: impl BufRead,
    file: &str,
    taxa: &[u64],
    tick: &mut dyn FnMut(u64),
) -> Result<ParsedGenes<Gene>> {
    let mut out = Vec::new();
    let mut latest = String::new();
    rows(reader, file, 15, tick, |cols, n| {
        let taxon = number(file, n, "tax_id", field(cols, 0))?;
        if !taxa.is_empty() && !taxa.contains(&taxon) {
            return Ok(());
        }
        let id = number(file, n, "GeneID", field(cols, 1))?;
        let list = |s: &str| -> Vec<String> {
            s.split('|')
                .map(str::trim)
                .filter(|x| !x.is_empty() && *x != "-")
                .map(str::to_string)
                .collect()
        };
        let authority = field(cols, 11);
        let full_name = if authority.is_empty() || authority == "-" {
            field(cols, 8)
        } else {
            authority
        };
        let date = field(cols, 14);
        if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
            let d = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
            if d > latest {
                latest = d;
            }
        }
        out.push(Gene {
            id,
            taxon,
            symbol: field(cols, 2).to_string(),
            synonyms: list(field(cols, 4)),
            full_name: if full_name == "-" { "" } else { full_name }.to_string(),
        });
        Ok(())
    })?;
    Ok(ParsedGenes {
        records: out,
        latest,
    })
}

/// Streams `gene_orthologs` into ortholog groups (connected genes), keeping pairs whose two
/// taxa are both in `taxa` (all when empty). Each group is sorted, groups by first gene.
pub fn parse_orthologs(
    reader: impl BufRead,
    file: &str,
    taxa: &[u64],
    tick: &mut dyn FnMut(u64),
) -> Result<ParsedGenes<Vec<u64>>> {
    let mut components = Components::default();
    rows(reader, file, 5, tick, |cols, n| {
        let (ta, a) = (
            number(file, n, "tax_id", field(cols, 0))?,
            number(file, n, "GeneID", field(cols, 1))?,
        );
        let (tb, b) = (
            number(file, n, "Other_tax_id", field(cols, 3))?,
            number(file, n, "Other_GeneID", field(cols, 4))?,
        );
        if taxa.is_empty() || (taxa.contains(&ta) && taxa.contains(&tb)) {
            components.join(a, b);
        }
        Ok(())
    })?;
    let records = components.groups();
    Ok(ParsedGenes {
        records,
        latest: String::new(),
    })
}

/// Connected genes (union-find): pairs joined one at a time, groups read at the end.
#[derive(Default)]
pub struct Components {
    parent: HashMap<u64, u64>,
}

impl Components {
    fn find(&mut self, x: u64) -> u64 {
        let mut root = x;
        while let Some(&p) = self.parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        let mut cur = x;
        while cur != root {
            let next = self.parent.get(&cur).copied().unwrap_or(root);
            self.parent.insert(cur, root);
            cur = next;
        }
        root
    }

    /// Puts `a` and `b` in one group.
    pub fn join(&mut self, a: u64, b: u64) {
        self.parent.entry(a).or_insert(a);
        self.parent.entry(b).or_insert(b);
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent.insert(ra.max(rb), ra.min(rb));
        }
    }

    /// Every group of two or more genes, each sorted, groups in order of their first gene.
    pub fn groups(mut self) -> Vec<Vec<u64>> {
        let keys: Vec<u64> = self.parent.keys().copied().collect();
        let mut groups: HashMap<u64, BTreeSet<u64>> = HashMap::new();
        for k in keys {
            let r = self.find(k);
            groups.entry(r).or_default().insert(k);
        }
        let mut records: Vec<Vec<u64>> = groups
            .into_values()
            .filter(|g| g.len() > 1)
            .map(|g| g.into_iter().collect())
            .collect();
        records.sort();
        records
    }
}

/// The genes loaded for the query side, by ID, symbol and synonym (any case).
#[derive(Default)]
pub struct Genes {
    genes: Vec<Gene>,
    by_id: HashMap<u64, u32>,
    by_symbol: HashMap<String, Vec<u32>>,
    by_synonym: HashMap<String, Vec<u32>>,
}

/// How a gene name resolved: by official symbol, or only through synonyms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneMatch<'a> {
    /// Genes whose official symbol is the name.
    Symbol(Vec<&'a Gene>),
    /// Genes that have the name as a synonym (no official symbol matched).
    Synonym(Vec<&'a Gene>),
}

impl Genes {
    /// Builds the lookups.
    pub fn new(genes: Vec<Gene>) -> Genes {
        let mut g = Genes {
            genes,
            ..Genes::default()
        };
        for (i, gene) in g.genes.iter().enumerate() {
            let i = i as u32;
            g.by_id.insert(gene.id, i);
            g.by_symbol
                .entry(gene.symbol.to_lowercase())
                .or_default()
                .push(i);
            for s in &gene.synonyms {
                g.by_synonym.entry(s.to_lowercase()).or_default().push(i);
            }
        }
        g
    }

    /// The gene of an ID.
    pub fn get(&self, id: u64) -> Option<&Gene> {
        self.by_id
            .get(&id)
            .and_then(|&i| self.genes.get(i as usize))
    }

    /// Resolves a name (any case): official symbols first (those spelled exactly so when
    /// several match), else synonyms; restricted to `taxa` when not empty. `None` when
    /// nothing matches.
    pub fn resolve(&self, name: &str, taxa: &[u64]) -> Option<GeneMatch<'_>> {
        let key = name.trim().to_lowercase();
        let pick = |map: &HashMap<String, Vec<u32>>| -> Vec<&Gene> {
            map.get(&key)
                .map(|v| {
                    v.iter()
                        .filter_map(|&i| self.genes.get(i as usize))
                        .filter(|g| taxa.is_empty() || taxa.contains(&g.taxon))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut official = pick(&self.by_symbol);
        if !official.is_empty() {
            // `BRAF` is the human gene, `Braf` the mouse and rat ones: a symbol written in
            // one species' case picks that species' genes when several match.
            let exact: Vec<&Gene> = official
                .iter()
                .copied()
                .filter(|g| g.symbol == name.trim())
                .collect();
            if !exact.is_empty() {
                official = exact;
            }
            return Some(GeneMatch::Symbol(official));
        }
        let synonyms = pick(&self.by_synonym);
        (!synonyms.is_empty()).then_some(GeneMatch::Synonym(synonyms))
    }

    /// Number of genes loaded.
    pub fn len(&self) -> usize {
        self.genes.len()
    }

    /// True when no gene is loaded.
    pub fn is_empty(&self) -> bool {
        self.genes.is_empty()
    }
}

/// Ortholog groups by gene.
#[derive(Default)]
pub struct Orthologs {
    groups: Vec<Vec<u64>>,
    of: HashMap<u64, u32>,
}

impl Orthologs {
    /// Builds the lookup over groups.
    pub fn new(groups: Vec<Vec<u64>>) -> Orthologs {
        let mut of = HashMap::new();
        for (i, g) in groups.iter().enumerate() {
            for &id in g {
                of.insert(id, i as u32);
            }
        }
        Orthologs { groups, of }
    }

    /// The group of a gene (itself included), `None` when it has no ortholog.
    pub fn group(&self, id: u64) -> Option<&[u64]> {
        self.of
            .get(&id)
            .and_then(|&i| self.groups.get(i as usize))
            .map(Vec::as_slice)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when no group is loaded.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
