//! Printers, generic over any `io::Write` so tests capture output in a `Vec<u8>`: coloured or
//! plain text for people, JSON Lines in ripgrep's envelope for jq, TSV for spreadsheets, and
//! PubTator for round trips.

pub mod bioc;
pub mod json;
pub mod jsonl;
pub mod mark;
pub mod quickwit;
pub mod text;
pub mod tsv;

use serde::Serialize;

/// Output formats of `search` and `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable blocks.
    Text,
    /// JSON Lines: `{"type":"hit","data":...}` then `{"type":"summary","data":...}`.
    Json,
    /// Tab-separated values with a header.
    Tsv,
    /// PubTator documents.
    Pubtator,
}

/// A queried entity found in a hit, with how often it is mentioned.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FoundEntity {
    /// Canonical type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The annotation's IDs.
    pub id: String,
    /// Mentions of it in the document.
    pub mentions: usize,
    /// Its most frequent mention text in the document.
    pub text: String,
}

/// Groups the entity spans of a hit by (type, id).
/// A PubTator3 bulk concept in JSON outputs: canonical type, subtype as written, split IDs,
/// mentions and resources.
#[derive(Debug, Clone, Serialize)]
pub struct ConceptView<'a> {
    /// Canonical type.
    #[serde(rename = "type")]
    pub entity_type: &'a str,
    /// The type as written.
    pub subtype: &'a str,
    /// Normalized IDs (empty when unnormalized).
    pub ids: &'a [String],
    /// Distinct mention strings.
    pub mentions: &'a [String],
    /// Resources that found it.
    pub resources: &'a [String],
}

impl<'a> From<&'a crate::pubtator::Concept> for ConceptView<'a> {
    fn from(c: &'a crate::pubtator::Concept) -> Self {
        ConceptView {
            entity_type: crate::pubtator::ids::canonical_type(&c.raw_type),
            subtype: &c.raw_type,
            ids: &c.ids,
            mentions: &c.mentions,
            resources: &c.resources,
        }
    }
}

pub fn found_entities(spans: &[crate::search::highlight::HighlightSpan]) -> Vec<FoundEntity> {
    use std::collections::BTreeMap;
    let mut by: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for s in spans
        .iter()
        .filter(|s| s.kind == crate::search::highlight::SpanKind::Entity)
    {
        let key = (
            s.entity_type.clone().unwrap_or_default(),
            s.entity_id.clone().unwrap_or_default(),
        );
        *by.entry(key)
            .or_default()
            .entry(s.text.clone())
            .or_default() += 1;
    }
    let mut out: Vec<FoundEntity> = by
        .into_iter()
        .map(|((t, id), texts)| {
            let mentions = texts.values().sum();
            let text = texts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(t, _)| t.clone())
                .unwrap_or_default();
            FoundEntity {
                entity_type: t,
                id,
                mentions,
                text,
            }
        })
        .collect();
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.id.cmp(&b.id)));
    out
}
