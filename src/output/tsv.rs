//! Tab-separated output: a header line, then one line per hit; [`field`] quotes the fields
//! of every TSV the CLI writes.

use crate::search::Hit;
use std::borrow::Cow;
use std::io::{self, Write};

/// The header line.
pub const HEADER: &str = "rank\tid\tscore\ttitle\tentities";

/// One TSV field, quoted the way Python's `csv` module (`delimiter="\t"`) and pandas
/// (`read_csv(sep="\t")`) read it back exactly: a field holding a tab, a line break or a
/// double quote is written inside double quotes with its quotes doubled; any other field as is.
pub fn field(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n', '\r', '"']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
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
        field(&doc.id),
        field(doc.title()),
        field(&entities.join(";"))
    )
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_with_tabs_line_breaks_or_quotes_are_quoted_with_quotes_doubled() {
        assert_eq!(field("plain text"), "plain text");
        assert_eq!(field("a\tb"), "\"a\tb\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field(""), "");
    }
}
