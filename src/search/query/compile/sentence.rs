//! `sentence:( … )`: the group's resolved clauses are lowered as usual, one by one, and kept
//! as a [`SentTree`] whose leaves say how each is found in a sentence (entity terms by
//! position, words and phrases by the sentence's tokens, anything else at document level);
//! the [`SentenceQuery`] built from it checks the candidates sentence by sentence.

use super::clause;
use super::ctx::Ctx;
use crate::error::Result;
use crate::search::query::ast::{Clause, Node};
use crate::search::query::resolve::{Corpus, IndexView, RNode, Resolver};
use crate::search::query::sentence::{SentTree, SentenceQuery};
use tantivy::query::Query;
use tantivy::Term;

/// Compiles `sentence:(inner)`; `None` when nothing inside is left to search for.
pub(super) fn sentence_group(
    ctx: &mut Ctx<'_>,
    inner: &RNode<'_>,
    positive: bool,
) -> Result<Option<Box<dyn Query>>> {
    let Some(tree) = tree(ctx, inner, positive)? else {
        return Ok(None);
    };
    let tokenizer = ctx.searcher.index().tokenizer_for_field(ctx.fields.title)?;
    Ok(Some(Box::new(SentenceQuery::new(
        tree,
        ctx.fields.entity,
        ctx.fields.doc,
        tokenizer,
    ))))
}

/// The second ranking tier: when the query is a conjunction with two or more entity clauses,
/// the documents that mention all of them in one sentence (`None` otherwise). The clauses are
/// resolved and compiled again in a scratch context, so nothing is noted twice.
pub(super) fn sentence_tier(
    query: &str,
    view: IndexView<'_>,
    ast: &Node,
) -> Result<Option<Box<dyn Query>>> {
    let children: Vec<&Node> = match ast {
        Node::And(v) => v.iter().collect(),
        _ => return Ok(None),
    };
    let mut resolver = Resolver::new(query, Some(view), Corpus::Local);
    let resolved: Vec<_> = children
        .into_iter()
        .filter_map(|c| match c {
            Node::Clause(cl) => resolver.clause(cl).ok(),
            _ => None,
        })
        .collect();
    let mut scratch = Ctx::new(query, view.searcher, view.fields, &resolver);
    let mut leaves = Vec::new();
    for r in &resolved {
        scratch.set_terms = None;
        let Some(q) = clause(&mut scratch, r, false).ok().flatten() else {
            continue;
        };
        if let entity @ SentTree::Entity(..) = leaf(&mut scratch, r.clause, q)? {
            leaves.push(entity);
        }
    }
    if leaves.len() < 2 {
        return Ok(None);
    }
    let tokenizer = view
        .searcher
        .index()
        .tokenizer_for_field(view.fields.title)?;
    Ok(Some(Box::new(SentenceQuery::new(
        SentTree::And(leaves),
        view.fields.entity,
        view.fields.doc,
        tokenizer,
    ))))
}

fn tree(ctx: &mut Ctx<'_>, n: &RNode<'_>, positive: bool) -> Result<Option<SentTree>> {
    Ok(match n {
        RNode::And { children, .. } | RNode::Or(children) => {
            let mut subs = Vec::new();
            for c in children {
                subs.extend(tree(ctx, c, positive)?);
            }
            match (subs.len(), n) {
                (0, _) => None,
                (1, _) => subs.pop(),
                (_, RNode::And { .. }) => Some(SentTree::And(subs)),
                _ => Some(SentTree::Or(subs)),
            }
        }
        RNode::Not(c) => tree(ctx, c, false)?.map(|t| SentTree::Not(Box::new(t))),
        RNode::Boost(c, _) | RNode::Sentence(c) => tree(ctx, c, positive)?,
        RNode::Leaf(r) => {
            ctx.set_terms = None;
            let Some(q) = clause(ctx, r, positive)? else {
                return Ok(None);
            };
            Some(leaf(ctx, r.clause, q)?)
        }
    })
}
/// How one compiled clause is found in a sentence.
fn leaf(ctx: &mut Ctx<'_>, c: &Clause, q: Box<dyn Query>) -> Result<SentTree> {
    let f = ctx.fields;
    let mut entity: Vec<Term> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut other = false;
    // An exploded vocabulary clause is a term set, whose terms the visitor does not see.
    entity.extend(ctx.set_terms.take().unwrap_or_default());
    q.query_terms(&mut |t, _| {
        let field = t.field();
        if field == f.entity {
            entity.push(t.clone());
        } else if field == f.entity_title {
            // The title boost of an entity clause: its `entity` term says it all.
        } else if field == f.title || field == f.abstract_text || field == f.mention {
            if let Some(s) = t.value().as_str() {
                words.push(s.to_string());
            }
        } else {
            other = true;
        }
    });
    if !entity.is_empty() && words.is_empty() && !other {
        entity.sort();
        entity.dedup();
        return Ok(SentTree::Entity(q, entity));
    }
    if let Clause::Term {
        text, quoted: true, ..
    } = c
    {
        if !other && entity.is_empty() {
            let seq = analyze(ctx, text)?;
            if !seq.is_empty() {
                return Ok(SentTree::Text(q, vec![seq]));
            }
        }
    }
    if !words.is_empty() && entity.is_empty() && !other {
        words.sort();
        words.dedup();
        return Ok(SentTree::Text(
            q,
            words.into_iter().map(|w| vec![w]).collect(),
        ));
    }
    Ok(SentTree::Doc(q))
}

/// The words of a phrase as the index's tokenizer reads them (one per position).
fn analyze(ctx: &Ctx<'_>, text: &str) -> Result<Vec<String>> {
    let mut analyzer = ctx.searcher.index().tokenizer_for_field(ctx.fields.title)?;
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<(usize, String)> = Vec::new();
    while let Some(t) = stream.next() {
        if out.last().is_none_or(|(p, _)| *p != t.position) {
            out.push((t.position, t.text.clone()));
        }
    }
    Ok(out.into_iter().map(|(_, w)| w).collect())
}
