//! The parallel stage of ingest, between the reader thread ([`super::read`]) and the document
//! writer ([`super::writer`]): parses each unit of a batch with rayon, merges bulk patches into
//! their documents, carries attached concepts into replacements, names each document's
//! annotation layer after its source, and converts every document to its tantivy form. Output keeps input order.

use super::attach::{self, Attach};
use super::read::Unit;
use crate::error::Result;
use crate::index::document::to_tantivy;
use crate::pubtator::ids::canonical_type;
use crate::pubtator::layers::name_layer;
use crate::pubtator::{parse_document, Document, Parsed};
use crate::PtIndex;
use rayon::prelude::*;
use std::collections::HashMap;
use tantivy::{Searcher, TantivyDocument};

/// A unit after the parallel stage.
pub(super) enum Prepared {
    /// A parsed document (or only problems) and its tantivy form.
    Doc(Parsed, Option<TantivyDocument>),
    /// A patched document and its tantivy form.
    Patched(PatchedDoc),
}

/// A document after a bulk patch.
pub(super) struct PatchedDoc {
    pub doc: Document,
    pub td: TantivyDocument,
    /// No document had the ID before (entity-only).
    pub new: bool,
    /// Canonical types of the patch's concepts.
    pub concept_types: Vec<String>,
    /// Relations in the patch.
    pub relations: u64,
}

/// Merges patches with the same ID inside one batch into the first of them, so that the
/// parallel stage never patches one document twice.
fn merge_batch_patches(units: Vec<Unit>) -> Vec<Unit> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for unit in units {
        if let Unit::Patch(p) = unit {
            match first.get(&p.id) {
                Some(&i) => {
                    if let Some(Unit::Patch(earlier)) = out.get_mut(i) {
                        earlier.absorb(p);
                    }
                }
                None => {
                    first.insert(p.id.clone(), out.len());
                    out.push(Unit::Patch(p));
                }
            }
        } else {
            out.push(unit);
        }
    }
    out
}

/// Prepares a batch's units in parallel. `searcher` (the last commit) is needed for patches
/// and, with `attach.carry()`, for the concepts a replaced document keeps; a patched
/// document's pending version is taken out of `attach` as its base. Parsed documents become
/// one annotation layer named `layer`; `replace` is `--replace` (no layers).
pub(super) fn prepare_batch(
    index: &PtIndex,
    searcher: Option<&Searcher>,
    attach: &mut Attach,
    units: Vec<Unit>,
    layer: &str,
    replace: bool,
) -> Result<Vec<Prepared>> {
    let units: Vec<(Unit, Option<Document>)> = merge_batch_patches(units)
        .into_iter()
        .map(|u| {
            let base = match &u {
                Unit::Patch(p) => attach.take_pending(&p.id),
                _ => None,
            };
            (u, base)
        })
        .collect();
    let attach = &*attach;
    units
        .into_par_iter()
        .map(|(unit, base)| prepare(unit, index, searcher, attach, base, layer, replace))
        .collect()
}

/// Parses and converts one unit; `base` is the pending version of a patched document.
fn prepare(
    unit: Unit,
    index: &PtIndex,
    searcher: Option<&Searcher>,
    attach: &Attach,
    base: Option<Document>,
    layer: &str,
    replace: bool,
) -> Result<Prepared> {
    let fields = &index.fields;
    let mut parsed = match unit {
        Unit::Lines(lines) => parse_document(&lines.lines()),
        Unit::Ready(parsed) => *parsed,
        Unit::Patch(patch) => {
            let concept_types = patch
                .concepts
                .iter()
                .map(|c| canonical_type(&c.raw_type).to_string())
                .collect();
            let relations = patch.relations.len() as u64;
            let (doc, new) = match searcher {
                Some(s) => attach::merge(s, fields, base, patch)?,
                None => (patch.into_document(), true),
            };
            let td = to_tantivy(fields, &doc);
            return Ok(Prepared::Patched(PatchedDoc {
                doc,
                td,
                new,
                concept_types,
                relations,
            }));
        }
    };
    if let Some(doc) = parsed.document.as_mut() {
        name_layer(doc, layer);
        // With layers the stored bulk rows stay as their own layer (see `super::layering`);
        // `--replace` carries them into the replacement instead.
        if let (Some(s), true) = (searcher, attach.carry() && replace) {
            attach::carry_into(s, fields, attach.pending(&doc.id), doc)?;
        }
    }
    let td = parsed.document.as_ref().map(|d| to_tantivy(fields, d));
    Ok(Prepared::Doc(parsed, td))
}
