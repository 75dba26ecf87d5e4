//! The query tree walked into a Quickwit query string: boolean structure, free text, prefix
//! searches and the keyword fields (`pmid:`, `section:`, `resource:`, metadata); entity,
//! type and relation clauses are `entity`'s. Each clause means what
//! [`mod@crate::search::query::compile`] makes of it.

use super::entity::{at_clause, entity_clause, relation_clause, type_clause};
use super::qstring::{all_of, any_of, leaf, Q};
use super::Ctx;
use crate::error::Result;
use crate::index::tokenizer::query_tokens;
use crate::pubtator::meta::search_key;
use crate::search::query::ast::Field;
use crate::search::query::compile::{
    bare_id, type_alias, unknown_field, MAX_PREFIX_TERMS, MIN_PREFIX_CHARS, NAMESPACES,
};
use crate::search::query::metadata::year_range;
use crate::search::query::parse::{Clause, Node};
use crate::vocab::expand::Mode;

/// Where the first clause of `n` starts.
pub(super) fn first_clause_pos(n: &Node) -> usize {
    match n {
        Node::And(v) | Node::Or(v) => v.first().map_or(0, first_clause_pos),
        Node::Not(c) | Node::Boost(c, _) => first_clause_pos(c),
        Node::Sentence(_, pos) => *pos,
        Node::Clause(Clause::All { pos } | Clause::At { pos, .. }) => *pos,
        Node::Clause(Clause::Term { field, pos, .. }) => field.as_ref().map_or(*pos, |f| f.pos),
    }
}

/// Translates a node; `positive` is false under a NOT. `None` when the node has nothing to
/// search for (ptsearch drops it with a warning; so does the translation, with a note).
pub(super) fn node(ctx: &mut Ctx<'_>, n: &Node, positive: bool) -> Result<Option<Q>> {
    Ok(match n {
        Node::Clause(c) => clause(ctx, c, positive)?,
        Node::Boost(inner, b) => node(ctx, inner, positive)?.map(|q| Q::Boost(Box::new(q), *b)),
        Node::Not(inner) => node(ctx, inner, false)?.map(|q| Q::Not(Box::new(q))),
        Node::Sentence(inner, _) => {
            ctx.note(
                "sentence:(…) is approximate: document level (Quickwit has no sentences)"
                    .to_string(),
            );
            node(ctx, inner, positive)?
        }
        Node::And(children) => {
            let mut subs = Vec::new();
            for c in children {
                subs.extend(node(ctx, c, positive)?);
            }
            (!subs.is_empty()).then(|| all_of(subs))
        }
        Node::Or(children) => {
            let mut subs = Vec::new();
            for c in children {
                subs.extend(node(ctx, c, positive)?);
            }
            (!subs.is_empty()).then(|| any_of(subs))
        }
    })
}

fn clause(ctx: &mut Ctx<'_>, c: &Clause, positive: bool) -> Result<Option<Q>> {
    match c {
        Clause::All { .. } => Ok(Some(Q::All)),
        Clause::At { text, pos } => at_clause(ctx, text, *pos, positive).map(Some),
        Clause::Term {
            field: None,
            text,
            quoted,
            pos,
        } => free_text(ctx, None, text, *quoted, *pos, positive),
        Clause::Term {
            field: Some(field),
            text,
            quoted,
            pos,
        } => {
            let name = field.name.to_ascii_lowercase();
            match name.as_str() {
                "title" | "abstract" | "mention" => {
                    free_text(ctx, Some(&name), text, *quoted, *pos, positive)
                }
                "text" => free_text(ctx, None, text, *quoted, *pos, positive),
                _ => fielded(ctx, field, &name, text, *pos, positive).map(Some),
            }
        }
    }
}

/// A word, phrase or prefix on one text field (`scope`) or on all of them (`None`: Quickwit's
/// default search fields, title, abstract and mention, as ptsearch's free text).
fn free_text(
    ctx: &mut Ctx<'_>,
    scope: Option<&str>,
    text: &str,
    quoted: bool,
    pos: usize,
    positive: bool,
) -> Result<Option<Q>> {
    if !quoted && text.chars().count() > 1 && text.contains('*') {
        return prefix(ctx, scope, text, pos).map(Some);
    }
    let tokens = query_tokens(text);
    if tokens.is_empty() {
        ctx.note(format!(
            "ignored '{text}' at position {pos}: it has no letters or digits to search for"
        ));
        return Ok(None);
    }
    if text
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        ctx.note(format!(
            "approximate: '{text}' is split at its punctuation by Quickwit's default tokenizer, \
             which does not join parts as ptsearch's does (IL-6 finds IL6 only in ptsearch; \
             an unquoted IL-6 finds the parts in a row in Quickwit, also 'IL 6', and the \
             joined spellings only in ptsearch, also 'IL6')"
        ));
    }
    if positive && scope.is_some() {
        ctx.note(
            "approximate: ranking differs: BM25 over Quickwit's own words (ptsearch's field \
             lengths count the joined forms it also indexes)"
                .to_string(),
        );
    }
    if positive && scope.is_none() {
        ctx.note(
            "approximate: ranking differs: ptsearch weighs title matches 2x and mention text \
             0.5x; Quickwit scores its default fields alike"
                .to_string(),
        );
    }
    let text_query = leaf(scope, text);
    if quoted || scope.is_some() {
        return Ok(Some(text_query));
    }
    // A bare MeSH descriptor or dbSNP ID also matches documents annotated with it: the
    // untyped term the export writes for every annotation, whatever the local index holds.
    let Some(id) = bare_id(text) else {
        return Ok(Some(text_query));
    };
    if positive {
        ctx.positive_ids.insert(id.clone());
    }
    Ok(Some(any_of(vec![text_query, leaf(Some("entity"), &id)])))
}

