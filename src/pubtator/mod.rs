//! The PubTator format: records, pure parsing, streaming reading, writing, and the
//! normalization of entity types and IDs (variants: `variant`, `hgvs`).

pub mod align;
pub mod codec;
pub mod hgvs;
pub mod ids;
pub mod layers;
pub mod meta;
pub mod offsets;
pub mod parse;
pub mod patch;
pub mod reader;
pub mod reanchor;
pub mod record;
pub mod sentences;
pub mod variant;
pub mod write;

pub use parse::{parse_document, Line, LineError, Parsed, Problem};
pub use patch::Patch;
pub use reader::{DocLines, DocReader, Position};
pub use record::{
    Annotation, Concept, DisplayField, Document, Layer, MeshHeading, Metadata, Passage,
    PassageKind, Relation, Span,
};
