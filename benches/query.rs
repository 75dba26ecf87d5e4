//! Query latency on an index of 100k generated documents (built once under
//! `target/bench-index-100k` from `scripts/gen-corpus`), next to bare tantivy queries on the
//! same index as the in-run baselines. Set `PTSEARCH_BENCH_DOCS` to change the size.
//!
//! Baselines (`baseline_*`): `(Count, TopDocs)` on a searcher made once, over the same terms as
//! the ptsearch case of the same kind, without our parsing, ranking features or ID tie-break:
//! `entity` — the entity term; `word` — the word in `abstract` only (kept for comparison with
//! earlier runs); `text3` — the word in title, abstract or mention (what a ptsearch word
//! searches); `combined` — both entity terms and `text3`, all required; `entity_same_query` —
//! our exact entity query (entity term + title-mention boost) with tantivy's collectors.

use criterion::{criterion_group, criterion_main, Criterion};

// The allocator of the `ptsearch` binary (src/main.rs), so fetching and highlighting are timed
// as the CLI runs them: with the system allocator they took 1.5x as long.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ptsearch::ingest::{self, IngestOptions, Progress, Source};
use ptsearch::search::facets::FacetRequest;
use ptsearch::search::{search, SearchRequest};
use ptsearch::PtIndex;
use std::path::{Path, PathBuf};
use std::process::Command;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

fn bench_index() -> PtIndex {
    let docs: usize = std::env::var("PTSEARCH_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(format!("target/bench-index-{docs}"));
    if dir.join("meta.json").exists() {
        if let Ok(i) = PtIndex::open(&dir) {
            return i;
        }
    }
    let corpus: PathBuf = root.join(format!("target/bench-corpus-{docs}.pubtator"));
    if !corpus.exists() {
        let status = Command::new("python3")
            .arg(root.join("scripts/gen-corpus"))
            .args([
                "--docs",
                &docs.to_string(),
                "--seed",
                "1",
                "--quiet",
                "--out",
            ])
            .arg(&corpus)
            .status()
            .expect("python3 runs scripts/gen-corpus");
        assert!(status.success(), "gen-corpus failed");
    }
    let _ = std::fs::remove_dir_all(&dir);
    let index = PtIndex::open_or_create(&dir).expect("index");
    ingest::run(
        &index,
        &[Source::File(corpus)],
        &IngestOptions::default(),
        &Progress::default(),
        &mut |_| {},
    )
    .expect("ingest");
    index
}

/// An entity ID, a word and a second entity that occur in the generated corpus.
fn pick_terms(index: &PtIndex) -> (String, String, String) {
    let req = SearchRequest {
        query: "*".into(),
        offset: 0,
        limit: Some(0),
        facets: Some(FacetRequest {
            scope: Default::default(),
            top: 3,
            types: vec!["Gene".into(), "Disease".into()],
            sort: Default::default(),
            level: None,
        }),
        order: Default::default(),
        highlights: true,
    };
    let r = search(index, &req).expect("facets");
    let facets = r.summary.facets.expect("facets");
    let gene = facets
        .iter()
        .find(|f| f.entity_type == "Gene")
        .and_then(|f| f.top.get(1))
        .map(|e| e.id.clone());
    let disease = facets
        .iter()
        .find(|f| f.entity_type == "Disease")
        .and_then(|f| f.top.get(1))
        .map(|e| e.id.clone());
    (
        gene.unwrap_or_else(|| "5133".into()),
        "cancer".into(),
        disease.unwrap_or_else(|| "MESH:D009369".into()),
    )
}

fn bench(c: &mut Criterion) {
    let index = bench_index();
    let (gene, word, disease) = pick_terms(&index);
    let searcher = index.index.reader().expect("reader").searcher();
    let mut g = c.benchmark_group("query");
    g.sample_size(30);

    let term = Term::from_field_text(
        index.fields.entity,
        &format!("gene:{}", gene.to_lowercase()),
    );
    g.bench_function("baseline_tantivy_topdocs_entity", |b| {
        b.iter(|| {
            let q = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
            searcher
                .search(&q, &(Count, TopDocs::with_limit(10).order_by_score()))
                .expect("search")
        })
    });
    let text_term = Term::from_field_text(index.fields.abstract_text, &word);
    g.bench_function("baseline_tantivy_topdocs_word", |b| {
        b.iter(|| {
            let q = TermQuery::new(text_term.clone(), IndexRecordOption::WithFreqs);
            searcher
                .search(&q, &(Count, TopDocs::with_limit(10).order_by_score()))
                .expect("search")
        })
    });
    let words = |w: &str| -> Box<dyn Query> {
        let term = |f| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, term(index.fields.title)),
            (Occur::Should, term(index.fields.abstract_text)),
            (Occur::Should, term(index.fields.mention)),
        ]))
    };
    let entity = |text: String| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(index.fields.entity, &text),
            IndexRecordOption::WithFreqs,
        ))
    };
    let gene_term = format!("gene:{}", gene.to_lowercase());
    let disease_term = format!("disease:{}", disease.to_lowercase());
    let text3 = words(&word);
    g.bench_function("baseline_tantivy_topdocs_text3", |b| {
        b.iter(|| {
            searcher
                .search(&*text3, &(Count, TopDocs::with_limit(10).order_by_score()))
                .expect("search")
        })
    });
    let combined = BooleanQuery::new(vec![
        (Occur::Must, entity(gene_term.clone())),
        (Occur::Must, entity(disease_term)),
        (Occur::Must, words(&word)),
    ]);
    g.bench_function("baseline_tantivy_topdocs_combined", |b| {
        b.iter(|| {
            searcher
                .search(
                    &combined,
                    &(Count, TopDocs::with_limit(10).order_by_score()),
                )
                .expect("search")
        })
    });
    let same = BooleanQuery::new(vec![
        (Occur::Must, entity(gene_term.clone())),
        (
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(index.fields.entity_title, &gene_term),
                    IndexRecordOption::WithFreqs,
                )),
                1.5,
            )),
        ),
    ]);
    g.bench_function("baseline_tantivy_topdocs_entity_same_query", |b| {
        b.iter(|| {
            searcher
                .search(&same, &(Count, TopDocs::with_limit(10).order_by_score()))
                .expect("search")
        })
    });
    let cases = [
        ("entity", format!("gene:{gene}")),
        ("free_text", word.clone()),
        ("combined", format!("gene:{gene} disease:{disease} {word}")),
    ];
    for (name, query) in &cases {
        let req = SearchRequest {
            query: query.clone(),
            offset: 0,
            limit: Some(10),
            facets: None,
            order: Default::default(),
            highlights: true,
        };
        g.bench_function(*name, |b| {
            b.iter(|| search(&index, &req).expect("search").summary.total_hits)
        });
    }
    let req = SearchRequest {
        query: format!("gene:{gene}"),
        offset: 0,
        limit: Some(10),
        facets: Some(FacetRequest {
            scope: Default::default(),
            top: 10,
            types: Vec::new(),
            sort: Default::default(),
            level: None,
        }),
        order: Default::default(),
        highlights: true,
    };
    g.bench_function("entity_with_facets", |b| {
        b.iter(|| search(&index, &req).expect("search").summary.total_hits)
    });
    let req = SearchRequest {
        query: format!("gene:{gene} {word}"),
        offset: 0,
        limit: Some(10),
        facets: None,
        order: Default::default(),
        highlights: true,
    };
    g.bench_function("combined_with_snippets_and_docs", |b| {
        b.iter(|| {
            let r = search(&index, &req).expect("search");
            let mut n = 0;
            for h in &r.hits {
                n += h.highlights.spans.len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
