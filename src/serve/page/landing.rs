//! The start page (`/` without a query): what the index holds — documents, annotations per
//! type, relations, the sources (annotation layers) with their documents — and example queries
//! built from this index (the entity with the most documents of each of the most annotated
//! types), each with the number of documents it finds.

use super::params::View;
use crate::error::Result;
use crate::index::stats::index_stats;
use crate::index::terms::{scan_prefix, DEFAULT_SCAN_LIMIT};
use crate::search::dictionary::{display_name, mention_forms};
use crate::PtIndex;
use maud::{html, Markup};

/// Example queries shown.
const EXAMPLES: usize = 3;

/// Sources listed by name (the rest are counted).
const SOURCES_SHOWN: usize = 12;

/// Types whose most used entity makes a good example (their IDs are short and paste-ready).
const EXAMPLE_TYPES: [&str; 5] = ["Gene", "Disease", "Chemical", "Species", "CellLine"];

/// One example query.
#[derive(Debug, Clone)]
pub struct Example {
    /// The query (`gene:673`).
    pub query: String,
    /// The entity's display name.
    pub name: Option<String>,
    /// Documents it finds.
    pub documents: u64,
}

/// What the start page says about the index.
#[derive(Debug, Clone, Default)]
pub struct Holdings {
    /// Live documents.
    pub documents: u64,
    /// Annotations per type, most first.
    pub annotations: Vec<(String, u64)>,
    /// Relation lines in all.
    pub relations: u64,
    /// Sources (annotation layers) with their documents, most first.
    pub sources: Vec<(String, u64)>,
    /// Example queries that find documents in this index.
    pub examples: Vec<Example>,
}

/// Reads the holdings of `index`.
pub fn holdings(index: &PtIndex) -> Result<Holdings> {
    let stats = index_stats(index)?;
    let mut annotations: Vec<(String, u64)> = stats.annotations.into_iter().collect();
    annotations.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut sources: Vec<(String, u64)> = stats
        .per_source
        .into_iter()
        .map(|(name, c)| (name, c.documents))
        .collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let searcher = index.searcher()?;
    let mut examples = Vec::new();
    for (t, _) in annotations
        .iter()
        .filter(|(t, _)| EXAMPLE_TYPES.contains(&t.as_str()))
    {
        if examples.len() == EXAMPLES {
            break;
        }
        let prefix = format!("{}:", t.to_lowercase());
        let terms = scan_prefix(
            &searcher,
            index.fields.entity,
            prefix.as_bytes(),
            DEFAULT_SCAN_LIMIT,
            false,
        )?;
        let best = terms
            .into_iter()
            .filter_map(|(k, c)| Some((String::from_utf8(k).ok()?, c.docs)))
            .filter_map(|(k, docs)| Some((k.get(prefix.len()..)?.to_string(), docs)))
            .filter(|(id, _)| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '.' | '-'))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
        let Some((lower, documents)) = best else {
            continue;
        };
        // The ID in the dictionary's case (`MESH:D009369`), when it has mentions.
        let upper = lower.to_uppercase();
        let id = if mention_forms(&searcher, &index.fields, t, &upper, 1)?.is_empty() {
            lower
        } else {
            upper
        };
        examples.push(Example {
            query: crate::search::query::clause(t, &id),
            name: display_name(&searcher, &index.fields, t, &id)?,
            documents,
        });
    }
    Ok(Holdings {
        documents: stats.documents,
        annotations,
        relations: stats.relations.values().sum(),
        sources,
        examples,
    })
}

/// The start page.
pub fn start(view: &View, h: &Holdings) -> Markup {
    html! {
        main #start {
            p { "Search titles, abstracts and annotated entities of your local index." }
            section #holdings {
                p {
                    "This index holds " strong #documents { (h.documents) } " documents"
                    @if h.relations > 0 { ", " (h.relations) " relations" }
                    "."
                }
                @if !h.annotations.is_empty() {
                    p #annotation-types {
                        "Annotations: "
                        @for (i, (t, n)) in h.annotations.iter().enumerate() {
                            @if i > 0 { ", " }
                            span.annotation-type data-type=(t) data-count=(n) { (t) " " (n) }
                        }
                    }
                }
                @if !h.sources.is_empty() {
                    p #sources {
                        "Sources: "
                        @for (i, (name, n)) in h.sources.iter().take(SOURCES_SHOWN).enumerate() {
                            @if i > 0 { ", " }
                            span.source data-source=(name) { (name) " (" (n) " docs)" }
                        }
                        @if h.sources.len() > SOURCES_SHOWN {
                            " and " (h.sources.len() - SOURCES_SHOWN) " more"
                        }
                    }
                }
            }
            @if !h.examples.is_empty() {
                p #examples {
                    "Try: "
                    @for (i, ex) in h.examples.iter().enumerate() {
                        @if i > 0 { ", " }
                        a.example href=(view.with_query(ex.query.clone()).href()) data-documents=(ex.documents) { code { (ex.query) } }
                        @if let Some(n) = &ex.name { " " span.muted { "(" (n) ", " (ex.documents) " docs)" } }
                        @else { " " span.muted { "(" (ex.documents) " docs)" } }
                    }
                }
            }
            p { a #watches-link href="/watches" { "Watches" } ": saved queries and what is new for them." }
        }
    }
}
