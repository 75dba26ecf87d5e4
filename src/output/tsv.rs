//! Tab-separated output: a header line, then one line per hit, in chosen columns
//! ([`Column`]: the default `rank id score title entities`, and on request `year`, `journal`,
//! `authors`, `abstract`); [`field`] quotes the fields of every TSV the CLI writes.

use crate::search::Hit;
use std::borrow::Cow;
use std::io::{self, Write};

/// The default header line.
pub const HEADER: &str = "rank\tid\tscore\ttitle\tentities";

/// A column of hit TSV (`search --format tsv --columns …`, `export --format tsv`, HTTP
/// `format=tsv&columns=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 1-based rank (in `export`, the position in document-ID order).
    Rank,
    /// The document ID (`pmid` is accepted as its name).
    Id,
    /// The score (4 decimals).
    Score,
    /// The title.
    Title,
    /// The queried entities found, `Type:ID(mentions)` joined by `;`.
    Entities,
    /// Publication year (empty when unknown).
    Year,
    /// Journal abbreviation (empty when unknown).
    Journal,
    /// Authors as cited, joined by `; `.
    Authors,
    /// Every passage after the title, joined by a line break (so the field is quoted).
    Abstract,
}

impl Column {
    /// Every column with its name.
    pub const ALL: [(Column, &'static str); 9] = [
        (Column::Rank, "rank"),
        (Column::Id, "id"),
        (Column::Score, "score"),
        (Column::Title, "title"),
        (Column::Entities, "entities"),
        (Column::Year, "year"),
        (Column::Journal, "journal"),
        (Column::Authors, "authors"),
        (Column::Abstract, "abstract"),
    ];

    /// The columns of `search --format tsv` without `--columns`.
    pub const DEFAULT: [Column; 5] = [
        Column::Rank,
        Column::Id,
        Column::Score,
        Column::Title,
        Column::Entities,
    ];

    /// The column's header name.
    pub fn name(self) -> &'static str {
        Column::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }
}

/// Parses a comma-separated column list (`pmid,title,year,journal,authors,abstract,score`;
/// case and spaces ignored, `pmid` = `id`); an empty list means [`Column::DEFAULT`]. An unknown
/// name is an error that lists the valid ones.
pub fn parse_columns(text: &str) -> Result<Vec<Column>, String> {
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let lower = name.to_ascii_lowercase();
        let wanted = if lower == "pmid" {
            "id"
        } else {
            lower.as_str()
        };
        match Column::ALL.iter().find(|(_, n)| *n == wanted) {
            Some((c, _)) => out.push(*c),
            None => {
                let valid: Vec<&str> = Column::ALL.iter().map(|(_, n)| *n).collect();
                return Err(format!(
                    "unknown TSV column '{name}'; valid: {} (pmid = id)",
                    valid.join(", ")
                ));
            }
        }
    }
    if out.is_empty() {
        out.extend(Column::DEFAULT);
    }
    Ok(out)
}

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

/// The columns of `export --format tsv` without `--columns`.
pub const EXPORT_DEFAULT: [Column; 2] = [Column::Id, Column::Title];

/// Checks columns for `export --format tsv` (document-ID order, no highlighting): rank, score
/// and entities are refused; an empty list means [`EXPORT_DEFAULT`].
pub fn export_columns(columns: Option<Vec<Column>>) -> Result<Vec<Column>, String> {
    let Some(columns) = columns else {
        return Ok(EXPORT_DEFAULT.to_vec());
    };
    if let Some(c) = columns
        .iter()
        .find(|c| matches!(c, Column::Rank | Column::Score | Column::Entities))
    {
        return Err(format!(
            "an export has no '{}' column (it is in document-ID order, not ranked); valid: id, \
             title, year, journal, authors, abstract",
            c.name()
        ));
    }
    Ok(columns)
}

/// Writes the header of `columns`.
pub fn write_header<W: Write>(w: &mut W, columns: &[Column]) -> io::Result<()> {
    let names: Vec<&str> = columns.iter().map(|c| c.name()).collect();
    writeln!(w, "{}", names.join("\t"))
}

/// Writes one hit in `columns`.
pub fn write_hit<W: Write>(w: &mut W, hit: &Hit, columns: &[Column]) -> io::Result<()> {
    let doc = &hit.document;
    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(columns.len());
    for c in columns {
        cells.push(match c {
            Column::Rank => Cow::Owned(hit.rank.to_string()),
            Column::Id => field(&doc.id),
            Column::Score => Cow::Owned(format!("{:.4}", hit.score)),
            Column::Title => field(doc.title()),
            Column::Entities => {
                let entities: Vec<String> = hit
                    .entities()
                    .iter()
                    .map(|e| format!("{}:{}({})", e.entity_type, e.id, e.mentions))
                    .collect();
                Cow::Owned(field(&entities.join(";")).into_owned())
            }
            Column::Year => Cow::Owned(doc.meta.year.map(|y| y.to_string()).unwrap_or_default()),
            Column::Journal => field(doc.meta.journal.as_deref().unwrap_or_default()),
            Column::Authors => Cow::Owned(field(&doc.meta.authors.join("; ")).into_owned()),
            Column::Abstract => Cow::Owned(field(&doc.body()).into_owned()),
        });
    }
    writeln!(w, "{}", cells.join("\t"))
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

    #[test]
    fn columns_parse_with_pmid_for_id_and_an_error_listing_the_valid_names() {
        use super::{parse_columns, Column};
        assert_eq!(parse_columns(""), Ok(Column::DEFAULT.to_vec()));
        assert_eq!(
            parse_columns("pmid, Title,year,abstract"),
            Ok(vec![
                Column::Id,
                Column::Title,
                Column::Year,
                Column::Abstract
            ])
        );
        let e = parse_columns("pmid,doi").unwrap_err();
        assert!(
            e.starts_with("unknown TSV column 'doi'; valid: rank, id,"),
            "{e}"
        );
        let header: Vec<&str> = Column::DEFAULT.iter().map(|c| c.name()).collect();
        assert_eq!(header.join("\t"), super::HEADER);
    }
}
