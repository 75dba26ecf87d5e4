//! Free-text clauses lowered (`word`, `"a phrase"`, `title:word`, `melan*`): analyzed with
//! the index's analyzer and searched on the title, abstract and mention fields. A clause with
//! nothing to search for (`+`, `/`, `.`) is dropped with a warning; a bare ID the resolver
//! found entity terms for (`D008545`, `rs113488022`, `V600E`) also matches documents
//! annotated with it; a prefix search is the index words the resolver expanded it to.

use super::builders::{any_of, boost, term};
use super::ctx::Ctx;
use super::entity::id_query;
use super::types::{MENTION_BOOST, TITLE_BOOST};
use crate::error::Result;
use crate::index::terms::doc_count;
use crate::index::tokenizer::{phrase_forms, query_tokens};
use crate::search::query::resolve::TextScope;
use tantivy::query::{EmptyQuery, PhraseQuery, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

fn text_fields(ctx: &Ctx<'_>, scope: TextScope) -> Vec<(Field, f32)> {
    let f = ctx.fields;
    match scope {
        TextScope::Title => vec![(f.title, 1.0)],
        TextScope::Abstract => vec![(f.abstract_text, 1.0)],
        TextScope::Mention => vec![(f.mention, 1.0)],
        TextScope::All => vec![
            (f.title, TITLE_BOOST),
            (f.abstract_text, 1.0),
            (f.mention, MENTION_BOOST),
        ],
    }
}

/// What a text clause is, as the resolver read it.
pub(super) struct TextClause<'t> {
    pub(super) scope: TextScope,
    pub(super) text: &'t str,
    pub(super) quoted: bool,
    /// A phrase's proximity (`"a b"~3`; 0: exact).
    pub(super) slop: u32,
    /// Where the value starts.
    pub(super) pos: usize,
    /// Whether the text is written as an ID.
    pub(super) bare: bool,
    /// The entity terms of that ID the index has.
    pub(super) id_terms: &'t [String],
}

/// Compiles a word or phrase; `None` when it has nothing to search for (dropped, with a
/// warning).
pub(super) fn free_text(
    ctx: &mut Ctx<'_>,
    c: TextClause<'_>,
    positive: bool,
) -> Result<Option<Box<dyn Query>>> {
    let (scope, text, quoted) = (c.scope, c.text, c.quoted);
    let tokens = query_tokens(text);
    if tokens.is_empty() {
        ctx.warn(format!(
            "ignored '{text}' at position {}: it has no letters or digits to search for",
            c.pos
        ));
        return Ok(None);
    }
    if !quoted && matches!(text, "and" | "or" | "not") {
        ctx.warn(format!(
            "'{text}' is searched as a word; write {} to use it as an operator",
            text.to_uppercase()
        ));
    }
    // A word is its concatenation (`IL-6` finds `IL6`); a phrase, or a quoted joined word,
    // is matched part by part at consecutive positions, or word by word as concatenations.
    let forms = if tokens.len() == 1 && !quoted {
        vec![tokens.clone()]
    } else {
        phrase_forms(text)
    };
    let forms = if forms.is_empty() {
        vec![tokens.clone()]
    } else {
        forms
    };
    let fields = text_fields(ctx, scope);
    if positive {
        if let [only] = tokens.as_slice() {
            let found: u64 = fields
                .iter()
                .map(|(f, _)| doc_count(ctx.searcher, *f, only))
                .sum::<tantivy::Result<u64>>()?;
            if found == 0 && !c.bare {
                ctx.warn(format!("no document contains the word '{text}'"));
            }
        }
        for form in &forms {
            match form.as_slice() {
                [only] => {
                    ctx.text_terms.insert(only.clone());
                }
                // A phrase with proximity is highlighted word by word: its words need not
                // stand in a row.
                words if c.slop > 0 => ctx.text_terms.extend(words.iter().cloned()),
                _ => {
                    ctx.phrases.insert(form.clone());
                }
            }
        }
    }
    let mut per_field = Vec::new();
    for (field, b) in fields {
        let qs: Vec<Box<dyn Query>> = forms
            .iter()
            .map(|form| -> Box<dyn Query> {
                match form.as_slice() {
                    [only] => term(field, only, IndexRecordOption::WithFreqs),
                    _ => {
                        let mut phrase = PhraseQuery::new(
                            form.iter()
                                .map(|t| Term::from_field_text(field, t))
                                .collect(),
                        );
                        phrase.set_slop(c.slop);
                        Box::new(phrase)
                    }
                }
            })
            .collect();
        per_field.push(boost(any_of(qs), b));
    }
    let text_query = any_of(per_field);
    if quoted || scope != TextScope::All || c.id_terms.is_empty() {
        return Ok(Some(text_query));
    }
    let mut qs = vec![text_query];
    qs.extend(c.id_terms.iter().map(|t| id_query(ctx.fields, t)));
    Ok(Some(any_of(qs)))
}

/// A prefix search `melan*`: the index words the resolver expanded it to (none: nothing
/// matches).
pub(super) fn prefix(
    ctx: &mut Ctx<'_>,
    scope: TextScope,
    words: &[String],
    positive: bool,
) -> Box<dyn Query> {
    if words.is_empty() {
        return Box::new(EmptyQuery);
    }
    if positive {
        ctx.text_terms.extend(words.iter().cloned());
    }
    let mut qs = Vec::new();
    for (field, b) in text_fields(ctx, scope) {
        for w in words {
            qs.push(boost(term(field, w, IndexRecordOption::WithFreqs), b));
        }
    }
    any_of(qs)
}
