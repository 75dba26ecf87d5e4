//! One model of a variant annotation's ID column, whatever tool wrote it: PubTator Central /
//! PubTator3 (`tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673;
//! RS#:113488022`), tmVar 3 corpus (`c|SUB|T|920|G;Gene:23417;Disease:C535702;VariantGroup:0`),
//! tmVar 3 gold (`dbSNP:2234671,dbSNP:c|SUB|G|Ex2+860|C,NCBI Gene:3577`), tmVar 2 and BioRED
//! (`rs2234671`, `p|SUB|S|276|T`). Ingest (`index::document`) indexes its identities as
//! `variant:` terms and its genes as `gene:` terms; queries read a `variant:` value through
//! [`variant_key`] so both sides meet. Labels and links are kept apart and never become IDs.

use crate::pubtator::hgvs::{hgvs_of_normal_form, is_hgvs, normalize_hgvs};

/// What one variant ID column says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VariantIds {
    /// dbSNP IDs, `rs` + digits (`RS#:N`, `dbSNP:N`, `dbSNP:rsN`, `rsN`).
    pub rsids: Vec<String>,
    /// tmVar normal forms without prefix (`p|SUB|V|600|E`; `tmVar:` and `dbSNP:` removed).
    pub normal: Vec<String>,
    /// HGVS forms (`HGVS:` values, bare `p.`/`c.` values and those derived from the normal
    /// forms), in the one spelling of [`normalize_hgvs`].
    pub hgvs: Vec<String>,
    /// Gene links (`CorrespondingGene:N`, `Gene:N`, `NCBI Gene:N`, `NCBIGene:N`): NCBI Gene IDs.
    pub genes: Vec<String>,
    /// Other links as `Key:value` (`Disease:D008180`, `CA#:123413`, `CorrespondingSpecies:9606`).
    pub links: Vec<String>,
    /// The per-document group label (`VariantGroup:N`): N.
    pub group: Option<String>,
    /// Values of no known spelling, kept as variant IDs as written.
    pub other: Vec<String>,
}

impl VariantIds {
    /// Every identity of the variant, as written in the index (before lower-casing): rsIDs,
    /// normal forms, HGVS forms and unknown values, each once.
    pub fn identities(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for id in self
            .rsids
            .iter()
            .chain(&self.normal)
            .chain(&self.hgvs)
            .chain(&self.other)
        {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(id)) {
                out.push(id);
            }
        }
        out
    }

    /// The one value that shows this variant (facets, entity views): its first rsID, else its
    /// HGVS form with its gene (`p.V600E;Gene:673`, protein forms first), else its normal form
    /// (`c|DEL||32;Gene:7157`: no HGVS without a position) or unknown value with its gene.
    /// Every such value is also a `variant:` term: a paste-ready clause.
    pub fn display_id(&self) -> Option<String> {
        if let Some(rs) = self.rsids.first() {
            return Some(rs.clone());
        }
        let hgvs = self
            .hgvs
            .iter()
            .find(|h| h.starts_with("p."))
            .or_else(|| self.hgvs.first());
        let form = hgvs
            .or_else(|| self.normal.first())
            .or_else(|| self.other.first())?;
        Some(match self.genes.first() {
            Some(g) => with_gene(form, g),
            None => form.clone(),
        })
    }

    /// True when nothing identifies the variant (only labels and links, or nothing).
    pub fn is_empty(&self) -> bool {
        self.rsids.is_empty()
            && self.normal.is_empty()
            && self.hgvs.is_empty()
            && self.other.is_empty()
    }
}

/// `p.V600E;Gene:673`: an HGVS form qualified by its gene.
pub fn with_gene(hgvs: &str, gene: &str) -> String {
    format!("{hgvs};Gene:{gene}")
}

/// What a key of a `Key:value` part is.
enum Key {
    Rs,
    DbSnp,
    TmVar,
    Hgvs,
    Gene,
    Group,
    Link,
}

