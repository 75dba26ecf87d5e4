//! The read side's answer as data: a [`Hit`] (rank, score, the stored document, its highlight
//! spans and fragments) and a [`SearchResult`] (total, hits, facets, resolutions, warnings,
//! timing). Front ends render them (`output/`), serve them as JSON or convert them (Python);
//! their `serde` serialization is the JSON the CLI prints.

use crate::index::relterms::{relation_sides, side_forms};
use crate::pubtator::ids::{canonical_type, relation_key};
use crate::pubtator::{Concept, Document};
use crate::search::facets::{Facets, MetaFacet};
use crate::search::highlight::{Fragment, HighlightSpan, Highlights, SpanKind};
use crate::search::query::{RelationTarget, Resolution};
use serde::{Serialize, Serializer};
use std::collections::HashMap;

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
    // (type, ID, text) of every entity span, borrowed: sorted, the spans of one entity are
    // adjacent and, inside them, those of one text; only the answer's strings are allocated.
    let mut keys: Vec<(&str, &str, &str)> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Entity)
        .map(|s| {
            (
                s.entity_type.as_deref().unwrap_or_default(),
                s.entity_id.as_deref().unwrap_or_default(),
                s.text.as_str(),
            )
        })
        .collect();
    keys.sort_unstable();
    let mut out: Vec<FoundEntity> = keys
        .chunk_by(|a, b| a.0 == b.0 && a.1 == b.1)
        .map(|group| {
            // The most frequent text; texts ascend, so a strict `>` keeps the smallest on ties.
            let mut text: (&str, usize) = ("", 0);
            for run in group.chunk_by(|a, b| a.2 == b.2) {
                if run.len() > text.1 {
                    text = (run[0].2, run.len());
                }
            }
            FoundEntity {
                entity_type: group[0].0.to_string(),
                id: group[0].1.to_string(),
                mentions: group.len(),
                text: text.0.to_string(),
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
    /// The best sentences for the query, best first (empty without highlights).
    pub evidence: Vec<crate::search::evidence::Evidence>,
    /// The document's sentences (empty without highlights).
    pub sentences: crate::pubtator::sentences::Sentences,
    /// The query's positive `rel:` clauses (empty without highlights or without such a
    /// clause): when present, the matched relations are the lines that satisfy one of them.
    pub relation_targets: Vec<RelationTarget>,
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

impl MatchedRelation<'_> {
    /// A readable line: `Negative_Correlation: cisplatin (Chemical MESH:D002945) –
    /// nephrotoxicity (Disease MESH:D007674), novel`. Each argument is named by the mention the
    /// document uses for it (an argument no annotation names stays an ID); BioRED's novelty
    /// reads `novel` for `Novel` and nothing for `No` (a known relation, not a negation).
    pub fn describe(&self, doc: &Document) -> String {
        let arg = |a: &str| -> String {
            let ids = crate::pubtator::ids::split_ids(a);
            let named = doc.annotations.iter().find(|x| {
                crate::pubtator::ids::split_ids(x.raw_id.as_deref().unwrap_or(""))
                    .iter()
                    .any(|i| ids.iter().any(|j| i.eq_ignore_ascii_case(j)))
            });
            match named {
                Some(x) if !x.mention.trim().is_empty() => format!(
                    "{} ({} {})",
                    x.mention.trim(),
                    crate::pubtator::ids::canonical_type(&x.raw_type),
                    ids.join(",")
                ),
                _ => a.to_string(),
            }
        };
        let novelty = match self.novelty.map(str::trim) {
            Some(n) if n.eq_ignore_ascii_case("novel") => ", novel".to_string(),
            Some(n) if n.eq_ignore_ascii_case("no") || n.is_empty() => String::new(),
            Some(n) => format!(", {n}"),
            None => String::new(),
        };
        format!(
            "{}: {} – {}{novelty}",
            self.rel_type,
            arg(self.args[0]),
            arg(self.args[1])
        )
    }
}

impl Hit {
    /// Why a relation query (or a query naming two entities) matched: for a query with `rel:`
    /// clauses, the relation lines that satisfy one of them (type and both arguments, as the
    /// index's relation terms test them); otherwise the lines that connect the queried
    /// entities found in the hit: with two or more found, lines between two of them; with
    /// one, lines involving it.
    pub fn matched_relations(&self) -> Vec<MatchedRelation<'_>> {
        if !self.relation_targets.is_empty() {
            return self.relations_satisfying();
        }
        self.relations_between(&self.entities())
    }

    /// The relation lines that satisfy one of the query's `rel:` clauses, each once.
    fn relations_satisfying(&self) -> Vec<MatchedRelation<'_>> {
        let doc = &self.document;
        // Argument types as the index writes them: the canonical type of the ID's first
        // mention (`relation_sides` falls back to the type a bulk row names).
        let mut id_types: HashMap<String, &str> = HashMap::new();
        for a in &doc.annotations {
            let t = canonical_type(&a.raw_type);
            for id in crate::pubtator::ids::split_ids(a.raw_id.as_deref().unwrap_or("")) {
                id_types.entry(id.to_lowercase()).or_insert(t);
            }
        }
        let mut out: Vec<MatchedRelation<'_>> = Vec::new();
        let sides = relation_sides(doc, &id_types);
        for (r, (_, a, b)) in doc.relations.iter().zip(&sides) {
            let key = relation_key(&r.rel_type);
            let (fa, fb) = (side_forms(a), side_forms(b));
            if !self
                .relation_targets
                .iter()
                .any(|t| t.matches(&key, &fa, &fb))
            {
                continue;
            }
            let m = MatchedRelation {
                rel_type: &r.rel_type,
                args: [&r.args[0], &r.args[1]],
                novelty: r.novelty.as_deref(),
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// [`Hit::matched_relations`] for the hit's found `entities` (computed once by the caller).
    fn relations_between(&self, entities: &[FoundEntity]) -> Vec<MatchedRelation<'_>> {
        if !self.relation_targets.is_empty() {
            return self.relations_satisfying();
        }
        let found: Vec<String> = entities
            .iter()
            .flat_map(|e| e.id.split(',').map(str::to_lowercase).collect::<Vec<_>>())
            .collect();
        if found.is_empty() {
            return Vec::new();
        }
        // A document's relation lines repeat their arguments (the queried entity is often in
        // most of them): each distinct argument is split and compared once.
        let mut checked: Vec<(&str, bool)> = Vec::new();
        let mut queried = |arg| -> bool {
            if let Some(&(_, q)) = checked.iter().find(|(a, _)| *a == arg) {
                return q;
            }
            let q = crate::pubtator::ids::split_ids(arg)
                .iter()
                .any(|id| found.iter().any(|f| lowercase_is(id, f)));
            checked.push((arg, q));
            q
        };
        let need = if entities.len() >= 2 { 2 } else { 1 };
        let mut out: Vec<MatchedRelation<'_>> = Vec::new();
        for r in &self.document.relations {
            let n = r.args.iter().filter(|a| queried(a.as_str())).count();
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

/// `id.to_lowercase() == lower`, without allocating for an ASCII `id`.
fn lowercase_is(id: &str, lower: &str) -> bool {
    if id.is_ascii() {
        id.len() == lower.len()
            && id
                .bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        id.to_lowercase() == lower
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
    evidence: &'a [crate::search::evidence::Evidence],
    entities: Vec<FoundEntity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<MatchedRelation<'a>>,
    #[serde(skip_serializing_if = "<[ConceptView]>::is_empty")]
    concepts: Vec<ConceptView<'a>>,
    // The fields of `MetaView`, inline rather than `#[serde(flatten)]`: a flattened struct
    // turns the whole hit into a map of string keys, a slower path for every serializer.
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    journal: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pubtypes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pmcid: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<&'a str>,
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
        let meta = MetaView::from(doc);
        HitView {
            id: &doc.id,
            rank: self.rank,
            score: self.score,
            title: doc.title(),
            abstract_text: doc.body(),
            fragments: &self.highlights.fragments,
            spans: &self.highlights.spans,
            evidence: &self.evidence,
            relations: self.relations_between(&entities),
            entities,
            concepts: doc.concepts.iter().map(ConceptView::from).collect(),
            year: meta.year,
            journal: meta.journal,
            authors: meta.authors,
            pubtypes: meta.pubtypes,
            doi: meta.doi,
            pmcid: meta.pmcid,
            sources: meta.sources,
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
    /// Tree facets (`facet_level`): Disease and Chemical IDs counted at their MeSH
    /// ancestors of one depth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree_facets: Option<Vec<crate::search::tree::TreeFacet>>,
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
