//! Metadata and provenance fields of the query language, resolved in one place:
//! `year:2018`, `year:2015..2020` (inclusive; either end may be left open), `journal:"N Engl J
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
        Err(_) => Err(format!("'{s}' is not a year (year:2018, year:2015..2020)")),
    }
}

/// The inclusive bounds of a `year:` value (`2018`, `2015..2020`, `..2010`, `..`); `None` is an
/// open end. `Err` holds the message for a malformed value.
pub fn year_range(value: &str) -> Result<(Option<u64>, Option<u64>), String> {
    let (from, to) = match value.split_once("..") {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(value)?.ok_or_else(|| "year: needs a year".to_string())?;
            (Some(y), Some(y))
        }
    };
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(format!("empty year range {a}..{b}"));
        }
    }
    Ok((from, to))
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
