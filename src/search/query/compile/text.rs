//! Free-text clauses (`word`, `"a phrase"`, `title:word`): analyzed with the index's
//! analyzer and searched on the title, abstract and mention fields.

use super::builders::{any_of, boost, term};
use super::ctx::Ctx;
use super::types::{MENTION_BOOST, TITLE_BOOST};
use crate::index::schema::Fields;
use crate::index::tokenizer::query_tokens;
use tantivy::query::{EmptyQuery, PhraseQuery, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

pub(super) fn text_fields(f: &Fields, which: &str) -> Vec<(Field, f32)> {
    match which {
        "title" => vec![(f.title, 1.0)],
        "abstract" => vec![(f.abstract_text, 1.0)],
        "mention" => vec![(f.mention, 1.0)],
        _ => vec![
            (f.title, TITLE_BOOST),
            (f.abstract_text, 1.0),
            (f.mention, MENTION_BOOST),
        ],
    }
}

pub(super) fn free_text(
    ctx: &mut Ctx<'_>,
    which: &str,
    text: &str,
    positive: bool,
) -> Box<dyn Query> {
    let tokens = query_tokens(text);
    if positive {
        ctx.text_terms.extend(tokens.iter().cloned());
    }
    if tokens.is_empty() {
        return Box::new(EmptyQuery);
    }
    let mut per_field = Vec::new();
    for (field, b) in text_fields(ctx.fields, which) {
        let q: Box<dyn Query> = if tokens.len() == 1 {
            term(field, &tokens[0], IndexRecordOption::WithFreqs)
        } else {
            Box::new(PhraseQuery::new(
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))
        };
        per_field.push(boost(q, b));
    }
    any_of(per_field)
}
