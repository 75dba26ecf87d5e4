//! Entity clauses over the index's vocabularies ([`crate::vocab::expand`] decides what an ID
//! or a name expands to, for this lowering and the Quickwit one): an expanded ID set becomes
//! one term-set query (thousands of IDs stay one automaton over the term dictionary, not a
//! boolean query of thousands of clauses), with the clause's own IDs scored on top.

use super::builders::{any_of, boost};
use super::ctx::Ctx;
use super::entity::id_query;
use super::types::{EntityTarget, Resolution, ENTITY_TITLE_BOOST};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::index::terms::doc_count;
use crate::search::dictionary::EntityRef;
use crate::vocab::expand::{expand_ids, resolve_name, Mode, Request};
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, TermSetQuery};
use tantivy::Term;

/// The vocabulary request of a clause.
fn request<'c>(ctx: &'c Ctx<'_>, entity_type: Option<&'c str>, mode: Mode) -> Request<'c> {
    Request {
        entity_type,
        mode,
        taxa: &ctx.taxa,
    }
}

/// The types an ID is searched under: the clause's, or every type of the index.
fn types_of(ctx: &Ctx<'_>, entity_type: Option<&str>) -> Result<Vec<String>> {
    Ok(match entity_type {
        Some(t) => vec![t.to_string()],
        None => ctx.index_types()?.to_vec(),
    })
}

/// The references of `ids` (canonical) that documents carry, with their document counts.
fn refs(ctx: &Ctx<'_>, entity_type: Option<&str>, ids: &[String]) -> Result<Vec<EntityRef>> {
    let mut out = Vec::new();
    for id in ids {
        for t in types_of(ctx, entity_type)? {
            let n = doc_count(ctx.searcher, ctx.fields.entity, &entity_term(Some(&t), id))?;
            if n > 0 {
                out.push(EntityRef {
                    entity_type: t,
                    id: id.clone(),
                    documents: n,
                    id_documents: None,
                });
            }
        }
    }
    Ok(out)
}

/// The query for `seeds` (canonical IDs a clause arrived at) when a vocabulary expands them,
/// with a resolution saying how; `None` when none does.
pub(super) fn expanded(
    ctx: &mut Ctx<'_>,
    entity_type: Option<&str>,
    input: &str,
    seeds: &[String],
    mode: Mode,
    positive: bool,
) -> Result<Option<Box<dyn Query>>> {
    let Some(x) = expand_ids(ctx.vocab, &request(ctx, entity_type, mode), seeds)? else {
        return Ok(None);
    };
    let types = types_of(ctx, entity_type)?;
    let mut entity = Vec::with_capacity(x.ids.len() * types.len());
    let mut title = Vec::with_capacity(x.ids.len() * types.len());
    for id in &x.ids {
        for t in &types {
            let text = entity_term(Some(t), id);
            entity.push(Term::from_field_text(ctx.fields.entity, &text));
            title.push(Term::from_field_text(ctx.fields.entity_title, &text));
        }
        if positive {
            ctx.entities.insert(EntityTarget::Id {
                entity_type: entity_type.map(str::to_string),
                id: id.to_lowercase(),
            });
        }
    }
    if positive {
        // Relation-aware ranking pairs the clause's own IDs, not thousands of narrower ones.
        ctx.positive_ids
            .extend(seeds.iter().map(|s| s.to_lowercase()));
    }
    let resolved = refs(ctx, entity_type, seeds)?;
    let own: Vec<Box<dyn Query>> = resolved
        .iter()
        .map(|e| id_query(ctx.fields, &entity_term(Some(&e.entity_type), &e.id)))
        .collect();
    ctx.resolutions.push(Resolution {
        input: input.to_string(),
        entity_type: entity_type.map(str::to_string),
        resolved,
        expansion: Some(x.note),
    });
    // Every document of the set matches with the same weight; a mention in the title and
    // the clause's own ID (scored like any entity clause) rank first.
    ctx.set_terms = Some(entity.clone());
    let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, Box::new(TermSetQuery::new(entity))),
        (
            Occur::Should,
            boost(Box::new(TermSetQuery::new(title)), ENTITY_TITLE_BOOST),
        ),
    ];
    if !own.is_empty() {
        parts.push((Occur::Should, any_of(own)));
    }
    Ok(Some(Box::new(BooleanQuery::new(parts))))
}

