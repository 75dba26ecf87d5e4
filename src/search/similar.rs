//! Related articles ("Similar articles", after PubMed's pmra): one document's own words and
//! entities become a weighted query. Title terms count twice, abstract terms once, entity IDs
//! (the `entity` terms, standing in for MeSH) twice; each term's weight in the query
//! grows with its frequency in the document (1 + ln tf), BM25 weighs it by its rarity in the
//! index (idf), and only the most telling terms are kept (highest boost × tf × idf). The
//! document itself is excluded. The answer is a [`SearchResult`], so every printer and door
//! renders it like a search.

use crate::error::Result;
use crate::index::document::to_tantivy;
use crate::index::tokenizer::index_tokens;
use crate::index::tokenizer::positioned;
use crate::index::{find_in, PtIndex};
use crate::search::collect::RankedCollector;
use crate::search::highlight::{highlight, Highlights};
use crate::search::hit::{Hit, SearchResult, Summary};
use crate::search::query::{CompiledQuery, EntityTarget};
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Searcher, Term};

/// Weight of a title term.
const TITLE_WEIGHT: f32 = 2.0;
/// Weight of an abstract term.
const ABSTRACT_WEIGHT: f32 = 1.0;
/// Weight of an entity ID.
const ENTITY_WEIGHT: f32 = 2.0;
/// Most text terms in the query.
const TEXT_TERMS: usize = 25;
/// Most entity terms in the query.
const ENTITY_TERMS: usize = 20;
/// Shortest text term kept (in bytes).
const MIN_TERM_BYTES: usize = 3;

/// One candidate term of the query.
struct Candidate {
    field: Field,
    text: String,
    weight: f32,
    tf: u32,
    /// boost × tf × idf: how telling the term is.
    rank: f32,
}

/// The documents most like document `id`, best first: `None` when the index has no such
/// document.
pub fn similar(index: &PtIndex, id: &str, limit: usize) -> Result<Option<SearchResult>> {
    let started = Instant::now();
    let searcher = index.searcher()?;
    let Some(doc) = find_in(&searcher, &index.fields, id)? else {
        return Ok(None);
    };
    let fields = &index.fields;
    let mut counts: HashMap<(Field, String), (f32, u32)> = HashMap::new();
    let mut count = |field: Field, text: &str, weight: f32| {
        counts
            .entry((field, text.to_string()))
            .or_insert((weight, 0))
            .1 += 1;
    };
    for (_, _, t) in index_tokens(doc.title()) {
        if t.len() >= MIN_TERM_BYTES && !t.bytes().all(|b| b.is_ascii_digit()) {
            count(fields.title, &t, TITLE_WEIGHT);
        }
    }
    for p in doc.passages.iter().skip(1) {
        for (_, _, t) in index_tokens(&p.text) {
            if t.len() >= MIN_TERM_BYTES && !t.bytes().all(|b| b.is_ascii_digit()) {
                count(fields.abstract_text, &t, ABSTRACT_WEIGHT);
            }
        }
    }
    let td = to_tantivy(fields, &doc);
    // `entity` holds one value of the positioned tokenizer (each term at its sentence).
    for v in td.get_all(fields.entity) {
        for (_, t) in v.as_str().into_iter().flat_map(positioned::decode) {
            count(fields.entity, t, ENTITY_WEIGHT);
        }
    }
    let candidates = rank_terms(&searcher, counts)?;
    let (text, entities): (Vec<_>, Vec<_>) = candidates
        .into_iter()
        .partition(|c| c.field != fields.entity);
    let chosen: Vec<Candidate> = text
        .into_iter()
        .take(TEXT_TERMS)
        .chain(entities.into_iter().take(ENTITY_TERMS))
        .collect();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut text_terms = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for c in &chosen {
        let term = TermQuery::new(
            Term::from_field_text(c.field, &c.text),
            IndexRecordOption::WithFreqs,
        );
        let boost = c.weight * (1.0 + (c.tf as f32).ln());
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(term), boost)),
        ));
        if c.field == fields.entity {
            if let Some((_, id)) = c.text.split_once(':') {
                targets.insert(EntityTarget::Id {
                    entity_type: None,
                    id: id.to_string(),
                });
            }
        } else {
            text_terms.insert(c.text.clone());
        }
    }
    let described = chosen
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if clauses.is_empty() {
        return Ok(Some(empty_result(described, started)));
    }
    clauses.push((
        Occur::MustNot,
        Box::new(TermQuery::new(
            Term::from_field_text(fields.id, &doc.id),
            IndexRecordOption::Basic,
        )),
    ));
    let compiled = CompiledQuery {
        query: Box::new(BooleanQuery::new(clauses)),
        text_terms,
        entities: targets,
        resolutions: Vec::new(),
        text_phrases: BTreeSet::new(),
        warnings: Vec::new(),
        relations: Vec::new(),
    };
    index.id_columns.retain(&searcher);
    let collector = RankedCollector::with_id_columns(limit, &index.id_columns);
    let (total, order) =
        searcher.search(&*compiled.query, &(tantivy::collector::Count, collector))?;
    let mut hits = Vec::with_capacity(order.len());
    for (i, d) in order.into_iter().enumerate() {
        let (document, sentences) =
            crate::index::load_with_sentences(&searcher, fields.doc, d.address)?;
        let highlights: Highlights = highlight(&document, &compiled);
        let evidence = crate::search::evidence::evidence(
            &document,
            &sentences,
            &highlights.spans,
            crate::search::evidence::MAX_EVIDENCE,
        );
        hits.push(Hit {
            rank: i + 1,
            score: d.score,
            document,
            highlights,
            evidence,
            sentences,
            relation_targets: Vec::new(),
        });
    }
    Ok(Some(SearchResult {
        summary: Summary {
            query: described,
            total_hits: total,
            returned: hits.len(),
            offset: 0,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            facets: None,
            metadata_facets: None,
            tree_facets: None,
            resolutions: Vec::new(),
            warnings: Vec::new(),
        },
        hits,
    }))
}

/// The candidates with their idf, most telling first; terms in no other document, or in
/// more than half of the index (stop words), are dropped.
fn rank_terms(
    searcher: &Searcher,
    counts: HashMap<(Field, String), (f32, u32)>,
) -> Result<Vec<Candidate>> {
    let n = searcher.num_docs() as f32;
    let mut out = Vec::new();
    for ((field, text), (weight, tf)) in counts {
        let df = searcher.doc_freq(&Term::from_field_text(field, &text))? as f32;
        if df <= 1.0 || df > n / 2.0 {
            continue;
        }
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        out.push(Candidate {
            field,
            text,
            weight,
            tf,
            rank: weight * tf as f32 * idf,
        });
    }
    out.sort_by(|a, b| b.rank.total_cmp(&a.rank).then_with(|| a.text.cmp(&b.text)));
    Ok(out)
}

fn empty_result(query: String, started: Instant) -> SearchResult {
    SearchResult {
        summary: Summary {
            query,
            total_hits: 0,
            returned: 0,
            offset: 0,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            facets: None,
            metadata_facets: None,
            tree_facets: None,
            resolutions: Vec::new(),
            warnings: Vec::new(),
        },
        hits: Vec::new(),
    }
}
