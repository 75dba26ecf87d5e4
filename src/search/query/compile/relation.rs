//! Relation clauses: `rel:TYPE|E1|E2` over the pre-computed relation terms (order-free);
//! each argument may be `*`, a type, an ID or a name.

use super::builders::{any_of, term};
use super::ctx::{err, resolve_type, Ctx};
use super::entity::{explain_unknown, resolve, split_at};
use super::types::{EntityTarget, Resolution, ANY_RELATION};
use crate::error::Result;
use crate::index::relterms::relation_term;
use crate::index::schema::entity_term;
use crate::pubtator::ids::{normalize_id, relation_key, relation_verb_types};
use crate::vocab::expand::{expand_ids, Mode, Request};
use tantivy::query::TermSetQuery;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// The relation-term forms one argument of `rel:` stands for.
/// A relation-term form of one argument, and the typed entity term it also requires.
pub(super) type ArgForm = (String, Option<String>);

pub(super) fn relation_arg(
    ctx: &mut Ctx<'_>,
    arg: &str,
    pos: usize,
    positive: bool,
) -> Result<Vec<ArgForm>> {
    let arg = arg.trim();
    if arg.is_empty() || arg == "*" {
        return Ok(vec![("*".to_string(), None)]);
    }
    let mut ids: Vec<(Option<String>, String)> = Vec::new();
    if let Some(t) = resolve_type_unless_at(ctx, arg)? {
        if positive {
            ctx.entities.insert(EntityTarget::Type(t.clone()));
        }
        return Ok(vec![(format!("t:{}", t.to_lowercase()), None)]);
    }
    let (t, value) = match arg.strip_prefix('@') {
        // `@GENE_673`, `@DISEASE_Breast_Neoplasms`
        Some(at) => {
            let (t, rest) = split_at(ctx, at, pos)?;
            (Some(t), rest)
        }
        None => match arg.split_once(':') {
            Some((prefix, rest)) => match resolve_type(ctx, prefix)? {
                Some(t) => (Some(t), rest.to_string()),
                None => (None, arg.to_string()),
            },
            None => (None, arg.to_string()),
        },
    };
    // `disease:=D009369` in an argument: that ID only.
    let (value, literal) = match value.strip_prefix('=') {
        Some(v) if !v.is_empty() => (v.to_string(), true),
        _ => (value, false),
    };
    let id = normalize_id(&value);
    if !ctx.id_terms(t.as_deref(), &id.to_lowercase())?.is_empty() {
        ids.push((t, id));
    } else {
        let name = if arg.starts_with('@') {
            value.replace('_', " ")
        } else {
            value.clone()
        };
        let found = resolve(ctx, t.as_deref(), &name)?;
        if found.is_empty() {
            explain_unknown(ctx, t.as_deref(), &name, &id)?;
            ids.push((t, id));
        }
        for e in found {
            ids.push((Some(e.entity_type), e.id));
        }
    }
    let ids = expand_arg(ctx, ids, &value, literal)?;
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

/// The argument's IDs with what the vocabularies expand them to (narrower MeSH descriptors
/// and their records), with a resolution saying so.
fn expand_arg(
    ctx: &mut Ctx<'_>,
    ids: Vec<(Option<String>, String)>,
    input: &str,
    literal: bool,
) -> Result<Vec<(Option<String>, String)>> {
    let mut out = Vec::new();
    for (t, id) in ids {
        let mode = Mode {
            literal,
            ..Mode::default()
        };
        let request = Request {
            entity_type: t.as_deref(),
            mode,
            taxa: &ctx.taxa,
        };
        let seed = [id.clone()];
        let Some(x) = expand_ids(ctx.vocab, &request, &seed)? else {
            out.push((t, id));
            continue;
        };
        ctx.resolutions.push(Resolution {
            input: input.to_string(),
            entity_type: t.clone(),
            resolved: Vec::new(),
            expansion: Some(x.note),
        });
        out.extend(x.ids.into_iter().map(|i| (t.clone(), i)));
    }
    Ok(out)
}

/// Above this many argument pairs, a relation clause is one term-set query over every
/// relation term the pairs make, instead of a boolean query per pair.
const PAIRS_PER_CLAUSE: usize = 16;
/// The most relation terms one clause may expand to (both arguments exploded widely).
const MAX_RELATION_TERMS: usize = 1_000_000;

/// The term-set form of a relation clause over many argument pairs: any relation term of a
/// pair, in a document with one of the typed IDs each side requires.
fn relation_set(
    ctx: &mut Ctx<'_>,
    keys: &[String],
    fa: &[ArgForm],
    fb: &[ArgForm],
    pos: usize,
) -> Result<Box<dyn Query>> {
    let keys: Vec<String> = if keys.iter().any(|k| k == ANY_RELATION) {
        ctx.relation_keys()?.to_vec()
    } else {
        keys.to_vec()
    };
    let n = keys.len() * fa.len() * fb.len();
    if n > MAX_RELATION_TERMS {
        return Err(err(
            ctx,
            pos,
            format!(
                "this relation clause expands to {n} relation terms (at most \
                 {MAX_RELATION_TERMS}): write one argument literally (disease:=ID) or narrower"
            ),
        ));
    }
    let field = ctx.fields.relation;
    let mut terms = Vec::with_capacity(n);
    for k in &keys {
        for (x, _) in fa {
            for (y, _) in fb {
                terms.push(Term::from_field_text(field, &relation_term(k, x, y)));
            }
        }
    }
    let mut must: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(TermSetQuery::new(terms)))];
    for side in [fa, fb] {
        let typed: Vec<Term> = side
            .iter()
            .filter_map(|(_, t)| t.as_ref())
            .map(|t| Term::from_field_text(ctx.fields.entity, t))
            .collect();
        if !typed.is_empty() {
            must.push((Occur::Must, Box::new(TermSetQuery::new(typed))));
        }
    }
    Ok(Box::new(BooleanQuery::new(must)))
}

