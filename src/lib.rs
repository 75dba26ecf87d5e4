//! # ptsearch
//!
//! A search engine for biomedical literature in PubTator format, built on tantivy.
//!
//! **Write side.** [`ingest`] streams inputs (files, directories, stdin; plain, gzip, zstd)
//! through a reader thread that cuts documents ([`pubtator::DocReader`]), a bounded channel,
//! rayon workers that parse ([`pubtator::parse_document`]) and convert documents
//! ([`schema::to_tantivy`]), and one tantivy `IndexWriter` fed in input order (so a re-indexed
//! ID replaces the older document deterministically).
//!
//! **Read side.** [`query`] parses the query language into an AST and compiles it to tantivy
//! queries (entity IDs, names resolved through the index's own mention dictionary, relations,
//! free text); [`search`] ranks with ties broken by document ID, counts facets exactly and
//! loads hits; [`highlight`] turns query terms and annotated mentions into neutral spans;
//! [`output`] renders text, JSON Lines, TSV or PubTator to any writer.
//!
//! Modules: [`pubtator`] (format), [`tokenizer`] (analyzer), [`schema`] (fields),
//! [`index`] (open/create), [`ingest`], [`query`], [`search`], [`facets`], [`dictionary`],
//! [`stats`], [`highlight`], [`output`], [`error`].

pub mod cli;
pub mod error;
pub mod index;
pub mod ingest;
pub mod interop;
pub mod output;
pub mod pubtator;
pub mod search;
pub mod serve;

pub use error::{Error, Result};
pub use index::PtIndex;
