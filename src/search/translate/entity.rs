//! Entity, type and relation clauses translated: IDs become the export's `entity` and
//! `relation` terms; names (`gene:PD1`, `@GENE_PDCD1`) are resolved to IDs through the local
//! index's mention dictionary exactly as `compile/entity.rs` resolves them, and refused when
//! there is no index.

use super::qstring::{all_of, any_of, leaf, Q};
use super::{Ctx, IndexView};
use crate::error::Result;
use crate::index::relterms::relation_term;
use crate::index::schema::entity_term;
use crate::index::terms::{distinct_terms, doc_count};
use crate::pubtator::ids::{
    canonical_id, normalize_id, relation_key, relation_verb_types, CANONICAL_TYPES,
};
use crate::search::dictionary::{resolve_name, EntityRef};
use crate::search::query::compile::{keep_best, looks_like_id, mesh_heading_ids, type_alias};
use crate::vocab::expand::{expand_ids, resolve_name as resolve_vocab_name, Mode, Request};
use std::collections::BTreeSet;

const ANY_RELATION: &str = "any";

/// The index's distinct terms of a keyword field, mapped, read once per translation.
fn cached<'c>(
    cell: &'c std::cell::OnceCell<Vec<String>>,
    ix: IndexView<'_>,
    field: tantivy::schema::Field,
    map: impl Fn(&str) -> String,
) -> Result<&'c [String]> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let found: BTreeSet<String> = distinct_terms(ix.searcher, field, 10_000)?
        .into_iter()
        .filter_map(|k| String::from_utf8(k).ok())
        .map(|t| map(&t))
        .collect();
    Ok(cell.get_or_init(|| found.into_iter().collect()))
}

/// The entity types of the index (canonical and kept).
fn index_types<'c>(ctx: &'c Ctx<'_>, ix: IndexView<'_>) -> Result<&'c [String]> {
    cached(&ctx.index_types, ix, ix.fields.entity_type, str::to_string)
}

/// The kept (non-canonical) type of the index named `name`, if any; `None` without an index.
pub(super) fn other_type(ctx: &Ctx<'_>, name: &str) -> Result<Option<String>> {
    let Some(ix) = ctx.index else { return Ok(None) };
    Ok(index_types(ctx, ix)?
        .iter()
        .filter(|t| !CANONICAL_TYPES.contains(&t.as_str()))
        .find(|t| t.eq_ignore_ascii_case(name))
        .cloned())
}

fn resolve_type(ctx: &Ctx<'_>, name: &str) -> Result<Option<String>> {
    match type_alias(name) {
        Some(t) => Ok(Some(t.to_string())),
        None => other_type(ctx, name),
    }
}

/// The typed entity terms the index has for `id` (lower case), under `entity_type` or under
/// every type of the index.
pub(super) fn id_terms(
    ctx: &Ctx<'_>,
    ix: IndexView<'_>,
    entity_type: Option<&str>,
    id: &str,
) -> Result<Vec<String>> {
    let types: Vec<String> = match entity_type {
        Some(t) => vec![t.to_string()],
        None => index_types(ctx, ix)?.to_vec(),
    };
    let mut out = Vec::new();
    for t in types {
        let typed = entity_term(Some(&t), id);
        if !out.contains(&typed) && doc_count(ix.searcher, ix.fields.entity, &typed)? > 0 {
            out.push(typed);
        }
    }
    Ok(out)
}

/// A name resolved through the index: the IDs `compile` picks, with a note.
fn resolve(
    ctx: &mut Ctx<'_>,
    ix: IndexView<'_>,
    entity_type: Option<&str>,
    name: &str,
) -> Result<Vec<EntityRef>> {
    let mut found = resolve_name(ix.searcher, ix.fields, entity_type, name)?;
    keep_best(&mut found);
    let what = entity_type.map_or("entity".to_string(), str::to_lowercase);
    if found.is_empty() {
        ctx.note(format!(
            "approximate: {what} '{name}' is neither an ID nor an annotated name in the local \
             index; translated as that ID, which the local index does not have"
        ));
    } else {
        let ids: Vec<String> = found
            .iter()
            .map(|e| format!("{} {}", e.entity_type, e.id))
            .collect();
        ctx.note(format!(
            "approximate: {what} '{name}' resolved through the local index to {} (the IDs \
             most of its documents use for that name; the Quickwit corpus may use others)",
            ids.join(", ")
        ));
    }
    Ok(found)
}

