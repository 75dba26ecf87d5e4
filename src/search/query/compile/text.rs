//! Free-text clauses (`word`, `"a phrase"`, `title:word`, `melan*`): analyzed with the
//! index's analyzer and searched on the title, abstract and mention fields. A clause with
//! nothing to search for (`+`, `/`, `.`) is dropped with a warning; a bare MeSH descriptor or
//! dbSNP ID (`D008545`, `rs113488022`) or a variant in HGVS (`V600E`, `c.677C>T`) also
//! matches documents annotated with that ID.

use super::builders::{any_of, boost, term};
use super::ctx::{err, Ctx};
use super::entity::id_query;
use super::types::{EntityTarget, MENTION_BOOST, TITLE_BOOST};
use crate::error::Result;
use crate::index::terms::doc_count;
use crate::index::tokenizer::{phrase_forms, query_tokens};
use crate::pubtator::ids::canonical_id;
use std::collections::BTreeSet;
use tantivy::query::{EmptyQuery, PhraseQuery, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Most index words one prefix search (`melan*`) expands to.
pub(crate) const MAX_PREFIX_TERMS: usize = 1_000;
/// Fewest letters or digits before the `*` of a prefix search.
pub(crate) const MIN_PREFIX_CHARS: usize = 3;

/// Which text fields a clause searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TextScope {
    /// Title, abstract and mention text, title weighted up and mentions down.
    All,
    /// `title:`
    Title,
    /// `abstract:`
    Abstract,
    /// `mention:`
    Mention,
}

impl TextScope {
    /// The scope of a field name (lower case), if it is a text field (`text:` is all of them).
    pub(super) fn of_field(name: &str) -> Option<TextScope> {
        Some(match name {
            "title" => TextScope::Title,
            "abstract" => TextScope::Abstract,
            "mention" => TextScope::Mention,
            "text" => TextScope::All,
            _ => return None,
        })
    }
}

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

/// Compiles a word or phrase; `None` when it has nothing to search for (dropped, with a
/// warning). `pos` is where the value starts.
pub(super) fn free_text(
    ctx: &mut Ctx<'_>,
    scope: TextScope,
    text: &str,
    quoted: bool,
    pos: usize,
    positive: bool,
) -> Result<Option<Box<dyn Query>>> {
    if !quoted && text.chars().count() > 1 && text.contains('*') {
        return prefix(ctx, scope, text, pos, positive).map(Some);
    }
    let tokens = query_tokens(text);
    if tokens.is_empty() {
        ctx.warn(format!(
            "ignored '{text}' at position {pos}: it has no letters or digits to search for"
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
            if found == 0 && bare_id(text).is_none() {
                ctx.warn(format!("no document contains the word '{text}'"));
            }
        }
        for form in &forms {
            match form.as_slice() {
                [only] => {
                    ctx.text_terms.insert(only.clone());
                }
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
                    _ => Box::new(PhraseQuery::new(
                        form.iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    )),
                }
            })
            .collect();
        per_field.push(boost(any_of(qs), b));
    }
    let text_query = any_of(per_field);
    if quoted || scope != TextScope::All {
        return Ok(Some(text_query));
    }
    match bare_id(text) {
        Some(id) => {
            let known = ctx.id_terms(None, &id)?;
            if known.is_empty() {
                return Ok(Some(text_query));
            }
            if positive {
                ctx.entities.insert(EntityTarget::Id {
                    entity_type: None,
                    id: id.clone(),
                });
                ctx.positive_ids.insert(id);
            }
            let mut qs = vec![text_query];
            qs.extend(known.iter().map(|t| id_query(ctx.fields, t)));
            Ok(Some(any_of(qs)))
        }
        None => Ok(Some(text_query)),
    }
}

/// The ID (lower case) a bare query word stands for, when it is written as a MeSH
/// descriptor or supplementary concept (`D008545`, `C564766`), a dbSNP ID (`rs113488022`) or
/// a variant in HGVS (`V600E`, `p.Val600Glu`, `c.677C>T`).
pub(crate) fn bare_id(word: &str) -> Option<String> {
    if word.contains(':') {
        return None;
    }
    let id = canonical_id(word);
    let lower = id.to_ascii_lowercase();
    let rs = lower
        .strip_prefix("rs")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    if lower.starts_with("mesh:") || rs {
        return Some(lower);
    }
    // `V600E`, `p.Val600Glu`, `c.677C>T`: the HGVS form of a variant ID.
    crate::pubtator::variant::bare_variant(word).map(|v| v.to_ascii_lowercase())
}

/// A prefix search `melan*`: every index word starting with the analyzed prefix, up to
/// [`MAX_PREFIX_TERMS`].
fn prefix(
    ctx: &mut Ctx<'_>,
    scope: TextScope,
    text: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let chars: Vec<char> = text.chars().collect();
    if let Some(i) = chars.iter().position(|&c| c == '*') {
        if i + 1 != chars.len() {
            return Err(err(
                ctx,
                pos + i,
                "'*' is only allowed at the end of a word (prefix search such as melan*)",
            ));
        }
    }
    let stem: String = chars.iter().take(chars.len() - 1).collect();
    let tokens = query_tokens(&stem);
    let [token] = tokens.as_slice() else {
        return Err(err(
            ctx,
            pos,
            "a prefix search takes one word before the '*' (such as melan*)",
        ));
    };
    if token.chars().count() < MIN_PREFIX_CHARS {
        return Err(err(
            ctx,
            pos,
            format!(
                "a prefix search needs at least {MIN_PREFIX_CHARS} letters or digits before the '*'"
            ),
        ));
    }
    let fields = text_fields(ctx, scope);
    let mut words: BTreeSet<String> = BTreeSet::new();
    for (field, _) in &fields {
        words.extend(words_with_prefix(ctx, *field, token)?);
    }
    if words.len() > MAX_PREFIX_TERMS {
        ctx.warn(format!(
            "'{text}' matches more than {MAX_PREFIX_TERMS} words; only the first \
             {MAX_PREFIX_TERMS} in alphabetical order are searched"
        ));
    }
    let words: Vec<String> = words.into_iter().take(MAX_PREFIX_TERMS).collect();
    if words.is_empty() {
        ctx.warn(format!(
            "no word in the index starts with '{token}' ({text})"
        ));
        return Ok(Box::new(EmptyQuery));
    }
    if positive {
        ctx.text_terms.extend(words.iter().cloned());
    }
    let mut qs = Vec::new();
    for (field, b) in fields {
        for w in &words {
            qs.push(boost(term(field, w, IndexRecordOption::WithFreqs), b));
        }
    }
    Ok(any_of(qs))
}

/// The words of `field` starting with `prefix`, at most [`MAX_PREFIX_TERMS`] + 1 per
/// segment (enough to tell that the cap was reached), read from the term dictionaries only.
fn words_with_prefix(ctx: &Ctx<'_>, field: Field, prefix: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for segment in ctx.searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        let mut seen = 0usize;
        while seen <= MAX_PREFIX_TERMS && stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(w) = std::str::from_utf8(key) {
                out.push(w.to_string());
            }
            seen += 1;
        }
    }
    Ok(out)
}
