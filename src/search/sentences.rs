//! `sentences QUERY`: the sentences of the matching documents that hold the query's matches,
//! best first, shaped like LitSense 2.0's answers (`pmid`, `text`, `section`, `score`,
//! `annotations` as `start|length|type|ID` inside the sentence). The library answer behind the
//! CLI's `sentences`, HTTP `/api/v1/sentences` and Python `Index.sentences`.

use crate::error::Result;
use crate::index::PtIndex;
use crate::search::evidence::{Evidence, EvidenceSpan};
use crate::search::highlight::SpanKind;
use crate::search::{ranked, Order, SearchRequest};
use serde::Serialize;
use std::time::Instant;

/// Documents read for a page of sentences: the best `limit × DOCS_PER_SENTENCE` hits (at least
/// [`MIN_DOCS`]).
const DOCS_PER_SENTENCE: usize = 5;
/// The fewest documents read.
const MIN_DOCS: usize = 100;
/// Sentences taken from one document at most.
const PER_DOCUMENT: usize = 50;

/// One matching sentence.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceHit {
    /// 1-based rank among the sentences.
    pub rank: usize,
    /// The document's ID.
    pub pmid: String,
    /// Stable sentence ID: `PMID:passage:sentence`.
    pub id: String,
    /// The sentence.
    pub text: String,
    /// `TITLE`, `ABSTRACT`, or the passage's section type.
    pub section: String,
    /// The sentence's score: its matches (see `search::evidence`), plus the document's score
    /// divided by 1,000 to order equal sentences by their documents.
    pub score: f32,
    /// Passage index in the document.
    pub passage: u32,
    /// Sentence number inside the passage.
    pub sentence: u32,
    /// Start and end in chars of the passage.
    pub start: u32,
    /// End (exclusive) in chars of the passage.
    pub end: u32,
    /// The queried entities and words inside, as `start|length|type|ID` with offsets in chars
    /// of the sentence (`term` for a word, no ID).
    pub annotations: Vec<String>,
}

/// The answer: the sentences of one page and what was read.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceAnswer {
    /// The query.
    pub query: String,
    /// Documents that match the query.
    pub total_documents: usize,
    /// Documents read for sentences (the best ones).
    pub documents_read: usize,
    /// Sentences returned.
    pub returned: usize,
    /// Time taken, in milliseconds.
    pub elapsed_ms: f64,
    /// The sentences, best first.
    #[serde(skip)]
    pub sentences: Vec<SentenceHit>,
    /// Notes about the query.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The HTTP body of a sentence answer: `{"summary":…,"sentences":[…]}`.
#[derive(Serialize)]
pub struct SentenceBody<'a> {
    /// Everything but the sentences.
    pub summary: &'a SentenceAnswer,
    /// The sentences, best first.
    pub sentences: &'a [SentenceHit],
}

/// The best `limit` sentences for `query`.
pub fn sentences(index: &PtIndex, query: &str, limit: usize) -> Result<SentenceAnswer> {
    let started = Instant::now();
    let docs = limit.saturating_mul(DOCS_PER_SENTENCE).max(MIN_DOCS);
    let request = SearchRequest {
        query: query.to_string(),
        offset: 0,
        limit: Some(docs),
        facets: None,
        order: Order::Relevance,
        highlights: true,
    };
    let ranked = ranked(index, &request)?;
    let mut found: Vec<SentenceHit> = Vec::new();
    let mut read = 0;
    for hit in ranked.hits() {
        let hit = hit?;
        read += 1;
        let doc = &hit.document;
        let all = crate::search::evidence::evidence(
            doc,
            &hit.sentences,
            &hit.highlights.spans,
            PER_DOCUMENT,
        );
        for e in all {
            let section = section_name(&e);
            found.push(sentence_hit(&doc.id, e, section, hit.score));
        }
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    found.truncate(limit);
    for (i, s) in found.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    Ok(SentenceAnswer {
        query: query.to_string(),
        total_documents: ranked.summary.total_hits,
        documents_read: read,
        returned: found.len(),
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        sentences: found,
        warnings: ranked.summary.warnings.clone(),
    })
}

/// `TITLE` for the first passage, the section type when the source gave one, else
/// `ABSTRACT`.
fn section_name(e: &Evidence) -> String {
    match (&e.section, e.passage) {
        (Some(s), _) => s.to_uppercase(),
        (None, 0) => "TITLE".to_string(),
        (None, _) => "ABSTRACT".to_string(),
    }
}

fn sentence_hit(pmid: &str, e: Evidence, section: String, doc_score: f32) -> SentenceHit {
    let annotations = e
        .spans
        .iter()
        .map(|s: &EvidenceSpan| {
            let start = s.start.saturating_sub(e.start as usize);
            let len = s.end.saturating_sub(s.start);
            match s.kind {
                SpanKind::Entity => format!(
                    "{start}|{len}|{}|{}",
                    s.entity_type.as_deref().unwrap_or(""),
                    s.entity_id.as_deref().unwrap_or("")
                ),
                SpanKind::Term => format!("{start}|{len}|term|"),
            }
        })
        .collect();
    SentenceHit {
        rank: 0,
        pmid: pmid.to_string(),
        score: e.score + doc_score / 1000.0,
        id: e.id,
        text: e.text,
        section,
        passage: e.passage,
        sentence: e.sentence,
        start: e.start,
        end: e.end,
        annotations,
    }
}