fn key_kind(key: &str) -> Key {
    match key.trim().to_ascii_lowercase().as_str() {
        "rs#" | "rsid" => Key::Rs,
        "dbsnp" => Key::DbSnp,
        "tmvar" => Key::TmVar,
        "hgvs" => Key::Hgvs,
        "correspondinggene" | "gene" | "ncbi gene" | "ncbigene" | "entrez" => Key::Gene,
        "variantgroup" => Key::Group,
        _ => Key::Link,
    }
}

/// `rs` + digits for `rs123`, `RS123` or `123`; `None` otherwise.
fn rsid(value: &str) -> Option<String> {
    let v = value.trim();
    let digits = match v.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("rs") => &v[2..],
        _ => v,
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("rs{digits}"))
}

fn push_once(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Parses a variant ID column. Parts are separated by `;` and `,`; a part `Key:value` is read
/// by its key (table in schema/FIELDS.md), a part without a key by its shape (`rsN`, a normal
/// form with `|`, an HGVS value, AIONER's `Gene2261`), or as another value of the key before
/// it (`Disease:D003922,D001327`).
pub fn parse_variant(raw: &str) -> VariantIds {
    let mut v = VariantIds::default();
    let mut last_key: Option<(Key, &str)> = None;
    for part in raw.split([';', ',']).map(str::trim) {
        if matches!(part, "" | "-" | "-1") {
            continue;
        }
        // A key is what comes before the first `:`, unless that holds a `|` (a normal form).
        let keyed = part
            .split_once(':')
            .filter(|(k, _)| !k.contains('|') && !k.trim().is_empty());
        match keyed {
            Some((key, value)) => {
                let value = value.trim();
                let kind = key_kind(key);
                read_keyed(&mut v, &kind, key.trim(), value);
                last_key = Some((kind, key.trim()));
            }
            None => read_bare(&mut v, last_key.as_ref(), part),
        }
    }
    for nf in &v.normal {
        if let Some(h) = hgvs_of_normal_form(nf) {
            if !v.hgvs.contains(&h) {
                v.hgvs.push(h);
            }
        }
    }
    v
}

fn read_keyed(v: &mut VariantIds, kind: &Key, key: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    match kind {
        Key::Rs => match rsid(value) {
            Some(rs) => push_once(&mut v.rsids, rs),
            None => push_once(&mut v.links, format!("{key}:{value}")),
        },
        Key::DbSnp => {
            if let Some(rs) = rsid(value) {
                push_once(&mut v.rsids, rs);
            } else {
                read_bare(v, None, value);
            }
        }
        Key::TmVar => read_bare(v, None, value),
        Key::Hgvs => push_once(&mut v.hgvs, normalize_hgvs(value)),
        Key::Gene => {
            if value.bytes().all(|b| b.is_ascii_digit()) {
                push_once(&mut v.genes, value.to_string());
            } else {
                push_once(&mut v.links, format!("{key}:{value}"));
            }
        }
        Key::Group => v.group = Some(value.to_string()),
        Key::Link => push_once(&mut v.links, format!("{key}:{value}")),
    }
}

fn read_bare(v: &mut VariantIds, last_key: Option<&(Key, &str)>, part: &str) {
    if let Some(rs) = part
        .get(..2)
        .filter(|p| p.eq_ignore_ascii_case("rs"))
        .and_then(|_| rsid(part))
    {
        push_once(&mut v.rsids, rs);
    } else if part.contains('|') {
        push_once(&mut v.normal, part.to_string());
    } else if is_hgvs(part) {
        push_once(&mut v.hgvs, normalize_hgvs(part));
    } else if let Some(gene) = part
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("gene"))
        .map(|_| &part[4..])
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    {
        // AIONER's tmVar 3 corpus writes a few gene links without the colon: `Gene2261`.
        push_once(&mut v.genes, gene.to_string());
    } else {
        match last_key {
            Some((Key::Gene, _)) if part.bytes().all(|b| b.is_ascii_digit()) => {
                push_once(&mut v.genes, part.to_string())
            }
            Some((Key::Link, key)) => push_once(&mut v.links, format!("{key}:{part}")),
            _ => push_once(&mut v.other, part.to_string()),
        }
    }
}

