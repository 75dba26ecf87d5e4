//! Entity and relation clauses lowered: the resolver's entity terms become the export's
//! `entity` terms, its relation keys and argument forms the export's `relation` terms.

use super::qstring::{all_of, any_of, leaf, Q};
use super::Ctx;
use crate::index::relterms::relation_term;
use crate::search::query::resolve::{EntityMatch, RelationMatch, ANY_RELATION};

/// `gene:5133`, `id:X`, `gene:PD1`: any of the clause's entity terms, its own first, then
/// those a vocabulary expanded it to.
pub(super) fn entity(m: &EntityMatch) -> Q {
    let mut terms: Vec<&String> = Vec::new();
    for t in m.own.iter().chain(m.set.iter().flatten()) {
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    any_of(terms.iter().map(|t| leaf(Some("entity"), t)).collect())
}

/// `rel:TYPE|E1|E2` over the export's relation terms (order-free).
pub(super) fn relation(ctx: &mut Ctx<'_>, rel: &RelationMatch) -> Q {
    let [fa, fb] = &rel.sides;
    let typed_args = fa.iter().chain(fb).any(|(_, t)| t.is_some());
    if rel.rel_type.eq_ignore_ascii_case(ANY_RELATION) || typed_args {
        ctx.note(
            "approximate: ranking differs: ptsearch scores rel:ANY by the relation types a \
             document has and an entity argument by its mentions; Quickwit scores the relation \
             term alike in every document"
                .to_string(),
        );
    }
    let mut qs = Vec::new();
    for (x, tx) in fa {
        for (y, ty) in fb {
            let terms = any_of(
                rel.keys
                    .iter()
                    .map(|k| leaf(Some("relation"), &relation_term(k, x, y)))
                    .collect(),
            );
            let mut must = vec![terms];
            must.extend(tx.iter().chain(ty.iter()).map(|t| leaf(Some("entity"), t)));
            qs.push(all_of(must));
        }
    }
    any_of(qs)
}
