//! Rendering, the last step of the read side: printers generic over any `io::Write` (so tests
//! capture output in a `Vec<u8>`). A [`HitPrinter`] renders [`crate::search::Hit`]s as text for
//! people, JSON Lines in ripgrep's envelope for jq, or TSV for spreadsheets; a
//! [`DocumentSink`] writes whole documents in any [`DocumentFormat`] (PubTator, JSONL, BioC
//! XML/JSON, Quickwit NDJSON) with one begin/write/finish sequence.

mod documents;
pub mod graph;
mod hits;
pub mod json;
pub mod jsonl;
pub mod mark;
pub mod quickwit;
pub mod report;
pub mod style;
pub mod text;
pub mod tsv;

pub use documents::{DocumentFormat, DocumentSink, ExportFormat};
pub use hits::{HitFormat, HitPrinter};
pub use style::TextStyle;
