//! The relation terms of one document, written by [`crate::index::document::to_tantivy`] on the
//! write side and read by `search::relations` on the read side: the order-free
//! `relation` terms the query language's `rel:` clauses search, and the directed
//! `rel_partner` terms (`source → type → partner` per relation line and direction) whose
//! postings give the relation partners of an entity without reading a stored document.

use crate::index::schema::Fields;
use crate::pubtator::ids::{canonical_type, relation_key, split_ids, CANONICAL_TYPES};
use crate::pubtator::Document;
use std::collections::HashMap;
use tantivy::TantivyDocument;

/// Separator of the parts of a `rel_partner` term (never inside a type, ID or relation type as
/// the readers keep them).
pub const PART_SEP: char = '\0';

/// The searchable forms of one relation argument: the ID (`i:5133`), its type when known
/// (`t:gene`) and the wildcard `*`. Typed-ID arguments (`gene:5133`) are answered at query time
/// by `i:` plus the typed entity term, which keeps the index at 3 forms per argument.
pub fn relation_arg_forms(id: &str, entity_type: Option<&str>) -> Vec<String> {
    let mut forms = Vec::with_capacity(3);
    let mut f = String::with_capacity(id.len() + 2);
    f.push_str("i:");
    f.push_str(&id.to_lowercase());
    forms.push(f);
    forms.push("*".to_string());
    if let Some(t) = entity_type {
        forms.push(format!("t:{}", t.to_lowercase()));
    }
    forms
}

/// The searchable forms of every argument of one side of a relation line
/// ([`relation_arg_forms`] of each ID with its type, when known).
pub fn side_forms(side: &[Side]) -> Vec<String> {
    side.iter()
        .flat_map(|s| {
            let t = (!s.entity_type.is_empty()).then_some(s.entity_type.as_str());
            relation_arg_forms(&s.id, t)
        })
        .collect()
}

/// The relation term for a key (`association`, `treat`, ...) and two argument forms, order-free.
pub fn relation_term(key: &str, a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    let mut t = String::with_capacity(key.len() + x.len() + y.len() + 2);
    t.push_str(key);
    t.push('|');
    t.push_str(x);
    t.push('|');
    t.push_str(y);
    t
}

/// One side of a relation line: a typed ID as the line writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Side {
    /// Canonical type: of the ID's first mention in the document, else as the relation line
    /// names it (PubTator3 bulk rows), else empty.
    pub entity_type: String,
    /// The ID as written.
    pub id: String,
}

/// The two argument lists of each relation line of `doc` with its type as written (trimmed);
/// `id_types` maps lower-case ID forms to the canonical type of their first mention.
pub fn relation_sides(
    doc: &Document,
    id_types: &HashMap<String, &str>,
) -> Vec<(String, Vec<Side>, Vec<Side>)> {
    let mut out = Vec::with_capacity(doc.relations.len());
    for r in &doc.relations {
        let mut sides = r.args.iter().enumerate().map(|(n, raw)| {
            let mut ids = split_ids(raw);
            if ids.is_empty() && !raw.trim().is_empty() {
                ids.push(raw.trim().to_string());
            }
            let named = r.arg_types.get(n).map(|t| canonical_type(t));
            ids.into_iter()
                .map(|id| Side {
                    entity_type: id_types
                        .get(&id.to_lowercase())
                        .copied()
                        .or(named)
                        .unwrap_or("")
                        .to_string(),
                    id,
                })
                .collect::<Vec<_>>()
        });
        if let (Some(a), Some(b)) = (sides.next(), sides.next()) {
            out.push((r.rel_type.trim().to_string(), a, b));
        }
    }
    out
}

/// The relation types written as one code byte in `rel_partner` terms (BioRED, BC5CDR and
/// PubTator3 spellings, exactly as written); other types are written out. A code is the
/// position in this list, so the list is part of the index format: append only.
const REL_CODES: [&str; 21] = [
    "Association",
    "Positive_Correlation",
    "Negative_Correlation",
    "Bind",
    "Cotreatment",
    "Comparison",
    "Drug_Interaction",
    "Conversion",
    "CID",
    "associate",
    "cause",
    "compare",
    "cotreat",
    "drug_interact",
    "inhibit",
    "interact",
    "negative_correlate",
    "positive_correlate",
    "prevent",
    "stimulate",
    "treat",
];

