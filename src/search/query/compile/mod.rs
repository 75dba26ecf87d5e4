//! AST → tantivy query.
//!
//! * free text → each word on `title` (boost 2), `abstract` (1) and `mention` (0.5);
//!   phrases → phrase queries on the same fields;
//! * `gene:5133`, `id:X`, `TYPE:ID` → the entity term, scored by how often the document
//!   mentions it, plus a boost when a mention is in the title; an unknown ID is looked up as a
//!   name (`gene:PD1`) in the mention dictionary;
//! * `rel:TYPE|E1|E2` → the pre-computed relation terms (order-free);
//! * two or more positive entity clauses add optional relation terms between them, so
//!   documents where a relation holds between the queried entities rank first.

mod builders;
mod ctx;
mod entity;
mod hints;
mod relation;
mod sentence;
mod text;
mod types;
mod vocab;

use vocab::mesh_heading;
pub(crate) use vocab::mesh_heading_ids;

pub use relation::relation_type_keys;
pub use types::{CompiledQuery, EntityTarget, RelationTarget, Resolution, MAX_QUERY_BYTES};

// What the Quickwit translation (`crate::search::translate`) shares with compiling, so both
// read a query the same way.
pub(crate) use ctx::{type_alias, NAMESPACES};
pub(crate) use entity::{keep_best, looks_like_id};
pub(crate) use text::{bare_id, MAX_PREFIX_TERMS, MIN_PREFIX_CHARS};

use super::metadata::{metadata_clause, METADATA_FIELDS};
use super::parse::{parse, Clause, Node};
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::index::terms::doc_count;
use crate::pubtator::ids::CANONICAL_TYPES;
use crate::vocab::expand::Mode;
use builders::{boost, term};
use ctx::{err, Ctx, FIELDS};
use entity::{at_clause, entity_clause, type_clause};
use relation::relation_clause;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::Searcher;
use text::{free_text, TextScope};
use types::ANY_RELATION;
pub use types::{TIER_RELATION, TIER_SENTENCE};

/// Checks the size and emptiness of `query` and parses it.
pub(crate) fn parse_checked(query: &str) -> Result<Node> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(Error::Query {
            position: 0,
            message: format!("query longer than {MAX_QUERY_BYTES} bytes"),
            caret: String::new(),
        });
    }
    if query.trim().is_empty() {
        return Err(Error::query(
            query,
            0,
            "empty query (use * to match every document)",
        ));
    }
    parse(query).map_err(|e| Error::query(query, e.position, e.message))
}

