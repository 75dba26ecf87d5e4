//! Facet values ordered for drill-down: by count (the default) or by *lift*, how much more
//! often an entity occurs in the result set than in the whole index, which brings specific
//! entities above generic ones (`patients`, `tumor`); and the query's own entities marked.
//! Applied by [`crate::search::ranked`] after the facets are counted, so every front end
//! (CLI, server, page, Python) gets the same order.

use crate::error::Result;
use crate::index::schema::entity_term;
use crate::index::terms::doc_count;
use crate::index::PtIndex;
use crate::search::facets::{FacetSort, Facets};
use crate::search::query::EntityTarget;
use crate::search::significance::g_test;

/// Values counted per type before the lift order picks the top ones.
pub const LIFT_CANDIDATES: usize = 30;

/// Values counted per type before the significance order picks the top ones.
pub const SIGNIFICANCE_CANDIDATES: usize = 100;

/// Values with fewer matching documents than this rank after the others in lift order (one
/// document is too little evidence of over-representation).
pub const LIFT_MIN_DOCUMENTS: u64 = 2;

/// The lift of a value: its share of the result set over its share of the index,
/// `(documents / total_hits) / (documents_in_index / index_documents)`.
pub fn lift(documents: u64, total_hits: usize, everywhere: u64, corpus: u64) -> f64 {
    if total_hits == 0 || corpus == 0 {
        return 0.0;
    }
    let everywhere = everywhere.max(documents).max(1) as f64;
    (documents as f64 / total_hits as f64) / (everywhere / corpus as f64)
}

/// Sets every value's lift and significance, marks the queried entities, and with
/// [`FacetSort::Lift`] or [`FacetSort::Significance`] reorders each type's values by it;
/// keeps `top` values per type.
pub fn finish_facets(
    index: &PtIndex,
    facets: &mut Facets,
    total_hits: usize,
    queried: &std::collections::BTreeSet<EntityTarget>,
    sort: FacetSort,
    top: usize,
) -> Result<()> {
    let searcher = index.searcher()?;
    let corpus = searcher.num_docs();
    for f in facets.iter_mut() {
        for e in &mut f.top {
            let everywhere = doc_count(
                &searcher,
                index.fields.entity,
                &entity_term(Some(&f.entity_type), &e.id),
            )?;
            e.lift = Some(lift(e.documents, total_hits, everywhere, corpus));
            let (g, p) = g_test(e.documents, total_hits as u64, everywhere, corpus);
            e.significance = Some(g);
            e.p_value = Some(p);
            // Lookups (targets hold lower-case IDs and canonical types), not a scan: an
            // exploded vocabulary clause targets thousands of IDs.
            let id = e.id.to_lowercase();
            e.queried = [Some(f.entity_type.clone()), None]
                .into_iter()
                .any(|entity_type| {
                    queried.contains(&EntityTarget::Id {
                        entity_type,
                        id: id.clone(),
                    })
                });
        }
        if sort == FacetSort::Lift {
            f.top.sort_by(|a, b| {
                let evidence =
                    |x: &crate::search::facets::FacetEntity| x.documents >= LIFT_MIN_DOCUMENTS;
                evidence(b)
                    .cmp(&evidence(a))
                    .then(b.lift.unwrap_or(0.0).total_cmp(&a.lift.unwrap_or(0.0)))
                    .then(b.documents.cmp(&a.documents))
                    .then_with(|| a.id.cmp(&b.id))
            });
        }
        if sort == FacetSort::Significance {
            f.top.sort_by(|a, b| {
                b.significance
                    .unwrap_or(0.0)
                    .total_cmp(&a.significance.unwrap_or(0.0))
                    .then(b.documents.cmp(&a.documents))
                    .then_with(|| a.id.cmp(&b.id))
            });
        }
        f.top.truncate(top);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lift_is_the_ratio_of_shares() {
        // 5 of 10 hits against 50 of 1000 documents: 0.5 / 0.05.
        assert!((lift(5, 10, 50, 1000) - 10.0).abs() < 1e-9);
        assert_eq!(lift(1, 0, 1, 10), 0.0);
        // An entity everywhere has lift 1 in a result set that is the whole index.
        assert!((lift(10, 10, 10, 10) - 1.0).abs() < 1e-9);
    }
}
