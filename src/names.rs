//! Named option values, below everything else: the trait every option with a fixed set of
//! names implements once in the library (sort and facet orders in `search`, input formats in
//! `interop`, the text choice in `pubtator`), so that the CLI, the HTTP API, the page and
//! Python accept the same names and reject an unknown one with the same message
//! ([`crate::Error::UnknownValue`]: "unknown sort order 'newest'; valid: relevance, date, id").
//! Also the counted nouns of messages ([`counted`]: "1 document", "2 documents").

use crate::error::Error;

/// `1 document`, `2 documents`: a count with its noun (a regular plural), for messages.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// An option whose values have names.
pub trait Named: Sized + Copy + 'static {
    /// What the option is called in messages (`sort order`).
    const WHAT: &'static str;
    /// Each value with its names (the first is canonical, the others are accepted aliases).
    const NAMES: &'static [(Self, &'static [&'static str])];

    /// The canonical names, in order.
    fn names() -> Vec<&'static str> {
        Self::NAMES.iter().map(|(_, n)| n[0]).collect()
    }
}

/// Parses `s` (trimmed, case-insensitive) as a value of `T`.
pub fn parse_named<T: Named>(s: &str) -> Result<T, Error> {
    let key = s.trim();
    T::NAMES
        .iter()
        .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(key)))
        .map(|(v, _)| *v)
        .ok_or_else(|| Error::UnknownValue {
            what: T::WHAT,
            value: s.to_string(),
            valid: T::names().into_iter().map(str::to_string).collect(),
        })
}

/// The canonical name of `v`.
pub fn name_of<T: Named + PartialEq>(v: T) -> &'static str {
    T::NAMES
        .iter()
        .find(|(x, _)| *x == v)
        .map_or("", |(_, n)| n[0])
}
