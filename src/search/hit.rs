//! The read side's answer as data: a [`Hit`] (rank, score, the stored document, its highlight
//! spans and fragments) and a [`SearchResult`] (total, hits, facets, resolutions, warnings,
//! timing). Front ends render them (`output/`), serve them as JSON or convert them (Python);
//! their `serde` serialization is the JSON the CLI prints.

use crate::pubtator::ids::canonical_type;
use crate::pubtator::{Concept, Document};
use crate::search::facets::{Facets, MetaFacet};
use crate::search::highlight::{Fragment, HighlightSpan, Highlights, SpanKind};
use crate::search::query::Resolution;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

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

/// Groups the entity spans of a hit by (type, ID), most mentioned first (ties by ID).
pub fn found_entities(spans: &[HighlightSpan]) -> Vec<FoundEntity> {
    let mut by: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for s in spans.iter().filter(|s| s.kind == SpanKind::Entity) {
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

impl<'a> From<&'a Concept> for ConceptView<'a> {
    fn from(c: &'a Concept) -> Self {
        ConceptView {
            entity_type: canonical_type(&c.raw_type),
            subtype: &c.raw_type,
            ids: &c.ids,
            mentions: &c.mentions,
            resources: &c.resources,
        }
    }
}

/// One ranked hit with its stored document and why it matched.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank in the whole result set.
    pub rank: usize,
    /// Score (BM25 plus entity prominence; 0 when the order is not by relevance).
    pub score: f32,
    /// The stored document.
    pub document: Document,
    /// Highlight spans and best fragments (empty when not requested).
    pub highlights: Highlights,
}

/// A relation line of a hit that connects the queried entities it contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedRelation<'a> {
    /// The relation type as written.
    #[serde(rename = "type")]
    pub rel_type: &'a str,
    /// The two arguments as written.
    pub args: [&'a str; 2],
    /// BioRED's novelty column, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub novelty: Option<&'a str>,
}

impl Hit {
    /// The relation lines that connect the queried entities found in the hit: with two or more
    /// found, lines between two of them; with one, lines involving it. Why a relation query
    /// (or a query naming two entities) matched.
    pub fn matched_relations(&self) -> Vec<MatchedRelation<'_>> {
        self.relations_between(&self.entities())
    }

    /// [`Hit::matched_relations`] for the hit's found `entities` (computed once by the caller).
    fn relations_between(&self, entities: &[FoundEntity]) -> Vec<MatchedRelation<'_>> {
        let found: Vec<String> = entities
            .iter()
            .flat_map(|e| e.id.split(',').map(str::to_lowercase).collect::<Vec<_>>())
            .collect();
        if found.is_empty() {
            return Vec::new();
        }
        let queried = |arg: &str| {
            crate::pubtator::ids::split_ids(arg)
                .iter()
                .any(|id| found.contains(&id.to_lowercase()))
        };
        let need = if entities.len() >= 2 { 2 } else { 1 };
        let mut out: Vec<MatchedRelation<'_>> = Vec::new();
        for r in &self.document.relations {
            let n = r.args.iter().filter(|a| queried(a)).count();
            let m = MatchedRelation {
                rel_type: &r.rel_type,
                args: [&r.args[0], &r.args[1]],
                novelty: r.novelty.as_deref(),
            };
            if n >= need && !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// The document ID.
    pub fn id(&self) -> &str {
        &self.document.id
    }

    /// The queried entities found in the hit, most mentioned first.
    pub fn entities(&self) -> Vec<FoundEntity> {
        found_entities(&self.highlights.spans)
    }
}

/// The serialized shape of a hit (the `data` of the CLI's `{"type":"hit"}` lines).
#[derive(Serialize)]
struct HitView<'a> {
    id: &'a str,
    rank: usize,
    score: f32,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: String,
    fragments: &'a [Fragment],
    spans: &'a [HighlightSpan],
    entities: Vec<FoundEntity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<MatchedRelation<'a>>,
    #[serde(skip_serializing_if = "<[ConceptView]>::is_empty")]
    concepts: Vec<ConceptView<'a>>,
    #[serde(flatten)]
    meta: MetaView<'a>,
}

/// The metadata of a document in JSON outputs (hits, JSONL): each field only when known,
/// and the sources of its annotation layers.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView<'a> {
    /// Publication year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Journal abbreviation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<&'a str>,
    /// Authors as cited.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub authors: &'a [String],
    /// Publication types.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub pubtypes: &'a [String],
    /// DOI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<&'a str>,
    /// PubMed Central ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<&'a str>,
    /// Sources of the annotation layers, in layer order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<&'a str>,
}

impl<'a> From<&'a Document> for MetaView<'a> {
    fn from(doc: &'a Document) -> Self {
        let m = &doc.meta;
        MetaView {
            year: m.year,
            journal: m.journal.as_deref(),
            authors: &m.authors,
            pubtypes: &m.pubtypes,
            doi: m.doi.as_deref(),
            pmcid: m.pmcid.as_deref(),
            sources: {
                let mut names: Vec<&str> = doc.layers.iter().map(|l| l.source.as_str()).collect();
                names.sort_unstable();
                names.dedup();
                names
            },
        }
    }
}

impl Serialize for Hit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let doc = &self.document;
        let entities = self.entities();
        HitView {
            id: &doc.id,
            rank: self.rank,
            score: self.score,
            title: doc.title(),
            abstract_text: doc.body(),
            fragments: &self.highlights.fragments,
            spans: &self.highlights.spans,
            relations: self.relations_between(&entities),
            entities,
            concepts: doc.concepts.iter().map(ConceptView::from).collect(),
            meta: MetaView::from(doc),
        }
        .serialize(s)
    }
}

/// What a search found about the whole result set, without the hits.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The query as given.
    pub query: String,
    /// Every matching document.
    pub total_hits: usize,
    /// Hits returned.
    pub returned: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Search time in milliseconds (ranking, counting and facets; not loading or printing).
    pub elapsed_ms: f64,
    /// Facets, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Metadata facets (years, journals, publication types, sources), with the facets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_facets: Option<Vec<MetaFacet>>,
    /// How names in the query were resolved to IDs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolutions: Vec<Resolution>,
    /// Things the user should know about the query or the answer (e.g. why it is empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One page of a search: the summary and the loaded hits.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// Totals, facets, resolutions, warnings and timing.
    #[serde(flatten)]
    pub summary: Summary,
    /// The page of hits, best first.
    pub hits: Vec<Hit>,
}
