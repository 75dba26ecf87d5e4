//! Row parser for the PubTator3 bulk tab-separated files.
//!
//! * Entity files (`bioconcepts2pubtator3`, `gene2pubtator3`, `disease2pubtator3`, ...):
//!   `PMID \t Type \t ConceptID \t Mentions \t Resource`. Mentions and resources are joined
//!   with `|`, several gene IDs with `;` (or `,`), `-` (or empty) marks an unnormalized
//!   concept. Quotes have no special meaning (mentions may hold stray `"`); one pair around a
//!   whole field is removed.
//! * Relation file (`relation2pubtator3`): `PMID \t type \t Type|ID \t Type|ID`.
//! * Legacy entity files (`disease2pubtator`, `gene2pubtatorcentral`, ...):
//!   `PMID \t ConceptID \t Mentions \t Resource`; the type comes from the file name
//!   ([`legacy_type_from_file_name`]).
//!
//! Rows are parsed one at a time; attaching them to documents is the caller's job.

use crate::pubtator::ids::split_ids;

/// Which kind of rows a TSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsvKind {
    /// Five columns: PMID, type, concept ID(s), mentions, resources.
    Entity,
    /// Four columns: PMID, relation type, `Type|ID`, `Type|ID`.
    Relation,
    /// Four columns without the type: PMID, concept ID(s), mentions, resources.
    LegacyEntity,
}

/// One parsed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TsvRow {
    /// An entity row: every mention of one concept in one article.
    Entity {
        /// The article.
        pmid: String,
        /// The type column as written (`Gene`, `Disease`, ...); empty for legacy rows.
        entity_type: String,
        /// The concept IDs (split on `;` and `,`); empty when unnormalized (`-`).
        ids: Vec<String>,
        /// The distinct mention strings (split on `|`, empty ones dropped).
        mentions: Vec<String>,
        /// The resources that found it (split on `|`).
        resource: Vec<String>,
    },
    /// A relation row.
    Relation {
        /// The article.
        pmid: String,
        /// The relation type (`associate`, `treat`, ...).
        rel_type: String,
        /// First argument: (entity type, ID).
        a: (String, String),
        /// Second argument: (entity type, ID).
        b: (String, String),
    },
}

/// True for a header row (first column `PMID`, any case); skip it before [`parse_tsv_line`].
pub fn is_tsv_header(line: &str) -> bool {
    line.trim_start_matches('\u{feff}')
        .split('\t')
        .next()
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("pmid"))
}

/// The entity type of a legacy bulk file from its name (`disease2pubtator.gz` → `Disease`).
pub fn legacy_type_from_file_name(name: &str) -> Option<&'static str> {
    let base = name.rsplit(['/', '\\']).next()?.to_ascii_lowercase();
    let prefix = base.split("2pubtator").next().filter(|p| *p != base)?;
    Some(match prefix {
        "gene" => "Gene",
        "disease" => "Disease",
        "chemical" => "Chemical",
        "species" => "Species",
        "mutation" | "variant" => "Variant",
        "cellline" => "CellLine",
        _ => return None,
    })
}

/// Trims spaces and one pair of double quotes around the whole field.
fn clean(field: &str) -> &str {
    let t = field.trim();
    t.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(t)
        .trim()
}

/// [`clean`], then a quote left alone at either end (`"tumor`, `tumors"`) is dropped; quotes
/// inside (`5" cap`) are kept.
fn unquote(part: &str) -> &str {
    let t = clean(part);
    if t.matches('"').count() != 1 {
        return t;
    }
    t.strip_prefix('"')
        .or_else(|| t.strip_suffix('"'))
        .unwrap_or(t)
        .trim()
}

fn split(field: &str, seps: &[char]) -> Vec<String> {
    clean(field)
        .split(seps)
        .map(unquote)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn pmid(field: &str) -> Result<String, String> {
    let p = clean(field.trim_start_matches('\u{feff}'));
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("PMID '{p}' is not a number"));
    }
    Ok(p.to_string())
}

/// The concept IDs of a field, split and normalized like PubTator annotation IDs (a tmVar
/// variant ID such as `tmVar:p|SUB|V|600|E;HGVS:p.V600E;CorrespondingGene:673` stays whole).
fn ids(field: &str) -> Vec<String> {
    split_ids(unquote(field))
        .into_iter()
        .filter(|id| !matches!(id.as_str(), "None" | "null"))
        .collect()
}

fn typed_id(field: &str) -> Result<(String, String), String> {
    let f = clean(field);
    match f.split_once('|') {
        Some((t, id)) if !t.trim().is_empty() && !id.trim().is_empty() => {
            Ok((t.trim().to_string(), id.trim().to_string()))
        }
        _ => Err(format!("relation argument '{f}' is not Type|ID")),
    }
}

