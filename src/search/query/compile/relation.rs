//! Relation clauses: `rel:TYPE|E1|E2` over the pre-computed relation terms (order-free);
//! each argument may be `*`, a type, an ID or a name.

use super::builders::{any_of, term};
use super::ctx::{err, resolve_type, Ctx};
use super::entity::{resolve, split_at};
use super::types::EntityTarget;
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::pubtator::ids::{canonical_id, relation_key};
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
