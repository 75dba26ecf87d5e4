//! Times each stage of a search (searcher, compile, search + count, facets, load + highlight)
//! over many repetitions, for profiling; `valgrind --tool=callgrind` gives instruction counts.
//! Usage: query_profile INDEX_DIR STAGE REPS QUERY...

use ptsearch::facets::FacetRequest;
use ptsearch::highlight::highlight;
use ptsearch::query::compile;
use ptsearch::search::{search, SearchRequest};
use ptsearch::PtIndex;
use std::time::Instant;

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
                top: 10,
                types: Vec::new(),
            }),
        };
        let _ = search(&index, &req)?;
        let searcher = index.searcher()?;
        let t = Instant::now();
        let mut n = 0usize;
        for _ in 0..reps {
            match stage {
                "searcher" => n += index.searcher()?.num_docs() as usize,
                "compile" => n += compile(q, &searcher, &index.fields)?.text_terms.len(),
                "search" | "facets" => n += search(&index, &req)?.total_hits,
                "full" => {
                    let r = search(&index, &req)?;
                    for h in &r.hits {
                        let d = r.load(h)?;
                        n += highlight(&d, &r.compiled).spans.len();
                    }
                }
                _ => return Err("stage: searcher|compile|search|facets|full".into()),
            }
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / reps as f64;
        println!("{stage:8} {us:9.2} us  {q}  ({n})");
    }
    Ok(())
}
