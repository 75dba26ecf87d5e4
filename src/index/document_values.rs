//! The facet values of each annotation of a document, as `index::document` puts them in the
//! `facet` column: its normalized IDs, or for a variant the shown forms of its variant (read
//! together with the document's other variant annotations, which may share a group). Used by
//! the read side where it counts entities from stored records (sentence-scope facets).

use crate::index::variant_terms::{document_variants, is_variant_annotation};
use crate::pubtator::ids::{canonical_type, split_ids};
use crate::pubtator::Document;

/// Per annotation of `doc` (in order), its facet values.
pub fn annotation_values(doc: &Document) -> Vec<Vec<String>> {
    let variant: Vec<bool> = doc
        .annotations
        .iter()
        .map(|a| {
            is_variant_annotation(
                canonical_type(&a.raw_type),
                a.raw_id.as_deref().unwrap_or(""),
            )
        })
        .collect();
    let columns: Vec<&str> = doc
        .annotations
        .iter()
        .zip(&variant)
        .filter(|(_, v)| **v)
        .map(|(a, _)| a.raw_id.as_deref().unwrap_or(""))
        .collect();
    let mut variants = document_variants(&columns).into_iter();
    doc.annotations
        .iter()
        .zip(&variant)
        .map(|(a, v)| {
            if *v {
                variants.next().map(|t| t.shown).unwrap_or_default()
            } else {
                split_ids(a.raw_id.as_deref().unwrap_or(""))
            }
        })
        .collect()
}
