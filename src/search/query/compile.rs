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

use super::metadata::{metadata_clause, METADATA_FIELDS};
use super::parse::{parse, Clause, Node};
use crate::error::{Error, Result};
use crate::index::schema::{entity_term, relation_term, Fields};
use crate::index::terms::{distinct_terms, doc_count, term_exists};
use crate::index::tokenizer::query_tokens;
use crate::pubtator::ids::{canonical_id, canonical_type_name, relation_key, CANONICAL_TYPES};
use crate::search::dictionary::resolve_name;
use serde::Serialize;
use std::collections::BTreeSet;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Boost of title matches relative to abstract matches.
const TITLE_BOOST: f32 = 2.0;
/// Boost of matches in mention text.
const MENTION_BOOST: f32 = 0.5;
/// Weight of an entity mentioned in the title.
const ENTITY_TITLE_BOOST: f32 = 1.5;
/// The relation key that stands for every relation type (`rel:ANY|...`).
const ANY_RELATION: &str = "any";
/// Weight of a relation between two queried entities.
const RELATION_BOOST: f32 = 4.0;
/// Longest accepted query, in bytes.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// What an entity clause targets, for highlighting mentions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum EntityTarget {
    /// A canonical ID (lower case), optionally restricted to one canonical type.
    Id {
        /// Canonical type, when the clause named one.
        entity_type: Option<String>,
        /// Lower-case canonical ID (or ID part).
        id: String,
    },
    /// Every annotation of a type.
    Type(String),
}

/// How a name in the query was resolved to IDs.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// The text as written in the query.
    pub input: String,
    /// The type it was restricted to.
    #[serde(rename = "type")]
    pub entity_type: Option<String>,
    /// The IDs chosen (most documents first), empty when nothing matched.
    pub resolved: Vec<crate::search::dictionary::EntityRef>,
}

/// A compiled query plus what the output needs to explain the hits.
pub struct CompiledQuery {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// Free-text terms (analyzed) to mark in titles and abstracts.
    pub text_terms: BTreeSet<String>,
    /// Entities whose annotated mentions to mark.
    pub entities: BTreeSet<EntityTarget>,
    /// Name resolutions made.
    pub resolutions: Vec<Resolution>,
}

struct Ctx<'a> {
    query: &'a str,
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// Entity type names of the index, read on first need (a kept type named in the query,
    /// an untyped ID): most queries never pay for the term-dictionary scan.
    index_types: std::cell::OnceCell<Vec<String>>,
    /// Relation keys of the index (`association`, ...), read on first `ANY` relation.
    relation_keys: std::cell::OnceCell<Vec<String>>,
    text_terms: BTreeSet<String>,
    entities: BTreeSet<EntityTarget>,
    /// Bare IDs of positive entity clauses, for relation-aware ranking.
    positive_ids: BTreeSet<String>,
    resolutions: Vec<Resolution>,
}

impl Ctx<'_> {
    /// The entity type names of the index (canonical and kept).
    fn index_types(&self) -> Result<&[String]> {
        cached_terms(
            &self.index_types,
            self.searcher,
            self.fields.entity_type,
            str::to_string,
        )
    }

    /// The kept type named `name` (any case), if the index has one.
    fn other_type(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .index_types()?
            .iter()
            .filter(|t| !CANONICAL_TYPES.contains(&t.as_str()))
            .find(|t| t.eq_ignore_ascii_case(name))
            .cloned())
    }

    /// The entity terms in the index for `id` (lower case) under `entity_type`, or under
    /// every type of the index when the query names none (the index has typed terms only).
    fn id_terms(&self, entity_type: Option<&str>, id: &str) -> Result<Vec<String>> {
        let named;
        let types: &[String] = match entity_type {
            Some(t) => {
                named = [t.to_string()];
                &named
            }
            None => self.index_types()?,
        };
        let mut out = Vec::new();
        for t in types {
            // Type names differing only in case give the same (lower-case) term.
            let typed = entity_term(Some(t), id);
            if !out.contains(&typed) && doc_count(self.searcher, self.fields.entity, &typed)? > 0 {
                out.push(typed);
            }
        }
        Ok(out)
    }

    /// The relation query for `key` between two argument forms. The index has terms for each
    /// relation key only; `any` is answered by the best match over every key of the index.
    fn relation_query(&self, key: &str, a: &str, b: &str) -> Result<Box<dyn Query>> {
        let field = self.fields.relation;
        if key != ANY_RELATION {
            return Ok(term(
                field,
                &relation_term(key, a, b),
                IndexRecordOption::Basic,
            ));
        }
        let keys = cached_terms(
            &self.relation_keys,
            self.searcher,
            self.fields.relation_type,
            relation_key,
        )?;
        // Most keys have no term for a given pair: look them up first (a dictionary lookup
        // per segment, no postings) so scoring weights are built only for terms that exist.
        let mut qs: Vec<Box<dyn Query>> = Vec::new();
        for k in keys {
            let t = relation_term(k, a, b);
            if term_exists(self.searcher, field, &t)? {
                qs.push(term(field, &t, IndexRecordOption::Basic));
            }
        }
        Ok(match qs.len() {
            0 => Box::new(EmptyQuery),
            1 => qs.remove(0),
            _ => Box::new(DisjunctionMaxQuery::new(qs)),
        })
    }
}