/// The refusal for a name without an index.
fn needs_index(ctx: &Ctx<'_>, clause: &str, value: &str, pos: usize) -> crate::error::Error {
    ctx.err(
        pos,
        format!(
            "'{clause}' names '{value}', not an ID: resolving names to IDs needs the local index \
             (--index DIR); or write the ID (find it with `ptsearch entities {value}` on an index)"
        ),
    )
}

/// What the index's vocabularies expand `seeds` (canonical IDs) to, written as entity terms
/// of type `t`, with a note; `None` without an index, a vocabulary, or an expansion.
fn expanded_terms(
    ctx: &mut Ctx<'_>,
    t: Option<&str>,
    seeds: &[String],
    mode: Mode,
) -> Result<Option<Vec<String>>> {
    let Some(ix) = ctx.index else { return Ok(None) };
    let request = Request {
        entity_type: t,
        mode,
        taxa: &ctx.taxa,
    };
    let Some(x) = expand_ids(ix.vocab, &request, seeds)? else {
        return Ok(None);
    };
    ctx.note(format!(
        "expanded with the local index's vocabularies: {} ({} IDs written into the query; \
         `=` after the colon searches the ID alone)",
        x.note,
        x.ids.len()
    ));
    Ok(Some(
        x.ids
            .iter()
            .map(|id| entity_term(t, &id.to_lowercase()))
            .collect(),
    ))
}

/// A name resolved through the index's vocabularies (gene symbols and synonyms), as entity
/// terms (expanded when a vocabulary expands them); `None` when no vocabulary knows it.
fn vocab_name(
    ctx: &mut Ctx<'_>,
    t: Option<&str>,
    name: &str,
    mode: Mode,
) -> Result<Option<Vec<String>>> {
    let Some(ix) = ctx.index else { return Ok(None) };
    let request = Request {
        entity_type: t,
        mode,
        taxa: &ctx.taxa,
    };
    let Some(found) = resolve_vocab_name(ix.vocab, &request, name)? else {
        return Ok(None);
    };
    for w in found.warnings {
        ctx.note(w);
    }
    let t = if mode.orthologs { Some("Gene") } else { t };
    if let Some(terms) = expanded_terms(ctx, t, &found.ids, mode)? {
        return Ok(Some(terms));
    }
    ctx.note(format!(
        "'{name}' resolved through the local index's vocabulary to {}",
        found.ids.join(", ")
    ));
    Ok(Some(
        found
            .ids
            .iter()
            .map(|id| entity_term(t, &id.to_lowercase()))
            .collect(),
    ))
}

/// `mh:D009369` / `mh:Neoplasms` exploded with the local index's MeSH (PubMed's `[mh]`);
/// `None` without it or for a literal clause.
pub(super) fn mesh_heading(ctx: &mut Ctx<'_>, value: &str, literal: bool) -> Result<Option<Q>> {
    let Some(ix) = ctx.index else { return Ok(None) };
    if literal {
        return Ok(None);
    }
    let Some(x) = mesh_heading_ids(ix.vocab, value, &ctx.taxa)? else {
        return Ok(None);
    };
    ctx.note(format!(
        "expanded with the local index's vocabularies: mh:{} {} ({} headings written into the \
         query; mh:={} searches the heading alone)",
        value.trim(),
        x.note,
        x.ids.len(),
        value.trim()
    ));
    let mut leaves: Vec<Q> = x
        .ids
        .iter()
        .map(|ui| leaf(Some("mesh"), &ui.to_lowercase()))
        .collect();
    leaves.push(leaf(Some("mesh"), &value.trim().to_lowercase()));
    Ok(Some(any_of(leaves)))
}

