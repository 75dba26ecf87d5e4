//! Entity clauses lowered: the resolver's entity terms (`gene:5133`) each become a query
//! scored by how often the document mentions the entity, with a boost for a title mention; an
//! expanded vocabulary set becomes one term-set query (thousands of IDs stay one automaton
//! over the term dictionary, not a boolean query of thousands of clauses), with the clause's
//! own IDs scored on top.

use super::builders::{any_of, boost, term};
use super::ctx::Ctx;
use super::types::ENTITY_TITLE_BOOST;
use crate::index::schema::Fields;
use crate::search::query::resolve::EntityMatch;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// The query for one typed entity term (`gene:5133`, lower case).
pub(super) fn id_query(fields: &Fields, term_text: &str) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Must,
            term(fields.entity, term_text, IndexRecordOption::WithFreqs),
        ),
        (
            Occur::Should,
            boost(
                term(fields.entity_title, term_text, IndexRecordOption::WithFreqs),
                ENTITY_TITLE_BOOST,
            ),
        ),
    ]))
}

/// The query for a resolved entity clause.
pub(super) fn entity_query(ctx: &mut Ctx<'_>, m: &EntityMatch) -> Box<dyn Query> {
    let own: Vec<Box<dyn Query>> = m.own.iter().map(|t| id_query(ctx.fields, t)).collect();
    let q = match &m.set {
        None => any_of(own),
        Some(set) => {
            let entity: Vec<Term> = set
                .iter()
                .map(|t| Term::from_field_text(ctx.fields.entity, t))
                .collect();
            let title: Vec<Term> = set
                .iter()
                .map(|t| Term::from_field_text(ctx.fields.entity_title, t))
                .collect();
            // Every document of the set matches with the same weight; a mention in the title
            // and the clause's own ID (scored like any entity clause) rank first.
            ctx.set_terms = Some(entity.clone());
            let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, Box::new(TermSetQuery::new(entity))),
                (
                    Occur::Should,
                    boost(Box::new(TermSetQuery::new(title)), ENTITY_TITLE_BOOST),
                ),
            ];
            if !own.is_empty() {
                parts.push((Occur::Should, any_of(own)));
            }
            Box::new(BooleanQuery::new(parts))
        }
    };
    let Some(with) = &m.with else {
        return q;
    };
    let other = entity_query(ctx, with);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, q),
        (Occur::Must, other),
    ]))
}

/// `mh:` exploded: the heading and every descriptor under it, as one term set.
pub(super) fn mesh_heading(ctx: &Ctx<'_>, value: &str, uis: &[String]) -> Box<dyn Query> {
    let mut terms: Vec<Term> = uis
        .iter()
        .map(|id| Term::from_field_text(ctx.fields.mesh, &id.to_lowercase()))
        .collect();
    terms.push(Term::from_field_text(
        ctx.fields.mesh,
        &value.to_lowercase(),
    ));
    Box::new(TermSetQuery::new(terms))
}