/// The index form of a `variant:` query value (before lower-casing): an rsID in any spelling
/// (`RS#:N`, `dbSNP:N`; also when the value has other parts, as PubTator3's relation
/// arguments `RS#:121434568;HGVS:p.L858R` do) → `rsN`; `tmVar:`/`dbSNP:` normal forms → the
/// bare normal form;
/// `HGVS:` and bare HGVS → [`normalize_hgvs`] (`p.Val600Glu` → `p.V600E`); an HGVS form with
/// its gene (`p.V600E;Gene:673`) → that display form. `None` when the value is none of these.
pub fn variant_key(value: &str) -> Option<String> {
    let value = value.trim();
    let v = parse_variant(value);
    if !v.links.is_empty() || !v.other.is_empty() || v.group.is_some() {
        return None;
    }
    if let Some(rs) = v.rsids.first() {
        return Some(rs.clone());
    }
    let derived = v.normal.first().and_then(|nf| hgvs_of_normal_form(nf));
    let h = match (v.normal.as_slice(), v.genes.is_empty()) {
        ([nf], true) => return Some(nf.clone()),
        // A normal form with its gene (a shown form): `p.V600E;Gene:673` when it has an HGVS
        // form, `c|DEL||32;Gene:7157` otherwise.
        ([nf], false) => derived.as_ref().unwrap_or(nf),
        _ => v.hgvs.first()?,
    };
    match v.genes.as_slice() {
        [] => Some(h.clone()),
        [g] => Some(with_gene(h, g)),
        _ => None,
    }
}

/// PubTator3's autocomplete ID of a variant without its `@VARIANT_` prefix, read as (HGVS,
/// gene symbol): `p.V600E_BRAF_human` → (`p.V600E`, `BRAF`), the form its entity autocomplete
/// answers for "BRAF V600E"; a bare HGVS value has no symbol. `None` for anything else (an
/// rsID is an ID of its own: `@VARIANT_rs113488022`).
pub fn pubtator3_variant(rest: &str) -> Option<(String, Option<String>)> {
    let rest = rest.trim();
    let mut parts = rest.rsplitn(3, '_');
    let (species, symbol, hgvs) = (parts.next(), parts.next(), parts.next());
    if let (Some(species), Some(symbol), Some(hgvs)) = (species, symbol, hgvs) {
        let species_word = !species.is_empty() && species.bytes().all(|b| b.is_ascii_lowercase());
        let symbol_word = !symbol.is_empty()
            && symbol
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if species_word && symbol_word && is_hgvs(hgvs) {
            return Some((normalize_hgvs(hgvs), Some(symbol.to_string())));
        }
    }
    is_hgvs(rest).then(|| (normalize_hgvs(rest), None))
}