/// `gene:5133`, `id:X`, `gene:PD1`: the entity terms of the ID(s).
pub(super) fn entity_clause(
    ctx: &mut Ctx<'_>,
    entity_type: Option<String>,
    value: &str,
    pos: usize,
    positive: bool,
    mode: Mode,
) -> Result<Q> {
    let value = value.trim();
    if let Some(at) = value.strip_prefix('@') {
        return at_clause(ctx, at, pos, positive);
    }
    // A variant in any spelling is read as the form ingest indexes (as `search` does).
    let variant = entity_type
        .as_deref()
        .filter(|t| *t == "Variant")
        .and_then(|_| crate::pubtator::variant::variant_key(value));
    let is_variant = variant.is_some();
    let id = variant.unwrap_or_else(|| normalize_id(value));
    let lid = id.to_lowercase();
    if positive {
        ctx.note(
            "approximate: ranking differs: ptsearch adds a boost when an entity is mentioned \
             in the title"
                .to_string(),
        );
    }
    let t = entity_type.as_deref();
    let is_id = is_variant || looks_like_id(value, &id);
    let index_has_it = match ctx.index {
        Some(ix) if !is_id => !id_terms(ctx, ix, t, &lid)?.is_empty(),
        _ => false,
    };
    if is_id || index_has_it {
        // An ID: its term as the export writes it (untyped for any type), whatever the local
        // index holds; a typed part as written (`variant:Gene:3043`) is kept verbatim at
        // ingest, so that form is searched too.
        if index_has_it {
            ctx.note(format!(
                "approximate: '{value}' is read as an ID because the local index has it as one \
                 (a corpus where it is only a name would need it resolved)"
            ));
        }
        let verbatim = canonical_id(value).to_lowercase();
        let mut forms = vec![entity_term(t, &lid)];
        let other = entity_term(t, &verbatim);
        if !forms.contains(&other) {
            forms.push(other);
        }
        let mut seen: std::collections::HashSet<String> = forms.iter().cloned().collect();
        for f in expanded_terms(ctx, t, std::slice::from_ref(&id), mode)?.unwrap_or_default() {
            if seen.insert(f.clone()) {
                forms.push(f);
            }
        }
        if positive {
            ctx.positive_ids.insert(lid);
        }
        return Ok(any_of(
            forms.iter().map(|f| leaf(Some("entity"), f)).collect(),
        ));
    }
    let Some(ix) = ctx.index else {
        let clause = match t {
            Some(t) => format!("{}:{value}", t.to_lowercase()),
            None => format!("id:{value}"),
        };
        return Err(needs_index(ctx, &clause, value, pos));
    };
    if mode.orthologs || t == Some("Gene") {
        if let Some(terms) = vocab_name(ctx, t, value, mode)? {
            return Ok(any_of(
                terms.iter().map(|f| leaf(Some("entity"), f)).collect(),
            ));
        }
    }
    let found = resolve(ctx, ix, t, value)?;
    if found.is_empty() {
        let mesh = Mode {
            mesh_names: true,
            ..mode
        };
        if let Some(terms) = vocab_name(ctx, t, value, mesh)? {
            return Ok(any_of(
                terms.iter().map(|f| leaf(Some("entity"), f)).collect(),
            ));
        }
        return Ok(leaf(Some("entity"), &entity_term(t, &lid)));
    }
    let seeds: Vec<String> = found.iter().map(|e| e.id.clone()).collect();
    if let Some(terms) = expanded_terms(ctx, t, &seeds, mode)? {
        if positive {
            ctx.positive_ids
                .extend(seeds.iter().map(|s| s.to_lowercase()));
        }
        return Ok(any_of(
            terms.iter().map(|f| leaf(Some("entity"), f)).collect(),
        ));
    }
    let mut qs = Vec::new();
    for e in found {
        if positive {
            ctx.positive_ids.insert(e.id.to_lowercase());
        }
        qs.push(leaf(
            Some("entity"),
            &entity_term(Some(&e.entity_type), &e.id),
        ));
    }
    Ok(any_of(qs))
}