/// A name resolved through a vocabulary (gene symbols and synonyms; MeSH names for `mh:`, or
/// when `mesh` is set): the query over its IDs (expanded when a vocabulary expands them),
/// `None` when no vocabulary knows the name.
pub(super) fn vocab_name(
    ctx: &mut Ctx<'_>,
    entity_type: Option<&str>,
    name: &str,
    mode: Mode,
    positive: bool,
) -> Result<Option<Box<dyn Query>>> {
    let Some(found) = resolve_name(ctx.vocab, &request(ctx, entity_type, mode), name)? else {
        return Ok(None);
    };
    for w in found.warnings {
        ctx.warn(w);
    }
    // A gene name is a Gene whatever field asked (`ortho:`).
    let entity_type = if mode.orthologs {
        Some("Gene")
    } else {
        entity_type
    };
    if let Some(q) = expanded(ctx, entity_type, name, &found.ids, mode, positive)? {
        return Ok(Some(q));
    }
    let resolved = refs(ctx, entity_type, &found.ids)?;
    if positive {
        for e in &resolved {
            ctx.entities.insert(EntityTarget::Id {
                entity_type: Some(e.entity_type.clone()),
                id: e.id.to_lowercase(),
            });
            ctx.positive_ids.insert(e.id.to_lowercase());
        }
    }
    let qs: Vec<Box<dyn Query>> = resolved
        .iter()
        .map(|e| id_query(ctx.fields, &entity_term(Some(&e.entity_type), &e.id)))
        .collect();
    if resolved.is_empty() {
        ctx.warn(format!(
            "'{name}' names {} in the vocabulary, which no document has",
            found.ids.join(", ")
        ));
    }
    ctx.resolutions.push(Resolution {
        input: name.to_string(),
        entity_type: entity_type.map(str::to_string),
        resolved,
        expansion: None,
    });
    Ok(Some(if qs.is_empty() {
        Box::new(EmptyQuery)
    } else {
        any_of(qs)
    }))
}

/// `mh:D009369` / `mh:Neoplasms` (PubMed's MeSH headings of a document) with a MeSH
/// vocabulary: the heading and every descriptor under it, as PubMed's `[mh]` explodes.
/// `None` without MeSH or when the value is neither a UI nor a name it knows.
pub(crate) fn mesh_heading(ctx: &mut Ctx<'_>, value: &str) -> Result<Option<Box<dyn Query>>> {
    let Some(x) = mesh_heading_ids(ctx.vocab, value, &ctx.taxa)? else {
        return Ok(None);
    };
    let mut terms: Vec<Term> = x
        .ids
        .iter()
        .map(|id| Term::from_field_text(ctx.fields.mesh, &id.to_lowercase()))
        .collect();
    terms.push(Term::from_field_text(
        ctx.fields.mesh,
        &value.trim().to_lowercase(),
    ));
    ctx.resolutions.push(Resolution {
        input: format!("mh:{}", value.trim()),
        entity_type: None,
        resolved: Vec::new(),
        expansion: Some(x.note),
    });
    Ok(Some(Box::new(TermSetQuery::new(terms))))
}

/// The descriptor UIs `mh:VALUE` explodes to (`D009369`, lower layers' spelling without the
/// `MESH:` prefix), shared with the Quickwit translation.
pub(crate) fn mesh_heading_ids(
    vocab: &crate::vocab::Vocab,
    value: &str,
    taxa: &[u64],
) -> Result<Option<crate::vocab::expand::Expansion>> {
    let Some(mesh) = vocab.mesh()? else {
        return Ok(None);
    };
    let v = value.trim();
    let is_ui = v.len() > 1
        && matches!(v.as_bytes()[0], b'D' | b'd')
        && v[1..].bytes().all(|b| b.is_ascii_digit());
    let uis = if is_ui {
        vec![v.to_ascii_uppercase()]
    } else {
        mesh.lookup_name(v)
    };
    let seeds: Vec<String> = uis.iter().map(|u| format!("MESH:{u}")).collect();
    let request = Request {
        entity_type: None,
        mode: Mode::default(),
        taxa,
    };
    let Some(mut x) = expand_ids(vocab, &request, &seeds)? else {
        return Ok(None);
    };
    // PubMed's headings are descriptors: supplementary records are not among them (the
    // note's last part counts them).
    x.note = x
        .note
        .split("; ")
        .map(|n| n.rsplit_once(" + ").map_or(n, |(head, _)| head))
        .collect::<Vec<_>>()
        .join("; ");
    x.ids = x
        .ids
        .into_iter()
        .filter_map(|id| id.strip_prefix("MESH:").map(str::to_string))
        .filter(|ui| ui.starts_with('D'))
        .collect();
    Ok(Some(x))
}
