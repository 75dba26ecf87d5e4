//! Latency of sentence-level queries on an existing index, for `scripts/bench-sentences`:
//! for the pairs of the index's most frequent genes and diseases, the end-to-end library time
//! (search, count, load and highlight the first 10 hits, evidence) of the document-level pair
//! `gene:G disease:D` (the baseline, with its ranking tiers), of `sentence:(gene:G disease:D)`,
//! and of the `sentences` answer (20 sentences) for the pair; prints p50 and p90 per kind.
//! Usage: sentence_bench INDEX_DIR [PAIRS] [REPS]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ptsearch::search::facets::FacetRequest;
use ptsearch::search::sentences::sentences;
use ptsearch::search::{search, SearchRequest};
use ptsearch::PtIndex;
use std::time::Instant;

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let index = PtIndex::open(std::path::Path::new(&args[1]))?;
    let pairs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(25);
    let reps: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let mut request = SearchRequest::new("*", 0);
    request.facets = Some(FacetRequest {
        top: 5,
        types: vec!["Gene".into(), "Disease".into()],
        ..Default::default()
    });
    let all = search(&index, &request)?;
    let facets = all.summary.facets.unwrap_or_default();
    let top = |t: &str| -> Vec<String> {
        facets
            .iter()
            .filter(|f| f.entity_type == t)
            .flat_map(|f| f.top.iter().map(|e| e.id.clone()))
            .collect()
    };
    let (genes, diseases) = (top("Gene"), top("Disease"));
    let mut queries = Vec::new();
    for g in &genes {
        for d in &diseases {
            queries.push((g.clone(), d.clone()));
        }
    }
    queries.truncate(pairs);
    let (mut doc, mut sent, mut answer) = (Vec::new(), Vec::new(), Vec::new());
    let (mut doc_hits, mut sent_hits) = (0usize, 0usize);
    for (g, d) in &queries {
        let plain = format!("gene:{g} disease:{d}");
        let group = format!("sentence:(gene:{g} disease:{d})");
        for _ in 0..reps {
            let t = Instant::now();
            doc_hits += search(&index, &SearchRequest::new(plain.clone(), 10))?
                .summary
                .total_hits;
            doc.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            sent_hits += search(&index, &SearchRequest::new(group.clone(), 10))?
                .summary
                .total_hits;
            sent.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            sentences(&index, &plain, 20)?;
            answer.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let n = (queries.len() * reps).max(1);
    println!("| query | mean hits | p50 ms | p90 ms |");
    println!("|---|---:|---:|---:|");
    println!(
        "| `gene:G disease:D` (document, tiers) | {} | {:.1} | {:.1} |",
        doc_hits / n,
        percentile(&mut doc, 0.5),
        percentile(&mut doc, 0.9)
    );
    println!(
        "| `sentence:(gene:G disease:D)` | {} | {:.1} | {:.1} |",
        sent_hits / n,
        percentile(&mut sent, 0.5),
        percentile(&mut sent, 0.9)
    );
    println!(
        "| `sentences 'gene:G disease:D' -n 20` | | {:.1} | {:.1} |",
        percentile(&mut answer, 0.5),
        percentile(&mut answer, 0.9)
    );
    println!("({} pairs × {reps} repetitions)", queries.len());
    Ok(())
}
