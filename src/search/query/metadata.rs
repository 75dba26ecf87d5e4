//! Metadata and provenance fields of the query language, resolved in one place:
//! `year:2018`, `year:2015..2020` (inclusive; either end may be left open; also Lucene's
//! `[2015 TO 2020]` and Elasticsearch's `>2015`), `journal:"N Engl J
//! Med"` (case-insensitive, periods and accents aside; abbreviation or full title, or their
//! first words: `journal:Cancer` finds `Cancer Res`), `author:Smith` (last name) and
//! `author:"Smith J"` (as cited; `author:muller` finds Müller), `pubtype:Review`, `mh:D009369` / `mh:Neoplasms` (MeSH
//! descriptor UI or name), `source:biored/Train` (a source of the document's annotations).

use crate::index::schema::Fields;
use crate::pubtator::meta::search_key;
use std::ops::Bound;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Field names handled here.
pub const METADATA_FIELDS: &[&str] = &["year", "journal", "author", "pubtype", "mh", "source"];

/// The query for `name:value` when `name` is a metadata field (`None` otherwise); `Err` holds
/// the message for a malformed value.
pub fn metadata_clause(
    fields: &Fields,
    name: &str,
    value: &str,
) -> Option<Result<Box<dyn Query>, String>> {
    let keyword = |field| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &value.trim().to_lowercase()),
            IndexRecordOption::Basic,
        ))
    };
    let folded = |field| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &search_key(value)),
            IndexRecordOption::Basic,
        ))
    };
    Some(Ok(match name {
        "year" => return Some(year_clause(fields, value)),
        "journal" => journal_clause(fields, value),
        "author" => folded(fields.author),
        "pubtype" => keyword(fields.pubtype),
        "mh" => keyword(fields.mesh),
        "source" => keyword(fields.source),
        _ => return None,
    }))
}

/// `journal:` matches the journal's search key, or a prefix of it that ends at a word
/// (`journal:Cancer` finds `Cancer Res` and `Cancer Cell`, not `Cancers`).
fn journal_clause(fields: &Fields, value: &str) -> Box<dyn Query> {
    let key = search_key(value);
    let exact: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(fields.journal, &key),
        IndexRecordOption::Basic,
    ));
    // Every term `key ...`: from `key` + space up to `key` + '!' (the next byte), exclusive.
    let words: Box<dyn Query> = Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_text(fields.journal, &format!("{key} "))),
        Bound::Excluded(Term::from_field_text(fields.journal, &format!("{key}!"))),
    ));
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, exact),
        (Occur::Should, words),
    ]))
}

fn year(s: &str) -> Result<Option<u64>, String> {
    let s = s.trim();
    if s.is_empty() || s == "*" {
        return Ok(None);
    }
    match s.parse::<u16>() {
        Ok(y) => Ok(Some(u64::from(y))),
        Err(_) => Err(format!(
            "'{s}' is not a year (year:2018, year:2015..2020, year:>=2015)"
        )),
    }
}

/// The inclusive bounds of a `year:` value; `None` is an open end. PubMed's and our
/// `2015..2020` (either end may be left open: `..2010`, `..`), Lucene's `[2015 TO 2020]`
/// (`{…}` excludes an end, `*` leaves it open) and Elasticsearch's `>2015`, `>=2015`, `<2015`,
/// `<=2015`. `Err` holds the message for a malformed value.
pub fn year_range(value: &str) -> Result<(Option<u64>, Option<u64>), String> {
    let value = value.trim();
    let after = |y: Option<u64>| y.map(|y| y + 1);
    let before = |y: Option<u64>| y.map(|y| y.saturating_sub(1));
    let (from, to) = if let Some((open, close, a, b)) = lucene_range(value) {
        let (a, b) = (year(a)?, year(b)?);
        (
            if open == '{' { after(a) } else { a },
            if close == '}' { before(b) } else { b },
        )
    } else if let Some(y) = value.strip_prefix(">=") {
        (year_needed(y)?, None)
    } else if let Some(y) = value.strip_prefix('>') {
        (after(year_needed(y)?), None)
    } else if let Some(y) = value.strip_prefix("<=") {
        (None, year_needed(y)?)
    } else if let Some(y) = value.strip_prefix('<') {
        (None, before(year_needed(y)?))
    } else if let Some((a, b)) = value.split_once("..") {
        (year(a)?, year(b)?)
    } else {
        let y = year_needed(value)?;
        (y, y)
    };
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(format!("empty year range {a}..{b}"));
        }
    }
    Ok((from, to))
}

/// A year, required (`*` and nothing are not one).
fn year_needed(s: &str) -> Result<Option<u64>, String> {
    match year(s)? {
        Some(y) => Ok(Some(y)),
        None => Err("year: needs a year".to_string()),
    }
}

/// Lucene's `[A TO B]` / `{A TO B}` (mixed brackets too) as (open, close, A, B).
fn lucene_range(value: &str) -> Option<(char, char, &str, &str)> {
    let open = value.chars().next().filter(|c| matches!(c, '[' | '{'))?;
    let close = value.chars().last().filter(|c| matches!(c, ']' | '}'))?;
    let inner = value.get(1..value.len() - 1)?;
    let mut words = inner.split_whitespace();
    match (words.next(), words.next(), words.next(), words.next()) {
        (Some(a), Some("TO"), Some(b), None) => Some((open, close, a, b)),
        _ => None,
    }
}

fn year_clause(fields: &Fields, value: &str) -> Result<Box<dyn Query>, String> {
    let (from, to) = year_range(value)?;
    let bound = |y: Option<u64>| match y {
        Some(y) => Bound::Included(Term::from_field_u64(fields.year, y)),
        None => Bound::Unbounded,
    };
    if from.is_none() && to.is_none() {
        // `year:..` or `year:*`: every document with a known year.
        return Ok(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(fields.year, 0)),
            Bound::Unbounded,
        )));
    }
    Ok(Box::new(RangeQuery::new(bound(from), bound(to))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lucene_and_elasticsearch_ranges_read_as_inclusive_bounds() {
        for (value, want) in [
            ("[2010 TO 2015]", (Some(2010), Some(2015))),
            ("{2010 TO 2015}", (Some(2011), Some(2014))),
            ("[2010 TO 2015}", (Some(2010), Some(2014))),
            ("[* TO 2015]", (None, Some(2015))),
            ("{2010 TO *]", (Some(2011), None)),
            (">2015", (Some(2016), None)),
            (">=2015", (Some(2015), None)),
            ("<2015", (None, Some(2014))),
            ("<=2015", (None, Some(2015))),
        ] {
            assert_eq!(year_range(value), Ok(want), "{value}");
        }
        assert!(year_range("[2015 TO 2010]").is_err());
        assert!(year_range("{2015 TO 2015}").is_err());
        assert!(year_range(">").is_err());
        assert!(year_range(">*").is_err());
        assert!(year_range("[2010 2015]").is_err());
    }

    #[test]
    fn years_and_ranges() {
        assert_eq!(year("2018"), Ok(Some(2018)));
        assert_eq!(year(" * "), Ok(None));
        assert!(year("20x8").is_err());
        let schema = crate::index::schema::build_schema();
        let fields = Fields::new(&schema).unwrap();
        assert!(year_clause(&fields, "2015..2020").is_ok());
        assert!(year_clause(&fields, "..2020").is_ok());
        assert!(year_clause(&fields, "2020..2015").is_err());
        assert!(year_clause(&fields, "").is_err());
        assert!(metadata_clause(&fields, "gene", "x").is_none());
    }
}