/// `@GENE_PDCD1` → (Gene, "PDCD1").
fn split_at(ctx: &Ctx<'_>, text: &str, pos: usize) -> Result<(String, String)> {
    let Some((t, rest)) = text.split_once('_') else {
        return Err(ctx.err(
            pos,
            "expected @TYPE_ID or @TYPE_Name, e.g. @GENE_673 or @GENE_PDCD1",
        ));
    };
    let Some(t) = resolve_type(ctx, t)? else {
        let known = CANONICAL_TYPES.map(str::to_uppercase);
        return Err(ctx.err(
            pos,
            format!(
                "unknown entity type '{t}' in @{text}; known: {}",
                known.join(", ")
            ),
        ));
    };
    Ok((t, rest.to_string()))
}

/// `@TYPE_ID` or `@TYPE_Name_With_Underscores`.
pub(super) fn at_clause(ctx: &mut Ctx<'_>, text: &str, pos: usize, positive: bool) -> Result<Q> {
    let (t, rest) = split_at(ctx, text, pos)?;
    let id = normalize_id(&rest);
    let is_id = looks_like_id(&rest, &id)
        || match ctx.index {
            Some(ix) => !id_terms(ctx, ix, Some(&t), &id.to_lowercase())?.is_empty(),
            None => return Err(needs_index(ctx, &format!("@{text}"), &rest, pos)),
        };
    // PubTator3's `@GENE_` is the gene in every species: with an ortholog table, so is ours.
    let mode = Mode {
        orthologs: t == "Gene",
        ..Mode::default()
    };
    if is_id {
        return entity_clause(ctx, Some(t), &rest, pos, positive, mode);
    }
    entity_clause(ctx, Some(t), &rest.replace('_', " "), pos, positive, mode)
}

/// `type:Gene`: every document with an annotation of that type.
pub(super) fn type_clause(ctx: &mut Ctx<'_>, value: &str, pos: usize) -> Result<Q> {
    let Some(t) = resolve_type(ctx, value.trim())? else {
        return Err(ctx.err(
            pos,
            format!(
                "unknown entity type '{value}' (known: {}{})",
                CANONICAL_TYPES.join(", "),
                if ctx.index.is_none() {
                    "; kept types of an index need --index"
                } else {
                    ""
                }
            ),
        ));
    };
    Ok(leaf(Some("entity_type"), &t))
}

/// A relation-term form of one `rel:` argument and the typed entity term it also requires.
type ArgForm = (String, Option<String>);

