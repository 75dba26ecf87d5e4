//! The variants of one document as ingest indexes them (`index::document`): each variant
//! annotation's ID column read into one [`VariantIds`] model, and the mentions of one
//! `VariantGroup` joined into one variant (an rsID any of them carries counts for all, and the
//! group shows one facet value).

use crate::pubtator::hgvs::normal_form_of_substitution;
use crate::pubtator::ids::is_variant_id;
use crate::pubtator::variant::{parse_variant, VariantIds};
use std::collections::HashMap;

/// True when an annotation is read as a variant: its canonical type is `Variant`, or its ID
/// column is in a tmVar form.
pub(crate) fn is_variant_annotation(ctype: &str, raw_id: &str) -> bool {
    ctype == "Variant" || is_variant_id(raw_id)
}

/// What one annotation's variant contributes to the index.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct VariantTerms {
    /// The `variant:` identities (rsIDs, normal forms, HGVS, display forms), as written.
    pub(crate) identities: Vec<String>,
    /// NCBI Gene IDs of its gene links (`gene:N` terms).
    pub(crate) genes: Vec<String>,
    /// Its facet and dictionary values: the rsIDs when known, else one HGVS form with its gene.
    pub(crate) shown: Vec<String>,
}

/// What the mentions of one group have in common.
#[derive(Default)]
struct Group {
    rsids: Vec<String>,
    genes: Vec<String>,
    /// The display of the first member with a protein HGVS form, else of the first member.
    shown: Option<(bool, String)>,
}

/// The variants of one document: `raw_ids` are the ID columns of its variant annotations
/// (in order); the answer has one [`VariantTerms`] per column.
pub(crate) fn document_variants(raw_ids: &[&str]) -> Vec<VariantTerms> {
    let models: Vec<VariantIds> = raw_ids.iter().map(|r| parse_variant(r)).collect();
    let mut groups: HashMap<&str, Group> = HashMap::new();
    for v in &models {
        let Some(label) = v.group.as_deref() else {
            continue;
        };
        let g = groups.entry(label).or_default();
        for rs in &v.rsids {
            push_once(&mut g.rsids, rs);
        }
        for gene in &v.genes {
            push_once(&mut g.genes, gene);
        }
        if let Some(d) = v.display_id() {
            let protein = v.hgvs.iter().any(|h| h.starts_with("p."));
            if g.shown.as_ref().is_none_or(|(p, _)| !p && protein) {
                g.shown = Some((protein, d));
            }
        }
    }
    models
        .iter()
        .map(|v| {
            let group = v.group.as_deref().and_then(|l| groups.get(l));
            let mut t = VariantTerms::default();
            for id in v.identities() {
                push_once(&mut t.identities, id);
            }
            for gene in &v.genes {
                push_once(&mut t.genes, gene);
            }
            if let Some(g) = group {
                for rs in &g.rsids {
                    push_once(&mut t.identities, rs);
                }
                for gene in &g.genes {
                    push_once(&mut t.genes, gene);
                }
            }
            let rsids: Vec<&String> = match group {
                Some(g) if !g.rsids.is_empty() => g.rsids.iter().collect(),
                _ => v.rsids.iter().collect(),
            };
            if !rsids.is_empty() {
                t.shown = rsids.into_iter().cloned().collect();
            } else if let Some((_, d)) = group.and_then(|g| g.shown.as_ref()) {
                t.shown.push(d.clone());
            } else if let Some(d) = v.display_id() {
                t.shown.push(d);
            }
            for d in &t.shown {
                push_once(&mut t.identities, d);
            }
            t
        })
        .collect()
}

impl VariantTerms {
    /// Adds the spellings the annotation's mentions give, when a mention is itself written as
    /// a variant (see [`mention_spellings`]).
    pub(crate) fn with_mentions<'m>(mut self, mentions: impl IntoIterator<Item = &'m str>) -> Self {
        for form in mentions.into_iter().flat_map(mention_spellings) {
            push_once(&mut self.identities, &form);
        }
        self
    }
}

/// The identities a mention spells, when it is written as a variant (`V600E` and
/// `p.Val600Glu` → `p|SUB|V|600|E` and `p.V600E`; `c.1799T>A`): the text names the variant
/// even where the ID column carries only an rsID (PubTator3 annotates "V600E" as
/// `rs113488022`), so every spelling still finds it. Empty for any other mention.
pub(crate) fn mention_spellings(mention: &str) -> Vec<String> {
    let Some(form) = crate::pubtator::variant::bare_variant(mention.trim()) else {
        return Vec::new();
    };
    match normal_form_of_substitution(&form) {
        Some(nf) => vec![nf, form],
        None => vec![form],
    }
}

fn push_once(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|x| x.eq_ignore_ascii_case(value)) {
        list.push(value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_written_as_a_variant_adds_its_spelling() {
        let v = document_variants(&["rs113488022"])
            .remove(0)
            .with_mentions([
                " V600E ",
                "p.Val600Glu",
                "c.1799T>A",
                "BRAF mutation",
                "rs113488022",
            ]);
        assert_eq!(
            v.identities,
            [
                "rs113488022",
                "p|SUB|V|600|E",
                "p.V600E",
                "c|SUB|T|1799|A",
                "c.1799T>A"
            ]
        );
        assert_eq!(v.shown, ["rs113488022"]);
    }

    #[test]
    fn one_group_is_one_variant() {
        let got = document_variants(&[
            "rs2234671;VariantGroup:0",
            "c|SUB|G|Ex2+860|C;Gene:3577;Disease:D008175;VariantGroup:0",
            "p|SUB|L|307|R;Gene:23417;Disease:C535702;VariantGroup:1",
            "c|SUB|T|920|G;Gene:23417;Disease:C535702;VariantGroup:1",
            "c|SUB|T|920|G;Gene:23417",
        ]);
        assert_eq!(got[1].shown, ["rs2234671"]);
        assert!(got[1].identities.iter().any(|i| i == "rs2234671"));
        assert!(got[1].identities.iter().any(|i| i == "c.Ex2+860G>C"));
        assert_eq!(got[0].genes, ["3577"]);
        assert_eq!(got[2].shown, ["p.L307R;Gene:23417"]);
        assert_eq!(got[3].shown, ["p.L307R;Gene:23417"]);
        assert!(got[3].identities.iter().any(|i| i == "c.920T>G"));
        assert_eq!(got[4].shown, ["c.920T>G;Gene:23417"]);
        for t in &got {
            assert!(!t
                .identities
                .iter()
                .chain(&t.shown)
                .any(|i| i.contains("Disease") || i.contains("VariantGroup")));
        }
    }
}
