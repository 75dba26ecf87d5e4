//! Streaming reader of PubTator3 bulk TSV files: rows become [`Patch`]es, one per run of
//! consecutive rows with the same PMID (the bulk files are sorted by PMID, so this is one patch
//! per article; an unsorted file gives several patches for one PMID, which merge the same way).

use super::pubtator3_tsv::{is_tsv_header, parse_tsv_line, TsvKind, TsvRow};
use crate::pubtator::{Concept, Patch, Relation};
use std::io::{self, BufRead};

/// What [`read_tsv`] hands to its callback, in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkItem {
    /// Every row of one PMID (a run of consecutive rows).
    Patch {
        /// The rows' contents.
        patch: Patch,
        /// 1-based line of the run's first row.
        line: u64,
    },
    /// A row that was dropped, and why.
    Problem {
        /// 1-based line.
        line: u64,
        /// The reason.
        message: String,
    },
}

/// A concept from one row; mention forms repeated once per occurrence (legacy files) are kept
/// once.
fn concept(
    entity_type: String,
    ids: Vec<String>,
    mut mentions: Vec<String>,
    resource: Vec<String>,
) -> Concept {
    let mut seen = std::collections::HashSet::new();
    mentions.retain(|m| seen.insert(m.clone()));
    Concept {
        raw_type: entity_type,
        ids,
        mentions,
        resources: resource,
    }
}

/// The content of one row.
enum Row {
    Concept(Concept),
    Relation(Relation),
}

impl Row {
    fn add_to(self, patch: &mut Patch) {
        match self {
            Row::Concept(c) => patch.add_concept(c),
            Row::Relation(r) => patch.add_relation(r),
        }
    }
}

/// Reads every row of `input`. `legacy_type` is the entity type of a legacy file without a
/// type column (from its name); legacy rows without it are reported as problems.
pub fn read_tsv(
    mut input: impl BufRead,
    kind: TsvKind,
    legacy_type: Option<&str>,
    on_item: &mut dyn FnMut(BulkItem),
) -> io::Result<()> {
    let mut raw = Vec::new();
    let mut line_no = 0u64;
    let mut current: Option<(Patch, u64)> = None;
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        line_no += 1;
        let text = String::from_utf8_lossy(&raw);
        let line = text.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() || line.starts_with('#') || is_tsv_header(line) {
            continue;
        }
        let problem = |message: String| BulkItem::Problem {
            line: line_no,
            message,
        };
        let (pmid, add) = match parse_tsv_line(line, kind) {
            Err(e) => {
                on_item(problem(e));
                continue;
            }
            Ok(TsvRow::Relation {
                pmid,
                rel_type,
                a,
                b,
            }) => {
                let r = Relation {
                    rel_type,
                    args: [a.1, b.1],
                    novelty: None,
                    arg_types: vec![a.0, b.0],
                };
                (pmid, Row::Relation(r))
            }
            Ok(TsvRow::Entity {
                pmid,
                entity_type,
                ids,
                mentions,
                resource,
            }) => {
                let entity_type = match (entity_type.is_empty(), legacy_type) {
                    (false, _) => entity_type,
                    (true, Some(t)) => t.to_string(),
                    (true, None) => {
                        on_item(problem(
                            "no type column, and the file name does not name the entity type \
                             (e.g. disease2pubtator)"
                                .to_string(),
                        ));
                        continue;
                    }
                };
                let c = concept(entity_type, ids, mentions, resource);
                (pmid, Row::Concept(c))
            }
        };
        match &mut current {
            Some((patch, _)) if patch.id == pmid => add.add_to(patch),
            _ => {
                let mut patch = Patch::new(pmid);
                add.add_to(&mut patch);
                if let Some((done, line)) = current.replace((patch, line_no)) {
                    on_item(BulkItem::Patch { patch: done, line });
                }
            }
        }
    }
    if let Some((patch, line)) = current {
        on_item(BulkItem::Patch { patch, line });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, kind: TsvKind, legacy: Option<&str>) -> Vec<BulkItem> {
        let mut out = Vec::new();
        read_tsv(text.as_bytes(), kind, legacy, &mut |i| out.push(i)).unwrap();
        out
    }

    #[test]
    fn consecutive_rows_of_one_pmid_make_one_patch() {
        let items = read(
            "PMID\tType\tConceptID\tMentions\tResource\n\
             1\tGene\t5133\tPD-1|PD1\tPubTator3\n\
             1\tDisease\tMESH:D009369\ttumor\tPubTator3\r\n\
             2\tGene\t-\tfoo\tPubTator3\n\
             x\tGene\t1\ta\tb\n\
             1\tGene\t5133\tPDCD1\tgene2pubmed",
            TsvKind::Entity,
            None,
        );
        assert_eq!(items.len(), 4, "{items:?}");
        let BulkItem::Patch { patch, line } = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!((patch.id.as_str(), *line), ("1", 2));
        assert_eq!(patch.concepts.len(), 2);
        // A bad row is reported at once; the run before it is still open.
        assert!(matches!(&items[1], BulkItem::Problem { line: 5, .. }));
        assert!(
            matches!(&items[2], BulkItem::Patch { patch, .. } if patch.id == "2" && patch.concepts[0].ids.is_empty())
        );
        assert!(matches!(&items[3], BulkItem::Patch { patch, line: 6 } if patch.id == "1"));
    }

    #[test]
    fn relation_rows_keep_argument_types() {
        let items = read(
            "1\tassociate\tGene|5133\tDisease|MESH:D009369\n",
            TsvKind::Relation,
            None,
        );
        let BulkItem::Patch { patch, .. } = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(patch.relations[0].args, ["5133", "MESH:D009369"]);
        assert_eq!(patch.relations[0].arg_types, ["Gene", "Disease"]);
    }

    #[test]
    fn legacy_rows_need_a_type_from_the_file_name() {
        let text = "PMID\tMeshID\tMentions\tResource\n1\tMESH:D1\tx\tMeSH\n";
        let items = read(text, TsvKind::LegacyEntity, Some("Disease"));
        assert!(
            matches!(&items[0], BulkItem::Patch { patch, .. } if patch.concepts[0].raw_type == "Disease")
        );
        let items = read(text, TsvKind::LegacyEntity, None);
        assert!(matches!(&items[0], BulkItem::Problem { line: 2, .. }));
    }
}