/// The distinct terms of a keyword field, mapped by `map` and deduplicated, read from the
/// term dictionaries (no postings) on first use and kept in `cell` for the rest of the query.
fn cached_terms<'c>(
    cell: &'c std::cell::OnceCell<Vec<String>>,
    searcher: &Searcher,
    field: Field,
    map: impl Fn(&str) -> String,
) -> Result<&'c [String]> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let found: BTreeSet<String> = distinct_terms(searcher, field, 10_000)?
        .into_iter()
        .filter_map(|k| String::from_utf8(k).ok())
        .map(|t| map(&t))
        .collect();
    Ok(cell.get_or_init(|| found.into_iter().collect()))
}

fn err(ctx: &Ctx<'_>, position: usize, message: impl Into<String>) -> Error {
    Error::query(ctx.query, position, message)
}

/// Field names understood by the language (besides canonical types and kept types).
const FIELDS: &[&str] = &[
    "title", "abstract", "mention", "text", "id", "type", "rel", "pmid", "section", "resource",
];
/// ID namespaces that may be typed without a field (`MESH:D009369` ≡ `id:MESH:D009369`).
const NAMESPACES: &[&str] = &[
    "mesh",
    "cvcl",
    "omim",
    "chebi",
    "hgvs",
    "tmvar",
    "rs#",
    "correspondinggene",
    "ncbigene",
    "ncbitaxon",
    "go",
    "hp",
    "do",
    "umls",
];

fn type_alias(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "mutation" | "snp" => Some("Variant"),
        "cell_line" | "cellline" => Some("CellLine"),
        "organism" | "taxon" => Some("Species"),
        "drug" => Some("Chemical"),
        _ => canonical_type_name(name),
    }
}

/// Parses and compiles `query` against the index seen by `searcher`.
pub fn compile(query: &str, searcher: &Searcher, fields: &Fields) -> Result<CompiledQuery> {
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
    let ast = parse(query).map_err(|e| Error::query(query, e.position, e.message))?;
    let mut ctx = Ctx {
        query,
        searcher,
        fields,
        index_types: std::cell::OnceCell::new(),
        relation_keys: std::cell::OnceCell::new(),
        text_terms: BTreeSet::new(),
        entities: BTreeSet::new(),
        positive_ids: BTreeSet::new(),
        resolutions: Vec::new(),
    };
    let main = node(&mut ctx, &ast, true)?;
    let ids: Vec<String> = ctx.positive_ids.iter().cloned().collect();
    let mut boosts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in ids.iter().skip(i + 1) {
            let rel = ctx.relation_query(ANY_RELATION, &format!("i:{a}"), &format!("i:{b}"))?;
            boosts.push((Occur::Should, boost(rel, RELATION_BOOST)));
        }
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
    })
}

fn term(field: Field, text: &str, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), option))
}

fn boost(q: Box<dyn Query>, b: f32) -> Box<dyn Query> {
    if (b - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, b))
    }
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs.remove(0),
        _ => Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        )),
    }
}

/// Compiles a node; `positive` is false under a NOT (nothing there is highlighted or used
/// for relation ranking).
fn node(ctx: &mut Ctx<'_>, n: &Node, positive: bool) -> Result<Box<dyn Query>> {
    Ok(match n {
        Node::Clause(c) => clause(ctx, c, positive)?,
        Node::Boost(inner, b) => boost(node(ctx, inner, positive)?, *b),
        Node::Not(inner) => {
            let q = node(ctx, inner, false)?;
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, q),
            ]))
        }
        Node::And(children) => {
            let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for c in children {
                match c {
                    Node::Not(inner) => subs.push((Occur::MustNot, node(ctx, inner, false)?)),
                    other => subs.push((Occur::Must, node(ctx, other, positive)?)),
                }
            }
            if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                subs.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(subs))
        }
        Node::Or(children) => {
            let mut subs = Vec::new();
            for c in children {
                subs.push(node(ctx, c, positive)?);
            }
            any_of(subs)
        }
    })
}

