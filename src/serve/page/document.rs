//! The document view at `/doc/{id}`: title and text with every annotation coloured (hover
//! shows type and ID), metadata, the annotation, relation and concept tables, and export links
//! for the document in PubTator, BioC XML and BioC JSON, and a "Similar articles" panel
//! (`search::similar`).
//!
//! Where it sits in the flow: the `/doc/{id}` handler (`mod.rs`) loads the stored document
//! with `index::find_document`; annotation offsets come from `search::highlight::entity_spans`
//! (display-field character offsets) and become marks through `marks.rs`.

use super::marks::{render, Mark};
use super::palette::type_class;
use super::params::encode;
use crate::pubtator::ids::{canonical_type, split_ids};
use crate::pubtator::{DisplayField, Document};
use crate::search::highlight::entity_spans;
use crate::search::ConceptView;
use maud::{html, Markup};
use std::collections::{BTreeSet, HashMap};

/// Single-document export formats offered (served by `/api/v1/documents/{id}`).
pub const DOCUMENT_FORMATS: [(&str, &str); 4] = [
    ("pubtator", "PubTator"),
    ("biocxml", "BioC XML"),
    ("biocjson", "BioC JSON"),
    ("json", "JSON"),
];

/// A related article: ID and title.
pub type Related = (String, String);

/// The document view's content; `similar` fills the "Similar articles" panel.
pub fn page(
    doc: &Document,
    back: Option<&str>,
    similar: &[Related],
    pubmed: Option<&str>,
) -> Markup {
    let spans = entity_spans(doc, &BTreeSet::new());
    let marks = |field: DisplayField| -> Vec<Mark> {
        spans
            .iter()
            .filter(|(s, _)| s.field == field)
            .map(|(s, _)| Mark {
                start: s.start,
                end: s.end,
                entity_type: Some(s.entity_type.clone().unwrap_or_default()),
                entity_id: s.entity_id.clone(),
                note: None,
            })
            .collect()
    };
    let body = doc.body();
    // Mention text per ID, to name relation arguments.
    let mut names: HashMap<String, String> = HashMap::new();
    for a in &doc.annotations {
        for id in split_ids(a.raw_id.as_deref().unwrap_or("")) {
            names.entry(id.to_lowercase()).or_insert(a.mention.clone());
        }
    }
    let name_of = |arg: &str| -> Option<String> {
        split_ids(arg)
            .iter()
            .find_map(|i| names.get(&i.to_lowercase()).cloned())
    };
    let id_path = encode(&doc.id).replace('+', "%20");
    html! {
        main #document data-id=(doc.id) {
            @if let Some(back) = back { p { a #back href=(back) { "‹ Back to results" } } }
            h1 #doc-title { @if doc.title().is_empty() { span.muted { "(no title)" } } @else { (render(doc.title(), &marks(DisplayField::Title))) } }
            div.meta.muted {
                "ID " (doc.id)
                @if let Some(url) = pubmed {
                    " · " a href=(url) rel="noopener noreferrer" target="_blank" { "PubMed" }
                }
                " · " (doc.passages.len()) " passages · " (doc.annotations.len()) " annotations · "
                (doc.relations.len()) " relations"
                @if let Some(c) = crate::output::text::citation(doc) { " · " span.citation { (c) } }
                @if !doc.layers.is_empty() {
                    " · sources: " span.sources { (crate::pubtator::layers::source_names(doc).join(", ")) }
                }
            }
            div #doc-export {
                span.muted { "Export: " }
                @for (i, (fmt, label)) in DOCUMENT_FORMATS.iter().enumerate() {
                    @if i > 0 { " · " }
                    a.export data-format=(fmt) href={ "/api/v1/documents/" (id_path) "?format=" (fmt) } { (label) }
                }
            }
            div #doc-text { (render(&body, &marks(DisplayField::Abstract))) }
            section #similar {
                h2 { "Similar articles" }
                @if similar.is_empty() { p.muted { "None found." } } @else {
                    ol {
                        @for (id, title) in similar {
                            li { a href={ "/doc/" (encode(id).replace('+', "%20")) } { (title) } " " span.muted { "(" (id) ")" } }
                        }
                    }
                }
            }
            h2 { "Annotations" }
            @if doc.annotations.is_empty() { p.muted { "None." } } @else {
                table #annotations {
                    thead { tr { th { "#" } th { "Type" } th { "ID" } th { "Mention" } th { "Offsets (file)" } th { "Placed" } th { "Source" } } }
                    tbody {
                        @let sources = crate::pubtator::layers::annotation_sources(doc);
                        @for (i, a) in doc.annotations.iter().enumerate() {
                            @let t = canonical_type(&a.raw_type);
                            tr {
                                td { (i + 1) }
                                td { span.(type_class(t)) title=(a.raw_type) { (t) } }
                                td { (a.raw_id.as_deref().unwrap_or("—")) }
                                td { (a.mention) }
                                td { (a.start) "–" (a.end) }
                                td { @if a.span.is_some() { "yes" } @else { span.muted { "no (offsets not found in text)" } } }
                                td { (sources.get(i).copied().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            h2 { "Relations" }
            @if doc.relations.is_empty() { p.muted { "None." } } @else {
                table #relations {
                    thead { tr { th { "Type" } th { "Argument 1" } th { "Argument 2" } th { "Novelty" } } }
                    tbody {
                        @for r in &doc.relations {
                            tr {
                                td { (r.rel_type) }
                                @for (k, arg) in r.args.iter().enumerate() {
                                    td {
                                        @if let Some(t) = r.arg_types.get(k) { span.(type_class(canonical_type(t))) { (t) } " " }
                                        (arg)
                                        @if let Some(n) = name_of(arg) { " " span.muted { "(" (n) ")" } }
                                    }
                                }
                                td { (r.novelty.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            @if !doc.concepts.is_empty() {
                h2 { "Concepts" }
                table #concepts {
                    thead { tr { th { "Type" } th { "IDs" } th { "Mentions" } th { "Resources" } } }
                    tbody {
                        @for c in &doc.concepts {
                            @let v = ConceptView::from(c);
                            tr {
                                td { span.(type_class(v.entity_type)) { (v.entity_type) } }
                                td { (v.ids.join(", ")) }
                                td { (v.mentions.join(", ")) }
                                td { (v.resources.join(", ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The page shown for an unknown ID.
pub fn not_found(id: &str) -> Markup {
    html! {
        main #document {
            h1 { "No such document" }
            p { "The index holds no document with ID " code { (id) } "." }
        }
    }
}
