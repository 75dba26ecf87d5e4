//! Facet panels and filter chips: documents per entity type and the top entities of each type
//! (count, lift or significance order), each a link that adds its `type:ID` clause to the query; the active
//! clauses shown as chips that remove them.
//!
//! Where it sits in the flow: the results handler (`mod.rs`) asks the search for facets in the
//! page's order (the library computes lifts, [`crate::search::lift`]); `results.rs` places the
//! panels beside the hits and the chips above them. All links come from `params.rs`.

use super::palette::type_class;
use super::params::{chips, clause, with_clause, Chip, FacetScope, FacetSort, View};
use crate::search::facets::{FacetEntity, MetaFacet, TypeFacet};
use crate::search::tree::TreeFacet;
use maud::{html, Markup};
use std::collections::HashMap;

/// Values shown per type.
pub const SHOWN: usize = 10;
/// The facet sidebar.
pub fn panels(
    view: &View,
    facets: &[TypeFacet],
    meta: &[MetaFacet],
    tree: Option<&[TreeFacet]>,
) -> Markup {
    let active = chips(&view.q);
    let sort_link = |s: FacetSort| {
        View {
            fsort: s,
            ..view.clone()
        }
        .href()
    };
    let scope_link = |s: FacetScope| {
        View {
            fscope: s,
            ..view.clone()
        }
        .href()
    };
    html! {
        aside #facets aria-label="Facets" {
            div.fscope {
                "Count: "
                @if view.fscope == FacetScope::Document { strong { "documents" } }
                @else { a href=(scope_link(FacetScope::Document)) { "documents" } }
                " · "
                @if view.fscope == FacetScope::Sentence { strong { "same sentence" } }
                @else { a href=(scope_link(FacetScope::Sentence)) title="Entities mentioned in a sentence with a queried entity" { "same sentence" } }
            }
            div.fsort {
                "Order: "
                @if view.fsort == FacetSort::Count { strong { "count" } }
                @else { a href=(sort_link(FacetSort::Count)) { "count" } }
                " · "
                @if view.fsort == FacetSort::Lift { strong { "lift" } }
                @else { a href=(sort_link(FacetSort::Lift)) title="Over-representation in these results against the whole index" { "lift" } }
                " · "
                @if view.fsort == FacetSort::Significance { strong { "significance" } }
                @else { a href=(sort_link(FacetSort::Significance)) title="Log-likelihood ratio (G-test) against the rest of the index" { "significance" } }
            }
            (tree_panel(view, tree))
            @for f in facets.iter().filter(|f| f.documents > 0) {
                section.facet data-type=(f.entity_type) {
                    h3 {
                        span.swatch.(type_class(&f.entity_type)) { (f.entity_type) }
                        " " span.muted.count { (f.documents) " docs" }
                    }
                    ul {
                        @for e in f.top.iter().take(SHOWN) {
                            (value(view, &active, &f.entity_type, e))
                        }
                    }
                }
            }
            @for m in meta.iter().filter(|m| !m.values.is_empty()) {
                (meta_panel(view, m))
            }
        }
    }
}

/// One facet value: a link adding its clause, or removing it when already active.
fn value(view: &View, active: &[Chip], entity_type: &str, e: &FacetEntity) -> Markup {
    let c = clause(entity_type, &e.id);
    let chip = active.iter().find(|ch| ch.text == c);
    let href = match chip {
        Some(ch) => view.with_query(ch.without.clone()).href(),
        None => view.with_query(with_clause(&view.q, &c)).href(),
    };
    let name = e.label().unwrap_or(&e.id);
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
            @if view.fsort == FacetSort::Lift {
                " " span.muted.lift title="lift" { "×" (format!("{:.1}", e.lift.unwrap_or(0.0))) }
            }
            @if view.fsort == FacetSort::Significance {
                " " span.muted.sig title=(format!("G-test p = {:.2e}", e.p_value.unwrap_or(1.0))) { "G " (format!("{:.0}", e.significance.unwrap_or(0.0))) }
            }
        }
    }
}

/// The MeSH tree panel: links to show the Disease and Chemical facets at a tree level, and
/// at that level each ancestor as a link that narrows the query to it (its clause explodes)
/// and shows the next level: a walk down the tree.
fn tree_panel(view: &View, tree: Option<&[TreeFacet]>) -> Markup {
    let at = |level: Option<usize>| {
        View {
            level,
            ..view.clone()
        }
        .href()
    };
    html! {
        div.ftree {
            "MeSH tree: "
            @if view.level.is_none() { strong { "off" } } @else { a href=(at(None)) { "off" } }
            @for l in 1..=3usize {
                " · "
                @if view.level == Some(l) { strong { (l) } } @else { a href=(at(Some(l))) { (l) } }
            }
        }
        @for f in tree.unwrap_or_default() {
            section.facet.tree data-type=(f.entity_type) {
                h3 {
                    span.swatch.(type_class(&f.entity_type)) { (f.entity_type) }
                    " " span.muted { "tree level " (f.level) }
                }
                ul {
                    @for v in f.values.iter().take(SHOWN) {
                        @let down = View {
                            level: Some((f.level + 1).min(crate::search::tree::MAX_FACET_LEVEL)),
                            ..view.with_query(with_clause(&view.q, &v.clause))
                        };
                        li {
                            a.fv href=(down.href()) data-clause=(v.clause) title={ (v.clause) " (narrower included)" } {
                                span.name { (v.name) }
                                " " span.muted.id { (v.id) }
                            }
                            " " span.muted.count { (v.documents) }
                        }
                    }
                }
            }
        }
    }
}

/// A metadata panel (years as a histogram, journals, publication types, sources): each value
/// a link adding its clause (`year:2018`, `journal:"…"`, `source:…`).
fn meta_panel(view: &View, m: &MetaFacet) -> Markup {
    let title = match m.field.as_str() {
        "year" => "Years",
        "journal" => "Journals",
        "pubtype" => "Publication types",
        "source" => "Sources",
        other => other,
    };
    let max = m.values.iter().map(|v| v.1).max().unwrap_or(1).max(1);
    html! {
        section.facet.meta data-field=(m.field) {
            h3 { (title) " " span.muted.count { (m.documents) " docs" } }
            ul {
                @for (v, n) in m.values.iter().take(SHOWN) {
                    @let c = clause(&m.field, v);
                    li {
                        a.fv href=(view.with_query(with_clause(&view.q, &c)).href()) data-clause=(c) { (v) }
                        " " span.muted.count { (n) }
                        @if m.field == "year" {
                            // A text bar: the page's CSP allows no inline styles.
                            " " span.bar aria-hidden="true" { ("█".repeat(((n * 12).div_ceil(max)) as usize)) }
                        }
                    }
                }
            }
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
