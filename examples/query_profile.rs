//! Times each stage of a search (searcher, compile, search + count, facets, load + highlight)
//! over many repetitions, for profiling; `valgrind --tool=callgrind` gives instruction counts.
//! Stage `bare` runs the bare tantivy baseline of the benches instead: `(Count, TopDocs)` over
//! the same terms (`type:ID` → the entity term, a word → title, abstract or mention; all
//! required), on a searcher made once. Stage `json` is `full` plus the CLI's JSON of the
//! result (the hit view: found entities, matched relations, metadata) written to a sink.
//! Usage: query_profile INDEX_DIR STAGE REPS QUERY...

// The binary's allocator (src/main.rs), as in benches/query.rs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ptsearch::search::facets::FacetRequest;
use ptsearch::search::query::compile;
use ptsearch::search::{search, SearchRequest};
use ptsearch::PtIndex;
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// The bare tantivy query for the same terms as a simple ptsearch query.
fn bare_query(index: &PtIndex, q: &str) -> Box<dyn Query> {
    let f = &index.fields;
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = q
        .split_whitespace()
        .map(|w| {
            let clause: Box<dyn Query> = if w.contains(':') {
                term(f.entity, &w.to_lowercase())
            } else {
                let w = w.to_lowercase();
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, term(f.title, &w)),
                    (Occur::Should, term(f.abstract_text, &w)),
                    (Occur::Should, term(f.mention, &w)),
                ]))
            };
            (Occur::Must, clause)
        })
        .collect();
    if clauses.len() == 1 {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let index = PtIndex::open(std::path::Path::new(&args[1]))?;
    let stage = args[2].as_str();
    let reps: usize = args[3].parse()?;
    for q in &args[4..] {
        let req = SearchRequest {
            query: q.clone(),
            offset: 0,
            limit: Some(10),
            facets: (stage == "facets").then(|| FacetRequest {
                scope: Default::default(),
                top: 10,
                types: Vec::new(),
                sort: Default::default(),
                level: None,
            }),
            order: Default::default(),
            highlights: true,
        };
        let _ = search(&index, &req)?;
        let searcher = index.searcher()?;
        let bare = bare_query(&index, q);
        let top = (Count, TopDocs::with_limit(10).order_by_score());
        let t = Instant::now();
        let mut n = 0usize;
        for _ in 0..reps {
            match stage {
                "bare" => n += searcher.search(&*bare, &top)?.0,
                "searcher" => n += index.searcher()?.num_docs() as usize,
                "compile" => n += compile(q, &searcher, &index.fields)?.text_terms.len(),
                "search" | "facets" => n += search(&index, &req)?.summary.total_hits,
                "json" => {
                    let r = search(&index, &req)?;
                    serde_json::to_writer(std::io::sink(), &r)?;
                    n += r.hits.len();
                }
                "full" => {
                    let r = search(&index, &req)?;
                    for h in &r.hits {
                        n += h.highlights.spans.len();
                    }
                }
                _ => return Err("stage: bare|searcher|compile|search|facets|full|json".into()),
            }
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / reps as f64;
        println!("{stage:8} {us:9.2} us  {q}  ({n})");
    }
    Ok(())
}
