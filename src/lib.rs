//! # ptsearch
//!
//! A search engine for biomedical literature in PubTator format, built on tantivy. One library
//! serves every front end: the CLI (`cli`), the HTTP server and its page, the Python package.
//!
//! **Write side** (`ingest`, over the formats in `pubtator` and `interop`): a reader thread
//! streams inputs (files, directories, stdin; plain, gzip, zstd), cuts records and batches them
//! on a bounded channel; rayon workers parse and convert documents
//! ([`index::document::to_tantivy`]); one document writer adds them in input order and commits
//! checkpoints.
//!
//! **Shared core** ([`index`]): schema and version, tokenizer, open/create, stored-record
//! lookup, commit payload, stats and check: what both sides read.
//!
//! **Read side** ([`search`]): a [`search::SearchRequest`] is parsed and compiled
//! ([`search::query`]), ranked with ties by document ID ([`search::collect`]), faceted in the
//! same pass ([`search::facets`]), loaded and highlighted ([`search::highlight`]) into
//! serializable [`search::Hit`]s; [`output`] renders them ([`output::HitPrinter`]) or writes
//! whole documents in any [`output::DocumentFormat`] ([`output::DocumentSink`]).
//!
//! **Watches** ([`watch`]): saved queries whose news are the matching documents first
//! indexed by a later commit (every document carries its commit marks, [`index::marks`]).
//!
//! ```
//! use ptsearch::ingest::{run, IngestOptions, Source};
//! use ptsearch::output::{HitFormat, HitPrinter, TextStyle};
//! use ptsearch::search::{facets::FacetRequest, search, SearchRequest};
//! use ptsearch::PtIndex;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let corpus = dir.path().join("corpus.pubtator");
//! std::fs::write(
//!     &corpus,
//!     "100|t|BRAF mutations in melanoma\n\
//!      100|a|BRAF V600E drives melanoma growth.\n\
//!      100\t0\t4\tBRAF\tGene\t673\n\
//!      100\t18\t26\tmelanoma\tDisease\tMESH:D008545\n\n",
//! )?;
//! let index = PtIndex::open_or_create(&dir.path().join("index"))?;
//! run(&index, &[Source::File(corpus)], &IngestOptions::default(), &Default::default(), &mut |_| {})?;
//!
//! let mut request = SearchRequest::new("gene:673 melanoma", 10);
//! request.facets = Some(FacetRequest { top: 5, ..FacetRequest::default() });
//! let result = search(&index, &request)?;
//! assert_eq!(result.summary.total_hits, 1);
//! let hit = &result.hits[0];
//! assert_eq!(hit.id(), "100");
//! // Why it matched: the annotated BRAF mention and the query word, in characters.
//! assert!(hit.highlights.spans.iter().any(|s| s.text == "BRAF"));
//! assert!(hit.highlights.spans.iter().any(|s| s.text == "melanoma"));
//!
//! let mut printer = HitPrinter::begin(Vec::new(), HitFormat::Text(TextStyle::default()))?;
//! for hit in &result.hits {
//!     printer.hit(hit)?;
//! }
//! let text = String::from_utf8(printer.finish(&result.summary)?)?;
//! assert!(text.starts_with("1. 100"));
//! print!("{text}");
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "cli")]
pub mod cli;
pub mod error;
pub mod index;
pub mod ingest;
pub mod interop;
pub mod names;
pub mod output;
pub mod pubtator;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(test)]
mod test_support;
pub mod vocab;
pub mod watch;

pub use error::{Error, Result};
pub use index::PtIndex;
