//! Resolved query → tantivy query: the lowering of what `search::query::resolve` made of
//! the AST. Nothing is looked up here but what tantivy's query needs (which relation terms
//! exist, whether a metadata value or a word matches any document, for a warning).
//!
//! * free text → each word on `title` (boost 2), `abstract` (1) and `mention` (0.5);
//!   phrases → phrase queries on the same fields;
//! * entity clauses → each entity term, scored by how often the document mentions it, plus a
//!   boost when a mention is in the title; an expanded vocabulary set → one term set;
//! * `rel:TYPE|E1|E2` → the pre-computed relation terms (order-free);
//! * two or more positive entity clauses add optional relation terms between them, so
//!   documents where a relation holds between the queried entities rank first.

mod builders;
mod ctx;
mod entity;
mod relation;
mod sentence;
mod text;
mod types;

use types::ANY_RELATION;
pub use types::{CompiledQuery, EntityTarget, RelationTarget, Resolution, MAX_QUERY_BYTES};

use super::metadata::metadata_clause;
use super::resolve::{
    first_clause_pos, parse_checked, Corpus, IndexView, Leaf, RNode, Resolved, Resolver,
};
use crate::error::Result;
use crate::index::schema::Fields;
use crate::index::terms::doc_count;
use builders::{boost, term};
use ctx::{err, Ctx};
use entity::{entity_query, mesh_heading};
use relation::relation_clause;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::Searcher;
use text::{free_text, prefix, TextClause};
pub use types::{TIER_RELATION, TIER_SENTENCE};

/// Parses and compiles `query` against the index seen by `searcher`, without vocabularies.
pub fn compile(query: &str, searcher: &Searcher, fields: &Fields) -> Result<CompiledQuery> {
    compile_with(query, searcher, fields, &crate::vocab::Vocab::none())
}

/// Parses and compiles `query` against the index seen by `searcher`, expanding entity
/// clauses with the index's vocabularies ([`crate::PtIndex::vocab`]).
pub fn compile_with(
    query: &str,
    searcher: &Searcher,
    fields: &Fields,
    vocab: &crate::vocab::Vocab,
) -> Result<CompiledQuery> {
    let ast = parse_checked(query)?;
    let view = IndexView {
        searcher,
        fields,
        vocab,
    };
    let mut resolver = Resolver::new(query, Some(view), Corpus::Local);
    if !vocab.is_empty() {
        resolver = resolver.with_taxa_of(&ast);
    }
    let tree = resolver.resolve(&ast)?;
    let mut ctx = Ctx::new(query, searcher, fields, &resolver);
    let Some(main) = node(&mut ctx, &tree, true)? else {
        // Every clause was dropped: they all analyze to nothing.
        return Err(err(
            &ctx,
            first_clause_pos(&ast),
            format!("nothing to search for: {}", ctx.warnings.join("; ")),
        ));
    };
    let ids: Vec<String> = ctx.positive_ids.iter().cloned().collect();
    let mut boosts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut relations: Vec<Box<dyn Query>> = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in ids.iter().skip(i + 1) {
            relations.push(ctx.relation_query(
                ANY_RELATION,
                &format!("i:{a}"),
                &format!("i:{b}"),
            )?);
        }
    }
    if !relations.is_empty() {
        let any = builders::any_of(relations);
        boosts.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(any, TIER_RELATION)),
        ));
    }
    if let Some(tier) = sentence::sentence_tier(query, view, &ast)? {
        boosts.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(tier, TIER_SENTENCE)),
        ));
    }
    let query: Box<dyn Query> = if boosts.is_empty() {
        main
    } else {
        boosts.insert(0, (Occur::Must, main));
        Box::new(BooleanQuery::new(boosts))
    };
    Ok(CompiledQuery {
        query,
        text_terms: ctx.text_terms,
        entities: ctx.entities,
        resolutions: ctx.resolutions,
        text_phrases: ctx.phrases,
        warnings: ctx.warnings,
        relations: ctx.relations,
    })
}

