//! The resolved query lowered into a Quickwit query string: boolean structure, free text,
//! prefix searches and the keyword fields (`pmid:`, `section:`, `resource:`, metadata);
//! entity, type and relation clauses are `entity`'s. What each clause means was decided by
//! the resolver, as for [`mod@crate::search::query::compile`]; the notes here are about
//! where Quickwit's answer differs.

use super::entity::{entity, relation};
use super::qstring::{any_of, leaf, Q};
use super::Ctx;
use crate::error::Result;
use crate::index::tokenizer::query_tokens;
use crate::pubtator::meta::search_key;
use crate::search::query::resolve::{Leaf, RNode, Resolved, TextScope, MAX_PREFIX_TERMS};

/// Translates a node; `positive` is false under a NOT. `None` when the node has nothing to
/// search for (ptsearch drops it with a warning; so does the translation, with a note).
pub(super) fn node(ctx: &mut Ctx<'_>, n: &RNode<'_>, positive: bool) -> Result<Option<Q>> {
    Ok(match n {
        RNode::Leaf(r) => clause(ctx, r, positive)?,
        RNode::Boost(inner, b) => node(ctx, inner, positive)?.map(|q| Q::Boost(Box::new(q), *b)),
        RNode::Not(inner) => node(ctx, inner, false)?.map(|q| Q::Not(Box::new(q))),
        RNode::Sentence(inner) => {
            ctx.note(
                "sentence:(…) is approximate: document level (Quickwit has no sentences)"
                    .to_string(),
            );
            node(ctx, inner, positive)?
        }
        RNode::And { children, .. } => {
            let mut subs = Vec::new();
            for c in children {
                subs.extend(node(ctx, c, positive)?);
            }
            (!subs.is_empty()).then(|| super::qstring::all_of(subs))
        }
        RNode::Or(children) => {
            let mut subs = Vec::new();
            for c in children {
                subs.extend(node(ctx, c, positive)?);
            }
            (!subs.is_empty()).then(|| any_of(subs))
        }
    })
}

/// A resolved clause: the notes resolving it made, then its query; a positive clause's IDs
/// are kept for the note on relation-aware ranking.
fn clause(ctx: &mut Ctx<'_>, r: &Resolved<'_>, positive: bool) -> Result<Option<Q>> {
    if positive && matches!(r.leaf, Leaf::Entity(_)) {
        ctx.note(
            "approximate: ranking differs: ptsearch adds a boost when an entity is mentioned \
             in the title"
                .to_string(),
        );
    }
    for n in &r.notes {
        ctx.note(n.clone());
    }
    let q = lower(ctx, &r.leaf, positive)?;
    if positive && q.is_some() {
        ctx.positive_ids.extend(r.ranking.iter().cloned());
    }
    Ok(q)
}

fn lower(ctx: &mut Ctx<'_>, l: &Leaf, positive: bool) -> Result<Option<Q>> {
    let lowercase = |text: &str| text.trim().to_lowercase();
    Ok(Some(match l {
        Leaf::All => Q::All,
        Leaf::Text {
            scope,
            text,
            quoted,
            slop,
            pos,
            id_terms,
            ..
        } => {
            let q = free_text(
                ctx,
                field_of(*scope),
                text,
                *quoted,
                *pos,
                positive,
                id_terms,
            );
            // A phrase's proximity, in the syntax Quickwit shares with Lucene.
            return Ok(match q {
                Some(Q::Leaf(s)) if *slop > 0 => Some(Q::Leaf(format!("{s}~{slop}"))),
                other => other,
            });
        }
        Leaf::Prefix {
            scope, text, token, ..
        } => prefix(ctx, field_of(*scope), text, token),
        Leaf::Entity(m) => entity(m),
        Leaf::Type(t) => leaf(Some("entity_type"), t),
        Leaf::Relation(rel) => relation(ctx, rel),
        Leaf::Pmid(id) => leaf(Some("id"), id),
        Leaf::Keyword(name, value) => leaf(Some(*name), value),
        Leaf::Year { from, to, .. } => {
            let bound = |y: Option<u64>| y.map_or("*".to_string(), |y| y.to_string());
            // `year:..`: every document with a known year.
            let from = bound(from.or(to.is_none().then_some(0)));
            Q::Leaf(format!("year:[{from} TO {}]", bound(*to)))
        }
        Leaf::Metadata { name, text, .. } => match name.as_str() {
            "journal" => journal(&search_key(text)),
            "author" => leaf(Some("author"), &search_key(text)),
            "mh" => leaf(Some("mesh"), &lowercase(text)),
            _ => leaf(Some(name.as_str()), &lowercase(text)),
        },
        Leaf::MeshHeading { value, uis } => {
            let mut leaves: Vec<Q> = uis
                .iter()
                .map(|ui| leaf(Some("mesh"), &ui.to_lowercase()))
                .collect();
            leaves.push(leaf(Some("mesh"), &value.to_lowercase()));
            any_of(leaves)
        }
    }))
}

/// The Quickwit field of a text scope: `None` for all of them (Quickwit's default search
/// fields, title, abstract and mention, as ptsearch's free text).
fn field_of(scope: TextScope) -> Option<&'static str> {
    match scope {
        TextScope::All => None,
        TextScope::Title => Some("title"),
        TextScope::Abstract => Some("abstract"),
        TextScope::Mention => Some("mention"),
    }
}

/// A word or phrase on one text field (`scope`) or on all of them (`None`); a bare ID also
/// matches the entity term the export writes for it (`id_terms`).
fn free_text(
    ctx: &mut Ctx<'_>,
    scope: Option<&str>,
    text: &str,
    quoted: bool,
    pos: usize,
    positive: bool,
    id_terms: &[String],
) -> Option<Q> {
    let tokens = query_tokens(text);
    if tokens.is_empty() {
        ctx.note(format!(
            "ignored '{text}' at position {pos}: it has no letters or digits to search for"
        ));
        return None;
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
    if quoted || scope.is_some() || id_terms.is_empty() {
        return Some(text_query);
    }
    let mut qs = vec![text_query];
    qs.extend(id_terms.iter().map(|t| leaf(Some("entity"), t)));
    Some(any_of(qs))
}

/// `melan*`: Quickwit's own prefix search on the same field(s).
fn prefix(ctx: &mut Ctx<'_>, scope: Option<&str>, text: &str, token: &str) -> Q {
    ctx.note(format!(
        "approximate: '{text}' is expanded by Quickwit over its own words (ptsearch: at most \
         {MAX_PREFIX_TERMS} words of its index, in alphabetical order); ranking differs: \
         Quickwit scores every document the prefix matches alike (then by ID)"
    ));
    Q::Leaf(match scope {
        Some(f) => format!("{f}:{token}*"),
        None => format!("{token}*"),
    })
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