/// `melan*`: Quickwit's own prefix search on the same field(s).
fn prefix(ctx: &mut Ctx<'_>, scope: Option<&str>, text: &str, pos: usize) -> Result<Q> {
    let chars: Vec<char> = text.chars().collect();
    if let Some(i) = chars.iter().position(|&c| c == '*') {
        if i + 1 != chars.len() {
            return Err(ctx.err(
                pos + i,
                "'*' is only allowed at the end of a word (prefix search such as melan*)",
            ));
        }
    }
    let stem: String = chars[..chars.len() - 1].iter().collect();
    let tokens = query_tokens(&stem);
    let [token] = tokens.as_slice() else {
        return Err(ctx.err(
            pos,
            "a prefix search takes one word before the '*' (such as melan*)",
        ));
    };
    if token.chars().count() < MIN_PREFIX_CHARS {
        return Err(ctx.err(
            pos,
            format!(
                "a prefix search needs at least {MIN_PREFIX_CHARS} letters or digits before the '*'"
            ),
        ));
    }
    if !token.chars().all(char::is_alphanumeric) {
        return Err(ctx.err(
            pos,
            format!(
                "'{text}' has no Quickwit equivalent: Quickwit's default tokenizer splits \
                 '{stem}' into several words, and a prefix applies to one"
            ),
        ));
    }
    ctx.note(format!(
        "approximate: '{text}' is expanded by Quickwit over its own words (ptsearch: at most \
         {MAX_PREFIX_TERMS} words of its index, in alphabetical order); ranking differs: \
         Quickwit scores every document the prefix matches alike (then by ID)"
    ));
    Ok(Q::Leaf(match scope {
        Some(f) => format!("{f}:{token}*"),
        None => format!("{token}*"),
    }))
}

/// A clause with a field that is not a text field.
fn fielded(
    ctx: &mut Ctx<'_>,
    field: &Field,
    name: &str,
    text: &str,
    pos: usize,
    positive: bool,
) -> Result<Q> {
    let lower = || text.trim().to_lowercase();
    let mode = Mode {
        literal: field.literal,
        ..Mode::default()
    };
    match name {
        "id" => entity_clause(ctx, None, text, pos, positive, mode),
        "ortho" => {
            let ortho = Mode {
                orthologs: !field.literal,
                ..mode
            };
            entity_clause(ctx, Some("Gene".to_string()), text, pos, positive, ortho)
        }
        "pmid" => Ok(leaf(Some("id"), text.trim())),
        "section" | "resource" => Ok(leaf(Some(name), &lower())),
        "type" => type_clause(ctx, text, pos),
        "rel" | "relations" => relation_clause(ctx, text, pos),
        "year" => {
            let (from, to) = year_range(text).map_err(|m| ctx.err(pos, m))?;
            let bound = |y: Option<u64>| y.map_or("*".to_string(), |y| y.to_string());
            // `year:..`: every document with a known year.
            let from = bound(from.or(to.is_none().then_some(0)));
            Ok(Q::Leaf(format!("year:[{from} TO {}]", bound(to))))
        }
        "journal" => Ok(journal(&search_key(text))),
        "author" => Ok(leaf(Some(name), &search_key(text))),
        "pubtype" | "source" => Ok(leaf(Some(name), &lower())),
        "mh" => Ok(super::entity::mesh_heading(ctx, text, field.literal)?
            .unwrap_or_else(|| leaf(Some("mesh"), &lower()))),
        _ => {
            if let Some(t) = type_alias(name) {
                return entity_clause(ctx, Some(t.to_string()), text, pos, positive, mode);
            }
            if let Some(t) = super::entity::other_type(ctx, name)? {
                return entity_clause(ctx, Some(t), text, pos, positive, mode);
            }
            if NAMESPACES.contains(&name) {
                let full = format!("{}:{}", field.name, text);
                return entity_clause(ctx, None, &full, field.pos, positive, mode);
            }
            Err(unknown_field(ctx.query, field))
        }
    }
}

/// `journal:X`: the journal's search key `x`, or its first words (`journal:Lancet` finds
/// "Lancet Infect Dis", not "Lancets"), as ptsearch's term-or-range: the term, or Quickwit's
/// wildcard `x\ *` on the raw field (every character but letters and digits escaped).
fn journal(key: &str) -> Q {
    let exact = leaf(Some("journal"), key);
    if key.is_empty() {
        return exact;
    }
    let mut words = String::from("journal:");
    for c in key.chars() {
        if !c.is_alphanumeric() {
            words.push('\\');
        }
        words.push(c);
    }
    words.push_str("\\ *");
    Q::Or(vec![exact, Q::Leaf(words)])
}
