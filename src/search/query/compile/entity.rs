//! Entity clauses: `gene:5133`, `id:X`, `type:Gene`, `@GENE_PDCD1`; IDs are looked up as
//! typed entity terms, anything else is resolved as a name through the mention dictionary.

use super::builders::{any_of, boost, term};
use super::ctx::{err, resolve_type, Ctx};
use super::types::{EntityTarget, Resolution, ENTITY_TITLE_BOOST};
use crate::error::Result;
use crate::index::schema::{entity_term, Fields};
use crate::pubtator::ids::{canonical_id, CANONICAL_TYPES};
use crate::search::dictionary::resolve_name;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;

pub(super) fn type_clause(
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
pub(super) fn id_query(fields: &Fields, term_text: &str) -> Box<dyn Query> {
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
pub(super) fn resolve(
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

pub(super) fn entity_clause(
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
pub(super) fn split_at(ctx: &Ctx<'_>, text: &str, pos: usize) -> Result<(String, String)> {
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

pub(super) fn at_clause(
    ctx: &mut Ctx<'_>,
    text: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
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