fn text_fields(f: &Fields, which: &str) -> Vec<(Field, f32)> {
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

fn free_text(ctx: &mut Ctx<'_>, which: &str, text: &str, positive: bool) -> Box<dyn Query> {
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

fn clause(ctx: &mut Ctx<'_>, c: &Clause, positive: bool) -> Result<Box<dyn Query>> {
    match c {
        Clause::All { .. } => Ok(Box::new(AllQuery)),
        Clause::At { text, pos } => at_clause(ctx, text, *pos, positive),
        Clause::Term {
            field: None, text, ..
        } => Ok(free_text(ctx, "", text, positive)),
        Clause::Term {
            field: Some(field),
            text,
            pos,
            ..
        } => {
            let name = field.name.to_ascii_lowercase();
            match name.as_str() {
                "title" | "abstract" | "mention" | "text" => {
                    Ok(free_text(ctx, &name, text, positive))
                }
                "id" => entity_clause(ctx, None, text, *pos, positive),
                "pmid" => Ok(term(ctx.fields.id, text.trim(), IndexRecordOption::Basic)),
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
                "type" => type_clause(ctx, text, *pos, positive),
                "rel" => relation_clause(ctx, text, *pos, positive),
                _ if METADATA_FIELDS.contains(&name.as_str()) => {
                    match metadata_clause(ctx.fields, &name, text) {
                        Some(Ok(q)) => Ok(q),
                        Some(Err(message)) => Err(err(ctx, *pos, message)),
                        None => Ok(Box::new(EmptyQuery)),
                    }
                }
                _ => {
                    if let Some(t) = type_alias(&name) {
                        return entity_clause(ctx, Some(t.to_string()), text, *pos, positive);
                    }
                    if let Some(t) = ctx.other_type(&name)? {
                        return entity_clause(ctx, Some(t), text, *pos, positive);
                    }
                    if NAMESPACES.contains(&name.as_str()) {
                        let full = format!("{}:{}", field.name, text);
                        return entity_clause(ctx, None, &full, field.pos, positive);
                    }
                    let mut known: Vec<String> = FIELDS.iter().map(|s| s.to_string()).collect();
                    known.extend(METADATA_FIELDS.iter().map(|s| s.to_string()));
                    known.extend(CANONICAL_TYPES.iter().map(|t| t.to_lowercase()));
                    Err(err(
                        ctx,
                        field.pos,
                        format!(
                            "unknown field '{}' (known: {})",
                            field.name,
                            known.join(", ")
                        ),
                    ))
                }
            }
        }
    }
}

fn resolve_type(ctx: &Ctx<'_>, name: &str) -> Result<Option<String>> {
    match type_alias(name) {
        Some(t) => Ok(Some(t.to_string())),
        None => ctx.other_type(name),
    }
}

fn type_clause(
    ctx: &mut Ctx<'_>,
    value: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let Some(t) = resolve_type(ctx, value.trim())? else {
        return Err(err(
            ctx,
            pos,
            format!(
                "unknown entity type '{value}' (known: {})",
                CANONICAL_TYPES.join(", ")
            ),
        ));
    };
    if positive {
        ctx.entities.insert(EntityTarget::Type(t.clone()));
    }
    Ok(term(ctx.fields.entity_type, &t, IndexRecordOption::Basic))
}

/// The query for one typed entity term (`gene:5133`, lower case).
fn id_query(fields: &Fields, term_text: &str) -> Box<dyn Query> {
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

/// Resolves a name to entity IDs: the IDs with the most documents (and any with at least
/// half as many).
fn resolve(
    ctx: &mut Ctx<'_>,
    entity_type: Option<&str>,
    name: &str,
) -> Result<Vec<crate::search::dictionary::EntityRef>> {
    let mut found = resolve_name(ctx.searcher, ctx.fields, entity_type, name)?;
    if let Some(top) = found.first().map(|e| e.documents) {
        found.retain(|e| e.documents * 2 >= top);
        found.truncate(5);
    }
    ctx.resolutions.push(Resolution {
        input: name.to_string(),
        entity_type: entity_type.map(str::to_string),
        resolved: found.clone(),
    });
    Ok(found)
}

fn entity_clause(
    ctx: &mut Ctx<'_>,
    entity_type: Option<String>,
    value: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let value = value.trim();
    if let Some(at) = value.strip_prefix('@') {
        return at_clause(ctx, at, pos, positive);
    }
    let id = canonical_id(value);
    let lid = id.to_lowercase();
    let known = ctx.id_terms(entity_type.as_deref(), &lid)?;
    if !known.is_empty() {
        if positive {
            ctx.entities.insert(EntityTarget::Id {
                entity_type: entity_type.clone(),
                id: lid.clone(),
            });
            ctx.positive_ids.insert(lid);
        }
        return Ok(any_of(
            known.iter().map(|t| id_query(ctx.fields, t)).collect(),
        ));
    }
    let found = resolve(ctx, entity_type.as_deref(), value)?;
    if found.is_empty() {
        // Neither a known ID nor a known name: nothing matches.
        return Ok(Box::new(EmptyQuery));
    }
    let mut qs = Vec::new();
    for e in found {
        let t = entity_term(Some(&e.entity_type), &e.id);
        if positive {
            ctx.entities.insert(EntityTarget::Id {
                entity_type: Some(e.entity_type.clone()),
                id: e.id.to_lowercase(),
            });
            ctx.positive_ids.insert(e.id.to_lowercase());
        }
        qs.push(id_query(ctx.fields, &t));
    }
    Ok(any_of(qs))
}

/// `@GENE_PDCD1` → (Gene, "PDCD1").
fn split_at(ctx: &Ctx<'_>, text: &str, pos: usize) -> Result<(String, String)> {
    let (t, name) = text
        .split_once('_')
        .ok_or_else(|| err(ctx, pos, "expected @TYPE_Name, e.g. @GENE_PDCD1"))?;
    let Some(t) = resolve_type(ctx, t)? else {
        return Err(err(
            ctx,
            pos,
            format!("unknown entity type '{t}' in @{text}"),
        ));
    };
    Ok((t, name.replace('_', " ")))
}

fn at_clause(ctx: &mut Ctx<'_>, text: &str, pos: usize, positive: bool) -> Result<Box<dyn Query>> {
    let (t, name) = split_at(ctx, text, pos)?;
    let found = resolve(ctx, Some(&t), &name)?;
    let mut qs = Vec::new();
    for e in found {
        if positive {
            ctx.entities.insert(EntityTarget::Id {
                entity_type: Some(e.entity_type.clone()),
                id: e.id.to_lowercase(),
            });
            ctx.positive_ids.insert(e.id.to_lowercase());
        }
        qs.push(id_query(
            ctx.fields,
            &entity_term(Some(&e.entity_type), &e.id),
        ));
    }
    Ok(any_of(qs))
}

/// The relation-term forms one argument of `rel:` stands for.
/// A relation-term form of one argument, and the typed entity term it also requires.
type ArgForm = (String, Option<String>);

fn relation_arg(ctx: &mut Ctx<'_>, arg: &str, pos: usize, positive: bool) -> Result<Vec<ArgForm>> {
    let arg = arg.trim();
    if arg.is_empty() || arg == "*" {
        return Ok(vec![("*".to_string(), None)]);
    }
    let mut ids: Vec<(Option<String>, String)> = Vec::new();
    if let Some(at) = arg.strip_prefix('@') {
        let (t, name) = split_at(ctx, at, pos)?;
        for e in resolve(ctx, Some(&t), &name)? {
            ids.push((Some(e.entity_type), e.id));
        }
    } else if let Some(t) = resolve_type(ctx, arg)? {
        if positive {
            ctx.entities.insert(EntityTarget::Type(t.clone()));
        }
        return Ok(vec![(format!("t:{}", t.to_lowercase()), None)]);
    } else {
        let (t, value) = match arg.split_once(':') {
            Some((prefix, rest)) => match resolve_type(ctx, prefix)? {
                Some(t) => (Some(t), rest),
                None => (None, arg),
            },
            None => (None, arg),
        };
        let id = canonical_id(value);
        if !ctx.id_terms(t.as_deref(), &id.to_lowercase())?.is_empty() {
            ids.push((t, id));
        } else {
            let found = resolve(ctx, t.as_deref(), value)?;
            if found.is_empty() {
                ids.push((t, id));
            }
            for e in found {
                ids.push((Some(e.entity_type), e.id));
            }
        }
    }
    let mut forms = Vec::new();
    for (t, id) in ids {
        let lid = id.to_lowercase();
        if positive {
            ctx.entities.insert(EntityTarget::Id {
                entity_type: t.clone(),
                id: lid.clone(),
            });
        }
        // The index holds relation terms over bare IDs; a typed argument also requires the
        // document to carry that ID under that type.
        let typed = t.map(|t| entity_term(Some(&t), &lid));
        forms.push((format!("i:{lid}"), typed));
    }
    Ok(forms)
}

fn relation_clause(
    ctx: &mut Ctx<'_>,
    value: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let mut parts = value.splitn(3, '|');
    let rel_type = parts.next().unwrap_or("").trim();
    if rel_type.is_empty() {
        return Err(err(
            ctx,
            pos,
            "expected rel:TYPE|E1|E2 (TYPE may be ANY, E1/E2 may be * )",
        ));
    }
    let key = relation_key(rel_type);
    let a = parts.next().unwrap_or("*");
    let b = parts.next().unwrap_or("*");
    let fa = relation_arg(ctx, a, pos, positive)?;
    let fb = relation_arg(ctx, b, pos, positive)?;
    let mut qs = Vec::new();
    for (x, tx) in &fa {
        for (y, ty) in &fb {
            let rel = ctx.relation_query(&key, x, y)?;
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
