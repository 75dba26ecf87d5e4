//! Relation clauses lowered: `rel:TYPE|E1|E2`, as the resolver read it (relation keys and the
//! argument forms of each side), over the pre-computed relation terms (order-free).

use super::builders::{any_of, term};
use super::ctx::{err, Ctx};
use super::types::ANY_RELATION;
use crate::error::Result;
use crate::index::relterms::relation_term;
use crate::search::query::resolve::{ArgForm, RelationMatch};
use tantivy::query::TermSetQuery;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Above this many argument pairs, a relation clause is one term-set query over every
/// relation term the pairs make, instead of a boolean query per pair.
const PAIRS_PER_CLAUSE: usize = 16;
/// The most relation terms one clause may expand to (both arguments exploded widely).
const MAX_RELATION_TERMS: usize = 1_000_000;

/// The term-set form of a relation clause over many argument pairs: any relation term of a
/// pair, in a document with one of the typed IDs each side requires.
fn relation_set(
    ctx: &mut Ctx<'_>,
    keys: &[String],
    fa: &[ArgForm],
    fb: &[ArgForm],
    pos: usize,
) -> Result<Box<dyn Query>> {
    let keys: Vec<String> = if keys.iter().any(|k| k == ANY_RELATION) {
        ctx.resolver.relation_keys()?.to_vec()
    } else {
        keys.to_vec()
    };
    let n = keys.len() * fa.len() * fb.len();
    if n > MAX_RELATION_TERMS {
        return Err(err(
            ctx,
            pos,
            format!(
                "this relation clause expands to {n} relation terms (at most \
                 {MAX_RELATION_TERMS}): write one argument literally (disease:=ID) or narrower"
            ),
        ));
    }
    let field = ctx.fields.relation;
    let mut terms = Vec::with_capacity(n);
    for k in &keys {
        for (x, _) in fa {
            for (y, _) in fb {
                terms.push(Term::from_field_text(field, &relation_term(k, x, y)));
            }
        }
    }
    let mut must: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(TermSetQuery::new(terms)))];
    for side in [fa, fb] {
        let typed: Vec<Term> = side
            .iter()
            .filter_map(|(_, t)| t.as_ref())
            .map(|t| Term::from_field_text(ctx.fields.entity, t))
            .collect();
        if !typed.is_empty() {
            must.push((Occur::Must, Box::new(TermSetQuery::new(typed))));
        }
    }
    Ok(Box::new(BooleanQuery::new(must)))
}

/// The query of a resolved `rel:` clause: its keys and the forms of each argument; a
/// positive clause is also kept as a [`RelationTarget`](super::types::RelationTarget), for
/// telling which relation lines of a hit it matched.
pub(super) fn relation_clause(
    ctx: &mut Ctx<'_>,
    rel: &RelationMatch,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let keys = &rel.keys;
    let [fa, fb] = &rel.sides;
    if positive {
        let forms = |f: &[ArgForm]| f.iter().map(|(x, _)| x.clone()).collect::<Vec<_>>();
        ctx.relations.push(super::types::RelationTarget {
            keys: keys.clone(),
            sides: [forms(fa), forms(fb)],
        });
    }
    if fa.len() * fb.len() > PAIRS_PER_CLAUSE {
        return relation_set(ctx, keys, fa, fb, rel.pos);
    }
    let mut qs = Vec::new();
    for (x, tx) in fa {
        for (y, ty) in fb {
            let rels = keys
                .iter()
                .map(|k| ctx.relation_query(k, x, y))
                .collect::<Result<Vec<_>>>()?;
            let rel = any_of(rels);
            let typed: Vec<&String> = tx.iter().chain(ty.iter()).collect();
            if typed.is_empty() {
                qs.push(rel);
                continue;
            }
            let mut must = vec![(Occur::Must, rel)];
            for t in typed {
                must.push((
                    Occur::Must,
                    term(ctx.fields.entity, t, IndexRecordOption::Basic),
                ));
            }
            qs.push(Box::new(BooleanQuery::new(must)));
        }
    }
    Ok(any_of(qs))
}
