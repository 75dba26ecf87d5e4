//! Entity clauses: `gene:5133`, `id:X`, `type:Gene`, `@GENE_PDCD1`; IDs are looked up as
//! typed entity terms, anything else is resolved as a name through the mention dictionary.

use super::builders::{any_of, boost, term};
use super::ctx::{err, resolve_type, Ctx};
use super::types::{EntityTarget, Resolution, ENTITY_TITLE_BOOST};
use super::vocab::{expanded, vocab_name};
use crate::error::Result;
use crate::index::schema::{entity_term, Fields};
use crate::pubtator::ids::{canonical_id, normalize_id, CANONICAL_TYPES};
use crate::pubtator::variant::{pubtator3_variant, variant_key};
use crate::search::dictionary::{edit_distance, resolve_name, similar_names};
use crate::vocab::expand::Mode;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;

pub(super) fn type_clause(
    ctx: &mut Ctx<'_>,
    value: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let Some(t) = resolve_type(ctx, value.trim())? else {
        // The canonical types, then the kept types this index has.
        let mut known: Vec<String> = CANONICAL_TYPES.iter().map(|t| t.to_string()).collect();
        known.extend(
            ctx.index_types()?
                .iter()
                .filter(|t| !CANONICAL_TYPES.contains(&t.as_str()))
                .cloned(),
        );
        return Err(err(
            ctx,
            pos,
            format!(
                "unknown entity type '{value}' (known: {})",
                known.join(", ")
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
    keep_best(&mut found);
    // The name's count is of documents that use this name; the ID's is of every name.
    for e in &mut found {
        let term = entity_term(Some(&e.entity_type), &e.id);
        e.id_documents = Some(crate::index::terms::doc_count(
            ctx.searcher,
            ctx.fields.entity,
            &term,
        )?);
    }
    ctx.resolutions.push(Resolution {
        input: name.to_string(),
        entity_type: entity_type.map(str::to_string),
        resolved: found.clone(),
        expansion: None,
    });
    Ok(found)
}

/// Keeps the IDs a name resolves to: those with the most documents (and any with at least
/// half as many), at most 5. `found` is sorted by documents, most first.
pub(crate) fn keep_best(found: &mut Vec<crate::search::dictionary::EntityRef>) {
    if let Some(top) = found.first().map(|e| e.documents) {
        found.retain(|e| e.documents * 2 >= top);
        found.truncate(5);
    }
}

pub(super) fn entity_clause(
    ctx: &mut Ctx<'_>,
    entity_type: Option<String>,
    value: &str,
    pos: usize,
    positive: bool,
    mode: Mode,
) -> Result<Box<dyn Query>> {
    let value = value.trim();
    if let Some(at) = value.strip_prefix('@') {
        return at_clause(ctx, at, pos, positive);
    }
    if mode.mesh_names {
        // `mh:Neoplasms`: a MeSH name or entry term first.
        if let Some(q) = vocab_name(ctx, entity_type.as_deref(), value, mode, positive)? {
            return Ok(q);
        }
    }
    // A variant in any spelling (`RS#:N`, `p.Val600Glu`, `tmVar:p|SUB|V|600|E`) is read as
    // the form ingest indexes.
    let variant = entity_type
        .as_deref()
        .filter(|t| *t == "Variant")
        .and_then(|_| variant_key(value));
    let id = variant.unwrap_or_else(|| normalize_id(value));
    let mut lid = id.to_lowercase();
    let mut known = ctx.id_terms(entity_type.as_deref(), &lid)?;
    if known.is_empty() {
        // A typed part as written, e.g. `variant:Gene:3043` (a tmVar ID part), is kept
        // verbatim at ingest: look it up before treating the value as a name.
        let verbatim = canonical_id(value).to_lowercase();
        if verbatim != lid {
            let found = ctx.id_terms(entity_type.as_deref(), &verbatim)?;
            if !found.is_empty() {
                (lid, known) = (verbatim, found);
            }
        }
    }
    if !known.is_empty() || looks_like_id(value, &id) {
        // An ID a vocabulary expands (even one no document has: narrower ones may).
        let seed = [id.clone()];
        if let Some(q) = expanded(ctx, entity_type.as_deref(), value, &seed, mode, positive)? {
            return Ok(q);
        }
    }
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
    if mode.orthologs || entity_type.as_deref() == Some("Gene") {
        // Gene symbols and synonyms of `gene_info`, when loaded, before the index's mentions.
        if let Some(q) = vocab_name(ctx, entity_type.as_deref(), value, mode, positive)? {
            return Ok(q);
        }
    }
    let found = resolve(ctx, entity_type.as_deref(), value)?;
    if found.is_empty() {
        // A MeSH name or entry term no mention spells.
        let mesh = Mode {
            mesh_names: true,
            ..mode
        };
        if let Some(q) = vocab_name(ctx, entity_type.as_deref(), value, mesh, positive)? {
            return Ok(q);
        }
        // Neither a known ID nor a known name: nothing matches; say why.
        explain_unknown(ctx, entity_type.as_deref(), value, &id)?;
        return Ok(Box::new(EmptyQuery));
    }
    let seeds: Vec<String> = found.iter().map(|e| e.id.clone()).collect();
    if let Some(q) = expanded(ctx, entity_type.as_deref(), value, &seeds, mode, positive)? {
        return Ok(q);
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

/// True when `value` is written as an identifier rather than a name: digits, a namespace
/// prefix (`MESH:`, `CVCL_`, `rs`), or a form that normalizes to another spelling.
pub(crate) fn looks_like_id(value: &str, id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    id != value
        || value.bytes().all(|b| b.is_ascii_digit())
        || (value.contains(':') && !value.contains(' '))
        || lower
            .strip_prefix("rs")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Warns why an entity clause matches nothing: an ID no document has, or a name the
/// dictionary does not know (with the closest names of that type).
pub(super) fn explain_unknown(
    ctx: &mut Ctx<'_>,
    entity_type: Option<&str>,
    value: &str,
    id: &str,
) -> Result<()> {
    let what = entity_type.map_or("entity".to_string(), str::to_lowercase);
    if looks_like_id(value, id) {
        let shown = if id == value {
            format!("'{value}'")
        } else {
            format!("'{value}' (read as {id})")
        };
        // The ID under another type (`disease:D007454` annotated as a Chemical): name it.
        let mut elsewhere: Vec<String> = Vec::new();
        if let Some(t) = entity_type {
            let lower = id.to_lowercase();
            for other in ctx.index_types()?.to_vec() {
                if !other.eq_ignore_ascii_case(t) && !ctx.id_terms(Some(&other), &lower)?.is_empty()
                {
                    elsewhere.push(format!("{}:{value}", other.to_lowercase()));
                }
            }
        }
        if elsewhere.is_empty() {
            ctx.warn(format!("no document has {what} ID {shown}"));
        } else {
            ctx.warn(format!(
                "no document has {what} ID {shown}; it is annotated under another type: try {}",
                elsewhere.join(" or ")
            ));
        }
        return Ok(());
    }
    let similar = similar_names(ctx.searcher, ctx.fields, entity_type, value, 2, 5)?;
    let mut message =
        format!("{what} '{value}' is neither an ID nor an annotated name in the index");
    if !similar.is_empty() {
        let list: Vec<String> = similar
            .iter()
            .map(|(name, e)| {
                format!(
                    "{name} ({} {}, {} documents)",
                    e.entity_type, e.id, e.documents
                )
            })
            .collect();
        message.push_str(&format!("; did you mean {}?", list.join(", ")));
    }
    ctx.warn(message);
    Ok(())
}

/// `@GENE_PDCD1` → (Gene, "PDCD1"); `@CELLLINE_CVCL_0030` → (CellLine, "CVCL_0030"): the part
/// after the type is an ID or a name with `_` for spaces.
pub(super) fn split_at(ctx: &Ctx<'_>, text: &str, pos: usize) -> Result<(String, String)> {
    let (t, rest) = text.split_once('_').ok_or_else(|| {
        err(
            ctx,
            pos,
            "expected @TYPE_ID or @TYPE_Name, e.g. @GENE_673 or @GENE_PDCD1",
        )
    })?;
    let Some(t) = resolve_type(ctx, t)? else {
        let known = CANONICAL_TYPES.map(str::to_uppercase);
        let hint = closest_type(t)
            .map(|k| format!(" (did you mean @{}_...?)", k.to_uppercase()))
            .unwrap_or_default();
        return Err(err(
            ctx,
            pos,
            format!(
                "unknown entity type '{t}' in @{text}{hint}; known: {}",
                known.join(", ")
            ),
        ));
    };
    Ok((t, rest.to_string()))
}

/// The canonical type closest to a misspelled type name.
pub(super) fn closest_type(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    CANONICAL_TYPES
        .iter()
        .copied()
        .filter_map(|t| Some((edit_distance(&lower, &t.to_ascii_lowercase(), 2)?, t)))
        .min()
        .map(|(_, t)| t)
}

/// `@TYPE_ID` or `@TYPE_Name_With_Underscores` (PubTator3's forms): an ID of the type when
/// the index has it, else a name resolved through the dictionary (`_` read as spaces).
pub(super) fn at_clause(
    ctx: &mut Ctx<'_>,
    text: &str,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let (t, rest) = split_at(ctx, text, pos)?;
    if t == "Variant" {
        if let Some((hgvs, symbol)) = pubtator3_variant(&rest) {
            return pubtator3_variant_clause(ctx, &hgvs, symbol.as_deref(), pos, positive);
        }
    }
    // PubTator3's `@GENE_` is the gene in every species: with an ortholog table, so is ours.
    let mode = Mode {
        orthologs: t == "Gene",
        ..Mode::default()
    };
    let id = normalize_id(&rest).to_lowercase();
    if !ctx.id_terms(Some(t.as_str()), &id)?.is_empty() {
        return entity_clause(ctx, Some(t), &rest, pos, positive, mode);
    }
    entity_clause(ctx, Some(t), &rest.replace('_', " "), pos, positive, mode)
}

/// PubTator3's `@VARIANT_p.V600E_BRAF_human`: the variant (`variant:p.V600E`) in a document
/// with the gene (`gene:BRAF`, resolved through the dictionary; a variant's gene link counts),
/// or the variant alone when the index does not know the gene's name.
fn pubtator3_variant_clause(
    ctx: &mut Ctx<'_>,
    hgvs: &str,
    symbol: Option<&str>,
    pos: usize,
    positive: bool,
) -> Result<Box<dyn Query>> {
    let variant = entity_clause(
        ctx,
        Some("Variant".to_string()),
        hgvs,
        pos,
        positive,
        Mode::default(),
    )?;
    let Some(symbol) = symbol else {
        return Ok(variant);
    };
    let genes = resolve(ctx, Some("Gene"), symbol)?;
    if genes.is_empty() {
        ctx.warn(format!(
            "gene '{symbol}' of @VARIANT_{hgvs}_{symbol} is not an annotated name in the index: \
             searching the variant alone"
        ));
        return Ok(variant);
    }
    let gene = any_of(
        genes
            .iter()
            .map(|e| id_query(ctx.fields, &entity_term(Some(&e.entity_type), &e.id)))
            .collect(),
    );
    Ok(Box::new(BooleanQuery::new(vec![
        (Occur::Must, variant),
        (Occur::Must, gene),
    ])))
}
