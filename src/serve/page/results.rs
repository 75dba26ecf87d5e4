//! The results view of `/?q=…`: summary line, resolutions and warnings, filter chips, the
//! ranked hits with highlighted fragments, pagination, result-set export links and the facet
//! sidebar (the sidebar and export links only when something matched).
//!
//! Where it sits in the flow: the `/` handler (`mod.rs`) runs `search::search` for the
//! [`View`] and hands the [`SearchResult`] here; highlight spans become marks through
//! `marks.rs`, facets through `facets.rs`, and `layout.rs` wraps the whole.

use super::facets::{chip_bar, panels};
use super::marks::{render, Mark};
use super::palette::type_class;
use super::params::{encode, View, MAX_OFFSET};
use crate::index::commit::LocalIds;
use crate::pubtator::{DisplayField, Document};
use crate::search::highlight::{HighlightSpan, SpanKind};
use crate::search::{Hit, SearchResult};
use maud::{html, Markup};
use std::collections::HashMap;

/// Result-set export formats offered (every hit, streamed by `/api/v1/export`).
pub const EXPORT_FORMATS: [(&str, &str); 4] = [
    ("pubtator", "PubTator"),
    ("biocxml", "BioC XML"),
    ("biocjson", "BioC JSON"),
    ("jsonl", "JSONL"),
];

fn to_mark(s: &HighlightSpan, shift: usize) -> Mark {
    Mark {
        start: s.start.saturating_sub(shift),
        end: s.end.saturating_sub(shift),
        entity_type: match s.kind {
            SpanKind::Entity => Some(s.entity_type.clone().unwrap_or_default()),
            SpanKind::Term => None,
        },
        entity_id: s.entity_id.clone(),
        note: None,
    }
}

/// The display names of entities seen in this page's hits, for chips: `(type, ID) → mention`.
pub fn entity_names(result: &SearchResult) -> HashMap<(String, String), String> {
    let mut names = HashMap::new();
    for f in result.summary.facets.iter().flatten() {
        for e in &f.top {
            if let Some(m) = e.label() {
                names.insert((f.entity_type.clone(), e.id.clone()), m.to_string());
            }
        }
    }
    for hit in &result.hits {
        for e in hit.entities() {
            names
                .entry((e.entity_type.clone(), e.id.clone()))
                .or_insert(e.text.clone());
        }
    }
    names
}

/// The results page's content.
pub fn page(view: &View, result: &SearchResult, local: &LocalIds) -> Markup {
    let s = &result.summary;
    let names = entity_names(result);
    let first = s.offset + 1;
    let last = s.offset + s.returned;
    html! {
        div #layout {
            // With no hit there is nothing to count, order or export.
            @if let Some(facets) = s.facets.as_ref().filter(|_| s.total_hits > 0) {
                (panels(view, facets, s.metadata_facets.as_deref().unwrap_or_default(), s.tree_facets.as_deref()))
            }
            main #results {
                p #summary {
                    strong #total { (s.total_hits) } (if s.total_hits == 1 { " hit" } else { " hits" })
                    @if s.returned > 0 { " · showing " (first) "–" (last) }
                    " · " span #elapsed { (format!("{:.1}", s.elapsed_ms)) } " ms"
                }
                @for r in &s.resolutions {
                    p.resolution.muted {
                        code { (r.input) } " → "
                        @if let Some(x) = &r.expansion {
                            span.expansion { "expanded: " (x) }
                        } @else {
                            @if r.resolved.is_empty() { "no entity of that name" }
                            @for (i, e) in r.resolved.iter().enumerate() {
                                @if i > 0 { ", " }
                                span.(type_class(&e.entity_type)) { (e.entity_type) " " (e.id) }
                                " (" (e.documents) " docs)"
                            }
                        }
                    }
                }
                @for w in &s.warnings { p.warning { (w) } }
                (chip_bar(view, &names))
                @if result.hits.is_empty() && s.total_hits == 0 {
                    p #nohits { "No document matches." }
                }
                ol #hits start=(first) {
                    @for hit in &result.hits { (hit_item(view, hit, local)) }
                }
                (pagination(view, s.total_hits))
                @if s.total_hits > 0 { (export_links(view)) }
            }
        }
    }
}

/// `Journal · year` of a hit and its sources, where known (escaped by maud).
fn metadata_line(doc: &Document) -> Option<Markup> {
    let citation = crate::output::text::citation(doc);
    let sources = crate::pubtator::layers::source_names(doc);
    if citation.is_none() && sources.is_empty() {
        return None;
    }
    Some(html! {
        @if let Some(c) = citation { span.citation { (c) } }
        @if !sources.is_empty() {
            @if doc.meta.journal.is_some() || doc.meta.year.is_some() { " · " }
            span.sources title="sources of the annotations" { (sources.join(", ")) }
        }
    })
}

/// The URL of a document's view.
pub fn doc_href(id: &str) -> String {
    format!("/doc/{}", encode(id).replace('+', "%20"))
}