/// The HGVS protein form a bare query word stands for: `V600E` → `p.V600E`, `p.Val600Glu` →
/// `p.V600E`, `c.677C>T` as written; `None` for other words.
pub fn bare_variant(word: &str) -> Option<String> {
    if is_hgvs(word) {
        return Some(normalize_hgvs(word));
    }
    let b = word.as_bytes();
    let aa = |c: u8| b"ACDEFGHIKLMNPQRSTVWYX".contains(&c);
    (b.len() >= 3
        && aa(b[0])
        && aa(b[b.len() - 1])
        && b[1..b.len() - 1].iter().all(u8::is_ascii_digit))
    .then(|| format!("p.{word}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Every spelling of the table in schema/FIELDS.md.
    #[test]
    fn every_spelling_is_read_into_one_model() {
        let v = parse_variant(
            "tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673;RS#:113488022;CorrespondingSpecies:9606;CA#:123413",
        );
        assert_eq!(v.rsids, strings(&["rs113488022"]));
        assert_eq!(v.normal, strings(&["p|SUB|V|600|E"]));
        assert_eq!(v.hgvs, strings(&["p.V600E"]));
        assert_eq!(v.genes, strings(&["673"]));
        assert_eq!(
            v.links,
            strings(&["CorrespondingSpecies:9606", "CA#:123413"])
        );
        assert_eq!(v.group.as_deref(), Some("0"));
        assert_eq!(v.display_id().as_deref(), Some("rs113488022"));

        let v = parse_variant("c|SUB|T|920|G;Gene:23417;Disease:C535702;VariantGroup:0");
        assert_eq!(v.normal, strings(&["c|SUB|T|920|G"]));
        assert_eq!(v.hgvs, strings(&["c.920T>G"]));
        assert_eq!(v.genes, strings(&["23417"]));
        assert_eq!(v.links, strings(&["Disease:C535702"]));
        assert_eq!(v.display_id().as_deref(), Some("c.920T>G;Gene:23417"));

        let v = parse_variant("rs10954213;Disease:D003922,D001327;VariantGroup:1");
        assert_eq!(v.rsids, strings(&["rs10954213"]));
        assert_eq!(v.links, strings(&["Disease:D003922", "Disease:D001327"]));
        assert_eq!(v.identities(), ["rs10954213"]);

        let v = parse_variant("dbSNP:2234671,dbSNP:c|SUB|G|Ex2+860|C,NCBI Gene:3577");
        assert_eq!(v.rsids, strings(&["rs2234671"]));
        assert_eq!(v.normal, strings(&["c|SUB|G|Ex2+860|C"]));
        assert_eq!(v.genes, strings(&["3577"]));

        let v = parse_variant("c|DEL||N;Gene2261;VariantGroup:3");
        assert_eq!(v.genes, strings(&["2261"]));
        assert_eq!(parse_variant("dbSNP:rs12").rsids, strings(&["rs12"]));
        assert_eq!(parse_variant("RS12").rsids, strings(&["rs12"]));
        assert_eq!(parse_variant("NCBIGene:5").genes, strings(&["5"]));
        assert!(parse_variant("Disease:D1;VariantGroup:2").is_empty());
        assert_eq!(
            parse_variant("HGVS:p.Val600Glu").hgvs,
            strings(&["p.V600E"])
        );
    }

    #[test]
    fn query_values_meet_the_index_forms() {
        for (q, want) in [
            ("rs113488022", Some("rs113488022")),
            ("RS#:113488022", Some("rs113488022")),
            ("dbSNP:113488022", Some("rs113488022")),
            ("p.V600E", Some("p.V600E")),
            ("p.Val600Glu", Some("p.V600E")),
            ("HGVS:p.V600E", Some("p.V600E")),
            ("p|SUB|V|600|E", Some("p|SUB|V|600|E")),
            ("tmVar:p|SUB|V|600|E", Some("p|SUB|V|600|E")),
            ("c.677C>T", Some("c.677C>T")),
            ("c|SUB|C|677|T", Some("c|SUB|C|677|T")),
            ("p.V600E;Gene:673", Some("p.V600E;Gene:673")),
            ("p|SUB|V|600|E;Gene:673", Some("p.V600E;Gene:673")),
            ("c|DEL||32;Gene:7157", Some("c|DEL||32;Gene:7157")),
            (
                "RS#:121434568;HGVS:p.L858R;CorrespondingGene:1956",
                Some("rs121434568"),
            ),
            ("CorrespondingGene:673", None),
            ("Disease:D008180", None),
        ] {
            assert_eq!(variant_key(q).as_deref(), want, "{q}");
        }
        assert_eq!(
            pubtator3_variant("p.V600E_BRAF_human"),
            Some(("p.V600E".to_string(), Some("BRAF".to_string())))
        );
        assert_eq!(
            pubtator3_variant("c.1521_1523delCTT_CFTR_human"),
            Some(("c.1521_1523delCTT".to_string(), Some("CFTR".to_string())))
        );
        assert_eq!(
            pubtator3_variant("p.D487_F489del"),
            Some(("p.D487_F489del".to_string(), None))
        );
        assert_eq!(pubtator3_variant("rs113488022"), None);
        assert_eq!(bare_variant("V600E").as_deref(), Some("p.V600E"));
        assert_eq!(bare_variant("p.Val600Glu").as_deref(), Some("p.V600E"));
        assert_eq!(bare_variant("BRAF"), None);
        assert_eq!(bare_variant("600"), None);
    }
}