/// Appends `name`, or its one-byte code (`\x01` + its index in `table`) when `table` has it.
fn push_coded(out: &mut String, table: &[&str], name: &str) {
    match table.iter().position(|t| *t == name) {
        // Tables are shorter than 31 entries: the code is a control char, never the separator.
        Some(i) => out.push(char::from(1 + i as u8)),
        None => out.push_str(name),
    }
}

/// The name a part written by [`push_coded`] stands for.
fn decode<'a>(table: &[&'static str], part: &'a str) -> &'a str {
    match part.as_bytes() {
        [c @ 1..=31] => table.get(usize::from(*c - 1)).copied().unwrap_or(part),
        _ => part,
    }
}

/// Marker of a source ID written as the ASCII upper case of its lower-case form.
const UPPER: &str = "\u{1}";

/// The `rel_partner` term of `source` related to `target` by `rel_type`:
/// `SourceType\0source id lower case\0rel_type\0TargetType\0target id\0source id`. The
/// lower-case source ID up front makes an entity's partners one term range. Canonical types and
/// known relation types are written as one code byte; the source ID as written is left empty
/// when it is the lower-case form and is the byte `\x01` when it is that form in upper case
/// (`MESH:D009369`), which keeps the terms (almost one per posting) short for the term index.
pub fn partner_term(rel_type: &str, source: &Side, target: &Side) -> String {
    let lower = source.id.to_lowercase();
    let mut t = String::with_capacity(lower.len() + target.id.len() + 12);
    push_coded(&mut t, &CANONICAL_TYPES, &source.entity_type);
    t.push(PART_SEP);
    t.push_str(&lower);
    t.push(PART_SEP);
    push_coded(&mut t, &REL_CODES, rel_type);
    t.push(PART_SEP);
    push_coded(&mut t, &CANONICAL_TYPES, &target.entity_type);
    t.push(PART_SEP);
    t.push_str(&target.id);
    t.push(PART_SEP);
    if source.id != lower {
        // `lower` is `source.id` lower-cased: the ID is its upper case exactly when it is
        // ASCII without lower-case letters (no copy needed to compare).
        if source.id.is_ascii() && !source.id.bytes().any(|b| b.is_ascii_lowercase()) {
            t.push_str(UPPER);
        } else {
            t.push_str(&source.id);
        }
    }
    t
}

/// The prefix of every `rel_partner` term whose source is `id` (lower case) of `entity_type`.
pub fn partner_prefix(entity_type: &str, id_lower: &str) -> String {
    let mut t = String::with_capacity(id_lower.len() + entity_type.len() + 2);
    push_coded(&mut t, &CANONICAL_TYPES, entity_type);
    t.push(PART_SEP);
    t.push_str(id_lower);
    t.push(PART_SEP);
    t
}

/// (relation type, source, target) of a `rel_partner` term; `None` for another layout.
pub fn parse_partner_term(term: &str) -> Option<(&str, Side, Side)> {
    let mut p = term.split(PART_SEP);
    let (s_type, s_lower, rel, t_type, t_id, s_id) = (
        p.next()?,
        p.next()?,
        p.next()?,
        p.next()?,
        p.next()?,
        p.next()?,
    );
    if p.next().is_some() {
        return None;
    }
    let source_id = match s_id {
        "" => s_lower.to_string(),
        UPPER => s_lower.to_ascii_uppercase(),
        written => written.to_string(),
    };
    let side = |t: &str, id: String| Side {
        entity_type: decode(&CANONICAL_TYPES, t).to_string(),
        id,
    };
    Some((
        decode(&REL_CODES, rel),
        side(s_type, source_id),
        side(t_type, t_id.to_string()),
    ))
}

