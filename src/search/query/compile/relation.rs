//! Relation clauses: `rel:TYPE|E1|E2` over the pre-computed relation terms (order-free);
//! each argument may be `*`, a type, an ID or a name.

use super::builders::{any_of, term};
use super::ctx::{err, resolve_type, Ctx};
use super::entity::{explain_unknown, resolve, split_at};
use super::types::{EntityTarget, ANY_RELATION};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::pubtator::ids::{normalize_id, relation_key, relation_verb_types};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;

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
    let mut ctx = Ctx::new(rel_type, searcher, fields);
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
