//! Query-time expansion with the vocabularies, written once for both lowerings of a query
//! (`search::query::compile` to tantivy, `search::translate` to Quickwit): a MeSH ID explodes
//! to its narrower descriptors and their supplementary records (PubMed's default; a literal
//! clause, `disease:=D009369`, does not); a gene name resolves through `gene_info` symbols and
//! synonyms; `ortho:` (and `@GENE_` with an ortholog table) adds a gene's orthologs. Results
//! are canonical IDs as the index stores them (`MESH:D009369`, `673`) and the notes to show.

use super::gene::{Gene, GeneMatch};
use super::Vocab;
use crate::error::Result;

/// How an entity clause was written, as far as the vocabularies care.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    /// `=` after the colon: the literal ID, no explosion and no orthologs.
    pub literal: bool,
    /// Add the orthologs of genes (`ortho:`, or `@GENE_` with an ortholog table).
    pub orthologs: bool,
    /// Resolve names as MeSH names and entry terms first (`mh:`).
    pub mesh_names: bool,
}

/// What an entity clause asks of the vocabularies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// The clause's canonical type (`Disease`), `None` for `id:` and `mh:`.
    pub entity_type: Option<&'a str>,
    /// How the clause was written.
    pub mode: Mode,
    /// Taxa named by `species:N` clauses of the query: gene names resolve among them.
    pub taxa: &'a [u64],
}

/// IDs expanded from the clause's own: what to search, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Every ID to search (canonical, as stored), the clause's own first.
    pub ids: Vec<String>,
    /// What happened, one line (`Neoplasms: 1 descriptor + 12 narrower + 3 supplementary
    /// records`).
    pub note: String,
}

/// A name resolved through a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameResolution {
    /// The IDs (canonical).
    pub ids: Vec<String>,
    /// Notes for the user (an alias of several genes names each candidate).
    pub warnings: Vec<String>,
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The MeSH UI of a canonical ID (`MESH:D009369` → `D009369`).
pub fn mesh_ui(id: &str) -> Option<&str> {
    let rest = id
        .strip_prefix("MESH:")
        .or_else(|| id.strip_prefix("mesh:"))?;
    let b = rest.as_bytes();
    (b.len() >= 2 && matches!(b[0], b'D' | b'C' | b'd' | b'c')).then_some(rest)
}

/// Expands the IDs a clause arrived at (`seeds`, canonical). `None` when no vocabulary adds
/// anything (then the clause reads exactly as without vocabularies).
pub fn expand_ids(vocab: &Vocab, req: &Request<'_>, seeds: &[String]) -> Result<Option<Expansion>> {
    if req.mode.literal || vocab.is_empty() || seeds.is_empty() {
        return Ok(None);
    }
    let mut ids: Vec<String> = seeds.to_vec();
    // A branch can hold a hundred thousand IDs: deduplicate through a set, not a scan.
    let mut seen: std::collections::HashSet<String> = ids.iter().cloned().collect();
    let mut notes: Vec<String> = Vec::new();
    let mut push = |ids: &mut Vec<String>, id: String| {
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    };
    if let Some(mesh) = vocab.mesh()? {
        for seed in seeds {
            let Some(ui) = mesh_ui(seed) else { continue };
            let ui = ui.to_ascii_uppercase();
            let Some(x) = mesh.explode(&ui) else { continue };
            let narrower = x.descriptors.len().saturating_sub(1);
            if narrower == 0 && x.supplementary.is_empty() {
                continue;
            }
            let name = if x.name.is_empty() {
                ui.clone()
            } else {
                x.name.clone()
            };
            notes.push(format!(
                "{name}: 1 descriptor + {} narrower + {} supplementary records",
                thousands(narrower),
                thousands(x.supplementary.len())
            ));
            let mut more: Vec<String> = x.descriptors.into_iter().skip(1).collect();
            more.extend(x.supplementary);
            for ui in more {
                push(&mut ids, format!("MESH:{ui}"));
            }
        }
    }
    if req.mode.orthologs {
        if let (Some(ortho), genes) = (vocab.orthologs()?, vocab.genes()?) {
            for seed in seeds {
                let Ok(gene) = seed.parse::<u64>() else {
                    continue;
                };
                let Some(group) = ortho.group(gene) else {
                    continue;
                };
                let label = genes
                    .as_ref()
                    .and_then(|g| g.get(gene))
                    .map_or(seed.clone(), |g| g.symbol.clone());
                notes.push(format!(
                    "{label}: {} + {} orthologs",
                    seed,
                    thousands(group.len().saturating_sub(1))
                ));
                for other in group {
                    push(&mut ids, other.to_string());
                }
            }
        }
    }
    if notes.is_empty() {
        return Ok(None);
    }
    Ok(Some(Expansion {
        ids,
        note: notes.join("; "),
    }))
}

fn describe(g: &Gene) -> String {
    format!("{} {} (taxon {})", g.id, g.symbol, g.taxon)
}

/// Resolves a name through the vocabularies: genes (type `Gene`, or `ortho:`) through
/// `gene_info` symbols, then synonyms; MeSH names and entry terms for `mesh` clauses (`mh:`)
/// and Disease or Chemical clauses. `None` when no vocabulary knows the name.
pub fn resolve_name(
    vocab: &Vocab,
    req: &Request<'_>,
    name: &str,
) -> Result<Option<NameResolution>> {
    if vocab.is_empty() {
        return Ok(None);
    }
    let gene_clause = req.mode.orthologs || req.entity_type == Some("Gene");
    if gene_clause {
        let Some(genes) = vocab.genes()? else {
            return Ok(None);
        };
        let Some(m) = genes.resolve(name, req.taxa) else {
            return Ok(None);
        };
        let mut warnings = Vec::new();
        let found = match m {
            GeneMatch::Symbol(found) => {
                if found.len() > 1 {
                    let each: Vec<String> = found.iter().map(|g| describe(g)).collect();
                    warnings.push(format!(
                        "gene '{name}' is the official symbol of {} genes, searching all: {} \
                         (species:N in the query narrows them)",
                        found.len(),
                        each.join(", ")
                    ));
                }
                found
            }
            GeneMatch::Synonym(found) => {
                let each: Vec<String> = found.iter().map(|g| describe(g)).collect();
                if found.len() > 1 {
                    warnings.push(format!(
                        "gene '{name}' is an alias of {} genes, searching all: {} \
                         (species:N in the query narrows them)",
                        found.len(),
                        each.join(", ")
                    ));
                } else {
                    warnings.push(format!("gene '{name}' is an alias of {}", each.join("")));
                }
                found
            }
        };
        return Ok(Some(NameResolution {
            ids: found.iter().map(|g| g.id.to_string()).collect(),
            warnings,
        }));
    }
    let mesh_type = matches!(req.entity_type, None | Some("Disease") | Some("Chemical"));
    if !(req.mode.mesh_names && mesh_type) {
        return Ok(None);
    }
    let Some(mesh) = vocab.mesh()? else {
        return Ok(None);
    };
    let uis = mesh.lookup_name(name);
    if uis.is_empty() {
        return Ok(None);
    }
    let mut warnings = Vec::new();
    if uis.len() > 1 {
        let each: Vec<String> = uis
            .iter()
            .map(|u| format!("{u} {}", mesh.name_of(u).unwrap_or("")))
            .collect();
        warnings.push(format!(
            "MeSH term '{name}' names {} records, searching all: {}",
            uis.len(),
            each.join(", ")
        ));
    }
    Ok(Some(NameResolution {
        ids: uis.into_iter().map(|u| format!("MESH:{u}")).collect(),
        warnings,
    }))
}