/// Adds the relation fields of `doc`: `relation_type` per line, the order-free `relation`
/// terms and the directed `rel_partner` terms, each distinct term once.
pub fn add_relations(
    fields: &Fields,
    doc: &Document,
    id_types: &HashMap<String, &str>,
    td: &mut TantivyDocument,
) {
    let mut rel_terms: Vec<String> = Vec::new();
    let mut partners: Vec<String> = Vec::new();
    let sides = relation_sides(doc, id_types);
    for (rel_type, a, b) in &sides {
        let key = relation_key(rel_type);
        let (fa, fb) = (side_forms(a), side_forms(b));
        for x in &fa {
            for y in &fb {
                rel_terms.push(relation_term(&key, x, y));
            }
        }
        for (mine, other) in [(a, b), (b, a)] {
            for s in mine {
                for t in other {
                    partners.push(partner_term(rel_type, s, t));
                }
            }
        }
    }
    for list in [&mut rel_terms, &mut partners] {
        list.sort_unstable();
        list.dedup();
    }
    for t in rel_terms {
        td.add_text(fields.relation, t);
    }
    // After `relation`: values are added in field order (see `index::document`). One
    // `relation_type` value per distinct (type, arguments) of the document, so that `stats`
    // counts a relation several sources give once, as it does annotations.
    let mut distinct: Vec<(&str, [&str; 2])> = doc
        .relations
        .iter()
        .map(|r| {
            let (a, b) = (r.args[0].trim(), r.args[1].trim());
            (r.rel_type.trim(), if a <= b { [a, b] } else { [b, a] })
        })
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    for (rel_type, _) in distinct {
        td.add_text(fields.relation_type, rel_type);
    }
    for t in partners {
        td.add_text(fields.rel_partner, t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_terms_round_trip_and_group_by_source() {
        let s = Side {
            entity_type: "Disease".into(),
            id: "MESH:D009369".into(),
        };
        let t = Side {
            entity_type: "Gene".into(),
            id: "5133".into(),
        };
        let term = partner_term("Association", &s, &t);
        assert!(term.starts_with(&partner_prefix("Disease", "mesh:d009369")));
        assert_eq!(
            parse_partner_term(&term),
            Some(("Association", s.clone(), t.clone()))
        );
        assert_eq!(parse_partner_term("a\0b"), None);
    }

    #[test]
    fn partner_terms_keep_every_id_and_type_as_written() {
        let side = |t: &str, id: &str| Side {
            entity_type: t.into(),
            id: id.into(),
        };
        let cases = [
            (
                "CID",
                side("Chemical", "D008012"),
                side("Disease", "MESH:D007674"),
            ),
            ("treat", side("Chemical", "mesh:d008012"), side("", "9606")),
            (
                "Bind",
                side("Gene", "CVCL_0030"),
                side("CellLine", "CVCL:0030"),
            ),
            (
                "Regulates",
                side("Protein", "p|SUB|V|600|E"),
                side("Other", "Ab12"),
            ),
            (
                "Association",
                side("", "Δ12"),
                side("Variant", "rs113488022"),
            ),
            ("", side("Gene", "5133"), side("Gene", "")),
        ];
        for (rel, s, t) in cases {
            let term = partner_term(rel, &s, &t);
            assert!(term.starts_with(&partner_prefix(&s.entity_type, &s.id.to_lowercase())));
            assert_eq!(parse_partner_term(&term), Some((rel, s.clone(), t.clone())));
        }
        // Codes keep the terms short: type, relation type and an upper-case source ID are one
        // byte each.
        let term = partner_term(
            "Association",
            &side("Disease", "MESH:D009369"),
            &side("Gene", "5133"),
        );
        assert_eq!(
            term,
            ["\x02", "mesh:d009369", "\x01", "\x01", "5133", "\x01"].join("\0")
        );
    }

    #[test]
    fn relation_terms_are_order_free() {
        assert_eq!(
            relation_term("x", "i:b", "i:a"),
            relation_term("x", "i:a", "i:b")
        );
    }
}
