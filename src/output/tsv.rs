//! Tab-separated output: a header line, then one line per hit.

use crate::search::Hit;
use std::io::{self, Write};

/// The header line.
pub const HEADER: &str = "rank\tid\tscore\ttitle\tentities";

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Writes the header.
pub fn write_header<W: Write>(w: &mut W) -> io::Result<()> {
    writeln!(w, "{HEADER}")
}

/// Writes one hit.
pub fn write_hit<W: Write>(w: &mut W, hit: &Hit) -> io::Result<()> {
    let (doc, rank, score) = (&hit.document, hit.rank, hit.score);
    let entities: Vec<String> = hit
        .entities()
        .iter()
        .map(|e| format!("{}:{}({})", e.entity_type, e.id, e.mentions))
        .collect();
    writeln!(
        w,
        "{rank}\t{}\t{score:.4}\t{}\t{}",
        clean(&doc.id),
        clean(doc.title()),
        clean(&entities.join(";"))
    )
}