/// A note when a metadata clause matches no document of the index: `year:1800` says which
/// years the index has, any other field that no document has that value.
fn note_empty_metadata(ctx: &mut Ctx<'_>, name: &str, text: &str, q: &dyn Query) -> Result<()> {
    if ctx.searcher.search(q, &tantivy::collector::Count)? > 0 {
        return Ok(());
    }
    let value = text.trim();
    if name != "year" {
        ctx.warn(format!("no document has {name} '{value}'"));
        return Ok(());
    }
    let mut span: Option<(u64, u64)> = None;
    for segment in ctx.searcher.segment_readers() {
        let Ok(column) = segment.fast_fields().u64("year") else {
            continue;
        };
        if column.values.num_vals() == 0 {
            continue;
        }
        let (lo, hi) = (column.min_value(), column.max_value());
        span = Some(span.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    }
    ctx.warn(match span {
        Some((lo, hi)) => format!("no document is from year {value} (the index has {lo}..{hi})"),
        None => format!(
            "no document is from year {value}: the index has no publication years (index PubMed XML or BioC with infons for them)"
        ),
    });
    Ok(())
}

/// Lowers a node; `positive` is false under a NOT (nothing there is highlighted or used for
/// relation ranking). `None` when the node was dropped (it has nothing to search for, a
/// warning says so).
fn node(ctx: &mut Ctx<'_>, n: &RNode<'_>, positive: bool) -> Result<Option<Box<dyn Query>>> {
    Ok(match n {
        RNode::Leaf(r) => clause(ctx, r, positive)?,
        RNode::Boost(inner, b) => node(ctx, inner, positive)?.map(|q| boost(q, *b)),
        RNode::Sentence(inner) => sentence::sentence_group(ctx, inner, positive)?,
        RNode::Not(inner) => node(ctx, inner, false)?.map(|q| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, q),
            ]))
        }),
        RNode::And { children, hints } => {
            for h in hints {
                ctx.warn(h.clone());
            }
            let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for c in children {
                let compiled = match c {
                    RNode::Not(inner) => node(ctx, inner, false)?.map(|q| (Occur::MustNot, q)),
                    other => node(ctx, other, positive)?.map(|q| (Occur::Must, q)),
                };
                subs.extend(compiled);
            }
            if subs.is_empty() {
                return Ok(None);
            }
            if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                subs.push((Occur::Must, Box::new(AllQuery)));
            }
            Some(Box::new(BooleanQuery::new(subs)))
        }
        RNode::Or(children) => {
            let mut subs = Vec::new();
            for c in children {
                subs.extend(node(ctx, c, positive)?);
            }
            if subs.is_empty() {
                None
            } else {
                Some(builders::any_of(subs))
            }
        }
    })
}

/// Lowers a resolved clause, taking in what resolving it noted; a positive clause also
/// records what to mark and rank by. `None` when it was dropped.
fn clause(ctx: &mut Ctx<'_>, r: &Resolved<'_>, positive: bool) -> Result<Option<Box<dyn Query>>> {
    ctx.take_notes(r);
    let q = leaf(ctx, &r.leaf, positive)?;
    if positive && q.is_some() {
        ctx.take_targets(r);
    }
    Ok(q)
}

fn leaf(ctx: &mut Ctx<'_>, l: &Leaf, positive: bool) -> Result<Option<Box<dyn Query>>> {
    Ok(Some(match l {
        Leaf::All => Box::new(AllQuery),
        Leaf::Text {
            scope,
            text,
            quoted,
            slop,
            pos,
            bare,
            id_terms,
        } => {
            let c = TextClause {
                scope: *scope,
                text,
                quoted: *quoted,
                slop: *slop,
                pos: *pos,
                bare: bare.is_some(),
                id_terms,
            };
            return free_text(ctx, c, positive);
        }
        Leaf::Prefix { scope, words, .. } => prefix(ctx, *scope, words, positive),
        Leaf::Entity(m) => entity_query(ctx, m),
        Leaf::Type(t) => term(ctx.fields.entity_type, t, IndexRecordOption::Basic),
        Leaf::Relation(rel) => relation_clause(ctx, rel, positive)?,
        Leaf::Pmid(id) => {
            if positive && doc_count(ctx.searcher, ctx.fields.id, id)? == 0 {
                ctx.warn(format!("no document has ID '{id}'"));
            }
            term(ctx.fields.id, id, IndexRecordOption::Basic)
        }
        Leaf::Keyword(name, value) => {
            let field = match *name {
                "section" => ctx.fields.section,
                _ => ctx.fields.resource,
            };
            term(field, value, IndexRecordOption::Basic)
        }
        Leaf::Year { text, pos, .. } => metadata_field(ctx, "year", text, *pos, positive)?,
        Leaf::Metadata { name, text, pos } => metadata_field(ctx, name, text, *pos, positive)?,
        Leaf::MeshHeading { value, uis } => mesh_heading(ctx, value, uis),
    }))
}

/// A metadata clause (`year:`, `journal:`, `mh:`, ...).
fn metadata_field(
    ctx: &mut Ctx<'_>,
    name: &str,
    text: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    match metadata_clause(ctx.fields, name, text) {
        Some(Ok(q)) => {
            if positive {
                note_empty_metadata(ctx, name, text, &*q)?;
            }
            Ok(q)
        }
        Some(Err(message)) => Err(err(ctx, pos, message)),
        None => Ok(Box::new(tantivy::query::EmptyQuery)),
    }
}
