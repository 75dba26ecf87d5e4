//! R5: property tests, the CI twins of the fuzz targets in `fuzz/` (they use the library
//! directly and run in a few seconds), and the regression tests for crashes the fuzzers found.
//!
//! * PubTator reader + parser over arbitrary bytes and over generated documents with random
//!   mutations: no panic; line numbers never decrease and stay within the input; every problem names
//!   one of its document's lines; a document parsed without problems round-trips through
//!   `write_document` (same document, same text when written again).
//! * Query parser over arbitrary strings: no panic; an error position is at most the query's
//!   length in chars; plain word queries always parse; compiling and running any query on a
//!   small index neither panics nor fails with anything but a query error.
//! * Tokenizer: the query form of a text is always among the text's indexed tokens, so a word
//!   typed as it appears finds it.
//! * Annotation layers: merging random sequences of sources with changed texts leaves every
//!   annotation on its mention or without a span, and repeating a sequence changes nothing.
//! * PubTator3 bulk TSV reader over generated rows: no panic, lines within the input, patches
//!   merge idempotently.

use proptest::prelude::*;
use proptest::test_runner::Config;
use ptsearch::index::document::to_tantivy;
use ptsearch::index::schema::{build_schema, Fields};
use ptsearch::index::tokenizer::{index_tokens, query_tokens};
use ptsearch::pubtator::write::write_document;
use ptsearch::pubtator::{parse_document, DocReader, Document, LineError, Problem};
use ptsearch::search::query::parse::{caret, parse};
use std::sync::OnceLock;

mod bulk;
mod layers;
mod pubtator;
mod query;

fn config(cases: u32) -> Config {
    Config {
        cases,
        // No proptest-regressions/ files in the source tree; failures print the input.
        failure_persistence: None,
        ..Config::default()
    }
}
