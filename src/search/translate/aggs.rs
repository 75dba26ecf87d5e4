//! The aggregations that reproduce ptsearch's facets (`search --facets`) in Quickwit:
//! documents per entity type from a terms aggregation on `entity_type` (every type a document
//! has, with IDs or not: our facet counts, which equal the `type:X` hits), and the top entities of each type from one terms aggregation on
//! `entities_by_type` per type, restricted with an `include` array of that type's values
//! listed from the local index. Never an `include` regex: Quickwit 0.9 returned wrong buckets
//! for one, and 0.8.2 ignored it (issue 19).

use super::{Ctx, IndexView};
use crate::error::Result;
use crate::index::terms::facet_reader;
use crate::search::facets::type_order;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Most values a terms aggregation on `entity_type` returns: more than any index has types.
const MAX_TYPES: usize = 1_000;

/// Every `Type/ID` of the index's entity column, grouped by type (canonical types first, in
/// their usual order, then the others by name), IDs sorted.
fn index_values(ix: IndexView<'_>) -> Result<Vec<(String, Vec<String>)>> {
    let mut by_type: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for segment in ix.searcher.segment_readers() {
        let Some(reader) = facet_reader(segment)? else {
            continue;
        };
        let ords: Vec<u64> = (0..reader.num_facets() as u64).collect();
        reader
            .facet_dict()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                let mut parts = bytes.split(|b| *b == 0);
                if let (Some(t), Some(id), None) = (parts.next(), parts.next(), parts.next()) {
                    by_type
                        .entry(String::from_utf8_lossy(t).into_owned())
                        .or_default()
                        .push(String::from_utf8_lossy(id).into_owned());
                }
            })
            .map_err(tantivy::TantivyError::from)?;
    }
    let mut out: Vec<(String, Vec<String>)> = by_type
        .into_iter()
        .map(|(t, mut ids)| {
            ids.sort_unstable();
            ids.dedup();
            (t, ids)
        })
        .collect();
    out.sort_by(|a, b| {
        type_order(&a.0)
            .cmp(&type_order(&b.0))
            .then_with(|| a.0.cmp(&b.0))
    });
    Ok(out)
}

/// The `aggs` object: `types` (documents per type) and, with an index, `top_<Type>` per type.
pub(super) fn facet_aggs(ctx: &mut Ctx<'_>, top: usize) -> Result<Value> {
    let mut aggs = Map::new();
    aggs.insert(
        "types".to_string(),
        json!({"terms": {"field": "entity_type", "size": MAX_TYPES}}),
    );
    let Some(ix) = ctx.index else {
        ctx.note(
            "no index: the facets hold the documents per type only; the top entities of each \
             type need --index (their include arrays list the index's values of that type)"
                .to_string(),
        );
        return Ok(Value::Object(aggs));
    };
    for (t, ids) in index_values(ix)? {
        let include: Vec<String> = ids.iter().map(|id| format!("{t}/{id}")).collect();
        aggs.insert(
            format!("top_{t}"),
            json!({"terms": {
                "field": "entities_by_type",
                "size": top.max(1),
                "include": include,
                "order": {"_count": "desc"},
            }}),
        );
    }
    ctx.note(
        "approximate: facet counts are exact within one Quickwit split; across splits a terms \
         aggregation sums each split's top values (see its doc_count_error_upper_bound), and \
         ties among equal counts may come out in another order than ptsearch's (by ID)"
            .to_string(),
    );
    ctx.note(
        "the top-entity aggregations list the local index's values of each type: values only \
         the Quickwit corpus has are not counted"
            .to_string(),
    );
    Ok(Value::Object(aggs))
}