/// The type an argument names (`Disease`), unless it is an `@` form.
fn resolve_type_unless_at(ctx: &Ctx<'_>, arg: &str) -> Result<Option<String>> {
    if arg.starts_with('@') {
        return Ok(None);
    }
    resolve_type(ctx, arg)
}

pub(super) fn relation_clause(
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
    let keys = relation_keys_for(ctx, rel_type)?;
    let a = parts.next().unwrap_or("*");
    let b = parts.next().unwrap_or("*");
    let fa = relation_arg(ctx, a, pos, positive)?;
    let fb = relation_arg(ctx, b, pos, positive)?;
    if positive {
        let forms = |f: &[ArgForm]| f.iter().map(|(x, _)| x.clone()).collect::<Vec<_>>();
        ctx.relations.push(super::types::RelationTarget {
            keys: keys.clone(),
            sides: [forms(&fa), forms(&fb)],
        });
    }
    if fa.len() * fb.len() > PAIRS_PER_CLAUSE {
        return relation_set(ctx, &keys, &fa, &fb, pos);
    }
    let mut qs = Vec::new();
    for (x, tx) in &fa {
        for (y, ty) in &fb {
            let rels = keys
                .iter()
                .map(|k| ctx.relation_query(k, x, y))
                .collect::<Result<Vec<_>>>()?;
            let rel = any_of(rels);
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

/// The relation keys (`negative_correlation`, ...) the relation type `rel_type` stands for in
/// the index seen by `searcher`, read as `rel:` reads it (a PubTator3 verb such as `treat`
/// maps to the BioRED/CDR types of the same meaning the index has), with the notes `rel:`
/// would give; `any` stands for every type. Relation partners filter by these keys.
pub fn relation_type_keys(
    rel_type: &str,
    searcher: &tantivy::Searcher,
    fields: &crate::index::schema::Fields,
) -> Result<(Vec<String>, Vec<String>)> {
    let none = crate::vocab::Vocab::none();
    let mut ctx = Ctx::new(rel_type, searcher, fields, &none);
    let keys = relation_keys_for(&mut ctx, rel_type)?;
    Ok((keys, ctx.warnings))
}

/// The relation keys a `rel:` type stands for in this index: its own key when the index has
/// it; else, for a PubTator3 verb (`treat`), the BioRED/CDR types of the same meaning the
/// index has (with a note); else nothing, with a note listing the index's types.
fn relation_keys_for(ctx: &mut Ctx<'_>, rel_type: &str) -> Result<Vec<String>> {
    let key = relation_key(rel_type);
    if key == ANY_RELATION {
        return Ok(vec![key]);
    }
    let have = ctx.relation_keys()?.to_vec();
    if have.contains(&key) {
        return Ok(vec![key]);
    }
    let mapped: Vec<String> = relation_verb_types(&key)
        .iter()
        .map(|t| relation_key(t))
        .filter(|k| have.contains(k))
        .collect();
    let names = ctx.relation_type_names()?;
    let display = |k: &str| {
        names
            .iter()
            .find(|n| relation_key(n) == k)
            .cloned()
            .unwrap_or_else(|| k.to_string())
    };
    if mapped.is_empty() {
        let list = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        ctx.warn(format!(
            "the index has no relation of type '{rel_type}'; its relation types: {list}"
        ));
    } else {
        let shown: Vec<String> = mapped.iter().map(|k| display(k)).collect();
        ctx.warn(format!(
            "the index has no relation of type '{rel_type}'; searching {} (the same meaning)",
            shown.join(" or ")
        ));
    }
    Ok(mapped)
}
