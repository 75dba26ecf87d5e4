//! Facet panels and filter chips: documents per entity type and the top entities of each type
//! (count or lift order), each a link that adds its `type:ID` clause to the query; the active
//! clauses shown as chips that remove them.
//!
//! Where it sits in the flow: the results handler (`mod.rs`) asks the search for facets and,
//! for `fsort=lift`, computes each value's lift with [`lifts`]; `results.rs` places the panels
//! beside the hits and the chips above them. All links come from `params.rs`.

use super::palette::type_class;
use super::params::{chips, clause, with_clause, Chip, FacetSort, View};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::index::terms::doc_count;
use crate::search::facets::{FacetEntity, TypeFacet};
use crate::PtIndex;
use maud::{html, Markup};
use std::collections::HashMap;

/// Values shown per type.
pub const SHOWN: usize = 10;
/// Values counted per type when ordering by lift (the lift order re-ranks these).
pub const LIFT_CANDIDATES: usize = 30;

/// Lift per `(type, ID)`: the share of the result set annotated with the entity over its share
/// of the whole index (above 1: over-represented in the results).
pub type Lifts = HashMap<(String, String), f64>;

/// Computes the lift of every facet value (one document-frequency lookup each).
pub fn lifts(index: &PtIndex, facets: &[TypeFacet], total_hits: usize) -> Result<Lifts> {
    let searcher = index.searcher()?;
    let corpus = searcher.num_docs() as f64;
    let mut out = Lifts::new();
    if total_hits == 0 || corpus == 0.0 {
        return Ok(out);
    }
    for f in facets {
        for e in &f.top {
            let everywhere = doc_count(
                &searcher,
                index.fields.entity,
                &entity_term(Some(&f.entity_type), &e.id),
            )?
            .max(e.documents)
            .max(1) as f64;
            let lift = (e.documents as f64 / total_hits as f64) / (everywhere / corpus);
            out.insert((f.entity_type.clone(), e.id.clone()), lift);
        }
    }
    Ok(out)
}

/// The values of a type facet in display order, at most [`SHOWN`].
fn ordered<'a>(f: &'a TypeFacet, sort: FacetSort, lifts: &Lifts) -> Vec<(&'a FacetEntity, f64)> {
    let lift = |e: &FacetEntity| {
        lifts
            .get(&(f.entity_type.clone(), e.id.clone()))
            .copied()
            .unwrap_or(0.0)
    };
    let mut values: Vec<(&FacetEntity, f64)> = f.top.iter().map(|e| (e, lift(e))).collect();
    if sort == FacetSort::Lift {
        values.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.0.documents.cmp(&a.0.documents))
                .then_with(|| a.0.id.cmp(&b.0.id))
        });
    }
    values.truncate(SHOWN);
    values
}

/// The facet sidebar.
pub fn panels(view: &View, facets: &[TypeFacet], lifts: &Lifts) -> Markup {
    let active = chips(&view.q);
    let sort_link = |s: FacetSort| {
        View {
            fsort: s,
            ..view.clone()
        }
        .href()
    };
    html! {
        aside #facets aria-label="Facets" {
            div.fsort {
                "Order: "
                @if view.fsort == FacetSort::Count { strong { "count" } }
                @else { a href=(sort_link(FacetSort::Count)) { "count" } }
                " · "
                @if view.fsort == FacetSort::Lift { strong { "lift" } }
                @else { a href=(sort_link(FacetSort::Lift)) title="Over-representation in these results against the whole index" { "lift" } }
            }
            @for f in facets.iter().filter(|f| f.documents > 0) {
                section.facet data-type=(f.entity_type) {
                    h3 {
                        span.swatch.(type_class(&f.entity_type)) { (f.entity_type) }
                        " " span.muted.count { (f.documents) " docs" }
                    }
                    ul {
                        @for (e, lift) in ordered(f, view.fsort, lifts) {
                            (value(view, &active, &f.entity_type, e, lift))
                        }
                    }
                }
            }
            // Years (histogram), journals and sources: the index does not store document
            // metadata yet (issue 12); their panels go here once hits carry those fields.
            section.facet.pending data-pending="metadata" {
                h3.muted { "Years · Journals · Sources" }
                p.muted { "Shown when the index stores document metadata." }
            }
        }
    }
}

/// One facet value: a link adding its clause, or removing it when already active.
fn value(view: &View, active: &[Chip], entity_type: &str, e: &FacetEntity, lift: f64) -> Markup {
    let c = clause(entity_type, &e.id);
    let chip = active.iter().find(|ch| ch.text == c);
    let href = match chip {
        Some(ch) => view.with_query(ch.without.clone()).href(),
        None => view.with_query(with_clause(&view.q, &c)).href(),
    };
    let name = e.mention.as_deref().unwrap_or(&e.id);
    let hint = match chip {
        Some(_) => format!("{entity_type} {} (click to remove)", e.id),
        None => format!("{entity_type} {}", e.id),
    };
    html! {
        li {
            a.fv.active[chip.is_some()] href=(href) data-clause=(c) title=(hint) {
                span.name { (name) }
                " " span.muted.id { (e.id) }
            }
            " " span.muted.count { (e.documents) }
            @if view.fsort == FacetSort::Lift { " " span.muted.lift title="lift" { "×" (format!("{lift:.1}")) } }
        }
    }
}

/// The active filters above the hits, each removable.
pub fn chip_bar(view: &View, names: &HashMap<(String, String), String>) -> Markup {
    let active = chips(&view.q);
    html! {
        @if !active.is_empty() {
            div #chips aria-label="Active filters" {
                span.muted { "Filters: " }
                @for ch in &active {
                    @let name = names.get(&(ch.entity_type.to_string(), ch.id.clone()));
                    a.chip.(type_class(ch.entity_type)) href=(view.with_query(ch.without.clone()).href())
                        data-clause=(ch.text) title={ "Remove " (ch.text) } {
                        (ch.entity_type) ": "
                        @if let Some(n) = name { (n) " (" (ch.id) ")" } @else { (ch.id) }
                        span.x aria-hidden="true" { " ×" }
                    }
                }
            }
        }
    }
}