fn hit_item(view: &View, hit: &Hit, local: &LocalIds) -> Markup {
    let doc = &hit.document;
    let spans = &hit.highlights.spans;
    let title_marks: Vec<Mark> = spans
        .iter()
        .filter(|s| s.field == DisplayField::Title)
        .map(|s| to_mark(s, 0))
        .collect();
    let found = hit.entities();
    let body_chars = doc.body().chars().count();
    html! {
        li.hit data-id=(doc.id) {
            h2.title {
                a href={ (doc_href(&doc.id)) "?from=" (encode(&view.href())) } {
                    @if doc.title().is_empty() { span.muted { "(no title)" } }
                    @else { (render(doc.title(), &title_marks)) }
                }
            }
            div.meta.muted {
                @if let Some(m) = metadata_line(doc) { (m) " · " }
                "ID " (doc.id)
                @if let Some(url) = local.pubmed_url(doc) {
                    " · " a href=(url) rel="noopener noreferrer" target="_blank" { "PubMed" }
                }
                " · score " (format!("{:.2}", hit.score))
            }
            @for f in &hit.highlights.fragments {
                @let marks: Vec<Mark> = spans
                    .iter()
                    .filter(|s| s.field == DisplayField::Abstract && s.start >= f.start && s.end <= f.end)
                    .map(|s| to_mark(s, f.start))
                    .collect();
                p.fragment {
                    @if f.start > 0 { "… " }
                    (render(&f.text, &marks))
                    @if f.end < body_chars { " …" }
                }
            }
            (evidence(hit))
            @if !found.is_empty() {
                div.found {
                    @for e in &found {
                        span.entity.(type_class(&e.entity_type)) title={ (e.entity_type) " " (e.id) } {
                            (e.text) " " span.n { "×" (e.mentions) }
                        }
                        " "
                    }
                }
            }
            (matched_relations(hit))
        }
    }
}

/// The hit's evidence sentences (the sentences holding the most query matches), each with
/// its matches marked and its `PMID:passage:sentence` ID.
fn evidence(hit: &Hit) -> Markup {
    html! {
        @if !hit.evidence.is_empty() {
            div.evidence {
                @for e in &hit.evidence {
                    @let marks: Vec<Mark> = e
                        .spans
                        .iter()
                        .map(|s| Mark {
                            start: s.start.saturating_sub(e.start as usize),
                            end: s.end.saturating_sub(e.start as usize),
                            entity_type: match s.kind {
                                SpanKind::Entity => Some(s.entity_type.clone().unwrap_or_default()),
                                SpanKind::Term => None,
                            },
                            entity_id: s.entity_id.clone(),
                            note: None,
                        })
                        .collect();
                    p.sentence title={ "sentence " (e.id) } {
                        span.muted { "Evidence: " }
                        (render(&e.text, &marks))
                    }
                }
            }
        }
    }
}

/// The relation lines that matched (the library's answer, as on the CLI), readable.
fn matched_relations(hit: &Hit) -> Markup {
    let matched = hit.matched_relations();
    html! {
        @if !matched.is_empty() {
            div.relations {
                span.muted { "Relations: " }
                @for (i, r) in matched.iter().take(5).enumerate() {
                    @if i > 0 { "; " }
                    span.relation { (r.describe(&hit.document)) }
                }
                @if matched.len() > 5 { span.muted { " … " (matched.len() - 5) " more" } }
            }
        }
    }
}

fn pagination(view: &View, total: usize) -> Markup {
    let reachable = total.min(MAX_OFFSET + view.per);
    let pages = reachable.div_ceil(view.per).max(1);
    let p = view.page;
    let window: Vec<usize> = (p.saturating_sub(2).max(1)..=(p + 2).min(pages)).collect();
    html! {
        @if pages > 1 {
            nav #pages aria-label="Pages" {
                @if p > 1 { a rel="prev" href=(view.with_page(p - 1).href()) { "‹ Previous" } }
                @if window.first().is_some_and(|w| *w > 1) {
                    a href=(view.with_page(1).href()) { "1" } span.muted { "…" }
                }
                @for w in &window {
                    @if *w == p { strong aria-current="page" { (w) } }
                    @else { a href=(view.with_page(*w).href()) { (w) } }
                }
                @if window.last().is_some_and(|w| *w < pages) {
                    span.muted { "…" } a href=(view.with_page(pages).href()) { (pages) }
                }
                @if p < pages { a rel="next" href=(view.with_page(p + 1).href()) { "Next ›" } }
            }
        }
    }
}

fn export_links(view: &View) -> Markup {
    html! {
        div #export {
            a #to-network href=(super::network::href(&view.q, Default::default(), Default::default())) { "Network of these hits" }
            " · "
            span.muted { "Export every hit: " }
            @for (i, (fmt, label)) in EXPORT_FORMATS.iter().enumerate() {
                @if i > 0 { " · " }
                a href={ "/api/v1/export?q=" (encode(&view.q)) "&format=" (fmt) } download { (label) }
            }
        }
    }
}