/// The error for a field the language does not know, naming the closest known one.
pub(crate) fn unknown_field(query: &str, field: &super::ast::Field) -> Error {
    let mut known: Vec<String> = FIELDS.iter().map(|s| s.to_string()).collect();
    known.extend(METADATA_FIELDS.iter().map(|s| s.to_string()));
    known.extend(CANONICAL_TYPES.iter().map(|t| t.to_lowercase()));
    let hint = hints::closest(
        &field.name.to_ascii_lowercase(),
        known.iter().map(String::as_str),
    )
    .map(|k| format!("did you mean '{k}'? "))
    .unwrap_or_default();
    Error::query(
        query,
        field.pos,
        format!(
            "unknown field '{}' ({hint}known: {})",
            field.name,
            known.join(", ")
        ),
    )
}

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
    let mut ctx = Ctx::new(query, searcher, fields, vocab);
    if !vocab.is_empty() {
        ctx.taxa = species_taxa(&ast);
    }
    let Some(main) = node(&mut ctx, &ast, true)? else {
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
    if let Some(tier) = sentence::sentence_tier(query, searcher, fields, vocab, &ast)? {
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

/// The taxa of the positive `species:N` clauses of a query (gene names resolve among them).
pub(crate) fn species_taxa(n: &Node) -> Vec<u64> {
    let mut out = Vec::new();
    let mut walk = vec![n];
    while let Some(n) = walk.pop() {
        match n {
            Node::And(v) | Node::Or(v) => walk.extend(v.iter()),
            Node::Boost(c, _) | Node::Sentence(c, _) => walk.push(c),
            Node::Not(_) => {}
            Node::Clause(Clause::Term {
                field: Some(f),
                text,
                ..
            }) if type_alias(&f.name) == Some("Species") => {
                let t = text.trim();
                let digits = t.rsplit(':').next().unwrap_or(t);
                if let Ok(taxon) = digits.parse::<u64>() {
                    out.push(taxon);
                }
            }
            Node::Clause(_) => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Where the first clause of `n` starts.
fn first_clause_pos(n: &Node) -> usize {
    match n {
        Node::And(v) | Node::Or(v) => v.first().map_or(0, first_clause_pos),
        Node::Not(c) | Node::Boost(c, _) => first_clause_pos(c),
        Node::Sentence(_, pos) => *pos,
        Node::Clause(Clause::All { pos } | Clause::At { pos, .. }) => *pos,
        Node::Clause(Clause::Term { field, pos, .. }) => field.as_ref().map_or(*pos, |f| f.pos),
    }
}

/// Compiles a node; `positive` is false under a NOT (nothing there is highlighted or used
/// for relation ranking). `None` when the node was dropped (it has nothing to search for, a
/// warning says so).
fn node(ctx: &mut Ctx<'_>, n: &Node, positive: bool) -> Result<Option<Box<dyn Query>>> {
    Ok(match n {
        Node::Clause(c) => clause(ctx, c, positive)?,
        Node::Boost(inner, b) => node(ctx, inner, positive)?.map(|q| boost(q, *b)),
        Node::Sentence(inner, _) => sentence::sentence_group(ctx, inner, positive)?,
        Node::Not(inner) => node(ctx, inner, false)?.map(|q| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, q),
            ]))
        }),
        Node::And(children) => {
            hints::split_names(ctx, children)?;
            let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for c in children {
                let compiled = match c {
                    Node::Not(inner) => node(ctx, inner, false)?.map(|q| (Occur::MustNot, q)),
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
        Node::Or(children) => {
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

fn clause(ctx: &mut Ctx<'_>, c: &Clause, positive: bool) -> Result<Option<Box<dyn Query>>> {
    match c {
        Clause::All { .. } => Ok(Some(Box::new(AllQuery))),
        Clause::At { text, pos } => at_clause(ctx, text, *pos, positive).map(Some),
        Clause::Term {
            field: None,
            text,
            quoted,
            pos,
        } => free_text(ctx, TextScope::All, text, *quoted, *pos, positive),
        Clause::Term {
            field: Some(field),
            text,
            quoted,
            pos,
        } => {
            let name = field.name.to_ascii_lowercase();
            if let Some(scope) = TextScope::of_field(&name) {
                return free_text(ctx, scope, text, *quoted, *pos, positive);
            }
            fielded(ctx, field, &name, text, *pos, positive).map(Some)
        }
    }
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

/// A clause with a field that is not a text field.
fn fielded(
    ctx: &mut Ctx<'_>,
    field: &super::ast::Field,
    name: &str,
    text: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let mode = Mode {
        literal: field.literal,
        ..Mode::default()
    };
    match name {
        "id" => entity_clause(ctx, None, text, pos, positive, mode),
        "mh" if !field.literal => match mesh_heading(ctx, text)? {
            Some(q) => Ok(q),
            None => metadata_field(ctx, name, text, pos, positive),
        },
        "ortho" => {
            let ortho = Mode {
                orthologs: !field.literal,
                ..mode
            };
            if ortho.orthologs && ctx.vocab.orthologs()?.is_none() {
                ctx.warn(format!(
                    "ortho:{} searches the gene alone: the index has no ortholog table \
                     (ptsearch vocab add gene_orthologs.gz)",
                    text.trim()
                ));
            }
            entity_clause(ctx, Some("Gene".to_string()), text, pos, positive, ortho)
        }
        "pmid" => {
            let id = text.trim();
            if positive && doc_count(ctx.searcher, ctx.fields.id, id)? == 0 {
                ctx.warn(format!("no document has ID '{id}'"));
            }
            Ok(term(ctx.fields.id, id, IndexRecordOption::Basic))
        }
        "section" => Ok(term(
            ctx.fields.section,
            &text.trim().to_lowercase(),
            IndexRecordOption::Basic,
        )),
        "resource" => Ok(term(
            ctx.fields.resource,
            &text.trim().to_lowercase(),
            IndexRecordOption::Basic,
        )),
        "type" => type_clause(ctx, text, pos, positive),
        "rel" | "relations" => relation_clause(ctx, text, pos, positive),
        _ if METADATA_FIELDS.contains(&name) => metadata_field(ctx, name, text, pos, positive),
        _ => {
            if let Some(t) = type_alias(name) {
                return entity_clause(ctx, Some(t.to_string()), text, pos, positive, mode);
            }
            if let Some(t) = ctx.other_type(name)? {
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