fn relation_arg(ctx: &mut Ctx<'_>, arg: &str, pos: usize) -> Result<Vec<ArgForm>> {
    let arg = arg.trim();
    if arg.is_empty() || arg == "*" {
        return Ok(vec![("*".to_string(), None)]);
    }
    if !arg.starts_with('@') {
        if let Some(t) = resolve_type(ctx, arg)? {
            return Ok(vec![(format!("t:{}", t.to_lowercase()), None)]);
        }
    }
    let (t, value) = match arg.strip_prefix('@') {
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
    let mut ids: Vec<(Option<String>, String)> = Vec::new();
    match ctx.index {
        _ if looks_like_id(&value, &id) => ids.push((t, id)),
        None => return Err(needs_index(ctx, arg, &value, pos)),
        Some(ix) if !id_terms(ctx, ix, t.as_deref(), &id.to_lowercase())?.is_empty() => {
            ids.push((t, id));
        }
        Some(ix) => {
            let name = if arg.starts_with('@') {
                value.replace('_', " ")
            } else {
                value.clone()
            };
            let found = resolve(ctx, ix, t.as_deref(), &name)?;
            if found.is_empty() {
                ids.push((t, id));
            }
            ids.extend(found.into_iter().map(|e| (Some(e.entity_type), e.id)));
        }
    }
    // `disease:=D009369`: that ID only; otherwise what the vocabularies expand it to.
    let literal = value.starts_with('=');
    let mut all: Vec<(Option<String>, String)> = Vec::new();
    for (t, id) in ids {
        let id = id.strip_prefix('=').map_or(id.clone(), normalize_id);
        let mode = Mode {
            literal,
            ..Mode::default()
        };
        let more = match ctx.index {
            Some(ix) => {
                let request = Request {
                    entity_type: t.as_deref(),
                    mode,
                    taxa: &ctx.taxa,
                };
                expand_ids(ix.vocab, &request, std::slice::from_ref(&id))?
            }
            None => None,
        };
        match more {
            Some(x) => {
                ctx.note(format!(
                    "expanded with the local index's vocabularies: {} ({} IDs written into the \
                     relation terms)",
                    x.note,
                    x.ids.len()
                ));
                all.extend(x.ids.into_iter().map(|i| (t.clone(), i)));
            }
            None => all.push((t, id)),
        }
    }
    Ok(all
        .into_iter()
        .map(|(t, id)| {
            let lid = id.to_lowercase();
            let typed = t.map(|t| entity_term(Some(&t), &lid));
            (format!("i:{lid}"), typed)
        })
        .collect())
}

/// The relation keys a `rel:` type stands for: its own key when the index has it (or when
/// there is no index), else the keys of the same meaning for a PubTator3 verb.
fn relation_keys(ctx: &mut Ctx<'_>, rel_type: &str) -> Result<Vec<String>> {
    let key = relation_key(rel_type);
    if key == ANY_RELATION {
        return Ok(vec![key]);
    }
    let mapped: Vec<String> = relation_verb_types(&key)
        .iter()
        .map(|t| relation_key(t))
        .collect();
    let Some(ix) = ctx.index else {
        let mut keys = vec![key];
        for k in mapped {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if keys.len() > 1 {
            ctx.note(format!(
                "without an index, the verb '{rel_type}' is searched as {} (ptsearch searches \
                 the verb's own type when the index has it, else the others)",
                keys.join(" or ")
            ));
        }
        return Ok(keys);
    };
    let have = cached(
        &ctx.relation_keys,
        ix,
        ix.fields.relation_type,
        relation_key,
    )?
    .to_vec();
    if have.contains(&key) {
        return Ok(vec![key]);
    }
    let mapped: Vec<String> = mapped.into_iter().filter(|k| have.contains(k)).collect();
    if mapped.is_empty() {
        ctx.note(format!(
            "approximate: the local index has no relation of type '{rel_type}' (ptsearch \
             finds nothing there); translated as written"
        ));
        // Matches nothing in the index; in a larger Quickwit corpus, the type as written.
        return Ok(vec![key]);
    }
    ctx.note(format!(
        "approximate: the local index has no relation of type '{rel_type}'; searching {} \
         (the same meaning), as ptsearch does there",
        mapped.join(" or ")
    ));
    Ok(mapped)
}

/// `rel:TYPE|E1|E2` over the export's relation terms (order-free).
pub(super) fn relation_clause(ctx: &mut Ctx<'_>, value: &str, pos: usize) -> Result<Q> {
    let mut parts = value.splitn(3, '|');
    let rel_type = parts.next().unwrap_or("").trim();
    if rel_type.is_empty() {
        return Err(ctx.err(
            pos,
            "expected rel:TYPE|E1|E2 (TYPE may be ANY, E1/E2 may be * )",
        ));
    }
    let keys = relation_keys(ctx, rel_type)?;
    let a = parts.next().unwrap_or("*");
    let b = parts.next().unwrap_or("*");
    let fa = relation_arg(ctx, a, pos)?;
    let fb = relation_arg(ctx, b, pos)?;
    let typed_args = fa.iter().chain(&fb).any(|(_, t)| t.is_some());
    if rel_type.eq_ignore_ascii_case(ANY_RELATION) || typed_args {
        ctx.note(
            "approximate: ranking differs: ptsearch scores rel:ANY by the relation types a \
             document has and an entity argument by its mentions; Quickwit scores the relation \
             term alike in every document"
                .to_string(),
        );
    }
    let mut qs = Vec::new();
    for (x, tx) in &fa {
        for (y, ty) in &fb {
            let rel = any_of(
                keys.iter()
                    .map(|k| leaf(Some("relation"), &relation_term(k, x, y)))
                    .collect(),
            );
            let mut must = vec![rel];
            must.extend(tx.iter().chain(ty.iter()).map(|t| leaf(Some("entity"), t)));
            qs.push(all_of(must));
        }
    }
    Ok(any_of(qs))
}
