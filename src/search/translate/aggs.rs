//! The aggregations that reproduce ptsearch's facets (`search --facets`) in Quickwit:
//! documents per entity type from a terms aggregation on `entity_type` (every type a document
//! has, with IDs or not: our facet counts, which equal the `type:X` hits); the top entities of
//! each canonical type from a plain terms aggregation on that type's field (`entity_gene`, ...,
//! written by the export), and of every other type together from `entity_other` (`Type/ID`
//! values); and the metadata facets (`year`, `pubtype`, `source`, `journal`). The request
//! lists no values: its size does not grow with the index (no `include` arrays, never an
//! `include` regex: Quickwit 0.9 returned wrong buckets for one).
//!
//! Each terms aggregation sets `shard_size`: every split returns that many candidates, so
//! counts summed across splits are exact unless a value falls outside a split's top
//! `shard_size` (on 5 splits of AIONER, a larger `shard_size` made every top-10 count exact).

use super::Ctx;
use crate::pubtator::ids::CANONICAL_TYPES;
use serde_json::{json, Map, Value};

/// The per-type entity fields, one per canonical type in [`CANONICAL_TYPES`] order, then the
/// field of every other type (values `Type/ID`).
pub const TYPE_FIELDS: [&str; 7] = [
    "entity_gene",
    "entity_disease",
    "entity_chemical",
    "entity_species",
    "entity_variant",
    "entity_cellline",
    "entity_other",
];

/// The field that holds the IDs of entity type `t` (canonical types have their own; every
/// other type shares the last, `entity_other`, with `Type/ID` values).
pub fn type_field(t: &str) -> &'static str {
    let i = CANONICAL_TYPES
        .iter()
        .position(|c| *c == t)
        .unwrap_or(CANONICAL_TYPES.len());
    TYPE_FIELDS[i.min(TYPE_FIELDS.len() - 1)]
}

/// Most values a terms aggregation on `entity_type` (or `year`) returns: more than any index
/// has types (or years).
const MAX_TYPES: usize = 1_000;

/// Candidates each split returns per terms aggregation, at least (and 25 times the top).
const MIN_SHARD_SIZE: usize = 1_000;

/// The metadata facets with their fields (the export writes them lower case).
const META: [&str; 3] = ["pubtype", "source", "journal"];

/// `shard_size` for a top-`top` terms aggregation.
fn shard_size(top: usize) -> usize {
    (top.saturating_mul(25)).max(MIN_SHARD_SIZE)
}

fn top_terms(field: &str, top: usize) -> Value {
    json!({"terms": {
        "field": field,
        "size": top.max(1),
        "shard_size": shard_size(top.max(1)),
        "order": {"_count": "desc"},
    }})
}

/// The `aggs` object: `types` (documents per type), `top_<Type>` per canonical type,
/// `top_other` (every other type), `year` (documents per year) and `pubtype`, `source`,
/// `journal` (top values).
pub(super) fn facet_aggs(ctx: &mut Ctx<'_>, top: usize) -> Value {
    let mut aggs = Map::new();
    aggs.insert(
        "types".to_string(),
        json!({"terms": {"field": "entity_type", "size": MAX_TYPES, "shard_size": MAX_TYPES}}),
    );
    for t in CANONICAL_TYPES {
        aggs.insert(format!("top_{t}"), top_terms(type_field(t), top));
    }
    if let Some(other) = TYPE_FIELDS.last() {
        aggs.insert("top_other".to_string(), top_terms(other, top));
    }
    aggs.insert(
        "year".to_string(),
        json!({"terms": {
            "field": "year",
            "size": MAX_TYPES,
            "shard_size": MAX_TYPES,
            "order": {"_key": "desc"},
        }}),
    );
    for field in META {
        aggs.insert(field.to_string(), top_terms(field, top));
    }
    ctx.note(format!(
        "approximate: facet counts across Quickwit splits are exact unless a value is outside \
         a split's top {} (shard_size; see doc_count_error_upper_bound); ties among equal \
         counts at the top-{} cut may pick other values than ptsearch's (by ID)",
        shard_size(top.max(1)),
        top.max(1)
    ));
    ctx.note(
        "approximate: entities of non-canonical types are ranked together in top_other \
         (values Type/ID), where ptsearch lists the top entities of each type"
            .to_string(),
    );
    ctx.note(
        "approximate: the journal facet counts the abbreviation and the full title, lower \
         case; pubtype and source values are lower case"
            .to_string(),
    );
    Value::Object(aggs)
}
