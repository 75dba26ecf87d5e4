//! Integration tests: they drive the real `ptsearch` binary on fixtures in `tests/data` and,
//! when present, on the real corpora in `../shared/corpora`.

mod bulk;
mod cli;
mod corpora;
mod doors_agree;
mod export;
mod graph;
mod interop_ingest;
mod layers;
mod lookups;
mod malformed;
mod metadata;
mod optimize;
mod phrases;
mod polish;
mod precedence;
mod proptests;
mod query_forms;
mod query_lang;
mod relations;
mod reliability;
mod search;
mod sentences;
mod serve;
mod sources;
mod terminal;
mod translate;
mod util;
mod vocab;
mod watch;