/// Parses one row (without its line terminator; a trailing `\r` is ignored).
pub fn parse_tsv_line(line: &str, kind: TsvKind) -> Result<TsvRow, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let cols: Vec<&str> = line.split('\t').collect();
    let want = match kind {
        TsvKind::Entity => 5,
        TsvKind::Relation | TsvKind::LegacyEntity => 4,
    };
    // A missing trailing resource column is tolerated; more columns are not.
    let n = cols.len();
    if n != want && !(kind != TsvKind::Relation && n + 1 == want) {
        return Err(format!("{n} columns, expected {want}"));
    }
    let col = |i: usize| cols.get(i).copied().unwrap_or("");
    let pmid = pmid(col(0))?;
    match kind {
        TsvKind::Relation => {
            let rel_type = clean(col(1)).to_string();
            if rel_type.is_empty() {
                return Err("empty relation type".to_string());
            }
            Ok(TsvRow::Relation {
                pmid,
                rel_type,
                a: typed_id(col(2))?,
                b: typed_id(col(3))?,
            })
        }
        TsvKind::Entity | TsvKind::LegacyEntity => {
            let (entity_type, rest) = match kind {
                TsvKind::Entity => (clean(col(1)).to_string(), 2),
                _ => (String::new(), 1),
            };
            if kind == TsvKind::Entity && entity_type.is_empty() {
                return Err("empty type column".to_string());
            }
            Ok(TsvRow::Entity {
                pmid,
                entity_type,
                ids: ids(col(rest)),
                mentions: split(col(rest + 1), &['|']),
                resource: split(col(rest + 2), &['|']),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(line: &str) -> (String, Vec<String>, Vec<String>, Vec<String>) {
        match parse_tsv_line(line, TsvKind::Entity) {
            Ok(TsvRow::Entity {
                entity_type,
                ids,
                mentions,
                resource,
                ..
            }) => (entity_type, ids, mentions, resource),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn entity_rows_split_ids_mentions_and_resources() {
        let (t, ids, m, r) = entity("100\tGene\t1756;1757\tDMD|dystrophin\tPubTator3|gene2pubmed");
        assert_eq!(t, "Gene");
        assert_eq!(ids, ["1756", "1757"]);
        assert_eq!(m, ["DMD", "dystrophin"]);
        assert_eq!(r, ["PubTator3", "gene2pubmed"]);
    }

    #[test]
    fn unnormalized_empty_mentions_and_stray_quotes() {
        let (_, ids, m, _) = entity("7\tDisease\t-\t||\"tumor|tumors\"\tPubTator3\r");
        assert!(ids.is_empty());
        assert_eq!(m, ["tumor", "tumors"]);
        let (_, _, m, _) = entity("7\tChemical\tMESH:D1\t5\" cap|x\tPubTator3");
        assert_eq!(m, ["5\" cap", "x"]);
        let (_, _, m, r) = entity("7\tSpecies\t9606\t\t");
        assert!(m.is_empty() && r.is_empty());
    }

    #[test]
    fn relation_rows_keep_pipes_inside_ids() {
        let row = parse_tsv_line(
            "12345\tassociate\tChemical|MESH:D000001\tVariant|tmVar:p|SUB|V|600|E",
            TsvKind::Relation,
        );
        assert_eq!(
            row,
            Ok(TsvRow::Relation {
                pmid: "12345".into(),
                rel_type: "associate".into(),
                a: ("Chemical".into(), "MESH:D000001".into()),
                b: ("Variant".into(), "tmVar:p|SUB|V|600|E".into()),
            })
        );
    }

    #[test]
    fn bad_rows_are_errors() {
        assert!(parse_tsv_line("x\tGene\t1\tA\tB", TsvKind::Entity).is_err());
        assert!(parse_tsv_line("1\tGene\t1", TsvKind::Entity).is_err());
        assert!(parse_tsv_line("1\t\t1\tA\tB", TsvKind::Entity).is_err());
        assert!(parse_tsv_line("1\ttreat\tChemical\tDisease|D1", TsvKind::Relation).is_err());
        assert!(parse_tsv_line("", TsvKind::Relation).is_err());
        assert!(is_tsv_header("PMID\tType\tConceptID\tMentions\tResource"));
        assert!(!is_tsv_header("1\tGene"));
    }

    #[test]
    fn variant_concept_ids_stay_whole() {
        let (_, ids, _, _) = entity(
            "1\tMutation\ttmVar:p|SUB|V|600|E;HGVS:p.V600E;CorrespondingGene:673\tV600E\tPubTator3",
        );
        assert_eq!(
            ids,
            ["tmVar:p|SUB|V|600|E;HGVS:p.V600E;CorrespondingGene:673"]
        );
        let (_, ids, _, _) = entity("1\tChemical\tD000001\tx\tPubTator3");
        assert_eq!(ids, ["MESH:D000001"]);
    }

    #[test]
    fn legacy_rows_and_file_names() {
        let row = parse_tsv_line(
            "1000018\tMESH:D011086\tNeonatal polycythemia|polycythemia\tDNorm|MeSH",
            TsvKind::LegacyEntity,
        );
        assert!(matches!(row, Ok(TsvRow::Entity { ref ids, .. }) if ids == &["MESH:D011086"]));
        assert_eq!(
            legacy_type_from_file_name("/x/disease2pubtator.gz"),
            Some("Disease")
        );
        assert_eq!(
            legacy_type_from_file_name("cellline2pubtator3"),
            Some("CellLine")
        );
        assert_eq!(legacy_type_from_file_name("notes.txt"), None);
    }

    #[test]
    fn the_shared_legacy_sample_parses() {
        let Some(path) = crate::test_support::shared_path(
            "the_shared_legacy_sample_parses",
            "pubtator3_tsv/disease2pubtator.txt",
        ) else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let mut rows = 0;
        for line in text.lines().filter(|l| !l.is_empty() && !is_tsv_header(l)) {
            parse_tsv_line(line, TsvKind::LegacyEntity).unwrap_or_else(|e| panic!("{line}: {e}"));
            rows += 1;
        }
        assert_eq!(rows, 696);
    }
}
