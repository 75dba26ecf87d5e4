//! Fuzz target: the query language over arbitrary UTF-8.
//!
//! * `query::parse::parse` never panics; an error position is at most the query's length in
//!   chars, and `caret` renders it;
//! * the query form of the text (`query_tokens`) is always among the indexed tokens of the same
//!   text (`index_tokens`), so whatever is typed finds the text it was copied from;
//! * a query that parses is also compiled and run (ranked, with facets, hits loaded) against a
//!   small index built once from `tests/data`: neither compiling nor searching panics or errs (run with `-timeout=10` so
//!   a hang is reported too).
//!
//! Run: `cargo +nightly fuzz run query_parser corpus/query_parser -- -max_total_time=1800 -timeout=10 -dict=query.dict`

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptsearch::search::facets::{collect_facets, FacetRequest};
use ptsearch::ingest::{self, IngestOptions, Progress, Source};
use ptsearch::search::query::compile;
use ptsearch::search::query::parse::{caret, parse, Clause, Node};
use ptsearch::index::load_document;
use ptsearch::search::collect::RankedCollector;
use ptsearch::index::tokenizer::{index_tokens, query_tokens};
use ptsearch::PtIndex;
use std::path::PathBuf;
use std::sync::OnceLock;
use tantivy::Searcher;

/// A small index built once per process from `tests/data`, and a searcher on it.
fn index() -> &'static (PtIndex, Searcher) {
    static INDEX: OnceLock<(PtIndex, Searcher)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ptsearch-fuzz-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = PtIndex::open_or_create(&dir).expect("create index");
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
        let sources: Vec<Source> = [
            "seed-31554797.pubtator",
            "ranking.pubtator",
            "tokenizer.pubtator",
            "utf8_offsets.pubtator",
            "passages_same_id.pubtator",
        ]
        .iter()
        .map(|n| Source::File(data.join(n)))
        .collect();
        let options = IngestOptions {
            threads: 1,
            ..IngestOptions::default()
        };
        ingest::run(
            &index,
            &sources,
            &options,
            &Progress::default(),
            &mut |_| {},
        )
        .expect("index the fixtures");
        let searcher = index.index.reader().expect("reader").searcher();
        (index, searcher)
    })
}

/// True when a phrase appears under a negation (`* -"a b"`, `x NOT y-z`). tantivy 0.27's
/// `Exclude` then seeks the phrase scorer backwards, which trips a debug assertion in
/// `PhraseScorer::seek_danger` (quickwit-oss/tantivy#2811); without debug assertions the
/// results are right, and the main crate turns them off for dependencies. `cargo fuzz` builds
/// everything with debug assertions (ptsearch's are wanted here), so such queries are parsed but
/// not searched. Build with `-O` (no debug assertions at all) to search them too.
fn negated_phrase(n: &Node) -> bool {
    fn has_phrase(n: &Node) -> bool {
        match n {
            Node::And(v) | Node::Or(v) => v.iter().any(has_phrase),
            Node::Not(c) | Node::Boost(c, _) => has_phrase(c),
            Node::Clause(Clause::Term { text, .. }) => query_tokens(text).len() > 1,
            Node::Clause(_) => false,
        }
    }
    match n {
        Node::And(v) | Node::Or(v) => v.iter().any(negated_phrase),
        Node::Not(c) => has_phrase(c),
        Node::Boost(c, _) => negated_phrase(c),
        Node::Clause(_) => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let chars = query.chars().count();

    let tokens = index_tokens(query);
    for q in query_tokens(query) {
        assert!(
            tokens.iter().any(|(_, _, t)| *t == q),
            "query token {q:?} of {query:?} is not among its indexed tokens {tokens:?}"
        );
    }
    for (from, to, _) in &tokens {
        assert!(
            from <= to
                && *to <= query.len()
                && query.is_char_boundary(*from)
                && query.is_char_boundary(*to)
        );
    }

    match parse(query) {
        Ok(ast) if cfg!(debug_assertions) && negated_phrase(&ast) => {}
        Ok(_) => {
            // What `ptsearch search` does, on a searcher kept across runs: compile (errors such
            // as an unknown field are fine), rank, count facets, load the hits.
            let (index, searcher) = index();
            if let Ok(compiled) = compile(query, searcher, &index.fields) {
                let hits = searcher
                    .search(&*compiled.query, &RankedCollector::new(10))
                    .expect("search");
                for hit in &hits {
                    load_document(searcher, index.fields.doc, hit.address)
                        .expect("stored document");
                }
                let facets = FacetRequest {
                    top: 3,
                    types: Vec::new(),
                    sort: Default::default(),
                    level: None,
                };
                collect_facets(searcher, &index.fields, &*compiled.query, &facets).expect("facets");
            }
        }
        Err(e) => {
            assert!(
                e.position <= chars,
                "error position {} beyond the query's {chars} chars: {query:?}",
                e.position
            );
            let _ = caret(query, e.position);
        }
    }
});
